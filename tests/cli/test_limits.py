"""A --limit or --page-size past its maximum says the maximum and the way to the rest [cli-failures]:
`contacts overdue --limit 100` was a usage error "Input should be less than or equal to 50" and a service's
"limit must be from 1 to 500" hinted at `limit`, neither naming --all; `activity recent` had no --all."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.cli import Cli
from tests.support.crm import Crm


def _capped() -> Iterator[tuple[str, str, int, bool]]:
    """Every command whose --limit or --page-size declares a maximum: (path, option, max, has --all)."""
    import typer.main

    from pcrm.cli import app

    def walk(cmd: Any, path: str) -> Iterator[tuple[str, Any]]:
        yield path, cmd
        for name, sub in (getattr(cmd, "commands", None) or {}).items():
            yield from walk(sub, f"{path} {name}".strip())

    for path, cmd in walk(typer.main.get_command(app), ""):
        opts = [o for p in getattr(cmd, "params", ()) for o in getattr(p, "opts", ())]
        for p in getattr(cmd, "params", ()):
            if p.name in ("limit", "page_size") and getattr(p, "max", None):
                yield path, p.opts[0], p.max, "--all" in opts


CAPPED = list(_capped())


def test_the_walk_finds_the_capped_lists() -> None:
    assert {(p, m) for p, _, m, _ in CAPPED} >= {("contacts overdue", 50), ("activity recent", 100)}


@pytest.mark.parametrize(("path", "option", "most", "has_all"), CAPPED, ids=[c[0] for c in CAPPED])
def test_past_the_maximum_says_it_and_the_way_to_the_rest(
    crm: Crm, path: str, option: str, most: int, has_all: bool
) -> None:
    extra = ["--bbox=1,1,2,2"] if path == "contacts map" else []
    r = crm.cli(*path.split(), *extra, option, str(most * 10), ok=None)
    assert r.exit_code == 2, r.stderr
    said = " ".join(r.stderr.split())
    assert f"at most {most}, not {most * 10}" in said, said
    assert ("--all lists every one" in said) == has_all, said
    assert "Input should be" not in said


def test_overdue_and_activity_name_all(crm: Crm) -> None:
    said = " ".join(crm.cli("contacts", "overdue", "--limit", "100", ok=None).stderr.split())
    assert "'--limit': at most 50, not 100; --all lists every one" in said, said
    assert "at least 1, not 0" in " ".join(
        crm.cli("contacts", "overdue", "--limit", "0", ok=None).stderr.split()
    )
    said = " ".join(crm.cli("activity", "recent", "--limit", "1000", ok=None).stderr.split())
    assert "at most 100, not 1000; --all lists every one" in said, said


def test_activity_recent_all_lists_past_the_default(crm: Crm, cli: Cli) -> None:
    from pcrm import clock
    from pcrm.services import contacts, interactions
    from pcrm.services.context import open_context

    clock.set_now(None)  # an earlier in-process --now must not leak in: PCRM_NOW rules
    with open_context() as ctx:
        for n in range(23):
            cid = contacts.create_contact(ctx, {"full_name": f"Person {n:02d}"}).data["id"]
            interactions.add_interaction(
                ctx,
                cid,
                {
                    "platform": "email",
                    "direction": "inbound",
                    "occurred_at": f"2026-06-1{n % 5}T10:{n:02d}:00Z",
                },
            )
    assert len(cli.json("activity", "recent")["data"]) == 20
    assert len(cli.json("activity", "recent", "--all")["data"]) == 23
    assert len(cli("activity", "recent", "--nl").stdout.splitlines()) == 23


def test_a_service_maximum_names_the_option_and_the_rest(crm: Crm) -> None:
    err = crm.rejects("import", "history", "--limit", "100000", code="validation_error")
    assert err["hint"] == "give --limit from 1 to 500; --offset N shows the next ones", err
    err = crm.rejects("contacts", "list", "--page-size", "1000", code="validation_error")
    assert err["hint"].endswith("; --all lists every one"), err
    err = crm.rejects("identity", "history", "--limit", "1000", code="validation_error")
    assert "500" in err["message"] and err["hint"].startswith("give --limit from 1 to 500"), err
