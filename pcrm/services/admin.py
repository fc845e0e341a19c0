"""Store set-up and care: init, paths, backups, restore, checks, migrations [automatic-backups]."""

from __future__ import annotations

import os
from pathlib import Path

from pcrm import paths
from pcrm.clock import iso
from pcrm.domain.wording import counted
from pcrm.errors import BadRequest, Conflict, NotFound
from pcrm.services import phones, store_failures
from pcrm.services.context import Context, Result
from pcrm.store import backup as store_backup
from pcrm.store import migrations
from pcrm.store import phones as phone_store
from pcrm.store.contacts import count
from pcrm.store.db import StoreError


def init(ctx: Context, phone_region: str | None = None, me: str | None = None) -> Result:
    """Create the store and its folders (idempotent: opening already migrated it). With `phone_region`
    (a region, or "none"), set it as `pcrm settings set phone_region` would, report included (meta.phones);
    without it the store keeps its setting. The CLI decides whether to ask or guess [value-normalisation].
    With `me` (plain text as `pcrm settings set me` takes it), set it too; meta.me is the setting then
    [me-setting]."""
    from pcrm.services import settings

    for d in (paths.avatars_dir(), paths.backups_dir(), paths.exports_dir(), paths.run_dir()):
        paths.private_dir(d)  # [private-files]
    if me is not None and me.strip():
        settings.set_setting(ctx, "me", me)  # validated before the region re-reads any number
    meta = phones.change_region(ctx, phone_region).meta if phone_region is not None else {}
    meta["me"] = ctx.setting("me")
    return Result(
        {
            "database": str(ctx.path),
            "migrations": migrations.applied(ctx.conn),
            "contacts": count(ctx.conn),
            "phone_region": ctx.phone_region(),
        },
        meta,
    )


def show_paths() -> Result:
    """Where things live, and the store's phone_region (null before `pcrm init`); creates nothing."""
    return Result({**paths.all_paths(), "phone_region": phone_store.stored_region(paths.db_path())})


def backup(ctx: Context, target: str | None = None) -> Result:
    """`pcrm db backup [FILE]`: a copy of the store to FILE (a new file in an existing folder, or a
    timestamped one in a folder), else to the backups folder [automatic-backups]."""
    if not target:
        dest = store_backup.auto_backup(ctx.conn, reason="manual")
        return Result({"path": str(_sound_copy(ctx, dest)), "bytes": dest.stat().st_size})
    dest = Path(target).expanduser()
    try:
        dest = _backup_file(ctx, dest)
        store_backup.copy_database(ctx.conn, dest)
    except (OSError, StoreError) as exc:  # OSError: also a name the system cannot look up (too long)
        raise BadRequest(
            f"cannot write a backup to {dest}: {exc}",
            hint="choose a folder you can write to, or leave FILE out to use " + str(paths.backups_dir()),
        ) from None
    return Result({"path": str(_sound_copy(ctx, dest)), "bytes": dest.stat().st_size})


def _sound_copy(ctx: Context, dest: Path) -> Path:
    """`dest`, a backup just written, when `pcrm db restore` would take it; else it is removed and the
    backup refused: a copy of a damaged store is damaged too, and restore refuses it [store-failures]."""
    if store_backup.sound(dest):
        return dest
    dest.unlink(missing_ok=True)
    raise BadRequest(
        f"the store at {ctx.path} is damaged, so a backup of it would not restore; none was written",
        hint=store_failures.damaged_hint() + "; to keep the damaged file as it is, copy it with `cp`",
    )


def _backup_file(ctx: Context, dest: Path) -> Path:
    """The new file a backup asked for at `dest` goes to; refused over a file that exists, one of the store's,
    or in a folder that does not exist (as an export is: a typo must not grow a tree of folders)."""
    if dest.is_dir():
        dest = dest / f"pcrm-{ctx.now().strftime('%Y%m%d-%H%M%S')}.db"
    # over pcrm.db it would be refused as existing; a pcrm.db-journal SQLite deletes at the next open
    if paths.is_store_file(dest):
        raise BadRequest(
            f"{dest} is part of the pcrm store itself",
            hint="choose a file outside it, or leave FILE out to use " + str(paths.backups_dir()),
        )
    if dest.exists():
        raise Conflict(f"{dest} already exists", hint="choose a new file name, or remove the old backup")
    if not dest.parent.is_dir():
        raise NotFound(
            f"no folder {dest.parent}",
            hint="create it first, or leave FILE out to use " + str(paths.backups_dir()),
        )
    return dest


