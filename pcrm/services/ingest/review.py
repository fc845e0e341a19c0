"""The pairs an import leaves for the user [shared-keys] [review-queue]: a record whose key another
contact holds under a conflicting name, a record with no key that the tier-2 scorer puts in the review
band, and a chat sender whose contact its conversation cannot tell [import-matching]. They are queued
once the import's new contacts exist (they have rowids then), as `pending_review` identity matches; the
batch's journal lists them so `pcrm import undo` removes them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pcrm.domain import identity as dom
from pcrm.domain.normalize import split_phone
from pcrm.domain.shared_keys import Hit, is_shared_line
from pcrm.services.ingest.matching import Ref
from pcrm.store import contacts as cstore
from pcrm.store import identity as idstore
from pcrm.store import phones as phone_store

if TYPE_CHECKING:
    from pcrm.services.ingest.engine import Writer


class Review:
    """Pairs noted while an import is written: (holder, the record's contact, reason, score)."""

    def __init__(self, w: Writer) -> None:
        self.w = w
        self.pairs: list[tuple[Ref, Ref, dict[str, str] | None, float | None]] = []

    def shared_key(self, target: Ref, hit: Hit[Ref]) -> None:
        """A key the record shares with a contact whose name conflicts: the reason is the key."""
        self.pairs.append((hit.holder, target, hit.reason(), None))

    def reasoned(self, target: Ref, other: Ref, reason: dict[str, str]) -> None:
        """A pair asked about for a reason of its own, e.g. a chat both hold messages of [import-matching]."""
        self.pairs.append((other, target, reason, None))

    def apart(self, target: Ref, other: Ref, reason: dict[str, str]) -> None:
        """A record the file's app kept apart from another (two ids) that the import would have folded into
        it [own-exports]: asked whatever the key is (a phone that ends the file on three contacts too), and
        marked (`apart`) so the identity passes leave the pair to the user."""
        self.pairs.append((other, target, reason, None))

    def scored(self, target: Ref, other: Ref, score: float) -> None:
        """A record with no key in the review band of the scorer [match-thresholds]."""
        self.pairs.append((other, target, None, score))

    def _rowid(self, ref: Ref) -> int:
        return ref[1] if ref[0] == "c" else int(self.w.pending.items[ref[1]]["cid"])

    def queue(self) -> list[str]:
        """Queue the pairs (after the new contacts are inserted); the uuids of the matches queued.
        A pair already known (pending, merged or rejected, [rejected-pairs]) is not asked again, and a
        phone that ended up on three or more contacts is a shared line: no reason to ask."""
        conn = self.w.conn
        todo: list[tuple[int, int, dict[str, str] | None, float | None]] = []
        seen: set[frozenset[int]] = set()
        lines: dict[str, bool] = {}
        for a, b, reason, score in self.pairs:
            ra, rb = self._rowid(a), self._rowid(b)
            pair = frozenset((ra, rb))
            if ra == rb or pair in seen:
                continue
            if reason is not None and reason["key"] == "phone" and "apart" not in reason:
                number = reason["value"]
                if number not in lines:
                    lines[number] = is_shared_line(
                        len(phone_store.ids_by_phone_line(conn, split_phone(number)[0]))
                    )
                if lines[number]:
                    continue
            seen.add(pair)
            todo.append((ra, rb, reason, score))
        if not todo:
            return []
        ids = sorted({x for ra, rb, _r, _s in todo for x in (ra, rb)})
        rows = {r["_rowid"]: r for r in idstore.load_people(conn, include_archived=True, ids=ids)}
        queued: list[str] = []
        for ra, rb, reason, score in todo:
            ua, ub = (str(rows[x].get("id") or rows[x].get("uuid")) for x in (ra, rb))
            if idstore.find_pair(conn, ua, ub) is not None:
                continue
            explanation: Any = None
            if reason is not None:  # a scored pair has its score; a shared key's pair is scored here
                explanation = {"shared_key": reason}
                score = dom.score(dom.person(rows[ra]), dom.person(rows[rb]))
            rid = idstore.insert(
                conn,
                (ra, ua),
                (rb, ub),
                # stored as a scan stores it: a scored pair (a namesake sure enough to merge, asked because
                # the record could not choose) at most at the top of the review band [review-queue]
                score=dom.queued_score(score or 0.0, shared_key=reason is not None),
                method="probabilistic" if reason is None else "deterministic",
                status="pending_review",
                now=self.w.now,
                explanation=explanation,
            )
            queued.append(idstore.match_row(conn, rid)["id"])
        return queued


def keep_apart(w: Writer) -> dict[str, list[str]]:
    """Record the answers the file carries [kept-apart]: each record's contact and each contact it names
    as not the same person (`ContactRecord.not_same_as`: the contact another record of the file under that
    id became, else the store's contact of that id) are a rejected pair, as the user's reject made it in the
    store that wrote the file. A pair not known yet is added, one waiting for review is rejected, one
    already decided stays as it is; an id that names no contact here is left (its record may come in a
    later file, which names this one in turn). -> the matches added and those rejected, for the journal
    (undo takes them back)."""
    conn = w.conn
    added: list[str] = []
    rejected: list[str] = []
    for index, others in w.not_same_as:
        cid = w.cid_of(index)
        if cid is None:
            continue
        mine = cstore.uuid_for_rowid(conn, cid)
        for other in others:
            at = w.file_records.get(other)
            ocid = w.cid_of(at) if at is not None else None
            if ocid is None:
                ocid = cstore.rowid_for_uuid(conn, other)
            if ocid is None or ocid == cid:
                continue
            theirs = cstore.uuid_for_rowid(conn, ocid)
            m = idstore.find_pair(conn, mine, theirs)
            if m is None:
                (ra, ua), (rb, ub) = sorted([(cid, mine), (ocid, theirs)], key=lambda t: t[1])
                rid = idstore.insert(
                    conn,
                    (ra, ua),
                    (rb, ub),
                    score=0.0,
                    method="manual_dismiss",
                    status="rejected",
                    now=w.now,
                    resolved=True,
                )
                added.append(str(idstore.match_row(conn, rid)["id"]))
            elif m["status"] == "pending_review":
                idstore.update(conn, m["_rowid"], status="rejected", resolved_at=w.now)
                rejected.append(str(m["id"]))
    return {"added": added, "rejected": rejected} if added or rejected else {}
