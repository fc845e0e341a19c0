"""vCard text values, shared by the reader (`vcard_record`) and the writer (`vcard_write`): escaping,
structured values, and labels.

A label is how pcrm stores what a vCard says about a value (`home`, `work,fax`, `spouse`): vCard TYPE
values when they are standard types, else an Apple `itemN.X-ABLabel`, where Apple's own labels are
wrapped as `_$!<Spouse>!$_`. Reading unwraps them (lowercase); writing wraps them again.
"""

from __future__ import annotations

import re

from pcrm.domain.models import EDITABLE, IDENTITIES, SPECS

# TYPE values of RFC 2426 / 6350 and the common vendor ones: a label made of these is written as TYPE.
STANDARD_TYPES = frozenset(
    {
        "home",
        "work",
        "cell",
        "voice",
        "fax",
        "pager",
        "text",
        "video",
        "main",
        "other",
        "msg",
        "iphone",
        "textphone",
        "internet",
        "x400",
        "postal",
        "parcel",
        "dom",
        "intl",
        "car",
        "isdn",
        "modem",
        "bbs",
        "pcs",
    }
)
# Apple's built-in labels, written `_$!<Name>!$_`; stored lowercase, written back wrapped.
APPLE_LABELS = {
    x.lower(): x
    for x in (
        "HomePage",
        "Anniversary",
        "Spouse",
        "Child",
        "Mother",
        "Father",
        "Parent",
        "Brother",
        "Sister",
        "Friend",
        "Manager",
        "Assistant",
        "Partner",
        "Other",
        "Home",
        "Work",
        "Main",
        "Mobile",
        "HomeFAX",
        "WorkFAX",
        "Pager",
        "School",
    )
}
_APPLE = re.compile(r"^_\$!<(.+)>!\$_$")


def clean_label(text: str) -> str:
    """An X-ABLabel value as pcrm stores it: Apple's `_$!<Spouse>!$_` becomes `spouse`."""
    m = _APPLE.match(text.strip())
    return m.group(1).lower() if m else text.strip()


def ab_label(label: str) -> str:
    """The X-ABLabel value for a stored label (escaped): Apple's own labels wrapped again."""
    shown = APPLE_LABELS.get(label.lower())
    return escape(f"_$!<{shown}>!$_" if shown else label)


def unescape(text: str) -> str:
    """vCard text escapes: \\n \\N -> newline, \\, \\; \\: \\\\ -> the character."""
    if "\\" not in text:
        return text
    out = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n:
            nxt = text[i + 1]
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def split_escaped(text: str, sep: str = ";") -> list[str]:
    """Split at unescaped separators and unescape each part."""
    if "\\" not in text:
        return text.split(sep)
    parts, buf = [], []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n:
            buf.append(text[i : i + 2])
            i += 2
            continue
        if ch == sep:
            parts.append(unescape("".join(buf)))
            buf = []
        else:
            buf.append(ch)
        i += 1
    parts.append(unescape("".join(buf)))
    return parts


def escape(text: str) -> str:
    """The inverse of unescape, for writing (',' and ';' escaped in text values)."""
    return escape_uri(text).replace(",", "\\,").replace(";", "\\;")


def escape_uri(text: str) -> str:
    """A URI-like value (URL, IMPP, a PHOTO or profile link) for writing: backslashes and line breaks
    escaped (a raw line break would end the property), commas and semicolons left as a URI has them."""
    t = text.replace("\\", "\\\\").replace("\r\n", "\n").replace("\r", "\n")
    return t.replace("\n", "\\n")


def one_line(value: str) -> str:
    """A value stored already escaped (ADR, N, ORG, a verbatim line) for writing: a raw line break in it
    (a store written before [vcard-escaping]) becomes `\\n`, so it cannot end the property."""
    return value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def structured(*parts: str) -> str:
    """A structured value (ADR, N, ORG) from its components, each escaped [vcard-escaping]."""
    return ";".join(escape(p) for p in parts)


