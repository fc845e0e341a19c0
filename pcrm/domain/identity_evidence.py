"""Person evidence for identity matching [match-scoring]: birthdays and postal addresses, compared so a
typo, a transposed digit or a missing part weakens the evidence instead of turning it into a
contradiction [birthday-rule].

Addresses arrive as vCard ADR values (`;extended;street;town;region;postcode;country`, escaped, as the
vCard and person-CSV imports store them) or as one line of text (Google and Outlook exports:
"12 Main St, Springfield, 62701"); both become an `Address` of folded parts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import DamerauLevenshtein

from pcrm.domain.identity_names import strip_accents

_osa = DamerauLevenshtein.normalized_similarity

# ---------------------------------------------------------------- birthdays

EXACT, NEAR, UNSURE, DIFFERENT = "exact", "near", "unsure", "different"


def _digit_edits(a: str, b: str) -> int:
    """Edits between two digit strings of one length, a swap of two adjacent digits counting once."""
    return int(DamerauLevenshtein.distance(a, b))


def compare_birthdays(a: str, b: str) -> str:
    """How two stored birthdays (YYYY-MM-DD, or MM-DD without a year) relate [birthday-rule]:
    - exact: the same day (and year, when both have one);
    - near: what one slip of the pen makes of a date: one digit wrong, two adjacent digits swapped,
      day and month swapped; also the same day when only one side has a year;
    - unsure: two full dates two slips apart (1941-02-23 and 2941-02-26): no evidence either way;
    - different: anything else, a veto."""
    ya, md_a = (a[:4], a[-5:]) if len(a) >= 10 else ("", a[-5:])
    yb, md_b = (b[:4], b[-5:]) if len(b) >= 10 else ("", b[-5:])
    if md_a == md_b and ya == yb:
        return EXACT
    if md_a == md_b and (not ya or not yb):
        return NEAR  # a year on one side only: the same day, less sure
    full = bool(ya and yb)
    da = (ya if full else "") + md_a.replace("-", "")
    db = (yb if full else "") + md_b.replace("-", "")
    edits = _digit_edits(da, db)
    swapped = md_a[3:] + "-" + md_a[:2] == md_b and (ya == yb or not full)
    if swapped or edits <= 1:
        return NEAR
    return UNSURE if full and edits == 2 else DIFFERENT


# ---------------------------------------------------------------- addresses

# street types, abbreviated or in full: one form each (the full word), so "Giblin St" meets "giblin
# street", and a type mangled together with its name ("goodchil dstreet") still compares letter by letter
_STREET_TYPES = {
    "st": "street",
    "str": "street",
    "rd": "road",
    "ave": "avenue",
    "av": "avenue",
    "dr": "drive",
    "ln": "lane",
    "ct": "court",
    "pl": "place",
    "cres": "crescent",
    "cr": "crescent",
    "cct": "circuit",
    "blvd": "boulevard",
    "tce": "terrace",
    "pde": "parade",
    "hwy": "highway",
    "cl": "close",
    "sq": "square",
    "cir": "circle",
    "wy": "way",
    "gr": "grove",
}
_GERMAN_STREET = re.compile(r"(strasse|str)$")
_WORDS = re.compile(r"[^0-9a-z]+")
_NUMBER = re.compile(r"^\d+[a-z]?$")


@dataclass(frozen=True, slots=True)
class Address:
    """One postal address as folded parts ('' when unknown)."""

    number: str = ""  # the house number ("12", "12a")
    street: str = ""  # street name, types abbreviated ("giblin st")
    extended: str = ""  # a second line: building, unit, property name
    town: str = ""
    region: str = ""
    postcode: str = ""  # letters and digits only ("sw1a1aa", "4011")

    @property
    def empty(self) -> bool:
        return not (self.number or self.street or self.extended or self.town or self.postcode)


def _split_adr(value: str) -> list[str]:
    """vCard ADR's structured value split at unescaped ';', each part unescaped."""
    parts, buf, i = [], [], 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            buf.append("\n" if nxt in "nN" else nxt)
            i += 2
            continue
        if ch == ";":
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
        i += 1
    parts.append("".join(buf))
    return parts


