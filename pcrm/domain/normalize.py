"""Normalisation rules [value-normalisation], used by every write path."""

from __future__ import annotations

import contextlib
import re
import unicodedata
from functools import lru_cache
from typing import Any

from pcrm.domain import name_parts
from pcrm.domain.scripts import latin_spelling, marked_letters

# an address as typed alone: one @, a dot after it, and none of the characters that write an address with a
# name, a comment or beside another (< > " ( ) , ;) nor a space [not-an-address]
_EMAIL = re.compile(r'^[^@\s<>"(),;]+@[^@\s<>"(),;]+\.[^@\s<>"(),;]+$')


def email(value: str | None) -> str | None:
    """Trim and lowercase; plus-aliases are kept. Empty gives None."""
    if value is None:
        return None
    v = value.strip().lower()
    v = v.removeprefix("mailto:")
    return v or None


def is_email(value: str) -> bool:
    return bool(_EMAIL.match(value))


def handle(value: str | None, platform: str | None = None) -> str | None:
    """Telegram/X/Instagram handles: trim, strip the leading @s, lowercase. With the platform, its profile
    address pasted whole is its handle (`https://x.com/Ada_L` is ada_l for twitter, `t.me/ada` ada for
    telegram) [value-normalisation]."""
    if value is None:
        return None
    v = value.strip()
    hosts = _PROFILE_HOSTS.get(platform or "")
    if hosts and "/" in v and (m := _PROFILE_ADDRESS.fullmatch(v)) and m.group(1).lower() in hosts:
        v = m.group(2)
    v = v.lstrip("@")  # '@@ada' is ada, as in the `me` setting [me-setting]
    v = v.strip().lower()
    return v or None


def not_a_handle(value: str) -> bool:
    """A handle as handle() left it that no platform gives: with a space, a slash, an @ or a + inside
    (another site's address, a phrase, an email, a phone number, a Telegram invite link `t.me/+AbCd`)."""
    return any(c.isspace() or c in "/@+" for c in value)


# the sites whose profile address holds a contact's handle, by the platform of its identity
_PROFILE_HOSTS = {
    "twitter": frozenset({"x.com", "twitter.com"}),
    "telegram": frozenset({"t.me", "telegram.me"}),
    "instagram": frozenset({"instagram.com"}),
}
# a profile address: http(s) or no scheme, www./mobile./m., the host, one path part (an @ before it, a
# trailing slash, a query or fragment allowed)
_PROFILE_ADDRESS = re.compile(
    r"(?:https?://)?(?:(?:www|mobile|m)\.)?([a-z.]+)/@?([^/?#\s]+)/?(?:[?#]\S*)?", re.IGNORECASE
)


def phone_digits(value: str | None) -> str | None:
    if value is None:
        return None
    d = re.sub(r"\D", "", value)
    return d or None


# The one stored form of an extension: RFC 3966's parameter, after the E.164 line [value-normalisation].
EXT = ";ext="

# An extension written after a number `phonenumbers` could not parse (no region for a national number):
# `;ext=9`, `ext 9`, `ext. 9`, `extension 9`, `x9`, `#9`, `,9` at the end. The same markers it knows.
_EXT_TAIL = re.compile(r"(?:;\s*ext\s*=|ext(?:ension)?\.?|x|#|,)\s*(\d{1,10})\s*#?\s*$", re.IGNORECASE)


@lru_cache(maxsize=8192)  # pure; imports normalise each number twice (validation, then parse_contact)
def phone(value: str | None, region: str | None = None) -> str | None:
    """E.164 when `phonenumbers` can parse it (with `region` for national numbers), else digits
    only, keeping a leading + when the input had one. An extension follows as `;ext=DIGITS`, never glued
    onto the number. Empty gives None [value-normalisation]."""
    if value is None or not value.strip():
        return None
    raw = value.strip()
    with contextlib.suppress(Exception):
        import phonenumbers

        num = phonenumbers.parse(raw, (region or "").upper() or None)
        if phonenumbers.is_possible_number(num):
            line = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
            return line + EXT + num.extension if num.extension else line
    ext: str | None = None
    m = _EXT_TAIL.search(raw)
    if m and phone_digits(raw[: m.start()]):
        raw, ext = raw[: m.start()].strip(), m.group(1)
    raw = raw.removeprefix("tel:").removeprefix("TEL:").strip()
    digits = phone_digits(raw)
    if digits is None:
        return None
    line = ("+" + digits) if raw.startswith("+") else digits
    return line + EXT + ext if ext else line


# E.164: an international number has at most 15 digits, its country code included [value-normalisation].
PHONE_MAX_DIGITS = 15
# What a number typed without a country code may carry in front of the international one: a dialling
# prefix (00 in most of the world, 011 from North America, 0011 from Australia), read off before counting.
_DIAL_OUT = re.compile(r"^(?:0011|011|00)")


