"""Serving avatars and logos at /static/avatars/NAME [static-avatars]."""

from __future__ import annotations

from typing import Any

from pcrm import paths

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def _put(name: str, body: bytes) -> None:
    d = paths.avatars_dir()
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(body)


def test_an_avatar_is_served_with_the_type_of_its_bytes(empty_api: Any) -> None:
    _put("abc.jpg", JPEG)
    _put("org_x.png", PNG)
    _put("ico.png", b"\x00\x00\x01\x00" + b"\x00" * 20)  # favicons are saved as .png whatever they are
    for name, body, kind in (
        ("abc.jpg", JPEG, "image/jpeg"),
        ("org_x.png", PNG, "image/png"),
        ("ico.png", None, "image/x-icon"),
    ):
        r = empty_api.get(f"/static/avatars/{name}")
        assert r.status_code == 200, r.text
        assert r.headers["content-type"] == kind
        assert r.headers["x-content-type-options"] == "nosniff"
        if body is not None:
            assert r.content == body
        assert "content-disposition" not in r.headers


def test_svg_or_html_saved_as_a_logo_is_never_served_as_a_document(empty_api: Any) -> None:
    _put("org_evil.png", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>")
    r = empty_api.get("/static/avatars/org_evil.png")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/octet-stream"
    assert r.headers["content-disposition"] == "attachment"
    assert "sandbox" in r.headers["content-security-policy"]


def test_it_needs_a_token(empty_api: Any) -> None:
    _put("abc.jpg", JPEG)
    r = empty_api.get("/static/avatars/abc.jpg", headers={"Authorization": ""})
    assert r.status_code == 401


def test_no_path_traversal_hidden_files_or_links(empty_api: Any) -> None:
    (paths.home() / "secret.txt").write_text("top secret")
    _put(".hidden.png", PNG)
    link = paths.avatars_dir() / "link.png"
    link.symlink_to(paths.home() / "secret.txt")
    for name in (
        "..%2Fsecret.txt",
        "..%2F..%2Fpcrm.db",
        "%2E%2E%2Fsecret.txt",
        "..%5Csecret.txt",
        ".hidden.png",
        "link.png",
        "missing.png",
        "abc%00.png",
    ):
        r = empty_api.get(f"/static/avatars/{name}")
        assert r.status_code == 404, (name, r.status_code)
        assert b"top secret" not in r.content
    r = empty_api.get("/static/avatars/../secret.txt")
    assert b"top secret" not in r.content


def _contact_with_avatar(api: Any) -> tuple[str, str]:
    """A contact whose avatar file exists: (its id, the avatar_url the API answers)."""
    cid = api.post("/api/v1/contacts", json={"full_name": "Ada Lovelace"}).json()["data"]["id"]
    _put(f"{cid}.jpg", JPEG)
    r = api.put(f"/api/v1/contacts/{cid}", json={"avatar_url": f"/static/avatars/{cid}.jpg"})
    assert r.status_code == 200, r.text
    return cid, api.get(f"/api/v1/contacts/{cid}").json()["data"]["avatar_url"]


def test_the_answered_avatar_url_opens_in_an_img_without_a_token(empty_api: Any) -> None:
    """[avatar-links]: an <img src> cannot send a bearer token; the URL the API answers carries its own
    signature for that file."""
    cid, url = _contact_with_avatar(empty_api)
    assert url.startswith(f"/static/avatars/{cid}.jpg?sig=")
    r = empty_api.get(url, headers={"Authorization": ""})
    assert r.status_code == 200, r.text
    assert r.content == JPEG
    # the list and the stored value: the list is signed too, the store keeps the bare path
    listed = empty_api.get("/api/v1/contacts").json()["data"]
    assert listed[0]["avatar_url"] == url


def test_a_signed_link_opens_only_its_file_and_only_for_a_while(empty_api: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("PCRM_NOW", "2026-07-01T08:00:00Z")
    cid, url = _contact_with_avatar(empty_api)
    sig = url.split("?sig=", 1)[1]
    _put("other.jpg", JPEG)
    anon = {"Authorization": ""}
    base = url.split("?", 1)[0]
    for bad in (
        f"/static/avatars/other.jpg?sig={sig}",
        url[:-2] + ("00" if url[-2:] != "00" else "11"),
        f"{base}?sig=%C2%B2.abcd",  # a digit to str.isdigit, not to int()
        f"{base}?sig={'9' * 5000}.abcd",  # past int()'s 4,300 digits
    ):
        r = empty_api.get(bad, headers=anon)
        assert r.status_code == 401, (bad, r.text)
        assert "signature is not valid" in r.json()["error"]["message"]
    # handed out in the 06:00-12:00 window, it opens until the end of the next one
    monkeypatch.setenv("PCRM_NOW", "2026-07-01T17:59:00Z")
    assert empty_api.get(url, headers=anon).status_code == 200
    monkeypatch.setenv("PCRM_NOW", "2026-07-01T18:00:00Z")
    r = empty_api.get(url, headers=anon)
    assert r.status_code == 401
    assert r.json()["error"]["message"] == "the avatar link has expired"
    assert "avatar_url" in r.json()["error"]["hint"]
    # a token still opens it, and a fresh read hands out a fresh link
    assert empty_api.get(url.split("?", 1)[0]).status_code == 200
    fresh = empty_api.get(f"/api/v1/contacts/{cid}").json()["data"]["avatar_url"]
    assert fresh != url and empty_api.get(fresh, headers=anon).status_code == 200


def test_sending_back_a_signed_avatar_url_stores_the_plain_path(empty_api: Any) -> None:
    cid, url = _contact_with_avatar(empty_api)
    assert empty_api.put(f"/api/v1/contacts/{cid}", json={"avatar_url": url}).status_code == 200
    from typer.testing import CliRunner

    from pcrm.cli import app

    shown = CliRunner().invoke(app, ["contacts", "show", cid, "--json"])  # the CLI prints what is stored
    assert shown.exit_code == 0, shown.output
    assert f'"avatar_url":"/static/avatars/{cid}.jpg"' in shown.stdout


def test_only_avatar_fields_are_signed(empty_api: Any) -> None:
    # a note whose whole text is an avatar path is text, not a link to sign: a signature for it would open
    # the picture to whoever wrote the note [avatar-links]
    cid, url = _contact_with_avatar(empty_api)
    path = url.split("?", 1)[0]
    r = empty_api.post(f"/api/v1/contacts/{cid}/interactions", json={"content_preview": path})
    assert r.status_code in (200, 201), r.text
    notes = empty_api.get(f"/api/v1/contacts/{cid}/interactions").json()["data"]
    assert [n["content_preview"] for n in notes] == [path]
    assert "?sig=" in empty_api.get(f"/api/v1/contacts/{cid}").json()["data"]["avatar_url"]
