"""`pcrm db backups --json` wrote taken_at as `...+00:00` where every other time is `...Z` with
milliseconds; `pcrm db restore /missing.db` hinted at the backups folder's path, not at `pcrm db backups`."""

from __future__ import annotations

import re

from tests.support.crm import Crm

HOUSE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def test_backups_say_when_in_the_house_form(crm: Crm) -> None:
    crm.cli("db", "backup")
    (b,) = crm.cli.json("db", "backups")["data"]
    assert HOUSE.match(b["taken_at"]), b
    assert HOUSE.match(crm.cli.json("contacts", "add", "--name", "Ada Lovelace")["data"]["created_at"])


def test_restoring_a_missing_file_names_db_backups(crm: Crm) -> None:
    err = crm.rejects("db", "restore", "/missing.db", "--yes", code="not_found", says="no backup file at")
    assert err["hint"].startswith("`pcrm db backups` lists the backups"), err
    assert str(crm.home / "backups") in err["hint"]


def test_a_backup_restores_by_the_name_db_backups_lists(crm: Crm) -> None:
    """`pcrm db backups` shows a backup's name; `pcrm db restore NAME` answered "no backup file at NAME"
    unless run from the backups folder. A bare name is the backup of that name in the backups folder."""
    crm.cli("db", "backup")
    crm.cli("contacts", "add", "--name", "Grace Hopper")
    (b,) = crm.cli.json("db", "backups")["data"]
    out = crm.cli.json("db", "restore", b["name"], "--yes")["data"]
    assert out["restored_from"] == b["path"], out
    assert crm.cli.json("contacts", "list", "--search", "Grace Hopper")["meta"]["total"] == 0
    crm.rejects("db", "restore", "nope.db", "--yes", code="not_found", says="no backup file at nope.db")
