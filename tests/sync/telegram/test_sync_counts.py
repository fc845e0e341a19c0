"""A Telegram rerun that brings nothing new says the people and messages it was sent again are there already
[sync-counts], on the fake account at telethon's boundary, through the CLI."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.support.cli import Cli
from tests.sync.telegram.test_profiles_and_sending import T0, _now, connected  # noqa: F401


def _line(cli: Cli, *args: str) -> str:
    return cli(*args).stdout.strip().split(" in ", 1)[0]  # without "in N batches, M ms"


def test_a_telegram_rerun_with_nothing_new_says_everyone_is_unchanged(connected: Any, cli: Cli) -> None:  # noqa: F811
    first = _line(cli, "sync", "telegram")
    assert first == "telegram: 14 new contacts, 0 updated, 76 new interactions", first
    cli("sync", "reset", "telegram")  # every dialog and group fetched again
    again = _line(cli, "sync", "telegram")
    said = "telegram: 0 new contacts, 0 updated, 14 unchanged, 0 new interactions (76 already stored)"
    assert again == said, again
    # a week on, the unchanged dialogs are skipped and the two private groups' members come again: five
    # members' records (one is in both groups), four people
    _now(T0 + timedelta(days=8))
    later = _line(cli, "sync", "telegram")
    assert later == "telegram: 0 new contacts, 0 updated, 4 unchanged, 0 new interactions", later
