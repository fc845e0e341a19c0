-- m005_map_index: the map's box query from one covering index.
-- Through the R*Tree, a city-sized box (5,460 of 100k contacts in London) costs one contacts-table
-- lookup per point (priority, score and the exact coordinates live there), ~4,000 scattered 4 KB
-- pages: ~20 ms in a fresh process. This index holds the points sorted by latitude with everything
-- the filter and the sort read, so a box is one contiguous range scan (~5 ms), and only the page
-- that comes back (<= 500 rows) reads the table.
CREATE INDEX contacts_map ON contacts(latitude, longitude, relationship_score, priority_level)
    WHERE latitude IS NOT NULL AND longitude IS NOT NULL;
