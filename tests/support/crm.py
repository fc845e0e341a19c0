"""The store of the `crm` fixture: driven through the CLI with a pinned clock (PCRM_NOW = NOW) and the
`timezone` setting at UTC, read back with SQL, and a canonical dump of every table (to prove that bad
input changes nothing). tests.support.twin.Twin is the same store also served by the API."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import apsw

from tests.support.store import dump_store

NOW = "2026-06-15T12:00:00.000Z"


class Crm:
    """A store with a pinned clock (PCRM_NOW) and the `timezone` setting at UTC."""

    def __init__(self, cli: Any, home: Path) -> None:
        self.cli = cli
        self.home = home
        self.db = home / "pcrm.db"

    # ------------------------------------------------------------ contacts

    def add(self, name: str | None, *args: str) -> dict[str, Any]:
        opts = ("--name", name) if name else ()
        return self.cli.json("contacts", "add", *opts, *args)["data"]

    def show(self, ref: str, *args: str) -> dict[str, Any]:
        return self.cli.json("contacts", "show", ref, *args)["data"]

    def names(self, *args: str) -> list[str]:
        return [c["full_name"] for c in self.cli.json("contacts", "list", *args)["data"]]

    # ------------------------------------------------------------ interactions

    def history(
        self, contact_id: str, items: Iterable[tuple[str, str, str] | tuple[str, str, str, str]]
    ) -> None:
        """Log (platform, direction, occurred_at[, text]) items through the service, in one process
        (much faster than one CLI run each)."""
        from pcrm import clock
        from pcrm.services import interactions
        from pcrm.services.context import open_context

        clock.set_now(None)  # an earlier in-process `--now` must not leak into this call: PCRM_NOW rules
        with open_context() as ctx:
            for item in items:
                platform, direction, at = item[:3]
                text = item[3] if len(item) > 3 else None
                interactions.add_interaction(
                    ctx,
                    contact_id,
                    {
                        "platform": platform,
                        "direction": direction,
                        "occurred_at": at,
                        "content_preview": text,
                    },
                )

    def service(self, fn_path: str, *args: Any, **kw: Any) -> Any:
        """Call a service function by dotted name, e.g. service('contacts.create_contact', {...})."""
        import importlib

        from pcrm import clock
        from pcrm.services.context import open_context

        clock.set_now(None)
        mod, fn = fn_path.rsplit(".", 1)
        with open_context() as ctx:
            return getattr(importlib.import_module(f"pcrm.services.{mod}"), fn)(ctx, *args, **kw)

    def sql(self, statement: str, params: Any = ()) -> list[tuple[Any, ...]]:
        conn = apsw.Connection(str(self.db))
        try:
            return [tuple(r) for r in conn.execute(statement, params)]
        finally:
            conn.close()

    # ------------------------------------------------------------ store snapshots

    def dump(self) -> dict[str, list[tuple[Any, ...]]]:
        return dump_store(self.db)

    def rejects(
        self, *args: str, code: str, says: str | None = None, hint: str | None = None
    ) -> dict[str, Any]:
        """Run a command that must fail: exit 1, `error:` and `hint:` on stderr, the error envelope
        with --json, and not one byte of the store changed (both runs). Returns the error object."""
        before = self.dump()
        human = self.cli(*args, ok=None)
        assert human.exit_code == 1, (human.exit_code, human.stdout, human.stderr)
        assert human.stdout == "", human.stdout
        assert human.stderr.startswith("error: "), human.stderr
        assert "\nhint: " in human.stderr, human.stderr
        if says is not None:
            assert says in " ".join(human.stderr.split()), human.stderr
        assert self.dump() == before, f"`pcrm {' '.join(args)}` changed the store"
        machine = self.cli(*args, "--json", ok=None)
        assert machine.exit_code == 1
        env = json.loads(machine.stdout)
        assert env["data"] is None and env["meta"] == {}
        err = env["error"]
        assert set(err) == {"code", "message", "hint", "details"}
        assert err["code"] == code, err
        assert err["hint"], err
        if says is not None:
            assert says in err["message"], err
        if hint is not None:
            assert hint in err["hint"], err
        assert self.dump() == before, f"`pcrm {' '.join(args)} --json` changed the store"
        return err
