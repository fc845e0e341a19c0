-- table api_tokens
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

-- table audit_log
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    occurred_at TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    target_id   TEXT,
    contact_id  TEXT,
    arguments   TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(arguments))
);

-- table bulk_updates
CREATE TABLE bulk_updates (
    id         INTEGER PRIMARY KEY,
    uuid       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    changes    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(changes)),
    contacts   TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(contacts)),
    undone_at  TEXT
, kind TEXT NOT NULL DEFAULT 'bulk-update', hand_edits TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(hand_edits)));

-- table contact_emails
CREATE TABLE contact_emails (
    id         INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    email      TEXT NOT NULL CHECK (email = lower(trim(email)) AND length(email) > 0),
    label      TEXT,
    position   INTEGER NOT NULL DEFAULT 0,
    UNIQUE (contact_id, email)
);

-- table contact_fields
CREATE TABLE contact_fields (
    id         INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    label      TEXT,
    value      TEXT NOT NULL,
    pref       INTEGER,
    position   INTEGER NOT NULL DEFAULT 0
);

-- table contact_identities
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

-- table contact_merges
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

-- table contact_phones
CREATE TABLE contact_phones (
    id         INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    phone      TEXT NOT NULL,
    normalized TEXT NOT NULL,
    label      TEXT,
    position   INTEGER NOT NULL DEFAULT 0,
    UNIQUE (contact_id, normalized)
);

-- table contact_tags
CREATE TABLE contact_tags (
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    tag        TEXT NOT NULL CHECK (tag = lower(tag) AND length(tag) > 0),
    position   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (contact_id, tag)
) WITHOUT ROWID;

-- table contacts
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
, name_plain TEXT, name_umlaut TEXT);

-- table contacts_fts
CREATE VIRTUAL TABLE contacts_fts USING fts5(names, org, handles, other, tokenize = 'trigram');

-- table contacts_geo
CREATE VIRTUAL TABLE contacts_geo USING rtree(id, min_lng, max_lng, min_lat, max_lat);

-- table deleted_contacts
CREATE TABLE deleted_contacts (
    contact_uuid TEXT PRIMARY KEY
) WITHOUT ROWID;

-- table detected_events
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

-- table edit_journal
CREATE TABLE edit_journal (
    id             INTEGER PRIMARY KEY,
    contact_uuid   TEXT NOT NULL,
    batch_uuid     TEXT,
    merge_uuid     TEXT,
    typed          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(typed)),
    tags_untracked INTEGER NOT NULL DEFAULT 0 CHECK (tags_untracked IN (0, 1)),
    edited_at      TEXT NOT NULL
);

-- table extension_pairings
CREATE TABLE extension_pairings (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE CHECK (length(code) <= 20),
    token_ref  TEXT,
    expires_at TEXT NOT NULL,
    claimed_at TEXT,
    attempts   INTEGER NOT NULL DEFAULT 0
);

-- table follow_up_suggestions
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

-- table google_accounts
CREATE TABLE google_accounts (
    id         INTEGER PRIMARY KEY,
    uuid       TEXT NOT NULL UNIQUE,
    email      TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

-- table identity_matches
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

-- table import_batches
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

-- table interactions
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

-- table interactions_fts
CREATE VIRTUAL TABLE interactions_fts USING fts5(content_preview, content = 'interactions_fts_text',
    content_rowid = 'id', tokenize = 'trigram remove_diacritics 1');

-- table job_runs
CREATE TABLE job_runs (
    job             TEXT PRIMARY KEY,
    last_started_at TEXT,
    last_success_at TEXT,
    last_error      TEXT
, last_outcome TEXT CHECK (last_outcome IN ('success', 'failed', 'interrupted')), last_note TEXT) WITHOUT ROWID;

-- table locks
CREATE TABLE locks (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    acquired_at TEXT NOT NULL,
    expires_at  TEXT NOT NULL
) WITHOUT ROWID;

-- table notifications
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

-- table org_identity_matches
CREATE TABLE "org_identity_matches" (
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

-- table org_merges
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

-- table organizations
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
, made_for_company INTEGER NOT NULL DEFAULT 0
    CHECK (made_for_company IN (0, 1)));

-- table schema_migrations
CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL);

-- table search_dirty
CREATE TABLE search_dirty (contact_id INTEGER PRIMARY KEY);

-- table settings
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL CHECK (json_valid(value)),
    updated_at TEXT NOT NULL
) WITHOUT ROWID;

