"""The reference's 422 `detail` list has FastAPI's shape [error-detail]: `loc` names where the value came from
(["query", "page"], ["path", ...], ["body", "tags", 0], ["body"] for the whole body) and `type` is
pydantic's where pcrm knows it (missing, int_parsing, string_type, extra_forbidden, ...), value_error else.
pcrm's own envelope (error.details.fields) is unchanged."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.api import V, assert_error


def _detail(r: Any) -> list[dict[str, Any]]:
    body = assert_error(r, "validation_error", 422)
    for f in body["error"]["details"]["fields"]:
        assert set(f) == {"field", "message"}  # the envelope as before
    assert [d["msg"] for d in body["detail"]] == [f["message"] for f in body["error"]["details"]["fields"]]
    return [{"loc": d["loc"], "type": d["type"]} for d in body["detail"]]


@pytest.mark.parametrize(
    ("query", "loc", "kind"),
    [
        ({"page": "abc"}, ["query", "page"], "int_parsing"),
        ({"page": "0"}, ["query", "page"], "greater_than_equal"),
        ({"page_size": "1000"}, ["query", "page_size"], "less_than_equal"),
        ({"shoe": "42"}, ["query", "shoe"], "extra_forbidden"),
    ],
)
def test_query_parameter_errors_are_in_the_query(
    api: Any, query: dict[str, str], loc: list[Any], kind: str
) -> None:
    assert _detail(api.get(f"{V}/contacts", params=query)) == [{"loc": loc, "type": kind}]


def test_a_missing_required_query_parameter(api: Any) -> None:
    assert _detail(api.get(f"{V}/contacts/map")) == [{"loc": ["query", "bbox"], "type": "missing"}]


def test_an_unknown_query_parameter_on_a_route_with_a_body(api: Any) -> None:
    r = api.post(f"{V}/contacts", params={"shoe": "1"}, json={"full_name": "X"})
    assert _detail(r) == [{"loc": ["query", "shoe"], "type": "extra_forbidden"}]


def test_body_fields_nested_positions_and_types(api: Any) -> None:
    r = api.post(f"{V}/contacts", json={"full_name": 5, "tags": ["ok", 7], "shoe": 1})
    got = _detail(r)
    assert {"loc": ["body", "full_name"], "type": "string_type"} in got
    assert {"loc": ["body", "tags", 1], "type": "string_type"} in got
    assert {"loc": ["body", "shoe"], "type": "extra_forbidden"} in got


def test_a_required_body_field_is_missing(api: Any) -> None:
    r = api.post(f"{V}/auth/login", json={"email": "ada@example.com"})
    assert _detail(r) == [{"loc": ["body", "password"], "type": "missing"}]


def test_a_body_that_is_not_an_object_is_the_whole_body(api: Any) -> None:
    assert _detail(api.post(f"{V}/contacts", json=[1, 2])) == [
        {"loc": ["body"], "type": "model_attributes_type"}
    ]


def test_a_service_rule_on_a_body_field_stays_a_value_error(api: Any) -> None:
    r = api.post(f"{V}/contacts", json={"full_name": "X", "birthday": "32/13"})
    assert _detail(r) == [{"loc": ["body", "birthday"], "type": "value_error"}]


def _read_ops_with_query() -> list[Any]:
    from pcrm.api.routes import all_ops

    return [
        pytest.param(o, id=f"{o.method} {o.full_path}")
        for o in all_ops()
        if o.method == "GET" and o.implemented and o.raw is None and o.query and o.body is None
    ]


@pytest.mark.parametrize("o", _read_ops_with_query())
def test_every_query_parameter_error_is_in_the_query(api: Any, o: Any) -> None:
    """A service's own rule on a query parameter (`check_length("search", ...)`) came back at
    ["body", "search"] on GET /organizations, while /contacts said ["query", "search"]: the loc of any
    error on a value given in the query string is ["query", name], whichever layer refused it."""
    contact = api.get(f"{V}/contacts", params={"page_size": 1}).json()["data"][0]["id"]
    org = api.get(f"{V}/organizations", params={"page_size": 1}).json()["data"][0]["id"]
    ids = {"contact_id": contact, "other_id": contact, "org_id": org, "interaction_id": "0"}
    path = o.full_path
    for name, value in ids.items():
        path = path.replace("{" + name + "}", value)
    for p in o.query:
        for bad in ("a" * 5000, "-1", "x", "9" * 40):
            r = api.get(path, params={p.name: bad})
            assert r.status_code < 500, (o.full_path, p.name, r.text)
            if r.status_code == 422:
                locs = [d["loc"] for d in r.json()["detail"]]
                assert all(loc[0] == "query" for loc in locs), (o.full_path, p.name, bad[:10], locs)


def test_the_cli_json_places_them_as_the_api_does(api: Any, cli: Any, demo: Any) -> None:
    """The CLI's --json gives the same `detail` as the API: its options stand for the query string."""
    long = "a" * 201
    got = cli.json("orgs", "list", "--search", long, ok=False)
    assert [d["loc"] for d in got["detail"]] == [["query", "search"]]
    assert got["detail"] == api.get(f"{V}/organizations", params={"search": long}).json()["detail"]
    contact = api.get(f"{V}/contacts", params={"page_size": 1}).json()["data"][0]["id"]
    got = cli.json("interactions", "list", contact, "--platform", "pigeon", ok=False)
    assert [d["loc"] for d in got["detail"]] == [["query", "platform"]]
    r = api.get(f"{V}/contacts/{contact}/interactions", params={"platform": "pigeon"})
    assert got["detail"] == r.json()["detail"]


