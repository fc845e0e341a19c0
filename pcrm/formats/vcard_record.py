"""One vCard (as `vcard_parse` reads it) to one contact record:

| vCard | pcrm |
|---|---|
| FN, N (family; given) | full_name, given_name, family_name (FN missing: built from N) |
| ORG (first unit), TITLE, NOTE, CATEGORIES | company, title, notes, tags (Google's `myContacts` dropped) |
| EMAIL, TEL | emails, phones; a labelled or preferred one also a `contact_fields` row `email` / `phone` |
| TEL with an extension (`ext 9`, `;ext=5555`) | the number in phones; a `phone` field `number ext. N` |
| TEL that is words, not a number | a `note` field labelled `tel` (written back as TEL), never a phone |
| BDAY | birthday: YYYY-MM-DD, or MM-DD for `--MMDD`, `--MM-DD`, Apple's X-APPLE-OMIT-YEAR and year 1604 |
| BDAY that is no real date (a row error says why), VALUE=text, a second BDAY | a `birthday` field, as is |
| X-PCRM-BIRTHDAY (`pcrm export vcard`: a kept birthday beside the card's BDAY) | a `birthday` field, as is |
| X-SOCIALPROFILE twitter / linkedin / telegram / instagram | the platform identity (handle or LinkedIn URL) |
| PHOTO (inline: base64, QP or a data: URI) | the record's avatar (the import saves it in PCRM_HOME/avatars) |
| X-PCRM-LOCATION | location (written by `pcrm export vcard` when no address gives it) |
| X-PCRM-IDENTITY;TYPE=telegram (whatsapp, twitter, ...) | that platform's id of the person |
| X-PCRM-IDENTITY;TYPE=telegram;X-PCRM-FIELD=telegram_user_id (any field) | one more id of the person |
| X-PCRM-PRIORITY, X-PCRM-LATITUDE and X-PCRM-LONGITUDE | priority_level, the map point (both or neither) |
| X-PCRM-CREATED-AT (beside a pcrm UID) | the creation time, when the import takes the id [own-exports] |
| X-PCRM-TWITTER-BIO, X-PCRM-SOURCE, ... (`vcard_text.PCRM_FIELDS`) | that text field (a bio, the source) |
| PHOTO URI marked X-PCRM-AVATAR=TRUE (`pcrm export vcard`) | avatar_url (a web address only) |
| X-PCRM-EDITED (a card with pcrm's PRODID and UID) | the fields typed by hand, on a contact it makes |
| X-EVOLUTION-SPOUSE/-MANAGER/-ASSISTANT, X-SPOUSE, X-MANAGER, X-ASSISTANT | `related` (spouse, ...) |
| FullContact's X-FCENCODED-<hex> (X-FC-RelatedNames, X-FC-OtherDates) | `related`, `anniversary`, `date` |

Everything else goes to `contact_fields(kind, label, value, pref)` so a round trip loses nothing:
`address` (ADR's structured value, still escaped), `url`, `im` (label = service), `nickname`,
`anniversary`, `date` (X-ABDATE; label), `related` (label), `social` (other X-SOCIALPROFILE), `photo`
(a PHOTO URL, never fetched), `birthday` (a BDAY that is not a date, e.g. "circa 1800"; [kept-birthdays]),
`n` / `org` (N and ORG when they hold more than pcrm's columns), `prop` (other standard properties, the line
verbatim) and `x` (unknown X- properties, the line verbatim). Labels come from TYPE (`home`, `work,fax`)
or Apple's `itemN.X-ABLabel` (`_$!<Spouse>!$_` is kept as `spouse`); PREF / TYPE=pref give `pref`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any, Protocol

from pcrm.domain.dates import KEPT_BIRTHDAY
from pcrm.domain.map_point import read_point
from pcrm.domain.models import IDENTITIES, PRIORITIES, PROTECTABLE
from pcrm.domain.normalize import site_address, web_link
from pcrm.domain.records import ContactField, ContactRecord, pcrm_id_of, take_not_same_as
from pcrm.domain.sources import file_source
from pcrm.formats.own_columns import identity_value
from pcrm.formats.vcard_parse import Card, Prop, base64_decode, is_b64_error
from pcrm.formats.vcard_text import (
    AVATAR_PARAM,
    CREATED,
    EDITED,
    ID_FIELD,
    IM_PROPS,
    PCRM_FIELDS,
    PCRM_PRODID,
    PLATFORM_IDS,
    READ_PROPERTIES,
    RELATED_PROPS,
    clean_label,
    escape,
    fc_encoded,
    fc_label,
    known_label,
    split_escaped,
    unescape,
    words_phone_label,
)

# a phone extension: `;ext=5555` (tel: URIs), `ext 9`, `ext. 9`, `x123`, `#55` after the number
_EXTENSION = re.compile(r"\s*(?:;\s*ext=|,?\s*(?:ext\.?|extension|x|#)\s*)(\d{1,6})\s*$", re.IGNORECASE)


def split_extension(value: str) -> tuple[str, str | None]:
    """A phone value as (the number, its extension or None)."""
    m = _EXTENSION.search(value)
    if m and sum(ch.isdigit() for ch in value[: m.start()]) >= 3:
        return value[: m.start()].strip(), m.group(1)
    return value, None


MAX_PHOTO = 10 * 1024 * 1024

SKIP = {"BEGIN", "END", "VERSION", "PRODID", "REV", "UID", "X-ABLABEL"}
DROP_TYPES = {"EMAIL": {"internet", "pref", "x400"}, "TEL": {"pref", "voice"}}
_HANDLE = re.compile(r"^[A-Za-z0-9_.]{1,64}$")
_EMAIL_IN = re.compile(r"<([^<>\s]+@[^<>\s]+)>|([^\s<>\"',;]+@[^\s<>\"',;]+)")


class _Add(Protocol):
    """card_record's `add`: one contact_fields value (its label from the property unless given)."""

    def __call__(self, kind: str, value: str, p: Prop | None = None, label: str | None = None) -> None: ...