-- table sync_cursors
CREATE TABLE sync_cursors (
    source     TEXT NOT NULL,
    account    TEXT NOT NULL DEFAULT '',
    cursor     TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (source, account)
) WITHOUT ROWID;

-- table sync_runs
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

-- table tag_taxonomies
CREATE TABLE tag_taxonomies (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    categories TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(categories)),
    status     TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- table users
CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    uuid            TEXT NOT NULL UNIQUE,
    email           TEXT NOT NULL UNIQUE,
    hashed_password TEXT NOT NULL,
    full_name       TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

-- view contact_search_doc
CREATE VIEW contact_search_doc AS
SELECT c.id AS id,
       (SELECT group_concat(
                   CASE WHEN instr(n, ' ') > 0 THEN
                       n || ' ' || replace(replace(replace(replace(replace(replace(
                           n, ' ', ''), '-', ''), '''', ''), '.', ''), '_', ''), '`', '')
                   ELSE n END, ' ')
          FROM (SELECT c.full_name AS n
                UNION ALL SELECT c.given_name
                 WHERE c.full_name IS NULL OR instr(' ' || c.full_name || ' ', ' ' || c.given_name || ' ') = 0
                UNION ALL SELECT c.family_name
                 WHERE c.full_name IS NULL OR instr(' ' || c.full_name || ' ', ' ' || c.family_name || ' ') = 0
                UNION ALL SELECT f.value FROM contact_fields f WHERE f.contact_id = c.id AND f.kind = 'nickname'))
           AS names,
       concat_ws(' ',
                 CASE WHEN instr(c.company, ' ') > 0 OR instr(c.company, '&') > 0 THEN
                     c.company || ' ' || replace(replace(replace(replace(replace(replace(replace(replace(
                         c.company, ' ', ''), '-', ''), '''', ''), '.', ''), '_', ''), '`', ''), ',', ''), '&', '')
                 ELSE c.company END,
                 c.title,
                 (SELECT group_concat(CASE WHEN instr(t.tag, ' ') > 0 THEN t.tag || ' ' || replace(t.tag, ' ', '')
                                      ELSE t.tag END, ' ')
                    FROM contact_tags t WHERE t.contact_id = c.id)) AS org,
       (SELECT group_concat(coalesce(i.handle, i.external_id), ' ') FROM contact_identities i
         WHERE i.contact_id = c.id
           AND (i.handle IS NOT NULL OR (i.platform = 'linkedin' AND i.external_id NOT GLOB 'ACo*'))) AS handles,
       concat_ws(' ', c.twitter_bio, c.telegram_bio, c.notes, c.source,
                 (SELECT group_concat(e.email, ' ') FROM contact_emails e WHERE e.contact_id = c.id),
                 (SELECT group_concat(p.phone || ' ' || p.normalized, ' ') FROM contact_phones p
                   WHERE p.contact_id = c.id)) AS other
FROM contacts c;

-- view contacts_view
CREATE VIEW contacts_view AS
SELECT
    c.uuid AS id,
    c.full_name,
    c.company,
    c.title,
    c.location,
    c.birthday,
    c.priority_level,
    c.relationship_score,
    c.interaction_count,
    c.last_interaction_at,
    (SELECT group_concat(email, ', ') FROM (SELECT email FROM contact_emails e
        WHERE e.contact_id = c.id ORDER BY e.position)) AS emails,
    (SELECT group_concat(phone, ', ') FROM (SELECT phone FROM contact_phones p
        WHERE p.contact_id = c.id ORDER BY p.position)) AS phones,
    (SELECT group_concat(tag, ', ') FROM (SELECT tag FROM contact_tags t
        WHERE t.contact_id = c.id ORDER BY t.position)) AS tags,
    c.notes,
    c.created_at,
    c.updated_at
FROM contacts c;

-- view interactions_fts_text
CREATE VIEW interactions_fts_text(id, content_preview) AS
SELECT id, CASE WHEN octet_length(content_preview) = length(content_preview) THEN content_preview ELSE t END
FROM (SELECT id, content_preview, replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(t
        , 'Ǌ', 'nj'), 'ǡ', 'a'), 'Ǡ', 'a'), 'ﬀ', 'ff'), 'ﬁ', 'fi'), 'ﬂ', 'fl'), 'ﬃ', 'ffi')
        , 'ﬄ', 'ffl'), 'ﬅ', 'st'), 'ﬆ', 'st'), 'ς', 'σ'), '‘', ''''), '’', ''''), 'ʼ', '''')
        , '‐', '-'), '‑', '-'), '‒', '-'), '–', '-'), '—', '-') AS t
    FROM (SELECT id, content_preview, replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(t
            , 'Þ', 'th'), 'ħ', 'h'), 'Ħ', 'h'), 'ı', 'i'), 'ł', 'l'), 'Ł', 'l'), 'ĳ', 'ij')
            , 'Ĳ', 'ij'), 'ǆ', 'dz'), 'ǅ', 'dz'), 'Ǆ', 'dz'), 'ǳ', 'dz'), 'ǲ', 'dz'), 'Ǳ', 'dz')
            , 'ǉ', 'lj'), 'ǈ', 'lj'), 'Ǉ', 'lj'), 'ǌ', 'nj'), 'ǋ', 'nj') AS t
        FROM (SELECT id, content_preview, replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(content_preview
                , 'ß', 'ss'), 'ẞ', 'ss'), 'æ', 'ae'), 'Æ', 'ae'), 'ǽ', 'ae'), 'Ǽ', 'ae'), 'ǣ', 'ae')
                , 'Ǣ', 'ae'), 'œ', 'oe'), 'Œ', 'oe'), 'ø', 'o'), 'Ø', 'o'), 'ǿ', 'o'), 'Ǿ', 'o')
                , 'ð', 'd'), 'Ð', 'd'), 'đ', 'd'), 'Đ', 'd'), 'þ', 'th') AS t
            FROM interactions WHERE content_preview IS NOT NULL)));

-- view interactions_view
CREATE VIEW interactions_view AS
SELECT
    i.uuid AS id,
    c.uuid AS contact_id,
    c.full_name AS contact_name,
    i.platform,
    i.direction,
    i.occurred_at,
    i.content_preview
FROM interactions i JOIN contacts c ON c.id = i.contact_id;

-- index api_tokens_live_name
CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens(kind, name) WHERE revoked_at IS NULL;

-- index audit_log_contact
CREATE INDEX audit_log_contact ON audit_log(contact_id) WHERE contact_id IS NOT NULL;

-- index audit_log_time
CREATE INDEX audit_log_time ON audit_log(occurred_at DESC, id DESC);

-- index contact_emails_email
CREATE INDEX contact_emails_email ON contact_emails(email);

-- index contact_fields_contact
CREATE INDEX contact_fields_contact ON contact_fields(contact_id, kind);

-- index contact_identities_contact
CREATE INDEX contact_identities_contact ON contact_identities(contact_id, platform);

-- index contact_identities_external
CREATE UNIQUE INDEX contact_identities_external ON contact_identities(platform, external_id)
    WHERE external_id IS NOT NULL;

-- index contact_identities_handle
CREATE UNIQUE INDEX contact_identities_handle ON contact_identities(platform, handle)
    WHERE handle IS NOT NULL;

-- index contact_merges_primary
CREATE INDEX contact_merges_primary ON contact_merges(primary_uuid, merged_at DESC);

-- index contact_merges_primary_id
CREATE INDEX contact_merges_primary_id ON contact_merges(primary_contact_id);

-- index contact_phones_normalized
CREATE INDEX contact_phones_normalized ON contact_phones(normalized);

-- index contact_tags_tag
CREATE INDEX contact_tags_tag ON contact_tags(tag, contact_id);

-- index contacts_company
CREATE INDEX contacts_company ON contacts(company COLLATE NOCASE);

-- index contacts_created
CREATE INDEX contacts_created ON contacts(created_at);

-- index contacts_google_resource
CREATE INDEX contacts_google_resource ON contacts(google_resource_name) WHERE google_resource_name IS NOT NULL;

-- index contacts_import_batch
CREATE INDEX contacts_import_batch ON contacts(import_batch_id) WHERE import_batch_id IS NOT NULL;

-- index contacts_interaction_count
CREATE INDEX contacts_interaction_count ON contacts(interaction_count);

-- index contacts_last_interaction
CREATE INDEX contacts_last_interaction ON contacts(last_interaction_at);

-- index contacts_map
CREATE INDEX contacts_map ON contacts(latitude, longitude, relationship_score, priority_level)
    WHERE latitude IS NOT NULL AND longitude IS NOT NULL;

-- index contacts_name_fold
CREATE INDEX contacts_name_fold ON contacts(name_fold);

-- index contacts_name_lookup
CREATE INDEX contacts_name_lookup ON contacts(id, name_fold) WHERE name_fold GLOB '*[ɐ-ԯἀ-῿]*';

-- index contacts_name_plain
CREATE INDEX contacts_name_plain ON contacts(coalesce(name_plain, name_fold));

-- index contacts_name_umlaut
CREATE INDEX contacts_name_umlaut ON contacts(name_umlaut) WHERE name_umlaut IS NOT NULL;

-- index contacts_organization
CREATE INDEX contacts_organization ON contacts(organization_id);

-- index contacts_priority
CREATE INDEX contacts_priority ON contacts(priority_level, last_interaction_at, interaction_count);

-- index contacts_priority_score
CREATE INDEX contacts_priority_score ON contacts(priority_level, relationship_score);

-- index contacts_rank
CREATE INDEX contacts_rank ON contacts(id, priority_level, relationship_score, created_at, name_fold, name_plain);

-- index contacts_score
CREATE INDEX contacts_score ON contacts(relationship_score DESC, created_at DESC, id, name_fold, priority_level, name_plain);

-- index detected_events_contact
CREATE INDEX detected_events_contact ON detected_events(contact_id, detected_at DESC);

-- index edit_journal_batch
CREATE INDEX edit_journal_batch ON edit_journal(batch_uuid) WHERE batch_uuid IS NOT NULL;

-- index edit_journal_contact
CREATE UNIQUE INDEX edit_journal_contact
    ON edit_journal(contact_uuid, coalesce(batch_uuid, ''), coalesce(merge_uuid, ''));

-- index identity_matches_contact_a
CREATE INDEX identity_matches_contact_a ON identity_matches(contact_a_id);

-- index identity_matches_contact_b
CREATE INDEX identity_matches_contact_b ON identity_matches(contact_b_id);

-- index identity_matches_pair
CREATE UNIQUE INDEX identity_matches_pair ON identity_matches(min(contact_a_uuid, contact_b_uuid),
    max(contact_a_uuid, contact_b_uuid));

-- index identity_matches_status
CREATE INDEX identity_matches_status ON identity_matches(status, match_score DESC);

-- index interactions_contact_of
CREATE INDEX interactions_contact_of ON interactions(id, contact_id);

-- index interactions_contact_time
CREATE INDEX interactions_contact_time ON interactions(contact_id, occurred_at DESC);

-- index interactions_conversation
CREATE INDEX interactions_conversation
    ON interactions(platform, json_extract(extra_data, '$.conversation_id'), contact_id)
    WHERE json_extract(extra_data, '$.conversation_id') IS NOT NULL;

-- index interactions_import_batch
CREATE INDEX interactions_import_batch ON interactions(import_batch_id) WHERE import_batch_id IS NOT NULL;

-- index interactions_linkedin_refs
CREATE INDEX interactions_linkedin_refs ON interactions(raw_reference_id, contact_id)
    WHERE platform = 'linkedin';

-- index interactions_ref
CREATE UNIQUE INDEX interactions_ref ON interactions(contact_id, raw_reference_id)
    WHERE raw_reference_id IS NOT NULL;

-- index interactions_time_contact
CREATE INDEX interactions_time_contact ON interactions(occurred_at, contact_id);

-- index notifications_created
CREATE INDEX notifications_created ON notifications(created_at DESC);

-- index notifications_unread
CREATE INDEX notifications_unread ON notifications(read) WHERE read = 0;

-- index org_identity_matches_pair
CREATE UNIQUE INDEX org_identity_matches_pair ON org_identity_matches(min(org_a_id, org_b_id),
    max(org_a_id, org_b_id));

-- index org_merges_source
CREATE INDEX org_merges_source ON org_merges(source_uuid);

-- index org_merges_target
CREATE INDEX org_merges_target ON org_merges(target_uuid, merged_at DESC);

-- index organizations_domain
CREATE INDEX organizations_domain ON organizations(domain);

-- index organizations_name_fold
CREATE INDEX organizations_name_fold ON organizations(name_fold);

-- index suggestions_contact
CREATE INDEX suggestions_contact ON follow_up_suggestions(contact_id, status);

-- index suggestions_dismissed_by
CREATE INDEX suggestions_dismissed_by ON follow_up_suggestions(contact_id, updated_at)
    WHERE dismissed_by IS NOT NULL;

-- index suggestions_status
CREATE INDEX suggestions_status ON follow_up_suggestions(status, created_at DESC);

-- index sync_runs_platform
CREATE INDEX sync_runs_platform ON sync_runs(platform, started_at DESC);

-- trigger contacts_deleted_uuid
CREATE TRIGGER contacts_deleted_uuid AFTER DELETE ON contacts
BEGIN
    INSERT OR IGNORE INTO deleted_contacts(contact_uuid) VALUES (old.uuid);
END;

-- trigger contacts_geo_delete
CREATE TRIGGER contacts_geo_delete AFTER DELETE ON contacts
BEGIN
    DELETE FROM contacts_geo WHERE id = OLD.id;
END;

-- trigger contacts_geo_insert
CREATE TRIGGER contacts_geo_insert AFTER INSERT ON contacts
WHEN NEW.latitude IS NOT NULL AND NEW.longitude IS NOT NULL
BEGIN
    INSERT INTO contacts_geo VALUES (NEW.id, NEW.longitude, NEW.longitude, NEW.latitude, NEW.latitude);
END;

-- trigger contacts_geo_update
CREATE TRIGGER contacts_geo_update AFTER UPDATE OF latitude, longitude ON contacts
BEGIN
    DELETE FROM contacts_geo WHERE id = OLD.id;
    INSERT INTO contacts_geo SELECT NEW.id, NEW.longitude, NEW.longitude, NEW.latitude, NEW.latitude
        WHERE NEW.latitude IS NOT NULL AND NEW.longitude IS NOT NULL;
END;

-- trigger contacts_search_delete
CREATE TRIGGER contacts_search_delete AFTER DELETE ON contacts
BEGIN
    DELETE FROM contacts_fts WHERE rowid = OLD.id;
    DELETE FROM search_dirty WHERE contact_id = OLD.id;
END;

-- trigger contacts_search_insert
CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts
BEGIN
    INSERT OR IGNORE INTO search_dirty VALUES (NEW.id);
END;

-- trigger contacts_search_update
CREATE TRIGGER contacts_search_update AFTER UPDATE OF full_name, given_name, family_name, company, title,
    twitter_bio, telegram_bio, notes, source ON contacts
BEGIN
    INSERT OR IGNORE INTO search_dirty VALUES (NEW.id);
END;

-- trigger contacts_words_delete
CREATE TRIGGER contacts_words_delete AFTER DELETE ON contacts
BEGIN
    DELETE FROM contacts_fts_words WHERE rowid = OLD.id;
END;

-- trigger emails_search_delete
CREATE TRIGGER emails_search_delete AFTER DELETE ON contact_emails
WHEN EXISTS (SELECT 1 FROM contacts WHERE id = OLD.contact_id)
BEGIN INSERT OR IGNORE INTO search_dirty VALUES (OLD.contact_id); END;

-- trigger emails_search_insert
CREATE TRIGGER emails_search_insert AFTER INSERT ON contact_emails
BEGIN INSERT OR IGNORE INTO search_dirty VALUES (NEW.contact_id); END;

-- trigger emails_search_update
CREATE TRIGGER emails_search_update AFTER UPDATE ON contact_emails
BEGIN
    INSERT OR IGNORE INTO search_dirty VALUES (OLD.contact_id);
    INSERT OR IGNORE INTO search_dirty VALUES (NEW.contact_id);
END;

-- trigger identities_search_delete
CREATE TRIGGER identities_search_delete AFTER DELETE ON contact_identities
WHEN EXISTS (SELECT 1 FROM contacts WHERE id = OLD.contact_id)
BEGIN INSERT OR IGNORE INTO search_dirty VALUES (OLD.contact_id); END;

-- trigger identities_search_insert
CREATE TRIGGER identities_search_insert AFTER INSERT ON contact_identities
BEGIN INSERT OR IGNORE INTO search_dirty VALUES (NEW.contact_id); END;

-- trigger identities_search_update
CREATE TRIGGER identities_search_update AFTER UPDATE ON contact_identities
BEGIN
    INSERT OR IGNORE INTO search_dirty VALUES (OLD.contact_id);
    INSERT OR IGNORE INTO search_dirty VALUES (NEW.contact_id);
END;

-- trigger interactions_fts_delete
CREATE TRIGGER interactions_fts_delete BEFORE DELETE ON interactions
WHEN OLD.content_preview IS NOT NULL
BEGIN
    INSERT INTO interactions_fts(interactions_fts, rowid, content_preview)
        SELECT 'delete', id, content_preview FROM interactions_fts_text WHERE id = OLD.id;
END;

-- trigger interactions_fts_insert
CREATE TRIGGER interactions_fts_insert AFTER INSERT ON interactions
WHEN NEW.content_preview IS NOT NULL
BEGIN
    INSERT INTO interactions_fts(rowid, content_preview)
        SELECT id, content_preview FROM interactions_fts_text WHERE id = NEW.id;
END;

-- trigger interactions_fts_unindex
CREATE TRIGGER interactions_fts_unindex BEFORE UPDATE OF content_preview ON interactions
WHEN OLD.content_preview IS NOT NULL
BEGIN
    INSERT INTO interactions_fts(interactions_fts, rowid, content_preview)
        SELECT 'delete', id, content_preview FROM interactions_fts_text WHERE id = OLD.id;
END;

-- trigger interactions_fts_update
CREATE TRIGGER interactions_fts_update AFTER UPDATE OF content_preview ON interactions
WHEN NEW.content_preview IS NOT NULL
BEGIN
    INSERT INTO interactions_fts(rowid, content_preview)
        SELECT id, content_preview FROM interactions_fts_text WHERE id = NEW.id;
END;

-- trigger interactions_promote_2nd_tier
CREATE TRIGGER interactions_promote_2nd_tier AFTER INSERT ON interactions
WHEN NEW.direction IN ('inbound', 'outbound', 'mutual')
BEGIN
    DELETE FROM contact_tags WHERE contact_id = NEW.contact_id AND tag = '2nd tier';
END;

-- trigger nicknames_search_delete
CREATE TRIGGER nicknames_search_delete AFTER DELETE ON contact_fields
WHEN OLD.kind = 'nickname' AND EXISTS (SELECT 1 FROM contacts WHERE id = OLD.contact_id)
BEGIN INSERT OR IGNORE INTO search_dirty VALUES (OLD.contact_id); END;

-- trigger nicknames_search_insert
CREATE TRIGGER nicknames_search_insert AFTER INSERT ON contact_fields WHEN NEW.kind = 'nickname'
BEGIN INSERT OR IGNORE INTO search_dirty VALUES (NEW.contact_id); END;

-- trigger nicknames_search_update
CREATE TRIGGER nicknames_search_update AFTER UPDATE ON contact_fields
WHEN OLD.kind = 'nickname' OR NEW.kind = 'nickname'
BEGIN
    INSERT OR IGNORE INTO search_dirty VALUES (OLD.contact_id);
    INSERT OR IGNORE INTO search_dirty VALUES (NEW.contact_id);
END;

-- trigger phones_search_delete
CREATE TRIGGER phones_search_delete AFTER DELETE ON contact_phones
WHEN EXISTS (SELECT 1 FROM contacts WHERE id = OLD.contact_id)
BEGIN INSERT OR IGNORE INTO search_dirty VALUES (OLD.contact_id); END;

-- trigger phones_search_insert
CREATE TRIGGER phones_search_insert AFTER INSERT ON contact_phones
BEGIN INSERT OR IGNORE INTO search_dirty VALUES (NEW.contact_id); END;

-- trigger phones_search_update
CREATE TRIGGER phones_search_update AFTER UPDATE ON contact_phones
BEGIN
    INSERT OR IGNORE INTO search_dirty VALUES (OLD.contact_id);
    INSERT OR IGNORE INTO search_dirty VALUES (NEW.contact_id);
END;

-- trigger tags_search_delete
CREATE TRIGGER tags_search_delete AFTER DELETE ON contact_tags
WHEN EXISTS (SELECT 1 FROM contacts WHERE id = OLD.contact_id)
BEGIN INSERT OR IGNORE INTO search_dirty VALUES (OLD.contact_id); END;

-- trigger tags_search_insert
CREATE TRIGGER tags_search_insert AFTER INSERT ON contact_tags
BEGIN INSERT OR IGNORE INTO search_dirty VALUES (NEW.contact_id); END;

-- trigger tags_search_update
CREATE TRIGGER tags_search_update AFTER UPDATE OF contact_id, tag ON contact_tags
BEGIN
    INSERT OR IGNORE INTO search_dirty VALUES (OLD.contact_id);
    INSERT OR IGNORE INTO search_dirty VALUES (NEW.contact_id);
END;