# A TEL that holds words, not a number ("ask reception", Google's sample `pager`), is kept as a `note` field
# labelled `tel`; when the value had a label (TYPE=pager, an X-ABLabel, a CSV's `Phone 1 - Label`) as
# `tel;LABEL` (`tel;pager`, `tel;work,fax`, `tel;Google Voice`), so the label is kept with the words and the
# vCard export writes the TEL line back with it [csv-imports].
WORDS_PHONE = "tel"


def words_phone_label(label: str | None) -> str:
    """The `note` field's label for a phone of words that carried `label`."""
    return f"{WORDS_PHONE};{label}" if label else WORDS_PHONE


def readable_label(label: str) -> str:
    """A stored label as people read it: `work,fax` as `work fax`, a phone's `cell` as `mobile`, Google's
    vCard label for a Google Voice number (`GRAND_CENTRAL`) as `Google Voice`."""
    if label.strip().upper() == "GRAND_CENTRAL":
        return "Google Voice"
    words = [w.strip() for w in label.split(",") if w.strip()]
    return " ".join("mobile" if w.lower() == "cell" else w for w in words) or label


def words_phone(label: str | None) -> tuple[bool, str | None]:
    """Whether a `note` field's label marks a phone of words, and the phone's own label (None: none)."""
    if not label or not (label == WORDS_PHONE or label.startswith(WORDS_PHONE + ";")):
        return False, None
    return True, label[len(WORDS_PHONE) + 1 :] or None


# Labels other programs write (Google's `Mobile`, `Work Fax`) -> the vCard types pcrm stores for them.
_LABEL_WORDS = {"mobile": "cell", "business": "work", "fax": "fax", "personal": "home"}


def label_of(text: str, *, phone: bool = False) -> tuple[str | None, int | None]:
    """A label another program wrote (Google CSV's `* Home`, `Work Fax`, `Mobile`) as (the label a vCard
    import would store for it, its pref): words that are vCard types become lowercase types (`home`,
    `work,fax`, `cell` for a phone's `Mobile`), Apple's built-in labels lowercase, anything else stays as
    written. A leading `*` (Google's mark of the primary value) is pref 1."""
    t = text.strip()
    pref = 1 if t.startswith("*") else None
    t = t.lstrip("*").strip()
    if not t:
        return None, pref
    words = [w for w in re.split(r"[\s,/]+", t.lower()) if w]
    types = [(_LABEL_WORDS.get(w, w) if phone or w != "mobile" else w) for w in words]
    if types and all(x in STANDARD_TYPES for x in types):
        return ",".join(dict.fromkeys(types)), pref
    if t.lower() in APPLE_LABELS:
        return t.lower(), pref
    return t, pref


# The properties that make a card what it is, which pcrm writes itself: a kept value (a `prop`, `x` or
# `social` line, written verbatim) naming one of them would end the card early, start another or give it a
# second name or id [vcard-escaping]. The vCard import never keeps them so (it reads or skips them).
STRUCTURAL_PROPERTIES = frozenset({"BEGIN", "END", "VERSION", "PRODID", "REV", "UID", "FN", "N", "X-ABLABEL"})
_PROPERTY_LINE = re.compile(r"(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)[;:]")


def kept_property(line: str) -> bool:
    """Whether `line` is a property line a card may carry verbatim: `[group.]NAME[;params]:value`, NAME
    not one of the STRUCTURAL_PROPERTIES."""
    m = _PROPERTY_LINE.match(line)
    return m is not None and ":" in line and m.group(1).upper() not in STRUCTURAL_PROPERTIES


