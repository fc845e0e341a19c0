-- m008: the audit log of writes that did not come from the user's own hands [agent-writes]: today, each
-- write an AI agent made through the MCP server, with the tool's name. Ids are public UUIDs, not foreign
-- keys: the record outlives the note or tag it names.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    occurred_at TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    target_id   TEXT,
    contact_id  TEXT,
    arguments   TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(arguments))
);
CREATE INDEX audit_log_time ON audit_log(occurred_at DESC, id DESC);
CREATE INDEX audit_log_contact ON audit_log(contact_id) WHERE contact_id IS NOT NULL;
