"""vCard import (2.1, 3.0, 4.0): one file, a multi-card file, or a folder of .vcf files (a vdir).

Covers phone and address-book exports (Android, iOS/macOS, Outlook, Evolution, DAVx5) and Google
Takeout's contacts. A group card (KIND:group) is no contact: its name tags its members (`_Groups`). The
bytes are read by `vcard_parse` (our own tolerant reader; see its docstring for
why not vobject); `vcard_record` maps each card to one contact record (its docstring has the table).
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from pcrm.domain.models import display_name
from pcrm.domain.records import ContactRecord
from pcrm.domain.wording import counted
from pcrm.errors import BadRequest
from pcrm.formats.base import Input, Options, Parsed, read_regular
from pcrm.formats.vcard_parse import Card, read_cards, to_utf8
from pcrm.formats.vcard_record import card_record
from pcrm.formats.vcard_text import unescape

NAME = "vcard"
SOURCE = "vcard"
LABEL = "a vCard file"
DIRECTORY = True  # accepts a folder of .vcf files
SUFFIXES = ("vcf", "vcard")


def detect(inp: Input) -> bool:
    if inp.path is not None and inp.path.is_dir():
        return any(_vdir_files(inp.path, limit=1))
    if inp.suffix in SUFFIXES:
        return True
    head = inp.head
    if head[:4].count(b"\x00") >= 1:
        head = to_utf8(inp.head[:2048])[0]
    return b"BEGIN:VCARD" in head[:1024].upper()


def _read(path: str) -> bytes:
    """A file's bytes: plain os calls, a third of pathlib's cost on 100k small files; a regular file only
    [regular-files]."""
    return read_regular(path)


def _vdir_files(folder: Path, limit: int | None = None) -> list[Path]:
    return [folder / name for name in _vdir_names(folder, limit)]


def _vdir_names(folder: Path, limit: int | None = None) -> list[str]:
    """Names of the .vcf/.vcard files in a folder, sorted."""
    out = []
    with os.scandir(folder) as it:
        for entry in it:
            if entry.name.rsplit(".", 1)[-1].lower() in SUFFIXES and entry.is_file():
                out.append(entry.name)
                if limit and len(out) >= limit:
                    break
    return sorted(out)


class _Groups:
    """The group cards of a file or folder (vCard 4.0 `KIND:group`, Apple's `X-ADDRESSBOOKSERVER-KIND:group`)
    and what their members are found by: a group is no person, so its name becomes a tag of each member the
    file holds, named by UID (`urn:uuid:...`) or e-mail (`mailto:...`)."""

    def __init__(self) -> None:
        self.cards: list[tuple[Card, str]] = []  # (the group card, the prefix of its row problems)
        self.by_uid: dict[str, ContactRecord] = {}

    @staticmethod
    def is_group(card: Card) -> bool:
        return any(
            p.name in ("KIND", "X-ADDRESSBOOKSERVER-KIND") and p.text().strip().lower() == "group"
            for p in card.props
        )

    def note(self, card: Card, rec: ContactRecord) -> None:
        uid = next((p.text() for p in card.props if p.name == "UID"), "")
        if key := _member_key(uid):
            self.by_uid.setdefault(key, rec)

    def resolve(self, out: Parsed) -> None:
        """Tag each group's members with its name, and say what became of each group card."""
        by_email: dict[str, list[ContactRecord]] = {}
        for rec in out.contacts:
            for e in rec.data.get("emails") or []:
                by_email.setdefault(str(e).strip().lower(), []).append(rec)
        for card, prefix in self.cards:
            name = next((unescape(p.text()).strip() for p in card.props if p.name == "FN"), "")
            found: list[ContactRecord] = []
            missing = 0
            for p in card.props:
                if p.name not in ("MEMBER", "X-ADDRESSBOOKSERVER-MEMBER"):
                    continue
                value = unescape(p.text()).strip()
                if value.lower().startswith("mailto:"):
                    hits = by_email.get(value[7:].strip().lower(), [])
                else:
                    hits = [r] if (r := self.by_uid.get(_member_key(value) or "")) else []
                found += [r for r in hits if r not in found]
                missing += not hits
            if name:
                for rec in found:
                    tags = rec.data.setdefault("tags", [])
                    if name not in tags:
                        tags.append(name)
            # a group without a name is called by its address or number, as a contact is [display-name]
            shown = name or display_name(card_record(card, []).data)
            said = f"{prefix}{card.label}: {shown!r} is a group card, not a person: "
            tagged = f"its name is a tag of its {counted(len(found), 'member')} in the file"
            said += tagged if name else "skipped"
            if missing:
                said += f" ({counted(missing, 'member')} not in the file)"
            out.errors.append(said)


def _member_key(value: str) -> str | None:
    """A card's UID as a group's MEMBER names it (`urn:uuid:` or not, any case)."""
    v = value.strip().lower().removeprefix("urn:uuid:")
    return v or None


def parse(inp: Input, opts: Options) -> Parsed:
    out = Parsed()
    groups = _Groups()
    if inp.path is not None and inp.path.is_dir():
        names = _vdir_names(inp.path)
        if not names:
            raise BadRequest(
                f"{inp.path} holds no .vcf files", hint="point pcrm import at a .vcf file or a vdir"
            )
        folder = os.fspath(inp.path)
        for i, name in enumerate(names):
            if opts.progress and i % 2000 == 0:
                opts.progress("reading", i, len(names))
            try:
                data = _read(os.path.join(folder, name))
            except OSError as exc:
                out.errors.append(f"{name}: Row 1: cannot read it ({exc.strerror}); skipped")
                continue
            _parse_bytes(data, name, out, where=name, groups=groups)
        groups.resolve(out)
        _ids_named_once(out)
        return out
    _parse_bytes(inp.data, inp.filename, out, where="", groups=groups)
    groups.resolve(out)
    _ids_named_once(out)
    if not out.contacts and out.errors and not any("no name, email" in e for e in out.errors):
        if groups.cards:
            raise BadRequest(
                f"{inp.filename} holds only group cards, no person ({out.errors[-1]})",
                hint="export the contacts themselves (the whole address book), not a group",
            )
        raise BadRequest(
            f"{inp.filename}: no complete vCard in the file ({out.errors[0]})",
            hint="export the contacts again; the file seems cut short or is not a vCard",
        )
    return out


def _ids_named_once(out: Parsed) -> None:
    """Mark the cards whose UID (a pcrm store's contact id) no other card of the file or folder names: a card
    renamed rather than copied beside its original [own-exports]."""
    ids = Counter(rec.pcrm_id for rec in out.contacts if rec.pcrm_id)
    for rec in out.contacts:
        if rec.pcrm_id:
            rec.pcrm_id_inside = True
            rec.pcrm_id_once = ids[rec.pcrm_id] == 1


def _parse_bytes(data: bytes, filename: str, out: Parsed, where: str, groups: _Groups) -> None:
    cards, errors = read_cards(data)
    prefix = f"{where}: " if where else ""
    out.errors += [prefix + e for e in errors]
    if not cards and not errors:
        if where:
            out.errors.append(f"{where}: Row 1: no BEGIN:VCARD in this file; skipped")
            return
        raise BadRequest(
            f"{filename} holds no vCard (no BEGIN:VCARD line)",
            hint="a vCard file starts with BEGIN:VCARD; for a file of another kind, name its kind with "
            "--format (`pcrm import --help` lists them) or leave --format out to let pcrm tell",
        )
    for card in cards:
        if groups.is_group(card):  # no person: its name tags its members once all cards are read
            groups.cards.append((card, prefix))
            continue
        rec = card_record(card, out.errors, prefix)
        rec.where = where
        groups.note(card, rec)
        out.contacts.append(rec)