def list_backups(ctx: Context) -> Result:
    """`pcrm db backups`: the backups in the backups folder, newest first: {name, path, bytes, taken_at,
    reason} (reason: what the automatic backup came before, from its name; None for `pcrm db backup`)."""
    from datetime import UTC, datetime

    folder = paths.backups_dir()
    items = []
    ours = paths.pcrm_names("backups")
    for p in folder.glob("*.db") if folder.is_dir() else []:
        if not ours(p.name):  # the user's own, in a shared home
            continue
        st = p.stat()
        parts = p.stem.split("-", 3)  # pcrm-YYYYmmdd-HHMMSS-reason
        reason = parts[3] if len(parts) == 4 and parts[0] == "pcrm" else None
        items.append(
            {
                "name": p.name,
                "path": str(p),
                "bytes": st.st_size,
                "taken_at": iso(datetime.fromtimestamp(st.st_mtime, UTC)),  # the house form: ms and Z
                "reason": reason,
            }
        )
    items.sort(key=lambda b: (b["taken_at"], b["name"]), reverse=True)
    return Result(items, {"count": len(items), "total": len(items), "folder": str(folder)})


def restore(ctx: Context, source: str) -> Result:
    """Replace the store with a backup, after backing up the current one; then make pcrm's folders beside it
    private (_walk_restored)."""
    src, info = restorable(source)
    safety = store_backup.auto_backup(ctx.conn, reason="before-restore")
    store_backup.restore_into(ctx.conn, src)
    applied = migrations.migrate(ctx.conn, notice=ctx.notice)
    _walk_restored(ctx)
    return Result(
        {
            "restored_from": str(src),
            "previous_saved_to": str(safety),
            "contacts": info["contacts"],
            "migrations_applied": applied,
        }
    )


def _walk_restored(ctx: Context) -> None:
    """The once-only walk of pcrm's folders [private-files], for the store just restored at PCRM_HOME: a
    backup taken after a walk brings back the store's note of it, and its openings would not walk again,
    leaving photos copied in beside it (a new machine: avatars/ back with `cp` under umask 022) readable by
    others until `pcrm db check --fix`. The restored store is left as the backup holds it; what the walk
    changed is noted for `pcrm db check`, as an opening's is."""
    if os.path.abspath(ctx.path) != os.path.abspath(paths.db_path()):
        return
    opened = set(paths.last_tightening(ctx.path).changed)  # noted by the opening already
    walked = paths.tighten_all(ctx.path)
    paths.note_tightening(paths.Tightening([c for c in walked.changed if c not in opened]), ctx.now_iso())


def restorable(source: str) -> tuple[Path, store_backup.FileInfo]:
    """The backup `source` names and what it holds, when `restore` would take it; the error it would give
    otherwise (the CLI checks before it asks for confirmation)."""
    src = Path(source).expanduser()
    listed = paths.backups_dir() / src.name
    if not src.is_file() and src.name == source and listed.is_file():
        src = listed  # a bare name, as `pcrm db backups` lists it: the one in the backups folder
    if not src.is_file():
        raise NotFound(
            f"no backup file at {src}",
            hint=(
                f"`pcrm db backups` lists the backups (in {paths.backups_dir()}); "
                "give a name it lists, or a path"
            ),
        )
    try:
        info = store_backup.inspect(src)
    except Exception as exc:
        raise BadRequest(f"{src} is not a SQLite database ({exc})", hint=_restore_hint(src)) from None
    if not info["is_pcrm"] or not info["ok"]:
        raise BadRequest(f"{src} is not a healthy pcrm database", hint="pick a file made by `pcrm db backup`")
    known = {name for name, _ in migrations.MIGRATIONS}
    newer = [m for m in info["migrations"] if m not in known]
    if newer:
        raise Conflict(f"{src} was written by a newer pcrm", hint="upgrade pcrm first")
    return src, info


def _restore_hint(src: Path) -> str:
    """What restores `src`, which is no database: `pcrm import` for a `pcrm export json` file (a JSON export
    given to `db restore`) [lossless-export], else a file `pcrm db backup` made."""
    import shlex

    from pcrm.formats.base import Input
    from pcrm.services.imports import json_restore

    if json_restore.detect(Input.of_file(src, src.stat().st_size)):
        return "that is a pcrm JSON export; restore it into an empty store with: pcrm import " + shlex.quote(
            str(src)
        )
    return "pick a file made by `pcrm db backup`"


