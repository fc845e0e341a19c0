"""Contacts to vCard 3.0 or 4.0 text: the cards `pcrm export vcard` writes.

One card per contact: N and FN, ORG, TITLE, NOTE, BDAY (`--MMDD` / `--MM-DD` without a year),
CATEGORIES (tags), EMAIL and TEL with their labels, X-SOCIALPROFILE for the X, LinkedIn, Telegram and
Instagram handles, X-PCRM-IDENTITY for each platform's own id of the person (Telegram's user id, a WhatsApp
number), an `X-PCRM-<FIELD>` line for each text field no property holds (a platform's bio, the source: see
`vcard_text.PCRM_FIELDS`), the avatar as an inline PHOTO (a photo given by its web address as a PHOTO URI
marked X-PCRM-AVATAR), and everything `contact_fields` holds (see
`vcard_record` for the kinds): addresses, URLs, IM handles, nicknames, anniversaries, dates,
relations, and the properties kept verbatim. Labels that are vCard types (home, work, cell, fax, ...)
are written as TYPE; other labels as an Apple `itemN.X-ABLabel` group, which iOS, macOS and Google
read. Lines are CRLF and folded at 75 octets. `pcrm import` reads the cards back into the same
contacts.

Every value is escaped as RFC 6350 says [vcard-escaping]: text (names, notes, phones, labels, dates) with
backslash, line break, comma and semicolon escaped; URI values (URL, IMPP, PHOTO, profile links) with
backslash and line break escaped; values `contact_fields` keeps already escaped (ADR, N, ORG, verbatim
lines) as stored, a raw line break in them written as `\n`. No value can end its line early, and no kept
line can be a property that shapes the card (BEGIN, END, FN, UID, ...): such a line is written as the text
of an X-PCRM-PROPERTY line.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from typing import Any

from pcrm.domain.models import IDENTITIES, PROTECTABLE, Contact, display_name
from pcrm.domain.name_parts import NameParts, split_name
from pcrm.domain.normalize import is_email, site_address
from pcrm.formats.vcard_text import (
    AVATAR_PARAM,
    CREATED,
    EDITED,
    ID_FIELD,
    PCRM_FIELDS,
    PLATFORM_IDS,
    STANDARD_TYPES,
    ab_label,
    escape,
    escape_uri,
    kept_line,
    known_label,
    one_line,
    split_escaped,
    words_phone,
)

VERSIONS = ("3.0", "4.0")
# the parameter of an N whose parts pcrm read off the full name, the contact having none [name-parts]
DERIVED_N = "X-PCRM-FROM=FN"
_MIME = {"jpg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp"}


def fold(line: str) -> bytes:
    """One content line, folded at 75 octets (never inside a UTF-8 sequence), CRLF-terminated."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return data + b"\r\n"
    out = bytearray()
    start, first = 0, True
    while start < len(data):
        limit = 75 if first else 74
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # a continuation byte: step back
            end -= 1
        out += (b"" if first else b" ") + data[start:end] + b"\r\n"
        start, first = end, False
    return bytes(out)


class _Card:
    def __init__(self, version: str) -> None:
        self.version = version
        self.lines: list[str] = []
        self.items = 0

    def add(
        self, name: str, value: str, params: str = "", label: str | None = None, label_types: bool = True
    ) -> None:
        """A property; a label that is made of vCard types becomes TYPE, any other an itemN.X-ABLabel."""
        group = ""
        if label:
            parts = [p.strip() for p in label.split(",") if p.strip()]
            if label_types and parts and all(p.lower() in STANDARD_TYPES for p in parts):
                params = f";TYPE={','.join(parts)}" + params
            else:
                self.items += 1
                group = f"item{self.items}."
                self.lines.append(f"{group}{name}{params}:{one_line(value)}")
                self.lines.append(f"{group}X-ABLabel:{ab_label(label)}")
                return
        self.lines.append(f"{group}{name}{params}:{one_line(value)}")

    def verbatim(self, kind: str, line: str, label: str | None) -> None:
        if not kept_line(kind, line):
            # no card property, one that shapes the card (END, BEGIN, FN, UID, ...) or one the card writes
            # from the contact's own values (EMAIL, TEL, CATEGORIES, ...), from whatever import kept it:
            # written as the text of an extension line, never as the property itself
            line = f"X-PCRM-PROPERTY:{escape(line)}"
        line = one_line(line)
        if label and label != known_label(line):  # a label the property gives on import needs no X-ABLabel
            self.items += 1
            self.lines.append(f"item{self.items}.{line}")
            self.lines.append(f"item{self.items}.X-ABLabel:{ab_label(label)}")
        else:
            self.lines.append(line)


