-- m007: the journal of organization merges, so `pcrm orgs unmerge` can undo one.
-- One row per source merged away: its whole row, what it filled on the target, and each contact it
-- handed over with the company that contact had before.
CREATE TABLE org_merges (
    id            INTEGER PRIMARY KEY,
    uuid          TEXT NOT NULL UNIQUE,
    target_uuid   TEXT NOT NULL,
    target_name   TEXT NOT NULL,
    source_uuid   TEXT NOT NULL,
    source_before TEXT NOT NULL CHECK (json_valid(source_before)),
    target_filled TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(target_filled)),
    contacts      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(contacts)),
    merged_at     TEXT NOT NULL,
    unmerged_at   TEXT
);
CREATE INDEX org_merges_source ON org_merges(source_uuid);
CREATE INDEX org_merges_target ON org_merges(target_uuid, merged_at DESC);

-- An unmerged pair is remembered as dismissed (method `unmerge`), so the duplicate scan never merges it
-- again: the method's CHECK gains that value (SQLite changes a CHECK only by rebuilding the table).
CREATE TABLE org_identity_matches_m007 (
    id           INTEGER PRIMARY KEY,
    uuid         TEXT NOT NULL UNIQUE,
    org_a_id     INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    org_b_id     INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    match_score  REAL NOT NULL DEFAULT 0,
    match_method TEXT NOT NULL CHECK (match_method IN ('deterministic_domain', 'deterministic_linkedin',
                     'deterministic_name_website', 'probabilistic', 'unmerge')),
    status       TEXT NOT NULL DEFAULT 'pending_review'
                     CHECK (status IN ('pending_review', 'merged', 'dismissed')),
    created_at   TEXT NOT NULL,
    resolved_at  TEXT
);
INSERT INTO org_identity_matches_m007 SELECT id, uuid, org_a_id, org_b_id, match_score, match_method, status,
    created_at, resolved_at FROM org_identity_matches;
DROP TABLE org_identity_matches;
ALTER TABLE org_identity_matches_m007 RENAME TO org_identity_matches;
CREATE UNIQUE INDEX org_identity_matches_pair ON org_identity_matches(min(org_a_id, org_b_id),
    max(org_a_id, org_b_id));
