-- m036_bulk_updates: the journal of each bulk update [bulk-undo], so that `pcrm contacts bulk-undo ID` puts
-- back what it changed. One row an update that changed someone: what was asked (`changes`), and per contact
-- it changed (`contacts`, JSON [{uuid, before, after, edited_added, reopen}]) the values of exactly the fields
-- it changed before and after it (tags as the whole ordered list), the protected-field marks it added, and
-- the suggestions archiving dismissed with their earlier status. Contacts are named by uuid, not by a foreign
-- key: the record outlives a contact deleted or merged since, and the undo says so. undone_at is set once.
CREATE TABLE bulk_updates (
    id         INTEGER PRIMARY KEY,
    uuid       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    changes    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(changes)),
    contacts   TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(contacts)),
    undone_at  TEXT
);
