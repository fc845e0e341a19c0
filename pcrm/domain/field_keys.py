"""What two extra-field rows (contact_fields) are compared by [import-matching] [merge-rules]: a light module,
so the store's merge code and the CLI's start-up do not load the identity rules (and rapidfuzz) for it."""

from __future__ import annotations

import re

_VESCAPE = re.compile(r"\\(.)", re.DOTALL)
_WORD = re.compile(r"\w+")


_ADR_SPLIT = re.compile(r"(?<!\\);")
# ADR's components (post office box, extended, street, locality, region, postcode, country) in the order a
# written address reads them: the street first, its box and flat after it
_ADR_READING_ORDER = (2, 0, 1, 3, 4, 5, 6)


def field_key(kind: str, value: str) -> tuple[str, str]:
    """What two extra-field rows are compared by, so a value held already is not added again
    [import-matching]: the kind and the trimmed value, except that an address is its words in reading
    order, case-folded. ADR's structured form (components, vCard escapes) and a flat one-cell text of the same
    parts (what older imports kept of Google's `Formatted` column) are the same address, as are two
    differing only in case, whitespace or punctuation. The words keep their order: "100 N 200 E" and
    "100 E 200 N" are two places, never one (a key too loose drops a real value; one too strict only keeps
    a second row)."""
    value = value.strip()
    if kind != "address":
        return kind, value
    parts = _ADR_SPLIT.split(value)
    if len(parts) == len(_ADR_READING_ORDER):
        value = " ".join(parts[i] for i in _ADR_READING_ORDER)
    text = _VESCAPE.sub(lambda m: " " if m.group(1) in "nN" else m.group(1), value)
    return kind, " ".join(_WORD.findall(text.casefold()))
