-- m003_identity_indexes: foreign-key indexes for merges. Deleting a merged-away contact makes SQLite
-- look for identity_matches and contact_merges rows that point at it; without these indexes every merge
-- scanned both tables (the journal's rows are large), so a scan with thousands of merges went quadratic.
CREATE INDEX identity_matches_contact_a ON identity_matches(contact_a_id);
CREATE INDEX identity_matches_contact_b ON identity_matches(contact_b_id);
CREATE INDEX contact_merges_primary_id ON contact_merges(primary_contact_id);