# Chat services' own vCard properties (the vCard import reads each as an `im` value of that service).
IM_PROPS = {
    "X-AIM": "aim",
    "X-ICQ": "icq",
    "X-JABBER": "jabber",
    "X-MSN": "msn",
    "X-YAHOO": "yahoo",
    "X-SKYPE": "skype",
    "X-SKYPE-USERNAME": "skype",
    "X-GTALK": "gtalk",
    "X-GOOGLE-TALK": "gtalk",
    "X-QQ": "qq",
    "X-TWITTER": "twitter",
    "X-TELEGRAM": "telegram",
}
# The properties the vCard import reads into a contact's own values or fields of their own kind (emails,
# phones, notes, tags, dates, addresses, links, chat handles, profiles, the photo): the export writes them
# from those values, and never keeps one as a verbatim `prop` or `x` line. A kept line naming one is not
# pcrm's own (a line typed into a CSV's extra_fields cell): written as itself it would give the card a value
# the contact does not hold (`EMAIL:boss@corp.example`), which the card's next import makes a real one.
READ_PROPERTIES = frozenset(
    {
        "PHOTO",
        "NOTE",
        "CATEGORIES",
        "EMAIL",
        "TEL",
        "BDAY",
        "ANNIVERSARY",
        "X-ANNIVERSARY",
        "X-EVOLUTION-ANNIVERSARY",
        "X-ABDATE",
        "ADR",
        "URL",
        "NICKNAME",
        "RELATED",
        "X-ABRELATEDNAMES",
        "IMPP",
        "X-SOCIALPROFILE",
        "X-PCRM-N",
        "X-PCRM-ORG",
        "X-PCRM-LOCATION",
        "X-PCRM-PRIORITY",
        "X-PCRM-LATITUDE",
        "X-PCRM-LONGITUDE",
        "X-PCRM-IDENTITY",
        *IM_PROPS,
    }
)

# [own-exports]: the contact's own text values no vCard property holds (a platform's bio and name of the
# person, WhatsApp's about and picture, the source pcrm got the contact from): `pcrm export vcard` writes each
# as an `X-PCRM-<FIELD>` line (`X-PCRM-TWITTER-BIO:...`) and `pcrm import` reads it back as that field. Read
# off the contact's declaration, so a text field added later travels too. `CARD_FIELDS`: the text fields a
# card writes otherwise (N, FN, ORG, TITLE, NOTE, BDAY, PHOTO, the LinkedIn profile, X-PCRM-LOCATION,
# -PRIORITY, the map point).
CARD_FIELDS = frozenset(
    {
        "full_name",
        "given_name",
        "family_name",
        "company",
        "title",
        "location",
        "latitude",
        "longitude",
        "linkedin_url",
        "avatar_url",
        "birthday",
        "notes",
        "priority_level",
    }
)
PCRM_FIELDS: dict[str, str] = {
    "X-PCRM-" + f.upper().replace("_", "-"): f
    for f in EDITABLE
    if SPECS[f].store == "column" and f not in CARD_FIELDS
}
# the contact's creation time beside its UID: taken when the import takes the id [own-exports]
CREATED = "X-PCRM-CREATED-AT"
READ_PROPERTIES |= frozenset({*PCRM_FIELDS, CREATED})
# the parameter of the PHOTO that is the contact's photo by its web address (`avatar_url`), as `pcrm export
# vcard` writes it: a PHOTO URI without it is a picture's address another program gave (a `photo` field)
AVATAR_PARAM = "X-PCRM-AVATAR"

# [own-exports]: a platform's own number for a person (Telegram's user id, X's, a WhatsApp number known only
# to WhatsApp), which no standard property holds: `pcrm export vcard` writes each as
# `X-PCRM-IDENTITY;TYPE=<platform>:<id>` and `pcrm import` reads it back as that identity, so a contact known
# by an id alone survives the round trip and a later chat import finds it. One such field a platform.
PLATFORM_IDS: dict[str, str] = {
    platform: field for field, (platform, column) in IDENTITIES.items() if column == "external_id"
}


def kept_line(kind: str, line: str) -> bool:
    """Whether a kept value of this kind is a line a card carries as itself [vcard-escaping]: a property
    line (`kept_property`) that the card's import keeps again as that kind: `x` an extension (X-...),
    `social` an X-SOCIALPROFILE, neither `prop` nor `x` one of the READ_PROPERTIES."""
    m = _PROPERTY_LINE.match(line)
    if m is None or not kept_property(line):
        return False
    name = m.group(1).upper()
    if kind == "social":
        return name == "X-SOCIALPROFILE"
    if kind == "x" and not name.startswith("X-"):
        return False
    return name not in READ_PROPERTIES


