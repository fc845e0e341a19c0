-- m025_edit_journal: what each edit by hand typed [hand-edits], where an import undo and an unmerge read it.
-- Written into the journals of the imports and merges the contact was in, an edit's record cost a search
-- through every applied import journal and a rewrite of each holding the contact (~65 ms with one 5.7 MB
-- journal of 20,000 contacts, growing with them). Here an edit writes one small row: the contact, the newest
-- import batch and merge when it was made (an undo of batch B reads the rows naming B or a later batch, an
-- unmerge of merge M the survivor's rows naming M or a later merge: what was typed since), and the values
-- typed (JSON, services/hand_edits.py; each row the union of the edits made while those two were the newest).
-- Batch and merge are named by uuid, not by a foreign key: a JSON restore numbers both tables anew (in their
-- order) and keeps uuids, and a reference to import_batches made deleting a big dry run's batch keep a
-- statement journal of every contact it had created (~10 MB for 30,000 rows).
-- tags_untracked: the contact's tags were set by hand before pcrm recorded typed values (written by this
-- migration alone): an undo of a batch up to batch_uuid keeps its whole tag list, as it did before.
CREATE TABLE edit_journal (
    id             INTEGER PRIMARY KEY,
    contact_uuid   TEXT NOT NULL,
    batch_uuid     TEXT,
    merge_uuid     TEXT,
    typed          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(typed)),
    tags_untracked INTEGER NOT NULL DEFAULT 0 CHECK (tags_untracked IN (0, 1)),
    edited_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX edit_journal_contact
    ON edit_journal(contact_uuid, coalesce(batch_uuid, ''), coalesce(merge_uuid, ''));
CREATE INDEX edit_journal_batch ON edit_journal(batch_uuid) WHERE batch_uuid IS NOT NULL;