@lru_cache(maxsize=8192)
def phone_refusal(value: str | None, region: str | None = None) -> str | None:
    """Why `value` cannot be a phone number, else None [value-normalisation]: no number in it (fewer than 3
    digits), more than 15 digits on its line (its extension apart; a number without a country code counts
    after a leading dialling prefix), or, written with a + and a country code `phonenumbers` knows, longer
    than that country's numbers. A number without a country code is never held to `region`'s lengths: it may
    be a foreign one typed without its +."""
    norm = phone(value, region)
    digits = phone_line_digits(norm) if norm else ""
    if len(digits) < 3:
        return "not a phone number"
    line = split_phone(norm or "")[0]
    counted = digits if line.startswith("+") else _DIAL_OUT.sub("", digits)
    if len(counted) > PHONE_MAX_DIGITS:
        return f"{len(counted)} digits, and a phone number has at most {PHONE_MAX_DIGITS}"
    if line.startswith("+"):  # typed with its country code (or placed in E.164 under `region`)
        with contextlib.suppress(Exception):
            import phonenumbers

            num = phonenumbers.parse(line, None)
            reason = phonenumbers.is_possible_number_with_reason(num)
            if reason == phonenumbers.ValidationResult.TOO_LONG:
                return f"too long for a number of country code +{num.country_code}"
    return None


def split_phone(stored: str) -> tuple[str, str | None]:
    """A stored number as (line, extension or None): "+442079460958;ext=9" -> ("+442079460958", "9")."""
    line, sep, ext = stored.partition(EXT)
    return line, (ext or None) if sep else None


def phone_line_digits(stored: str) -> str:
    """The digits of a stored number's line, without its extension: what identity compares
    [deterministic-merges]. Digits of the whole value would glue the extension onto the number."""
    return phone_digits(split_phone(stored)[0]) or ""


def readable_phone(stored: str) -> str:
    """A stored number as people write it, for text that names a number no contact shows as typed:
    "+442079460958;ext=9" -> "+44 20 7946 0958 ext. 9". Digits `phonenumbers` cannot place stay as
    stored, the extension written out."""
    line, ext = split_phone(stored)
    shown = line
    with contextlib.suppress(Exception):
        import phonenumbers

        if line.startswith("+"):
            num = phonenumbers.parse(line, None)
            if phonenumbers.is_possible_number(num):
                shown = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return f"{shown} ext. {ext}" if ext else shown


def phones_match(a: str, b: str) -> bool:
    """Whether two stored numbers reach the same phone [value-normalisation]: the same line (digits) and
    the same extension, or no extension on one side (the switchboard reaches the desk). Two different
    extensions of one line are two phones. Not transitive: the bare line matches every extension of it,
    which is why a line held by three or more contacts is a shared line [shared-keys]."""
    la, ea = split_phone(a)
    lb, eb = split_phone(b)
    if ea is not None and eb is not None and ea != eb:
        return False
    da = phone_digits(la)
    return da is not None and da == phone_digits(lb)


def tag(value: str) -> str:
    """Trimmed, lowercased, inner spaces collapsed and Unicode in its composed form (NFC), so a `café`
    typed with a combining accent is the same tag as one typed with `é` [value-normalisation]."""
    v = " ".join(value.strip().lower().split())
    return v if v.isascii() else unicodedata.normalize("NFC", v)


def tags(values: list[str] | None) -> list[str]:
    """Trim, lowercase and dedupe while keeping order."""
    out: list[str] = []
    for v in values or []:
        t = tag(v)
        if t and t not in out:
            out.append(t)
    return out


def fold(value: str | None) -> str:
    """Case-insensitive comparison key (Unicode casefold, NFKC, collapsed spaces)."""
    if not value:
        return ""
    if value.isascii():  # NFKC changes no ASCII text and casefold is lower() there
        return " ".join(value.lower().split())
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


# an emoji's presentation selectors (text or emoji style: "❤" and "❤️") draw the same character
_SELECTORS = dict.fromkeys((0xFE0E, 0xFE0F))


def spelling(value: str | None) -> str:
    """A name as it is written, up to case and whitespace (`fold`, emoji presentation selectors aside): two
    names of one spelling are one value, while any other character shown (an emoji, a symbol, punctuation,
    an accent: "Grace 🧤 💍" beside "Grace 🧤") makes another name of the person, kept [telegram-names]."""
    return fold(value).translate(_SELECTORS)


_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):", re.IGNORECASE)
_PROFILE_PATH = re.compile(r"/(?:mwlite/)?in/([^/]+)", re.IGNORECASE)


_SPACE = re.compile(r"\s")
# the common shapes of a profile address, all ASCII: answered without splitting the URL (an import reads
# two per row); anything else (ports, user parts, percent escapes, other scripts) takes the full path
_PLAIN_PROFILE = re.compile(
    r"(?:(?:https?:)?//)?(?:[a-z0-9-]+\.)*linkedin\.com\.?/(?:mwlite/)?in/([a-z0-9_-]+)(?:[/?#][!-~]*)?",
    re.IGNORECASE,
)
_PLAIN_SLUG = re.compile(r"[A-Za-z0-9_-]+")
# the same shape with a slug in another script ("anita-müller-4"): `\w` is what str.isalnum() accepts, plus
# "_", as `_slug` checks; a slug with combining marks or percent escapes still takes the full path
_WORD_PROFILE = re.compile(
    r"(?:(?:https?:)?//)?(?:[a-z0-9-]+\.)*linkedin\.com\.?/(?:mwlite/)?in/([\w-]+)(?:[/?#][!-~]*)?",
    re.IGNORECASE,
)


def web_link(value: str) -> bool:
    """Whether `value` is safe to show as a link or an image source [safe-links]: an http(s) address, or one
    with no scheme (`example.com`, `//cdn.example.com/a.png`, a local path such as `/static/avatars/ID.jpg`).
    Another scheme (`javascript:`, `data:`, `vbscript:`, `file:`) or a space or control character is not."""
    v = value.strip()
    if not v or has_control(v) or _SPACE.search(v):
        return False
    m = _SCHEME.match(v)
    return m is None or (m.group(1).lower() in ("http", "https") and v[m.end() :].startswith("//"))


