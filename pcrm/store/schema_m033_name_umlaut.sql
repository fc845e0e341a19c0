-- m033_name_umlaut: a search's first tier (the name starts with the term) also compares a term holding "ae",
-- "oe" or "ue" with the name written with ae, oe, ue for its ä, ö, ü [plain-names] [search-spellings]:
-- "mueller" puts "Müller Anna" there as it does "Mueller Karl". contacts.name_umlaut holds that form for the
-- names with an umlaut, NULL elsewhere; the first tier reads a range of this index (only those names) as a
-- set of ids, so the covering indexes of the ranking and the walk (m017, m027, m032) stay as they are.
CREATE INDEX contacts_name_umlaut ON contacts(name_umlaut) WHERE name_umlaut IS NOT NULL;
