"""Parity: for each command of ../shared/spec/cli.md with an API twin whose routes are wired,
`pcrm ... --json` and the API answer the same bytes, on the same store (a copy of the demo store each), at
the same --now.

cli_api_map.json is the parsed table (command -> operations), checked against the spec when ../shared is
beside the checkout (under CI=true it must be). Every command with operations is either exercised below
(CASES), compared by the API tests of its capability (COVERED_ELSEWHERE, which must name an existing
test), or listed in PENDING with the reason; when a pending command's routes get wired (or the command
gets built), the bookkeeping test fails until a parity case is added.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import uuid as _uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.support.api import checked_client
from tests.support.demo import NOW, copy_store

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
CLI_MD = ROOT.parent / "shared" / "spec" / "cli.md"
MAPPING = HERE / "cli_api_map.json"


def mapping() -> list[dict[str, Any]]:
    return json.loads(MAPPING.read_text())


def route_table() -> dict[str, Any]:
    from pcrm.api.routes import all_ops

    return {o.key: o for o in all_ops()}


@dataclass(frozen=True)
class Case:
    cli: str  # arguments after `pcrm`, placeholders {name} from the demo refs
    method: str
    url: str  # under /api/v1, placeholders as in cli
    body: Any = None  # a dict (placeholders in strings) or a callable(refs) -> dict
    mask: tuple[str, ...] = ()  # keys whose values are random by design (a key shown once, bcc_hash)
    exact: bool = (
        True  # False: an error whose wording differs by shell (CLI references, [contact-references])
    )

    def route(self) -> str:
        path = self.url.split("?", 1)[0]
        return f"{self.method} /api/v1{path}"


C = Case

CASES: dict[str, list[Case]] = {
    "pcrm contacts list": [
        C(
            "contacts list --tag friend --sort interaction --page 2 --page-size 5",
            "GET",
            "/contacts?tag=friend&sort=interaction&page=2&page_size=5",
        ),
        C("contacts list --search lunch", "GET", "/contacts?search=lunch"),
        C("contacts list --score nope", "GET", "/contacts?score=nope"),
    ],
    "pcrm contacts ids": [
        C("contacts ids --score dormant --priority low", "GET", "/contacts/ids?score=dormant&priority=low")
    ],
    "pcrm contacts add": [
        C(
            "contacts add --name 'Grace Hopper' --email Grace@Navy.mil --tag Navy --company 'US Navy' "
            "--priority high --birthday 12-09 --twitter @grace",
            "POST",
            "/contacts",
            {
                "full_name": "Grace Hopper",
                "emails": ["Grace@Navy.mil"],
                "tags": ["Navy"],
                "company": "US Navy",
                "priority_level": "high",
                "birthday": "12-09",
                "twitter_handle": "@grace",
            },
            mask=("bcc_hash",),
        ),
        C(
            "contacts add --name Copycat --email {contact_email}",
            "POST",
            "/contacts",
            {"full_name": "Copycat", "emails": ["{contact_email}"]},
        ),
    ],
    "pcrm contacts show": [
        C("contacts show {contact}", "GET", "/contacts/{contact}"),
        C(
            "contacts show 0b7e1a52-7a3c-4c0e-9d7e-1f2a3b4c5d6e",
            "GET",
            "/contacts/0b7e1a52-7a3c-4c0e-9d7e-1f2a3b4c5d6e",
            exact=False,
        ),
    ],
    "pcrm contacts edit": [
        C(
            "contacts edit {contact} --title Admiral --clear notes",
            "PUT",
            "/contacts/{contact}",
            {"title": "Admiral", "notes": None},
        )
    ],
    "pcrm contacts rm": [C("contacts rm {contact} --yes", "DELETE", "/contacts/{contact}")],
    "pcrm contacts stats": [C("contacts stats", "GET", "/contacts/stats")],
    "pcrm contacts birthdays": [C("contacts birthdays --limit 3", "GET", "/contacts/birthdays?limit=3")],
    "pcrm contacts overdue": [C("contacts overdue --limit 5", "GET", "/contacts/overdue?limit=5")],
    "pcrm contacts map": [
        C("contacts map --bbox=-10,35,30,60 --limit 20", "GET", "/contacts/map?bbox=-10,35,30,60&limit=20"),
        C("contacts map --bbox=1,2,3", "GET", "/contacts/map?bbox=1,2,3"),
    ],
    "pcrm contacts bulk-update": [
        C(
            "contacts bulk-update {contact} {other} --add-tag VIP --remove-tag friend --priority archived "
            "--company Initech",
            "POST",
            "/contacts/bulk-update",
            {
                "contact_ids": ["{contact}", "{other}"],
                "add_tags": ["VIP"],
                "remove_tags": ["friend"],
                "priority_level": "archived",
                "company": "Initech",
            },
        ),
        C(
            "contacts bulk-update {contact} --priority urgent",
            "POST",
            "/contacts/bulk-update",
            {"contact_ids": ["{contact}"], "priority_level": "urgent"},
        ),
    ],
    "pcrm contacts reconcile": [C("contacts reconcile", "POST", "/contacts/reconcile-last-interaction")],
    "pcrm contacts related": [C("contacts related {contact}", "GET", "/contacts/{contact}/related")],
    "pcrm contacts tag": [
        C(
            "contacts tag {contact} mentor Alumni",
            "PUT",
            "/contacts/{contact}",
            lambda refs: {"tags": [*refs["contact_tags"], "mentor", "Alumni"]},
        )
    ],
    "pcrm contacts untag": [
        C(
            "contacts untag {contact} {first_tag}",
            "PUT",
            "/contacts/{contact}",
            lambda refs: {"tags": refs["contact_tags"][1:]},
        )
    ],
    "pcrm tags list": [C("tags list", "GET", "/contacts/tags")],
    "pcrm second-tier count": [C("second-tier count", "GET", "/contacts/2nd-tier/count")],
    # the backup's path is under each side's own home
    "pcrm second-tier rm": [C("second-tier rm --yes", "DELETE", "/contacts/2nd-tier", mask=("backup",))],
    "pcrm contacts promote": [
        C("contacts promote {second_tier}", "POST", "/contacts/{second_tier}/promote"),
        C("contacts promote {contact}", "POST", "/contacts/{contact}/promote"),
    ],
    "pcrm interactions list": [
        C(
            "interactions list {contact} --limit 5 --offset 2",
            "GET",
            "/contacts/{contact}/interactions?limit=5&offset=2",
        )
    ],
    "pcrm note add": [
        C(
            "note add {contact} 'Coffee next week' --at 2025-05-30T10:00:00Z",
            "POST",
            "/contacts/{contact}/interactions",
            {"content_preview": "Coffee next week", "occurred_at": "2025-05-30T10:00:00Z"},
        )
    ],
    "pcrm log": [
        C(
            "log {contact} --platform call --direction inbound --at 2025-05-31T09:00:00Z 'About the offer'",
            "POST",
            "/contacts/{contact}/interactions",
            {
                "platform": "call",
                "direction": "inbound",
                "occurred_at": "2025-05-31T09:00:00Z",
                "content_preview": "About the offer",
            },
        )
    ],
    "pcrm note edit": [
        C(
            "note edit {note} 'Lunch at the harbour'",
            "PATCH",
            "/contacts/{contact}/interactions/{note}",
            {"content_preview": "Lunch at the harbour"},
        )
    ],
    "pcrm note rm": [C("note rm {note} --yes", "DELETE", "/contacts/{contact}/interactions/{note}")],
    "pcrm activity recent": [C("activity recent --limit 5", "GET", "/activity/recent?limit=5")],
    "pcrm orgs list": [
        C("orgs list --search a --page 2 --page-size 5", "GET", "/organizations?search=a&page=2&page_size=5"),
        C("orgs list --all", "GET", "/organizations?include_empty=true"),
    ],
    "pcrm orgs add": [
        C(
            "orgs add 'Analytical Engines' --domain https://www.Analytical.io/about --industry Computing "
            "--twitter @ae",
            "POST",
            "/organizations",
            {
                "name": "Analytical Engines",
                "domain": "https://www.Analytical.io/about",
                "industry": "Computing",
                "twitter_handle": "@ae",
            },
        ),
        C("orgs add '{org_name}'", "POST", "/organizations", {"name": "{org_name}"}),
        C(
            "orgs add Mailers --domain gmail.com",
            "POST",
            "/organizations",
            {"name": "Mailers", "domain": "gmail.com"},
        ),
    ],
    "pcrm orgs show": [C("orgs show {org}", "GET", "/organizations/{org}")],
    "pcrm orgs edit": [
        C(
            "orgs edit {org} --name 'Acme Holdings' --industry Finance --clear website",
            "PATCH",
            "/organizations/{org}",
            {"name": "Acme Holdings", "industry": "Finance", "website": None},
        ),
        C("orgs edit {org} --name '{org2_name}'", "PATCH", "/organizations/{org}", {"name": "{org2_name}"}),
    ],
    "pcrm orgs rm": [C("orgs rm {org} --yes", "DELETE", "/organizations/{org}")],
    "pcrm orgs stats": [C("orgs stats {org}", "GET", "/organizations/{org}/stats")],
    "pcrm orgs merge": [
        C(
            "orgs merge {org2} {org3} --into {org}",
            "POST",
            "/organizations/merge",
            {"source_ids": ["{org2}", "{org3}"], "target_id": "{org}"},
        ),
        C(
            "orgs merge {org} --into {org}",
            "POST",
            "/organizations/merge",
            {"source_ids": ["{org}"], "target_id": "{org}"},
        ),
    ],
    "pcrm orgs logos": [
        C("orgs logos", "POST", "/organizations/backfill-logos"),
        C("orgs logos {org} --force", "POST", "/organizations/{org}/refresh-logo?force=true"),
    ],
    "pcrm settings show": [
        C(f"settings show {s}", "GET", f"/settings/{s}")
        for s in ("priority", "sync", "telegram", "suggestions")
    ],
    "pcrm settings set": [
        C("settings set priority.high 21", "PUT", "/settings/priority", {"high": 21}),
        C("settings set sync.gmail.schedule 12h", "PUT", "/settings/sync", {"gmail": {"schedule": "12h"}}),
        C("settings set telegram.sync_2nd_tier false", "PUT", "/settings/telegram", {"sync_2nd_tier": False}),
        C(
            "settings set suggestions.max_suggestions 8",
            "PUT",
            "/settings/suggestions",
            {"max_suggestions": 8},
        ),
        C("settings set priority.low 3", "PUT", "/settings/priority", {"low": 3}),
    ],
    "pcrm notifications": [
        C("notifications --unread --page-size 2", "GET", "/notifications?unread=true&page_size=2")
    ],
    "pcrm notifications read": [
        C("notifications read {notification}", "PUT", "/notifications/{notification}/read")
    ],
    "pcrm notifications read-all": [C("notifications read-all", "PUT", "/notifications/read-all")],
    "pcrm notifications unread-count": [
        C("notifications unread-count", "GET", "/notifications/unread-count")
    ],
    "pcrm sync history": [
        C(
            "sync history --platform gmail --limit 1 --offset 1",
            "GET",
            "/sync-history?platform=gmail&limit=1&offset=1",
        ),
        C("sync history --status exploded", "GET", "/sync-history?status=exploded"),
    ],
    "pcrm sync stats": [
        C("sync stats", "GET", "/sync-history/stats"),
        C("sync stats --platform telegram", "GET", "/sync-history/stats?platform=telegram"),
    ],
    "pcrm mcp-key": [
        C("mcp-key status", "GET", "/settings/mcp-key"),
        C("mcp-key create", "POST", "/settings/mcp-key", mask=("key",)),
        C("mcp-key revoke --yes", "DELETE", "/settings/mcp-key"),
    ],
}

# Commands whose parity another suite already checks byte for byte (the API tests of the command's
# capability): the test named must exist there.
SCORES = "tests/scores/test_scores_api.py::"
SUGGESTIONS = "tests/suggestions/test_suggestions_api.py::"
IDENTITY = "tests/identity/test_identity_api.py::"
COVERED_ELSEWHERE: dict[str, str] = {
    "pcrm contacts activity": SCORES + "test_score_recalculation_and_activity_answer_the_cli_bytes",
    "pcrm score recalc": SCORES + "test_score_recalculation_and_activity_answer_the_cli_bytes",
    "pcrm suggestions": SUGGESTIONS + "test_generate_list_and_digest_answer_the_cli_bytes",
    "pcrm suggestions generate": SUGGESTIONS + "test_generate_list_and_digest_answer_the_cli_bytes",
    "pcrm digest": SUGGESTIONS + "test_generate_list_and_digest_answer_the_cli_bytes",
    **{
        f"pcrm suggestions {c}": SUGGESTIONS + "test_status_changes_and_regenerate_answer_the_cli_bytes"
        for c in ("snooze", "dismiss", "sent", "edit", "regenerate")
    },
    **{
        f"pcrm identity {c}": IDENTITY + "test_scan_and_the_review_queue_answer_the_cli_bytes"
        for c in ("scan", "matches", "merge", "reject")
    },
    **{
        f"pcrm contacts {c}": IDENTITY + "test_duplicate_hints_merge_and_dismiss_answer_the_cli_bytes"
        for c in ("duplicates", "merge", "dismiss-duplicate")
    },
    "pcrm orgs duplicates": (
        "tests/organizations/test_org_dedupe_api.py::test_organization_dedupe_answers_the_cli_bytes"
    ),
    "pcrm import": (
        "tests/imports/test_imports_api.py::test_csv_upload_answers_the_cli_report_and_a_rerun_creates_nothing"
    ),
    # `sync status TASK` answers what GET /tasks/{task_id} answers [sync-runs]
    "pcrm sync status": "tests/sync/test_sync_status.py::test_a_task_reads_the_same_over_the_api_and_the_cli",
    # an account-wide sync: the route starts the run the CLI runs in place [sync-runs]
    "pcrm sync": "tests/sync/x/test_connect.py::test_the_sync_route_and_pcrm_sync_answer_the_same_run",
    # Google [google-oauth]: the CLI runs the loopback flow where the API hands out a URL; lists, removals and
    # per-contact syncs answer the same bytes
    **{
        f"pcrm {c}": "tests/sync/test_google_auth.py::test_accounts_and_sync_emails_answer_the_cli_bytes"
        for c in ("auth google", "auth google accounts", "auth google rm", "sync emails")
    },
}

# Commands with an API twin that cannot be compared yet: a route still answers 501, or the command is not
# built. The bookkeeping test fails as soon as one of them could be compared.
PENDING: dict[str, str] = {}

# cli.md names these only as "pcrm's own routes [pcrm-routes]".
OWN_ROUTES = {
    "pcrm orgs duplicates": [
        "POST /api/v1/organizations/scan-duplicates",
        "GET /api/v1/organizations/duplicates",
        "POST /api/v1/organizations/duplicates/{match_id}/merge",
        "POST /api/v1/organizations/duplicates/{match_id}/dismiss",
    ]
}


def _operations(row: dict[str, Any]) -> list[str]:
    return row["operations"] or OWN_ROUTES.get(row["command"], [])


def _cli_has(command: str) -> bool:
    """Whether `pcrm ...` resolves to a command or group."""
    import typer

    from pcrm.cli import app

    cmd: Any = typer.main.get_command(app)
    ctx = typer.Context(cmd)
    for word in command.split()[1:]:
        if not hasattr(cmd, "get_command"):  # typer's groups, whichever click they build on
            return False
        sub = cmd.get_command(ctx, word)
        if sub is None:
            return False
        cmd = sub
    return True


# ------------------------------------------------------------------ the mapping


def test_the_committed_mapping_is_the_spec_table() -> None:
    if not CLI_MD.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CLI_MD} is missing: CI must have ../shared beside the checkout")
        pytest.skip("../shared is not beside this checkout; the committed copy stands in")
    from tests.support.climap import parse

    table = [(o.method, o.full_path) for o in route_table().values()]
    assert parse(CLI_MD.read_text(), table) == mapping(), (
        "cli.md changed: regenerate tests/api/cli_api_map.json (see climap.parse) and review the diff"
    )


def test_every_api_twin_is_compared_or_pending() -> None:
    routes = route_table()
    problems = []
    commands = {row["command"] for row in mapping()}
    for row in mapping():
        key, ops = row["command"], _operations(row)
        if not ops:
            assert "CLI only" in row["api"], f"{key}: no operation parsed from {row['api']!r}"
            assert key not in CASES and key not in PENDING
            continue
        unknown = [o for o in ops if o not in routes]
        assert not unknown, f"{key}: {unknown} are not in the route table"
        comparable = all(routes[o].implemented for o in ops) and _cli_has(key)
        if key in COVERED_ELSEWHERE:
            where, _, name = COVERED_ELSEWHERE[key].partition("::")
            text = (ROOT / where).read_text() if (ROOT / where).exists() else ""
            assert re.search(rf"def {name}\(", text), f"{key}: {COVERED_ELSEWHERE[key]} is gone"
            assert comparable and key not in CASES and key not in PENDING, key
            continue
        if comparable and key not in CASES:
            problems.append(
                f"{key}: its routes are wired and the command exists: add a parity case"
                + (" and remove it from PENDING" if key in PENDING else "")
            )
        if not comparable and key not in PENDING:
            problems.append(f"{key}: not comparable yet ({row['api']}): list it in PENDING")
        if key in CASES:
            for case in CASES[key]:
                assert _norm(case.route()) in {_norm(o) for o in ops}, (
                    f"{key}: {case.route()} is not its twin"
                )
    assert not problems, "\n".join(problems)
    assert set(CASES) <= commands and set(PENDING) <= commands


def _norm(key: str) -> str:
    return re.sub(r"/[0-9a-f-]{36}|/\{[^}]+\}", "/{}", key)


# ------------------------------------------------------------------ the comparison


class FixedUuids:
    """uuid4 for new rows from a counter, restarted before each shell, so both create the same ids."""

    def __init__(self) -> None:
        self.n = 0

    def uuid4(self) -> _uuid.UUID:
        self.n += 1
        return _uuid.UUID(int=0xA9B0_0000_0000_4000_8000_0000_0000_0000 + self.n)


def _fill(value: Any, refs: dict[str, Any]) -> Any:
    if isinstance(value, str):
        return value.format(**refs)
    if isinstance(value, list):
        return [_fill(v, refs) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, refs) for k, v in value.items()}
    return value


def _masked(raw: bytes, keys: tuple[str, ...]) -> bytes:
    for k in keys:
        raw = re.sub(rb'"' + k.encode() + rb'":"[^"]*"', b'"' + k.encode() + b'":"***"', raw)
    return raw


def _refs(demo_base: tuple[Path, dict[str, Any]]) -> dict[str, Any]:
    from pcrm.services import contacts
    from pcrm.services.context import open_context

    home, refs = demo_base
    with open_context(home / "pcrm.db") as ctx:
        c = contacts.get_contact(ctx, refs["contact"]).data
        from pcrm.services import organizations

        org2 = organizations.get_organization(ctx, refs["org2"]).data
    return {
        **refs,
        "contact_email": c["emails"][0] if c["emails"] else "nobody@example.com",
        "contact_tags": c["tags"],
        "first_tag": c["tags"][0] if c["tags"] else "none",
        "org2_name": org2["name"],
    }


ALL_CASES = [
    pytest.param(key, case, id=f"{key[5:]}#{i}")
    for key, cases in CASES.items()
    for i, case in enumerate(cases)
]


@pytest.mark.parametrize(("command", "case"), ALL_CASES)
def test_cli_json_and_api_answer_the_same_bytes(
    command: str, case: Case, demo_base: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from pcrm.api.app import create_app
    from pcrm.cli import app as cli_app
    from pcrm.store import rows

    refs = _refs(demo_base)
    base, _ = demo_base
    ids = FixedUuids()
    monkeypatch.setattr(rows, "_uuid", ids)
    monkeypatch.setenv("PCRM_NOW", NOW)

    # the CLI on one copy of the store
    cli_home = copy_store(base, tmp_path / "cli")
    monkeypatch.setenv("PCRM_HOME", str(cli_home))
    argv = [*shlex.split(case.cli.format(**refs)), "--json"]
    result = CliRunner().invoke(cli_app, argv)
    assert result.exit_code in (0, 1), (
        argv,
        result.exit_code,
        result.stdout,
        result.stderr,
        result.exception,
    )
    cli_out = result.stdout_bytes

    # the API on another copy
    ids.n = 0
    api_home = copy_store(base, tmp_path / "api")
    monkeypatch.setenv("PCRM_HOME", str(api_home))
    body = case.body(refs) if callable(case.body) else _fill(case.body, refs)
    with checked_client(create_app()) as client:
        r = client.request(
            case.method,
            "/api/v1" + case.url.format(**refs),
            json=body,
            headers={"Authorization": f"Bearer {refs['token']}"},
        )

    assert (r.status_code < 300) == (result.exit_code == 0), (r.status_code, r.text, result.stderr)
    if not case.exact:
        assert r.status_code >= 400 and r.json()["error"]["code"] == json.loads(cli_out)["error"]["code"]
        return
    assert _masked(cli_out, case.mask) == _masked(r.content + b"\n", case.mask), (
        f"pcrm {' '.join(argv)}\n  cli: {cli_out[:600]!r}\n  api: {r.content[:600]!r}"
    )
    if r.status_code >= 400:
        assert r.json()["error"]["code"] == json.loads(cli_out)["error"]["code"]