def site_address(value: str) -> bool:
    """Whether `value` names a web site: a web_link whose host has a dot between two names
    (`analytical.io`, `https://www.analytical.io/about`), not a word (`notaurl`) or a local path, which no
    logo or link reaches."""
    v = value.strip()
    if not web_link(v):
        return False
    rest = v.split("//", 1)[1] if "//" in v else v
    host = re.split(r"[/?#]", rest, maxsplit=1)[0].rsplit("@", 1)[-1].split(":", 1)[0]
    names = host.split(".")
    return len(names) >= 2 and all(names)


def _linkedin_address(value: str) -> Any:
    """`value` split as a web address on linkedin.com or one of its subdomains (http(s) or no scheme, no
    user part), or None [linkedin-urls]."""
    from urllib.parse import urlsplit

    v = value.strip()
    if not web_link(v) or (v.startswith("/") and not v.startswith("//")):
        return None
    parts = urlsplit(v if _SCHEME.match(v) or v.startswith("//") else "//" + v)
    host = (parts.hostname or "").rstrip(".")
    if "@" in parts.netloc or not (host == "linkedin.com" or host.endswith(".linkedin.com")):
        return None
    return parts


def _slug(text: str) -> str | None:
    """A profile slug, percent escapes decoded: letters (with their combining marks), digits, hyphens and
    underscores only; None for anything else."""
    from urllib.parse import unquote

    s = unquote(text).strip()
    ok = bool(s) and all(c.isalnum() or c in "-_" or unicodedata.category(c)[0] == "M" for c in s)
    return s if ok else None


def linkedin_profile_id(url_or_id: str | None) -> str | None:
    """The profile's slug, lowercased, from a linkedin.com `/in/<slug>` address (http(s) or no scheme, any
    subdomain, query or trailing slash), or a bare slug (letters, digits, hyphens, underscores, percent
    escapes); the anonymised `ACo…` member id as is. Anything else (another scheme or host, spaces, a
    slug holding other characters) gives None [linkedin-urls]."""
    if not url_or_id:
        return None
    v = url_or_id.strip()
    if v.isascii():
        if _PLAIN_SLUG.fullmatch(v):
            return v if v.startswith("ACo") else v.lower()
        if plain := _PLAIN_PROFILE.fullmatch(v):
            return plain.group(1).lower()
    elif plain := _WORD_PROFILE.fullmatch(v):
        return plain.group(1).lower()
    return _profile_id_parsed(v)


def _profile_id_parsed(v: str) -> str | None:
    """linkedin_profile_id for any input, the URL split and every character checked."""
    if "/" not in v:
        slug = _slug(v)
        if slug is not None:
            return slug if slug.startswith("ACo") else slug.lower()
    parts = _linkedin_address(v)
    m = _PROFILE_PATH.match(parts.path) if parts is not None else None
    slug = _slug(m.group(1)) if m else None
    return slug.lower() if slug else None


def linkedin_url_ok(value: str, *, profile: bool = True) -> bool:
    """Whether `value` may be stored as a LinkedIn URL [linkedin-urls]: a linkedin.com address (a profile
    address's slug must be one) or, for a person (profile=True), a bare slug or member id."""
    if profile and linkedin_profile_id(value) is not None:
        return True
    parts = _linkedin_address(value)
    return parts is not None and (not profile or not _PROFILE_PATH.match(parts.path))


def linkedin_url(value: str | None) -> str | None:
    """A LinkedIn URL as stored: trimmed, its trailing slash dropped; None when empty. Check it first with
    linkedin_url_ok."""
    if not value or not value.strip():
        return None
    return value.strip().rstrip("/")


def full_name(full: str | None, given: str | None, family: str | None) -> str | None:
    if full and full.strip():
        return " ".join(full.split())
    parts = [p.strip() for p in (given, family) if p and p.strip()]
    return " ".join(parts) or None


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control(text: str) -> bool:
    """Control characters no name, note or handle holds (tab, newline and carriage return are allowed).
    SQLite's own text functions stop at a NUL, so one would also corrupt searches and checks."""
    return _CONTROL.search(text) is not None


INDEXED_TERM_MIN = (
    3  # the FTS5 trigram index serves terms this long; shorter ones are a full scan [contact-search]
)


