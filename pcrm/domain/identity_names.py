"""Names for identity matching [match-scoring]: folded and transliterated tokens (diacritics, Cyrillic,
Greek), nicknames, initials, "Family, Given" order, company names without their legal suffixes, and
the similarity of two names with all of that understood. `name_agreement` (over `names_compatible`, the
markers an honorific or a suffix gives a name, and how the given names agree) is the rule every write
path applies before a shared key may join two records [shared-keys].
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, cast

from pcrm.domain.normalize import FILLERS_AS_SPACES, blank
from pcrm.domain.scripts import strip_accents as strip_accents  # the identity modules read it here

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# What the honorifics and suffixes `name_tokens` drops say about who a name is [shared-keys]: a gender
# (Mr or Sir against Mrs, Ms or Miss is two people) and a generation (Jr against Sr, or against none, is a
# father and his son)
_GENDER = {
    "mr": "m",
    "sir": "m",
    "herr": "m",
    "dhr": "m",
    "mrs": "f",
    "ms": "f",
    "miss": "f",
    "frau": "f",
    "mme": "f",
    "mlle": "f",
    "sra": "f",
    "srta": "f",
    "mevr": "f",
}
_GENERATION = {"jr": "jr", "jnr": "jr", "sr": "sr", "snr": "sr", "ii": "ii", "iii": "iii", "iv": "iv"}
# generational suffixes that are also names ("Junior" Silva, Jane "Senior"): a suffix only as the last
# part of a name that has a given and a family name before it ("Tom Hardy Junior")
_NAME_SUFFIXES = {"junior": "jr", "senior": "sr"}
# every word a generational suffix is written as, to the marker `name_markers` gives it ("Jnr" and
# "Junior" are "jr"), for the name readers outside the matcher (formats.names)
GENERATION_WORDS = {**_GENERATION, **_NAME_SUFFIXES}
# titles written before a family name: a title with one name part is a family name alone ("Mr Kim",
# "Dr Park", "Frau Weber"), which says nothing of the given name [shared-keys]. Not Sir or Dame: they
# come before a given name ("Sir Elton")
_TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "prof",
        "herr",
        "frau",
        "dhr",
        "mevr",
        "mme",
        "mlle",
        "sra",
        "srta",
    ]
)
_HONORIFICS = frozenset(["phd", "md", "mba", "esq", *_GENDER, *_GENERATION, *_TITLES])

# Nickname groups: every name in a group maps to the group's first (canonical) form.
_NICK_GROUPS = """
robert bob bobby rob robbie bert
william bill billy will willy liam
richard rick ricky dick rich richie
james jim jimmy jamie
john jack johnny jon
jonathan jon jonny
joseph joe joey jose
michael mike mikey mick mickey
christopher chris kit
christina chris tina christine
nicholas nick nicky nico
nikolaus niklaus nik klaus
alexander alex alec sasha alexandr aleksandr
alexandra alex sasha sandra lexi
elizabeth liz lizzie beth betty eliza elisabeth lisa
katherine kate katie kathy cathy catherine kathryn kat katharine
margaret maggie meg peggy marge margarita
thomas tom tommy
timothy tim timmy
daniel dan danny
david dave davy
edward ed eddie ted ned
charles charlie chuck chas
anthony tony antonio
steven steve stephen stevie
matthew matt matty
andrew andy drew andrei andrey
benjamin ben benny
samuel sam sammy
samantha sam sammy
jennifer jen jenny
jessica jess jessie
rebecca becky becca
patricia pat patty trish
patrick pat paddy
susan sue susie suzanne
deborah deb debbie
dorothy dot dottie
frances fran frannie
francis frank frankie
francesco frank franco
gregory greg
jeffrey jeff
kenneth ken kenny
lawrence larry laurence
leonard leo len lenny
peter pete
philip phil phillip
raymond ray
ronald ron ronnie
donald don donnie
douglas doug
gerald gerry jerry
harold harry hal
henry harry hank
barbara barb barbie babs
victoria vicky tori
abigail abby
amanda mandy
cynthia cindy
pamela pam
theodore theo ted teddy
zachary zach zack
nathaniel nate nat nathan
dmitri dmitry dima
ivan vanya
olga olya
pavel pasha paul
paul pavel pablo paolo
mikhail misha
ekaterina katya
yekaterina katya ekaterina
anastasia nastya
maria masha mary marie
mary molly polly
""".strip().splitlines()
NICKNAMES: dict[str, str] = {}
# every group a name belongs to: "sam" is Samuel's and Samantha's, "alex" Alexander's and Alexandra's
_GROUPS_OF: dict[str, set[int]] = {}
for _k, _line in enumerate(_NICK_GROUPS):
    _names = _line.split()
    for _n in _names:
        NICKNAMES.setdefault(_n, _names[0])
        _GROUPS_OF.setdefault(_n, set()).add(_k)


def _transliterable(text: str) -> bool:
    """Whether every character is Latin, Greek, Cyrillic or punctuation, which `strip_accents` writes in
    Latin letters."""
    return all(ch < "\u0530" or "\u1e00" <= ch < "\u2000" for ch in text)


def key_words(text: str) -> list[str]:
    """The words of a name as compared [match-scoring]: Latin, Greek and Cyrillic by `strip_accents`
    ("Γιώργος" is "giorgos", "Алексей" "aleksey"), other scripts' letters as written (山田太郎, 김민수,
    محمد), without the vowel points Arabic and Hebrew may leave out; split on anything but letters, digits
    and marks. A mark with no letter or digit to sit on is no word: the emoji presentation selector of
    "❤️" made it a name of one word, the same for every emoji written so [shared-keys]. A blank filler
    (the Hangul fillers, a letter to Unicode, and the Braille blank: `normalize.BLANK_FILLERS`) is a space
    between words, never a word or part of one."""
    if text.isascii():
        return _NON_ALNUM.sub(" ", text.lower()).split()
    folded = unicodedata.normalize("NFKC", text.translate(FILLERS_AS_SPACES)).translate(_SELECTORS)
    if _transliterable(folded):  # no marks left once the accents are off
        return _WORD.findall(strip_accents(folded))
    # runs of one kind, so Greek's letter pairs are read as pairs
    keyed = "".join(
        strip_accents(run) if latin else run.casefold()
        for latin, run in ((k, "".join(g)) for k, g in itertools.groupby(folded, _transliterable))
    )
    return [w for w in (w.translate(_POINTING) for w in _words(keyed)) if any(c.isalnum() for c in w)]


_WORD = re.compile(r"[^\W_]+")


_NON_ALPHA = re.compile(r"[^a-z]+")


Markers = tuple[str, str]  # (gender, generation): "m"/"f"/"" and "jr"/"sr"/"ii"/"iii"/"iv"/""


def name_tokens(value: str | None) -> tuple[str, ...]:
    """A name as comparable tokens: casefolded, transliterated, punctuation, honorifics and generational
    suffixes dropped, "Family, Given" turned round."""
    return _read(value)[0]


def name_markers(value: str | None) -> Markers:
    """The gender an honorific gives a name (Mr, Sir, Herr: "m"; Mrs, Ms, Miss, Frau, Mme: "f") and its
    generational suffix (Jr, Sr, II, III, IV; Junior and Senior after a given and a family name): what
    `name_tokens` drops, for the [shared-keys] rule."""
    return _read(value)[1]


def _read(value: str | None) -> tuple[tuple[str, ...], Markers, bool]:
    """A name's tokens, its markers, and whether it is a title with a family name alone ("Mr Kim")."""
    if not value or blank(value):  # nothing to see: spaces, zero-width characters, blank fillers
        return (), ("", ""), False
    toks = key_words(_given_first(value))
    gender = generation = ""
    titled = False
    kept: list[str] = []
    for t in toks:
        if t in _HONORIFICS:
            gender = _GENDER.get(t, gender)
            generation = _GENERATION.get(t, generation)
            titled = titled or t in _TITLES
        else:
            kept.append(t)
    if len(kept) >= 3 and kept[-1] in _NAME_SUFFIXES:
        generation = _NAME_SUFFIXES[kept.pop()]
    return tuple(kept) or tuple(toks), (gender, generation), titled and len(kept) == 1


