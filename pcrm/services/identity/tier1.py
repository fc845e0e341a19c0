"""Tier 1 [deterministic-merges]: merges on keys two records rarely share by chance, before any scoring.

A key joins two contacts only when their names agree for that key [shared-keys]; otherwise the pair is
queued for review, the key named as the reason. A phone held by three or more contacts is a
shared line and links nobody.
"""

from __future__ import annotations

import itertools
from array import array
from collections.abc import Collection
from typing import Any

from pcrm.domain import identity as dom
from pcrm.domain import normalize as n
from pcrm.domain.identity_names import Name, name_number
from pcrm.domain.shared_keys import compatible, is_shared_line
from pcrm.services import scores
from pcrm.services.context import Context
from pcrm.services.identity.groups import Backup, Groups, merge_groups
from pcrm.store import contacts as cstore
from pcrm.store import identity as istore
from pcrm.store.db import write

Link = tuple[int, int, str, str]  # (earlier index, later index, key, shared value)


def _tier1_links(people: list[dom.Person], shared_lines: Collection[str] = ()) -> list[Link]:
    """Deterministic links in list order [deterministic-merges]: same email, same phone (digits, 7 or
    more, not a shared line), an email in notes."""
    links: list[Link] = []
    seen: dict[str, int] = {}
    for i, p in enumerate(people):
        for e in p.emails:
            if e in seen and seen[e] != i:
                links.append((seen[e], i, "email", e))
            else:
                seen.setdefault(e, i)
    # a phone links the first earlier holder of its line whose extension agrees ([value-normalisation]:
    # the same extension, or none on one side); lines are keyed by their digits, as shared lines are
    by_line: dict[str, list[tuple[int, str | None]]] = {}
    for i, p in enumerate(people):
        for stored in p.phones:
            line, ext = n.split_phone(stored)
            d = n.phone_digits(line) or ""
            if len(d) < 7 or d in shared_lines:
                continue
            holders = by_line.setdefault(d, [])
            j = next((h for h, e in holders if h != i and (ext is None or e is None or e == ext)), None)
            if j is not None:
                links.append((j, i, "phone", d))
            if (i, ext) not in holders:
                holders.append((i, ext))
    for i, p in enumerate(people):
        for e in dom.emails_in_text(p.notes):
            j = seen.get(e)
            if j is not None and j != i:
                links.append((j, i, "email_in_notes", e))
    return links


def _phones(conn: Any) -> tuple[set[str], dict[str, str]]:
    """The phone numbers (as tier 1 compares them: digits) that three or more contacts hold, and each
    number as it is stored (E.164), to name it in a review reason."""
    holders: dict[str, set[int]] = {}
    shown: dict[str, str] = {}
    for cid, norm in istore.phone_rows(conn):
        d = n.phone_line_digits(norm)  # a line is shared across its extensions [shared-keys]
        holders.setdefault(d, set()).add(cid)
        shown.setdefault(d, norm)
    return {d for d, ids in holders.items() if is_shared_line(len(ids))}, shown


def _tier1_people(conn: Any) -> list[dom.Person]:
    """The contacts as tier 1 sees them: rowid, uuid, name, emails, phone digits and notes, the same
    values `dom.person` derives, without the company/handle work tier 1 never uses (an import's run_tier1
    over a large store)."""
    if not _may_link_in_store(conn):
        return []  # no link possible: nobody to load [streamed-imports]
    rows = istore.load_tier1(conn)
    if not _may_link(rows):
        return []  # no link possible: nobody to build
    return [_tier1_person(*row) for row in rows]


def _tier1_person(
    cid: int, uuid: str, notes: str, emails: list[str], phones: list[str], name: str
) -> dom.Person:
    parsed = dom.parse_name(name)
    return dom.Person(
        rowid=cid,
        uuid=uuid,
        tokens=parsed.tokens,
        markers=parsed.markers,
        family_only=parsed.family_only,
        label=parsed.label,
        marks=parsed.marks,
        number=name_number(parsed.tokens),
        notes=notes,
        emails=frozenset(e.lower() for e in emails),
        phones=tuple(p for p in phones if p),
    )


def _may_link(rows: list[istore.Tier1Row]) -> bool:
    """Whether `_tier1_links` could find anything: an email or a phone (7+ digits) on two contacts, or
    notes that may hold an address. False for the usual import into a store without duplicates, which
    then skips building the people."""
    emails: set[str] = set()
    phones: set[str] = set()
    for _cid, _uuid, notes, mails, nums, _name in rows:
        if "@" in notes:
            return True
        if mails:
            mine = {e.lower() for e in mails}
            if not emails.isdisjoint(mine):
                return True
            emails |= mine
        if nums:
            mine = {d for d in (n.phone_line_digits(p) for p in nums) if len(d) >= 7}
            if not phones.isdisjoint(mine):
                return True
            phones |= mine
    return False


