"""`pcrm export vcard [--version 3.0|4.0] [--dir]`: the address book as vCards a phone accepts.

One card per contact: N and FN, ORG, TITLE, NOTE, BDAY (`--MMDD` / `--MM-DD` without a year),
CATEGORIES (tags), EMAIL and TEL with their labels, X-SOCIALPROFILE for the X, LinkedIn, Telegram and
Instagram identities, the avatar as an inline PHOTO, and everything `contact_fields` holds (see
pcrm/services/imports/vcard.py for the kinds): addresses, URLs, IM handles, nicknames, anniversaries,
dates, relations, and the properties kept verbatim. Labels that are vCard types (home, work, cell, fax,
...) are written as TYPE; other labels as an Apple `itemN.X-ABLabel` group, which iOS, macOS and
Google read. Lines are CRLF and folded at 75 octets. `pcrm import` reads the export back into the
same contacts. `--dir` writes a vdir: one `<uuid>.vcf` per contact.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from pcrm.errors import NotFound, ValidationError
from pcrm.services.context import Context, Result
from pcrm.services.imports.vcard import APPLE_LABELS
from pcrm.services.imports.vcard_parse import escape, split_escaped

VERSIONS = ("3.0", "4.0")
STANDARD_TYPES = {
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
                shown = APPLE_LABELS.get(label.lower())
                self.lines.append(f"{group}{name}{params}:{value}")
                self.lines.append(f"{group}X-ABLabel:{escape(f'_$!<{shown}>!$_' if shown else label)}")
                return
        self.lines.append(f"{group}{name}{params}:{value}")

    def verbatim(self, line: str, label: str | None) -> None:
        if label:
            self.items += 1
            self.lines.append(f"item{self.items}.{line}")
            shown = APPLE_LABELS.get(label.lower())
            self.lines.append(f"item{self.items}.X-ABLabel:{escape(f'_$!<{shown}>!$_' if shown else label)}")
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
    c: dict[str, Any], fields: list[dict[str, Any]], version: str, avatar: tuple[bytes, str] | None
) -> bytes:
    from pcrm import __version__

    v4 = version == "4.0"
    k = _Card(version)
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for f in fields:
        by_kind.setdefault(f["kind"], []).append(f)
    out = [
        "BEGIN:VCARD",
        f"VERSION:{version}",
        f"PRODID:-//pcrm//pcrm {__version__}//EN",
        f"UID:urn:uuid:{c['id']}" if v4 else f"UID:{c['id']}",
    ]
    full = c.get("full_name") or " ".join(x for x in (c.get("given_name"), c.get("family_name")) if x) or ""
    n_field = [f for f in by_kind.get("n", []) if _same_n(f["value"], c)]
    if n_field:
        k.lines.append(f"N:{n_field[0]['value']}")
    else:
        k.lines.append(f"N:{escape(c.get('family_name') or '')};{escape(c.get('given_name') or '')};;;")
    for f in by_kind.get("n", []):  # an N that no longer matches the names (edited, merged): kept aside
        if not n_field or f is not n_field[0]:
            k.lines.append(f"X-PCRM-N:{f['value']}")
    k.lines.append(f"FN:{escape(full)}")
    for f in by_kind.get("nickname", []):
        k.lines.append(f"NICKNAME:{escape(f['value'])}")
    org = [
        f
        for f in by_kind.get("org", [])
        if (split_escaped(f["value"])[0].strip() or None) == c.get("company")
    ]
    if org:
        k.lines.append(f"ORG:{org[0]['value']}")
    elif c.get("company"):
        k.lines.append(f"ORG:{escape(c['company'])}")
    for f in by_kind.get("org", []):
        if not org or f is not org[0]:
            k.lines.append(f"X-PCRM-ORG:{f['value']}")
    if c.get("title"):
        k.lines.append(f"TITLE:{escape(c['title'])}")
    email_meta = {f["value"].lower(): f for f in by_kind.get("email", [])}
    for e in c.get("emails") or []:
        meta = email_meta.get(e.lower(), {})
        label = meta.get("label")
        params = _pref(meta.get("pref"), version)
        if not v4:
            params = ";TYPE=INTERNET" + params
        k.add("EMAIL", e, params, label)
    # labelled values pcrm could not take as addresses (e.g. Outlook's "BusinessPhone") go back as they came
    for f in by_kind.get("email", []):
        if f["value"].lower() not in {e.lower() for e in c.get("emails") or []}:
            k.add("EMAIL", escape(f["value"]), _pref(f.get("pref"), version), f.get("label"))
    phone_meta = {f["value"]: f for f in by_kind.get("phone", [])}
    for p in c.get("phones") or []:
        meta = phone_meta.get(p, {})
        k.add("TEL", p, _pref(meta.get("pref"), version), meta.get("label"))
    for f in by_kind.get("phone", []):
        if f["value"] not in (c.get("phones") or []):
            k.add("TEL", escape(f["value"]), _pref(f.get("pref"), version), f.get("label"))
    for f in by_kind.get("address", []):
        k.add("ADR", f["value"], _pref(f.get("pref"), version), f.get("label"))
    if c.get("location") and not _location_from(by_kind.get("address", []), c["location"]):
        k.lines.append(f"X-PCRM-LOCATION:{escape(c['location'])}")
    for f in by_kind.get("url", []):
        k.add("URL", f["value"], _pref(f.get("pref"), version), f.get("label"))
    for f in by_kind.get("im", []):
        label = f.get("label")
        if label and re.fullmatch(r"[\w .+-]+", label):  # a service name: X-SERVICE-TYPE keeps it as written
            k.add("IMPP", f["value"], f";X-SERVICE-TYPE={label}" + _pref(f.get("pref"), version))
        else:
            k.add("IMPP", f["value"], _pref(f.get("pref"), version), label, label_types=False)
    if c.get("birthday"):
        b = c["birthday"]
        if len(b) == 5:
            k.lines.append(f"BDAY:--{b}" if v4 else f"BDAY:--{b.replace('-', '')}")
        else:
            k.lines.append(f"BDAY:{b}")
    for f in by_kind.get("birthday", []):
        k.lines.append(f"BDAY;VALUE=text:{escape(f['value'])}")
    for f in by_kind.get("anniversary", []):
        if v4 and not f.get("label"):
            k.lines.append(f"ANNIVERSARY:{f['value']}")
        else:
            k.add(
                "X-ABDATE",
                f["value"],
                _pref(f.get("pref"), version),
                f.get("label") or "anniversary",
                label_types=False,
            )
    for f in by_kind.get("date", []):
        k.add("X-ABDATE", f["value"], _pref(f.get("pref"), version), f.get("label"), label_types=False)
    for f in by_kind.get("related", []):
        k.add(
            "X-ABRELATEDNAMES",
            escape(f["value"]),
            _pref(f.get("pref"), version),
            f.get("label"),
            label_types=False,
        )
    if c.get("notes"):
        k.lines.append(f"NOTE:{escape(c['notes'])}")
    if c.get("tags"):
        k.lines.append("CATEGORIES:" + ",".join(escape(t) for t in c["tags"]))
    if c.get("twitter_handle"):
        k.lines.append(f"X-SOCIALPROFILE;TYPE=twitter:https://twitter.com/{c['twitter_handle']}")
    if c.get("linkedin_url"):
        k.lines.append(f"X-SOCIALPROFILE;TYPE=linkedin:{c['linkedin_url']}")
    if c.get("telegram_username") and not any(
        f.get("label", "") and f["label"].lower() == "telegram" for f in by_kind.get("im", [])
    ):
        k.lines.append(f"X-SOCIALPROFILE;TYPE=telegram:https://t.me/{c['telegram_username']}")
    if c.get("instagram_username"):
        k.lines.append(f"X-SOCIALPROFILE;TYPE=instagram:https://instagram.com/{c['instagram_username']}")
    if avatar:
        blob, ext = avatar
        b64 = base64.b64encode(blob).decode("ascii")
        if v4:
            k.lines.append(f"PHOTO:data:{_MIME.get(ext, 'image/jpeg')};base64,{b64}")
        else:
            k.lines.append(f"PHOTO;ENCODING=b;TYPE={'JPEG' if ext == 'jpg' else ext.upper()}:{b64}")
    for f in by_kind.get("photo", []):
        k.lines.append(f"PHOTO:{f['value']}" if v4 else f"PHOTO;VALUE=uri:{f['value']}")
    for kind in ("social", "prop", "x"):
        for f in by_kind.get(kind, []):
            k.verbatim(f["value"], f.get("label"))
    out += k.lines
    out.append("END:VCARD")
    return b"".join(fold(line) for line in out)


def _same_n(value: str, c: dict[str, Any]) -> bool:
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


def _avatar(c: dict[str, Any]) -> tuple[bytes, str] | None:
    from pcrm import paths

    p = paths.avatar_path(c.get("avatar_url"))
    if p is None:
        return None
    try:
        return p.read_bytes(), p.name.rsplit(".", 1)[-1].lower()
    except OSError:
        return None


def cards(ctx: Context, version: str) -> Iterator[tuple[str, bytes]]:
    """(contact uuid, card bytes) for every contact, oldest first."""
    from pcrm.store import contacts as cstore
    from pcrm.store import vcards as vstore

    ids = vstore.contact_ids(ctx.conn)
    for i in range(0, len(ids), 1000):
        chunk = ids[i : i + 1000]
        fields = vstore.fields_by_contact(ctx.conn, chunk)
        for c in cstore.fetch(ctx.conn, chunk):
            yield c["id"], card(c, fields.get(c["id"], []), version, _avatar(c))


def export_vcard(
    ctx: Context,
    *,
    version: str = "3.0",
    output: str | None = None,
    directory: bool = False,
    stream: IO[bytes] | None = None,
) -> Result:
    """Write every contact as vCard to `output` (a file, or with `directory` a vdir folder) or to `stream`."""
    version = (version or "").strip()
    if version not in VERSIONS:
        raise ValidationError(
            f"vCard version must be 3.0 or 4.0, not {version!r}",
            field="version",
            hint="e.g. pcrm export vcard --version 4.0 --output contacts.vcf",
        )
    written = 0
    count = 0
    path: Path | None = None
    if directory:
        if not output:
            raise ValidationError(
                "--dir writes one .vcf per contact into a folder; give it with --output",
                field="output",
                hint="e.g. pcrm export vcard --dir --output ~/contacts-vdir",
            )
        path = Path(output).expanduser()
        if not path.parent.exists():
            raise NotFound(f"no folder {path.parent}", hint="create it first, or pick another --output")
        path.mkdir(exist_ok=True)
        for uuid, data in cards(ctx, version):
            tmp = path / f"{uuid}.vcf.part"
            tmp.write_bytes(data)
            tmp.replace(path / f"{uuid}.vcf")
            written += len(data)
            count += 1
    else:
        from pcrm.services.exports import write_chunks

        def chunks() -> Iterator[bytes]:
            nonlocal count
            for _uuid, card in cards(ctx, version):
                count += 1
                yield card

        path, written = write_chunks(ctx, chunks(), output=output, suffix="vcf", stream=stream)
    return Result(
        {
            "format": "vcard",
            "version": version,
            "path": str(path) if path else None,
            "bytes": written,
            "contacts": count,
            "directory": directory,
        }
    )