_Err = Callable[[Prop, str], None]  # card_record's `err`: a row error at the property's line


def _labels(card: Card) -> dict[str, str]:
    return {p.group: clean_label(unescape(p.text())) for p in card.props if p.name == "X-ABLABEL" and p.group}


_DROP = {k: v | {"quoted-printable", "base64", "b"} for k, v in DROP_TYPES.items()}
_DROP_OTHER = frozenset({"pref", "quoted-printable", "base64", "b"})


def _label(p: Prop, labels: dict[str, str]) -> str | None:
    if p.group and p.group in labels:
        return labels[p.group]
    if not p.params:
        return None
    drop = _DROP.get(p.name, _DROP_OTHER)
    types: list[str] = []
    for t in p.types:
        if t not in drop and t not in types and not t.startswith("charset"):
            types.append(t)
    return ",".join(types) or None


def _pref(p: Prop) -> int | None:
    if not p.params:
        return None
    v = p.param("PREF") or p.param("X-PCRM-PREF")  # the second: pcrm's own 3.0 export
    if v and v.isdigit():
        return int(v)
    return 1 if "pref" in p.types else None


def _verbatim(p: Prop, value: str) -> str:
    params = "".join(
        f";{k}={','.join(v)}"
        for k, v in p.params.items()
        if k != "CHARSET"
        and not (k == "ENCODING" and p.encoding in ("QUOTED-PRINTABLE", "QP", "8BIT", "7BIT"))
        and not (k == "TYPE" and not v)
    )
    if p.encoding in ("B", "BASE64"):
        value = re.sub(r"\s+", "", value)
    return f"{p.name}{params}:{value.replace(chr(13), '').replace(chr(10), chr(92) + 'n')}"


# the time after a date (`T102200`, `T10:22:00Z`, `T201243+04:00`): vCard 3.0 and 4.0 allow a date-time
_TIME = re.compile(r"T(\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,]\d+)?)?)?(?:Z|[+-](\d{2})(?::?(\d{2}))?)?")
_TRUNCATED = re.compile(r"^(?:\d{4}(?:-\d{2})?|---\d{2}|--\d{2})$")  # 4.0's year, year-month, day, month


