-- m042_message_accents: message text searched without the accents of Latin letters, as the contacts'
-- documents are [contact-search]: "zurich" finds a note "Dinner in Zürich", "cafe" one at "Café Zoë".
-- The trigram index is made again with FTS5's remove_diacritics (the term is folded by the same
-- tokenizer), filled from the messages and merged into one segment [search-segments]: ~4 s of CPU on
-- 1M messages, once. The triggers of m002 keep it as they kept the old one (same name).
DROP TABLE IF EXISTS interactions_fts;
CREATE VIRTUAL TABLE interactions_fts USING fts5(content_preview, content = 'interactions',
    content_rowid = 'id', tokenize = 'trigram remove_diacritics 1');
INSERT INTO interactions_fts(interactions_fts) VALUES ('rebuild');
INSERT INTO interactions_fts(interactions_fts) VALUES ('optimize');
