-- m004_view_indexes: covering indexes for the dashboard counts.
-- `contacts stats` counts interactions per week and distinct contacts in a window: (occurred_at,
-- contact_id) answers both from the index alone, and replaces the plain occurred_at index it extends.
-- The score buckets over non-archived contacts read (priority_level, relationship_score) only.
CREATE INDEX interactions_time_contact ON interactions(occurred_at, contact_id);
DROP INDEX interactions_time;
CREATE INDEX contacts_priority_score ON contacts(priority_level, relationship_score);
