"""Accounts [local-account]: register once, login by JSON and form, me, change-password, delete."""

from __future__ import annotations

from typing import Any

import jwt
import pytest

from tests.support.api import EMAIL, PASSWORD, assert_error, bearer, ctx, script_token, web_token

pytestmark = pytest.mark.anyio


async def _register(client: Any, **kw: Any) -> Any:
    body = {"email": EMAIL, "password": PASSWORD, "full_name": "Ada Lovelace", **kw}
    return await client.post("/api/v1/auth/register", json=body)


def _claims(token: str) -> dict[str, Any]:
    return jwt.decode(token, options={"verify_signature": False})


async def test_register_once_then_conflict(client: Any) -> None:
    r = await _register(client)
    assert r.status_code == 201, r.text
    user = r.json()["data"]
    assert user["email"] == EMAIL and user["full_name"] == "Ada Lovelace"
    from pcrm.api.schemas import Registered

    Registered.model_validate(user)
    # the reference's registration answer carries the priority settings (defaults here)
    assert {k: user["priority_settings"][k] for k in ("high", "medium", "low")} == {
        "high": 30,
        "medium": 60,
        "low": 180,
    }
    assert user["priority_settings"]["suggestion_prefs"]["max_suggestions"] == 5
    again = await _register(client, email="other@example.com")
    body = assert_error(again, "conflict", 409)
    assert "login" in body["error"]["hint"]
    with ctx() as c:  # [me-setting]: `me` learns the account's email and name
        me = c.setting("me")
    assert EMAIL in me["emails"] and "Ada Lovelace" in me["names"]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"email": "not-an-email", "password": PASSWORD}, "email"),
        ({"email": EMAIL, "password": "short"}, "password"),
        ({"email": EMAIL}, "password"),
        ({"email": EMAIL, "password": PASSWORD, "admin": True}, "admin"),
    ],
)
async def test_register_validation(client: Any, body: dict[str, Any], field: str) -> None:
    r = await client.post("/api/v1/auth/register", json=body)
    err = assert_error(r, "validation_error", 422)["error"]
    assert field in [f["field"] for f in err["details"]["fields"]]
    with ctx() as c:
        from pcrm.store.auth import user_count

        assert user_count(c.conn) == 0  # bad input changes nothing


async def test_login_json_and_form(client: Any) -> None:
    await _register(client)
    r = await client.post("/api/v1/auth/login", json={"email": "ADA@example.com ", "password": PASSWORD})
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["token_type"] == "bearer"
    c = _claims(data["access_token"])
    assert c["aud"] == "pcrm-web" and c["exp"] - c["iat"] == 24 * 3600
    form = await client.post(
        "/api/v1/auth/login", data={"username": EMAIL, "password": PASSWORD, "remember_me": "true"}
    )
    assert form.status_code == 200, form.text
    c = _claims(form.json()["data"]["access_token"])
    assert c["exp"] - c["iat"] == 30 * 24 * 3600
    me = await client.get("/api/v1/auth/me", headers=bearer(form.json()["data"]["access_token"]))
    assert me.status_code == 200 and me.json()["data"]["email"] == EMAIL


async def test_login_refuses_bad_credentials(client: Any) -> None:
    await _register(client)
    for body in (
        {"email": EMAIL, "password": "wrong password"},
        {"email": "nobody@example.com", "password": PASSWORD},
    ):
        r = await client.post("/api/v1/auth/login", json=body)
        assert assert_error(r, "unauthorized", 401)["error"]["message"] == "incorrect email or password"


async def test_me_get_and_put(client: Any, account: dict[str, Any], web: dict[str, str]) -> None:
    r = await client.put("/api/v1/auth/me", json={"full_name": "Augusta Ada King"}, headers=web)
    assert r.status_code == 200 and r.json()["data"] == {"updated": True}
    r = await client.get("/api/v1/auth/me", headers=web)
    assert r.json()["data"]["full_name"] == "Augusta Ada King"
    r = await client.put("/api/v1/auth/me", json={"email": "x@example.com"}, headers=web)
    assert_error(r, "validation_error", 422)


