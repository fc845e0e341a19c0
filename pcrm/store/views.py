"""Read-only queries behind the dashboard views (overdue, birthdays, stats, ...)."""

from __future__ import annotations

from typing import Any

import apsw

from pcrm.store.rows import first, one, rows

_OVERDUE = (
    "FROM contacts c WHERE c.priority_level = 'high' AND c.last_interaction_at IS NOT NULL "
    "AND c.interaction_count > 0 AND c.last_interaction_at < ? "
    "AND NOT EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = c.id AND t.tag = '2nd tier') "
)


def overdue_candidates(conn: apsw.Connection, before: str, limit: int) -> list[tuple[int, str]]:
    """High-priority, non-2nd-tier contacts with interactions whose last one is before `before`,
    most overdue first (ties by rowid); limit -1: all of them."""
    return [
        tuple(r)
        for r in conn.execute(
            f"SELECT c.id, c.last_interaction_at {_OVERDUE} ORDER BY c.last_interaction_at ASC, c.id LIMIT ?",
            (before, limit),
        )
    ]


def overdue_count(conn: apsw.Connection, before: str) -> int:
    """How many overdue_candidates there are in all."""
    return int(first(conn, f"SELECT count(*) {_OVERDUE}", (before,))[0])


_HIGH = (
    "FROM contacts c WHERE c.priority_level = 'high' "
    "AND NOT EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = c.id AND t.tag = '2nd tier') "
)


def high_priority_count(conn: apsw.Connection) -> int:
    """How many high-priority, non-2nd-tier contacts there are: those the overdue list watches."""
    return int(first(conn, f"SELECT count(*) {_HIGH}")[0])


def next_due(conn: apsw.Connection) -> tuple[int, str] | None:
    """The watched contact heard from longest ago (rowid, last_interaction_at): with nobody overdue, the
    next to be."""
    got = one(
        conn,
        f"SELECT c.id, c.last_interaction_at {_HIGH} AND c.last_interaction_at IS NOT NULL "
        "AND c.interaction_count > 0 ORDER BY c.last_interaction_at ASC, c.id LIMIT 1",
    )
    return (int(got["id"]), str(got["last_interaction_at"])) if got else None


def contact_stats(conn: apsw.Connection, week_ago: str, two_weeks_ago: str, now: str) -> dict[str, int]:
    """GET /contacts/stats counts: score buckets over non-archived contacts; interactions (up to now) in the
    last 7 days and in days 7-14; distinct contacts with an interaction in days 7-14."""
    total, strong, active, dormant = first(
        conn,
        "SELECT count(*), coalesce(sum(relationship_score >= 8), 0), "
        "coalesce(sum(relationship_score BETWEEN 4 AND 7), 0), coalesce(sum(relationship_score < 4), 0) "
        "FROM contacts WHERE priority_level != 'archived'",
    )
    this_week, last_week, active_last = first(
        conn,
        "SELECT coalesce(sum(occurred_at >= :week), 0), coalesce(sum(occurred_at < :week), 0), "
        "count(DISTINCT CASE WHEN occurred_at < :week THEN contact_id END) "
        "FROM interactions WHERE occurred_at >= :two AND occurred_at <= :now",
        {"week": week_ago, "two": two_weeks_ago, "now": now},
    )
    return {
        "total": total,
        "strong": strong,
        "active": active,
        "dormant": dormant,
        "interactions_this_week": this_week,
        "interactions_last_week": last_week,
        "active_last_week": active_last,
    }


def birthday_candidates(conn: apsw.Connection, month_days: list[str]) -> list[tuple[int, str]]:
    """Non-archived contacts whose birthday's MM-DD is one of `month_days`: (rowid, MM-DD)."""
    if not month_days:
        return []
    marks = ",".join("?" * len(month_days))
    return [
        tuple(r)
        for r in conn.execute(
            f"SELECT c.id, substr(c.birthday, -5) FROM contacts c WHERE c.birthday IS NOT NULL "
            f"AND substr(c.birthday, -5) IN ({marks}) AND c.priority_level != 'archived' "
            "ORDER BY c.name_fold, c.id",
            tuple(month_days),
        )
    ]


def map_points(
    conn: apsw.Connection, min_lng: float, min_lat: float, max_lng: float, max_lat: float, limit: int
) -> tuple[list[dict[str, Any]], int]:
    """Located, non-archived, non-2nd-tier contacts inside the box (bounds inclusive), best score first (each
    with its `_rowid`), and how many there are in all.

    The box is a range scan of the covering index contacts_map (m005: latitude, longitude, score,
    priority), not the R*Tree: through the R*Tree every point in the box costs a lookup in the contacts
    table for the filter and the sort (~4 ms per 1,000 points from a cold cache), here only the returned
    page does. The 2nd-tier contacts are read once into a set (NOT IN) instead of probed per point.
    """
    params = {"a": min_lng, "b": min_lat, "c": max_lng, "d": max_lat, "limit": limit}
    found = rows(
        conn,
        """
SELECT c.uuid AS id, c.full_name, c.avatar_url, c.latitude, c.longitude, c.relationship_score,
    h.total AS _total, c.id AS _rowid
FROM (SELECT p.id, p.relationship_score, count(*) OVER () AS total
      FROM contacts p
      WHERE p.latitude BETWEEN :b AND :d AND p.longitude BETWEEN :a AND :c AND p.priority_level != 'archived'
        AND p.id NOT IN (SELECT contact_id FROM contact_tags WHERE tag = '2nd tier')
      ORDER BY p.relationship_score DESC, p.id LIMIT :limit) h
JOIN contacts c ON c.id = h.id
ORDER BY h.relationship_score DESC, h.id""",
        params,
    )
    total = found[0]["_total"] if found else 0
    items = [{k: v for k, v in r.items() if k != "_total"} for r in found]
    return items, total


