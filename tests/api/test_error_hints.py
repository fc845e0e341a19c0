"""Every refusal says what to do next [error-detail]: a body of `[]`, a query parameter given twice and an
upload's `file` sent as text came back with hint null."""

from __future__ import annotations

import re
from typing import Any

from tests.support.api import UNKNOWN, V


def _path(o: Any, contact: str) -> str:
    return V + re.sub(r"\{contact_id\}", contact, re.sub(r"\{(?!contact_id)[^}]+\}", UNKNOWN, o.path))


def _hinted(r: Any) -> bool:
    return (
        not (400 <= r.status_code < 500)
        or r.status_code in (401, 403, 404, 405, 409)
        or bool(r.json()["error"]["hint"])
    )


def test_the_three_found_say_what_to_do(api: Any, demo: dict[str, Any]) -> None:
    r = api.post(f"{V}/contacts", json=[])
    assert r.status_code == 422 and "not a list; this body takes: " in r.json()["error"]["hint"]
    r = api.get(f"{V}/contacts?page=1&page=2")
    assert r.json()["error"]["hint"] == "give it once, e.g. /api/v1/contacts?page=1"
    r = api.post(f"{V}/contacts/import/csv", json={"file": "abc"})
    assert r.status_code == 422 and "multipart/form-data" in r.json()["error"]["hint"]


def test_every_route_refusing_a_body_that_is_no_object_says_what_to_send(
    api: Any, demo: dict[str, Any]
) -> None:
    from pcrm.api.routes import all_ops

    bodied = [o for o in all_ops() if o.body is not None and not o.todo]
    assert len(bodied) > 20
    for o in bodied:
        for sent in ([], "text", 3):
            r = api.request(o.method, _path(o, demo["contact"]), json=sent)
            assert _hinted(r), (o.key, sent, r.text)


def test_every_query_parameter_given_twice_says_to_give_it_once(api: Any, demo: dict[str, Any]) -> None:
    from pcrm.api.routes import all_ops

    for o in all_ops():
        if o.method != "GET" or not o.query or o.todo:
            continue
        name = o.query[0].name
        r = api.get(_path(o, demo["contact"]) + f"?{name}=1&{name}=2")
        assert _hinted(r), (o.key, r.text)
