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