def _fold(text: str) -> str:
    return " ".join(_WORDS.sub(" ", strip_accents(text or "")).split())


def _street(line: str) -> tuple[str, str]:
    """(house number, street name) from a street line: '6 Tullaroop Street', 'Hauptstraße 5',
    'Flat 3, 12 Main St' (the first number wins)."""
    words = _fold(line).split()
    number = next((w for w in words if _NUMBER.match(w)), "")
    if number:
        words.remove(number)
    words = [w for w in words if not w.isdigit()]
    if words:  # the type is the last word ("St Kilda Rd": only "rd" is a type)
        words[-1] = _STREET_TYPES.get(words[-1], _GERMAN_STREET.sub("strasse", words[-1]))
    return number, " ".join(words)


def parse_address(value: str) -> Address | None:
    """An address from a stored `address` value (ADR form or one line of text); None when empty."""
    if not value or not value.strip():
        return None
    if ";" in value:
        p = [*_split_adr(value), "", "", "", "", "", "", ""]
        number, street = _street(p[2])
        extended = _fold(p[1])
        if not street and extended:  # the street written on the second line only
            number, street = _street(p[1]) if not number else (number, _street(p[1])[1])
            extended = ""
        addr = Address(
            number=number,
            street=street,
            extended=extended,
            town=_fold(p[3]),
            region=_fold(p[4]),
            postcode=_fold(p[5]).replace(" ", ""),
        )
    else:
        segments = [s for s in re.split(r"[,\n]+", value) if s.strip()]
        number, street = _street(segments[0]) if segments else ("", "")
        rest = [_fold(s) for s in segments[1:]]
        postcode = next((s.replace(" ", "") for s in rest if any(c.isdigit() for c in s)), "")
        town = next((s for s in rest if s and not any(c.isdigit() for c in s)), "")
        addr = Address(number=number, street=street, town=town, postcode=postcode)
    return None if addr.empty else addr


def _near_code(a: str, b: str) -> float:
    """House numbers and postcodes: 1 equal, 0.5 one edit or two adjacent characters swapped, else 0."""
    if a == b:
        return 1.0
    if len(a) == len(b) and _digit_edits(a, b) <= 1:
        return 0.5
    return 0.0


def name_part(a: str, b: str) -> float:
    """Street, building and town names: 1 when equal; typos, two swapped letters and a lost or added
    space forgiven (Damerau-Levenshtein over the letters); below 0.75 they are different names."""
    if a == b:
        return 1.0
    s = float(_osa(a.replace(" ", ""), b.replace(" ", "")))
    return s if s >= 0.75 else 0.0


@dataclass(frozen=True, slots=True)
class AddressMatch:
    """How two addresses compare: `street` (house number and street name, 0-1), `postcode` (0-1) and
    `town` (0-1), each None when either side lacks that part."""

    street: float | None = None
    postcode: float | None = None
    town: float | None = None


def compare_addresses(a: Address, b: Address) -> AddressMatch:
    """Street (number and name, the building line standing in for a street written there), postcode
    and town, each graded."""
    street: float | None = None
    names = [(a.street, b.street), (a.street, b.extended), (a.extended, b.street)]
    name = max((name_part(x, y) for x, y in names if x and y), default=None)
    if a.extended and b.extended:
        ext = name_part(a.extended, b.extended)
        name = ext if name is None else max(name, (name + ext) / 2) if ext else name
    if name is not None:
        if a.number and b.number:
            num = _near_code(a.number, b.number)
            street = 0.6 * name + 0.4 * num if num else min(name, 0.3) * 0.5
        else:
            street = name * 0.8  # a street without its number: a whole street of people
    elif a.number and b.number and (a.postcode and a.postcode == b.postcode):
        street = 0.5 * _near_code(a.number, b.number)
    postcode = _near_code(a.postcode, b.postcode) if a.postcode and b.postcode else None
    town = name_part(a.town, b.town) if a.town and b.town else None
    return AddressMatch(street, postcode, town)