def _given_first(value: str) -> str:
    """The name with "Family, Given" turned round ("Kim, Tom Jr." is "Tom Jr. Kim", "Hardy, Tom Junior"
    is "Tom Hardy Junior"); a name followed by its suffix alone ("Tom Hardy, Junior", "Jane Doe, MBA")
    stays as written."""
    if value.count(",") != 1:
        return value
    family, given = value.split(",")
    parts = given.split()
    if not family.strip() or not parts or len(parts) > 2:
        return value
    words = key_words(given)
    if len(family.split()) >= 2 and all(w in _HONORIFICS or w in _NAME_SUFFIXES for w in words):
        return value
    if len(parts) == 2 and words[-1] in _NAME_SUFFIXES:
        return f"{parts[0]} {family} {parts[1]}"
    return f"{given} {family}"


def markers_conflict(a: Markers, b: Markers) -> str:
    """What two named records' markers say against one person: "honorific" (Mr against Mrs, Ms or Miss),
    "generation" (a generational suffix on one side only, or two different ones: a father and his son
    share a landline and a family address), else ""."""
    if a[0] and b[0] and a[0] != b[0]:
        return "honorific"
    if a[1] != b[1]:
        return "generation"
    return ""


@dataclass(frozen=True, slots=True)
class Name:
    """A name as the [shared-keys] rule compares it: its tokens, its markers (`name_markers`) and whether
    it is a title with a family name alone; for a name written without a word (emoji, symbols,
    punctuation: "🙂", "★", "—"), the `label` as written. False when there is no name at all."""

    tokens: tuple[str, ...] = ()
    markers: Markers = ("", "")
    family_only: bool = False  # a title with a family name alone: "Mr Kim" (`_read`)
    label: str = ""  # a name without words, folded as written (`name_label`); "" when it has words
    marks: str = ""  # the emoji and symbols beside a name's words (`name_marks`): "Anna 🙂" is "🙂"

    def __bool__(self) -> bool:
        return bool(self.tokens or self.label)


def parse_name(value: str | None) -> Name:
    tokens, markers, family_only = _read(value)
    if not tokens:
        return Name(label=name_label(value))
    return Name(tokens, markers, family_only, marks=name_marks(value))


# what marks a name beside its words [shared-keys]: an emoji or another symbol outside ASCII (Unicode So,
# Sm, Sc: "🙂", "★", "♥", "∞"); not ASCII's own ("|", "+", "<", "$": separators a file writes between a
# name and a company, "Ann + Tom"), a modifier (Sk: a skin tone), punctuation or a space
_MARK_CATEGORIES = frozenset(("So", "Sm", "Sc"))


