"""Tier 1 [deterministic-merges]: merges on keys two records cannot share by chance, before any scoring."""

from __future__ import annotations

import re
from typing import Any

from pcrm.domain import identity as dom
from pcrm.services import scores
from pcrm.services.context import Context
from pcrm.services.identity.groups import Backup, Groups, merge_groups
from pcrm.store import contacts as cstore
from pcrm.store import identity as istore
from pcrm.store.db import write


def _tier1_links(people: list[dom.Person]) -> list[tuple[int, int, str]]:
    """Deterministic links in list order [deterministic-merges]: same email, same phone (digits), an email in
    notes."""
    links: list[tuple[int, int, str]] = []
    seen: dict[str, int] = {}
    for i, p in enumerate(people):
        for e in p.emails:
            if e in seen and seen[e] != i:
                links.append((seen[e], i, "email"))
            else:
                seen.setdefault(e, i)
    by_phone: dict[str, int] = {}
    for i, p in enumerate(people):
        for d in p.phones:
            if len(d) < 7:
                continue
            if d in by_phone and by_phone[d] != i:
                links.append((by_phone[d], i, "phone"))
            else:
                by_phone.setdefault(d, i)
    for i, p in enumerate(people):
        for e in dom.emails_in_text(p.notes):
            j = seen.get(e)
            if j is not None and j != i:
                links.append((j, i, "notes_email"))
    return links


def _tier1_people(conn: Any) -> list[dom.Person]:
    """The contacts as tier 1 sees them: rowid, uuid, emails, phone digits and notes, the same values
    `dom.person` derives, without the name/company/handle work tier 1 never uses (an import's run_tier1
    over a large store)."""
    rows = istore.load_tier1(conn)
    if not _may_link(rows):
        return []  # no link possible: nobody to build
    digits = _NON_DIGIT.sub
    return [
        dom.Person(
            rowid=cid,
            uuid=uuid,
            notes=notes,
            emails=frozenset(e.lower() for e in emails),
            phones=tuple(d for d in (digits("", p) for p in phones) if d),
        )
        for cid, uuid, notes, emails, phones in rows
    ]


_NON_DIGIT = re.compile(r"\D")


def _may_link(rows: list[tuple[int, str, str, list[str], list[str]]]) -> bool:
    """Whether `_tier1_links` could find anything: an email or a phone (7+ digits) on two contacts, or
    notes that may hold an address. False for the usual import into a store without duplicates, which
    then skips building the people."""
    emails: set[str] = set()
    phones: set[str] = set()
    digits = _NON_DIGIT.sub
    for _cid, _uuid, notes, mails, nums in rows:
        if "@" in notes:
            return True
        if mails:
            mine = {e.lower() for e in mails}
            if not emails.isdisjoint(mine):
                return True
            emails |= mine
        if nums:
            mine = {d for d in (digits("", p) for p in nums) if len(d) >= 7}
            if not phones.isdisjoint(mine):
                return True
            phones |= mine
    return False


def tier1_merges(
    ctx: Context, backup: Backup, people: list[dom.Person] | None = None
) -> list[dict[str, Any]]:
    conn = ctx.conn
    if people is None:
        people = _tier1_people(conn)
    links = _tier1_links(people)
    if not links:
        return []
    g = Groups(people, istore.rejected_pairs(conn))
    done = []
    for i, j, _why in links:
        ri, rj = g.find(i), g.find(j)
        if ri == rj or g.blocked(ri, rj):
            continue
        backup.take()
        res = merge_groups(ctx, g, i, j, score=1.0, method="deterministic")
        if res:
            done.append(res)
    return done


def run_tier1(ctx: Context, *, backup_first: bool = True) -> dict[str, Any]:
    """The deterministic pass alone [deterministic-merges], for imports and syncs that created contacts. Call
    it after committing the import. Takes an automatic backup first when it will merge [automatic-backups].
    Returns {auto_merged, merge_ids, match_ids, backup}."""
    backup = Backup(ctx, backup_first)
    with write(ctx.conn):
        done = tier1_merges(ctx, backup)
        survivors = sorted({d["_survivor"] for d in done})
        if survivors:
            scores.refresh(ctx, [c for c in survivors if cstore.summaries(ctx.conn, [c])])
    return {
        "auto_merged": len(done),
        "merge_ids": [d["merge_id"] for d in done],
        "match_ids": [d["match_id"] for d in done],
        "backup": backup.path,
    }
