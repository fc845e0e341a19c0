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