def _may_link_in_store(conn: Any) -> bool:
    """`_may_link` over the store read as cursors, holding 8 bytes a key (its hash), not the contacts
    [streamed-imports]: False only when `_may_link` is False (two keys of the same hash only send the
    pass to the exact check), so a big import into a store without duplicates never loads every
    contact's notes and names."""
    if istore.tier1_notes_with_at(conn):
        return True
    for table, key in (("contact_emails", _email_key), ("contact_phones", _phone_key)):
        hashes = array("q")
        cid: int | None = None
        mine: set[str] = set()
        for c, value in itertools.chain(istore.tier1_keys(conn, table), ((None, ""),)):
            if c != cid:
                hashes.extend(hash(k) for k in mine)  # a contact's own key counts once
                cid, mine = c, set()
            k = key(value)
            if k is not None:
                mine.add(k)
        ordered = sorted(hashes)
        del hashes
        if any(a == b for a, b in itertools.pairwise(ordered)):
            return True
    return False


def _email_key(e: str) -> str | None:
    return e.lower()


def _phone_key(p: str) -> str | None:
    d = n.phone_line_digits(p)
    return d if len(d) >= 7 else None


def _names_agree(g: Groups, ri: int, rj: int, key: str) -> bool:
    """[shared-keys]: every name of one group agrees, for the key that links them, with every name of the
    other, so a record without a name cannot chain two people together."""
    left = [_name(g.people[m]) for m in g.members[ri]]
    return all(compatible(_name(g.people[m]), left, key) for m in g.members[rj])


def _name(p: dom.Person) -> Name:
    return Name(p.tokens, p.markers, p.family_only, p.label, p.marks)


def tier1_pass(
    ctx: Context, backup: Backup, people: list[dom.Person] | None = None
) -> tuple[list[dict[str, Any]], list[str]]:
    """Merge the linked contacts whose names agree; queue the others for review. Returns the merges and
    the uuids of the matches queued."""
    conn = ctx.conn
    if people is None:
        people = _tier1_people(conn)
    if not people:
        return [], []
    shared_lines, shown = _phones(conn)
    links = _tier1_links(people, shared_lines)
    if not links:
        return [], []
    # a pair the user rejected, or one an import asked about because its file kept the two apart
    g = Groups(people, istore.rejected_pairs(conn) | istore.kept_apart_pairs(conn))
    done = []
    ask: list[Link] = []
    for link in links:
        i, j = link[0], link[1]
        ri, rj = g.find(i), g.find(j)
        if ri == rj or g.blocked(ri, rj):
            continue
        if not _names_agree(g, ri, rj, link[2]):
            ask.append(link)
            continue
        backup.take()
        res = merge_groups(ctx, g, i, j, score=1.0, method="deterministic")
        if res:
            done.append(res)
    return done, _queue(ctx, g, [(i, j, k, shown.get(v, v) if k == "phone" else v) for i, j, k, v in ask])


def _queue(ctx: Context, g: Groups, links: list[Link]) -> list[str]:
    """Queue the pairs a key links under conflicting names, between the contacts that now hold each side,
    once per pair and never one already known (pending, merged or rejected)."""
    conn = ctx.conn
    uuid_of = {p.rowid: p.uuid for p in g.people}
    todo: dict[frozenset[int], tuple[int, int, dict[str, str]]] = {}
    for i, j, key, value in links:
        ri, rj = g.find(i), g.find(j)
        if ri == rj or g.blocked(ri, rj):
            continue
        a, b = g.holder[ri], g.holder[rj]
        if frozenset((a, b)) not in todo and istore.find_pair(conn, uuid_of[a], uuid_of[b]) is None:
            todo[frozenset((a, b))] = (a, b, {"key": key, "value": value})
    if not todo:
        return []
    ids = sorted({x for pair in todo for x in pair})
    full = {r["_rowid"]: dom.person(r) for r in istore.load_people(conn, include_archived=True, ids=ids)}
    queued = []
    for a, b, reason in todo.values():
        rid = istore.insert(
            conn,
            (a, uuid_of[a]),
            (b, uuid_of[b]),
            score=dom.queued_score(dom.score(full[a], full[b]), shared_key=True),
            method="deterministic",
            status="pending_review",
            now=ctx.now_iso(),
            explanation={"shared_key": reason},
        )
        queued.append(istore.match_row(conn, rid)["id"])
    return queued


def tier1_merges(
    ctx: Context, backup: Backup, people: list[dom.Person] | None = None
) -> list[dict[str, Any]]:
    """The merges of `tier1_pass` (its queued pairs are in the review queue)."""
    return tier1_pass(ctx, backup, people)[0]


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
