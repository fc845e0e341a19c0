"""`pcrm settings show | set | reset` and the /settings/* service shapes [settings-registry]
[followup-intervals] [suggestion-prefs]."""

from __future__ import annotations

import pytest

from pcrm.domain.settings import REGISTRY


def test_priority_defaults_and_round_trip(crm, cli):
    assert cli.json("settings", "show", "priority") == {
        "data": {"high": 30, "medium": 60, "low": 180},
        "error": None,
        "meta": {},
    }
    env = cli.json("settings", "set", "priority.high", "21")
    assert env["data"] == {"high": 21, "medium": 60, "low": 180}
    assert cli.json("settings", "show", "priority")["data"]["high"] == 21
    # the value is what the overdue view uses
    assert cli.json("contacts", "overdue")["meta"]["interval_days"] == 21


# "-1": a value starting with a dash reaches the validator, not click's "No such option"
@pytest.mark.parametrize("value", ["6", "366", "0", "-1", "30.5", "thirty", "true"])
def test_priority_out_of_range_is_refused_and_changes_nothing(crm, cli, value):
    err = crm.rejects("settings", "set", "priority.medium", value, code="validation_error")
    assert err["details"]["fields"][0]["field"] == "medium"  # as PUT /settings/priority names it
    assert cli.json("settings", "show", "priority")["data"]["medium"] == 60


@pytest.mark.parametrize("value", ["7", "365"])
def test_priority_bounds_are_kept(crm, cli, value):
    for key in ("high", "medium", "low"):
        assert cli.json("settings", "set", f"priority.{key}", value)["data"][key] == int(value)
    assert cli.json("settings", "show", "priority")["data"] == {
        k: int(value) for k in ("high", "medium", "low")
    }


def test_unknown_key_is_refused_with_the_valid_keys(crm, cli):
    err = crm.rejects(
        "settings", "set", "priority.urgent", "10", code="validation_error", says="unknown setting"
    )
    # the closest few keys and the command that lists them all, not every key on one line
    assert err["hint"].startswith("did you mean priority.high? (or priority.")
    assert err["hint"].endswith(f") `pcrm settings show` lists all {len(REGISTRY)} keys")
    assert err["hint"].count(",") == 1
    assert err["details"]["valid_keys"] == sorted(REGISTRY)
    human = cli("settings", "set", "sync.gmail.hr", "1", ok=False)
    shown = " ".join(human.stderr.split())
    assert "hint: did you mean sync.gmail.hour?" in shown and "pcrm settings show" in shown
    assert "timezone" not in shown and len(human.stderr.splitlines()) == 2
    # internal bookkeeping keys are not settable either
    crm.rejects("settings", "set", "_internal.scores_day", "2020-01-01", code="validation_error")


def test_show_lists_every_key_and_never_internal_ones(crm, cli):
    # `contacts list` in the fixture wrote `_internal.scores_day` into the settings table
    assert crm.sql("SELECT count(*) FROM settings WHERE key LIKE '\\_internal.%' ESCAPE '\\'")[0][0] >= 1
    env = cli.json("settings", "show")
    assert sorted(env["data"]) == sorted(REGISTRY)
    assert not any(k.startswith("_internal") for k in env["data"])
    assert env["meta"] == {"changed": ["timezone"]}  # the fixture set it to UTC
    human = cli("settings", "show")
    assert "priority.high" in human.stdout and "_internal" not in human.stdout


def test_suggestion_prefs_merge_and_persist(crm, cli):
    defaults = cli.json("settings", "show", "suggestions")["data"]
    assert defaults == {
        "max_suggestions": 5,
        "include_dormant": True,
        "birthday_reminders": True,
        "preferred_channel": "auto",
        "dormancy_threshold_days": 365,
    }
    cli.json("settings", "set", "suggestions.include_dormant", "false")
    env = cli.json("settings", "set", "suggestions.max_suggestions", "8")
    assert env["data"] == {**defaults, "include_dormant": False, "max_suggestions": 8}
    crm.rejects("settings", "set", "suggestions.max_suggestions", "21", code="validation_error")
    crm.rejects("settings", "set", "suggestions.preferred_channel", "fax", code="validation_error")


def test_sync_schedule_update_keeps_other_sources(crm, cli):
    before = cli.json("settings", "show", "sync")["data"]
    assert before["gmail"] == {"auto_sync": True, "schedule": "6h", "hour": 3}
    assert before["linkedin"] == {"auto_sync": False, "schedule": "manual", "hour": 3}
    after = cli.json("settings", "set", "sync.gmail.schedule", "12h")["data"]
    assert after["gmail"]["schedule"] == "12h"
    assert {k: v for k, v in after.items() if k != "gmail"} == {
        k: v for k, v in before.items() if k != "gmail"
    }
    crm.rejects("settings", "set", "sync.gmail.schedule", "hourly", code="validation_error")
    crm.rejects("settings", "set", "sync.gmail.hour", "24", code="validation_error")