def _read_date(value: str, omit_year: str | None = None) -> tuple[str | None, str]:
    """A vCard date (or date-time) as 'YYYY-MM-DD' or '--MM-DD' (no year), with "" as the reason; else
    (None, why it is no date, in a row error's words)."""
    v = value.strip()
    m = re.match(r"^--(\d{2})-?(\d{2})(?=$|T)", v) or re.match(r"^(\d{4})-?(\d{2})-?(\d{2})(?=$|T)", v)
    if not m:
        if _TRUNCATED.match(v):
            return None, "is not a whole date (it needs a month and a day)"
        return None, "is not a date"
    *year, mo, d = m.groups()
    y = year[0] if year else None
    if y is not None and ((omit_year and omit_year == y) or y in ("1604", "0000")):
        y = None
    try:
        date(2000 if y is None else int(y), int(mo), int(d))  # 2000 is a leap year: --0229 is a day
    except ValueError:
        return None, "is not a real date"
    rest = v[m.end() :]
    t = _TIME.fullmatch(rest) if rest else None
    if rest and not (t and _real_time(t)):
        return None, "has a time that is not a real time"
    return (f"--{mo}-{d}" if y is None else f"{y}-{mo}-{d}"), ""


def _real_time(t: re.Match[str]) -> bool:
    hour, minute, second, zh, zm = (int(x) if x else 0 for x in t.groups())
    return hour <= 24 and minute <= 59 and second <= 60 and zh <= 14 and zm <= 59


def _date(value: str, omit_year: str | None = None) -> tuple[str | None, bool]:
    """A vCard date to 'YYYY-MM-DD' or '--MM-DD' (no year); (None, False) when it is not a real date."""
    iso, _why = _read_date(value, omit_year)
    return iso, iso is not None


def _birthday(iso: str) -> str:
    return iso.removeprefix("--")


def _handle_from(value: str, p: Prop) -> str | None:
    user = p.param("X-USER")
    if user and _HANDLE.match(user.lstrip("@")):
        return user.lstrip("@")
    v = value.strip().rstrip("/")
    tail = re.split(r"[/:]", v)[-1].lstrip("@") if v else ""
    return tail if tail and _HANDLE.match(tail) else None


