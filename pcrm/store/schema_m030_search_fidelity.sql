-- m030_search_fidelity: a company of several words (or with an "&") is also in the search document written as
-- one word, and so is each tag of several words: "deutschebank" finds "Deutsche Bank", "jpmorgan" "J.P. Morgan",
-- "hm" "H&M", "bookclub" the contacts tagged "book club" [search-words]. The view is m026's with the company and
-- the tags joined as the names are (their spaces and joining punctuation, and the commas and "&" a company
-- name holds, taken out); the title is left as it is.
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