def best_address_match(xs: tuple[Address, ...], ys: tuple[Address, ...]) -> AddressMatch | None:
    """The best-agreeing pair of addresses of two people (a person may have moved, or have two)."""
    best: AddressMatch | None = None
    best_key = -1.0
    for x in xs:
        for y in ys:
            m = compare_addresses(x, y)
            key = 2 * (m.street or 0.0) + (m.postcode or 0.0) + (m.town or 0.0)
            if key > best_key:
                best, best_key = m, key
    return best


def person_verdict(
    names: str,
    birthday: str | None,
    full_dates: bool,
    address: AddressMatch | None,
    town: float | None,
    *,
    common: bool = False,
) -> tuple[str, str]:
    """The band of two records that only a name and person data describe [person-evidence].

    `names` is "same" (up to typos, nicknames and order), "compatible" (one side shorter: a missing
    given name, an initial), "given" (the same given name, another family name: a married name) or
    "different"; `birthday` how the birthdays relate (None: not on both) and `full_dates` whether both
    have a year; the address comparison; the town's similarity (None: not on both); `common` whether
    three or more contacts carry the name. Returns (band, the reason in words).

    Person evidence is counted in points: the same birthday with its year 2 (without a year 1), one
    slip apart 0.5 (without years 0.25); the same street address (house number and street) 1.5, as is
    the same street with the number missing or one slip off at the same postcode, else that street
    without the postcode agreeing 1, else the same place 0.5 (the postcode,
    or the town when the postcodes are not clearly different). The same name merges at 1.5 points and
    is queued from 0.5 (from 1 when three or more contacts have it). A shorter name ("Brooks" and
    "Joshua Brooks") merges only at 3.5 (birthday and street address) and is queued from 1.5, since a
    household shares a family name, an address and, for twins, a birthday; a married name (the same
    given name, another family name) likewise merges at 3.5 and is queued from 2.5. Other different
    names never merge and are queued from 3 (the same birthday and at least the same street: twins
    look like this, and so does a record whose given name was replaced). A clearly different birthday
    is a veto: never merged, never queued [birthday-rule]."""
    street = address is not None and (address.street or 0.0) >= 0.85
    postcode = address.postcode if address is not None else None
    place = postcode == 1.0 or (postcode != 0.0 and (town or 0.0) >= 0.9)
    points = 0.0
    said = []
    if birthday == EXACT:
        points += 2.0 if full_dates else 1.0
        said.append("the same birthday")
    elif birthday == NEAR:
        points += 0.5 if full_dates else 0.25  # 4 digits: one slip apart is a 1-in-30 chance
        said.append("a birthday one slip apart")
    slipped = address is not None and (address.street or 0.0) >= 0.7
    if street:
        points += 1.5
        said.append("the same street address")
    elif slipped and postcode == 1.0:
        points += 1.5  # the street one slip off, and the same postcode: the same street address
        said.append("the same street (one slip apart) and postcode")
    elif slipped:
        points += 1.0  # the street with a house number missing or one slip apart
        said.append("the same street")
    elif place:
        points += 0.5
        said.append("the same postcode or town")
    what = " and ".join(said)
    if birthday == DIFFERENT:
        return "ignore", "different birthdays"
    merge_at, ask_at = {
        "same": (1.5, 1.0 if common else 0.5),
        "compatible": (3.5, 1.5),
        "given": (3.5, 2.5),
    }.get(names, (99.0, 3.0))
    if points >= merge_at:
        return "auto_merge", f"{_NAMES[names]}, backed by {what}: merged"
    if points >= ask_at:
        return "review", f"{_NAMES[names]}, backed only by {what}: review"
    return (
        "ignore",
        f"{_NAMES[names]}, without enough to back them" if what else f"{_NAMES[names]}, nothing else",
    )


_NAMES = {
    "same": "the names agree",
    "compatible": "one name is a shorter form of the other",
    "given": "the same given name with another family name",
    "different": "the names differ",
}
