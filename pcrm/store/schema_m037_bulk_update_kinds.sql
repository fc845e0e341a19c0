-- m037_bulk_update_kinds: what made each journalled change [bulk-undo], and the edit journal it wrote.
-- kind: 'bulk-update' (`pcrm contacts bulk-update`), 'tags-apply' (AI tagging), 'tags-rename' or 'tags-delete'
-- (`pcrm tags rename|delete`): each is undone by `pcrm contacts bulk-undo ID` and listed by
-- `pcrm contacts bulk-updates`. hand_edits: the rows of the edit journal [hand-edits] the change wrote, as
-- JSON [{contact, batch, merge, before, after}] (the row's key by uuids; its typed values before, null when
-- there was no row, and after), so that an undo leaves the journal as it was: a value the bulk update typed
-- is not the user's any more once it is taken back.
ALTER TABLE bulk_updates ADD COLUMN kind TEXT NOT NULL DEFAULT 'bulk-update';
ALTER TABLE bulk_updates ADD COLUMN hand_edits TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(hand_edits));
