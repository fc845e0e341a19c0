"""Destructive commands ask at a terminal and refuse without --yes anywhere else [confirm-destructive]:
off a terminal exit 1 with a hint naming --yes, at a terminal a "no" says `nothing changed` and exits 1,
and in both cases not one byte of the store changes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.crm import Crm


@pytest.fixture
def store(crm: Crm) -> dict[str, str]:
    """A contact with a note, an organization, a 2nd-tier contact, a script token and an MCP key."""
    ada = crm.add("Ada Lovelace", "--company", "Analytical Engines")
    note = crm.cli.json("note", "add", "ada", "tea at four")["data"]
    crm.add("Group Member", "--tag", "2nd tier")
    crm.cli("token", "create", "laptop")
    crm.cli("mcp-key", "create")
    return {"ada": ada["id"], "note": note["id"]}


def _commands(ids: dict[str, str]) -> list[tuple[str, ...]]:
    # the note and the organization before their contact, whose removal takes them along
    return [
        ("note", "rm", ids["note"]),
        ("orgs", "rm", "Analytical Engines"),
        ("contacts", "rm", ids["ada"]),
        ("second-tier", "rm"),
        ("token", "revoke", "laptop"),
        ("mcp-key", "revoke"),
    ]


def test_off_a_terminal_destructive_commands_refuse_without_yes(crm: Crm, store: dict[str, str]) -> None:
    for args in _commands(store):
        before = crm.dump()
        human = crm.cli(*args, ok=None)
        assert human.exit_code == 1, (args, human.stdout, human.stderr)
        assert "not at a terminal" in human.stderr and "Nothing changed." in human.stderr, args
        assert "hint: add --yes to go ahead" in human.stderr, args
        assert human.stdout == ""
        scripted = crm.cli(*args, "--json", ok=None)
        assert scripted.exit_code == 1
        body = json.loads(scripted.stdout)
        assert body["error"]["code"] == "bad_request"
        assert body["error"]["details"] == {"confirmation": "required"}
        assert crm.dump() == before, args


def test_with_yes_they_go_ahead(crm: Crm, store: dict[str, str]) -> None:
    for args in _commands(store):
        crm.cli(*args, "--yes")
    assert crm.cli.json("contacts", "list", "--include-archived")["meta"]["total"] == 0


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from pcrm.cli import _output

    monkeypatch.setattr(_output, "at_terminal", lambda: True)


def test_at_a_terminal_no_means_nothing_changed(crm: Crm, store: dict[str, str], terminal: Any) -> None:
    for args in _commands(store):
        before = crm.dump()
        said_no = crm.cli(*args, input="n\n", ok=None)
        assert said_no.exit_code == 1, args
        assert "nothing changed" in said_no.stderr and "[y/N]" in said_no.stderr, args
        assert said_no.stdout.strip() == "n"  # CliRunner echoes the typed answer; no result is printed
        assert crm.dump() == before, args


def test_at_a_terminal_the_question_names_what_goes(crm: Crm, store: dict[str, str], terminal: Any) -> None:
    said_no = crm.cli("contacts", "rm", "ada", input="\n", ok=None)  # the default is no
    assert "Delete Ada Lovelace and their whole timeline?" in said_no.stderr and said_no.exit_code == 1
    said_yes = crm.cli("contacts", "rm", "ada", "--json", input="y\n")
    # the question went to stderr; stdout holds the echoed answer (CliRunner) and the envelope
    assert json.loads(said_yes.stdout.strip().removeprefix("y"))["data"]["id"] == store["ada"]


def test_db_restore_and_import_undo_follow_the_rule(crm: Crm, tmp_path: Any) -> None:
    backup = tmp_path / "copy.db"
    crm.cli("db", "backup", str(backup))
    refused = crm.cli("db", "restore", str(backup), ok=None)
    assert refused.exit_code == 1 and "add --yes" in refused.stderr
    crm.cli("db", "restore", str(backup), "--yes")
    csv = tmp_path / "people.csv"
    csv.write_text("full_name,email\nGrace Hopper,grace@example.com\n")
    batch = crm.cli.json("import", str(csv))["data"]["batch_id"]
    refused = crm.cli("import", "undo", batch, ok=None)
    assert refused.exit_code == 1 and "add --yes" in refused.stderr
    assert crm.names() == ["Grace Hopper"]
    crm.cli("import", "undo", batch, "--yes")
    assert crm.names() == []


def test_every_destructive_command_offers_yes(cli: Any) -> None:
    for args in (
        ("contacts", "rm"),
        ("orgs", "rm"),
        ("second-tier", "rm"),
        ("note", "rm"),
        ("token", "revoke"),
        ("mcp-key", "revoke"),
        ("db", "restore"),
        ("import", "undo"),
        ("auth", "google", "rm"),
        ("ai", "key", "rm"),
    ):
        assert "--yes" in cli(*args, "--help").stdout, args


def test_what_does_not_exist_is_said_before_the_question(crm: Crm, tmp_path: Any, terminal: Any) -> None:
    # asking "Delete note 0000dead?" or "Replace the current store with nowhere.db?" and only then saying
    # there is no such thing wastes the user's answer
    for args, error in (
        (("note", "rm", "0000dead"), "no note with id 0000dead"),
        (("db", "restore", str(tmp_path / "nowhere.db")), "no backup file at"),
    ):
        r = crm.cli(*args, input="y\n", ok=None)
        assert r.exit_code == 1 and error in r.stderr, (args, r.stderr)
        assert "[y/N]" not in r.stderr, args


def test_nothing_to_revoke_or_forget_asks_nothing(crm: Crm) -> None:
    """Off a terminal, without --yes: with no MCP key, no X connection and no such Google account there is
    no question to refuse over; each says so (the account is an error, as any unknown name is)."""
    none = crm.cli("mcp-key", "revoke")
    assert none.exit_code == 0 and none.stdout.strip() == "there was no MCP key", none.stderr
    x = crm.cli("auth", "x", "disconnect")
    assert x.exit_code == 0 and x.stdout.strip() == "X was not connected: nothing to forget", x.stderr
    assert crm.cli.json("auth", "x", "disconnect")["meta"] == {"was_connected": False}
    gone = crm.cli("auth", "google", "rm", "nobody@example.com", ok=None)
    assert gone.exit_code == 1 and "no Google account nobody@example.com" in gone.stderr
    assert "--yes" not in gone.stderr and "not at a terminal" not in gone.stderr


def test_note_rm_asks_about_the_note_by_its_words(crm: Crm, terminal: Any) -> None:
    """`pcrm note rm 7697` asked "Delete note 7697?": an id prefix, nothing saying whose note or which;
    and for a synced message it asked first and refused after. The question names the contact, the time
    and the text; what cannot be deleted is said before any question."""
    crm.add("Ada Lovelace", "--email", "ada@example.com")
    note = crm.cli.json("note", "add", "ada", "tea at four", "--at", "2026-06-01T16:00")["data"]
    said_no = crm.cli("note", "rm", note["id"][:6], input="n\n", ok=None)
    assert said_no.exit_code == 1 and "nothing changed" in said_no.stderr
    question = " ".join(said_no.stderr.split())
    assert f"Delete the note on Ada Lovelace of 2026-06-01 16:00 ({note['id'][:8]}): tea at four?" in question
    crm.history(crm.show("ada")["id"], [("email", "inbound", "2026-06-02T09:00:00.000Z", "a mail")])
    mail = crm.cli.json("interactions", "list", "ada", "--platform", "email")["data"][0]
    crm.sql("UPDATE interactions SET raw_reference_id = 'gmail:1' WHERE uuid = ?", (mail["id"],))
    synced = crm.cli("note", "rm", mail["id"], input="y\n", ok=None)
    assert synced.exit_code == 1 and "[y/N]" not in synced.stderr, synced.stderr
    assert "only notes and interactions logged by hand can be deleted" in synced.stderr


def test_import_undo_says_a_wrong_or_spent_batch_before_the_question(
    crm: Crm, tmp_path: Any, terminal: Any
) -> None:
    """`pcrm import undo zzzz` asked "Undo import batch zzzz? [y/N]" and only after a yes said there was no
    such batch; a batch already undone was asked about too. The question now names the batch's file."""
    csv = tmp_path / "people.csv"
    csv.write_text("full_name,email\nGrace Hopper,grace@example.com\n")
    batch = crm.cli.json("import", str(csv))["data"]["batch_id"]
    missing = crm.cli("import", "undo", "zzzz", input="y\n", ok=None)
    assert missing.exit_code == 1 and "no import batch zzzz" in missing.stderr
    assert "[y/N]" not in missing.stderr
    asked = crm.cli("import", "undo", batch[:8], input="y\n")
    assert f"Undo import batch {batch[:8]} (people.csv)? [y/N]" in asked.stderr
    assert crm.names() == []
    spent = crm.cli("import", "undo", batch[:8], input="y\n", ok=None)
    assert spent.exit_code == 1 and "was already undone" in spent.stderr
    assert "[y/N]" not in spent.stderr


