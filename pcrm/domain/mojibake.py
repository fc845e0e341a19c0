"""Text that went through the wrong codec [mojibake]: UTF-8 bytes read as Windows-1252 or Latin-1, as old
Telegram exports and some spreadsheet round trips hold them ("JosÃ©" for "José", "Î“Î¹ÏŽÏ\x81Î³Î¿Ï‚" for
"Γιώργος", "Ð\x90Ð»ÐµÐºÑ\x81ÐµÐ¹" for "Алексей", "å±±ç”°å¤ªéƒŽ" for "山田太郎", "ðŸ§¤" for "🧤").

`repair` reads each character back as the byte it was decoded from and decodes the bytes as UTF-8. It
changes a text only when that is unambiguous: every byte beyond ASCII belongs to a well-formed UTF-8
sequence, and the result holds no control, unassigned or private-use character, nor more words mixing
scripts (or beginning with a mark) than the text had. Correct text in any script is left alone: a Latin
letter with an accent standing for itself ("José Ñúñez", "Müller", "Nguyễn") is seldom a UTF-8 lead
followed by its continuation bytes, and where it is (ß or Ó before a dash or a curly apostrophe:
"Weiß–Schwarz", "Ó’Brien") the decoded letter is of another script inside a Latin word ("WeiߖSchwarz",
"ӒBrien"); a character no single-byte codec gives (Greek, Cyrillic, CJK written right) is its own UTF-8.

Windows-1252 has no character for five bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D); a reader keeps them as the C1
controls of those numbers (as Latin-1 does), or drops them. A dropped byte is put back only when one byte
alone makes a letter the text can hold: a common letter of the script around it, and in Greek no second
accent in a word ("Î“Î¹ÏŽÏÎ³Î¿Ï‚" is "Γιώργος": ύ would be a second accent). Where two or more letters fit
("ÐÐ»ÐµÐºÑÐµÐ¹" may be Алексей or Нлексей), the text is left as it is.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import product

# the byte each character stands for: Windows-1252's characters, and the C1 controls (Latin-1's reading of
# 0x80-0x9F, and Windows' of the five bytes Windows-1252 leaves undefined)
_UNDEFINED = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
_BYTE: dict[str, int] = {chr(b): b for b in range(256)}
_BYTE.update({bytes([b]).decode("cp1252"): b for b in range(0x80, 0xA0) if b not in _UNDEFINED})
_CONTINUATION = "".join(ch for ch, b in _BYTE.items() if 0x80 <= b <= 0xBF)
# a UTF-8 lead byte's character followed by a continuation byte's: the sign of mojibake worth a look
_SUSPECT = re.compile(f"[\u00c2-\u00f4][{re.escape(_CONTINUATION)}]")
_ROUNDS = 3  # text encoded wrongly twice or three times is repaired as many times


def repair(text: str) -> str:
    """`text` with UTF-8 read as Windows-1252 or Latin-1 undone, when that is unambiguous (see the module);
    otherwise `text` unchanged."""
    if text.isascii():  # most text: nothing misread holds only ASCII
        return text
    for _ in range(_ROUNDS):
        if not text or not _SUSPECT.search(text):
            return text
        fixed = _decoded(text)
        if fixed is not None and not _fits(fixed, text):
            # a C1 control that a text misread twice holds until its second repair
            again = _decoded(fixed) if _SUSPECT.search(fixed) else None
            fixed = again if again is not None and _fits(again, text) else None
        if fixed is None or fixed == text:
            return text
        text = fixed
    return text


def _decoded(text: str) -> str | None:
    raw = bytearray()
    for ch in text:
        b = _BYTE.get(ch)
        if b is None:
            raw += ch.encode("utf-8", "surrogatepass")  # a character written right: its own UTF-8
        else:
            raw.append(b)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return _with_dropped_bytes(bytes(raw))


def _plausible(text: str) -> bool:
    """No control (but tab and line breaks), unassigned, private-use or surrogate character."""
    for ch in text:
        cat = unicodedata.category(ch)
        if cat in ("Cn", "Co", "Cs") or (cat == "Cc" and ch not in "\t\n\r"):
            return False
    return True


def _fits(fixed: str, text: str) -> bool:
    """Whether `fixed` may be what `text` was before it was misread: `_plausible`, no `_rare` character
    that `text` did not hold, and no more odd words (`_odd_words`) than `text` had. Correct text can look
    like a UTF-8 sequence when a letter Windows-1252 writes with a lead byte's code stands before
    punctuation it writes with a continuation byte's ("Weiß–Schwarz", "Ó’Brien", "CAFÉ’S"): decoded, that
    pair is one character of another script inside a Latin word ("WeiߖSchwarz", "ӒBrien") or a small
    letter among capitals ("CAFɒS"), which no misread text was."""
    if not _plausible(fixed):
        return False
    if any(_rare(ch) and ch not in text for ch in fixed):
        return False
    return _odd_words(fixed) <= _odd_words(text)


def _rare(ch: str) -> bool:
    """Syriac, Thaana, NKo and the Arabic supplement (U+0700-U+07FF), and the combining marks no accented
    letter decomposes into (U+0340-U+036F but Greek's ypogegrammeni): what "Í" or "Ü" to "ß" before a
    continuation byte's punctuation decodes to ("AQUÍ\u00a0" would be "AQU" and a double tilde)."""
    return "\u0700" <= ch <= "\u07ff" or ("\u0340" <= ch <= "\u036f" and ch != "\u0345")


# scripts a word may mix: Japanese writes Han and kana together, Korean Hangul and Han; Arabic its digits
_SAME_SCRIPT = {
    **dict.fromkeys(
        ["CJK", "HIRAGANA", "KATAKANA", "KATAKANA-HIRAGANA", "HANGUL", "HALFWIDTH"], "EAST ASIAN"
    ),
    **dict.fromkeys(["FULLWIDTH", "IDEOGRAPHIC"], "EAST ASIAN"),
    **dict.fromkeys(["ARABIC-INDIC", "EXTENDED"], "ARABIC"),
}


_SCRIPTED = frozenset(["Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd"])  # not ½, ², Ⅻ


def _script(ch: str) -> str:
    """A letter's, digit's or mark's script as its Unicode name tells ("LATIN", "GREEK", "NKO", "CYRILLIC"
    for COMBINING CYRILLIC TITLO); "" for ASCII digits and the accents any script takes (U+0300-U+036F,
    modifier letters)."""
    if ch.isascii():
        return "LATIN" if ch.isalpha() else ""
    if "\u0300" <= ch <= "\u036f" or unicodedata.category(ch) not in _SCRIPTED:
        return ""
    words = unicodedata.name(ch, "").split()
    first = words[1] if words[:1] == ["COMBINING"] and len(words) > 1 else (words or [""])[0]
    return "" if first == "MODIFIER" else _SAME_SCRIPT.get(first, first)


def _odd_words(text: str) -> int:
    """How many words (runs of letters, digits and marks) mix scripts, begin with a mark, or hold a small
    letter beyond ASCII among two or more capitals and no small ASCII letter ("CAFɒS")."""
    odd = 0
    for word in _letter_runs(text):
        scripts = {_script(ch) for ch in word} - {""}
        capitals = sum(ch.isascii() and ch.isupper() for ch in word)
        small = [ch for ch in word if ch.islower()]
        shouting = capitals >= 2 and bool(small) and not any(ch.isascii() for ch in small)
        if len(scripts) > 1 or unicodedata.category(word[0])[0] == "M" or shouting:
            odd += 1
    return odd


def _letter_runs(text: str) -> list[str]:
    out: list[str] = []
    word = ""
    for ch in text:
        if ch.isalnum() or unicodedata.category(ch)[0] == "M":
            word += ch
        elif word:
            out.append(word)
            word = ""
    return [*out, word] if word else out


_MAX_GAPS = 3  # a text missing more bytes than this is not guessed at


def _with_dropped_bytes(raw: bytes) -> str | None:
    """The text when every place a UTF-8 sequence breaks off is one of Windows-1252's undefined bytes
    dropped, and one choice of them alone gives letters the text can hold; else None."""
    gaps = _gaps(raw)
    if not gaps or len(gaps) > _MAX_GAPS:
        return None
    found: list[str] = []
    for choice in product(_UNDEFINED, repeat=len(gaps)):
        filled = bytearray(raw)
        for at, b in sorted(zip(gaps, choice, strict=True), reverse=True):
            filled[at:at] = bytes([b])
        try:
            out = filled.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if _plausible(out) and _letters_fit(out):
            found.append(out)
            if len(found) > 1:
                return None
    return found[0] if found else None


def _gaps(raw: bytes) -> list[int]:
    """Where a continuation byte is missing: after a lead byte and its continuations so far, the next
    byte is no continuation. Empty when the text breaks any other way."""
    gaps: list[int] = []
    i = 0
    while i < len(raw):
        b = raw[i]
        need = 1 if 0xC2 <= b <= 0xDF else 2 if 0xE0 <= b <= 0xEF else 3 if 0xF0 <= b <= 0xF4 else 0
        if b >= 0x80 and not need:
            return []  # a stray continuation or an invalid lead: not a dropped byte
        i += 1
        for _ in range(need):
            if i < len(raw) and 0x80 <= raw[i] <= 0xBF:
                i += 1
            else:
                gaps.append(i)
    return gaps


_GREEK_ACCENTED = frozenset("άέήίόύώΆΈΉΊΌΎΏΐΰ")


def _common(ch: str) -> bool:
    """A letter of the alphabets names are written in: basic Greek (with its accents), Cyrillic of
    Russian, Ukrainian and Belarusian, or any letter outside those two scripts."""
    if not ch.isalpha():
        return False
    if "\u0370" <= ch <= "\u03ff":
        return "\u0386" <= ch <= "\u03ce" and unicodedata.name(ch, "").startswith("GREEK")
    if "\u0400" <= ch <= "\u04ff":
        return "\u0410" <= ch <= "\u044f" or ch in "ЁёЄєІіЇїЎўҐґ"
    return True


def _letters_fit(text: str) -> bool:
    """Every letter is common for its script, and no Greek word carries two accents."""
    if not all(_common(ch) for ch in text if ch.isalpha() and not ch.isascii()):
        return False
    return all(sum(ch in _GREEK_ACCENTED for ch in word) <= 1 for word in text.split())
