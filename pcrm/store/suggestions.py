"""Follow-up suggestions [followup-engine]: candidate facts for the engine, the suggestion rows, the
generation lock.

The candidate query is a conservative superset: the pure rules in domain/suggestions.py decide.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import apsw

from pcrm.domain.models import display_name
from pcrm.serialize import dumps, loads
from pcrm.store import locks
from pcrm.store.contacts import display_names
from pcrm.store.rows import exists, first, integer, maybe_str, new_uuid, rows

_NOT_2ND_TIER = "NOT EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = c.id AND t.tag = '2nd tier')"
_REACHABLE = (
    "(EXISTS (SELECT 1 FROM contact_emails e WHERE e.contact_id = c.id) "
    "OR EXISTS (SELECT 1 FROM contact_identities ci WHERE ci.contact_id = c.id "
    "AND ci.platform IN ('twitter', 'telegram') AND ci.handle IS NOT NULL) "
    "OR coalesce(c.linkedin_url, '') != '')"
)


def dismiss_open_for_contact(conn: apsw.Connection, cid: int, now: str, *, by: str = "system") -> int:
    """Archiving dismisses pending and snoozed suggestions [hidden-contacts]."""
    conn.execute(
        "UPDATE follow_up_suggestions SET status = 'dismissed', dismissed_by = ?, updated_at = ? "
        "WHERE contact_id = ? AND status IN ('pending', 'snoozed')",
        (by, now, cid),
    )
    return conn.changes()


# ------------------------------------------------------------------ engine inputs


def candidate_facts(conn: apsw.Connection, p: Mapping[str, Any]) -> Iterator[tuple[Any, ...]]:
    """(id, priority_level, score, interaction_count, last_interaction_at, last_followup_at, birthday,
    first_at) of contacts outside the exclusion set [followup-engine] that some trigger might take.

    p: now, followup_cutoff, dismiss_cutoff, dormancy_cutoff, min_due, event_since, birthdays (JSON list
    of MM-DD or NULL when off), b_edge (pool B: last interaction before this; NULL when off). Rows come as
    the query yields them: tens of thousands of contacts at once were ~18 MB for a moment [daemon-memory]."""
    sql = f"""
    SELECT c.id, c.priority_level, c.relationship_score, c.interaction_count, c.last_interaction_at,
           c.last_followup_at, c.birthday,
           CASE WHEN c.relationship_score > 0 AND c.last_interaction_at < :b_edge THEN
             (SELECT min(i.occurred_at) FROM interactions i WHERE i.contact_id = c.id
                 AND i.occurred_at <= :now)
           END AS first_at
    FROM contacts c
    WHERE c.priority_level != 'archived'
      AND (
        (c.last_interaction_at >= :dormancy_cutoff AND (
            (c.relationship_score < 4 AND c.last_interaction_at < :min_due)
            OR c.last_followup_at IS NOT NULL
            OR c.id IN (SELECT contact_id FROM detected_events WHERE detected_at >= :event_since)))
        OR (:birthdays IS NOT NULL AND c.birthday IS NOT NULL
            AND substr(c.birthday, -5) IN (SELECT value FROM json_each(:birthdays)))
        OR (c.relationship_score > 0 AND c.last_interaction_at < :b_edge)
      )
      AND (c.last_followup_at IS NULL OR c.last_followup_at < :followup_cutoff)
      AND NOT EXISTS (SELECT 1 FROM follow_up_suggestions s WHERE s.contact_id = c.id
                      AND (s.status IN ('pending', 'snoozed')
                           OR (s.status = 'dismissed' AND s.dismissed_by = 'user'
                               AND s.updated_at >= :dismiss_cutoff)))
      AND {_NOT_2ND_TIER}
      AND {_REACHABLE}
    ORDER BY c.id
    """
    yield from conn.execute(sql, dict(p))


def recent_events(conn: apsw.Connection, since: str, now: str) -> dict[int, list[tuple[Any, ...]]]:
    """contact rowid -> [(event rowid, confidence, detected_at, summary)] detected in [since, now]."""
    out: dict[int, list[tuple[Any, ...]]] = {}
    for cid, eid, conf, at, summary in conn.execute(
        "SELECT contact_id, id, confidence, detected_at, summary FROM detected_events "
        "WHERE detected_at >= ? AND detected_at <= ? ORDER BY id",
        (since, now),
    ):
        out.setdefault(cid, []).append((eid, conf, at, summary))
    return out


def read_flags(conn: apsw.Connection, ids: Sequence[int], now: str) -> dict[int, bool]:
    """contact rowid -> read flag of its latest outbound Telegram message that has one (up to now);
    contacts without such a message are absent."""
    out: dict[int, tuple[str, int, bool]] = {}
    for chunk in range(0, len(ids), 5000):
        part = ",".join(str(int(i)) for i in ids[chunk : chunk + 5000])
        for cid, iid, read, at in conn.execute(
            f"SELECT contact_id, id, is_read_by_recipient, occurred_at FROM interactions "
            f"WHERE contact_id IN ({part}) AND platform = 'telegram' AND direction = 'outbound' "
            f"AND is_read_by_recipient IS NOT NULL AND occurred_at <= ?",
            (now,),
        ):
            if cid not in out or (at, iid) > out[cid][:2]:
                out[cid] = (at, iid, bool(read))
    return {cid: v[2] for cid, v in out.items()}


def recent_directions(conn: apsw.Connection, cid: int, now: str) -> list[tuple[str, str]]:
    """The 3 latest inbound/outbound (direction, occurred_at) of a contact, newest first."""
    return [
        tuple(r)
        for r in conn.execute(
            "SELECT direction, occurred_at FROM interactions WHERE contact_id = ? "
            "AND direction IN ('inbound', 'outbound') AND occurred_at <= ? "
            "ORDER BY occurred_at DESC, id DESC LIMIT 3",
            (cid, now),
        )
    ]


def recent_platforms(conn: apsw.Connection, cid: int, now: str, n: int = 5) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT platform FROM interactions WHERE contact_id = ? AND occurred_at <= ? "
            "ORDER BY occurred_at DESC, id DESC LIMIT ?",
            (cid, now, n),
        )
    ]


def contact_brief(conn: apsw.Connection, cid: int) -> dict[str, Any]:
    """Names and the channels a contact is reachable on (for drafts and channel choice)."""
    r = rows(
        conn,
        """
        SELECT c.given_name, c.full_name, c.priority_level,
          EXISTS (SELECT 1 FROM contact_emails e WHERE e.contact_id = c.id) AS has_email,
          EXISTS (SELECT 1 FROM contact_identities ci WHERE ci.contact_id = c.id AND ci.platform = 'telegram'
                  AND ci.handle IS NOT NULL) AS has_telegram,
          EXISTS (SELECT 1 FROM contact_identities ci WHERE ci.contact_id = c.id AND ci.platform = 'twitter'
                  AND ci.handle IS NOT NULL) AS has_twitter,
          coalesce(c.linkedin_url, '') != '' AS has_linkedin
        FROM contacts c WHERE c.id = ?""",
        (cid,),
    )
    return r[0]


def any_positive_score(conn: apsw.Connection) -> bool:
    return exists(conn, "SELECT 1 FROM contacts WHERE relationship_score > 0 LIMIT 1")


def any_interactions(conn: apsw.Connection) -> bool:
    return exists(conn, "SELECT 1 FROM interactions LIMIT 1")


def newest_created(conn: apsw.Connection) -> str | None:
    """When the newest suggestion was made (None: there is none)."""
    return maybe_str(conn, "SELECT max(created_at) FROM follow_up_suggestions")


def event_summary(conn: apsw.Connection, eid: int | None) -> str | None:
    if eid is None:
        return None
    return maybe_str(conn, "SELECT summary FROM detected_events WHERE id = ?", (eid,))


# ------------------------------------------------------------------ rows


def insert(conn: apsw.Connection, items: Iterable[Mapping[str, Any]], now: str) -> list[int]:
    """Insert pending suggestions (in rank order); returns their rowids."""
    return [
        integer(
            conn,
            "INSERT INTO follow_up_suggestions(uuid, contact_id, trigger_type, trigger_event_id, "
            "suggested_message, suggested_channel, status, pool, reason, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?) RETURNING id",
            (
                new_uuid(),
                it["contact_id"],
                it["trigger_type"],
                it.get("trigger_event_id"),
                it["suggested_message"],
                it["suggested_channel"],
                it["pool"],
                it.get("reason"),
                now,
                now,
            ),
        )
        for it in items
    ]


_ITEM = """
SELECT s.id AS _rowid, s.contact_id AS _cid, s.uuid AS id, c.uuid AS contact_id, s.trigger_type,
  e.uuid AS trigger_event_id, s.suggested_message, s.suggested_channel, s.status, s.dismissed_by, s.pool,
  s.reason, s.scheduled_for, s.created_at, s.updated_at, c.birthday AS _birthday,
  c.last_followup_at AS _last_followup_at,
  json_object('id', c.uuid, 'full_name', c.full_name, 'given_name', c.given_name,
    'family_name', c.family_name, 'company', c.company, 'title', c.title, 'avatar_url', c.avatar_url,
    'telegram_username', (SELECT handle FROM contact_identities WHERE contact_id = c.id
                          AND platform = 'telegram' AND handle IS NOT NULL ORDER BY id LIMIT 1),
    'twitter_handle', (SELECT handle FROM contact_identities WHERE contact_id = c.id
                       AND platform = 'twitter' AND handle IS NOT NULL ORDER BY id LIMIT 1),
    'linkedin_profile_id', (SELECT external_id FROM contact_identities WHERE contact_id = c.id
                            AND platform = 'linkedin' AND external_id IS NOT NULL ORDER BY id LIMIT 1),
    'linkedin_url', c.linkedin_url, 'last_interaction_at', c.last_interaction_at) AS contact