def card_record(card: Card, errors: list[str], prefix: str = "") -> ContactRecord:
    labels = _labels(card)
    data: dict[str, Any] = {"emails": [], "phones": [], "tags": []}
    fields: list[ContactField] = []
    notes: list[str] = []
    rec = ContactRecord(row=card.no, data=data, fields=fields, place=card.label)
    first_addr: list[str] | None = None
    bday_altids: set[str] = set()  # the ALTIDs of the BDAYs read ("" for one without)
    point: dict[str, tuple[Prop, str]] = {}  # X-PCRM-LATITUDE / -LONGITUDE, read once the card is
    created: list[tuple[Prop, str]] = []  # X-PCRM-CREATED-AT, read with the UID once the card is

    def add(kind: str, value: str, p: Prop | None = None, label: str | None = None) -> None:
        value = value.strip()
        if value:
            if label is None and p is not None:
                label = _label(p, labels)
            fields.append(
                {"kind": kind, "label": label or None, "value": value, "pref": _pref(p) if p else None}
            )

    def err(p: Prop, msg: str) -> None:
        errors.append(f"{prefix}{rec.place}: {msg}")

    # 2.1 escapes no backslash in a text value (only `\;` between the parts of N, ADR, ORG): FN is as written
    raw_fn = card.version == "2.1"
    ours = False  # a card `pcrm export vcard` wrote (its PRODID)
    edited: list[tuple[Prop, str]] = []  # X-PCRM-EDITED lines
    for p in card.props:
        name = p.name
        if name == "UID":  # a file pcrm wrote: the contact's id in the store that wrote it [own-exports]
            rec.pcrm_id = rec.pcrm_id or pcrm_id_of(p.text())
            # any app's UID names the card's contact in that app: two UIDs are two people there
            rec.file_id = rec.file_id or rec.pcrm_id or p.text().strip() or None
            continue
        if name == "PRODID":
            ours = ours or p.text().strip().startswith(PCRM_PRODID)
        if name == EDITED:  # read once the card is: only a card of pcrm's own marks fields [own-exports]
            edited.append((p, p.text()))
            continue
        if name in SKIP:
            continue
        if name == "PHOTO":
            _photo(p, rec, add, err)
            continue
        text = p.text()
        if name == "FN":
            if not data.get("full_name"):
                data["full_name"] = (text if raw_fn else unescape(text)).strip() or None
        elif name == "N":
            if "given_name" in data or "family_name" in data:
                continue  # a second N (ALTID): the first one wins
            parts = split_escaped(text) + [""] * 5
            if (p.param("X-PCRM-FROM") or "").upper() == "FN":
                # parts pcrm's export read off the full name (FN) [name-parts]: the contact had none; they
                # still name a card whose FN went missing
                data["given_name"] = data["family_name"] = None
                data["_n"] = parts
                continue
            data["family_name"] = parts[0].strip() or None
            data["given_name"] = parts[1].strip() or None
            if any(x.strip() for x in parts[2:5]):
                add("n", text, label="")
            data["_n"] = parts
        elif name == "ORG":
            parts = split_escaped(text)
            if "company" not in data:
                data["company"] = parts[0].strip() or None
                if len([x for x in parts if x.strip()]) > 1:
                    add("org", text, label="")
            else:
                add("prop", _verbatim(p, text), label="")
        elif name == "TITLE" and "title" not in data:
            data["title"] = unescape(text).strip() or None
        elif name == "NOTE":
            notes.append(unescape(text).strip())
        elif name == "CATEGORIES":
            data["tags"] += [
                t.strip() for t in split_escaped(text, ",") if t.strip() and t.strip().lower() != "mycontacts"
            ]
        elif name == "EMAIL":
            m = _EMAIL_IN.search(unescape(text))
            addr = (m.group(1) or m.group(2)) if m else unescape(text).strip()
            if addr:
                data["emails"].append(addr)
                label = _label(p, labels)
                if label or _pref(p):
                    add("email", addr.lower(), p, label=label)
        elif name == "TEL":
            num = unescape(text).strip()
            if num.lower().startswith("tel:"):
                num = num[4:]
            label = _label(p, labels)
            if num and sum(ch.isdigit() for ch in num) < 3:
                # words, not a number ("ask Jenny for Lisa's number"): a note, the same on every run
                add("note", num, p, label=words_phone_label(label))
            elif num:
                number, ext = split_extension(num)
                data["phones"].append(number)
                if ext:  # the number is the phone; the field keeps it with its extension
                    add("phone", f"{number} ext. {ext}", p, label=label)
                elif label or _pref(p):
                    add("phone", number, p, label=label)
        elif name == "BDAY":
            altid = p.param("ALTID")
            as_text = (p.param("VALUE") or "").lower() == "text"  # text by the card's own say (RFC 6350)
            iso, why = (None, "") if as_text else _read_date(text, p.param("X-APPLE-OMIT-YEAR"))
            if altid is not None and altid in bday_altids:
                # the same birthday written another way (4.0's ALTID): the first one is read, unless it was
                # text and this one is the date (`BDAY;ALTID=1;VALUE=text:15 April 1990` first)
                if iso and "birthday" not in data:
                    data["birthday"] = _birthday(iso)
                    rec.birthday_written = unescape(text).strip()
                continue
            bday_altids.add(altid or "")
            if iso and data.get("birthday", _birthday(iso)) == _birthday(iso):
                data["birthday"] = _birthday(iso)  # a repeat of the birthday read is that birthday
                # as written, for validation to keep if the day is no birthday yet (after today)
                rec.birthday_written = rec.birthday_written or unescape(text).strip()
                continue
            # [kept-birthdays] a birthday pcrm cannot store, or a second one, is kept as written, never
            # dropped: a `birthday` field, which `pcrm export vcard` writes back as `BDAY;VALUE=text`
            raw = unescape(text).strip()
            add("birthday", raw, label="")
            if why and raw:
                q = repr(raw) if len(raw) <= 60 else repr(raw[:60]) + "..."
                err(p, f"birthday {q} {why}: {KEPT_BIRTHDAY}")
        elif name in RELATED_PROPS or (fc_encoded(name) or ("",))[0] in _FC_READ:
            _read_as(p, text, fields, add)
        elif name in (
            "ANNIVERSARY",
            "X-ANNIVERSARY",
            "X-EVOLUTION-ANNIVERSARY",
            "X-KADDRESSBOOK-X-ANNIVERSARY",
            "X-ABDATE",
        ):
            iso, ok = _date(text, p.param("X-APPLE-OMIT-YEAR"))
            value = iso if ok and iso and "T" not in text else unescape(text).strip()
            label = _label(p, labels)
            if name != "X-ABDATE" or (label or "").lower() == "anniversary":
                add(
                    "anniversary",
                    value,
                    p,
                    label="" if name != "X-ABDATE" or label == "anniversary" else label,
                )
            else:
                add("date", value, p)
        elif name == "ADR":
            add("address", text, p)
            parts = split_escaped(text) + [""] * 7
            if first_addr is None or _pref(p):
                first_addr = parts
        elif name == "URL":
            add("url", unescape(text), p)
        elif name == "NICKNAME":
            for nick in split_escaped(text, ","):
                add("nickname", nick, label="")
        elif name in ("RELATED", "X-ABRELATEDNAMES"):
            add("related", unescape(text), p)
        elif name == "IMPP" or name in IM_PROPS:
            value = unescape(text).strip()
            service = p.param("X-SERVICE-TYPE") or IM_PROPS.get(name) or _scheme(value) or ""
            label = labels.get(p.group) if p.group in labels else (service or _label(p, labels))
            add("im", value, p, label=label)
            handle = _handle_from(value, p)
            if service.lower() == "telegram" and handle and "telegram_username" not in data:
                data["telegram_username"] = handle
        elif name == "X-SOCIALPROFILE":
            _social(p, unescape(text), data, add, labels)
        elif name == "X-PCRM-IDENTITY" and _platform_id(p, unescape(text).strip(), rec):
            pass  # pcrm's own export: a platform's id of the person [own-exports]
        elif name == "X-PCRM-BIRTHDAY":  # a birthday kept as written beside the card's BDAY [kept-birthdays]
            if raw := unescape(text).strip():
                add("birthday", raw, label="")
        elif name in PCRM_FIELDS and PCRM_FIELDS[name] not in data and (got := _pcrm_field(name, text)):
            data[PCRM_FIELDS[name]] = got  # pcrm's own export: a text field no property holds [own-exports]
        elif name in ("X-PCRM-N", "X-PCRM-ORG"):
            add(name[7:].lower(), text, label="")
        elif name == "X-PCRM-LOCATION":
            data["location"] = unescape(text).strip() or None
        elif (
            name == "X-PCRM-PRIORITY"
            and "priority_level" not in data
            and unescape(text).strip() in PRIORITIES
        ):
            data["priority_level"] = unescape(text).strip()
        elif name == CREATED and not created:
            created.append((p, text))
        elif name in ("X-PCRM-LATITUDE", "X-PCRM-LONGITUDE") and name not in point:
            point[name] = (p, text)
        elif name.startswith("X-"):
            line = _kept_x(p, text)
            add("x", line, label=labels.get(p.group, "") if p.group in labels else known_label(line) or "")
        else:
            line = _verbatim(p, text)
            add("prop", line, label=labels.get(p.group, "") if p.group in labels else known_label(line) or "")
    parts = data.pop("_n", None)
    fn = data.get("full_name")
    if fn and _is_own_number(fn, data):
        data["full_name"] = None  # FN that is only the card's number or address is no name [display-name]
    if not data.get("full_name") and parts:
        data["full_name"] = (
            " ".join(x.strip() for x in (parts[3], parts[1], parts[2], parts[0], parts[4]) if x.strip())
            or None
        )
    if notes:
        data["notes"] = "\n".join(x for x in notes if x) or None
    _map_point(point, data, add)
    for p, text in created:
        # the creation time of the contact the UID names: the contact's again when the import takes the id (a
        # card naming no pcrm id keeps the line as it came)
        if rec.pcrm_id:
            rec.pcrm_created_at = unescape(text).strip() or None
        else:
            add("x", _kept_x(p, text), label="")
    if rec.avatar is not None and "avatar_url" in data:  # a photo in the card is its photo: the address aside
        add("photo", data.pop("avatar_url"), label="")
    if first_addr is not None and "location" not in data:
        loc = ", ".join(x.strip() for x in (first_addr[3], first_addr[4], first_addr[6]) if x.strip())
        data["location"] = loc or None
    if data.get("company") and not data.get("full_name") and not data.get("given_name"):
        data["full_name"] = data["company"]  # KIND:org cards and company-only cards
    rec.edited = _edited(edited, own=ours and rec.pcrm_id is not None, add=add)
    take_not_same_as(rec)  # the user's answers pcrm's export wrote: not values of the card [kept-apart]
    return rec


