-- m021_search_words: a contact's handles in its search document also hold its LinkedIn profile slug (the
-- `/in/<slug>` of its profile address, kept as the linkedin identity's id), so "ada-lovelace-1815" finds
-- the contact as a Telegram or X handle does; an anonymised member id (`ACo...`) is not a word anyone
-- types and stays out [search-words].
DROP VIEW contact_search_doc;
CREATE VIEW contact_search_doc AS
SELECT c.id AS id,
       concat_ws(' ', c.full_name, c.given_name, c.family_name,
                 (SELECT group_concat(f.value, ' ') FROM contact_fields f
                   WHERE f.contact_id = c.id AND f.kind = 'nickname')) AS names,
       concat_ws(' ', c.company, c.title) AS org,
       (SELECT group_concat(coalesce(i.handle, i.external_id), ' ') FROM contact_identities i
         WHERE i.contact_id = c.id
           AND (i.handle IS NOT NULL OR (i.platform = 'linkedin' AND i.external_id NOT GLOB 'ACo*'))) AS handles,
       concat_ws(' ', c.twitter_bio, c.telegram_bio, c.notes, c.source,
                 (SELECT group_concat(e.email, ' ') FROM contact_emails e WHERE e.contact_id = c.id),
                 (SELECT group_concat(p.phone || ' ' || p.normalized, ' ') FROM contact_phones p
                   WHERE p.contact_id = c.id)) AS other
FROM contacts c;
