"""`pcrm suggestions snooze X --until WHEN` takes a time ahead as people say it [future-times]: `tomorrow`,
`in 3 days`, `in 2 weeks`, as `pcrm send --at` does. `--until tomorrow` was refused with a hint offering
`yesterday or 3d ago`, two forms a snooze can never take."""

from __future__ import annotations

import json
from typing import Any

from tests.support.world import NOW, due_history  # NOW: 2026-06-01T08:00Z, the store's zone UTC


def _open(cli: Any, world: Any) -> None:
    world.contact("Grace Hopper", history=due_history())
    assert cli.json("suggestions", "generate", "--now", NOW)["data"]


def _snooze(cli: Any, until: str) -> dict[str, Any]:
    return cli.json("suggestions", "snooze", "Grace Hopper", "--until", until, "--now", NOW)["data"]


def test_snooze_until_tomorrow_or_in_some_days(cli: Any, world: Any) -> None:
    _open(cli, world)
    out = _snooze(cli, "tomorrow")
    assert (out["status"], out["scheduled_for"]) == ("snoozed", "2026-06-02T09:00:00.000Z")
    assert _snooze(cli, "Tomorrow 14:30")["scheduled_for"] == "2026-06-02T14:30:00.000Z"
    assert _snooze(cli, "in 3 days")["scheduled_for"] == "2026-06-04T08:00:00.000Z"
    assert _snooze(cli, "in 2 weeks")["scheduled_for"] == "2026-06-15T08:00:00.000Z"
    assert _snooze(cli, "in 5h")["scheduled_for"] == "2026-06-01T13:00:00.000Z"
    # a weekday is the next one after today (NOW is a Monday) [interaction-times]
    assert _snooze(cli, "friday")["scheduled_for"] == "2026-06-05T09:00:00.000Z"
    assert _snooze(cli, "next monday")["scheduled_for"] == "2026-06-08T09:00:00.000Z"
    assert _snooze(cli, "Monday 17:30")["scheduled_for"] == "2026-06-08T17:30:00.000Z"
    # what --at takes still works
    assert _snooze(cli, "2026-07-01")["scheduled_for"] == "2026-07-01T00:00:00.000Z"
    text = cli("suggestions", "snooze", "Grace Hopper", "--until", "in 1 week", "--now", NOW).stdout
    assert "snoozed until 2026-06-08 08:00" in text


def test_a_time_that_is_not_ahead_gets_a_hint_of_forms_ahead_only(cli: Any, world: Any) -> None:
    _open(cli, world)
    before = cli.json("suggestions", "list", "--now", NOW)["data"]
    for until, says in (
        ("next fortnight", "--until must be a date or time"),
        ("last friday", "--until must be in the future"),
        ("31/02", "--until must be a date or time"),
        ("yesterday", "--until must be in the future"),
        ("3d ago", "--until must be in the future"),
        ("in 99999999999 days", "years 1900 to 2200"),  # past what a datetime holds: no traceback
    ):
        r = cli("suggestions", "snooze", "Grace Hopper", "--until", until, "--now", NOW, ok=False)
        assert r.exit_code == 1 and says in r.stderr, (until, r.stderr)
        hint = r.stderr.partition("\nhint: ")[2]
        assert hint, (until, r.stderr)
        assert "ago" not in hint and "yesterday" not in hint, (until, hint)
        if "1900" not in says:
            assert "tomorrow" in hint and "in 3 days" in hint, (until, hint)
        args = ("suggestions", "snooze", "grace", "--until", until, "--now", NOW, "--json")
        env = json.loads(cli(*args, ok=False).stdout)
        assert env["error"]["code"] == "validation_error", env
    assert cli.json("suggestions", "list", "--now", NOW)["data"] == before  # nothing changed