def test_ai_key_rm_of_a_key_never_stored_asks_nothing(crm: Crm, terminal: Any) -> None:
    """`pcrm ai key rm openai` asked "Forget the openai key?" with no key stored, and off a terminal refused
    without --yes; like `secrets rm`, it now says there was none, exit 0, and asks only about a real key."""
    none = crm.cli("ai", "key", "rm", "openai", input="")
    assert none.stdout.strip() == "key openai was not stored" and "[y/N]" not in none.stderr
    crm.cli("ai", "key", "set", "openai", input="sk-test\n")
    no = crm.cli("ai", "key", "rm", "openai", input="n\n", ok=None)
    assert no.exit_code == 1 and "Forget the openai key? [y/N]" in no.stderr
    crm.cli("ai", "key", "rm", "openai", input="y\n")
    assert crm.cli("ai", "key", "rm", "openai").stdout.strip() == "key openai was not stored"


def test_import_undo_words_a_dry_run_in_the_present_and_the_undo_in_the_past(crm: Crm, tmp_path: Any) -> None:
    """The dry run said `would undo batch X: removed 1 contact`, and the undo itself listed `removes: ...`."""
    csv = tmp_path / "people.csv"
    csv.write_text("full_name,email\nGrace Hopper,grace@example.com\n")
    batch = crm.cli.json("import", str(csv))["data"]["batch_id"][:8]
    dry = crm.cli("import", "undo", batch, "--dry-run").stdout.splitlines()
    assert dry[0].startswith(f"dry run, nothing changed: would undo batch {batch}: remove 1 contact, ")
    assert dry[0].endswith("; revert 0 contacts") and dry[1] == "  removes: Grace Hopper"
    done = crm.cli("import", "undo", batch, "--yes").stdout.splitlines()
    assert done[0].startswith(f"undid batch {batch}: removed 1 contact, ") and done[0].endswith(
        "reverted 0 contacts"
    )
    assert done[1] == "  removed: Grace Hopper"