# Properties of other programs that name a related person (Evolution's, KAddressBook's, the bare X- ones):
# read as a `related` field with this label, as Outlook's Spouse / Manager's Name / Assistant's Name columns
RELATED_PROPS = {
    "X-EVOLUTION-SPOUSE": "spouse",
    "X-SPOUSE": "spouse",
    "X-KADDRESSBOOK-X-SPOUSENAME": "spouse",
    "X-EVOLUTION-MANAGER": "manager",
    "X-MANAGER": "manager",
    "X-KADDRESSBOOK-X-MANAGERSNAME": "manager",
    "X-EVOLUTION-ASSISTANT": "assistant",
    "X-ASSISTANT": "assistant",
    "X-KADDRESSBOOK-X-ASSISTANTSNAME": "assistant",
}
# Properties pcrm has no field for but knows: kept as their line, labelled by what they are (the label the CSV
# readers give the same line: Google's `Phonetic First Name` is `X-PHONETIC-FIRST-NAME`). The export writes no
# X-ABLabel for a label the property gives anyway.
KNOWN_LINES = {
    "GENDER": "gender",
    "X-GENDER": "gender",
    "X-PHONETIC-FIRST-NAME": "given name (phonetic)",
    "X-PHONETIC-MIDDLE-NAME": "middle name (phonetic)",
    "X-PHONETIC-LAST-NAME": "family name (phonetic)",
    "X-PHONETIC-ORG": "company name (phonetic)",
    "X-EVOLUTION-FILE-AS": "filed as",
    "X-FILE-AS": "filed as",
    "X-MAIDENNAME": "maiden name",
    "X-MAIDEN-NAME": "maiden name",
}
_SEXES = {"M": "male", "F": "female", "O": "other", "N": "none", "U": "unknown"}
_FC_ENCODED = "X-FCENCODED-"


def fc_encoded(name: str) -> tuple[str, str | None] | None:
    """FullContact's `X-FCENCODED-<hex>` property name decoded: (the property, its type) of
    `X-FC-RelatedNames:Mother`, `X-FC-OtherDates:Anniversary`; None for any other name or hex that is not."""
    if not name.upper().startswith(_FC_ENCODED):
        return None
    try:
        text = bytes.fromhex(name[len(_FC_ENCODED) :]).decode("utf-8")
    except ValueError:
        return None
    prop, _, kind = text.partition(":")
    return prop, kind or None


def fc_label(kind: str) -> str:
    """A FullContact type as a label: its own words (`Mother` mother, `CustomTYPE` as written)."""
    return kind.lower() if kind.istitle() else kind


def known_label(line: str) -> str | None:
    """The label a kept property line has by its name (KNOWN_LINES; a FullContact encoded name read out), or
    None."""
    name = line.split(":", 1)[0].split(";", 1)[0].upper()
    name = name.split(".", 1)[1] if "." in name else name
    if name in KNOWN_LINES:
        return KNOWN_LINES[name]
    decoded = fc_encoded(name)
    if decoded is None:
        return None
    prop, kind = decoded
    what = prop.upper().removeprefix("X-FC-").removeprefix("X-").lower().replace("-", " ")
    return f"{what} ({fc_label(kind)})" if kind else what


def _gender(text: str) -> str:
    """A GENDER value for people: `M` male, `F;woman` female (woman), other words as written."""
    sex, _, identity = text.partition(";")
    said = _SEXES.get(sex.strip().upper(), sex.strip())
    return f"{said} ({identity.strip()})" if said and identity.strip() else said or identity.strip()


# How `pcrm contacts show` names a kept value (a contact_fields row) for people: by kind, and for a
# property line (`prop`, `x`) by the property's name.
_KIND_NAMES = {
    "nickname": "also known as",
    "org": "other company",
    "address": "address",
    "url": "web",
    "im": "chat",
    "related": "related",
    "anniversary": "anniversary",
    # a birthday kept as the file wrote it [kept-birthdays]: not the contact's birthday, shown beside it
    "birthday": "birthday as written",
    "date": "date",
    "note": "note",
    "social": "profile",
    "n": "name parts",
}
_PROP_NAMES = {
    "TITLE": "other title",
    "ORG": "other company",
    "X-ID": "id in the file",  # not a second "id" row under the contact's own
    "X-PCRM-NOTE": "other notes",
    "X-PCRM-TAG": "other tag",
    "X-PCRM-HEADLINE": "other headline",
    "X-PCRM-OTHER-PRIORITY": "other priority",
    "X-PCRM-LOCATION": "location",
    "X-PCRM-EMAIL": "email (not an address)",
}
_STRUCTURED_PROPS = frozenset({"ORG", "ADR", "N"})  # values of parts split at unescaped semicolons
_NOT_SHOWN = frozenset({"email", "phone", "photo"})  # the contact's own emails, phones and photo say it