def _pref(pref: Any, version: str) -> str:
    if not pref:
        return ""
    if version == "4.0":
        return f";PREF={int(pref)}"
    # 3.0 (RFC 2426) has TYPE=pref but no PREF rank: a lower rank goes in an x-name parameter
    return ";TYPE=pref" if int(pref) == 1 else f";X-PCRM-PREF={int(pref)}"


def card(
    c: Contact,
    fields: list[dict[str, Any]],
    version: str,
    avatar: tuple[bytes, str] | None,
    *,
    prodid: str,
    more_ids: Sequence[tuple[str, str]] = (),
) -> bytes:
    """One contact's card: `c` is the contact as the store gives it (names, emails, phones, identities,
    ...), `fields` its contact_fields rows, `avatar` its photo (bytes and extension), `prodid` the
    PRODID value naming the program that wrote it, `more_ids` the identities (field, value) it holds
    beside the ones it shows (a second Telegram id a merge brought)."""
    v4 = version == "4.0"
    k = _Card(version)
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for f in fields:
        by_kind.setdefault(f["kind"], []).append(f)
    out = [
        "BEGIN:VCARD",
        f"VERSION:{version}",
        f"PRODID:{prodid}",
        f"UID:urn:uuid:{c['id']}" if v4 else f"UID:{c['id']}",
    ]
    full = c.get("full_name") or " ".join(x for x in (c.get("given_name"), c.get("family_name")) if x) or ""
    if not full and (c.get("emails") or c.get("phones")):
        full = display_name(c)  # FN is required: a card with only a number is named by it [display-name]
    n_field = [f for f in by_kind.get("n", []) if _same_n(f["value"], c)]
    if n_field:
        k.lines.append(f"N:{one_line(n_field[0]['value'])}")
    else:
        value, derived = _n_value(c)
        # parts read off the full name say so: pcrm's import reads them as no names given, so the card
        # imports back as the contact it was (a phone ignores the parameter and shows the parts)
        k.lines.append(f"N;{DERIVED_N}:{value}" if derived else f"N:{value}")
    for f in by_kind.get("n", []):  # an N that no longer matches the names (edited, merged): kept aside
        if not n_field or f is not n_field[0]:
            k.lines.append(f"X-PCRM-N:{one_line(f['value'])}")
    k.lines.append(f"FN:{escape(full)}")
    for f in by_kind.get("nickname", []):
        k.lines.append(f"NICKNAME:{escape(f['value'])}")
    org = [
        f
        for f in by_kind.get("org", [])
        if (split_escaped(f["value"])[0].strip() or None) == c.get("company")
    ]
    if org:
        k.lines.append(f"ORG:{one_line(org[0]['value'])}")
    elif company := c.get("company"):
        k.lines.append(f"ORG:{escape(company)}")
    for f in by_kind.get("org", []):
        if not org or f is not org[0]:
            k.lines.append(f"X-PCRM-ORG:{one_line(f['value'])}")
    if title := c.get("title"):
        k.lines.append(f"TITLE:{escape(title)}")
    email_meta = {f["value"].lower(): f for f in by_kind.get("email", [])}
    for e in c.get("emails") or []:
        meta = email_meta.get(e.lower(), {})
        label = meta.get("label")
        params = _pref(meta.get("pref"), version)
        if not v4:
            params = ";TYPE=INTERNET" + params
        k.add("EMAIL", escape(e), params, label)
    # the label of an address the contact no longer holds goes back as it came; a value that is no address
    # (kept so by an older import) is no EMAIL line, but the extra field imports keep it in [not-an-address]
    for f in by_kind.get("email", []):
        if f["value"].lower() in {e.lower() for e in c.get("emails") or []}:
            continue
        if is_email(f["value"].strip().lower()):
            k.add("EMAIL", escape(f["value"]), _pref(f.get("pref"), version), f.get("label"))
        else:
            k.lines.append(f"X-PCRM-EMAIL:{escape(f['value'])}")
    phone_meta = {f["value"]: f for f in by_kind.get("phone", [])}
    # a number with an extension is kept as a `phone` field `number ext. N`: written in the number's place
    ext_of = {f["value"].split(" ext. ")[0]: f for f in by_kind.get("phone", []) if " ext. " in f["value"]}
    for p in c.get("phones") or []:
        meta = ext_of.get(p) or phone_meta.get(p, {})
        value = escape(meta["value"] if p in ext_of else p)
        k.add("TEL", value, _pref(meta.get("pref"), version), meta.get("label"))
    phones = c.get("phones") or []
    for f in by_kind.get("phone", []):
        if f["value"] not in phones and f["value"].split(" ext. ")[0] not in phones:
            k.add("TEL", escape(f["value"]), _pref(f.get("pref"), version), f.get("label"))
    for f in by_kind.get("note", []):
        tel, label = words_phone(f.get("label"))
        if tel:  # a TEL that held words: written back as it came, with its label (TYPE=pager, X-ABLabel)
            k.add("TEL", escape(f["value"]), "", label)
    for f in by_kind.get("address", []):
        k.add("ADR", f["value"], _pref(f.get("pref"), version), f.get("label"))
    location = c.get("location")
    if location and not _location_from(by_kind.get("address", []), location):
        k.lines.append(f"X-PCRM-LOCATION:{escape(location)}")
    # what no vCard property says, so that a restore or a move from the file keeps them: a priority other
    # than the default, and the map point (both or neither) [own-exports]
    if (level := c.get("priority_level")) and level != "medium":
        k.lines.append(f"X-PCRM-PRIORITY:{level}")
    if c.get("latitude") is not None and c.get("longitude") is not None:
        k.lines.append(f"X-PCRM-LATITUDE:{c['latitude']!r}")
        k.lines.append(f"X-PCRM-LONGITUDE:{c['longitude']!r}")
    for f in by_kind.get("url", []):
        k.add("URL", escape_uri(f["value"]), _pref(f.get("pref"), version), f.get("label"))
    for f in by_kind.get("im", []):
        label = f.get("label")
        if label and re.fullmatch(r"[\w .+-]+", label):  # a service name: X-SERVICE-TYPE keeps it as written
            k.add("IMPP", escape_uri(f["value"]), f";X-SERVICE-TYPE={label}" + _pref(f.get("pref"), version))
        else:
            k.add("IMPP", escape_uri(f["value"]), _pref(f.get("pref"), version), label, label_types=False)
    if b := c.get("birthday"):
        if len(b) == 5:
            k.lines.append(f"BDAY:--{b}" if v4 else f"BDAY:--{b.replace('-', '')}")
        else:
            k.lines.append(f"BDAY:{b}")
    # a birthday kept as written [kept-birthdays]; a `note` labelled birthday is how pcrm kept a future one
    # before, written back the same way
    kept = by_kind.get("birthday", []) + [f for f in by_kind.get("note", []) if f.get("label") == "birthday"]
    for i, f in enumerate(kept):
        # one BDAY a card (vCard 4.0; an app reading the last one would take the text for the birthday)
        bday = i == 0 and not c.get("birthday")
        k.lines.append(f"{'BDAY;VALUE=text' if bday else 'X-PCRM-BIRTHDAY'}:{escape(f['value'])}")
    for f in by_kind.get("anniversary", []):
        if v4 and not f.get("label"):
            k.lines.append(f"ANNIVERSARY:{escape(f['value'])}")
        else:
            k.add(
                "X-ABDATE",
                escape(f["value"]),
                _pref(f.get("pref"), version),
                f.get("label") or "anniversary",
                label_types=False,
            )
    for f in by_kind.get("date", []):
        k.add(
            "X-ABDATE", escape(f["value"]), _pref(f.get("pref"), version), f.get("label"), label_types=False
        )
    for f in by_kind.get("related", []):
        k.add(
            "X-ABRELATEDNAMES",
            escape(f["value"]),
            _pref(f.get("pref"), version),
            f.get("label"),
            label_types=False,
        )
    if notes := c.get("notes"):
        k.lines.append(f"NOTE:{escape(notes)}")
    if c.get("tags"):
        k.lines.append("CATEGORIES:" + ",".join(escape(t) for t in c["tags"]))
    if twitter := c.get("twitter_handle"):
        k.lines.append(f"X-SOCIALPROFILE;TYPE=twitter:https://twitter.com/{escape_uri(twitter)}")
    if linkedin := c.get("linkedin_url"):
        k.lines.append(f"X-SOCIALPROFILE;TYPE=linkedin:{escape_uri(linkedin)}")
    telegram = c.get("telegram_username")
    if telegram and not any(
        f.get("label", "") and f["label"].lower() == "telegram" for f in by_kind.get("im", [])
    ):
        k.lines.append(f"X-SOCIALPROFILE;TYPE=telegram:https://t.me/{escape_uri(telegram)}")
    if instagram := c.get("instagram_username"):
        k.lines.append(f"X-SOCIALPROFILE;TYPE=instagram:https://instagram.com/{escape_uri(instagram)}")
    for platform, field in PLATFORM_IDS.items():  # [own-exports]: ids no standard property holds
        id_value: Any = c.get(field)
        if id_value not in (None, ""):
            k.lines.append(f"X-PCRM-IDENTITY;TYPE={platform}:{escape(str(id_value))}")
    for field, value in more_ids:  # [own-exports]: an identity the contact holds but does not show
        k.lines.append(f"X-PCRM-IDENTITY;TYPE={IDENTITIES[field][0]};{ID_FIELD}={field}:{escape(value)}")
    # the contact's creation time, kept by a move as its id is [own-exports]
    if created := c.get("created_at"):
        k.lines.append(f"{CREATED}:{escape(created)}")
    for name, field in PCRM_FIELDS.items():  # [own-exports]: text no standard property holds (a bio, ...)
        if text := c.get(field):
            k.lines.append(f"{name}:{escape(str(text))}")
    if avatar:
        blob, ext = avatar
        b64 = base64.b64encode(blob).decode("ascii")
        if v4:
            k.lines.append(f"PHOTO:data:{_MIME.get(ext, 'image/jpeg')};base64,{b64}")
        else:
            k.lines.append(f"PHOTO;ENCODING=b;TYPE={'JPEG' if ext == 'jpg' else ext.upper()}:{b64}")
    elif (url := c.get("avatar_url")) and site_address(url):
        # a photo by its web address: the address, marked as the contact's own photo so the import makes it
        # the avatar again, not a picture's address kept aside [own-exports]
        uri = escape_uri(url)
        k.lines.append(
            f"PHOTO;{AVATAR_PARAM}=TRUE:{uri}" if v4 else f"PHOTO;VALUE=uri;{AVATAR_PARAM}=TRUE:{uri}"
        )
    for f in by_kind.get("photo", []):
        uri = escape_uri(f["value"])
        k.lines.append(f"PHOTO:{uri}" if v4 else f"PHOTO;VALUE=uri:{uri}")
    for kind in ("social", "prop", "x"):
        for f in by_kind.get(kind, []):
            k.verbatim(kind, f["value"], f.get("label"))
    if edited := [f for f in PROTECTABLE if f in (c.get("user_edited_fields") or ())]:
        k.lines.append(f"{EDITED}:{','.join(edited)}")  # the fields typed by hand [own-exports]
    out += k.lines
    out.append("END:VCARD")
    return b"".join(fold(line) for line in out)


