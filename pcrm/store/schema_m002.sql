-- m002_search: FTS5 trigram indexes (D12).
-- Contacts: a plain FTS5 table keyed by the contact rowid. Triggers only mark contacts dirty (cheap);
-- store.db.write() rebuilds the dirty documents once per transaction from contact_search_doc.
-- Interactions: an external-content FTS5 table over content_preview, kept by the usual triggers.

CREATE VIEW contact_search_doc AS
SELECT c.id AS id,
       concat_ws(' ', c.full_name, c.given_name, c.family_name) AS names,
       concat_ws(' ', c.company, c.title) AS org,
       (SELECT group_concat(i.handle, ' ') FROM contact_identities i
         WHERE i.contact_id = c.id AND i.handle IS NOT NULL) AS handles,
       concat_ws(' ', c.twitter_bio, c.telegram_bio, c.notes, c.source,
                 (SELECT group_concat(e.email, ' ') FROM contact_emails e WHERE e.contact_id = c.id),
                 (SELECT group_concat(p.phone || ' ' || p.normalized, ' ') FROM contact_phones p
                   WHERE p.contact_id = c.id)) AS other
FROM contacts c;

CREATE VIRTUAL TABLE contacts_fts USING fts5(names, org, handles, other, tokenize = 'trigram');

CREATE TABLE search_dirty (contact_id INTEGER PRIMARY KEY);

CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts
BEGIN
    INSERT OR IGNORE INTO search_dirty VALUES (NEW.id);
END;

CREATE TRIGGER contacts_search_update AFTER UPDATE OF full_name, given_name, family_name, company, title,
    twitter_bio, telegram_bio, notes, source ON contacts
BEGIN
    INSERT OR IGNORE INTO search_dirty VALUES (NEW.id);
END;

CREATE TRIGGER contacts_search_delete AFTER DELETE ON contacts
BEGIN
    DELETE FROM contacts_fts WHERE rowid = OLD.id;
    DELETE FROM search_dirty WHERE contact_id = OLD.id;
END;

CREATE TRIGGER emails_search_insert AFTER INSERT ON contact_emails
BEGIN INSERT OR IGNORE INTO search_dirty VALUES (NEW.contact_id); END;
CREATE TRIGGER emails_search_delete AFTER DELETE ON contact_emails
WHEN EXISTS (SELECT 1 FROM contacts WHERE id = OLD.contact_id)
BEGIN INSERT OR IGNORE INTO search_dirty VALUES (OLD.contact_id); END;
CREATE TRIGGER emails_search_update AFTER UPDATE ON contact_emails
BEGIN
    INSERT OR IGNORE INTO search_dirty VALUES (OLD.contact_id);
    INSERT OR IGNORE INTO search_dirty VALUES (NEW.contact_id);
END;

CREATE TRIGGER phones_search_insert AFTER INSERT ON contact_phones
BEGIN INSERT OR IGNORE INTO search_dirty VALUES (NEW.contact_id); END;
CREATE TRIGGER phones_search_delete AFTER DELETE ON contact_phones
WHEN EXISTS (SELECT 1 FROM contacts WHERE id = OLD.contact_id)
BEGIN INSERT OR IGNORE INTO search_dirty VALUES (OLD.contact_id); END;
CREATE TRIGGER phones_search_update AFTER UPDATE ON contact_phones
BEGIN
    INSERT OR IGNORE INTO search_dirty VALUES (OLD.contact_id);
    INSERT OR IGNORE INTO search_dirty VALUES (NEW.contact_id);
END;

CREATE TRIGGER identities_search_insert AFTER INSERT ON contact_identities
BEGIN INSERT OR IGNORE INTO search_dirty VALUES (NEW.contact_id); END;
CREATE TRIGGER identities_search_delete AFTER DELETE ON contact_identities
WHEN EXISTS (SELECT 1 FROM contacts WHERE id = OLD.contact_id)
BEGIN INSERT OR IGNORE INTO search_dirty VALUES (OLD.contact_id); END;
CREATE TRIGGER identities_search_update AFTER UPDATE ON contact_identities
BEGIN
    INSERT OR IGNORE INTO search_dirty VALUES (OLD.contact_id);
    INSERT OR IGNORE INTO search_dirty VALUES (NEW.contact_id);
END;

CREATE VIRTUAL TABLE interactions_fts USING fts5(content_preview, content = 'interactions',
    content_rowid = 'id', tokenize = 'trigram');

CREATE TRIGGER interactions_fts_insert AFTER INSERT ON interactions
WHEN NEW.content_preview IS NOT NULL
BEGIN
    INSERT INTO interactions_fts(rowid, content_preview) VALUES (NEW.id, NEW.content_preview);
END;

CREATE TRIGGER interactions_fts_delete AFTER DELETE ON interactions
WHEN OLD.content_preview IS NOT NULL
BEGIN
    INSERT INTO interactions_fts(interactions_fts, rowid, content_preview)
        VALUES ('delete', OLD.id, OLD.content_preview);
END;

CREATE TRIGGER interactions_fts_update AFTER UPDATE OF content_preview ON interactions
BEGIN
    INSERT INTO interactions_fts(interactions_fts, rowid, content_preview)
        SELECT 'delete', OLD.id, OLD.content_preview WHERE OLD.content_preview IS NOT NULL;
    INSERT INTO interactions_fts(rowid, content_preview)
        SELECT NEW.id, NEW.content_preview WHERE NEW.content_preview IS NOT NULL;
END;

-- Backfill whatever an m001 store already holds.
INSERT INTO search_dirty SELECT id FROM contacts;
INSERT INTO interactions_fts(interactions_fts) VALUES ('rebuild');
