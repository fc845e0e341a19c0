"""`pcrm export vcard [--version 3.0|4.0] [--dir]`: the address book as vCards a phone accepts.

The cards themselves are written by `pcrm.formats.vcard_write`; this module reads the contacts, their
contact_fields and avatars from the store and streams the cards to one file (or stdout), or with
`--dir` to a vdir: one `<uuid>.vcf` per contact.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from pcrm import __version__, paths
from pcrm.domain.models import Contact
from pcrm.errors import NotFound, ValidationError
from pcrm.formats.vcard_write import VERSIONS, card
from pcrm.services.context import Context, Result
from pcrm.services.exports import selected, write_chunks
from pcrm.store import contacts as cstore
from pcrm.store import vcards as vstore
from pcrm.store.exports import snapshot

PRODID = f"-//pcrm//pcrm {__version__}//EN"
SUFFIX = "vcf"


def _avatar(c: Contact) -> tuple[bytes, str] | None:
    p = paths.avatar_path(c.get("avatar_url"))
    if p is None:
        return None
    try:
        return p.read_bytes(), p.name.rsplit(".", 1)[-1].lower()
    except OSError:
        return None


def cards(ctx: Context, version: str, only: frozenset[str] | None = None) -> Iterator[tuple[str, bytes]]:
    """(contact uuid, card bytes) for every contact (`only`: just these ids), oldest first."""
    ids = vstore.contact_ids(ctx.conn)
    for i in range(0, len(ids), 1000):
        chunk = ids[i : i + 1000]
        fields = vstore.fields_by_contact(ctx.conn, chunk)
        for c in cstore.fetch_contacts(ctx.conn, chunk):
            if only is not None and c["id"] not in only:
                continue
            yield c["id"], card(c, fields.get(c["id"], []), version, _avatar(c), prodid=PRODID)


def export_vcard(
    ctx: Context,
    *,
    version: str = "3.0",
    output: str | None = None,
    directory: bool = False,
    stream: IO[bytes] | None = None,
    filters: Mapping[str, Any] | None = None,
    replace: bool = False,
    keep_stale: bool = False,
) -> Result:
    """Write every contact (or those `filters` select, as the contact list does) as vCard to `output` (a
    file, an existing one only with `replace`; or with `directory` a vdir folder) or to `stream`. A vdir
    export then removes the cards pcrm wrote there earlier for contacts it no longer writes (deleted,
    merged, out of the selection), unless `keep_stale` [vcard-folders]."""
    version = (version or "").strip()
    if version not in VERSIONS:
        raise ValidationError(
            f"vCard version must be 3.0 or 4.0, not {version!r}",
            field="version",
            hint="e.g. pcrm export vcard --version 4.0 --output contacts.vcf",
        )
    if keep_stale and not directory:
        raise ValidationError(
            "--keep-stale is for a folder export (--dir): one file holds only what it writes",
            field="keep_stale",
            hint="e.g. pcrm export vcard --dir --keep-stale --output ~/contacts-vdir",
        )
    only = selected(ctx, filters)
    vdir = _vdir(output) if directory else None
    path: Path | None = vdir
    removed: list[str] = []
    # every card from one snapshot, as the other exports [lossless-export]: a write landing during a long
    # export is not half in it (a contact's row and its contact_fields are read by separate queries)
    with snapshot(ctx.conn):
        if vdir is not None:
            written, uuids = _write_vdir(vdir, cards(ctx, version, only))
            count = len(uuids)
            removed = [] if keep_stale else _remove_stale(vdir, uuids)
        else:
            count = 0

            def chunks() -> Iterator[bytes]:
                nonlocal count
                for _uuid, data in cards(ctx, version, only):
                    count += 1
                    yield data

            path, written = write_chunks(
                ctx, chunks(), output=output, suffix=SUFFIX, stream=stream, replace=replace
            )
    return Result(
        {
            "format": "vcard",
            "version": version,
            "path": str(path) if path else None,
            "bytes": written,
            "contacts": count,
            "directory": directory,
            "removed": len(removed),
        }
    )


def _vdir(output: str | None) -> Path:
    """The vdir folder `--dir --output` names, created private if missing; refused if it is a file or its
    parent folder does not exist."""
    if not output:
        raise ValidationError(
            "--dir writes one .vcf per contact into a folder; give it with --output",
            field="output",
            hint="e.g. pcrm export vcard --dir --output ~/contacts-vdir",
        )
    path = Path(output).expanduser()
    if not path.parent.exists():
        raise NotFound(f"no folder {path.parent}", hint="create it first, or pick another --output")
    if path.exists() and not path.is_dir():
        raise ValidationError(
            f"{path} is a file; --dir writes one .vcf per contact into a folder",
            field="output",
            hint="give a folder (it is created if missing), or leave out --dir for one file",
        )
    paths.private_dir(path)
    return path


def _write_vdir(path: Path, cards: Iterable[tuple[str, bytes]]) -> tuple[int, set[str]]:
    """One `<uuid>.vcf` per card, each written beside itself and renamed when complete; (bytes, the uuids
    written)."""
    written = 0
    uuids: set[str] = set()
    for uuid, data in cards:
        tmp = path / f"{uuid}.vcf.part"
        paths.write_private(tmp, data)  # [private-files]
        tmp.replace(path / f"{uuid}.vcf")
        written += len(data)
        uuids.add(uuid)
    return written, uuids


_CARD_NAME = re.compile(r"([0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12})\.vcf")
_OURS_AT_MOST = 64 * 1024 * 1024  # a card with the largest photo pcrm keeps is far smaller


def _remove_stale(path: Path, written: set[str]) -> list[str]:
    """Remove the cards of `path` that pcrm wrote for contacts this export did not write; the names
    removed, sorted. Only files that are pcrm's own, by name and content alike: `<uuid>.vcf` holding
    exactly one card whose PRODID is pcrm's and whose UID is that uuid (what `card` writes). Anything
    else in the folder (another program's card, a card edited elsewhere that changed its PRODID or UID, a
    file of another name) stays [vcard-folders]."""
    removed: list[str] = []
    for entry in sorted(path.iterdir()):
        m = _CARD_NAME.fullmatch(entry.name)
        if m is None or m.group(1) in written or not _written_by_pcrm(entry, m.group(1)):
            continue
        with contextlib.suppress(FileNotFoundError):  # gone meanwhile: nothing left to remove
            entry.unlink()
            removed.append(entry.name)
    return removed


def _written_by_pcrm(entry: Path, uuid: str) -> bool:
    """Whether `entry` is a card pcrm wrote for the contact `uuid` (see _remove_stale)."""
    try:
        if entry.is_symlink() or not entry.is_file() or entry.stat().st_size > _OURS_AT_MOST:
            return False
        data = entry.read_bytes()
    except OSError:
        return False
    lines = data.split(b"\r\n")
    return (
        data.count(b"BEGIN:VCARD") == 1
        and lines[0] == b"BEGIN:VCARD"
        and lines[-2:] == [b"END:VCARD", b""]
        and lines[2].startswith(b"PRODID:-//pcrm//pcrm ")
        and lines[3] in (f"UID:{uuid}".encode(), f"UID:urn:uuid:{uuid}".encode())
    )
