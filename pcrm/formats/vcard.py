"""vCard import (2.1, 3.0, 4.0): one file, a multi-card file, or a folder of .vcf files (a vdir).

Covers phone and address-book exports (Android, iOS/macOS, Outlook, Evolution, DAVx5) and Google
Takeout's contacts. The bytes are read by `vcard_parse` (our own tolerant reader; see its docstring for
why not vobject); `vcard_record` maps each card to one contact record (its docstring has the table).
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from pcrm.errors import BadRequest
from pcrm.formats.base import Input, Options, Parsed, read_regular
from pcrm.formats.vcard_parse import read_cards, to_utf8
from pcrm.formats.vcard_record import card_record

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


def parse(inp: Input, opts: Options) -> Parsed:
    out = Parsed()
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
            _parse_bytes(data, name, out, where=name)
        _ids_named_once(out)
        return out
    _parse_bytes(inp.data, inp.filename, out, where="")
    _ids_named_once(out)
    if not out.contacts and out.errors and not any("no name, email" in e for e in out.errors):
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


def _parse_bytes(data: bytes, filename: str, out: Parsed, where: str) -> None:
    cards, errors = read_cards(data)
    prefix = f"{where}: " if where else ""
    out.errors += [prefix + e for e in errors]
    if not cards and not errors:
        if where:
            out.errors.append(f"{where}: Row 1: no BEGIN:VCARD in this file; skipped")
            return
        raise BadRequest(
            f"{filename} holds no vCard (no BEGIN:VCARD line)",
            hint="pick a .vcf file, or name the format with --format",
        )
    for card in cards:
        rec = card_record(card, out.errors, prefix)
        rec.where = where
        out.contacts.append(rec)