def _edited(lines: list[tuple[Prop, str]], *, own: bool, add: _Add) -> tuple[str, ...]:
    """The fields typed by hand an X-PCRM-EDITED line names (`title,company`), on a card of pcrm's own export
    (its PRODID and a pcrm UID) [own-exports]. Any other card's line, and the words of one that name no such
    field, are kept as an `x` line, as any unknown extension is: a card from elsewhere marks nothing."""
    out: list[str] = []
    for p, text in lines:
        words = [w.strip() for w in unescape(text).split(",") if w.strip()]
        taken = [w for w in words if own and w in PROTECTABLE]
        out += [w for w in taken if w not in out]
        if rest := [w for w in words if w not in taken]:
            add("x", _kept_x(p, escape(",".join(rest)) if taken else text), label="")
    return tuple(out)


def _map_point(point: dict[str, tuple[Prop, str]], data: dict[str, Any], add: _Add) -> None:
    """The map point `pcrm export vcard` wrote (X-PCRM-LATITUDE and X-PCRM-LONGITUDE) as the contact's
    coordinates: both, numbers on the globe; else each line the card gave is kept as an `x` line, and the
    contact gets no half point [geocoding]."""
    got = {name: unescape(text).strip() for name, (_, text) in point.items()}
    read = read_point(got.get("X-PCRM-LATITUDE"), got.get("X-PCRM-LONGITUDE"))  # never 0, 0 [own-exports]
    if read is not None:
        data["latitude"], data["longitude"] = read
        return
    for p, text in point.values():
        add("x", _kept_x(p, text), label="")