FROM follow_up_suggestions s
JOIN contacts c ON c.id = s.contact_id
LEFT JOIN detected_events e ON e.id = s.trigger_event_id
"""


def _shape(conn: apsw.Connection, found: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows as the API shows them, but for `_birthday` and `_last_followup_at` (the contact's), which the
    service reads to word the reason as of now, then drops. The contact's `display_name` is what lists
    show for it [display-name]: a contact without any name is looked up for its address or number."""
    out = list(found)
    for r in out:
        r["contact"] = loads(r["contact"])
    nameless = {r["_cid"] for r in out if not any(r["contact"].get(k) for k in _NAMES)}
    shown = display_names(conn, list(nameless))
    for r in out:
        c = r["contact"]
        c["display_name"] = shown.get(r["_cid"]) or display_name(c)
        r.pop("_rowid", None)
        r.pop("_cid", None)
    return out


_NAMES = ("full_name", "given_name", "family_name")


def fetch(conn: apsw.Connection, ids: Sequence[int]) -> list[dict[str, Any]]:
    """Suggestions by rowid, in the given order."""
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    got = {r["_rowid"]: r for r in rows(conn, f"{_ITEM} WHERE s.id IN ({marks})", tuple(ids))}
    return _shape(conn, [got[i] for i in ids if i in got])