async def test_change_password_ends_earlier_logins(
    client: Any, account: dict[str, Any], web: dict[str, str]
) -> None:
    r = await client.post(
        "/api/v1/auth/change-password",
        json={"current_password": "not it at all", "new_password": "another long one"},
        headers=web,
    )
    assert_error(r, "bad_request", 400)
    r = await client.post(
        "/api/v1/auth/change-password",
        json={"current_password": PASSWORD, "new_password": "short"},
        headers=web,
    )
    assert_error(r, "validation_error", 422)
    r = await client.post(
        "/api/v1/auth/change-password",
        json={"current_password": PASSWORD, "new_password": "another long one"},
        headers=web,
    )
    assert r.status_code == 200 and r.json()["data"] == {"updated": True}
    assert_error(await client.get("/api/v1/auth/me", headers=web), "unauthorized", 401)
    r = await client.post("/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD})
    assert_error(r, "unauthorized", 401)
    r = await client.post("/api/v1/auth/login", json={"email": EMAIL, "password": "another long one"})
    new = bearer(r.json()["data"]["access_token"])
    assert (await client.get("/api/v1/auth/me", headers=new)).status_code == 200


async def test_a_second_register_is_refused_before_the_password_is_hashed(
    client: Any, account: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """POST /auth/register (public) hashed the password (~0.5 s of CPU) before it looked whether an account
    existed: anyone could make the daemon spend it on a 409 known in advance. Now nothing is hashed."""
    from pcrm.services import auth

    hashed: list[str] = []
    monkeypatch.setattr(auth, "hash_password", lambda password: hashed.append(password) or "x")
    for body in (
        {"email": "other@example.com", "password": "a long enough password", "full_name": "Eve"},
        {"email": "other@example.com", "password": "short"},  # a 409 all the same: no account can be made
    ):
        r = await client.post("/api/v1/auth/register", json=body)
        assert_error(r, "conflict", 409)
    assert hashed == []


async def test_delete_account_needs_a_login_token_and_the_password(
    client: Any, account: dict[str, Any], web: dict[str, str]
) -> None:
    script = bearer(script_token())
    ext = bearer(web_token(account["id"], kind="extension"))
    r = await client.request("DELETE", "/api/v1/auth/me", json={"password": PASSWORD}, headers=script)
    assert_error(r, "forbidden", 403)
    r = await client.request("DELETE", "/api/v1/auth/me", json={"password": PASSWORD}, headers=ext)
    assert_error(r, "unauthorized", 401)
    r = await client.request("DELETE", "/api/v1/auth/me", json={"password": "wrong password"}, headers=web)
    assert_error(r, "bad_request", 400)
    r = await client.request("DELETE", "/api/v1/auth/me", json={}, headers=web)
    assert_error(r, "validation_error", 422)
    assert (await client.get("/api/v1/auth/me", headers=web)).status_code == 200  # nothing happened


async def test_delete_account_without_a_password_says_exactly_what_to_send(
    client: Any, account: dict[str, Any], web: dict[str, str]
) -> None:
    """The reference web UI deletes the account with `{}` (the reference asks nothing); pcrm keeps asking
    for the password, as deleting wipes the whole store. The refusal was pydantic's 'password: Field
    required': now it names the body to send, in `message`, `detail[].msg` (what a FastAPI client shows) and
    the hint, and nothing is deleted. The OpenAPI document still says the password is required."""
    said = (
        'deleting the account needs its password: send {"password": "..."} as the body; nothing was deleted'
    )
    for body in ({}, {"password": None}, {"password": ""}, None):
        r = await client.request("DELETE", "/api/v1/auth/me", json=body, headers=web)
        got = assert_error(r, "validation_error", 422)
        assert got["error"]["message"] == said
        assert got["detail"] == [{"loc": ["body", "password"], "msg": said, "type": "missing"}]
        assert '{"password": "<your account password>"}' in got["error"]["hint"]
    assert (await client.get("/api/v1/auth/me", headers=web)).status_code == 200  # nothing happened
    doc = (await client.get("/api/v1/openapi.json")).json()
    schema = doc["components"]["schemas"]["DeleteAccountIn"]
    assert schema["required"] == ["password"] and schema["properties"]["password"]["type"] == "string"


async def test_delete_account_backs_up_then_wipes_store_avatars_and_secrets(
    client: Any, account: dict[str, Any], web: dict[str, str], pcrm_home: Any
) -> None:
    from pathlib import Path

    from pcrm import paths, secrets

    created = await client.post(
        "/api/v1/contacts", json={"full_name": "Charles Babbage", "emails": ["cb@example.com"]}, headers=web
    )
    assert created.status_code == 201
    script = bearer(script_token())
    paths.avatars_dir().mkdir(parents=True, exist_ok=True)
    (paths.avatars_dir() / "x.png").write_bytes(b"png")
    assert secrets.get("jwt_secret")

    r = await client.request("DELETE", "/api/v1/auth/me", json={"password": PASSWORD}, headers=web)
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["deleted"] is True
    backup = Path(data["backup"])
    assert backup.exists() and backup.parent == paths.backups_dir()
    import apsw

    old = apsw.Connection(str(backup))
    assert old.execute("SELECT count(*) FROM contacts").fetchone()[0] == 1
    assert old.execute("SELECT count(*) FROM users").fetchone()[0] == 1
    old.close()

    assert list(paths.avatars_dir().iterdir()) == []
    assert secrets.names() == []
    with ctx() as c:
        from pcrm.store.db import ALL_PRIVATE_AT

        for table in ("contacts", "users", "api_tokens", "contact_emails"):
            assert c.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
        # the only setting: the opening above noting it made pcrm's files private [private-files]
        assert c.conn.execute("SELECT key FROM settings").fetchall() == [(ALL_PRIVATE_AT,)]
        from pcrm.store.backup import integrity

        assert integrity(c.conn) == []
    # every credential of the old account is dead; a new account can be registered
    assert_error(await client.get("/api/v1/contacts", headers=web), "unauthorized", 401)
    assert_error(await client.get("/api/v1/contacts", headers=script), "unauthorized", 401)
    assert (await _register(client)).status_code == 201


async def test_delete_account_in_a_shared_home_leaves_the_users_own_photos(
    client: Any, account: dict[str, Any], web: dict[str, str], pcrm_home: Any
) -> None:
    """PCRM_HOME=$HOME: deleting the account removed the whole ~/avatars folder, the user's own photos and
    sub-folders with pcrm's. Now only the names pcrm writes there go [private-files]."""
    from pcrm import paths

    (pcrm_home / "notes.txt").write_text("the user's own")  # PCRM_HOME is their home folder
    avatars = paths.avatars_dir()
    (avatars / "2019").mkdir(parents=True, exist_ok=True)
    ours = [
        avatars / "1b4e28ba-2fa1-41d2-883f-0016d3cca427.jpg",
        avatars / "org_1b4e28ba-2fa1-41d2-883f-0016d3cca427.png",
    ]
    theirs = [avatars / "ada.jpg", avatars / "2019" / "beach.jpg", avatars / "pcrm-logo.png"]
    for p in ours + theirs:
        p.write_bytes(b"img")

    r = await client.request("DELETE", "/api/v1/auth/me", json={"password": PASSWORD}, headers=web)
    assert r.status_code == 200, r.text
    assert r.json()["meta"]["avatars_deleted"] == len(ours)
    assert [p for p in ours if p.exists()] == []
    assert [p.read_bytes() for p in theirs] == [b"img"] * len(theirs)
    assert (pcrm_home / "notes.txt").read_text() == "the user's own"


async def test_delete_account_leaves_nothing_of_the_deleted_data_in_the_store_file(
    client: Any, account: dict[str, Any], web: dict[str, str], pcrm_home: Any
) -> None:
    """After DELETE /auth/me, a grep of the store's bytes (the database and its -wal) found the deleted
    names, organizations and message text: the search indexes kept their segments (5,983 rows of
    contacts_fts_data on a demo store), freed pages kept their bytes and the file its size. The wipe now
    zeroes what it deletes, empties the indexes and rewrites the file, the WAL truncated [local-account].
    The backup taken first still holds everything, by design."""
    from pathlib import Path

    rows = "".join(
        f"Quibbleton{i} Zarkovian,quib{i}@vandelayimport.example,Vandelay Zyxwimport {i % 7}\n"
        for i in range(300)
    )
    upload = {"file": ("people.csv", f"full_name,email,company\n{rows}".encode(), "text/csv")}
    r = await client.post("/api/v1/contacts/import/csv", files=upload, headers=web)
    assert r.status_code in (200, 201, 202), r.text
    made = await client.post(
        "/api/v1/contacts",
        json={"full_name": "Ottoline Frumpelstein", "notes": "Snarfblat notes"},
        headers=web,
    )
    contact = made.json()["data"]["id"]
    for i in range(20):
        r = await client.post(
            f"/api/v1/contacts/{contact}/interactions",
            json={"content_preview": f"Gribbleworth message text {i}"},
            headers=web,
        )
        assert r.status_code == 201, r.text
    db = Path(pcrm_home) / "pcrm.db"
    marks = [b"Quibbleton", b"Zarkovian", b"vandelayimport", b"Zyxwimport", b"Frumpelstein", b"Snarfblat"]
    marks += [b"quibbleton", b"zarkovian", b"frumpelstein"]

    def read() -> bytes:
        return b"".join(p.read_bytes() for p in (db, db.with_name("pcrm.db-wal")) if p.exists())

    def found() -> set[bytes]:
        data = read()
        return {m for m in marks if m in data}

    assert found() == set(marks)  # folded forms too: the search documents hold them
    size = len(read())
    r = await client.request("DELETE", "/api/v1/auth/me", json={"password": PASSWORD}, headers=web)
    assert r.status_code == 200, r.text
    assert found() == set()
    wal = db.with_name("pcrm.db-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    assert len(read()) < size
    with ctx() as c:
        for table in ("contacts_fts_data", "contacts_fts_words_data", "interactions_fts_data"):
            # an empty FTS5 index keeps its structure record (and an averages record) alone
            assert c.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] <= 2, table
        from pcrm.store.backup import integrity

        assert integrity(c.conn) == []
    backup = Path(r.json()["data"]["backup"]).read_bytes()
    assert b"Quibbleton" in backup and b"Gribbleworth" in backup
    assert (await _register(client)).status_code == 201
