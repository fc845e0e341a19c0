"""A setting's name is read in any case and with `-` for `_` [setting-names]: `pcrm settings show SUGGESTIONS`
answered "unknown settings section" and `pcrm settings set Me ...` "unknown setting 'Me'", with every key
listed and none suggested. A name that is none still is an error, now with the closest key. And a
setting's text has a cap said as every text cap is [text-limits]: `pcrm settings set me "<10,000
characters>"` was taken."""

from __future__ import annotations

from typing import Any

import pytest

from pcrm.domain.settings import REGISTRY, name_of, sections
from tests.support.crm import Crm


def test_no_two_settings_differ_only_by_case_or_dash() -> None:
    """What makes the reading safe: no key (or section) is another's in another case or with `-`."""
    names = [*REGISTRY, *sections()]
    assert len({name_of(k) for k in names}) == len(set(names))
    assert all(name_of(k) == k for k in names)


def test_a_setting_named_in_another_case_or_with_dashes_is_that_setting(crm: Crm) -> None:
    assert crm.cli.json("settings", "show", "SUGGESTIONS") == crm.cli.json("settings", "show", "suggestions")
    human = crm.cli("settings", "show", "Priority").stdout
    assert "priority.high\t30\t30\tdays between follow-ups" in human, human
    crm.cli("settings", "set", "Me", "Ada Lovelace <ada@example.com>")
    assert crm.cli.json("settings", "show", "me")["data"]["me"]["emails"] == ["ada@example.com"]
    assert crm.cli.json("settings", "set", "PRIORITY.High", "21")["data"]["high"] == 21
    assert (
        crm.cli.json("settings", "set", " suggestions.max-suggestions ", "7")["data"]["max_suggestions"] == 7
    )
    assert crm.cli.json("settings", "show", "Sync.Google-Calendar.Hour")["data"] == {
        "sync.google_calendar.hour": 6
    }
    crm.cli("settings", "reset", "Priority.HIGH")
    assert crm.cli.json("settings", "show", "priority.high")["data"] == {"priority.high": 30}


@pytest.mark.parametrize(
    ("args", "meant"),
    [
        (("settings", "set", "priority.hihg", "21"), "did you mean priority.high?"),
        (("settings", "set", "max_suggestions", "7"), "did you mean suggestions.max_suggestions?"),
        (("settings", "reset", "TIMEZON"), "did you mean timezone?"),
        (("settings", "show", "Sugestions"), "did you mean suggestions?"),
        # a key begun, not finished: the key, not its section, which `set` cannot take
        (("settings", "set", "suggestions.max", "3"), "did you mean suggestions.max_suggestions?"),
        (("settings", "set", "sync.gmail.sched", "daily"), "did you mean sync.gmail.schedule?"),
        (("settings", "reset", "priority.hig"), "did you mean priority.high?"),
    ],
)
def test_a_name_that_is_no_setting_says_the_closest(crm: Crm, args: tuple[str, ...], meant: str) -> None:
    err = crm.rejects(*args, code="validation_error", says="unknown setting")
    assert err["hint"].startswith(meant), err


def test_an_unknown_name_far_from_every_setting_names_the_command_that_lists_them(crm: Crm) -> None:
    """The hint listed all 65 keys on one line; it now names the command that lists them."""
    from pcrm.domain.settings import REGISTRY

    err = crm.rejects("settings", "set", "colour", "red", code="validation_error", says="unknown setting")
    assert err["hint"] == f"`pcrm settings show` lists all {len(REGISTRY)} keys"


@pytest.mark.anyio
async def test_the_apis_settings_bodies_keep_their_field_names(
    crm: Crm, client: Any, script: dict[str, str]
) -> None:
    """The API takes no setting name: its /settings/* bodies are schemas whose fields are the reference's
    names, and a field in another case is an unknown field (422 naming it), never a silent no-op."""
    r = await client.put("/api/v1/settings/priority", headers=script, json={"HIGH": 21})
    assert r.status_code == 422, r.text
    assert r.json()["error"]["details"]["fields"] == [{"field": "HIGH", "message": "unknown field"}]
    r = await client.put("/api/v1/settings/priority", headers=script, json={"high": 21})
    assert r.status_code == 200 and r.json()["data"]["high"] == 21


# ------------------------------------------------------------------ how long a setting's text may be


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("me", "a" * 10_000), "me: one of the names is 10,000 characters long; the most it takes is 1,000"),
        (("me", "Ada, " + "a" * 995 + "@example.com"), "me: one of the emails is 1,007 characters long"),
        (("me", "Ada, " * 2_001), "me is 10,005 characters long; the most it takes is 10,000"),
        (
            ("google.client_id", "x" * 1_001),
            "google.client_id is 1,001 characters long; the most it takes is 1,000",
        ),
        (("ai.model", "m" * 5_000), "ai.model is 5,000 characters long"),
    ],
)
def test_a_settings_text_has_a_cap_said_as_every_text_cap(crm: Crm, args: tuple[str, str], says: str) -> None:
    err = crm.rejects("settings", "set", *args, code="validation_error", says=says)
    assert "at most" in err["hint"] and err["details"]["fields"][0]["field"] == args[0], err


def test_text_under_the_caps_is_taken(crm: Crm) -> None:
    names = ", ".join(f"Name{i}" for i in range(500))  # 4,890 characters of names
    assert len(crm.cli.json("settings", "set", "me", names)["data"]["me"]["names"]) == 500
    crm.cli("settings", "set", "google.client_id", "x" * 1_000)


def test_an_imports_me_has_the_same_cap(crm: Crm, tmp_path: Any) -> None:
    chat = tmp_path / "WhatsApp Chat with Ada.txt"
    chat.write_text("[01/02/2026, 10:00:00] Ada: hi\n", encoding="utf-8")
    crm.rejects(
        "import", str(chat), "--me", "b" * 1_001, code="validation_error", says="1,001 characters long"
    )