def _latin_plain() -> dict[int, str]:
    """Latin letters with diacritics (Latin-1 Supplement to Latin Extended-B, and Latin Extended
    Additional: Vietnamese "ễ", "ặ", Welsh "ẁ") -> their base letters, plus the Latin letters NFKD leaves
    whole (ø, ł, đ, ı, ...), those whose base is one of them ("ǿ" -> "o", "ǽ" -> "ae") and the dot above a
    casefolded "İ" leaves; typographic apostrophes and hyphens -> ' and -."""
    more = {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h"}
    table: dict[int, str] = {}
    for cp in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        base = "".join(c for c in unicodedata.normalize("NFKD", chr(cp)) if not unicodedata.combining(c))
        base = "".join(more.get(c, c) for c in base.lower())
        if base and base != chr(cp) and base.isascii():
            table[cp] = base
    table.update({ord(k): v for k, v in more.items()})
    table[0x307] = ""  # "İ".casefold() is "i" + U+0307
    # the typographic apostrophes and hyphens a phone's keyboard or a word processor types, as the ASCII ones:
    # "o’b" finds "O'Brien" as "o'b" does, "jean–" "Jean-Luc" as "jean-" does (and the reverse)
    table.update(dict.fromkeys((0x2018, 0x2019, 0x2BC), "'"))
    table.update(dict.fromkeys(range(0x2010, 0x2015), "-"))
    return table


# The invisible format characters (Unicode category Cf, as of Unicode 15) text pasted from a web page, a PDF
# or a phone carries inside words: zero-width space, non-joiner and joiner, word joiner, BOM, soft hyphen, the
# direction marks and embeddings, the Arabic number signs, tag characters [search-spellings]. A term or a
# name holding one matched nothing typed without it. tests/domain/test_normalize.py checks the ranges
# against Python's Unicode database.
INVISIBLE_RANGES = (
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
)
_INVISIBLE = re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in INVISIBLE_RANGES) + "]")
# The zero-width non-joiner and joiner are spelling between letters of Persian, Indic scripts and emoji
# ("می‌خواهم"): a term keeps them there, for message text, which is searched as written; next to a Latin
# letter, a digit, a space or at an end they are what a paste left, and go. The documents' fold (search_fold)
# drops them all [search-spellings].
SPELLING_JOINERS = "\u200c\u200d"
NO_JOINERS = dict.fromkeys(map(ord, SPELLING_JOINERS))  # str.translate's table dropping them
_LOOSE_JOINERS = re.compile(r"(?<![^\x00-\x7f])[\u200c\u200d]+|[\u200c\u200d]+(?![^\x00-\x7f])")
_INVISIBLE_IN_TERM = re.compile(f"(?![{SPELLING_JOINERS}])" + _INVISIBLE.pattern)  # but the joiners


def _search_plain() -> dict[int, str]:
    """_latin_plain's table, Greek and Cyrillic letters without their marks (but "й" and "ї") and the
    combining marks NFKC leaves dropped (scripts.marked_letters), and the invisible format characters
    dropped."""
    table = _latin_plain()
    table.update(marked_letters())
    for a, b in INVISIBLE_RANGES:
        table.update(dict.fromkeys(range(a, b + 1), ""))
    return table


_LATIN_PLAIN = _search_plain()


# The letters of message text its trigram index would keep as they are (FTS5's remove_diacritics folds only
# the letters written with a combining accent), written as the contacts' documents write them [contact-
# search]: letters of their own (ß, ø, ł, đ, ð, þ, æ, œ, ħ, ı and their capitals), those whose base is one of
# them (ǽ, ǿ), the Latin digraphs (ĳ, ǆ, ǉ, ǌ), the ligatures NFKC writes apart (ﬁ, ﬂ), a word-final sigma as
# the other one (casefold writes "σ"), and the typographic apostrophes and hyphens as ' and - (a phone types
# "don’t", a word processor "2–3"). schema_m043_message_letters.sql folds the text with this table (the index
# is made from it), message_letters the term; tests/store/test_message_search.py checks that every letter
# search_fold writes in ASCII is found so in a message.
MESSAGE_LETTERS = {
    "ß": "ss",
    "ẞ": "ss",
    "æ": "ae",
    "Æ": "ae",
    "ǽ": "ae",
    "Ǽ": "ae",
    "ǣ": "ae",
    "Ǣ": "ae",
    "œ": "oe",
    "Œ": "oe",
    "ø": "o",
    "Ø": "o",
    "ǿ": "o",
    "Ǿ": "o",
    "ð": "d",
    "Ð": "d",
    "đ": "d",
    "Đ": "d",
    "þ": "th",
    "Þ": "th",
    "ħ": "h",
    "Ħ": "h",
    "ı": "i",
    "ł": "l",
    "Ł": "l",
    "ĳ": "ij",
    "Ĳ": "ij",
    "ǆ": "dz",
    "ǅ": "dz",
    "Ǆ": "dz",
    "ǳ": "dz",
    "ǲ": "dz",
    "Ǳ": "dz",
    "ǉ": "lj",
    "ǈ": "lj",
    "Ǉ": "lj",
    "ǌ": "nj",
    "ǋ": "nj",
    "Ǌ": "nj",
    "ǡ": "a",
    "Ǡ": "a",
    "ﬀ": "ff",
    "ﬁ": "fi",
    "ﬂ": "fl",
    "ﬃ": "ffi",
    "ﬄ": "ffl",
    "ﬅ": "st",
    "ﬆ": "st",
    "ς": "σ",
    "\u2018": "'",
    "\u2019": "'",
    "\u02bc": "'",
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
}
_MESSAGE_LETTERS = str.maketrans(MESSAGE_LETTERS)


def message_letters(term: str) -> str:
    """A casefolded term with MESSAGE_LETTERS written as the messages' index holds them ("łódź" -> "lodz",
    "søren" -> "soren", "λόγος" -> "λόγοσ"); the accents FTS5 folds itself stay."""
    return term if term.isascii() else term.translate(_MESSAGE_LETTERS)


# Letters and symbols that show as a blank space, which Unicode does not count as spaces: the Braille
# pattern blank and the Hangul fillers (choseong, jungseong, the compatibility and the halfwidth one). A
# messenger's "empty" display name is typed with them, since it refuses spaces alone. Like the invisible
# format characters, a text of nothing else is blank, and a name is compared without them [shared-keys].
BLANK_FILLERS = "\u115f\u1160\u2800\u3164\uffa0"
FILLERS_AS_SPACES = dict.fromkeys(map(ord, BLANK_FILLERS), " ")
# and the marks that show nothing without a letter to sit on: the combining grapheme joiner, the Khmer
# inherent vowels, the Mongolian free variation selectors, the variation selectors
_NOTHING_ALONE = dict.fromkeys(
    (0x034F, 0x17B4, 0x17B5, 0x180B, 0x180C, 0x180D, 0x180F, *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0))
)


