-- m001_initial: the whole data model of behaviour.md §1 as D1-D2 adapt it.
-- Integer rowid keys inside (FTS5 and the R*Tree point at them), lowercase UUIDs outside.
-- Timestamps are TEXT in the canonical form YYYY-MM-DDTHH:MM:SS.mmmZ (UTC), so they sort as text.

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    uuid            TEXT NOT NULL UNIQUE,
    email           TEXT NOT NULL UNIQUE,
    hashed_password TEXT NOT NULL,
    full_name       TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL CHECK (json_valid(value)),
    updated_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE google_accounts (
    id         INTEGER PRIMARY KEY,
    uuid       TEXT NOT NULL UNIQUE,
    email      TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    uuid         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('script', 'calendar', 'mcp')),
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens(kind, name) WHERE revoked_at IS NULL;

CREATE TABLE import_batches (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    source      TEXT NOT NULL,
    format      TEXT NOT NULL,
    filename    TEXT,
    status      TEXT NOT NULL DEFAULT 'applied' CHECK (status IN ('applied', 'undone')),
    report      TEXT CHECK (report IS NULL OR json_valid(report)),
    changes     TEXT CHECK (changes IS NULL OR json_valid(changes)),
    created_at  TEXT NOT NULL,
    undone_at   TEXT
);

CREATE TABLE sync_runs (
    id              INTEGER PRIMARY KEY,
    uuid            TEXT NOT NULL UNIQUE,
    platform        TEXT NOT NULL,
    sync_type       TEXT NOT NULL CHECK (sync_type IN ('manual', 'scheduled', 'webhook')),
    status          TEXT NOT NULL CHECK (status IN ('started', 'success', 'failed', 'partial')),
    records_created INTEGER NOT NULL DEFAULT 0,
    records_updated INTEGER NOT NULL DEFAULT 0,
    records_failed  INTEGER NOT NULL DEFAULT 0,
    duration_ms     INTEGER,
    error_message   TEXT CHECK (error_message IS NULL OR length(error_message) <= 2000),
    details         TEXT,
    started_at      TEXT NOT NULL,
    completed_at    TEXT
);
CREATE INDEX sync_runs_platform ON sync_runs(platform, started_at DESC);

CREATE TABLE sync_cursors (
    source     TEXT NOT NULL,
    account    TEXT NOT NULL DEFAULT '',
    cursor     TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (source, account)
) WITHOUT ROWID;