def list_pending(conn: apsw.Connection, *, listing: bool, as_of: str | None = None) -> list[dict[str, Any]]:
    """Pending suggestions, newest first (rank order within a run). `listing` (GET /suggestions) also
    drops contacts without a channel; both drop archived and 2nd-tier contacts [hidden-contacts].

    `as_of`: the queue as it would be at that later moment, changing nothing [what-if-reads]: a snooze
    due by then is shown pending (what reactivate_snoozed would write), and a suggestion whose contact was
    heard from by then is left out (dismiss_superseded)."""
    where = ["s.status = 'pending'", "c.priority_level != 'archived'", _NOT_2ND_TIER]
    params: tuple[str, ...] = ()
    if as_of is not None:
        where[0] = (
            "(s.status = 'pending' OR (s.status = 'snoozed' AND s.scheduled_for IS NOT NULL "
            "AND s.scheduled_for <= ?1)) AND NOT (c.last_interaction_at IS NOT NULL "
            "AND c.last_interaction_at >= s.created_at AND c.last_interaction_at <= ?1)"
        )
        params = (as_of,)
    if listing:
        where.append(_REACHABLE)
    found = _shape(
        conn, rows(conn, f"{_ITEM} WHERE {' AND '.join(where)} ORDER BY s.created_at DESC, s.id", params)
    )
    for r in found:
        if r["status"] == "snoozed":  # back by then, as reactivate_snoozed would leave it
            r["status"], r["scheduled_for"] = "pending", None
    return found


