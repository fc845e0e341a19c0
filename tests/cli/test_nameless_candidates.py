"""A contact known only by an X or Telegram user id is shown as "X user 99999" / "Telegram user 123" and
found by that reference [display-name], but shell completion of a contact argument offered only full names
(`pcrm contacts show X<Tab>` offered nothing), and the picker of an ambiguous reference listed it as "(no
name)" (its candidates carried no platform id). Both now use the display name lists use, and so do the
candidates of the error (`details.candidates[].display_name`)."""

from __future__ import annotations

import pytest

from tests.cli.test_completion import _bash
from tests.support.crm import Crm


def _nameless(crm: Crm) -> dict[str, str]:
    x = crm.service("contacts.create_contact", {"twitter_user_id": "99999"}).data["id"]
    tg = crm.service("contacts.create_contact", {"telegram_user_id": "123"}).data["id"]
    return {"x": x, "tg": tg}


def test_completion_offers_a_nameless_contact_as_lists_show_it(crm: Crm) -> None:
    crm.add("Ada Lovelace")
    _nameless(crm)
    crm.add(None, "--email", "solo@mail.example")
    crm.add(None, "--phone", "+44 20 7946 0958", "--priority", "archived")  # archived: never offered
    assert _bash(crm.home, "pcrm contacts show X") == ["X\\ user\\ 99999"]
    assert _bash(crm.home, "pcrm note add tele") == ["Telegram\\ user\\ 123"]
    assert _bash(crm.home, "pcrm contacts show 999") == ["X\\ user\\ 99999"]  # any word, as for names
    assert _bash(crm.home, "pcrm contacts rm sol") == ["solo@mail.example"]
    crm.add(None, "--twitter", "lone_handle")  # a handle, as lists show it
    assert _bash(crm.home, "pcrm contacts show @lo") == ["@lone_handle"]
    assert crm.show("@lone_handle")["twitter_handle"] == "lone_handle"
    everyone = _bash(crm.home, "pcrm contacts show ")
    assert "(no name)" not in everyone and not any("7946" in v for v in everyone), everyone
    # what it offers is a reference that finds the contact
    assert crm.show("X user 99999")["twitter_user_id"] == "99999"
    assert crm.show("Telegram user 123")["telegram_user_id"] == "123"


def test_the_candidates_of_an_ambiguous_reference_are_named_as_lists_name_them(
    crm: Crm, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pcrm.cli import _output

    ids = _nameless(crm)
    assert ids["x"] != ids["tg"]
    crm.sql("UPDATE contacts SET uuid = 'beef' || substr(uuid, 5)")
    err = crm.rejects("contacts", "show", "beef", code="bad_request", says="matches 2 contacts")
    shown = sorted(c["display_name"] for c in err["details"]["candidates"])
    assert shown == ["Telegram user 123", "X user 99999"], err
    assert "X user 99999 beef" in err["message"] and "(no name)" not in err["message"], err
    monkeypatch.setattr(_output, "at_terminal", lambda: True)
    picked = crm.cli("contacts", "show", "beef", input="\n", ok=False).stderr
    assert "(no name)" not in picked, picked
    listed = [line.split()[1:4] for line in picked.splitlines() if line.startswith(("  1  ", "  2  "))]
    assert sorted(listed) == [["Telegram", "user", "123"], ["X", "user", "99999"]], picked
