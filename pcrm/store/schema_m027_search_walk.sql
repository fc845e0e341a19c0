-- m027_search_walk: the score order covers what a search's walk reads [search-walk]. A search with very many
-- matches takes its page tier by tier, walking the contacts in score order and keeping those of the tier;
-- with only (score, created) in the index, every contact walked past cost a row look-up for its folded name
-- and priority (~1-3 ms a tier on 100k contacts). With the id, the folded name and the priority in the index
-- the walk reads the index alone (~0.1 ms). The order is the same, so lists sorted by score still use it.
DROP INDEX IF EXISTS contacts_score;
CREATE INDEX contacts_score ON contacts(relationship_score DESC, created_at DESC, id, name_fold, priority_level);