def open_for_contact(conn: apsw.Connection, contact_uuid: str) -> list[str]:
    """The uuids of a contact's pending and snoozed suggestions, pending first, newest first."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT s.uuid FROM follow_up_suggestions s JOIN contacts c ON c.id = s.contact_id "
            "WHERE c.uuid = ? AND s.status IN ('pending', 'snoozed') "
            "ORDER BY s.status = 'snoozed', s.created_at DESC, s.id",
            (contact_uuid,),
        )
    ]


def contacts_with(conn: apsw.Connection, contact_ids: Sequence[int], statuses: Sequence[str]) -> list[int]:
    """Which of these contacts (rowids) have a suggestion in one of `statuses`, in the order given."""
    found: set[int] = set()
    smarks = ",".join("?" * len(statuses))
    for i in range(0, len(contact_ids), 500):
        part = contact_ids[i : i + 500]
        sql = (
            f"SELECT DISTINCT contact_id FROM follow_up_suggestions WHERE contact_id IN "
            f"({','.join('?' * len(part))}) AND status IN ({smarks})"
        )
        found.update(r[0] for r in conn.execute(sql, (*part, *statuses)))
    return [c for c in contact_ids if c in found]


def latest_for_contact(conn: apsw.Connection, contact_uuid: str) -> tuple[str, str] | None:
    """(uuid, status) of the contact's suggestion changed last, whatever its status; None when it has none."""
    row = conn.execute(
        "SELECT s.uuid, s.status FROM follow_up_suggestions s JOIN contacts c ON c.id = s.contact_id "
        "WHERE c.uuid = ? ORDER BY s.updated_at DESC, s.id DESC LIMIT 1",
        (contact_uuid,),
    ).fetchone()
    return (str(row[0]), str(row[1])) if row else None


