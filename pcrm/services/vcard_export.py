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
from pcrm.domain.wording import counted
from pcrm.errors import Conflict, NotFound, PcrmError, ValidationError
from pcrm.formats.vcard_write import VERSIONS, card
from pcrm.services.context import Context, Result
from pcrm.services.exports import (
    archived_left_out,
    archived_meta,
    cannot_write,
    not_same_as_fields,
    selected,
    write_chunks,
)
from pcrm.store import contacts as cstore
from pcrm.store import imports as istore
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
    apart = not_same_as_fields(ctx)  # the user's answers to "the same person?" [kept-apart]
    for i in range(0, len(ids), 1000):
        chunk = ids[i : i + 1000]
        fields = vstore.fields_by_contact(ctx.conn, chunk)
        identities = vstore.identities_by_contact(ctx.conn, chunk)
        for c in cstore.fetch_contacts(ctx.conn, chunk):
            if only is not None and c["id"] not in only:
                continue
            kept = [*fields.get(c["id"], []), *(dict(f) for f in apart.get(c["id"], []))]
            # the identities it holds beside the ones it shows (a merge's second id) [own-exports]
            more = [(f, v) for f, v in identities.get(c["id"], []) if c.get(f) != v]
            yield c["id"], card(c, kept, version, _avatar(c), prodid=PRODID, more_ids=more)


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
    reselect: bool = False,
) -> Result:
    """Write every contact (or those `filters` select, as the contact list does) as vCard to `output` (a
    file, an existing one only with `replace`; or with `directory` a vdir folder) or to `stream`. A vdir
    export then removes the cards pcrm wrote there earlier for contacts this store no longer writes
    (deleted, merged, out of the selection), unless `keep_stale`; `dry_run` (a vdir's) writes and removes
    nothing and names the cards it would remove [vcard-folders]. A vdir the store recorded as holding another
    selection (other filters) is refused when the export would remove cards of contacts still in the store
    that this selection leaves out, unless `reselect` (the folder then holds this selection alone) or
    `keep_stale` (it holds both)."""
    version = (version or "").strip()
    if version not in VERSIONS:
        raise ValidationError(
            f"vCard version must be 3.0 or 4.0, not {version!r}",
            field="version",
            hint="e.g. pcrm export vcard --version 4.0 --output contacts.vcf",
        ).on_command_line("--version")
    for flag, given in (("--keep-stale", keep_stale), ("--dry-run", dry_run)):
        if given and not directory:
            raise ValidationError(
                f"{flag} is for a folder export (--dir): one file holds only what it writes",
                field=flag[2:].replace("-", "_"),
                hint=f"e.g. pcrm export vcard --dir {flag} --output ~/contacts-vdir",
            ).on_command_line(flag)
    only = selected(ctx, filters)
    hidden = archived_meta(archived_left_out(ctx, filters))  # [archived-exports]
    if directory:
        done = _export_vdir(
            ctx,
            version,
            output,
            only,
            _selection(filters),
            keep_stale=keep_stale,
            dry_run=dry_run,
            reselect=reselect,
        )
        return Result(done.data, {**done.meta, **hidden})
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
    return Result(_summary(version, path, written, count, directory=False, removed=[]), hidden)


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
    selection: dict[str, str],
    *,
    keep_stale: bool,
    dry_run: bool,
    reselect: bool,
) -> Result:
    """The vdir export [vcard-folders]: one card per contact selected, then the removal of this store's
    stale cards; nothing at all when the selection is empty (a typo in --search must not empty the folder),
    or when the folder holds another selection whose cards of contacts still here this one would remove."""
    vdir = _vdir(output, create=not dry_run)
    key = _record_key(vdir)
    removed: list[str] = []
    with snapshot(ctx.conn):
        every = vstore.contact_uuids(ctx.conn)
        uuids = every if only is None else [u for u in every if u in only]
        if not uuids:
            raise ValidationError(
                "no contact is selected, so a folder export would write no card"
                + ("" if keep_stale else " and remove every card it wrote there before")
                + "; nothing was written or removed",
                field="filters" if only is not None else "output",
                hint="check --search/--tag/--priority/--source/--score with pcrm contacts list; to empty "
                "the folder, remove its files yourself",
            )
        recorded, held = _recorded(ctx, key)
        stale = {} if keep_stale else _stale(ctx, vdir, set(uuids), recorded)
        if held is not None and not reselect and not keep_stale:
            if selection in held:  # one of the folder's selections: the others' cards stay
                stale = _not_theirs(ctx, stale, [h for h in held if h != selection], set(every))
            else:
                _refuse_other_selection(ctx, vdir, held, selection, stale, set(every))
        if dry_run:
            written = 0
        else:
            written, _ = _write_vdir(vdir, cards(ctx, version, only))
        removed = _remove(stale, dry_run=dry_run)
    if not dry_run:
        # what this store has written into the folder, so a later export knows which cards are its own, and
        # the selections they are of [vcard-folders]: the cards written now and those of before still there
        gone = {name.removesuffix(".vcf") for name in removed}
        mine = set(uuids) | {u for u in recorded - gone if (vdir / f"{u}.vcf").exists()}
        selections = [selection]
        if held is not None and not reselect and (keep_stale or selection in held):
            selections = [*held, *([selection] if selection not in held else [])]
        with write(ctx.conn):
            sstore.put(
                ctx.conn,
                key,
                {"path": str(vdir), "uuids": sorted(mine), "selections": selections},
                ctx.now_iso(),
            )
    data = _summary(version, vdir, written, len(uuids), directory=True, removed=removed)
    return Result(data, {"dry_run": True} if dry_run else {})