def company_of_contact(conn: apsw.Connection, cid: int) -> str | None:
    """Contact `cid`'s company as typed (None when it has none)."""
    row = one(conn, "SELECT nullif(trim(company), '') AS company FROM contacts WHERE id = ?", (cid,))
    return row["company"] if row else None


def companies(conn: apsw.Connection) -> list[str]:
    """Every company the contacts name, each spelling once (the same company is often spelled alike by many:
    a store of 100k contacts holds a few thousand)."""
    return [r["company"] for r in rows(conn, "SELECT DISTINCT company FROM contacts WHERE company > ''")]


def related(conn: apsw.Connection, cid: int, limit: int, same_company: list[str]) -> list[dict[str, Any]]:
    """Up to `limit` non-archived contacts sharing the organization, the company (`same_company`: the company
    spellings that are the contact's company, its own included, found by the caller by the company's key) or
    a tag (other than the 2nd-tier marker) with contact `cid`: best score first, then the most in common, then
    by name; with what they share (same_org, same_company, shared_tags joined by U+001F) and `_rowid`."""
    from orjson import dumps

    return rows(
        conn,
        """
WITH me AS (SELECT organization_id AS org FROM contacts WHERE id = :cid),
     same_company(name) AS (SELECT value FROM json_each(:companies)),
     my_tags AS (SELECT tag FROM contact_tags WHERE contact_id = :cid AND tag != '2nd tier'),
     cand AS (
        SELECT c.id FROM contacts c, me WHERE me.org IS NOT NULL AND c.organization_id = me.org
        -- the NOCASE index finds each spelling's rows; the spelling itself is then checked exactly
        UNION SELECT c.id FROM same_company s JOIN contacts c ON c.company = s.name COLLATE NOCASE
              WHERE c.company IN (SELECT name FROM same_company)
        UNION SELECT t.contact_id FROM contact_tags t JOIN my_tags m ON m.tag = t.tag),
     scored AS (
        SELECT c.id, c.uuid, c.full_name, c.title, c.company, c.avatar_url, c.relationship_score, c.name_fold,
               (me.org IS NOT NULL AND c.organization_id IS me.org) AS same_org,
               coalesce(c.company IN (SELECT name FROM same_company), 0) AS same_company,
               (SELECT count(*) FROM contact_tags t JOIN my_tags m ON m.tag = t.tag WHERE t.contact_id = c.id)
                   AS n_tags
        FROM cand JOIN contacts c ON c.id = cand.id, me
        WHERE c.id != :cid AND c.priority_level != 'archived')
SELECT uuid AS id, id AS _rowid, full_name, title, company, avatar_url, relationship_score, same_org,
       same_company AND NOT same_org AS same_company,
       (SELECT group_concat(tag, char(31)) FROM (SELECT t.tag FROM contact_tags t
           JOIN my_tags m ON m.tag = t.tag
          WHERE t.contact_id = scored.id ORDER BY t.tag)) AS shared_tags
FROM scored
ORDER BY relationship_score DESC, same_org + (same_company AND NOT same_org) + n_tags DESC, name_fold, id
LIMIT :limit
""",
        {"cid": cid, "limit": limit, "companies": dumps(same_company).decode()},
    )


def recent_activity(conn: apsw.Connection, since: str, now: str, limit: int) -> list[dict[str, Any]]:
    """The newest interaction per non-archived contact within [since, now], newest first (limit -1: all)."""
    return rows(
        conn,
        """
SELECT c.full_name AS contact_name, c.uuid AS contact_id, c.avatar_url AS contact_avatar_url, x.platform,
       x.direction, x.content_preview, x.occurred_at AS timestamp
FROM (SELECT i.contact_id, i.platform, i.direction, i.content_preview, i.occurred_at,
             row_number() OVER (PARTITION BY i.contact_id ORDER BY i.occurred_at DESC, i.id DESC) AS rn, i.id
      FROM interactions i WHERE i.occurred_at >= :since AND i.occurred_at <= :now) x
JOIN contacts c ON c.id = x.contact_id
WHERE x.rn = 1 AND c.priority_level != 'archived'
ORDER BY x.occurred_at DESC, x.id DESC LIMIT :limit
""",
        {"since": since, "now": now, "limit": limit},
    )


def recent_activity_count(conn: apsw.Connection, since: str, now: str) -> int:
    """How many rows recent_activity has in all: the non-archived contacts with an interaction within
    [since, now]."""
    return int(
        first(
            conn,
            "SELECT count(*) FROM contacts c WHERE c.priority_level != 'archived' AND EXISTS (SELECT 1 FROM "
            "interactions i WHERE i.contact_id = c.id AND i.occurred_at >= ? AND i.occurred_at <= ?)",
            (since, now),
        )[0]
    )


def interactions_by_platform(conn: apsw.Connection, since: str, now: str) -> dict[str, int]:
    """Interactions with since <= occurred_at <= now, counted per platform, most first (then by name)."""
    found = conn.execute(
        "SELECT platform, count(*) AS n FROM interactions WHERE occurred_at >= ? AND occurred_at <= ? "
        "GROUP BY platform ORDER BY n DESC, platform",
        (since, now),
    )
    return {str(platform): int(n) for platform, n in found}