-- One run per source at a time, whether the CLI or the daemon started it (D18).
CREATE TABLE locks (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    acquired_at TEXT NOT NULL,
    expires_at  TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE job_runs (
    job             TEXT PRIMARY KEY,
    last_started_at TEXT,
    last_success_at TEXT,
    last_error      TEXT
) WITHOUT ROWID;

CREATE TABLE organizations (
    id             INTEGER PRIMARY KEY,
    uuid           TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL CHECK (length(trim(name)) > 0),
    name_fold      TEXT NOT NULL,
    domain         TEXT,
    industry       TEXT,
    location       TEXT,
    website        TEXT,
    linkedin_url   TEXT,
    twitter_handle TEXT,
    notes          TEXT,
    logo_url       TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX organizations_name_fold ON organizations(name_fold);
CREATE INDEX organizations_domain ON organizations(domain);

CREATE TABLE contacts (
    id                          INTEGER PRIMARY KEY,
    uuid                        TEXT NOT NULL UNIQUE,
    full_name                   TEXT,
    given_name                  TEXT,
    family_name                 TEXT,
    name_fold                   TEXT NOT NULL DEFAULT '',
    company                     TEXT,
    organization_id             INTEGER REFERENCES organizations(id) ON DELETE SET NULL,
    title                       TEXT,
    twitter_bio                 TEXT,
    telegram_bio                TEXT,
    location                    TEXT,
    latitude                    REAL CHECK (latitude IS NULL OR latitude BETWEEN -90 AND 90),
    longitude                   REAL CHECK (longitude IS NULL OR longitude BETWEEN -180 AND 180),
    geocoded_at                 TEXT,
    geocoded_location           TEXT,
    linkedin_url                TEXT,
    linkedin_headline           TEXT,
    linkedin_bio                TEXT,
    avatar_url                  TEXT,
    birthday                    TEXT CHECK (birthday IS NULL
                                    OR birthday GLOB '[0-1][0-9]-[0-3][0-9]'
                                    OR birthday GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    telegram_common_groups      TEXT CHECK (telegram_common_groups IS NULL OR json_valid(telegram_common_groups)),
    telegram_groups_fetched_at  TEXT,
    telegram_bio_checked_at     TEXT,
    telegram_read_outbox_max_id INTEGER,
    telegram_last_seen_at       TEXT,
    whatsapp_name               TEXT,
    whatsapp_about              TEXT,
    whatsapp_avatar_url         TEXT,
    whatsapp_bio_checked_at     TEXT,
    facebook_name               TEXT,
    facebook_avatar_url         TEXT,
    instagram_avatar_url        TEXT,
    notes                       TEXT,
    relationship_score          INTEGER NOT NULL DEFAULT 0 CHECK (relationship_score BETWEEN 0 AND 10),
    interaction_count           INTEGER NOT NULL DEFAULT 0 CHECK (interaction_count >= 0),
    last_interaction_at         TEXT,
    last_followup_at            TEXT,
    score_computed_at           TEXT,
    priority_level              TEXT NOT NULL DEFAULT 'medium'
                                    CHECK (priority_level IN ('high', 'medium', 'low', 'archived')),
    source                      TEXT,
    user_edited_fields          TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(user_edited_fields)),
    google_resource_name        TEXT,
    bcc_hash                    TEXT,
    import_batch_id             INTEGER REFERENCES import_batches(id) ON DELETE SET NULL,
    sync_run_id                 INTEGER REFERENCES sync_runs(id) ON DELETE SET NULL,
    created_at                  TEXT NOT NULL,
    updated_at                  TEXT NOT NULL
);
CREATE INDEX contacts_score ON contacts(relationship_score DESC, created_at DESC);
CREATE INDEX contacts_created ON contacts(created_at);
CREATE INDEX contacts_last_interaction ON contacts(last_interaction_at);
CREATE INDEX contacts_interaction_count ON contacts(interaction_count);
CREATE INDEX contacts_priority ON contacts(priority_level, last_interaction_at);
CREATE INDEX contacts_name_fold ON contacts(name_fold);
CREATE INDEX contacts_organization ON contacts(organization_id);
CREATE INDEX contacts_company ON contacts(company COLLATE NOCASE);
CREATE INDEX contacts_google_resource ON contacts(google_resource_name) WHERE google_resource_name IS NOT NULL;
CREATE INDEX contacts_import_batch ON contacts(import_batch_id) WHERE import_batch_id IS NOT NULL;

CREATE TABLE contact_emails (
    id         INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    email      TEXT NOT NULL CHECK (email = lower(trim(email)) AND length(email) > 0),
    label      TEXT,
    position   INTEGER NOT NULL DEFAULT 0,
    UNIQUE (contact_id, email)
);
CREATE INDEX contact_emails_email ON contact_emails(email);

CREATE TABLE contact_phones (
    id         INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    phone      TEXT NOT NULL,
    normalized TEXT NOT NULL,
    label      TEXT,
    position   INTEGER NOT NULL DEFAULT 0,
    UNIQUE (contact_id, normalized)
);
CREATE INDEX contact_phones_normalized ON contact_phones(normalized);

CREATE TABLE contact_tags (
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    tag        TEXT NOT NULL CHECK (tag = lower(tag) AND length(tag) > 0),
    position   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (contact_id, tag)
) WITHOUT ROWID;
CREATE INDEX contact_tags_tag ON contact_tags(tag, contact_id);

-- Platform identities; the §1.3 columns (twitter_handle, telegram_user_id, ...) are projections of it.
CREATE TABLE contact_identities (
    id          INTEGER PRIMARY KEY,
    contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    platform    TEXT NOT NULL CHECK (platform IN
                    ('telegram', 'twitter', 'linkedin', 'whatsapp', 'facebook', 'instagram')),
    external_id TEXT,
    handle      TEXT CHECK (handle IS NULL OR handle = lower(handle)),
    created_at  TEXT NOT NULL,
    CHECK (external_id IS NOT NULL OR handle IS NOT NULL)
);
CREATE UNIQUE INDEX contact_identities_external ON contact_identities(platform, external_id)
    WHERE external_id IS NOT NULL;
CREATE UNIQUE INDEX contact_identities_handle ON contact_identities(platform, handle)
    WHERE handle IS NOT NULL;
CREATE INDEX contact_identities_contact ON contact_identities(contact_id, platform);

-- What vCard and exports carry beyond §1.3 (D2).
CREATE TABLE contact_fields (
    id         INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    label      TEXT,
    value      TEXT NOT NULL,
    pref       INTEGER,
    position   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX contact_fields_contact ON contact_fields(contact_id, kind);

CREATE TABLE interactions (
    id                   INTEGER PRIMARY KEY,
    uuid                 TEXT NOT NULL UNIQUE,
    contact_id           INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    platform             TEXT NOT NULL,
    direction            TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound', 'mutual', 'event', 'note')),
    content_preview      TEXT,
    raw_reference_id     TEXT,
    is_read_by_recipient INTEGER CHECK (is_read_by_recipient IS NULL OR is_read_by_recipient IN (0, 1)),
    call_type            TEXT CHECK (call_type IS NULL OR call_type IN ('phone', 'video')),
    duration_seconds     INTEGER,
    extra_data           TEXT CHECK (extra_data IS NULL OR json_valid(extra_data)),
    occurred_at          TEXT NOT NULL,
    created_at           TEXT NOT NULL,
    updated_at           TEXT,
    import_batch_id      INTEGER REFERENCES import_batches(id) ON DELETE SET NULL,
    sync_run_id          INTEGER REFERENCES sync_runs(id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX interactions_ref ON interactions(contact_id, raw_reference_id)
    WHERE raw_reference_id IS NOT NULL;
CREATE INDEX interactions_contact_time ON interactions(contact_id, occurred_at DESC);
CREATE INDEX interactions_time ON interactions(occurred_at);
CREATE INDEX interactions_import_batch ON interactions(import_batch_id) WHERE import_batch_id IS NOT NULL;

-- Any direct interaction promotes a 2nd-tier contact (§1.3's trigger; the marker is lowercase, D2).
CREATE TRIGGER interactions_promote_2nd_tier AFTER INSERT ON interactions
WHEN NEW.direction IN ('inbound', 'outbound', 'mutual')
BEGIN
    DELETE FROM contact_tags WHERE contact_id = NEW.contact_id AND tag = '2nd tier';
END;

CREATE TABLE detected_events (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    event_type  TEXT NOT NULL CHECK (event_type IN ('job_change', 'fundraising', 'product_launch',
                    'promotion', 'milestone', 'event_attendance', 'bio_change')),
    confidence  REAL NOT NULL DEFAULT 1.0 CHECK (confidence BETWEEN 0 AND 1),
    summary     TEXT,
    source_url  TEXT,
    details     TEXT CHECK (details IS NULL OR json_valid(details)),
    import_batch_id INTEGER REFERENCES import_batches(id) ON DELETE SET NULL,
    detected_at TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX detected_events_contact ON detected_events(contact_id, detected_at DESC);

CREATE TABLE follow_up_suggestions (
    id                INTEGER PRIMARY KEY,
    uuid              TEXT NOT NULL UNIQUE,
    contact_id        INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    trigger_type      TEXT NOT NULL CHECK (trigger_type IN ('time_based', 'event_based', 'scheduled',
                          'birthday', 'dormant_deep', 'dormant_mid', 'dormant_event')),
    trigger_event_id  INTEGER REFERENCES detected_events(id) ON DELETE SET NULL,
    suggested_message TEXT NOT NULL,
    suggested_channel TEXT NOT NULL,
    status            TEXT NOT NULL DEFAULT 'pending'
                          CHECK (status IN ('pending', 'snoozed', 'dismissed', 'sent')),
    dismissed_by      TEXT CHECK (dismissed_by IS NULL OR dismissed_by IN ('user', 'system')),
    pool              TEXT CHECK (pool IS NULL OR pool IN ('A', 'B')),
    reason            TEXT,
    scheduled_for     TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX suggestions_status ON follow_up_suggestions(status, created_at DESC);
CREATE INDEX suggestions_contact ON follow_up_suggestions(contact_id, status);
CREATE INDEX suggestions_dismissed_by ON follow_up_suggestions(contact_id, updated_at)
    WHERE dismissed_by IS NOT NULL;

CREATE TABLE identity_matches (
    id           INTEGER PRIMARY KEY,
    uuid         TEXT NOT NULL UNIQUE,
    contact_a_id INTEGER REFERENCES contacts(id) ON DELETE CASCADE,
    contact_b_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    contact_a_uuid TEXT NOT NULL,
    contact_b_uuid TEXT NOT NULL,
    match_score  REAL NOT NULL DEFAULT 0,
    match_method TEXT NOT NULL CHECK (match_method IN ('deterministic', 'probabilistic', 'manual_dismiss',
                     'manual', 'unmerge')),
    status       TEXT NOT NULL DEFAULT 'pending_review'
                     CHECK (status IN ('pending_review', 'merged', 'rejected')),
    explanation  TEXT CHECK (explanation IS NULL OR json_valid(explanation)),
    created_at   TEXT NOT NULL,
    resolved_at  TEXT
);
CREATE UNIQUE INDEX identity_matches_pair ON identity_matches(min(contact_a_uuid, contact_b_uuid),
    max(contact_a_uuid, contact_b_uuid));
CREATE INDEX identity_matches_status ON identity_matches(status, match_score DESC);

-- The merge journal (D16): both contacts' full prior state, so unmerge can restore them.
CREATE TABLE contact_merges (
    id                 INTEGER PRIMARY KEY,
    uuid               TEXT NOT NULL UNIQUE,
    primary_contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    primary_uuid       TEXT NOT NULL,
    merged_uuid        TEXT NOT NULL,
    match_score        REAL NOT NULL DEFAULT 1.0,
    match_method       TEXT NOT NULL DEFAULT 'deterministic',
    primary_before     TEXT NOT NULL CHECK (json_valid(primary_before)),
    merged_before      TEXT NOT NULL CHECK (json_valid(merged_before)),
    moved              TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(moved)),
    merged_at          TEXT NOT NULL,
    unmerged_at        TEXT
);
CREATE INDEX contact_merges_primary ON contact_merges(primary_uuid, merged_at DESC);

CREATE TABLE org_identity_matches (
    id           INTEGER PRIMARY KEY,
    uuid         TEXT NOT NULL UNIQUE,
    org_a_id     INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    org_b_id     INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    match_score  REAL NOT NULL DEFAULT 0,
    match_method TEXT NOT NULL CHECK (match_method IN ('deterministic_domain', 'deterministic_linkedin',
                     'deterministic_name_website', 'probabilistic')),
    status       TEXT NOT NULL DEFAULT 'pending_review'
                     CHECK (status IN ('pending_review', 'merged', 'dismissed')),
    created_at   TEXT NOT NULL,
    resolved_at  TEXT
);
CREATE UNIQUE INDEX org_identity_matches_pair ON org_identity_matches(min(org_a_id, org_b_id),
    max(org_a_id, org_b_id));

CREATE TABLE notifications (
    id                INTEGER PRIMARY KEY,
    uuid              TEXT NOT NULL UNIQUE,
    notification_type TEXT NOT NULL,
    title             TEXT NOT NULL,
    body              TEXT,
    read              INTEGER NOT NULL DEFAULT 0 CHECK (read IN (0, 1)),
    link              TEXT,
    created_at        TEXT NOT NULL
);
CREATE INDEX notifications_created ON notifications(created_at DESC);
CREATE INDEX notifications_unread ON notifications(read) WHERE read = 0;

-- One taxonomy (one user): the CHECK keeps it a single row.
CREATE TABLE tag_taxonomies (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    categories TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(categories)),
    status     TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE extension_pairings (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE CHECK (length(code) <= 20),
    token_ref  TEXT,
    expires_at TEXT NOT NULL,
    claimed_at TEXT,
    attempts   INTEGER NOT NULL DEFAULT 0
);

-- Geo: an R*Tree over contact coordinates for the map's bbox query, kept by triggers.
CREATE VIRTUAL TABLE contacts_geo USING rtree(id, min_lng, max_lng, min_lat, max_lat);

CREATE TRIGGER contacts_geo_insert AFTER INSERT ON contacts
WHEN NEW.latitude IS NOT NULL AND NEW.longitude IS NOT NULL
BEGIN
    INSERT INTO contacts_geo VALUES (NEW.id, NEW.longitude, NEW.longitude, NEW.latitude, NEW.latitude);
END;

CREATE TRIGGER contacts_geo_update AFTER UPDATE OF latitude, longitude ON contacts
BEGIN
    DELETE FROM contacts_geo WHERE id = OLD.id;
    INSERT INTO contacts_geo SELECT NEW.id, NEW.longitude, NEW.longitude, NEW.latitude, NEW.latitude
        WHERE NEW.latitude IS NOT NULL AND NEW.longitude IS NOT NULL;
END;

CREATE TRIGGER contacts_geo_delete AFTER DELETE ON contacts
BEGIN
    DELETE FROM contacts_geo WHERE id = OLD.id;
END;
