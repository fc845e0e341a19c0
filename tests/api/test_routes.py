"""The route table: the 122 reference operations, pcrm's own, the 501 list in the README, OpenAPI, docs."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from tests.support.api import assert_error

pytestmark = pytest.mark.anyio

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
REFERENCE_MD = ROOT.parent / "shared" / "spec" / "api-reference.md"


def reference_list() -> list[str]:
    return [
        line.strip()
        for line in (HERE / "reference_routes.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]


def ops() -> list[Any]:
    from pcrm.api.routes import all_ops

    return all_ops()


def test_reference_list_is_the_122_operations() -> None:
    ref = reference_list()
    assert len(ref) == 122 and len(set(ref)) == 122


def test_reference_list_matches_the_shared_spec() -> None:
    if not REFERENCE_MD.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{REFERENCE_MD} is missing: CI must have ../shared beside the checkout")
        pytest.skip("../shared is not beside this checkout")
    from_md = re.findall(
        r"^\| (GET|POST|PUT|PATCH|DELETE) \| (\S+) \|", REFERENCE_MD.read_text(), re.MULTILINE
    )
    assert [f"{m} {p}" for m, p in from_md] == reference_list()


def test_every_reference_operation_is_routed_and_the_rest_are_marked_pcrm() -> None:
    table = {o.key: o for o in ops()}
    ref = set(reference_list())
    assert ref <= set(table), sorted(ref - set(table))
    extra = {k for k in table if k not in ref}
    assert extra and all(table[k].pcrm for k in extra), sorted(k for k in extra if not table[k].pcrm)
    assert not any(table[k].pcrm for k in ref)
    # [pcrm-routes] own routes
    for key in (
        "GET /api/v1/calendar.ics",
        "GET /api/v1/auth/google/return",
        "GET /api/v1/version",
        "POST /api/v1/organizations/scan-duplicates",
        "GET /api/v1/organizations/duplicates",
    ):
        assert key in extra


def test_wired_operations_point_at_service_functions() -> None:
    import importlib

    for o in ops():
        target = getattr(o.call, "target", None)
        if target:
            module, _, name = target.partition(":")
            assert callable(getattr(importlib.import_module(module), name)), target


async def test_static_paths_win_over_path_parameters(client: Any, script: dict[str, str]) -> None:
    r = await client.get("/api/v1/contacts/ids", headers=script)
    assert r.status_code == 200 and r.json()["data"] == []
    r = await client.get("/api/v1/contacts/tags", headers=script)
    assert r.status_code == 200 and r.json()["data"] == []
    r = await client.get("/api/v1/contacts/overdue", headers=script)
    assert r.status_code == 200
    r = await client.get("/api/v1/contacts/2nd-tier/count", headers=script)
    assert r.status_code == 200 and r.json()["data"] == {"count": 0}
    r = await client.get("/api/v1/organizations/duplicates", headers=script)
    assert r.status_code == 200 and r.json()["data"] == []


def _readme_501() -> set[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## The daemon and the API", 1)[1]
    section = re.split(r"\n## ", section, maxsplit=1)[0]
    block = section.split("<!-- 501 routes: start -->", 1)[1].split("<!-- 501 routes: end -->", 1)[0]
    return {m.group(1) for m in re.finditer(r"^- `([A-Z]+ /\S+)`", block, re.MULTILINE)}


def test_readme_lists_exactly_the_501_routes() -> None:
    from pcrm.api.routes import not_implemented

    assert _readme_501() == {o.key for o in not_implemented()}


def test_no_reference_route_answers_501() -> None:
    from pcrm.api.routes import not_implemented

    assert [o.key for o in not_implemented()] == []


async def test_a_route_declared_todo_answers_501_naming_its_capability(
    pcrm_home: Any, script: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The 501 path stays for routes a later capability declares before building them."""
    import dataclasses

    from asgi_lifespan import LifespanManager

    from pcrm.api import app as app_module
    from pcrm.api.routes import all_ops
    from tests.support.api import client_for, make_app

    real = all_ops()
    victim = next(o for o in real if o.key == "GET /api/v1/contacts/tags")
    todo = dataclasses.replace(victim, call=None, raw=None, todo="a capability to come")
    monkeypatch.setattr(app_module, "all_ops", lambda: [todo if o is victim else o for o in real])
    a = make_app()
    async with LifespanManager(a), client_for(a) as client:
        r = await client.get("/api/v1/contacts/tags", headers=script)
        body = assert_error(r, "not_implemented", 501)
        assert body["error"]["details"]["capability"] == "a capability to come"
        assert "a capability to come" in body["error"]["message"]
        assert (await client.get("/api/v1/contacts/tags")).status_code == 401  # 401 before 501
        d = (await client.get("/api/v1/openapi.json")).json()["paths"]["/api/v1/contacts/tags"]["get"]
        assert d["x-pcrm-not-implemented"] == "a capability to come" and "501" in d["responses"]