def test_telegram_and_other_sections(crm, cli):
    assert cli.json("settings", "show", "telegram")["data"] == {"sync_2nd_tier": True}
    assert cli.json("settings", "set", "telegram.sync_2nd_tier", "off")["data"] == {"sync_2nd_tier": False}
    assert cli.json("settings", "show", "logos")["data"] == {"logos.enabled": False}
    general = cli.json("settings", "show", "general")["data"]
    assert set(general) == {"timezone", "phone_region", "me", "cors_origins"}
    assert cli.json("settings", "show", "phone_region")["data"] == {"phone_region": None}
    assert cli.json("settings", "set", "phone_region", "de")["data"] == {"phone_region": "DE"}
    assert cli.json("settings", "set", "cors_origins", "chrome-extension://abc, http://localhost:3000")[
        "data"
    ] == {"cors_origins": ["chrome-extension://abc", "http://localhost:3000"]}
    me = cli.json("settings", "set", "me", '{"names": ["Ada Lovelace"], "emails": ["ada@example.com"]}')[
        "data"
    ]
    assert me == {
        "me": {"names": ["Ada Lovelace"], "emails": ["ada@example.com"], "phones": [], "handles": []}
    }
    crm.rejects("settings", "show", "colour", code="validation_error", says="unknown settings section")


def test_timezone_is_validated_and_reset_restores_the_default(crm, cli):
    crm.rejects("settings", "set", "timezone", "Mars/Olympus", code="validation_error")
    assert cli.json("settings", "set", "timezone", "Europe/Berlin")["data"] == {"timezone": "Europe/Berlin"}
    # any case, stored as zoneinfo spells it (no two zones differ only in case); a near miss is suggested
    assert cli.json("settings", "set", "timezone", "europe/berlin")["data"] == {"timezone": "Europe/Berlin"}
    assert cli.json("settings", "set", "timezone", "AMERICA/NEW_YORK")["data"] == {
        "timezone": "America/New_York"
    }
    err = crm.rejects("settings", "set", "timezone", "Europe/Berln", code="validation_error")
    assert "did you mean Europe/Berlin?" in err["hint"]
    assert cli.json("settings", "set", "priority.low", "90")["data"]["low"] == 90
    assert cli.json("settings", "reset", "priority.low")["data"]["low"] == 180
    assert cli.json("settings", "reset", "timezone")["data"] == {"timezone": None}
    crm.rejects("settings", "reset", "bogus", code="validation_error")


def test_put_routes_are_partial_and_validate_everything_first(crm):
    from pcrm.errors import ValidationError

    assert crm.service("settings.update_priority", {"low": 200}).data == {
        "high": 30,
        "medium": 60,
        "low": 200,
    }
    with pytest.raises(ValidationError) as e:
        crm.service("settings.update_priority", {"high": 10, "medium": 400, "low": 5})
    fields = [f["field"] for f in e.value.details["fields"]]
    assert fields == ["medium", "low"]  # the body's fields
    assert crm.service("settings.get_priority").data == {
        "high": 30,
        "medium": 60,
        "low": 200,
    }  # nothing written
    with pytest.raises(ValidationError) as e:
        crm.service("settings.update_priority", {"urgent": 10})
    assert e.value.details["valid_keys"] == ["high", "medium", "low"]
    # null puts a key back to its default
    assert crm.service("settings.update_priority", {"low": None}).data["low"] == 180

    sync = crm.service("settings.update_sync", {"telegram": {"auto_sync": False}, "gmail": {"hour": 7}}).data
    assert sync["telegram"] == {"auto_sync": False, "schedule": "daily", "hour": 3}
    assert sync["gmail"] == {"auto_sync": True, "schedule": "6h", "hour": 7}
    with pytest.raises(ValidationError):
        crm.service("settings.update_sync", {"myspace": {"auto_sync": True}})
    with pytest.raises(ValidationError):
        crm.service("settings.update_sync", {"gmail": {"cron": "* * * * *"}})

    crm.service("settings.update_suggestions", {"max_suggestions": 12})
    prefs = crm.service("settings.update_suggestions", {"birthday_reminders": False}).data
    assert prefs["max_suggestions"] == 12 and prefs["birthday_reminders"] is False
    assert crm.service("settings.update_telegram", {"sync_2nd_tier": False}).data == {"sync_2nd_tier": False}


def test_settings_written_by_a_service_are_seen_by_its_context_at_once(pcrm_home):
    """A service that writes a setting drops its context's resolved settings, so what the same context reads
    next (the rest of the request, a caller) is the new value."""
    from pcrm.services import telegram
    from pcrm.services.context import open_context

    with open_context() as ctx:
        assert ctx.setting("telegram.api_id") is None and ctx.settings()["telegram.api_id"] is None
        telegram.save_api(ctx, " 12345 ", "0123456789abcdef")
        assert ctx.setting("telegram.api_id") == "12345"
        assert ctx.settings()["telegram.api_id"] == "12345"


def test_credential_settings_are_refused_when_they_cannot_work(crm, cli):
    """A Telegram API id is a positive whole number; a URL that carries a token is https, except to this
    machine [settings-registry]."""
    for bad in ("abc", "0", "-5", "12.5"):
        err = crm.rejects("settings", "set", "telegram.api_id", bad, code="validation_error")
        assert "my.telegram.org" in err["hint"]
    assert list(cli.json("settings", "set", "telegram.api_id", "12345")["data"].values()) == ["12345"]
    for key in ("twitter.api_url", "enrichment.apollo_url"):
        err = crm.rejects("settings", "set", key, "http://api.example.com/2", code="validation_error")
        assert "https" in err["message"] and f"{key} https://api.example.com/2" in err["hint"]
        for fine in ("https://api.example.com", "http://127.0.0.1:8123", "http://localhost:9000/x"):
            assert list(cli.json("settings", "set", key, fine)["data"].values()) == [fine]
        # a host hidden behind ?, # or \ before an @: httpx would send the token to evil.example
        for disguised in (
            "http://evil.example?@localhost",
            "http://evil.example#@localhost",
            "http://a\\@localhost",
        ):
            crm.rejects("settings", "set", key, disguised, code="validation_error")
