-- m044_name_lookup: the names a contact reference written in ASCII may fit only through identity_names'
-- own spelling of them [contact-references]: Greek and Cyrillic (transliterated), IPA letters and spacing
-- modifiers, combining marks NFKC leaves alone. A reference that fits nobody compared every name with a
-- letter outside ASCII in Python (7,275 of 100k contacts: ~0.3 s); it now compares those whose search
-- document holds its words and these, read from this partial index instead of a scan of the contacts.
-- Its condition is store.contacts.NAMES_NOT_FOLDED, word for word (SQLite uses a partial index only for
-- a query holding the same condition).
CREATE INDEX IF NOT EXISTS contacts_name_lookup ON contacts(id, name_fold) WHERE name_fold GLOB '*[ɐ-ԯἀ-῿]*';
