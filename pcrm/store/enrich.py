"""Queries for Apollo enrichment and geocoding [apollo-enrichment] [geocoding]: which contacts need them, and
writing a geocoded location (the R*Tree `contacts_geo` follows the coordinates through its triggers)."""

from __future__ import annotations

import apsw

_ACTIVE = (
    "c.priority_level != 'archived' "
    "AND NOT EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = c.id AND t.tag = '2nd tier')"
)


def missing_title_or_company(conn: apsw.Connection) -> list[int]:
    """Active, non-2nd-tier contacts lacking a title or a company that have an email or a LinkedIn URL."""
    sql = (
        f"SELECT c.id FROM contacts c WHERE {_ACTIVE} "
        "AND (coalesce(c.title, '') = '' OR coalesce(c.company, '') = '') "
        "AND (coalesce(c.linkedin_url, '') != '' "
        "OR EXISTS (SELECT 1 FROM contact_emails e WHERE e.contact_id = c.id)) ORDER BY c.id"
    )
    return [r[0] for r in conn.execute(sql)]


def to_geocode(conn: apsw.Connection, *, every: bool) -> list[tuple[int, str]]:
    """(rowid, location) of contacts whose location text changed since it was last geocoded (every: all
    contacts with a location), plus contacts whose location was emptied since (with location ''), oldest
    rowid first. Coordinates that no geocoding put there (typed, imported) are never replaced."""
    changed = "" if every else "AND c.geocoded_location IS NOT trim(c.location) "
    sql = (
        "SELECT c.id, trim(c.location) FROM contacts c WHERE coalesce(trim(c.location), '') != '' "
        f"{changed}AND NOT (c.latitude IS NOT NULL AND c.geocoded_location IS NULL) "
        "UNION ALL SELECT c.id, '' FROM contacts c WHERE coalesce(trim(c.location), '') = '' "
        "AND c.geocoded_location IS NOT NULL ORDER BY 1"
    )
    return [(r[0], r[1]) for r in conn.execute(sql)]


def set_geocode(
    conn: apsw.Connection, cid: int, location: str | None, point: tuple[float, float] | None, now: str
) -> None:
    """Store a geocoding result: the point (lat, lng) or none (not found, or no location), and the location
    text it answers for, so an unchanged location is not asked again."""
    lat, lng = point or (None, None)
    conn.execute(
        "UPDATE contacts SET latitude = ?, longitude = ?, geocoded_location = ?, geocoded_at = ? "
        "WHERE id = ?",
        (lat, lng, location or None, now if location else None, cid),
    )
