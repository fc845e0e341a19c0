-- m010_short_terms: 1-2 character search terms served by an index [contact-search].
-- The trigram index (m002) cannot answer a term shorter than 3 characters, so those scanned every
-- contact and message (~0.7 s on 100k / 1M). This index holds the words of the same folded contact
-- documents (unicode61: letters and digits, no diacritics removed, since the documents are already
-- casefolded) with FTS5 prefix indexes of 1 and 2 characters, so `"al"*` reads one doclist.
-- Contentless: the text lives in contacts_fts; store.search.flush_dirty writes both.
CREATE VIRTUAL TABLE contacts_fts_words USING fts5(
    names, org, handles, other,
    content = '', contentless_delete = 1, detail = 'column',
    tokenize = 'unicode61 remove_diacritics 0', prefix = '1 2'
);

INSERT INTO contacts_fts_words(rowid, names, org, handles, other)
    SELECT rowid, names, org, handles, other FROM contacts_fts;

CREATE TRIGGER contacts_words_delete AFTER DELETE ON contacts
BEGIN
    DELETE FROM contacts_fts_words WHERE rowid = OLD.id;
END;