def test_a_multipart_form_field_is_in_the_body(api: Any) -> None:
    # an upload's options are form fields, not query parameters: dry_run=maybe said ["query", "dry_run"]
    upload = {"file": ("people.csv", b"full_name,email\nZed Qa,zed@example.com\n", "text/csv")}
    r = api.post(f"{V}/contacts/import/csv", files=upload, data={"dry_run": "maybe"})
    assert _detail(r) == [{"loc": ["body", "dry_run"], "type": "value_error"}]
    r = api.post(f"{V}/contacts/import/linkedin", files=upload, data={"strict": "sometimes"})
    assert _detail(r) == [{"loc": ["body", "strict"], "type": "value_error"}]
    # the query string's flags stay the query's
    assert api.get(f"{V}/contacts", params={"has_birthday": "maybe"}).json()["detail"][0]["loc"] == [
        "query",
        "has_birthday",
    ]
    assert api.get(f"{V}/contacts", params={"search": "Zed Qa"}).json()["meta"]["total"] == 0


def test_an_upload_option_refused_names_its_form_field(api: Any) -> None:
    """A bad `tz` was field `timezone` at ["body", "timezone"], a field the form has not, and a bad `map`
    said "--map 'Vorname' is not COLUMN=FIELD", an option of the command line."""
    upload = {"file": ("people.csv", b"Vorname,email\nZed Qa,zed@example.com\n", "text/csv")}
    r = api.post(f"{V}/contacts/import/csv", files=upload, data={"tz": "Mars/Olympus"})
    assert _detail(r) == [{"loc": ["body", "tz"], "type": "value_error"}]
    assert r.json()["error"]["details"]["fields"][0]["field"] == "tz"
    for form, message in [
        ({"map": "Vorname"}, "map 'Vorname' is not COLUMN=FIELD"),
        ({"map": "Vorname=shoe_size"}, "map Vorname=shoe_size: pcrm has no field 'shoe_size'"),
        ({"map": "Rufname=given_name"}, "map Rufname=given_name: the file has no column 'Rufname'"),
    ]:
        body = api.post(f"{V}/contacts/import/csv", files=upload, data=form).json()
        assert (body["error"]["message"], body["detail"][0]["msg"]) == (message, message)
    assert api.get(f"{V}/contacts", params={"search": "Zed Qa"}).json()["meta"]["total"] == 0


@pytest.mark.parametrize("route", ["csv", "linkedin", "linkedin-messages"])
@pytest.mark.parametrize(
    ("form", "name", "message"),
    [
        ({"tz": "Mars/Olympus"}, "tz", "unknown time zone 'Mars/Olympus'"),
        ({"dry_run": "maybe"}, "dry_run", "dry_run must be true or false, not 'maybe'"),
        ({"strict": "often"}, "strict", "strict must be true or false, not 'often'"),
        ({"date_order": "xyz"}, "date_order", "unknown date order 'xyz'"),
        ({"map": "Vorname"}, "map", "map 'Vorname' is not COLUMN=FIELD"),
        ({"me": "ada@"}, "me", "me: 'ada@' is not an email address"),
    ],
)
def test_every_refused_upload_option_is_a_422_at_its_form_field(
    api: Any, route: str, form: dict[str, str], name: str, message: str
) -> None:
    """A bad `map` or `date_order` was a 400 with `detail` a string, where a bad `tz` or `dry_run` was the
    422 of every validation error [strict-validation]; a bad `me` was at ["body", "--me"], an option of the
    command line. The options are checked before the file, so a file the route does not take (a contacts
    CSV posted to /import/linkedin) does not hide them."""
    upload = {"file": ("people.csv", b"Vorname,email\nZed Qa,zed@example.com\n", "text/csv")}
    r = api.post(f"{V}/contacts/import/{route}", files=upload, data=form)
    assert _detail(r) == [{"loc": ["body", name], "type": "value_error"}]
    body = r.json()
    assert body["detail"][0]["msg"] == body["error"]["message"] == message
    assert body["error"]["details"]["fields"] == [{"field": name, "message": message}]
    assert "--" not in (body["error"]["hint"] or "")  # the hint names form fields, not the CLI's options
    assert api.get(f"{V}/contacts", params={"search": "Zed Qa"}).json()["meta"]["total"] == 0