def blank(text: str | None) -> bool:
    """Whether a text holds nothing to see: empty, spaces, or only invisible format characters (a zero-width
    space pasted alone), blank fillers ("\u2800", "\u3164") and marks with nothing to sit on: such a name,
    note or tag is no value, and is refused or dropped as an empty one is [text-limits]."""
    if not text:
        return True
    if text.isascii():
        return not text.strip()
    return not without_invisible(text).translate(FILLERS_AS_SPACES).translate(_NOTHING_ALONE).strip()


def without_invisible(text: str) -> str:
    """`text` without the invisible format characters of INVISIBLE_RANGES, joiners included."""
    return text if text.isascii() else _INVISIBLE.sub("", text)


def visible(text: str) -> str:
    """`text` as a table shows it [terminal-text]: without the invisible format characters (zero-width space,
    soft hyphen, BOM, word joiner, direction marks), on whose width rich and terminals disagree, so one inside
    a name pushed the rest of its row out of line. The joiners between letters of other scripts or emoji stay,
    as they change what is seen ("می‌خواهم", "👩‍💻"); next to ASCII or at an end they go. For display only:
    what the store holds is never changed."""
    return text if text.isascii() else _LOOSE_JOINERS.sub("", _INVISIBLE_IN_TERM.sub("", text))


def search_fold(value: str | None) -> str:
    """`fold`, then Latin letters without their diacritics ("Zoë Yılmaz" -> "zoe yilmaz") and without the
    invisible format characters ("a\u200bda" -> "ada"): what contact search documents hold and what a term
    is compared with [contact-search] [search-spellings]. Other scripts stay as they are."""
    return _plain(fold(value))


def _plain(folded: str) -> str:
    """search_fold of a folded text."""
    if folded.isascii():
        return folded
    plain = folded.translate(_LATIN_PLAIN)
    if "  " in plain or plain[:1] == " " or plain[-1:] == " ":  # a word of invisible characters alone
        return " ".join(plain.split())
    return plain


def search_term(term: str) -> str:
    """A search term as [contact-search] wants it: trimmed, one leading @ stripped, casefolded. Control
    characters are dropped: no stored text holds them, and a NUL would end FTS5's query string early; so are
    the invisible format characters a pasted term carries ("a\u200bda" is "ada"), but for the zero-width
    joiners, which the documents' fold drops and message text may hold as spelling [search-spellings]. A
    LinkedIn profile address is looked for as its profile slug, which the contact's document holds
    [search-words], an X or Telegram one as its handle."""
    t = _CONTROL.sub("", term)
    if not t.isascii():
        t = _LOOSE_JOINERS.sub("", _INVISIBLE_IN_TERM.sub("", t))
        bare = t.translate(NO_JOINERS)
        if len(bare.strip()) < INDEXED_TERM_MIN:  # too short for messages: the joiners would only miscount
            t = bare
    t = _unwrapped(t.strip())
    if t.startswith("@"):  # and what it wrapped: "@#ada", "@(ada)"
        t = _unwrapped(t[1:])
    if "linkedin.com" in t.lower() and (slug := linkedin_profile_id(t)):
        t = slug
    elif (
        "/" in t
        and (profile := _HANDLE_PROFILE.fullmatch(t))
        and profile.group(1).lower() not in _NOT_PROFILES
    ):
        t = profile.group(1)
    return fold(t)


# the pages of X and Telegram at one path part that are not someone's profile (x.com/home, t.me/share): such
# an address is looked for as typed, not as the handle "home"
_NOT_PROFILES = frozenset(
    {
        "home",
        "explore",
        "notifications",
        "messages",
        "search",
        "settings",
        "compose",
        "login",
        "logout",
        "signup",
        "i",
        "tos",
        "privacy",
        "intent",
        "share",
        "hashtag",
        "lists",
        "bookmarks",
        "joinchat",
        "addstickers",
        "addemoji",
        "proxy",
        "socks",
        "setlanguage",
        "iv",
        "c",
        "s",
    }
)


# An X or Telegram profile address, whose handle the contact's document holds [contact-search]: x.com,
# twitter.com (www., mobile.), t.me and telegram.me, http(s) or no scheme, one path part (an @ before it, a
# trailing slash, a query allowed)
_HANDLE_PROFILE = re.compile(
    r"(?:https?://)?(?:(?:www|mobile)\.)?(?:x\.com|twitter\.com|t\.me|telegram\.me)/@?([a-z0-9_]{1,64})/?(?:[?#]\S*)?",
    re.IGNORECASE,
)


# What a term may be wrapped in that no stored text is looked for by [contact-search]: brackets and quotes
# (Unicode's opening, closing, initial and final punctuation, <>, the ASCII double quote), sentence marks and
# the wildcards people try (! ? ¡ ¿ : … * %); and a link's scheme (`mailto:ada@example.com`, `tel:+44...`).
# An apostrophe is a quote only as a pair around the term: alone it is a name's ("o'" typed on the way to
# "o'brien"). A leading # goes (a tag typed as a hashtag); dots, @, a # after the first letter ("c#"), & and _
# stay: they are part of addresses, handles, skills and companies.
_WRAP_CHARS = '<>"!?¡¿:…*%'
_WRAP_CATEGORIES = ("Ps", "Pe", "Pi", "Pf")
_LINK_SCHEME = re.compile(r"(?:mailto|tel):", re.IGNORECASE)
_QUOTES = "'\u2019\u2018"