def _selection(filters: Mapping[str, Any] | None) -> dict[str, str]:
    """The filters of an export as its folder's record keeps them: {} for every contact."""
    return {k: str(v) for k, v in sorted((filters or {}).items()) if v is not None}


def _said(selection: Mapping[str, str]) -> str:
    """A selection as the options that make it (`--tag work`), or `every contact`."""
    return " ".join(f"--{k} {v}" for k, v in selection.items()) or "every contact"


def _not_theirs(
    ctx: Context, stale: dict[str, Path], others: list[dict[str, str]], live: set[str]
) -> dict[str, Path]:
    """The stale cards but those of contacts (`live`: every one) another selection of the folder selects."""
    for other in others:
        if not stale:
            break
        try:
            theirs = selected(ctx, other)
        except PcrmError:  # a tag no one has any more: that selection selects no one
            continue
        stale = {u: p for u, p in stale.items() if u not in (live if theirs is None else theirs)}
    return stale


def _refuse_other_selection(
    ctx: Context,
    vdir: Path,
    held: list[dict[str, str]],
    selection: dict[str, str],
    stale: dict[str, Path],
    live: set[str],
) -> None:
    """Refuse a folder export whose selection differs from what the folder holds, when it would remove the
    cards of contacts still in the store (the other selection's; not deleted or merged ones)."""
    theirs = sorted(u for u in stale if u in live)
    if not theirs:
        return  # only cards of contacts gone: the folder can take the new selection as it is
    names = istore.names_of(ctx.conn, theirs)
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    raise Conflict(
        f"{vdir} holds the cards of another selection ({'; '.join(_said(h) for h in held)}); this export "
        f"({_said(selection)}) would remove the cards of {counted(len(theirs), 'contact')} still in the "
        f"store ({shown}); nothing was written or removed",
        hint="add --yes to make the folder hold this selection alone, --keep-stale to add its cards and "
        "remove none (the folder then holds both), or export into another folder",
        details={
            "selection_change": True,
            "held": [_said(h) for h in held],
            "contacts": shown,
            "would_remove": [f"{u}.vcf" for u in theirs],
        },
    )


_RECORD_PREFIX = f"{sstore.INTERNAL_PREFIX}vcard_dir."


def _record_key(vdir: Path) -> str:
    """The settings key of what this store wrote into `vdir` (by its resolved path)."""
    digest = hashlib.sha256(str(vdir.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
    return _RECORD_PREFIX + digest[:32]


def _recorded(ctx: Context, key: str) -> tuple[set[str], list[dict[str, str]] | None]:
    """The uuids this store wrote into the folder, and the selections its cards are of (None: a record of
    an earlier pcrm, which kept none, or no record)."""
    value = sstore.get(ctx.conn, key)
    if not isinstance(value, dict):
        return set(), None
    uuids = value.get("uuids")
    mine = {u for u in uuids if isinstance(u, str)} if isinstance(uuids, list) else set()
    held = value.get("selections")
    if not isinstance(held, list) or not all(isinstance(h, dict) for h in held):
        return mine, None
    return mine, [{str(k): str(v) for k, v in h.items()} for h in held]


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
        try:
            paths.private_dir(path)
        except OSError as exc:
            raise cannot_write(path, exc) from None
    return path


def _write_vdir(path: Path, cards: Iterable[tuple[str, bytes]]) -> tuple[int, set[str]]:
    """One `<uuid>.vcf` per card, each written beside itself and renamed when complete; (bytes, the uuids
    written)."""
    written = 0
    uuids: set[str] = set()
    for uuid, data in cards:
        tmp = path / f"{uuid}.vcf.part"
        try:
            paths.write_private(tmp, data)  # [private-files]
            tmp.replace(path / f"{uuid}.vcf")
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise cannot_write(path / f"{uuid}.vcf", exc) from None
        written += len(data)
        uuids.add(uuid)
    return written, uuids


_CARD_NAME = re.compile(r"([0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12})\.vcf")
_OURS_AT_MOST = 64 * 1024 * 1024  # a card with the largest photo pcrm keeps is far smaller


def _stale(ctx: Context, path: Path, written: set[str], recorded: set[str]) -> dict[str, Path]:
    """The cards of `path` that pcrm wrote for contacts this store had and does not write now, by uuid
    [vcard-folders].

    Only files that are pcrm's own, by name and content alike: `<uuid>.vcf` holding exactly one card whose
    PRODID is pcrm's and whose UID is that uuid (what `card` writes); anything else in the folder (another
    program's card, a card edited elsewhere that changed its PRODID or UID, a file of another name) stays.
    And only the card of a uuid this store knows is its own: one it wrote into this folder before
    (`recorded`), or one it has or had as a contact (store.vcards.had_contacts): a contact the filters
    left out, one deleted or merged away. The card of a uuid this store never had (another store exporting
    into the same folder) stays."""
    found: dict[str, Path] = {}
    if path.is_dir():
        for entry in sorted(path.iterdir()):
            m = _CARD_NAME.fullmatch(entry.name)
            if m is None or m.group(1) in written or not _written_by_pcrm(entry, m.group(1)):
                continue
            found[m.group(1)] = entry
    unknown = set(found) - recorded
    ours = (set(found) - unknown) | vstore.had_contacts(ctx.conn, sorted(unknown))
    return {u: found[u] for u in sorted(ours)}


def _remove(stale: dict[str, Path], *, dry_run: bool = False) -> list[str]:
    """Remove these cards; the names removed (or, in a dry run, that would be), sorted."""
    removed: list[str] = []
    for entry in stale.values():
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
