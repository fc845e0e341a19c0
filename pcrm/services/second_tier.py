"""`pcrm second-tier rm` (DELETE /contacts/2nd-tier): delete the 2nd-tier contacts that are only group
members, never one with a history of the user's [second-tier]."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pcrm.services import hand_edits
from pcrm.services.contacts import remove_leftover_orgs
from pcrm.services.context import Context, Result
from pcrm.store import backup as store_backup
from pcrm.store import contact_bulk as store
from pcrm.store import contacts as cstore
from pcrm.store import second_tier as tier
from pcrm.store.db import connect_reader, write

BACKUP_REASON = "before-second-tier-rm"


def plan(ctx: Context) -> tuple[list[int], list[int], list[int]]:
    """(to delete, to keep, to promote among those kept) of the contacts tagged `2nd tier`: kept are those
    with a history (an interaction of any kind, a note, notes or a field edited by hand); those kept who
    have a direct interaction lose the tag, as the trigger would have taken it [second-tier]."""
    ids = store.second_tier_ids(ctx.conn)
    kept = tier.with_history(ctx.conn, ids)
    keep = set(kept)
    return [i for i in ids if i not in keep], kept, tier.talked_with(ctx.conn, kept)


def delete(ctx: Context, *, dry_run: bool = False) -> Result:
    """DELETE /contacts/2nd-tier -> {deleted_count}: every 2nd-tier contact without a history, with its
    timeline, after an automatic backup (meta.backup, its path) [automatic-backups]. meta.kept names those
    with a history, kept ({id, full_name, display_name, promoted}: promoted when a direct interaction lifted
    the tag), present only when there are some. A dry run (the CLI's) also names in data.contacts every one
    it would delete, and changes nothing. meta.organizations_removed ({id, name}), present only when some:
    the organizations pcrm made for their companies that no contact is left in [company-orgs]."""
    if dry_run:
        gone, kept, promoted = plan(ctx)
        data: dict[str, Any] = {"deleted_count": len(gone), "contacts": _named(ctx, gone)}
        return Result(data, {"dry_run": True, **_kept(ctx, kept, promoted)})
    with write(ctx.conn):
        gone, kept, promoted = plan(ctx)
        # a restore point only when someone goes, taken under this write lock: the store it copies is the
        # one the delete starts from, no other process can write between the two
        backup = _restore_point(ctx) if gone else None
        meta = _kept(ctx, kept, promoted)
        for cid in promoted:
            store.remove_tag(ctx.conn, cid, store.SECOND_TIER)
        if promoted:
            store.touch(ctx.conn, promoted, ctx.now_iso())
        oids = store.organization_ids(ctx.conn, gone)
        n = store.delete_contacts(ctx.conn, gone)
        if n:
            hand_edits.forget_deleted(ctx.conn)  # [hand-edits]: their rows in the edit journal
        # [company-orgs]: the organizations pcrm made for their companies, left with no contact, go too
        removed = remove_leftover_orgs(ctx, oids)
        if removed:
            meta["organizations_removed"] = removed
    if backup is not None and not n:
        backup.unlink(missing_ok=True)  # nobody went after all (changed meanwhile): no restore point needed
        backup = None
    return Result({"deleted_count": n}, {**meta, **({"backup": str(backup)} if backup else {})})


def _restore_point(ctx: Context) -> Path:
    """The automatic backup before the delete [automatic-backups], taken while `delete` holds the write lock,
    from a second connection: SQLite copies no connection that is inside a write transaction, and the second
    one reads the store as last committed, which nothing else can change while the lock is held."""
    reader = connect_reader(ctx.path)
    try:
        return store_backup.auto_backup(reader, reason=BACKUP_REASON)
    finally:
        reader.close()


def preview(ctx: Context) -> tuple[int, list[dict[str, Any]]]:
    """How many `delete` would delete, and the contacts it would keep (as meta.kept lists them): the CLI's
    question."""
    gone, kept, promoted = plan(ctx)
    return len(gone), _kept(ctx, kept, promoted).get("kept") or []


def _kept(ctx: Context, kept: list[int], promoted: list[int]) -> dict[str, Any]:
    lifted = set(promoted)
    named = cstore.named(ctx.conn, kept)
    rows = [{**named[i], "promoted": i in lifted} for i in kept if i in named]
    return {"kept": rows} if rows else {}


def _named(ctx: Context, ids: list[int]) -> list[dict[str, Any]]:
    named = cstore.named(ctx.conn, ids)
    return [named[i] for i in ids if i in named]