def sent_for_contact(conn: apsw.Connection, contact_uuid: str) -> list[str]:
    """The uuids of a contact's sent suggestions, the most recently marked first."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT s.uuid FROM follow_up_suggestions s JOIN contacts c ON c.id = s.contact_id "
            "WHERE c.uuid = ? AND s.status = 'sent' ORDER BY s.updated_at DESC, s.id DESC",
            (contact_uuid,),
        )
    ]


def locate(conn: apsw.Connection, ref: str) -> list[tuple[int, str]]:
    """(rowid, uuid) of suggestions whose uuid is or starts with `ref` (at most 10)."""
    low = ref.strip().lower()
    return [
        tuple(r)
        for r in conn.execute(
            "SELECT id, uuid FROM follow_up_suggestions WHERE uuid >= ? AND uuid < ? ORDER BY uuid LIMIT 10",
            (low, low + "\uffff"),
        )
    ]


def state(conn: apsw.Connection, sid: int) -> dict[str, Any] | None:
    r = rows(
        conn,
        "SELECT s.id, s.contact_id, s.trigger_type, s.trigger_event_id, s.pool, s.status, "
        "s.suggested_channel, s.suggested_message, s.dismissed_by, s.scheduled_for "
        "FROM follow_up_suggestions s WHERE s.id = ?",
        (sid,),
    )
    return r[0] if r else None


def update(conn: apsw.Connection, sid: int, fields: Mapping[str, Any], now: str) -> None:
    allowed = {"status", "dismissed_by", "scheduled_for", "suggested_message", "suggested_channel"}
    data = {k: v for k, v in fields.items() if k in allowed}
    data["updated_at"] = now
    sets = ", ".join(f"{k} = ?" for k in data)
    conn.execute(f"UPDATE follow_up_suggestions SET {sets} WHERE id = ?", (*data.values(), sid))


def advance_last_followup(conn: apsw.Connection, cid: int, when: str) -> str | None:
    """Record a follow-up at `when` (canonical text, which sorts as time): last_followup_at only ever moves
    forward, so a follow-up recorded late (an earlier --now) never makes the last one look older
    [suggestion-status]. Returns the value before, which a scheduled send keeps to be taken back."""
    before = maybe_str(conn, "SELECT last_followup_at FROM contacts WHERE id = ?", (cid,))
    conn.execute(
        "UPDATE contacts SET last_followup_at = ?1 WHERE id = ?2 "
        "AND (last_followup_at IS NULL OR last_followup_at < ?1)",
        (when, cid),
    )
    return before


FOLLOWUP_BEFORE = "followup_before"  # a scheduled send's extra_data: last_followup_at before it


def withdraw_followup(conn: apsw.Connection, iid: int) -> None:
    """Take back the follow-up a scheduled send recorded, as its record goes unsent [telegram-send]: while it
    is still the contact's last one, last_followup_at goes back to the value before it, or to the newest
    follow-up recorded since (another send from pcrm, a suggestion marked sent) if later. A later follow-up
    is never undone; a send recorded without the value before (older stores) changes nothing.

    Another scheduled send that took this one's time as its value before takes this one's instead, so
    cancelling both leaves no trace of either."""
    row = conn.execute(
        "SELECT i.contact_id, i.created_at, json_type(i.extra_data, ?1), i.extra_data ->> ?1, "
        "c.last_followup_at FROM interactions i JOIN contacts c ON c.id = i.contact_id WHERE i.id = ?2",
        (f"$.{FOLLOWUP_BEFORE}", iid),
    ).fetchone()
    if row is None or row[2] is None:
        return
    cid, recorded, _, before, current = row
    conn.execute(
        "UPDATE interactions SET extra_data = json_set(extra_data, ?1, ?2) "
        "WHERE contact_id = ?3 AND id != ?4 AND extra_data ->> ?1 = ?5",
        (f"$.{FOLLOWUP_BEFORE}", before, cid, iid, recorded),
    )
    if current != recorded:
        return  # a later follow-up is the last one
    since = [before, *_followups_besides(conn, cid, iid)]
    kept = max((t for t in since if t is not None and t <= recorded), default=None)
    conn.execute("UPDATE contacts SET last_followup_at = ? WHERE id = ?", (kept, cid))


def _followups_besides(conn: apsw.Connection, cid: int, iid: int) -> list[str | None]:
    """When the contact's other recorded follow-ups were recorded: the newest message sent from pcrm and the
    newest suggestion marked sent."""
    return list(
        first(
            conn,
            "SELECT (SELECT max(created_at) FROM interactions WHERE contact_id = ?1 AND id != ?2 "
            "AND direction = 'outbound' AND extra_data ->> '$.sent_by' = 'pcrm'), "
            "(SELECT max(updated_at) FROM follow_up_suggestions WHERE contact_id = ?1 AND status = 'sent')",
            (cid, iid),
        )
    )


def maintenance_due(conn: apsw.Connection, now: str) -> bool:
    """Whether reactivate_snoozed or dismiss_superseded would change anything now (a read: the daemon's
    reads then stay reads)."""
    return (
        integer(
            conn,
            "SELECT EXISTS (SELECT 1 FROM follow_up_suggestions s JOIN contacts c ON c.id = s.contact_id "
            "WHERE s.status = 'snoozed' AND s.scheduled_for IS NOT NULL AND s.scheduled_for <= ?1 "
            "AND c.priority_level != 'archived') "
            "OR EXISTS (SELECT 1 FROM follow_up_suggestions s JOIN contacts c ON c.id = s.contact_id "
            "WHERE s.status = 'pending' AND c.last_interaction_at IS NOT NULL "
            "AND c.last_interaction_at >= s.created_at AND c.last_interaction_at <= ?1)",
            (now,),
        )
        == 1
    )


def reactivate_snoozed(conn: apsw.Connection, now: str) -> int:
    """Snoozed suggestions whose time has come become pending again (not for archived contacts)."""
    conn.execute(
        "UPDATE follow_up_suggestions SET status = 'pending', scheduled_for = NULL, updated_at = ? "
        "WHERE status = 'snoozed' AND scheduled_for IS NOT NULL AND scheduled_for <= ? "
        "AND contact_id IN (SELECT id FROM contacts WHERE priority_level != 'archived')",
        (now, now),
    )
    return conn.changes()


def open_birthdays(conn: apsw.Connection) -> list[tuple[int, str, str | None]]:
    """(rowid, created_at, the contact's birthday) of every pending or snoozed birthday suggestion: what
    the service checks for expiry [birthday-expiry]."""
    return [
        (r[0], r[1], r[2])
        for r in conn.execute(
            "SELECT s.id, s.created_at, c.birthday FROM follow_up_suggestions s "
            "JOIN contacts c ON c.id = s.contact_id "
            "WHERE s.trigger_type = 'birthday' AND s.status IN ('pending', 'snoozed') ORDER BY s.id"
        )
    ]


def expire(conn: apsw.Connection, ids: Sequence[int], now: str) -> int:
    """Dismiss these suggestions as `system` (no cooldown) if still pending or snoozed: birthday suggestions
    past their day [birthday-expiry]."""
    n = 0
    for i in range(0, len(ids), 500):
        part = ids[i : i + 500]
        conn.execute(
            "UPDATE follow_up_suggestions SET status = 'dismissed', dismissed_by = 'system', "
            f"scheduled_for = NULL, updated_at = ? WHERE id IN ({','.join('?' * len(part))}) "
            "AND status IN ('pending', 'snoozed')",
            (now, *part),
        )
        n += conn.changes()
    return n


def made_for(conn: apsw.Connection, sid: int) -> tuple[str, str | None]:
    """(created_at, the contact's birthday) of a suggestion: what a birthday snooze is checked against
    [birthday-expiry]."""
    for made, birthday in conn.execute(
        "SELECT s.created_at, c.birthday FROM follow_up_suggestions s JOIN contacts c ON c.id = s.contact_id "
        "WHERE s.id = ?",
        (sid,),
    ):
        return str(made), birthday
    raise LookupError(f"no suggestion of rowid {sid}")


def dismiss_superseded(conn: apsw.Connection, now: str) -> int:
    """Pending suggestions whose contact was heard from at or after the suggestion was made
    [auto-dismissal]."""
    conn.execute(
        "UPDATE follow_up_suggestions SET status = 'dismissed', dismissed_by = 'system', updated_at = ? "
        "WHERE status = 'pending' AND EXISTS (SELECT 1 FROM contacts c "
        "WHERE c.id = follow_up_suggestions.contact_id AND c.last_interaction_at IS NOT NULL "
        "AND c.last_interaction_at >= follow_up_suggestions.created_at AND c.last_interaction_at <= ?)",
        (now, now),
    )
    return conn.changes()


def dismiss_for_activity(conn: apsw.Connection, activity: Mapping[int, str], now: str) -> int:
    """For each contact rowid -> newest occurred_at just written, dismiss its pending suggestions created
    at or before that time (so backfilled old messages never dismiss newer suggestions)."""
    upto = {
        str(int(cid)): occurred
        for cid, occurred in activity.items()
        if occurred is not None and occurred <= now
    }
    if not upto:
        return 0
    # one statement for the whole batch (a webhook group's contacts): each pending suggestion of those
    # contacts, found through suggestions_contact, against its own contact's time
    conn.execute(
        "UPDATE follow_up_suggestions INDEXED BY suggestions_contact SET status = 'dismissed', "
        "dismissed_by = 'system', updated_at = ?1 "
        "FROM (SELECT CAST(key AS INTEGER) AS cid, value AS upto FROM json_each(?2)) AS a "
        "WHERE follow_up_suggestions.contact_id = a.cid AND follow_up_suggestions.status = 'pending' "
        "AND follow_up_suggestions.created_at <= a.upto",
        (now, dumps(upto).decode()),
    )
    return conn.changes()


# ------------------------------------------------------------------ lock and notification


def acquire_lock(conn: apsw.Connection, name: str, holder: str, now: str, expires: str) -> bool:
    """Take the named lock unless someone holds an unexpired one (store/locks.py)."""
    return locks.acquire(conn, name, holder, now, expires)


def release_lock(conn: apsw.Connection, name: str, holder: str) -> None:
    locks.release(conn, name, holder)


def add_notification(
    conn: apsw.Connection, kind: str, title: str, body: str | None, link: str | None, now: str
) -> None:
    conn.execute(
        "INSERT INTO notifications(uuid, notification_type, title, body, read, link, created_at) "
        "VALUES (?, ?, ?, ?, 0, ?, ?)",
        (new_uuid(), kind, title, body, link, now),
    )