def test_the_command_line_keeps_naming_its_options(cli: Any, tmp_path: Any) -> None:
    f = tmp_path / "people.csv"
    f.write_bytes(b"Vorname,email\nZed Qa,zed@example.com\n")
    res = cli.json("import", str(f), "--map", "Vorname", ok=False)
    assert res["error"]["message"] == "--map 'Vorname' is not COLUMN=FIELD"
    res = cli.json("import", str(f), "--tz", "Mars/Olympus", ok=False)
    fields = res["error"]["details"]["fields"]
    assert fields == [{"field": "tz", "message": "unknown time zone 'Mars/Olympus'"}]


@pytest.mark.parametrize(
    ("method", "path", "body", "hint"),
    [
        ("post", "/contacts", {"fullname": "Ada Lovelace"}, "did you mean full_name? this body takes: "),
        ("post", "/contacts", {"shoe": "42", "full_name": "Ada"}, "this body takes: "),
        ("put", "/settings/priority", {"hihg": 10}, "did you mean high? this body takes: high, low, medium"),
    ],
)
def test_an_unknown_body_field_names_what_the_body_takes(
    api: Any, method: str, path: str, body: dict[str, Any], hint: str
) -> None:
    """An unknown body field came back "unknown field" with no hint, where an unknown query parameter names
    what the route takes: a client's typo (`fullname`) now gets the field it meant."""
    r = getattr(api, method)(f"{V}{path}", json=body)
    got = assert_error(r, "validation_error", 422)
    assert got["error"]["hint"].startswith(hint), got["error"]
    if "did you" not in hint:
        assert "did you mean" not in got["error"]["hint"] and "full_name" in got["error"]["hint"]


def test_a_missing_field_or_query_parameter_names_what_is_needed(api: Any) -> None:
    """A missing body field ("Field required") or query parameter came back with no hint."""
    got = assert_error(
        api.post(f"{V}/organizations/merge", json={"source_ids": ["x"]}), "validation_error", 422
    )
    assert got["error"]["hint"] == "this body needs source_ids, target_id", got["error"]
    got = assert_error(api.get(f"{V}/contacts/map"), "validation_error", 422)
    assert got["error"]["hint"] == "add it to the query string: /api/v1/contacts/map?bbox=...", got["error"]


@pytest.mark.parametrize(
    ("path", "body", "hint"),
    [
        ("contacts", {"full_name": 123}, "full_name takes text (a JSON string)"),
        ("contacts", {"full_name": "Q", "tags": "x"}, "tags takes a list (a JSON array)"),
        ("contacts", {"full_name": "Q", "latitude": "abc"}, "latitude takes a number"),
        (
            "contacts",
            {"full_name": "Q", "priority_level": "urgent"},
            "use one of: high, medium, low, archived",
        ),
        (
            "organizations/merge",
            {"source_ids": "x", "target_id": "y"},
            "source_ids takes a list (a JSON array)",
        ),
    ],
)
def test_a_wrong_type_or_unknown_choice_says_what_the_field_takes(
    api: Any, path: str, body: dict[str, Any], hint: str
) -> None:
    """`POST /api/v1/contacts {"full_name": 123}` or `{"priority_level": "urgent"}`, refused by the request
    model, came back with hint null, where the other 422s say what to send [error-detail]."""
    before = api.get(f"{V}/contacts").json()["meta"]["total"]
    got = assert_error(api.post(f"{V}/{path}", json=body), "validation_error", 422)
    assert got["error"]["hint"] == hint, got["error"]
    assert api.get(f"{V}/contacts").json()["meta"]["total"] == before