def _kept_x(p: Prop, text: str) -> str:
    """The `x` line that keeps an extension line the card carries: as written, but one naming a property
    the import reads (an X-PCRM-PRIORITY pcrm does not know, half a map point, a second one) as the text of
    an X-PCRM-PROPERTY line, the line `pcrm export vcard` writes for it [vcard-escaping]: kept verbatim, a
    copy would be read as the contact's own value, and kept otherwise, each move of the store through its
    vCard or CSV would keep it once more [own-exports]."""
    line = _verbatim(p, text)
    return f"X-PCRM-PROPERTY:{escape(line)}" if p.name.upper() in READ_PROPERTIES else line


_FC_READ = ("X-FC-RelatedNames", "X-FC-OtherDates")  # FullContact's encoded names read as what they are


def _read_as(p: Prop, text: str, fields: list[ContactField], add: _Add) -> None:
    """A property of another program that names a related person (X-EVOLUTION-SPOUSE, X-MANAGER, FullContact's
    encoded `X-FC-RelatedNames:Mother`) as a `related` field labelled by who they are, and FullContact's
    `X-FC-OtherDates:Anniversary` as an anniversary (another date as a `date` labelled by its type). The
    field names the x line pcrm kept the property as before (`was`), so a store holding that line gets the
    field in its place on a re-import [relabelled-fields]."""
    value = unescape(text).strip()
    before = len(fields)
    decoded = fc_encoded(p.name)
    if decoded is None:
        add("related", value, p, label=RELATED_PROPS[p.name])
    else:
        prop, kind = decoded
        label = fc_label(kind) if kind else None
        if prop == "X-FC-RelatedNames":
            add("related", value, p, label=label or "")
        else:
            iso, ok = _date(text)
            day = iso if ok and iso else value
            if (label or "").lower() == "anniversary":
                add("anniversary", day, p, label="")
            else:
                add("date", day, p, label=label or "")
    if len(fields) > before:
        fields[-1]["was"] = _verbatim(p, text).strip()


def _is_own_number(fn: str, data: dict[str, Any]) -> bool:
    """FN written as one of the card's own phone numbers or e-mail addresses (what `pcrm export vcard`
    writes for a contact with no name, and what phones show for one)."""
    digits = re.sub(r"\D", "", fn)
    if any(fn.strip().lower() == str(e).lower() for e in data.get("emails") or []):
        return True
    return (
        bool(digits)
        and not re.search(r"[^\d\s()+.\-/]", fn)
        and any(re.sub(r"\D", "", str(p)) == digits for p in data.get("phones") or [])
    )


def _scheme(value: str) -> str | None:
    m = re.match(r"^([a-z][a-z0-9+.-]*):", value.lower())
    if not m:
        return None
    if m.group(1) == "im":  # im:slack:handle
        rest = value[3:]
        return rest.split(":", 1)[0] if ":" in rest else None
    return None if m.group(1) == "x-apple" else m.group(1)


