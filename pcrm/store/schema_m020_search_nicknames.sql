-- m020_search_nicknames: a contact's search document also holds the names it is known by (its `nickname`
-- extra fields: the name of a contact merged into it, another spelling an import kept), so a merged
-- contact is still found by the name it had [contact-search].
DROP VIEW contact_search_doc;
CREATE VIEW contact_search_doc AS
SELECT c.id AS id,
       concat_ws(' ', c.full_name, c.given_name, c.family_name,
                 (SELECT group_concat(f.value, ' ') FROM contact_fields f
                   WHERE f.contact_id = c.id AND f.kind = 'nickname')) AS names,
       concat_ws(' ', c.company, c.title) AS org,
       (SELECT group_concat(i.handle, ' ') FROM contact_identities i
         WHERE i.contact_id = c.id AND i.handle IS NOT NULL) AS handles,
       concat_ws(' ', c.twitter_bio, c.telegram_bio, c.notes, c.source,
                 (SELECT group_concat(e.email, ' ') FROM contact_emails e WHERE e.contact_id = c.id),
                 (SELECT group_concat(p.phone || ' ' || p.normalized, ' ') FROM contact_phones p
                   WHERE p.contact_id = c.id)) AS other
FROM contacts c;

CREATE TRIGGER nicknames_search_insert AFTER INSERT ON contact_fields WHEN NEW.kind = 'nickname'
BEGIN INSERT OR IGNORE INTO search_dirty VALUES (NEW.contact_id); END;
CREATE TRIGGER nicknames_search_delete AFTER DELETE ON contact_fields
WHEN OLD.kind = 'nickname' AND EXISTS (SELECT 1 FROM contacts WHERE id = OLD.contact_id)
BEGIN INSERT OR IGNORE INTO search_dirty VALUES (OLD.contact_id); END;
CREATE TRIGGER nicknames_search_update AFTER UPDATE ON contact_fields
WHEN OLD.kind = 'nickname' OR NEW.kind = 'nickname'
BEGIN
    INSERT OR IGNORE INTO search_dirty VALUES (OLD.contact_id);
    INSERT OR IGNORE INTO search_dirty VALUES (NEW.contact_id);
END;

INSERT OR IGNORE INTO search_dirty SELECT DISTINCT contact_id FROM contact_fields WHERE kind = 'nickname';
