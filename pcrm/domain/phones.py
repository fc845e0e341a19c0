"""Re-normalising stored phone numbers: what a new `phone_region` (or a new normalisation rule) changes,
and which contacts come to share a number [value-normalisation].

A stored number keeps the text as typed beside its normalised value, so the value can always be derived
again: `normalize.phone(typed, region)`. Pure functions over plain rows; the store reads and writes them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from pcrm.domain import normalize as n

# Numbers shorter than this are never a shared key [deterministic-merges].
MATCH_MIN_DIGITS = 7


@dataclass(frozen=True)
class PhoneRow:
    """One row of contact_phones."""

    id: int
    contact_id: int
    typed: str  # as the user or the source wrote it
    normalized: str
    position: int


@dataclass
class Plan:
    """changed: rows whose value becomes another (row, new value). dropped: rows whose new value an earlier
    row of the same contact already holds (row, new value): a contact holds a number once, as at write
    time. rows: every row read, to find new duplicates."""

    rows: list[PhoneRow]
    changed: list[tuple[PhoneRow, str]] = field(default_factory=list)
    dropped: list[tuple[PhoneRow, str]] = field(default_factory=list)

    def final(self) -> list[tuple[PhoneRow, str]]:
        """Every row that stays, with its value after the plan."""
        new = {r.id: v for r, v in self.changed}
        gone = {r.id for r, _ in self.dropped}
        return [(r, new.get(r.id, r.normalized)) for r in self.rows if r.id not in gone]


def depends_on_region(typed: str) -> bool:
    """Whether the region can change a number's value: anything not written with a leading + (or tel:+).
    `00 44 ...` depends on it too: 00 is the international prefix in some regions, not in others."""
    t = typed.strip().lower().removeprefix("tel:").lstrip()
    return not t.startswith("+")


def plan(rows: Iterable[PhoneRow], region: str | None, *, every_row: bool = False) -> Plan:
    """The values `rows` take under `region`. Only numbers the region can change are parsed again unless
    `every_row` (after a change of the normalisation rules themselves, where any value may be stale)."""
    ordered = sorted(rows, key=lambda r: (r.contact_id, r.position, r.id))
    out = Plan(ordered)
    seen: set[str] = set()
    contact: int | None = None
    for r in ordered:
        if r.contact_id != contact:
            contact, seen = r.contact_id, set()
        new = r.normalized
        if every_row or depends_on_region(r.typed):
            # text that no longer reads as a number (never stored that way today) keeps its value
            new = n.phone(r.typed, region) or r.normalized
        if new in seen:
            out.dropped.append((r, new))
            continue
        seen.add(new)
        if new != r.normalized:
            out.changed.append((r, new))
    return out


def _by_line(values: Iterable[tuple[int, str]]) -> dict[str, list[tuple[int, str | None]]]:
    index: dict[str, list[tuple[int, str | None]]] = defaultdict(list)
    for cid, value in values:
        digits = n.phone_line_digits(value)
        if len(digits) >= MATCH_MIN_DIGITS:
            index[digits].append((cid, n.split_phone(value)[1]))
    return index


def _holders(index: dict[str, list[tuple[int, str | None]]], value: str) -> set[int]:
    """Contacts holding a number that matches `value` (normalize.phones_match)."""
    ext = n.split_phone(value)[1]
    return {
        cid for cid, e in index.get(n.phone_line_digits(value), ()) if e is None or ext is None or e == ext
    }


def new_duplicates(p: Plan) -> list[tuple[str, list[int]]]:
    """Numbers that the plan makes shared by contacts that shared no number before: (the new value,
    every contact holding a matching number afterwards, by rowid). Reported for the user and the identity
    rules to judge, never merged here [shared-keys]."""
    before = _by_line((r.contact_id, r.normalized) for r in p.rows)
    after = _by_line((r.contact_id, v) for r, v in p.final())
    old_values: dict[int, list[str]] = defaultdict(list)
    for r in p.rows:
        old_values[r.contact_id].append(r.normalized)
    shared_before: dict[int, set[int]] = {}
    found: dict[str, set[int]] = {}
    for r, value in p.changed:
        holders = _holders(after, value)
        if len(holders) < 2:
            continue
        cid = r.contact_id
        if cid not in shared_before:
            shared_before[cid] = set[int]().union(*(_holders(before, v) for v in old_values[cid]))
        if holders - shared_before[cid] - {cid}:
            found.setdefault(value, set()).update(holders)
    return [(value, sorted(cids)) for value, cids in sorted(found.items())]
