"""Greek and Cyrillic in Latin letters: the transliteration identity matching compares names by
[match-scoring], contact references read ([contact-references]: "ilias" is Ηλίας) and the search documents
write beside a name in those scripts ([contact-search])."""

from __future__ import annotations

import re
import unicodedata

_TRANSLIT = {
    # Latin letters NFKD does not decompose
    "ß": "ss",
    "ø": "o",
    "æ": "ae",
    "œ": "oe",
    "ł": "l",
    "đ": "d",
    "ð": "d",
    "þ": "th",
    "ı": "i",
    "ħ": "h",
    # Cyrillic
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    "і": "i",
    "ї": "yi",
    "є": "ye",
    "ґ": "g",
    # Greek
    "α": "a",
    "β": "v",
    "γ": "g",
    "δ": "d",
    "ε": "e",
    "ζ": "z",
    "η": "i",
    "θ": "th",
    "ι": "i",
    "κ": "k",
    "λ": "l",
    "μ": "m",
    "ν": "n",
    "ξ": "x",
    "ο": "o",
    "π": "p",
    "ρ": "r",
    "σ": "s",
    "ς": "s",
    "τ": "t",
    "υ": "y",
    "φ": "f",
    "χ": "ch",
    "ψ": "ps",
    "ω": "o",
}
_TRANS_TABLE = str.maketrans(_TRANSLIT)


def strip_accents(text: str) -> str:
    """Casefolded, without accents, Cyrillic and Greek in Latin letters. Transliterated before the accents
    go (Cyrillic й is "y", not an и) and after (Greek ώ is an ω with an accent: "Γιώργος" is "giorgos");
    Greek's letter pairs first, as ELOT 743 and ISO 843 write them (`_greek_pairs`)."""
    if text.isascii():
        return text.lower()
    folded = text.casefold()
    if _GREEK.search(folded):
        folded = _greek_pairs(folded)
    decomposed = unicodedata.normalize("NFKD", folded.translate(_TRANS_TABLE))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_TRANS_TABLE)


_GREEK = re.compile("[\u0370-\u03ff\u1f00-\u1fff]")
# the accents a Greek vowel carries, but the diaeresis, which splits a pair ("Ταΰγετος": a-y, not av)
_GREEK_ACCENTS = dict.fromkeys((0x0300, 0x0301, 0x0313, 0x0314, 0x0342, 0x0345))
# Greek letter pairs written as one sound; "αυ", "ευ", "ηυ" are "av", "ev", "iv" before a vowel or a voiced
# consonant and "af", "ef", "if" before a voiceless one or at a word's end; "μπ", "ντ", "γκ" are "b", "d",
# "g" at a word's start and "mp", "nt", "gk" inside it
_GREEK_PAIR = re.compile("ου|[αεη]υ|μπ|ντ|γκ|γγ|γξ|γχ")
_VOICED = frozenset("αεηιουωβγδζλμνρ")
_PAIRS = {"ου": "ou", "γγ": "ng", "γξ": "nx", "γχ": "nch"}
_AT_START = {"μπ": ("b", "mp"), "ντ": ("d", "nt"), "γκ": ("g", "gk")}
_VOWEL_V = {"α": "a", "ε": "e", "η": "i"}


def _greek_pairs(folded: str) -> str:
    """Greek's letter pairs in Latin letters (ELOT 743, ISO 843), the rest left to the letter table: "ου" is
    "ou" ("Παπαδόπουλος" is "papadopoulos", "Κωνσταντίνου" "konstantinou"), "Παύλος" "pavlos",
    "Ευθύμιος" "efthymios", "Μπακάλης" "bakalis", "Ντίνος" "dinos", "Αντώνης" "antonis", "Αγγελική"
    "angeliki". A casefolded text; accents but the diaeresis are dropped first."""
    text = unicodedata.normalize("NFC", unicodedata.normalize("NFD", folded).translate(_GREEK_ACCENTS))

    def latin(m: re.Match[str]) -> str:
        pair = m.group()
        if pair in _PAIRS:
            return _PAIRS[pair]
        if pair in _AT_START:
            start = m.start() == 0 or not _GREEK.match(text[m.start() - 1])
            return _AT_START[pair][0 if start else 1]
        after = text[m.end() : m.end() + 1]
        return _VOWEL_V[pair[0]] + ("v" if after and after in _VOICED else "f")

    return _GREEK_PAIR.sub(latin, text)


# a letter of Greek (Greek and Coptic, Greek Extended) or Cyrillic (and its Supplement): a text holding one
# is also written in Latin letters in the search documents [contact-search]
_GREEK_CYRILLIC = re.compile("[\u0370-\u052f\u1f00-\u1fff]")


def latin_spelling(folded: str) -> str | None:
    """A casefolded text holding a Greek or Cyrillic letter in Latin letters, as `strip_accents` writes the
    names a contact reference compares ("ηλίας παπαδόπουλοσ" -> "ilias papadopoulos", "алексей смирнов" ->
    "aleksey smirnov"); None for any other text (most: no other spelling)."""
    if folded.isascii() or not _GREEK_CYRILLIC.search(folded):
        return None
    return strip_accents(folded)


def marked_letters() -> dict[int, str]:
    """Greek and Cyrillic letters written with a mark -> the letter without it, for the search documents'
    fold [contact-search]: "ά" -> "α", "ΐ" -> "ι", "ё" -> "е", "ѓ" -> "г", "ў" -> "у", as `strip_accents`
    drops the mark. But "й" and "ї", letters of their own, which it writes apart from "и" and "і" ("y",
    "yi"). And every combining mark of U+0300-U+036F that NFKC leaves (a stress mark on a Cyrillic vowel,
    an accent no Latin letter is composed with)."""
    table: dict[int, str] = dict.fromkeys(range(0x300, 0x370), "")
    for cp in (*range(0x370, 0x530), *range(0x1F00, 0x2000)):
        ch = chr(cp)
        if ch in "йЙїЇ":
            continue
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if base != ch and len(base) == 1 and _GREEK_CYRILLIC.match(base):
            table[cp] = base.casefold()
    return table