def readable_field(kind: str, label: str | None, value: str) -> tuple[str, str] | None:
    """A kept value as (what it is, its text) for people, or None when the contact's own fields show it
    already: structured values joined by ", ", escapes undone, property lines named by their property."""
    if kind in _NOT_SHOWN:
        return None
    if kind == "social" and (line := value.partition(":"))[1]:
        # a profile kept as its X-SOCIALPROFILE line (a second X handle): its address, named by its type
        head, _, text = line
        types = [p.split("=", 1)[1] for p in head.split(";")[1:] if p.upper().startswith("TYPE=")]
        if head.split(";", 1)[0].upper() == "X-SOCIALPROFILE":
            return (f"profile ({types[0].lower()})" if types else "profile", unescape(text))
    if kind in ("prop", "x"):
        head, sep, text = value.partition(":")
        if not sep:
            return (kind, unescape(value))
        name = head.split(";", 1)[0].upper()
        if KNOWN_LINES.get(name) == "gender":
            return ("gender", _gender(unescape(text)))
        if kind == "x" and label:  # an extension named by its X-ABLabel, a CSV column by its header
            return (label, unescape(text))
        if name == "X-PCRM-MISREAD":  # a repaired value as the file misread it [mojibake]
            of = [p.split("=", 1)[1] for p in head.split(";")[1:] if p.upper().startswith("FIELD=")]
            return (f"{(of or ['value'])[0].replace('_', ' ')} as the file wrote it", unescape(text))
        if known := known_label(head):
            return (known, unescape(text))
        what = _PROP_NAMES.get(name) or name.removeprefix("X-PCRM-").removeprefix("X-").lower().replace(
            "-", " "
        )
        if name in _STRUCTURED_PROPS:  # a second ORG kept as its line: its parts, as the first one's
            return (what, ", ".join(p.strip() for p in split_escaped(text) if p.strip()))
        return (what, unescape(text))
    what = _KIND_NAMES.get(kind, kind)
    if kind == "note" and (tel := words_phone(label))[0]:
        # a phone that holds words, not a number: named as a phone, with the phone's own label
        what, label = "phone (not a number)", None
        if tel[1]:
            what = f"phone ({readable_label(tel[1])}; not a number)"
    elif kind == "date" and label == "birthday":
        what, label = "other birthday", None
    elif kind == "note" and label == "birthday":  # how stores from before kept a future birthday
        what, label = _KIND_NAMES["birthday"], None
    if label:
        what = f"{what} ({label})"
    if kind in ("address", "n", "org"):
        text = ", ".join(p.strip() for p in split_escaped(value) if p.strip())
    else:
        text = unescape(value)
    return (what, text) if text else None


# [own-exports]: the fields the user typed by hand (`user_edited_fields`), which `pcrm export vcard` writes as
# `X-PCRM-EDITED:title,company` and the import gives back to a contact it makes from a card of pcrm's own (its
# PRODID and a pcrm UID): a move keeps them protected [protected-fields]. On any other card the line is kept
# as it came, and read as a property here it is written back as the text of an X-PCRM-PROPERTY line
EDITED = "X-PCRM-EDITED"
READ_PROPERTIES |= frozenset({EDITED})
# the parameter of an X-PCRM-IDENTITY line naming the field of an identity the contact holds beside the one it
# shows (`X-PCRM-IDENTITY;TYPE=telegram;X-PCRM-FIELD=telegram_user_id:222`, a handle's too) [own-exports]
ID_FIELD = "X-PCRM-FIELD"
# the PRODID every card `pcrm export vcard` writes starts with
PCRM_PRODID = "-//pcrm//pcrm "