def _social(p: Prop, value: str, data: dict[str, Any], add: _Add, labels: dict[str, str]) -> None:
    kind = (p.types[0] if p.types else "").lower()
    low = value.lower()
    handle = _handle_from(value, p)
    if (
        (kind in ("twitter", "x") or "twitter.com/" in low or "x.com/" in low)
        and handle
        and "twitter_handle" not in data
    ):
        data["twitter_handle"] = handle
    elif (
        (kind == "linkedin" or "linkedin.com/" in low)
        and "linkedin.com/" in low
        and "linkedin_url" not in data
    ):
        data["linkedin_url"] = value.strip()
    elif (kind == "telegram" or "t.me/" in low) and handle and "telegram_username" not in data:
        data["telegram_username"] = handle
    elif (kind == "instagram" or "instagram.com/" in low) and handle and "instagram_username" not in data:
        data["instagram_username"] = handle
    else:
        add("social", _verbatim(p, value), label="")


def _photo(p: Prop, rec: ContactRecord, add: _Add, err: _Err) -> None:
    raw = p.raw.strip()
    is_data = raw[:5].lower() == b"data:"
    if p.encoding in ("B", "BASE64") or is_data:
        try:
            blob = base64_decode(raw)
        except Exception as exc:
            if is_b64_error(exc):
                err(p, "ignored PHOTO: its base64 data is damaged")
                return
            raise
        if not blob:
            return
        if len(blob) > MAX_PHOTO:
            err(p, f"ignored PHOTO: larger than {MAX_PHOTO >> 20} MB")
            return
        ext = image_ext(
            blob, (p.param("TYPE") or p.param("MEDIATYPE") or raw[:40].decode("ascii", "replace"))
        )
        if ext is None:
            err(p, "ignored PHOTO: not a JPEG, PNG, GIF or WebP image")
            return
        if rec.avatar is None:
            rec.avatar = (blob, ext)
        return
    if p.encoding in ("QUOTED-PRINTABLE", "QP"):
        blob = p.bytes_value()
        ext = image_ext(blob, p.param("TYPE") or "")
        if ext and rec.avatar is None:
            rec.avatar = (blob, ext)
        return
    url = unescape(p.text()).strip()
    if (p.param(AVATAR_PARAM) or "").upper() == "TRUE" and site_address(url) and "avatar_url" not in rec.data:
        # the contact's photo by its web address, as pcrm's export marks it [own-exports]; an inline photo
        # of the card comes first
        rec.data["avatar_url"] = url
    elif url:
        add("photo", url, label="")


def _pcrm_field(name: str, text: str) -> str | None:
    """The value of an X-PCRM-<FIELD> line pcrm's export writes (`vcard_text.PCRM_FIELDS`), or None when it
    is none the field takes: then the line is kept as it came, as any unknown X- property. A source only when
    it is one pcrm gives contacts; a picture's address only when it is one the field takes (http(s) or a local
    path [safe-links])."""
    value = unescape(text).strip()
    field = PCRM_FIELDS[name]
    if field == "source":
        return file_source(value)
    if field.endswith("_avatar_url") and not web_link(value):
        return None
    return value or None


def image_ext(blob: bytes, hint: str = "") -> str | None:
    if blob[:3] == b"\xff\xd8\xff":
        return "jpg"
    if blob[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if blob[:4] == b"GIF8":
        return "gif"
    if blob[:4] == b"RIFF" and blob[8:12] == b"WEBP":
        return "webp"
    h = hint.lower()
    for key, ext in (("jpeg", "jpg"), ("jpg", "jpg"), ("png", "png"), ("gif", "gif"), ("webp", "webp")):
        if key in h:
            return ext
    return None


def _platform_id(p: Prop, value: str, rec: ContactRecord) -> bool:
    """An X-PCRM-IDENTITY line (`pcrm export vcard`) as the identity it names, when it names a platform with
    an id (or, with X-PCRM-FIELD, one of the platform's identity fields: a handle): the card's own when it
    gave none yet, else one more id of the person (`ContactRecord.more_ids`, a second id a merge brought).
    False leaves the line kept verbatim, as any unknown X- property (a value that is none of the field's)."""
    platform = (p.param("TYPE") or "").lower()
    field = (p.param(ID_FIELD) or "").lower() or PLATFORM_IDS.get(platform)
    if field is None or IDENTITIES.get(field, ("",))[0] != platform or not value:
        return False
    data = rec.data
    if not data.get(field):
        data[field] = value
        return True
    normal = identity_value(field, value)
    if normal is None:
        return False
    if normal != identity_value(field, str(data[field])) and (field, normal) not in rec.more_ids:
        rec.more_ids = (*rec.more_ids, (field, normal))
    return True
