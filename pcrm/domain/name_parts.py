"""A person's full name in its parts [name-parts]: honorific prefixes, the given name, middle names, the
family name and suffixes, for what needs one part of a name pcrm only holds whole: the first name a draft
greets, the given and family names a contact created by name alone is given, and a vCard's N.

`split_name("Dr. Jane Smith")` is Dr. / Jane / Smith; "O'Brien, Clara" is Clara O'Brien (family first, as
directories and Outlook write it); "🦄 Dan" is Dan (a word without a letter is no name: emoji, symbols,
digits, an address); "Tom Hardy Jr." has the suffix Jr.; "Ludwig van Beethoven" the family name "van
Beethoven". A name written in CJK script with a space is family first ("山田 太郎": family 山田); one
without a space is not split (where the family name ends is not written), nor is a company's name
("Acme Ltd"). Pure: no I/O, no third-party imports (the CLI starts faster without them).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

# honorifics written before a name (folded: no dots, casefolded)
PREFIXES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "mister",
        "dr",
        "prof",
        "professor",
        "sir",
        "dame",
        "rev",
        "revd",
        "fr",
        "hon",
        "herr",
        "frau",
        "mme",
        "mlle",
        "dhr",
        "mevr",
        "sr",  # Señor, when it comes first; a generational suffix when it comes last
        "sra",
        "srta",
    ]
)
# a title with one name after it names the family ("Mr Kim", "Dr. Park"), but these name the given name
# ("Sir Elton", "Dame Judi")
_BEFORE_GIVEN = frozenset(["sir", "dame"])
# suffixes written after a name: generations and post-nominal letters (not "MA" or "PE": surnames)
SUFFIXES = frozenset(
    [
        "jr",
        "jnr",
        "sr",
        "snr",
        "ii",
        "iii",
        "iv",
        "phd",
        "md",
        "mba",
        "esq",
        "cpa",
        "cfa",
        "pmp",
        "dds",
        "dvm",
        "rn",
        "bsc",
        "msc",
        "obe",
        "mbe",
        "cbe",
    ]
)
# generational suffixes that are also names: a suffix only after a given and a family name ("Tom Hardy
# Junior"; "Junior Silva" is a given name)
_WORD_SUFFIXES = frozenset(["junior", "senior"])
# words that begin a family name after the given name ("van Beethoven", "de la Cruz", "da Vinci")
PARTICLES = frozenset(
    [
        "van",
        "von",
        "de",
        "der",
        "den",
        "del",
        "della",
        "di",
        "da",
        "das",
        "dos",
        "du",
        "la",
        "le",
        "ter",
        "ten",
        "bin",
        "binti",
        "ibn",
        "al",
        "el",
        "st",
    ]
)
# the last word of a company's name: a full name ending so is no person's
_COMPANY_ENDINGS = frozenset(
    [
        "inc",
        "ltd",
        "llc",
        "gmbh",
        "ag",
        "plc",
        "corp",
        "corporation",
        "limited",
        "bv",
        "sarl",
        "srl",
        "oy",
        "ab",
    ]
)
# what ends a name and begins something else: "Jane Doe | Acme", "Jane Doe - CEO", "Jane Doe / Acme"
_TAIL = re.compile(r"\s+(?:[|/@–—]|-)\s+.*$|\s*[|/–—]\s*.*$", re.DOTALL)
# a nickname written inside the name: "Robert (Bob) Smith", 'Robert "Bob" Smith'
_NICKNAME = re.compile(r"\([^)]*\)|\"[^\"]*\"|“[^”]*”|«[^»]*»")
# characters that may end a word of a name: "Jr.", "O'", "Jean-"
_WORD_EDGE = frozenset(".'’-")
_CJK = ("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH", "HIRAGANA", "KATAKANA", "HANGUL")


@dataclass(frozen=True)
class NameParts:
    """A name's parts as written ("" or () where the name has none)."""

    prefixes: tuple[str, ...] = ()
    given: str = ""
    middle: tuple[str, ...] = ()
    family: str = ""
    suffixes: tuple[str, ...] = ()

    @property
    def salutation(self) -> str:
        """How a greeting names the person: the given name, else the title and family name ("Mr Kim")."""
        if self.given:
            return self.given
        if self.family:
            return " ".join([*self.prefixes, self.family])
        return ""


