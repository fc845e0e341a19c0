-- m024_search_joined: a contact's names in its search document also hold each of its names of several words
-- written as one, without the spaces and the joining punctuation (- ' . _ `): "Jean Luc Picard" ->
-- "jeanlucpicard", "J. R. R. Tolkien" -> "jrrtolkien", so "jeanluc", "jeanlucp", "vanderberg" and "jrr" find
-- them as substrings. The given and family names are left out when the full name holds them as written, as
-- whole words (an import sets all three): the document held those names twice, and the joined name takes that
-- room instead [search-words].
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
       concat_ws(' ', c.company, c.title) AS org,
       (SELECT group_concat(coalesce(i.handle, i.external_id), ' ') FROM contact_identities i
         WHERE i.contact_id = c.id
           AND (i.handle IS NOT NULL OR (i.platform = 'linkedin' AND i.external_id NOT GLOB 'ACo*'))) AS handles,
       concat_ws(' ', c.twitter_bio, c.telegram_bio, c.notes, c.source,
                 (SELECT group_concat(e.email, ' ') FROM contact_emails e WHERE e.contact_id = c.id),
                 (SELECT group_concat(p.phone || ' ' || p.normalized, ' ') FROM contact_phones p
                   WHERE p.contact_id = c.id)) AS other
FROM contacts c;
