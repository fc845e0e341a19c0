"""`pcrm account create | show | password` [local-account]: a CLI-only user makes the login the web UI and
the extension's pairing need, through the same services as POST /auth/register and /auth/change-password;
the password is never echoed nor printed."""

from __future__ import annotations

import json
from typing import Any

import anyio
import pytest
from asgi_lifespan import LifespanManager

from pcrm.cli import _output
from tests.support.api import EMAIL, PASSWORD, client_for, make_app

NEW = "a much longer passphrase"


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_output, "at_terminal", lambda: True)


def _hash(store: Any) -> str:
    return str(store.q("SELECT hashed_password FROM users")[0][0])


async def _login(password: str) -> int:
    """POST /api/v1/auth/login's status over ASGI, on the store the CLI wrote."""
    app = make_app()
    async with LifespanManager(app), client_for(app) as client:
        r = await client.post("/api/v1/auth/login", json={"email": EMAIL, "password": password})
        return r.status_code


def test_create_asks_twice_without_echo_and_the_web_login_works(cli: Any, store: Any, terminal: None) -> None:
    r = cli("account", "create", EMAIL, "--name", "Ada Lovelace", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert PASSWORD not in r.stdout + r.stderr
    assert "Password" in r.stderr and "created" in r.stderr
    assert _hash(store).startswith("$argon2id$")
    assert anyio.run(_login, PASSWORD) == 200
    shown = cli.json("account", "show")["data"]
    assert shown["email"] == EMAIL and shown["full_name"] == "Ada Lovelace"


def test_password_stdin_for_scripts_with_the_json_envelope(cli: Any, store: Any) -> None:
    r = cli("account", "create", EMAIL, "--password-stdin", "--json", input=PASSWORD + "\n")
    body = json.loads(r.stdout)
    assert body["error"] is None and body["data"]["email"] == EMAIL
    assert PASSWORD not in r.stdout + r.stderr
    assert _hash(store).startswith("$argon2id$")


def test_a_second_account_is_refused_before_asking(cli: Any, store: Any, terminal: None) -> None:
    cli("account", "create", EMAIL, "--password-stdin", input=PASSWORD + "\n")
    r = cli("account", "create", "bob@example.com", "--json", ok=False, input=f"{NEW}\n{NEW}\n")
    err = json.loads(r.stdout)["error"]
    assert err["code"] == "conflict" and "`pcrm account password`" in err["hint"]
    assert "Password" not in r.stderr  # nobody was asked for a password that could not be used
    assert store.q("SELECT email FROM users") == [(EMAIL,)]


def test_off_a_terminal_it_refuses_and_creates_nothing(cli: Any, store: Any) -> None:
    r = cli("account", "create", EMAIL, "--json", ok=False, input=f"{PASSWORD}\n{PASSWORD}\n")
    err = json.loads(r.stdout)["error"]
    assert "--password-stdin" in err["hint"]
    assert store.q("SELECT count(*) FROM users") == [(0,)]


def test_a_short_password_is_refused(cli: Any, store: Any) -> None:
    r = cli("account", "create", EMAIL, "--password-stdin", "--json", ok=False, input="short\n")
    assert json.loads(r.stdout)["error"]["code"] == "validation_error"
    assert store.q("SELECT count(*) FROM users") == [(0,)]


async def _answer(path: str, body: dict[str, str], token: bool = False) -> tuple[int, bytes]:
    """The status and body of a POST over ASGI, on the store the CLI wrote (with the account's login)."""
    app = make_app()
    async with LifespanManager(app), client_for(app) as client:
        headers = {}
        if token:
            login = {"email": EMAIL, "password": PASSWORD}
            jwt = (await client.post("/api/v1/auth/login", json=login)).json()["data"]["access_token"]
            headers = {"Authorization": f"Bearer {jwt}"}
        r = await client.post(path, json=body, headers=headers)
        return r.status_code, r.content


@pytest.mark.parametrize("password", ["short", "x" * 1025])
def test_a_password_of_the_wrong_length_gets_the_clis_answer_from_the_api(cli: Any, password: str) -> None:
    # the API's request model refused it first, in pydantic's words ("String should have at least 8
    # characters", type string_too_short) and without the CLI's hint [one-envelope]
    r = cli("account", "create", EMAIL, "--password-stdin", "--json", ok=False, input=password + "\n")
    body = {"email": EMAIL, "password": password}
    assert anyio.run(_answer, "/api/v1/auth/register", body) == (422, r.stdout_bytes.rstrip(b"\n"))
    cli("account", "create", EMAIL, "--password-stdin", input=PASSWORD + "\n")
    r = cli("account", "password", "--password-stdin", "--json", ok=False, input=f"{PASSWORD}\n{password}\n")
    body = {"current_password": PASSWORD, "new_password": password}
    got = anyio.run(_answer, "/api/v1/auth/change-password", body, True)
    assert got == (422, r.stdout_bytes.rstrip(b"\n"))


def test_a_new_password_that_is_the_current_one_is_refused_by_the_cli_and_the_api(
    cli: Any, store: Any, terminal: None
) -> None:
    # it succeeded without a word, changing nothing but voiding every login token
    cli("account", "create", EMAIL, "--password-stdin", input=PASSWORD + "\n")
    before = _hash(store)
    r = cli("account", "password", ok=False, input=f"{PASSWORD}\n{PASSWORD}\n{PASSWORD}\n")
    assert r.exit_code == 1 and "the new password is the one you have now" in r.stderr
    assert "hint: choose a password other than the current one" in r.stderr
    r = cli("account", "password", "--password-stdin", "--json", ok=False, input=f"{PASSWORD}\n{PASSWORD}\n")
    assert json.loads(r.stdout)["error"]["code"] == "bad_request"
    body = {"current_password": PASSWORD, "new_password": PASSWORD}
    got = anyio.run(_answer, "/api/v1/auth/change-password", body, True)
    assert got == (400, r.stdout_bytes.rstrip(b"\n"))
    assert _hash(store) == before and anyio.run(_login, PASSWORD) == 200


def test_a_stdin_that_ends_before_the_new_password_is_refused_with_a_hint(cli: Any, store: Any) -> None:
    # it said "new_password is required" (the API's field, no hint) as if the user had sent an empty one
    cli("account", "create", EMAIL, "--password-stdin", input=PASSWORD + "\n")
    before = _hash(store)
    r = cli("account", "password", "--password-stdin", "--json", ok=False, input=PASSWORD + "\n")
    err = json.loads(r.stdout)["error"]
    assert err["code"] == "bad_request"
    assert err["message"].startswith("--password-stdin read 1 of 2 lines (the current password then")
    assert "| pcrm account password --password-stdin" in err["hint"]
    assert _hash(store) == before


def test_password_changes_it_after_checking_the_current_one(cli: Any, store: Any, terminal: None) -> None:
    cli("account", "create", EMAIL, "--password-stdin", input=PASSWORD + "\n")
    before = _hash(store)
    wrong = cli("account", "password", ok=False, input=f"not it at all\n{NEW}\n{NEW}\n")
    assert "current password is wrong" in wrong.stderr and _hash(store) == before
    r = cli("account", "password", input=f"{PASSWORD}\n{NEW}\n{NEW}\n")
    assert PASSWORD not in r.stdout + r.stderr and NEW not in r.stdout + r.stderr
    assert _hash(store) != before and _hash(store).startswith("$argon2id$")
    assert anyio.run(_login, NEW) == 200 and anyio.run(_login, PASSWORD) == 401


def test_without_an_account_show_and_password_name_create(cli: Any, terminal: None) -> None:
    cli("init")
    for args in (("show",), ("password",)):
        r = cli("account", *args, ok=False, input=f"{PASSWORD}\n")
        assert "`pcrm account create EMAIL`" in r.stderr and "password:" not in r.stderr.lower()