def _unwrapped(term: str) -> str:
    """`term` without the brackets, quotes, sentence marks and wildcards around it, nor a mailto:/tel:
    scheme; as typed when nothing but those is left (a term of punctuation alone, "%", "?", is looked for
    as it is). A phone number keeps its brackets."""

    def wrap(c: str) -> bool:
        return c in _WRAP_CHARS or (unicodedata.category(c) in _WRAP_CATEGORIES and c not in _QUOTES)

    t = term
    while True:
        before = t
        t = _LINK_SCHEME.sub("", t, count=1) if _LINK_SCHEME.match(t) else t
        if is_phone_term(t):
            break  # "(020) 7946 0958": its brackets are the number's, which phone_search_forms reads
        start, end = 0, len(t)
        while start < end and (wrap(t[start]) or t[start] == "#"):  # a hashtag's #: "#investor"
            start += 1
        while end > start and wrap(t[end - 1]):
            end -= 1
        t = t[start:end].strip()
        if len(t) >= 2 and t[0] in _QUOTES and t[-1] in _QUOTES:
            t = t[1:-1].strip()
        if t == before:
            break
    return t if any(c.isalnum() for c in t) else term


# Punctuation that joins the parts of a name, a company or a handle, which search ignores [search-words]:
# hyphens and dashes, apostrophes, dots, underscores ("Berners-Lee", "O'Brien", "J.R.R.", "ada_lovelace").
JOINERS = "-\u2010\u2011\u2012\u2013\u2014'\u2019\u02bc\u2018`.\u00b7_"
_JOINERS = re.compile(f"[{re.escape(JOINERS)}]+")
# a joiner between two letters or digits: the word is also written without it
_INNER_JOINER = re.compile(f"[^\\W_][{re.escape(JOINERS)}]+[^\\W_]")


def search_document(value: str | None) -> str:
    """`search_fold(value)` followed by each of its words that has a joiner between letters or digits, written
    without its joiners: "Tim Berners-Lee" -> "tim berners-lee bernerslee", so "bernerslee" and "obrien"
    find what was written "Berners-Lee" and "O'Brien" [search-words]; then each word holding an ä, ö or ü
    written with ae, oe, ue (without its joiners): "Hans Müller" -> "hans muller mueller", so "mueller" finds
    it as "muller" does [search-spellings]; then each word of Greek or Cyrillic letters written in Latin ones
    as a contact reference reads it (scripts.latin_spelling: "Ηλίας Παπαδόπουλος" -> "ηλιας παπαδοπουλοσ
    ilias papadopoulos"), so "ilias" and "smirnov" find what `pcrm contacts show` finds [contact-search].
    Applied to a document it wrote, it changes nothing (but where search_fold itself does: a combining mark
    NFKC composes the second time; and a Greek diaeresis, which the fold drops and the Latin spelling
    reads: "Ταΰγετος" is "taygetos", its folded "ταυγετοσ" "tavgetos")."""
    folded_case = fold(value)
    folded = _plain(folded_case)
    spelled = umlaut_spelling(folded_case)
    latin = latin_spelling(folded_case)
    if spelled is None and latin is None and not _INNER_JOINER.search(folded):
        return folded
    words = folded.split(" ")
    have = set(words)
    more = [j for w in words if _INNER_JOINER.search(w) and (j := _JOINERS.sub("", w)) not in have]
    if spelled is not None:
        more += [j for w in spelled.split(" ") if w not in have and (j := _JOINERS.sub("", w)) not in have]
    if latin is not None:
        for w in _plain(latin).split():
            if w not in have:
                more.append(w)
                if _INNER_JOINER.search(w):
                    more.append(_JOINERS.sub("", w))
    return " ".join([folded, *dict.fromkeys(more)])


# German umlauts as they are written without them [search-spellings]: "Müller" is also "Mueller" (a passport,
# an e-mail address, a keyboard without them). Only these three: "ß" is already "ss" (casefold), and the
# diaeresis of "Zoë" or "Noël" is not written so.
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})


def umlaut_spelling(folded: str) -> str | None:
    """A casefolded text holding ä, ö or ü, with them written ae, oe, ue, then search-folded ("hans müller"
    -> "hans mueller"); None for a text without them. Its words are those of search_fold's text, in order."""
    if folded.isascii() or ("ä" not in folded and "ö" not in folded and "ü" not in folded):
        return None
    return _plain(folded.translate(_UMLAUTS))


# ae, oe, ue that may stand for ä, ö, ü in a word of text searched as written (message text)
_UMLAUT_E = re.compile("([aou])e")
_E_UMLAUT = {"a": "ä", "o": "ö", "u": "ü"}


