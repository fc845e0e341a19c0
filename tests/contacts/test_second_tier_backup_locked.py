"""`pcrm second-tier rm` takes its automatic backup under the delete's write lock [automatic-backups]
[second-tier]: it was copied just before the delete's transaction began, so another process (the daemon, a
sync, `pcrm import`) could write between the two, and `pcrm db restore` of that backup, meant to take the
delete back, also lost what the other process wrote. Now no other write can come between the backup and the
delete: the backup is the store the delete started from."""

from __future__ import annotations

from typing import Any

import apsw
import pytest

from tests.support.crm import Crm

_CONTACTS = "SELECT uuid, full_name, notes, updated_at FROM contacts ORDER BY id"


def test_no_other_process_writes_between_the_backup_and_the_delete(
    crm: Crm, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pcrm.store import backup as store_backup

    crm.add("Bea Group", "--tag", "2nd tier")
    crm.add("Ada Lovelace")
    real = store_backup.auto_backup
    tried: list[str] = []

    def then_another_process_writes(conn: Any, *, reason: str) -> Any:
        copy = real(conn, reason=reason)
        other = apsw.Connection(str(crm.db))  # another process, not waiting for the lock
        other.set_busy_timeout(0)
        try:
            other.execute(
                "UPDATE contacts SET notes = 'from another process' WHERE full_name = 'Ada Lovelace'"
            )
            tried.append("written")
        except apsw.BusyError:
            tried.append("locked out")
        finally:
            other.close()
        return copy

    monkeypatch.setattr(store_backup, "auto_backup", then_another_process_writes)
    done = crm.cli.json("second-tier", "rm", "--yes")
    assert done["data"]["deleted_count"] == 1
    assert tried == ["locked out"]
    # the backup is the store the delete started from: what stays is in it as it is, Bea too
    backup = apsw.Connection(done["meta"]["backup"], flags=apsw.SQLITE_OPEN_READONLY)
    try:
        held = list(backup.execute(_CONTACTS))
    finally:
        backup.close()
    now = crm.sql(_CONTACTS)
    assert [r for r in held if r[1] != "Bea Group"] == [tuple(r) for r in now]
    assert [r[1] for r in held] == ["Bea Group", "Ada Lovelace"]
