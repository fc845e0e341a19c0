-- Read-only views for people who look at their data with sqlite-utils, datasette or the sqlite3 shell
-- [plain-sqlite]: a contact with its emails, phones and tags flattened, and interactions with their
-- contact's name. pcrm itself never reads them.
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