def name_marks(value: str | None) -> str:
    """The emoji and symbols a name carries beside its words, each once, in one order (NFKC, emoji
    presentation selectors aside: "❤️" and "❤" are one heart), "" when it has none: "Anna 🙂" is "🙂",
    "🙂 Anna 🙂" too; "Ana Ruiz | Globex" has none."""
    if not value or value.isascii():
        return ""
    folded = unicodedata.normalize("NFKC", value).translate(_SELECTORS)
    marks = {c for c in folded if not c.isascii() and unicodedata.category(c) in _MARK_CATEGORIES}
    return "".join(sorted(marks))


def marks_differ(a: str, b: str, words: int) -> bool:
    """Whether two names whose words agree are two entries by their marks (`name_marks`), `words` being
    the fewer words of the two [shared-keys]: both marked, and marked otherwise ("Anna 🙂" and "Anna 😀",
    "Jo Berg ★" and "Jo Berg ♥": two labels the user wrote), or a first name alone marked on one side
    only ("Anna" and "Anna 🙂": the mark is what makes it one person's label). A longer name marked on one
    side only is the same name decorated ("Anne Marie Hopper ★", "Anne Marie Hopper")."""
    if a == b:
        return False
    return bool(a and b) or words <= 1


_DIGITS = re.compile(r"[0-9]+")


def name_number(tokens: tuple[str, ...]) -> str:
    """The number a name's words carry (each run of digits without its leading zeros, in order), "" when
    none: "Flat 12" and "Flat12" are "12", "Flat 01" is "1", "+44 7700 900123" "447700900123"."""
    # one search over the words joined (a run never spans the space): most names carry no digit, and an
    # import compares every row's name this way
    runs = _DIGITS.findall(" ".join(tokens))
    return "".join(run.lstrip("0") or "0" for run in runs) if runs else ""


