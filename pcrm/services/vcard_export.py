"""`pcrm export vcard [--version 3.0|4.0] [--dir]`: the address book as vCards a phone accepts.

The cards themselves are written by `pcrm.formats.vcard_write`; this module reads the contacts, their
contact_fields and avatars from the store and streams the cards to one file (or stdout), or with
`--dir` to a vdir: one `<uuid>.vcf` per contact.
"""

from __future__ import annotations

import contextlib
import hashlib
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
from pcrm.store import settings as sstore
from pcrm.store import vcards as vstore
from pcrm.store.db import write
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
    dry_run: bool = False,
) -> Result:
    """Write every contact (or those `filters` select, as the contact list does) as vCard to `output` (a
    file, an existing one only with `replace`; or with `directory` a vdir folder) or to `stream`. A vdir
    export then removes the cards pcrm wrote there earlier for contacts this store no longer writes
    (deleted, merged, out of the selection), unless `keep_stale`; `dry_run` (a vdir's) writes and removes
    nothing and names the cards it would remove [vcard-folders]."""
    version = (version or "").strip()
    if version not in VERSIONS:
        raise ValidationError(
            f"vCard version must be 3.0 or 4.0, not {version!r}",
            field="version",
            hint="e.g. pcrm export vcard --version 4.0 --output contacts.vcf",
        )
    for flag, given in (("--keep-stale", keep_stale), ("--dry-run", dry_run)):
        if given and not directory:
            raise ValidationError(
                f"{flag} is for a folder export (--dir): one file holds only what it writes",
                field=flag[2:].replace("-", "_"),
                hint=f"e.g. pcrm export vcard --dir {flag} --output ~/contacts-vdir",
            )
    only = selected(ctx, filters)
    if directory:
        return _export_vdir(ctx, version, output, only, keep_stale=keep_stale, dry_run=dry_run)
    count = 0

    def chunks() -> Iterator[bytes]:
        nonlocal count
        for _uuid, data in cards(ctx, version, only):
            count += 1
            yield data

    # every card from one snapshot, as the other exports [lossless-export]: a write landing during a long
    # export is not half in it (a contact's row and its contact_fields are read by separate queries)
    with snapshot(ctx.conn):
        path, written = write_chunks(
            ctx, chunks(), output=output, suffix=SUFFIX, stream=stream, replace=replace
        )
    return Result(_summary(version, path, written, count, directory=False, removed=[]))


def _summary(
    version: str, path: Path | None, written: int, count: int, *, directory: bool, removed: list[str]
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "format": "vcard",
        "version": version,
        "path": str(path) if path else None,
        "bytes": written,
        "contacts": count,
        "directory": directory,
        "removed": len(removed),
    }
    if directory:
        out["removed_files"] = removed
    return out


def _export_vdir(
    ctx: Context,
    version: str,
    output: str | None,
    only: frozenset[str] | None,
    *,
    keep_stale: bool,
    dry_run: bool,
) -> Result:
    """The vdir export [vcard-folders]: one card per contact selected, then the removal of this store's
    stale cards; nothing at all when the selection is empty (a typo in --search must not empty the folder)."""
    vdir = _vdir(output, create=not dry_run)
    key = _record_key(vdir)
    removed: list[str] = []
    with snapshot(ctx.conn):
        uuids = (
            vstore.contact_uuids(ctx.conn)
            if only is None
            else [u for u in vstore.contact_uuids(ctx.conn) if u in only]
        )
        if not uuids:
            raise ValidationError(
                "no contact is selected, so a folder export would write no card"
                + ("" if keep_stale else " and remove every card it wrote there before")
                + "; nothing was written or removed",
                field="filters" if only is not None else "output",
                hint="check --search/--tag/--priority/--source/--score with pcrm contacts list; to empty "
                "the folder, remove its files yourself",
            )
        recorded = _recorded(ctx, key)
        if dry_run:
            written = 0
        else:
            written, _ = _write_vdir(vdir, cards(ctx, version, only))
        if not keep_stale:
            removed = _remove_stale(ctx, vdir, set(uuids), recorded, dry_run=dry_run)
    if not dry_run:
        # what this store has written into the folder, so a later export knows which cards are its own
        # [vcard-folders]: the cards written now and those of before still there
        gone = {name.removesuffix(".vcf") for name in removed}
        mine = set(uuids) | {u for u in recorded - gone if (vdir / f"{u}.vcf").exists()}
        with write(ctx.conn):
            sstore.put(ctx.conn, key, {"path": str(vdir), "uuids": sorted(mine)}, ctx.now_iso())
    data = _summary(version, vdir, written, len(uuids), directory=True, removed=removed)
    return Result(data, {"dry_run": True} if dry_run else {})


_RECORD_PREFIX = f"{sstore.INTERNAL_PREFIX}vcard_dir."


def _record_key(vdir: Path) -> str:
    """The settings key of what this store wrote into `vdir` (by its resolved path)."""
    digest = hashlib.sha256(str(vdir.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
    return _RECORD_PREFIX + digest[:32]


def _recorded(ctx: Context, key: str) -> set[str]:
    value = sstore.get(ctx.conn, key)
    uuids = value.get("uuids") if isinstance(value, dict) else None
    return {u for u in uuids if isinstance(u, str)} if isinstance(uuids, list) else set()


def _vdir(output: str | None, *, create: bool = True) -> Path:
    """The vdir folder `--dir --output` names, created private if missing (unless not `create`: a dry
    run's); refused if it is a file or its parent folder does not exist."""
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
    if create:
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


def _remove_stale(
    ctx: Context, path: Path, written: set[str], recorded: set[str], *, dry_run: bool = False
) -> list[str]:
    """Remove the cards of `path` that pcrm wrote for contacts this store had and did not write now; the
    names removed (or, in a dry run, that would be), sorted [vcard-folders].

    Only files that are pcrm's own, by name and content alike: `<uuid>.vcf` holding exactly one card whose
    PRODID is pcrm's and whose UID is that uuid (what `card` writes); anything else in the folder (another
    program's card, a card edited elsewhere that changed its PRODID or UID, a file of another name) stays.
    And only the card of a uuid this store knows is its own: one it wrote into this folder before
    (`recorded`), or one it has or had as a contact (store.vcards.had_contacts): a contact the filters
    left out, one merged away. The card of a uuid this store never had (another store exporting into the
    same folder) stays."""
    stale: dict[str, Path] = {}
    if path.is_dir():
        for entry in sorted(path.iterdir()):
            m = _CARD_NAME.fullmatch(entry.name)
            if m is None or m.group(1) in written or not _written_by_pcrm(entry, m.group(1)):
                continue
            stale[m.group(1)] = entry
    unknown = set(stale) - recorded
    ours = (set(stale) - unknown) | vstore.had_contacts(ctx.conn, sorted(unknown))
    removed: list[str] = []
    for uuid in sorted(ours):
        entry = stale[uuid]
        if dry_run:
            removed.append(entry.name)
            continue
        with contextlib.suppress(FileNotFoundError):  # gone meanwhile: nothing left to remove
            entry.unlink()
            removed.append(entry.name)
    return sorted(removed)


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
