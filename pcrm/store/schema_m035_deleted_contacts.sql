-- m035_deleted_contacts: the ids of the contacts this store deleted (nothing else of them) [vcard-folders]. A
-- folder export removes a card pcrm wrote only when its uuid is one the store knows as its own; a contact
-- deleted before the folder's first recorded export (a folder an earlier pcrm wrote, a record lost with a
-- moved folder or a restore) left no trace, so its card stayed in the folder a phone syncs, and the person
-- came back. Every way a contact goes (contacts delete, second-tier rm, a merge) deletes its row, so a trigger
-- records the uuid; the rows of a dry run roll back with it. An import undo takes back the ids of the contacts
-- it removes: it puts the store back as it was before the import (store/imports.delete_created).
CREATE TABLE deleted_contacts (
    contact_uuid TEXT PRIMARY KEY
) WITHOUT ROWID;
CREATE TRIGGER contacts_deleted_uuid AFTER DELETE ON contacts
BEGIN
    INSERT OR IGNORE INTO deleted_contacts(contact_uuid) VALUES (old.uuid);
END;