def numbers_differ(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two names both carry a number and the numbers differ (`name_number`): "Flat 1" and "Flat
    12", "Flat1" and "Flat12", "John Smith2" and "John Smith3", "Room 3" and "Room 33". A number in a name
    is what the user told two entries apart by, never a typo [shared-keys]."""
    x, y = name_number(a), name_number(b)
    return bool(x and y) and x != y


def numbered_once(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether one name carries a number and the other none (`name_number`): "John Smith 2" and "John
    Smith", "Flat 1" and "Flat", "Mum 2" and "Mum", "John Smith2" and "John Smith". A number added to a
    name is how a user saves a second person of that name, so the two are never one on their words
    alone [shared-keys]: asked, never merged. Two nameless sides carry no number either."""
    return bool(name_number(a)) != bool(name_number(b))


def name_label(value: str | None) -> str:
    """A name that holds no word (`key_words` finds none: "🙂", "★", "—", "..."), as the user wrote it:
    NFKC, casefolded, emoji presentation selectors and runs of spaces aside ("❤️" and "❤" are one label);
    "" for an empty name or one with words. Such a name is a label the user chose, not a missing name: two
    labels written differently are two contacts' [shared-keys]. A name of nothing to see (zero-width
    characters, blank fillers: `normalize.blank`) is no label but no name."""
    if not value or blank(value) or key_words(value):
        return ""
    return " ".join(unicodedata.normalize("NFKC", value).translate(_SELECTORS).casefold().split())


# the ASCII symbols (Unicode category S): "<3", "Bob ^^", "Ann + Tom"
_ASCII_SYMBOL = re.compile(r"[$+<=>^`|~]")
# emoji presentation selectors: "❤️" and "❤" are one heart
_SELECTORS = dict.fromkeys((0xFE0E, 0xFE0F))


def distinctive_name(value: str | None) -> str:
    """A display name marked by something beside its letters, as [distinctive-names] compares it: the name
    holds a letter and a symbol (an emoji, ★, ♥, "<3"), folded (case, NFKC, spaces) without emoji
    presentation selectors; "" for any other name ("Grace", "Zoë", "Anne-Marie O'Neil")."""
    if not value:
        return ""
    if value.isascii():
        if not _ASCII_SYMBOL.search(value):
            return ""
    elif not any(unicodedata.category(c)[0] == "S" for c in value):
        return ""
    if not any(c.isalpha() for c in value):
        return ""
    return " ".join(unicodedata.normalize("NFKC", value).translate(_SELECTORS).casefold().split())


def marks_apart(a: str | None, b: str | None) -> bool:
    """Whether two names that read alike word by word (emoji, symbols, punctuation and post-nominals
    aside, as a message's sender is looked up by its name) are still two people's by the marks beside
    them [distinctive-names]: a one-word name marked by an emoji or a symbol ("Grace 🧤", "Sam ★") and the
    same word unmarked or marked otherwise ("Grace", "Grace 🍒"). A first name alone names many people and
    the mark is what makes it one person's label, as the tier-2 scorer reads it (a one-word name is a hint
    only, unless the marked name is written alike on both). A longer name is told by its words, and a mark
    beside them is decoration ("Jane Doe, MBA ★" is Jane Doe)."""
    if distinctive_name(a) == distinctive_name(b):
        return False  # both plain, or marked alike
    return len(name_tokens(a)) <= 1 or len(name_tokens(b)) <= 1


def canon(token: str) -> str:
    return NICKNAMES.get(token, token)


def compact(text: str) -> str:
    """Letters only: 'Ada.Lovelace_42' -> 'adalovelace' (handles and email local parts)."""
    folded = strip_accents(text)
    if folded.isascii():
        return _NON_ALPHA.sub("", folded)
    return "".join(ch for ch in folded if ch.isalpha())


@functools.lru_cache(maxsize=8192)  # an import asks it of the same few companies for each row
def company_key(value: str | None) -> str:
    """The key two employers' names are one company by [company-orgs]: NFKC, casefolded, Latin, Greek and
    Cyrillic letters without accents and in Latin letters ("Газпром" is "gazprom"), other scripts as they
    are written (株式会社ソニー is "ソニー", 삼성전자 stays 삼성전자), punctuation aside and the legal forms
    dropped: words (Inc, GmbH, ООО, ПАО, Α.Ε., בע"מ, شركة, 주식회사) and, in scripts written without spaces,
    the forms written onto the name (株式会社, 有限公司, 股份有限公司, 集团, (株), (주)). "" when the name is
    nothing but legal forms or punctuation."""
    if not value:
        return ""
    text = unicodedata.normalize("NFKC", value).casefold()
    for form in _LEGAL_BRACKETED:
        text = text.replace(form, " ")
    text = _ACRONYM.sub(lambda m: m.group(0).replace(".", ""), text)  # "S.A.", "Α.Ε.", "ش.م.م"
    text = _INNER_QUOTE.sub("", text)  # בע"מ, "McDonald's"
    keys: list[str] = []
    for word in _words(text):
        if word in _LEGAL_WORDS:
            continue
        keys += [k for k in key_words(_without_legal_affixes(word)) if k not in _COMPANY_SUFFIXES]
    return " ".join(_without_phrases(keys))


def _words(text: str) -> list[str]:
    """The words of a text: runs of letters, digits and marks (a Devanagari or Thai vowel sign is part of
    its word, which `str.split` on non-word characters would cut)."""
    if text.isascii():
        return _ASCII_WORD.findall(text)
    out: list[str] = []
    word: list[str] = []
    for ch in text:
        if ch.isalnum() or unicodedata.category(ch)[0] == "M":
            word.append(ch)
        elif word:
            out.append("".join(word))
            word = []
    if word:
        out.append("".join(word))
    return out


def _without_legal_affixes(word: str) -> str:
    """A word without the legal forms written onto it, before or after (株式会社ソニー, 腾讯有限公司)."""
    if word.isascii():  # the forms are all written in Han or Hangul
        return word
    cut = True
    while cut and word:
        cut = False
        for form in _LEGAL_AFFIXES:
            if word.startswith(form) or word.endswith(form):
                word = word.removeprefix(form) if word.startswith(form) else word.removesuffix(form)
                cut = True
                break
    return word


def _without_phrases(keys: list[str]) -> list[str]:
    """The keys without a legal form of several words ("Công ty", "sp. z o.o.", ذات المسؤولية المحدودة)."""
    for phrase in _LEGAL_PHRASES:
        n = len(phrase)
        i = 0
        while i + n <= len(keys):
            if tuple(keys[i : i + n]) == phrase:
                del keys[i : i + n]
            else:
                i += 1
    return keys


# a word of ASCII text: what `str.isalnum` keeps of it
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")
# an acronym written with dots: "s.a.", "e.v.", "α.ε.", "ш.м.м" (letters only: "3.14" is a number)
_ACRONYM = re.compile(r"(?<![^\W\d_])[^\W\d_](?:\.[^\W\d_])+\.?(?![^\W\d_])")
# a quote inside a word: an apostrophe, or Hebrew's geresh and gershayim marking an abbreviation
_INNER_QUOTE = re.compile("(?<=[^\\W\\d_])['\u2019\"\u05f3\u05f4]+(?=[^\\W\\d_])")
# legal forms in Latin letters (after accents and transliteration), as words of a name
_COMPANY_SUFFIXES = frozenset(
    [
        *("inc", "incorporated", "ltd", "llc", "llp", "lp", "plc", "corp", "corporation", "co", "company"),
        *("limited", "the", "gmbh", "ag", "kg", "ohg", "ug", "ev", "se", "sa", "sas", "sarl", "srl", "spa"),
        *("sl", "bv", "nv", "ab", "as", "asa", "oy", "oyj", "aps", "pty", "pte", "pvt", "bhd", "sdn", "kk"),
        *("ltda", "sro", "doo", "kft", "zrt", "tnhh", "mmc"),
    ]
)
# legal forms written in their own script, as words: Russian, Ukrainian, Kazakh, Greek, Hebrew, Arabic, Korean
_LEGAL_WORDS = frozenset(
    [
        *("ооо", "оао", "зао", "пао", "ао", "нао", "ип", "тоо", "тов", "пат", "прат", "ат"),
        *("ад", "оод", "еоод"),
        *("αε", "επε", "οε", "εε", "ικε"),
        *("בעמ",),
        *("شركة", "شمم", "ذمم", "شمع", "شمل", "شذمم", "المحدودة"),
        *("주식회사", "유한회사", "유한책임회사", "합자회사", "합명회사"),
    ]
)
# legal forms written onto a name in scripts without spaces (longest first: 股份有限公司 before 有限公司)
_LEGAL_AFFIXES = (
    *("股份有限公司", "有限责任公司", "有限責任公司", "有限公司", "株式会社", "有限会社", "合同会社"),
    *("合資会社", "合名会社", "주식회사", "유한회사", "集团", "集團", "公司"),
)
# the same written in brackets, anywhere in the name (NFKC makes ㈱ and （株） "(株)", ㈜ "(주)")
_LEGAL_BRACKETED = ("(株)", "(有)", "(合)", "(주)", "(유)")
# what Arabic and Hebrew may write or leave out of one name: vowel points, the tatweel that stretches a word,
# the hamza on an alef (أ, إ, آ are ا)
_POINTING = {
    **dict.fromkeys([*range(0x0591, 0x05C8), *range(0x0610, 0x061B), *range(0x064B, 0x0660), 0x0670, 0x0640]),
    **dict.fromkeys(map(ord, "أإآ"), "ا"),
}
# legal forms of several words, as keys
_LEGAL_PHRASES = (("cong", "ty"), ("co", "phan"), ("sp", "z", "oo"), ("ذات", "المسؤولية", "المحدودة"))


def _distances() -> None:
    """Bind _sim, _osa and _osa_distance to rapidfuzz's functions, on the first comparison of two names:
    importing rapidfuzz costs ~10 ms (~25 ms on a busy machine), which a command that only reads a name's
    tokens (a contact reference that fits nobody: `pcrm note add "Nobody Here" x`) need not pay
    [contact-references]. Each is then rapidfuzz's own function, as when imported at the top."""
    from rapidfuzz.distance import DamerauLevenshtein, Levenshtein

    global _sim, _osa, _osa_distance
    _sim = cast(_Similarity, Levenshtein.normalized_similarity)
    # names' letters: two swapped letters are one slip, not two ("aym" for "amy")
    _osa = cast(_Similarity, DamerauLevenshtein.normalized_similarity)
    _osa_distance = cast(_Distance, DamerauLevenshtein.distance)


def _first_sim(a: str, b: str) -> float:
    _distances()
    return _sim(a, b)


def _first_osa(a: str, b: str) -> float:
    _distances()
    return _osa(a, b)


def _first_osa_distance(a: str, b: str) -> int:
    _distances()
    return _osa_distance(a, b)


_Similarity = Callable[[str, str], float]
_Distance = Callable[[str, str], int]
_sim: _Similarity = _first_sim
_osa: _Similarity = _first_osa
_osa_distance: _Distance = _first_osa_distance


def _numbered(part: str) -> bool:
    """Whether a name part is a number, or starts with one: "100", "100a", "2b" (a unit, a flat, a desk),
    which agrees only with the same part; a word with a digit after its letters ("phone2", an app's copy
    of a card) is compared as a word [shared-keys]."""
    return part[:1].isdigit()


# Han, Hiragana, Katakana and Hangul: a name written in them has no initials, and is written without
# spaces, the family name first [name-parts]
_CJK = re.compile(
    "[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f]"
)


def _initial(part: str) -> bool:
    """Whether a name part of one letter is an initial ("J" for John), which stands for any part it
    begins: a letter of Latin, Greek or Cyrillic (written in Latin letters by then). One Han, Kana or
    Hangul character is a whole name ("王", a family name; "明", a given one), and stands only for itself:
    "王" is not "王小明", nor "小明 王" another "王小红" [shared-keys]."""
    return len(part) == 1 and not _CJK.match(part)


# a scan compares the same few given and family names again and again (a common given name's block)
@functools.lru_cache(maxsize=1 << 16)
def token_similarity(x: str, y: str) -> float:
    if x == y:
        return 1.0
    if _numbered(x) or _numbered(y):  # a number is no slip, initial or nickname of another [match-scoring]
        return 0.0  # "Unit 100" and "Unit 200", "100A" and "100B" are two names
    if _initial(x) or _initial(y):
        return 0.9 if x[0] == y[0] else 0.0
    if canon(x) == canon(y) or not _GROUPS_OF.get(x, set()).isdisjoint(_GROUPS_OF.get(y, ())):
        return 0.95
    return float(_osa(x, y))


def _slips_apart(x: str, y: str, similarity: float) -> bool:
    """Whether two name parts may be one name written with slips: a nickname or initial, or a few
    edits for the shorter one's length (one up to four letters, two up to eight, three beyond), so
    "Aym" is "Amy" but "Ada" is not "Radia"."""
    if similarity >= 0.9:
        return True
    shortest = min(len(x), len(y))
    allowed = 1 if shortest <= 4 else 2 if shortest <= 8 else 3
    return similarity >= 0.6 and _osa_distance(x, y) <= allowed


def _rotations(b: tuple[str, ...]) -> list[tuple[str, ...]]:
    return [b[k:] + b[:k] for k in range(len(b))]


def name_similarity(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """1 − Levenshtein/max_len on the names [match-scoring], with nicknames, initials, typos (two
    swapped letters count once), another order and a split or joined part ("Newb Ofund", "Macgo Wan")
    understood; capped at 0.30 when two multi-token names differ in the first or the last token."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    sa, sb = " ".join(a), " ".join(b)
    base = _sim(sa, sb)
    if len(a) == 1 and len(b) == 1:
        return max(base, token_similarity(a[0], b[0]))
    if len(a) < 2 or len(b) < 2:
        return base
    if len(a) == len(b) > 2 and sorted(a) == sorted(b):
        return 0.97  # the same parts in another order (two parts: the swapped variant below)
    best = 0.0
    variants = [b] + ([(b[-1], b[0])] if len(b) == 2 else _rotations(b)[1:])
    for v in variants:
        f = token_similarity(a[0], v[0])
        last = token_similarity(a[-1], v[-1])
        if not (_slips_apart(a[0], v[0], f) and _slips_apart(a[-1], v[-1], last)):
            best = max(best, min(base, 0.30))
            continue
        if 0.9 <= f < 1.0:  # nickname or initial: compare as if the given names agreed
            s = _osa(f"{a[0]} {a[-1]}", f"{a[0]} {v[-1]}") * f
        else:
            s = _osa(f"{a[0]} {a[-1]}", f"{v[0]} {v[-1]}")
        if v is not b:
            s *= 0.97  # another order is a little weaker
        best = max(best, s, base if v is b else 0.0)
    if len(a) != len(b):
        # a part split in two or two parts run together: the letters, in some order of the parts
        joined = "".join(a)
        best = max(best, 0.97 * max(_osa(joined, "".join(v)) for v in _rotations(b)))
    return min(best, 1.0)


COMPATIBLE = 0.8  # name_similarity at or above this: the same person's name as far as names can tell


def names_compatible(a: tuple[str, ...], b: tuple[str, ...], similarity: float | None = None) -> bool:
    """Whether two names may belong to one person as their tokens tell: the same name up to nicknames,
    initials, transliteration, order and typos; or one of them missing, or shorter with nothing that
    contradicts the longer ("Ada" and "Ada Lovelace", "Maria Garcia" and "Maria Garcia Lopez"). "Anna
    Berg" and "Erik Berg" are not. A shared key asks more (`name_agreement` [shared-keys]). `similarity`:
    their `name_similarity`, when the caller has it already (the scan compares many pairs)."""
    if not a or not b:
        return True
    if (name_similarity(a, b) if similarity is None else similarity) >= COMPATIBLE or run_together(a, b):
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) == len(long_):
        return False
    # every token of the shorter name stands, in order, for a token of the longer one: the same part up
    # to a nickname or initial, or, for parts of five letters or more, a few slips ("Waller" for
    # "Jamilla Wallner"; short parts stay strict: "Ada" is not "Adam")
    it = iter(long_)
    return all(any(_stands_for(t, u) for u in it) for t in short)


def _stands_for(t: str, u: str) -> bool:
    sim = token_similarity(t, u)
    return sim >= 0.9 or (min(len(t), len(u)) >= 5 and _slips_apart(t, u, sim))


# how far two names agree for a key they share [shared-keys]
SAME = "same"  # one name: equal up to transliteration, order, an unambiguous nickname, a family-name typo
WEAK = "weak"  # agreeing only through an initial or a nickname of two names ("Chris", "Sam", "Alex")
CONFLICT = "conflict"  # two people's names, or a given name letters away from the other ("Dan", "Dana")
_RANK = {CONFLICT: 0, WEAK: 1, SAME: 2}
# letters a transliteration writes two ways: an umlaut as its vowel and "e" ("Müller", "Mueller"), a
# Russian ending and "x" ("Sergey" and "Sergei", "Dmitriy" and "Dmitrii", "Aleksey" and "Alexei"); not
# "y" and "i" at large ("Tony" and "Toni" are two people)
_TRANSLIT_FORMS = (
    (re.compile(r"(?<=[aou])e(?=[^aeiouy])"), ""),
    (re.compile(r"ey$"), "ei"),
    (re.compile(r"i[iy]$"), "i"),
    (re.compile("ks"), "x"),
)


def name_agreement(a: Name, b: Name) -> str:
    """SAME, WEAK or CONFLICT: how far two names agree that one person holds a key both records carry
    [shared-keys], whichever of the two is compared with the other: the weaker of `_agreement` read both
    ways. The scan compares a later contact's name with an earlier one's, an import a record's with its
    holder's, and `pcrm identity matches --explain` a pair in its own order: read one way only, "Anna
    Berg" agreed with "Berg Anna Maria" and not the reverse, and the explanation promised a merge the scan
    never made."""
    if a == b:
        return SAME
    first = _agreement(a, b)
    if first == CONFLICT:
        return first
    return min(first, _agreement(b, a), key=_RANK.__getitem__)


def _agreement(a: Name, b: Name) -> str:
    """How far name `a` agrees with name `b` [shared-keys]. Conflicting markers (`markers_conflict`) or
    incompatible names (`names_compatible`) are
    a CONFLICT, and so are two full middle names that disagree (`middles_agree`: "John Albert Smith" and
    "John Robert Smith"), and a given name that agrees only up to a letter-level slip ("Dan" and "Dana",
    "Mario" and "Maria", "Paul" and "Paula": usually another person's name, often the other gender's; a
    real typo costs one look). A given or family name that agrees only through an initial or a nickname
    of two names is WEAK, and so is a title with a family name alone against a name with a given name
    ("Mr Kim", "Jane Kim": `family_name_alone`). A missing name, a first name alone, another order, a
    family-name typo and an unambiguous nickname ("Bob" for Robert) are SAME. A name written without a
    word (`Name.label`: "🙂", "★") agrees only with the same label, and a part that is a number only with
    the same number ("Unit 100", "Unit 200"; "Flat 1", "Flat 12"): a number is no typo and no initial.
    Two names numbered otherwise ("Flat1", "Flat12": `numbers_differ`), a name numbered against the same
    name without a number ("John Smith 2", "John Smith": `numbered_once`) and two names marked by other
    emoji or symbols ("Anna 🙂", "Anna 😀"; "Anna", "Anna 🙂": `marks_differ`) are two entries the user
    told apart."""
    if not a or not b:
        return SAME  # a record without a name [shared-keys]
    if a == b:
        return SAME  # the same name, as a re-import brings it: nothing below tells it from itself
    if a.label or b.label:  # a name without words: the same label written alike, else two labels
        return SAME if a.label == b.label else CONFLICT
    words = min(len(a.tokens), len(b.tokens))
    if marks_differ(a.marks, b.marks, words) or _numbered_apart(a.tokens, b.tokens):
        # "Anna 🙂" and "Anna 😀", "Flat 1" and "Flat 12", "John Smith 2" and "John Smith": two entries
        # the user told apart
        return CONFLICT
    if markers_conflict(a.markers, b.markers) or not names_compatible(a.tokens, b.tokens):
        return CONFLICT
    x, y = a.tokens, b.tokens
    if run_together(x, y):
        return SAME  # the same letters, a part split or joined ("Mary Ann", "Maryann") or turned round
    verdicts = [_verdict(pairs) for pairs in _alignments(x, y)]
    verdict = max(verdicts, key=_RANK.__getitem__, default=CONFLICT)
    if family_name_alone(a, b):
        return min(verdict, WEAK, key=_RANK.__getitem__)
    return verdict


def run_together(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two names are the same letters, parts split or run together, in any order of either's
    parts: "Mary Ann" and "Maryann", "王小明" and "王 小明", and "王小明" and "小明 王" (a given and a family
    name as a messenger's two fields hold them; run together, the family name comes first), whichever of
    the two is compared with the other."""
    if len(a) == len(b) == 1:
        return a == b
    ja, jb = "".join(a), "".join(b)
    return len(ja) == len(jb) and (
        any(ja == "".join(v) for v in _rotations(b)) or any(jb == "".join(v) for v in _rotations(a))
    )


def _numbered_apart(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """`numbers_differ` or `numbered_once`, reading each name's number once."""
    x, y = name_number(a), name_number(b)
    return x != y


class Named(Protocol):
    """A parsed name's parts `family_name_alone` reads: a `Name`, or the matcher's `Person`."""

    @property
    def tokens(self) -> tuple[str, ...]: ...

    @property
    def family_only(self) -> bool: ...


def family_name_alone(a: Named, b: Named) -> bool:
    """Whether one name is a title with a family name alone ("Mr Kim", "Dr Park") and the other has a
    given name too ("Jane Kim"): the family name is all they share, and a household or a firm shares it,
    so it is no more than an initial would be [shared-keys]."""
    return (a.family_only and len(b.tokens) >= 2) or (b.family_only and len(a.tokens) >= 2)


def _fold(part: str) -> str:
    for pattern, repl in _TRANSLIT_FORMS:
        part = pattern.sub(repl, part)
    return part


def _part_agreement(x: str, y: str) -> str:
    """How two parts that stand for each other agree: SAME (equal up to transliteration, or nicknames of
    exactly the same names: "Bob" and "Robert"), WEAK (an initial, or a nickname that is also another
    name's: "Chris" is Christopher's and Christina's) or CONFLICT (a slip of letters, or two parts that
    differ where either is a number)."""
    if x == y:
        return SAME
    if _numbered(x) or _numbered(y):
        return CONFLICT
    if _fold(x) == _fold(y):
        return SAME
    if _initial(x) or _initial(y):
        return WEAK
    gx, gy = _GROUPS_OF.get(x, set()), _GROUPS_OF.get(y, set())
    if gx and gx == gy:
        return SAME
    return WEAK if not gx.isdisjoint(gy) else CONFLICT


def other_given_name(x: str, y: str, *, slips: bool = True) -> bool:
    """Whether two given names (folded tokens) are two names: not one up to transliteration, an initial
    ("E" and "Elif") or nicknames of one name ("Kate", "Katherine"), and (with `slips`) more than a slip
    of letters apart (`_slips_apart`: "Jonh" may be John). "Elif" and "Elizabeth", "Jose" and "Jonas" are
    two; without `slips`, so are "Priya" and "Freya"."""
    if not x or not y:
        return False
    if _initial(x) or _initial(y):
        return x[0] != y[0]
    if _part_agreement(x, y) != CONFLICT:
        return False
    return not slips or not _slips_apart(x, y, token_similarity(x, y))


# parts that stand for each other, each with its role: "given" names, "family" names, "middle" names, or
# "unknown" (two one-word names, or two names turned round); "middles" pairs the middle names of two names
# whose first and last parts stand for each other, each side's written as one text
Alignment = list[tuple[str, str, str]]


def _alignments(a: tuple[str, ...], b: tuple[str, ...]) -> list[Alignment]:
    """The ways the parts of two names may stand for each other, as `names_compatible` allows them: first
    and last parts in order, or turned round, and the parts of a shorter name in order among the longer
    one's (the shorter one's first part is a given name only where it stands for the longer one's; a part
    between its first and last one standing for one between the longer one's is a middle name)."""
    if len(a) == 1 and len(b) == 1:
        return [[(a[0], b[0], "unknown")]]
    out: list[Alignment] = []
    if len(a) >= 2 and len(b) >= 2:
        for v in _rotations(b):
            if _close(a[0], v[0]) and _close(a[-1], v[-1]):
                first, last = ("given", "family") if v is b else ("unknown", "unknown")
                middles = [(" ".join(a[1:-1]), " ".join(v[1:-1]), "middles")] if len(a) > 2 < len(v) else []
                out.append([(a[0], v[0], first), (a[-1], v[-1], last), *middles])
    if len(a) != len(b):
        short, long_ = (a, b) if len(a) < len(b) else (b, a)
        pairs: Alignment = []
        k = 0
        for i, t in enumerate(short):
            k = next((j for j in range(k, len(long_)) if _stands_for(t, long_[j])), -1)
            if k < 0:
                break
            middle = 0 < i < len(short) - 1 and k < len(long_) - 1
            pairs.append((t, long_[k], "given" if k == 0 else "middle" if middle else "family"))
            k += 1
        else:
            out.append(pairs)
    return out


def _close(x: str, y: str) -> bool:
    return _slips_apart(x, y, token_similarity(x, y))


def _verdict(pairs: Alignment) -> str:
    """One alignment's agreement: its weakest pair, where a slip of letters in a family name does not
    count (a typo of one person's name: "Wallner" and "Waller"), but in a given name, or a part whose
    role is unknown, does. Middle names either agree (`middles_agree`: one missing, an initial, a nickname
    say nothing against one person) or are a CONFLICT: "John Albert Smith" and "John Robert Smith" are a
    father and his son, a letter apart or not."""
    verdict = SAME
    for x, y, role in pairs:
        if role == "middles":
            part = SAME if middles_agree(tuple(x.split()), tuple(y.split())) else CONFLICT
        elif role == "middle":
            part = SAME if _middle_agrees(x, y) else CONFLICT
        else:
            part = _part_agreement(x, y)
            if part == CONFLICT and role == "family" and not (_numbered(x) or _numbered(y)):
                part = SAME
        verdict = min(verdict, part, key=_RANK.__getitem__)
    return verdict


def middles_agree(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two names' middle names (folded tokens) may be one person's [shared-keys]: either has none,
    or each of the fewer stands, in order, for one of the others (the same name up to transliteration, an
    initial or a nickname: "A" for Albert, "Bob" for Robert; "Ann" and "Anna Maria" do not), or the two
    are one slip of a letter apart and five characters long or more ("Albret" for Albert, "van't" typed
    "van'wt"; a digit is no slip). Two full middle names that differ ("Albert", "Robert"; "Jon", "Jan";
    "Number10000", "Number20000") are two people's."""
    if a and b:
        x, y = " ".join(a), " ".join(b)
        digits = any(c.isdigit() for c in x + y)
        if not digits and min(len(x), len(y)) >= 5 and _osa_distance(x, y) <= 1:
            return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    it = iter(long_)
    return all(any(_middle_agrees(t, u) for u in it) for t in short)


def _middle_agrees(x: str, y: str) -> bool:
    """Whether two middle names may be one: an initial of the other ("A", "Albert"; not "R"), or not a
    CONFLICT by `_part_agreement`."""
    if _initial(x) or _initial(y):
        return x[0] == y[0]
    return _part_agreement(x, y) != CONFLICT


def middle_names_differ(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two names of three parts or more whose first and last parts agree (in order or turned
    round) tell two people apart by their middle names (`middles_agree`): "John Albert Smith" and "John
    Robert Smith", a father and his son on one landline. The scorer asks, never merges, such a pair
    [match-scoring]."""
    if len(a) < 3 or len(b) < 3 or any("".join(a) == "".join(v) for v in _rotations(b)):
        return False  # the same letters, split elsewhere ("Nortonb Aker", "Norton Baker")
    ends = [v for v in _rotations(b) if _close(a[0], v[0]) and _close(a[-1], v[-1])]
    return bool(ends) and not any(middles_agree(a[1:-1], v[1:-1]) for v in ends)


def alias_similarity(aliases: tuple[str, ...], forms: tuple[str, ...], tokens: tuple[str, ...]) -> float:
    """How well an email local part or handle spells a name: 'ada.lovelace', 'adalovelace' and
    'alovelace' all stand for Ada Lovelace."""
    if not aliases or not forms:
        return 0.0
    initial = tokens[0][0] + tokens[-1] if len(tokens) >= 2 else None
    best = 0.0
    for alias in aliases:
        for form in forms:
            s = _sim(alias, form)
            if form == initial:
                s *= 0.9
            best = max(best, s)
    return best


def _scripts(text: str) -> list[str]:
    """The scripts a name's letters are written in, as Unicode names them ("Latin", "Greek", "Cyrillic")."""
    seen: dict[str, None] = {}
    for ch in text:
        if ch.isalpha():
            seen.setdefault(unicodedata.name(ch, "?").split()[0].title(), None)
    return list(seen)


def agreement_words(a: str, b: str) -> str:
    """How two names that agree are one, in words, for an explanation [review-queue]: "Λουκάς
    Κωνσταντίνου and Loukas Konstantinou are one name in Greek and in Latin letters", "the same name",
    "the same name, its parts in another order or run together", or one name up to a nickname, an
    initial, a typo or a shorter form. `a` and `b` as written."""
    x, y = name_tokens(a), name_tokens(b)
    if not x or not y:
        return "one of them has no name" if not (name_label(a) or name_label(b)) else "the same label"
    sa, sb = _scripts(a), _scripts(b)
    scripts = f" in {' and '.join(sa)} and in {' and '.join(sb)} letters" if sa != sb and sa and sb else ""
    if x == y:
        return f"{a} and {b} are one name{scripts}" if scripts else "the same name"
    if sorted(x) == sorted(y) or run_together(x, y):
        return f"the same name{scripts}, its parts in another order or run together"
    return f"one name{scripts}, up to a nickname, an initial, a typo or a shorter form"
