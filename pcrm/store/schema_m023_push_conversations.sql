-- m023_push_conversations: the contacts holding messages of one pushed conversation, found across the whole
-- store [import-matching]: a chat sender pushed by name alone whose contact the user renamed (or merged into a
-- contact of another name) is found by the conversation, not by its name. LinkedIn's messages carry their
-- conversation in the reference (`linkedin:{conversation}:...`, a prefix: a range of this index); Messenger's and
-- Instagram's in extra_data. Without them the look-up read every interaction (~0.2-0.45 s on 1M rows).
-- Partial: only the rows they serve pay for them on insert.
CREATE INDEX interactions_linkedin_refs ON interactions(raw_reference_id, contact_id)
    WHERE platform = 'linkedin';
CREATE INDEX interactions_conversation
    ON interactions(platform, json_extract(extra_data, '$.conversation_id'), contact_id)
    WHERE json_extract(extra_data, '$.conversation_id') IS NOT NULL;
