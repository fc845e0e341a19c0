-- m016_search: each FTS5 index merged into one segment [search-segments].
-- A bulk load (pcrm demo, bench/generate.py, a large import) leaves 7-13 segments per index, and every
-- term of a MATCH is then looked up in each of them: on 100k contacts / 1M messages a first-time search
-- cost ~15-25% more CPU than on merged indexes. Later writes add small segments again, which FTS5's
-- automerge keeps few. ~4 s on a 100k-contact / 1M-message store, once.
INSERT INTO contacts_fts(contacts_fts) VALUES ('optimize');
INSERT INTO contacts_fts_words(contacts_fts_words) VALUES ('optimize');
INSERT INTO interactions_fts(interactions_fts) VALUES ('optimize');