def check(ctx: Context, *, fix: bool = False) -> Result:
    """The database's integrity, and the modes of pcrm's files [private-files] (paths.loose_modes: PCRM_HOME
    when it holds nothing else, pcrm's files in it, its folders and all they hold; the user's own files
    beside them are never looked at): a folder others may enter or a file others may read is a problem;
    `fix` takes group and other access away from this user's (data.fixed lists what it changed; a file of
    another user is left alone). data.tightened: what opening the store made owner-only by itself, lately
    ([{at, changed: [{path, was, now}]}]). data.unchecked: the checks another process's write lock kept
    from running (a search index's), each saying so; they are not problems."""
    unchecked: list[str] = []  # what another process's write lock kept from being checked [busy-reads]
    read_only = store_failures.not_writable(ctx.path)
    problems = store_backup.integrity(ctx.conn, unchecked, writable=read_only is None)
    damaged = any(p.startswith(store_backup.DAMAGED) for p in problems)
    if read_only is not None:  # [store-failures]: reads work; every write would fail
        problems.append(
            f"the store is read-only: {read_only} may not be written by this user (so the search indexes, "
            "which check themselves by a write, were not checked)"
        )
    fixed: list[str] = []
    refused = {str(p): why for p, _mode, why in paths.last_tightening(ctx.path).left}
    for p, mode, want in paths.loose_modes():
        loose = f"{p} is mode {mode:04o}, readable by others"
        owner = _owner(p)
        if owner is not None and owner != os.geteuid():
            problems.append(
                f"{loose}; it belongs to another user (uid {owner}), so pcrm leaves it alone: its owner can "
                f"run `chmod go-rwx {p}`"
            )
        elif fix:
            try:
                os.chmod(p, want)
            except OSError as exc:
                problems.append(f"{loose}, and pcrm could not change it: {exc.strerror or exc}")
                continue
            fixed.append(f"{p}: {mode:04o} -> {want:04o}")
        elif str(p) in refused:
            problems.append(
                f"{loose}, and pcrm could not change it when it opened the store: {refused[str(p)]}"
            )
        else:
            problems.append(f"{loose} (run `pcrm db check --fix`)")
    stray = _stray_logos(ctx, fix, fixed)
    return Result(
        {
            "ok": not problems,
            "problems": problems,
            "damaged": damaged,
            # what to do: a damaged store goes back to a backup; a read-only one is let be written
            "hint": store_failures.damaged_hint(checked=True)
            if damaged
            else store_failures.read_only_hint(read_only)
            if read_only is not None
            else None,
            "unchecked": unchecked,
            "fixed": fixed,
            "tightened": paths.tightenings(),
            "stray_logos": stray,
        }
    )


def _stray_logos(ctx: Context, fix: bool, fixed: list[str]) -> list[str]:
    """data.stray_logos: the organizations' logo files nothing points at any more [bulk-undo] (logos.strays),
    left by an undo of an older pcrm or one stopped midway; harmless (no problem: the store is whole), and
    `fix` removes them (listed in `fixed`, data.stray_logos then empty)."""
    from pcrm.services import logos  # here: it loads the fetcher, which no other check needs

    stray = logos.strays(ctx)
    if stray and fix:
        stuck: list[str] = []
        gone = logos.tidy_strays(ctx, stuck)
        fixed.append(
            f"{paths.avatars_dir()}: removed {counted(gone, 'logo file')} nothing points at any more"
            + (f"; {counted(len(stuck), 'file')} would not go (check its permissions)" if stuck else "")
        )
        return logos.strays(ctx)
    return stray


def _owner(p: Path) -> int | None:
    """The user id owning `p` (None on Windows, or when it is gone)."""
    if os.name != "posix":
        return None
    try:
        return p.lstat().st_uid
    except OSError:
        return None


def migration_status(ctx: Context) -> Result:
    """`pcrm db migrate --list`: each migration and whether the store has it, by number (m031 before m032).
    Two were named before a later one shipped and run after it (pcrm/store/migrations.py's MIGRATIONS order);
    listed in that order they read as a mistake (m032, m031, m033)."""
    return Result(sorted(migrations.status(ctx.conn), key=lambda m: str(m["name"])))


def migrate(ctx: Context) -> Result:
    """`pcrm db migrate`: apply the pending migrations to a store opened as it is (after a backup when one
    rewrites data, [automatic-backups]) -> {applied: the names applied now, in order; known: how many this
    pcrm has}. Nothing pending: applied is []."""
    ran = migrations.migrate(ctx.conn, notice=ctx.notice)
    return Result({"applied": ran, "known": len(migrations.MIGRATIONS)})
