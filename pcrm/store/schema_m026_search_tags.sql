-- m026_search_tags: a contact's tags are in its search document, beside its company and title (the `org` column,
-- the tier after the names), so "book club" finds the contacts tagged "book club" as `--tag "book club"` does, a
-- name match ranking first [contact-search]. The view is m024's with the tags added; triggers mark a contact dirty
-- when a tag is added, removed or renamed (contact_tags had none: its rows were never in the documents).
DROP VIEW contact_search_doc;
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
       concat_ws(' ', c.company, c.title,
                 (SELECT group_concat(t.tag, ' ') FROM contact_tags t WHERE t.contact_id = c.id)) AS org,
       (SELECT group_concat(coalesce(i.handle, i.external_id), ' ') FROM contact_identities i
         WHERE i.contact_id = c.id
           AND (i.handle IS NOT NULL OR (i.platform = 'linkedin' AND i.external_id NOT GLOB 'ACo*'))) AS handles,
       concat_ws(' ', c.twitter_bio, c.telegram_bio, c.notes, c.source,
                 (SELECT group_concat(e.email, ' ') FROM contact_emails e WHERE e.contact_id = c.id),
                 (SELECT group_concat(p.phone || ' ' || p.normalized, ' ') FROM contact_phones p
                   WHERE p.contact_id = c.id)) AS other
FROM contacts c;

CREATE TRIGGER tags_search_insert AFTER INSERT ON contact_tags
BEGIN INSERT OR IGNORE INTO search_dirty VALUES (NEW.contact_id); END;
CREATE TRIGGER tags_search_delete AFTER DELETE ON contact_tags
WHEN EXISTS (SELECT 1 FROM contacts WHERE id = OLD.contact_id)
BEGIN INSERT OR IGNORE INTO search_dirty VALUES (OLD.contact_id); END;
CREATE TRIGGER tags_search_update AFTER UPDATE OF contact_id, tag ON contact_tags
BEGIN
    INSERT OR IGNORE INTO search_dirty VALUES (OLD.contact_id);
    INSERT OR IGNORE INTO search_dirty VALUES (NEW.contact_id);
END;
