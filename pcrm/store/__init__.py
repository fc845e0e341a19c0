"""SQLite through apsw: connection, migrations, queries, row <-> dict mapping. The only SQL in pcrm."""