def umlaut_text_spellings(term: str, limit: int = 8) -> list[str]:
    """The other spellings of a casefolded term's umlauts in text searched as written (message text, whose
    index keeps the letters as typed) [search-spellings]: each word (between spaces) of 3+ characters holding
    ä, ö or ü also written with ae, oe, ue, and one holding "ae", "oe" or "ue" also written with ä, ö, ü
    ("mueller" -> "müller", "herr müller" -> "herr mueller"), every umlaut of a word in one spelling. Not
    the plain letter for either ("muller" is no "müller" in text, nor "mueller": the rule of the
    documents). At most `limit`, the term itself not among them; empty for most terms."""
    if "e" not in term and (term.isascii() or not ("ä" in term or "ö" in term or "ü" in term)):
        return []
    choices: list[tuple[str, ...]] = []
    for word in term.split(" "):
        forms = [word]
        if len(word) >= INDEXED_TERM_MIN:
            forms += [word.translate(_UMLAUTS), _UMLAUT_E.sub(lambda m: _E_UMLAUT[m.group(1)], word)]
        choices.append(tuple(dict.fromkeys(forms)))
    out = [""]
    for i, options in enumerate(choices):
        out = [head + (" " if i else "") + o for head in out for o in options][: limit + 1]
    return [v for v in out if v != term and len(v.strip()) >= INDEXED_TERM_MIN][:limit]


# an "&" between two letters or digits: "procter&gamble", "at&t"
_INNER_AMPERSAND = re.compile(r"[^\W_]&+[^\W_]")
_AMPERSAND = re.compile("&+")


def has_other_spellings(term: str) -> bool:
    """Whether a casefolded term is also looked for in other spellings (ampersand_forms, umlaut_spelling)."""
    return ("&" in term and _INNER_AMPERSAND.search(term) is not None) or (
        not term.isascii() and ("ä" in term or "ö" in term or "ü" in term)
    )


def ampersand_forms(word: str) -> list[str]:
    """A term's word with an "&" between letters or digits, also written without it and with a space either
    side ("procter&gamble" -> ["proctergamble", "procter & gamble"]): a company's document holds it joined,
    and text it as written [search-spellings] [search-words]. Empty for a word without such an "&". Not
    without it when that leaves 3 characters or fewer: "at&t" as "att" is inside Matthew, Attorney, attend
    (the company "AT&T" is found as written, "AT & T" with the spaces, "at&&t" with one "&")."""
    if "&" not in word or not _INNER_AMPERSAND.search(word):
        return []
    joined, spaced, single = (_AMPERSAND.sub(s, word) for s in ("", " & ", "&"))
    return [joined] * (len(joined) > INDEXED_TERM_MIN) + [spaced] + [single] * (single != word)


def search_words(term: str) -> list[str]:
    """The words of a folded search term [search-words]: split at spaces, commas and semicolons, with the
    punctuation (and <>) at each end trimmed ("jr." -> "jr", "(ada)" -> "ada", "<ada@x.io>" -> "ada@x.io");
    words with no letter or digit are left out ("&", "-"). A run of words written like a phone number
    (is_phone_term: "+44 20 7946 0958", "(020) 7946-0958") is one word, as typed."""
    out: list[str] = []
    for part in _TERM_PARTS.split(term):
        chunks = part.split()
        i = 0
        while i < len(chunks):
            j = i
            while j < len(chunks) and _PHONE_CHUNK.fullmatch(chunks[j]) and (j == i or chunks[j][0] != "+"):
                j += 1
            if j > i and is_phone_term(run := " ".join(chunks[i:j])):
                out.append(run)
                i = j
                continue
            raw = chunks[i]
            i += 1
            start, end = 0, len(raw)
            while start < end and _word_end(raw[start]):
                start += 1
            while end > start and _word_end(raw[end - 1]):
                end -= 1
            word = raw[start:end]
            if any(c.isalnum() for c in word):
                out.append(word)
    return out


def _word_end(c: str) -> bool:
    """Whether `c` is trimmed from the ends of a term's words: punctuation, and the angle brackets of a
    pasted `Name <address>`."""
    return unicodedata.category(c)[0] == "P" or c in "<>"


# what separates the words of a term: spaces, commas, semicolons ("Lovelace, Ada"); no phone number
# spans a comma or semicolon
_TERM_PARTS = re.compile("[,;]+")
# a word of a phone number typed in a term: digits and the punctuation of _PHONE_TERM, a + first
_PHONE_CHUNK = re.compile(r"\+?[\d().\-/]+")


def has_inner_joiner(word: str) -> bool:
    """Whether a joiner stands between two letters or digits of `word` ("jean-luc", "o'brien")."""
    return _INNER_JOINER.search(word) is not None


def word_forms(word: str) -> tuple[str, list[str]]:
    """A word without its joiners ("o'brien" -> "obrien") and the parts they separate
    (["o", "brien"]) [search-words]."""
    return _JOINERS.sub("", word), [p for p in _JOINERS.split(word) if p]


# A search term written like a phone number: digits with the punctuation people put in them, an optional
# leading +, and at least PHONE_TERM_DIGITS digits (fewer are not worth the wider match).
_PHONE_TERM = re.compile(r"\+?[\d\s().\-/]+")
# A contact reference written as a mail program shows an address ("Lynn Khan <lynn@x.com>", "<lynn@x.com>",
# a quoted name before it) or as a link (`mailto:lynn@x.com`, `tel:+44...`) [contact-references].
_NAMED_ADDRESS = re.compile(r"(?s)^(?P<name>[^<>]*?)\s*<\s*(?P<addr>[^<>]*?)\s*>$")
_ADDRESS_SCHEME = re.compile(r"^(mailto|tel):\s*(.+)$", re.IGNORECASE | re.DOTALL)