def _n_value(c: Contact) -> tuple[str, bool]:
    """N from the contact's names when no stored N agrees with them: family;given;middle;prefixes;suffixes
    [name-parts]. The given and family names as stored; when the contact has neither (an older store, an
    import that gave a name alone), the ones its full name gives, since phones show N, not FN ("Dr. Jane
    Smith": Smith;Jane;;Dr.;). Middle names, prefixes and suffixes only from a full name whose given and
    family names are the stored ones: parts set otherwise say nothing of where the rest belongs. Returns
    the value and whether its given and family names were read off the full name (none stored)."""
    given, family = c.get("given_name") or None, c.get("family_name") or None
    parts = split_name(c.get("full_name"))
    derived = given is None and family is None and bool(parts.given or parts.family)
    if given is None and family is None:
        given, family = parts.given or None, parts.family or None
    elif (given, family) != (parts.given or None, parts.family or None):
        parts = NameParts()

    def many(values: tuple[str, ...]) -> str:
        return ",".join(escape(v) for v in values)

    value = ";".join(
        [
            escape(family or ""),
            escape(given or ""),
            many(parts.middle),
            many(parts.prefixes),
            many(parts.suffixes),
        ]
    )
    return value, derived


def _same_n(value: str, c: Contact) -> bool:
    """A stored N (with middle names, prefixes, suffixes) still agrees with the contact's names."""
    parts = [*split_escaped(value), "", ""]
    return (parts[0].strip() or None) == c.get("family_name") and (parts[1].strip() or None) == c.get(
        "given_name"
    )


def _location_from(addresses: list[dict[str, Any]], location: str) -> bool:
    """Whether the import would derive this location from the addresses (city, region, country)."""
    if not addresses:
        return False
    chosen = next((a for a in addresses if a.get("pref")), addresses[0])
    parts = split_escaped(chosen["value"]) + [""] * 7
    return ", ".join(x.strip() for x in (parts[3], parts[4], parts[6]) if x.strip()) == location
