"""`cors_origins` takes a JSON list as well as a comma-separated string, and refuses what is not an origin."""

from __future__ import annotations

from typing import Any

EXT = "abcdefghijklmnopabcdefghijklmnop"


def test_a_json_list_or_commas_and_the_daemon_allows_them(cli: Any) -> None:
    cli("settings", "set", "cors_origins", f'["https://App.Example.com/", "{EXT}"]')
    assert cli.json("settings", "show", "cors_origins")["data"] == {
        "cors_origins": ["https://app.example.com", EXT]
    }
    cli("settings", "set", "cors_origins", f"http://localhost:5173, chrome-extension://{EXT}")
    assert cli.json("settings", "show", "cors_origins")["data"]["cors_origins"] == [
        "http://localhost:5173",
        f"chrome-extension://{EXT}",
    ]


def test_what_is_not_an_origin_is_refused_and_changes_nothing(cli: Any) -> None:
    cli("settings", "set", "cors_origins", EXT)
    for bad in (
        "https://example.com/path",
        "not an origin",
        "ftp://example.com",
        '["https://ok.example", 5]',
    ):
        r = cli.json("settings", "set", "cors_origins", bad, ok=False)
        assert r["error"]["code"] == "validation_error" and r["error"]["hint"]
    assert cli.json("settings", "show", "cors_origins")["data"]["cors_origins"] == [EXT]