async def test_openapi_document_covers_every_operation(client: Any) -> None:
    r = await client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    assert doc["openapi"].startswith("3.1")
    for o in ops():
        d = doc["paths"][o.full_path][o.method.lower()]
        assert d["summary"] == o.summary
        assert ("x-pcrm" in d) == o.pcrm
        assert d["security"] == ([] if o.public else [{"bearer": []}])
        if o.todo:
            assert d["x-pcrm-not-implemented"] == o.todo and "501" in d["responses"]
        elif o.raw is None:
            ok = d["responses"][str(o.status)]["content"]["application/json"]["schema"]
            assert ok["properties"]["data"], f"{o.key} has no data schema"
            if o.body is not None:
                assert "requestBody" in d
    ids = [d["operationId"] for p in doc["paths"].values() for d in p.values()]
    assert len(ids) == len(set(ids)) == len(ops())
    contact = doc["components"]["schemas"]["Contact"]
    assert "relationship_score" in contact["properties"]
    get_contact = doc["paths"]["/api/v1/contacts/{contact_id}"]["get"]
    assert get_contact["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["data"] == {
        "$ref": "#/components/schemas/ContactDetail"
    }
    # read on its own a contact is the Contact (the reference's fields, their types unchanged) plus each
    # phone's and e-mail's label [value-labels] and the values it keeps beside them [other-values]
    detail = doc["components"]["schemas"]["ContactDetail"]["properties"]
    assert {k: detail[k] for k in contact["properties"]} == contact["properties"]
    assert set(detail) - set(contact["properties"]) == {"phone_labels", "email_labels", "other_values"}
    other = doc["components"]["schemas"]["OtherValue"]
    assert set(other["required"]) == set(other["properties"]) == {"what", "value", "kind", "label", "raw"}


async def test_docs_page_lists_every_operation_and_loads_nothing_from_outside(client: Any) -> None:
    r = await client.get("/api/docs")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    for o in ops():
        assert f"<code>{o.full_path}</code>" in page
    assert "<script" not in page.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page, re.IGNORECASE)
    assert "default-src 'none'" in r.headers["content-security-policy"]


def test_the_readme_lists_every_route_of_pcrms_own() -> None:
    """The README's list of pcrm's own routes (x-pcrm) left out GET /contacts/bulk-updates and POST
    /contacts/bulk-updates/{id}/undo: it is read against the route table, both ways."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    start = readme.index("pcrm's own routes, beyond the reference API")
    listed = set(re.findall(r"`([A-Z]+ /[^`\s]+)`", readme[start : readme.index("\n\n", start)]))
    own = {f"{o.method} {o.full_path}" for o in ops() if o.pcrm}
    assert own - listed == set(), "add these to the README's list of pcrm's own routes"
    assert listed - own == set(), "the README lists these as pcrm's own routes; the route table has not"