def named_address(text: str) -> tuple[str, str] | None:
    """(the name, the address) of text written as mail programs show an address, `Lynn Khan <lynn@x.com>`
    or `<lynn@x.com>` (the name then ""), each trimmed, the address as written; None for other text."""
    m = _NAMED_ADDRESS.match(text.strip())
    return (m["name"].strip(), m["addr"]) if m else None


# a quoted name family first, as Outlook shows it beside an address: "Lovelace, Ada" <ada@example.com>
_FAMILY_FIRST = re.compile(r"(?P<family>[^,]+),\s*(?P<given>[^,]+)")


def mail_name(text: str) -> str:
    """A name as a mail program writes it beside an address, in the order people write it: unquoted, and a
    quoted "Lovelace, Ada" (family name first, as Outlook shows it) as "Ada Lovelace" [me-setting]."""
    quoted = text.strip()
    name = quoted.strip('"').strip()
    m = _FAMILY_FIRST.fullmatch(name) if quoted.startswith('"') else None
    return f"{m['given'].strip()} {m['family'].strip()}" if m else name


def written_address(value: str) -> tuple[str, str] | None:
    """(the name, the address normalised) of an e-mail value written as mail programs show it or as a link:
    `Ada Lovelace <ada@example.com>`, `"Lovelace, Ada" <ada@example.com>` (name "Ada Lovelace"),
    `<ada@example.com>`, `"ada@example.com"` or `mailto:ada@example.com?subject=hi` (name ""). None when the
    value is written otherwise or what it wraps is no address [not-an-address]. An @ in the name: no name."""
    wrapped = named_address(value)
    inner = (wrapped[1] if wrapped else value).strip()
    quoted = wrapped is None and len(inner) > 2 and inner[0] == inner[-1] == '"' and '"' not in inner[1:-1]
    if quoted:  # "ada@example.com", the address alone in quotes as a name is written
        inner = inner[1:-1].strip()
    scheme = _ADDRESS_SCHEME.match(inner)
    if wrapped is None and scheme is None and not quoted:
        return None
    if scheme is not None:
        if scheme.group(1).lower() != "mailto":
            return None
        inner = scheme.group(2).split("?", 1)[0]
    address = email(inner)
    if not address or not is_email(address):
        return None
    name = mail_name(wrapped[0]) if wrapped else ""
    return ("" if "@" in name else name), address


def typed_address(value: str) -> tuple[str, str] | None:
    """(the name, the address normalised) of an e-mail value a user typed or a file holds: a bare address
    (name ""), or one written as written_address reads it; None when it is no address [not-an-address].
    Every path taking an email (contacts add|edit, POST/PUT /contacts, the MCP tools, the me setting, an
    import) reads it so."""
    written = written_address(value)
    if written is not None:
        return written
    address = email(value)
    return ("", address) if address and is_email(address) else None


def address_reference(ref: str) -> tuple[str, str] | None:
    """("email", address) or ("phone", number as typed) when a contact reference is written as an address
    with a name or brackets around it or a mailto:/tel: scheme before it; None for any other reference
    (a bare address is an email reference already). The address alone names the contact: the name written
    with it is no second key [contact-references]."""
    text = ref.strip()
    wrapped = named_address(text)
    inner = wrapped[1] if wrapped else text
    scheme = _ADDRESS_SCHEME.match(inner)
    if scheme is None and wrapped is None:
        return None
    value = (scheme.group(2) if scheme else inner).strip()
    kind = scheme.group(1).lower() if scheme else ("mailto" if "@" in value else "tel")
    if kind == "mailto":
        address = email(value.split("?", 1)[0])  # a link's ?subject=... is no part of the address
        return ("email", address) if address and is_email(address) else None
    return ("phone", value) if phone_digits(value) else None


PHONE_TERM_DIGITS = 4


def is_phone_term(term: str) -> bool:
    """Whether a search term (or a run of its words) is written like a phone number: digits with the
    punctuation people put in them, an optional leading +, PHONE_TERM_DIGITS digits or more."""
    return _PHONE_TERM.fullmatch(term) is not None and len(phone_digits(term) or "") >= PHONE_TERM_DIGITS


def phone_search_forms(term: str) -> list[str]:
    """The other forms a phone number typed as a search term may be stored in [contact-search]: its digits
    alone ("730-626-7449" -> "7306267449", a substring of "+17306267449"), and the national number without
    a trunk or international prefix ("020 7946 0958" and "+44 20 7946 0958" -> "2079460958", in both
    "+442079460958" and a "02079460958" stored without a region). A stored number keeps the text as typed
    and its normalised value, so the term as written finds only numbers written the same way. Empty for a
    term that is not phone-shaped."""
    if not is_phone_term(term):
        return []
    digits = phone_digits(term) or ""
    forms = [digits]
    if term.startswith("+") or digits.startswith("00"):
        forms.append(_national_number("+" + digits.removeprefix("00")) or digits.lstrip("0"))
    elif digits.startswith("0"):
        forms.append(digits[1:])
    return [f for f in dict.fromkeys(forms) if f != term and len(f) >= INDEXED_TERM_MIN]


def _national_number(international: str) -> str | None:
    """The national significant number of "+CC..." ("+442079460958" -> "2079460958"), None when no
    country code starts it."""
    with contextlib.suppress(Exception):
        import phonenumbers

        num = phonenumbers.parse(international, None)
        return str(phonenumbers.national_significant_number(num)) or None
    return None


def first_name(given: str | None, full: str | None) -> str | None:
    """The name a message greets a contact by, None when there is none: `name_parts.first_name`
    [name-parts]."""
    return name_parts.first_name(given, full)