def _key(word: str) -> str:
    return word.replace(".", "").casefold()


def _clean(word: str) -> str:
    """A word without the emoji, symbols and punctuation around it ("Dan🦄" is "Dan"); "" when it holds
    no letter (an emoji, a number, an address or a handle is no part of a name)."""
    if "@" in word:
        return ""
    start, end = 0, len(word)
    while start < end and not _letter_or_digit(word[start]):
        start += 1
    while end > start and not (_letter_or_digit(word[end - 1]) or word[end - 1] in _WORD_EDGE):
        end -= 1
    out = word[start:end]
    return out if any(unicodedata.category(c).startswith("L") for c in out) else ""


def _letter_or_digit(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LN"


def _is_cjk(word: str) -> bool:
    letters = [c for c in word if unicodedata.category(c).startswith("L")]
    return bool(letters) and all(unicodedata.name(c, "").startswith(_CJK) for c in letters)


def _words(text: str) -> list[str]:
    return [w for w in (_clean(t) for t in _NICKNAME.sub(" ", text).split()) if w]


def _prefixes(words: list[str], keep: int = 1) -> tuple[str, ...]:
    """Pop the honorifics that begin `words`, leaving at least `keep` words."""
    out = []
    while len(words) > keep and _key(words[0]) in PREFIXES:
        out.append(words.pop(0))
    return tuple(out)


def _suffixes(words: list[str]) -> tuple[str, ...]:
    """Pop the suffixes that end `words` (after at least one other word; Junior or Senior after two)."""
    out: list[str] = []
    while len(words) > 1:
        k = _key(words[-1])
        if k in SUFFIXES or (k in _WORD_SUFFIXES and len(words) >= 3):
            out.insert(0, words.pop())
        else:
            break
    return tuple(out)


def _all_suffixes(text: str) -> bool:
    words = _words(text)
    return bool(words) and all(_key(w) in SUFFIXES or _key(w) in _WORD_SUFFIXES for w in words)


def split_name(full: str | None) -> NameParts:
    """The parts of a full name (see the module's docstring); NameParts() when it holds no name."""
    text = " ".join((full or "").split())
    if not text:
        return NameParts()
    text = _TAIL.sub("", text) or text
    parts = [p.strip() for p in text.split(",")]
    trailing: list[str] = []
    while len(parts) > 1 and _all_suffixes(parts[-1]):
        trailing[:0] = _words(parts.pop())
    if len(parts) == 2 and _family_first_shape(_words(parts[0]), _words(parts[1])):
        return _family_first(_words(parts[0]), _words(parts[1]), tuple(trailing))
    words = _words(parts[0])
    if not words or _key(words[-1]) in _COMPANY_ENDINGS:
        return NameParts()
    prefixes = _prefixes(words)
    suffixes = (*_suffixes(words), *trailing)
    if len(words) == 1:
        (word,) = words
        if _is_cjk(word):
            return NameParts(prefixes, suffixes=suffixes)  # where the family name ends is not written
        if prefixes and _key(prefixes[-1]) not in _BEFORE_GIVEN:
            return NameParts(prefixes, family=word, suffixes=suffixes)  # "Mr Kim"
        return NameParts(prefixes, given=word, suffixes=suffixes)
    if len(words) == 2 and all(_is_cjk(w) for w in words):
        return NameParts(prefixes, given=words[1], family=words[0], suffixes=suffixes)
    start = next((i for i in range(1, len(words) - 1) if _key(words[i]) in PARTICLES), len(words) - 1)
    return NameParts(prefixes, words[0], tuple(words[1:start]), " ".join(words[start:]), suffixes)


def _family_first_shape(family: list[str], given: list[str]) -> bool:
    """Whether "A, B" reads as "Family, Given": a family name of one or two words (three would rather be a
    whole name followed by something else: "Jane Ann Doe, Acme"), a given name of one to three words that
    is no company's."""
    return 1 <= len(family) <= 2 and 1 <= len(given) <= 3 and _key(given[-1]) not in _COMPANY_ENDINGS


def _family_first(family: list[str], given: list[str], trailing: tuple[str, ...]) -> NameParts:
    """ "Family, Given": "O'Brien, Clara", "Kim, Tom Jr.", "Smith, Dr. Jane"."""
    prefixes = (*_prefixes(family), *_prefixes(given))
    suffixes = (*_suffixes(given), *trailing)
    return NameParts(prefixes, given[0], tuple(given[1:]), " ".join(family), suffixes)


def given_and_family(full: str | None) -> tuple[str | None, str | None]:
    """The given and family names a contact known by `full` alone is given (None for a part it lacks)."""
    p = split_name(full)
    return p.given or None, p.family or None


def first_name(given: str | None, full: str | None) -> str | None:
    """The name a message greets a contact by: the given name (without emoji or symbols around it), else
    the full name's given name ("Dr. Jane Smith" is Jane, "O'Brien, Clara" Clara, "🦄 Dan" Dan), else its
    title and family name ("Mr Kim"), else the name itself when it is one word not split ("山田太郎");
    None when there is no name to greet."""
    own = " ".join(_words(given or ""))
    if own:
        return own
    p = split_name(full)
    if p.salutation:
        return p.salutation
    words = _words(full or "")
    return words[0] if len(words) == 1 else None


# where a part's words stand in a full name: whole words, not inside another ("Ann" in "Anna")
_EDGE = r"[\w'’-]"


def _spans(full: str, part: str) -> list[tuple[int, int]]:
    words = part.split()
    if not words:
        return []
    pattern = rf"(?<!{_EDGE})" + r"\s+".join(re.escape(w) for w in words) + rf"(?!{_EDGE})"
    return [m.span() for m in re.finditer(pattern, full, re.IGNORECASE)]


def name_for_parts(
    full: str | None, stored: tuple[str | None, str | None], typed: Mapping[int, str | None]
) -> str | None:
    """The full name after an edit of the given or family name alone [name-parts]: `stored` the given and
    family names the contact has (None where empty), `typed` the parts the edit sets by index (0 given,
    1 family; None clears). Each changed part's words are replaced where the name holds them ("Ada
    Lovelace" with the given name Augusta is "Augusta Lovelace", "Dr. Ada King Lovelace 🙂" "Dr. Augusta
    King Lovelace 🙂", "Lovelace, Ada" "Lovelace, Augusta"), a part the name lacked is put beside the other
    ("Ada" with the family name Lovelace: "Ada Lovelace"; "Mr Kim" with the given name Tom: "Mr Tom
    Kim"); a cleared part leaves the name as it is (it still names the person, and a part is most often
    cleared for being wrong). A part not stored is read as the name gives it. None when the name is
    kept: it is not one the parts make (it lacks a stored part's words, as "Dr. Jane Smith" lacks the
    given name "Janey" and "The Countess" both, or holds a part twice) or there is no name."""
    said = given_and_family(full)
    old = tuple(p or s for p, s in zip(stored, said, strict=True))
    new = tuple(typed[i] if i in typed else old[i] for i in (0, 1))
    text = full or ""
    if not text.strip():
        return None  # no name to write the parts into
    spans: list[tuple[int, int] | None] = []
    for part in old:
        found = _spans(text, part) if part else [None]
        if len(found) != 1:
            return None  # not a name these parts make, or one that holds a part twice: which one to change?
        spans.append(found[0])
    a, b = spans
    if a and b and a[0] < b[1] and b[0] < a[1]:
        return None  # the two parts are the same words of the name
    edits: list[tuple[int, int, str]] = []
    for i, (was, now, span) in enumerate(zip(old, new, spans, strict=True)):
        if not now or (was or None) == now:
            continue  # unchanged, or cleared: a clear leaves the name that still names the person
        if span is not None:
            edits.append((*span, now or ""))
            continue
        other = spans[1 - i]
        if other is None:
            return None  # nothing to stand beside
        # the given name before the family name, the family name after the given one
        at = other[0] if i == 0 else other[1]
        edits.append((at, at, f"{now} " if i == 0 else f" {now}"))
    out = text
    for start, end, words in sorted(edits, reverse=True):
        out = out[:start] + words + out[end:]
    return " ".join(out.split())
