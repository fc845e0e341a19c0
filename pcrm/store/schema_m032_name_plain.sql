-- m032_name_plain: a search's first tier (the name starts with the term) compares the term with the name as
-- the search documents fold it, accents aside [plain-names]: "emile" puts "Émile Zola" first, as it does
-- "Emile Berg". contacts.name_plain holds that form where it differs from name_fold (which import matching
-- reads, accents kept), NULL elsewhere; the first tier is a range of this index on the two together.
CREATE INDEX contacts_name_plain ON contacts(coalesce(name_plain, name_fold));
-- the covering indexes of a search's ranking (m017) and of its walk (m027) cover name_plain too, keeping
-- what they covered: a NULL costs a byte an entry
DROP INDEX contacts_rank;
CREATE INDEX contacts_rank ON contacts(id, priority_level, relationship_score, created_at, name_fold, name_plain);
DROP INDEX contacts_score;
CREATE INDEX contacts_score ON contacts(relationship_score DESC, created_at DESC, id, name_fold, priority_level, name_plain);
