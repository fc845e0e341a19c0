-- m025_edit_journal: what each edit by hand typed [hand-edits], where an import undo and an unmerge read it.
-- Written into the journals of the imports and merges the contact was in, an edit's record cost a search
-- through every applied import journal and a rewrite of each holding the contact (~65 ms with one 5.7 MB
-- journal of 20,000 contacts, growing with them). Here an edit writes one small row: the contact, the newest
-- import batch and merge when it was made (an undo of batch B reads the rows with batch_id >= B, an unmerge
-- of merge M the survivor's rows with merge_id >= M: what was typed since), and the values typed (JSON,
-- services/hand_edits.py; each row the union of the edits made while those two were the newest).
-- tags_untracked: the contact's tags were set by hand before pcrm recorded typed values (written by this
-- migration alone): an undo of a batch up to batch_id keeps its whole tag list, as it did before.
CREATE TABLE edit_journal (
    id             INTEGER PRIMARY KEY,
    contact_uuid   TEXT NOT NULL,
    batch_id       INTEGER REFERENCES import_batches(id) ON DELETE SET NULL,
    merge_id       INTEGER REFERENCES contact_merges(id) ON DELETE SET NULL,
    typed          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(typed)),
    tags_untracked INTEGER NOT NULL DEFAULT 0 CHECK (tags_untracked IN (0, 1)),
    edited_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX edit_journal_contact
    ON edit_journal(contact_uuid, coalesce(batch_id, 0), coalesce(merge_id, 0));
CREATE INDEX edit_journal_batch ON edit_journal(batch_id) WHERE batch_id IS NOT NULL;
