"""How a command fails before it runs, or while it asks [cli-failures]: a usage error under --json gives
the API's validation envelope on stdout (exit 2, click's message on stderr); an unknown option names the
closest one; Ctrl-C at a question is `interrupted`, exit 130; a question whose stdin is closed is an error
with a hint, never click's bare "Aborted!"; a file named on the command line that is not there is an error
naming it, exit 1, as `pcrm import MISSING` says it."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.api import V
from tests.support.crm import Crm

# ------------------------------------------------------------------ usage errors under --json


@pytest.mark.parametrize(
    ("args", "field", "kind"),
    [
        (("contacts", "list", "--page", "abc"), "--page", "int_parsing"),
        (("contacts", "list", "--page", "0"), "--page", "greater_than_equal"),
        (("interactions", "list", "ada", "--limit", "abc"), "--limit", "int_parsing"),
        (("contacts", "show"), "contact", "missing"),
        (("contacts", "list", "--bogus"), "--bogus", "extra_forbidden"),
        (("contacts", "map", "--bbox"), "--bbox", "missing"),
    ],
)
def test_a_usage_error_under_json_prints_the_validation_envelope(
    crm: Crm, args: tuple[str, ...], field: str, kind: str
) -> None:
    # --json first: an option missing its value must be the last word
    got = crm.cli(args[0], args[1], "--json", *args[2:], ok=None)
    assert got.exit_code == 2, (got.stdout, got.stderr)
    body = json.loads(got.stdout)
    assert set(body) == {"data", "error", "meta", "detail"} and body["data"] is None and body["meta"] == {}
    error = body["error"]
    assert error["code"] == "validation_error"
    assert error["details"]["fields"] == [{"field": field, "message": error["message"]}]
    assert body["detail"] == [{"loc": ["argv", field], "msg": error["message"], "type": kind}]
    assert f"pcrm {args[0]} {args[1]} --help" in error["hint"]
    # the human message stays click's, on stderr
    assert "Error: " + error["message"] in got.stderr


def test_without_json_stdout_stays_empty(crm: Crm) -> None:
    got = crm.cli("contacts", "list", "--page", "abc", ok=None)
    assert got.exit_code == 2 and got.stdout == ""
    assert (
        got.stderr.startswith("Usage: pcrm contacts list")
        and "Error: Invalid value for '--page'" in got.stderr
    )


def test_the_envelope_is_the_one_the_api_answers_for_the_same_mistake(crm: Crm, empty_api: Any) -> None:
    """`pcrm contacts list --page abc --json` and GET /contacts?page=abc: the same code and error type, the
    same keys; only where the value came from differs (argv, query)."""
    cli_body = json.loads(crm.cli("contacts", "list", "--page", "abc", "--json", ok=None).stdout)
    api = empty_api.get(f"{V}/contacts", params={"page": "abc"})
    assert api.status_code == 422
    api_body = api.json()
    assert set(cli_body) == set(api_body)
    assert set(cli_body["error"]) == set(api_body["error"])
    assert cli_body["error"]["code"] == api_body["error"]["code"] == "validation_error"
    assert [d["type"] for d in cli_body["detail"]] == [d["type"] for d in api_body["detail"]]
    assert [d["loc"][0] for d in cli_body["detail"]] == ["argv"]


def test_an_unknown_command_under_json_is_an_envelope_too(crm: Crm) -> None:
    got = crm.cli("contcts", "list", "--json", ok=None)
    assert got.exit_code == 2
    body = json.loads(got.stdout)
    assert (
        body["error"]["code"] == "validation_error" and "Did you mean 'contacts'" in body["error"]["message"]
    )
    assert body["detail"][0]["loc"] == ["argv"]


def test_json_after_a_double_dash_is_an_argument_not_the_option(crm: Crm) -> None:
    got = crm.cli("contacts", "list", "--", "--json", ok=None)
    assert got.exit_code == 2 and got.stdout == ""


# ------------------------------------------------------------------ the closest option


@pytest.mark.parametrize("typed", ["--JSON", "--Json", "-json", "--jsn", "--jsno"])
def test_a_misspelt_option_names_the_closest(crm: Crm, typed: str) -> None:
    got = crm.cli("contacts", "list", typed, ok=None)
    assert got.exit_code == 2
    assert f"Error: No such option: {typed}. Did you mean --json?" in got.stderr, got.stderr


def test_the_suggestion_comes_from_the_command_s_own_options(crm: Crm) -> None:
    assert "Did you mean --dry-run?" in crm.cli("identity", "scan", "--DRY-RUN", ok=None).stderr
    assert "Did you mean --page-size?" in crm.cli("contacts", "list", "--page_size", "5", ok=None).stderr
    # how many rows, by the name other tools give it: the command's own (paged lists and limited ones differ)
    assert "Did you mean --page-size?" in crm.cli("contacts", "search", "ada", "--limit", "3", ok=None).stderr
    assert "Did you mean --limit?" in crm.cli("contacts", "overdue", "--page-size", "3", ok=None).stderr
    assert "Did you mean --limit?" in crm.cli("contacts", "overdue", "-n", "3", ok=None).stderr
    # a slip in that name: the command's own too (`--limt` on contacts list said "did you mean --nl?")
    assert "Did you mean --page-size?" in crm.cli("contacts", "list", "--limt", "3", ok=None).stderr
    assert "Did you mean --page-size?" in crm.cli("contacts", "list", "--lmit", "3", ok=None).stderr
    assert "Did you mean --limit?" in crm.cli("contacts", "overdue", "--limt", "3", ok=None).stderr
    # nothing close: no guess
    got = crm.cli("contacts", "list", "--zzzzzz", ok=None)
    assert got.exit_code == 2 and got.stderr.rstrip().endswith("Error: No such option: --zzzzzz")


@pytest.mark.parametrize("term", ["   ", "@", " @ "])
def test_a_search_for_nothing_is_refused_not_everyone(crm: Crm, term: str) -> None:
    crm.cli("contacts", "add", "--name", "Ada Lovelace")
    got = crm.cli("contacts", "search", term, ok=None)
    assert got.exit_code == 2 and got.stdout == ""
    assert "is no search term once trimmed" in got.stderr and "pcrm contacts list" in got.stderr
    assert crm.cli("contacts", "search", term, "--json", ok=None).exit_code == 2
    # a term that is only punctuation is still searched as typed
    assert crm.cli("contacts", "search", "%", ok=None).exit_code == 0


@pytest.mark.parametrize("term", ["   ", "", "@", " @ "])
@pytest.mark.parametrize(
    "command",
    [("contacts", "list"), ("contacts", "ids"), ("export", "csv"), ("export", "vcard"), ("orgs", "list")],
)
def test_a_blank_search_filter_is_refused_not_everyone(
    crm: Crm, empty_api: Any, command: tuple[str, ...], term: str
) -> None:
    crm.cli("contacts", "add", "--name", "Ada Lovelace", "--company", "Difference Engines")
    before = crm.dump()
    got = crm.cli(*command, "--search", term, ok=None)
    if command == ("orgs", "list") and term.strip():  # an org name is searched as typed: "@" is a term
        assert got.exit_code == 0, got.stderr
        return
    assert got.exit_code == 2 and got.stdout == "", (got.stdout, got.stderr)
    assert "is no search term once trimmed" in got.stderr
    assert f"leave --search out: pcrm {' '.join(command)}" in got.stderr
    body = json.loads(crm.cli(*command, "--json", "-s", term, ok=None).stdout)
    assert body["error"]["code"] == "validation_error"
    assert body["detail"][0]["loc"] == ["argv", "--search"]
    assert crm.dump() == before
    # the API's empty search= stays no filter (the reference clients send it); any other term that is
    # nothing once trimmed is refused with the CLI's words (`GET /contacts?search=@` listed everyone)
    path = f"{V}/organizations" if command == ("orgs", "list") else f"{V}/contacts"
    got_api = empty_api.get(path, params={"search": term})
    if term == "":
        assert got_api.status_code == 200 and len(got_api.json()["data"]) == 1
        return
    err = got_api.json()["error"]
    assert got_api.status_code == 422 and err["code"] == "validation_error", got_api.text
    assert err["message"].startswith(f"{term!r} is no search term once trimmed")
    said = err["message"][len(repr(term)) :]  # the same words as the CLI's after the term
    assert said.startswith(" is no search term") and said in " ".join(got.stderr.split())
    assert got_api.json()["detail"][0]["loc"] == ["query", "search"]


# ------------------------------------------------------------------ questions: Ctrl-C and a closed stdin


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from pcrm.cli import _output

    monkeypatch.setattr(_output, "at_terminal", lambda: True)


class _CtrlC(io.RawIOBase):
    """A stdin whose first read is the user pressing Ctrl-C."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        raise KeyboardInterrupt


@pytest.fixture
def ctrl_c(monkeypatch: pytest.MonkeyPatch) -> str:
    """input=ctrl_c: CliRunner's stdin raises KeyboardInterrupt when the question reads it."""
    import typer.testing

    plain = typer.testing.make_input_stream
    marker = "<ctrl-c>"

    def stream(given: Any, charset: str) -> Any:
        return io.BufferedReader(_CtrlC()) if given == marker else plain(given, charset)

    monkeypatch.setattr(typer.testing, "make_input_stream", stream)
    return marker


def test_ctrl_c_at_a_confirmation_is_interrupted_exit_130(crm: Crm, terminal: Any, ctrl_c: str) -> None:
    crm.cli("token", "create", "laptop")
    before = crm.dump()
    got = crm.cli("token", "revoke", "laptop", input=ctrl_c, ok=None)
    assert got.exit_code == 130, (got.stdout, got.stderr)
    assert got.stderr.endswith("\ninterrupted\n") and "Aborted" not in got.stderr
    assert crm.dump() == before


def test_ctrl_c_at_a_password_prompt_is_interrupted_exit_130(crm: Crm, terminal: Any, ctrl_c: str) -> None:
    got = crm.cli("account", "create", "ada@example.com", "--json", input=ctrl_c, ok=None)
    assert got.exit_code == 130 and got.stderr.endswith("interrupted\n") and "Aborted" not in got.stderr
    assert crm.sql("SELECT count(*) FROM users") == [(0,)]


def test_ctrl_c_at_a_question_says_it_once_through_main(
    crm: Crm, terminal: Any, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    """pcrm's entry point also says `interrupted` for a Ctrl-C outside a command: once, not twice."""
    import sys

    from typer._click import termui

    from pcrm import cli

    crm.cli("token", "create", "laptop")

    def ctrl_c(prompt: str = "") -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(termui, "visible_prompt_func", ctrl_c)
    monkeypatch.setattr(sys, "argv", ["pcrm", "token", "revoke", "laptop"])
    capsys.readouterr()
    with pytest.raises(SystemExit) as exited:
        cli.main()
    assert exited.value.code == 130
    err = capsys.readouterr().err
    assert err.count("interrupted") == 1 and "Aborted" not in err


def test_a_closed_stdin_at_a_confirmation_is_an_error_naming_yes(crm: Crm, terminal: Any) -> None:
    crm.cli("token", "create", "laptop")
    before = crm.dump()
    got = crm.cli("token", "revoke", "laptop", input="", ok=None)
    assert got.exit_code == 1 and "Aborted" not in got.stderr
    assert "error: a question got no answer: stdin was closed" in got.stderr
    assert "hint: add --yes to go ahead without the question" in got.stderr
    scripted = crm.cli("token", "revoke", "laptop", "--json", input="", ok=None)
    assert scripted.exit_code == 1
    body = json.loads(scripted.stdout)
    assert body["error"]["code"] == "bad_request" and body["error"]["details"] == {"answer": "missing"}
    assert crm.dump() == before


def test_a_closed_stdin_at_a_password_prompt_names_password_stdin(crm: Crm, terminal: Any) -> None:
    got = crm.cli("account", "create", "ada@example.com", input="", ok=None)
    assert got.exit_code == 1 and "Aborted" not in got.stderr
    assert "hint: pipe the password in with --password-stdin" in got.stderr


def test_a_closed_stdin_at_a_question_with_no_option_for_it(crm: Crm, terminal: Any) -> None:
    """`pcrm contacts show ada` asks which Ada at a terminal: the answer can only be typed or piped."""
    crm.add("Ada Lovelace")
    crm.add("Ada Byron")
    got = crm.cli("contacts", "show", "ada", input="", ok=None)
    assert got.exit_code == 1 and "Aborted" not in got.stderr
    assert "hint: answer it at a terminal, or pipe the answer in on stdin" in got.stderr


# ------------------------------------------------------------------ a file named on the command line


def test_a_missing_client_file_is_an_error_naming_it(crm: Crm, tmp_path: Path) -> None:
    missing = tmp_path / "client_secret.json"
    before = crm.dump()
    got = crm.cli("auth", "google", "--client-file", str(missing), ok=None)
    assert got.exit_code == 1, got.stderr
    assert got.stderr.splitlines() == [
        f"error: no file at {missing}",
        "hint: check the path; e.g. pcrm auth google --client-file ~/Downloads/client_secret.json",
    ]
    body = crm.cli.json("auth", "google", "--client-file", str(missing), ok=False)
    assert body["error"]["code"] == "not_found" and body["error"]["message"] == f"no file at {missing}"
    # as `pcrm import` says it
    imported = crm.cli("import", str(missing), ok=None)
    assert imported.exit_code == 1 and imported.stderr.splitlines()[0] == f"error: no file at {missing}"
    got = crm.cli("auth", "google", "--client-file", str(tmp_path), ok=None)
    assert got.exit_code == 1 and f"error: {tmp_path} is a folder, not a file" in got.stderr
    assert crm.dump() == before


def test_an_unreadable_client_file_is_an_error_naming_it(crm: Crm, tmp_path: Path) -> None:
    import os

    locked = tmp_path / "client_secret.json"
    locked.write_text("{}")
    locked.chmod(0)
    if os.access(locked, os.R_OK):
        pytest.skip("running as a user who reads any file (root)")
    got = crm.cli("auth", "google", "--client-file", str(locked), ok=None)
    assert got.exit_code == 1 and f"error: cannot read {locked}: Permission denied" in got.stderr
    assert "hint: check the file's permissions" in got.stderr


# ------------------------------------------------------------------ an option taking one value, given twice


@pytest.mark.parametrize(
    ("option", "args"),
    [
        ("--tag", ("contacts", "list", "--tag", "investor", "--tag", "friend")),
        ("--search", ("contacts", "list", "--search", "ada", "--priority", "high", "--search=grace")),
        ("--title", ("contacts", "edit", "ada", "--title", "Countess", "--title", "Analyst")),
        ("--at", ("note", "add", "ada", "tea", "--at", "yesterday", "--at", "3d ago")),
    ],
)
def test_an_option_taking_one_value_given_twice_is_refused(
    crm: Crm, option: str, args: tuple[str, ...]
) -> None:
    """`pcrm contacts list --tag investor --tag friend` listed the `friend` contacts alone: click keeps the
    last value of an option taking one and drops the rest without a word, so the list looked like an
    answer to both. Now it is a usage error naming the option (exit 2, the envelope with --json), and
    nothing runs."""
    crm.add("Ada Lovelace", "--tag", "investor", "--tag", "friend")
    before = crm.dump()
    got = crm.cli(*args, ok=None)
    assert got.exit_code == 2, (got.stdout, got.stderr)
    said = " ".join(got.stderr.split())
    assert f"{option} was given more than once; pcrm {args[0]} {args[1]} takes one" in said, said
    body = json.loads(crm.cli(*args, "--json", ok=None).stdout)
    assert body["error"]["code"] == "validation_error" and "more than once" in body["error"]["message"]
    assert crm.dump() == before


def test_repeatable_options_stay_repeatable(crm: Crm) -> None:
    ada = crm.add("Ada Lovelace", "--email", "ada@example.com", "--email", "ada@analytical.org")
    assert ada["emails"] == ["ada@example.com", "ada@analytical.org"]
    out = crm.cli.json("contacts", "edit", "ada", "--add-email", "a@b.org", "--add-email", "c@d.org")
    assert out["data"]["emails"][-2:] == ["a@b.org", "c@d.org"]
    bulk = crm.cli.json(
        "contacts",
        "bulk-update",
        "--where",
        "tag=none",
        "--where",
        "priority=low",
        "--priority",
        "high",
        ok=None,
    )
    assert "more than once" not in json.dumps(bulk)


def test_options_before_the_subcommand_reach_it(crm: Crm) -> None:
    """`pcrm suggestions --json list` printed tab-separated rows, and `pcrm notifications --unread list`
    listed the read ones too: the group takes those options for its bare form (`pcrm suggestions --json`)
    and dropped them without a word when a subcommand followed."""
    crm.add("Ada Lovelace", "--email", "ada@example.com")
    env = json.loads(crm.cli("suggestions", "--json", "list").stdout)
    assert env == json.loads(crm.cli("suggestions", "list", "--json").stdout) and env["error"] is None
    seen = crm.service("notifications.notify", "sync", "Gmail synced")
    crm.service("notifications.notify", "sync", "Telegram synced")
    crm.cli("notifications", "read", seen["id"])
    env = json.loads(crm.cli("notifications", "--json", "--unread", "list").stdout)
    assert env == json.loads(crm.cli("notifications", "list", "--unread", "--json").stdout)
    assert [n["title"] for n in env["data"]] == ["Telegram synced"]


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("interactions", "list", "ada", "--all", "--limit", "3"), "--limit"),
        (("interactions", "list", "ada", "--all", "--offset", "1"), "--offset"),
        (("contacts", "list", "--all", "--page-size", "3"), "--page-size"),
        (("activity", "recent", "--all", "--limit", "3"), "--limit"),
        (("notifications", "list", "--all", "--page", "2"), "--page"),
    ],
)
def test_all_with_a_paging_option_is_a_usage_error(crm: Crm, args: tuple[str, ...], option: str) -> None:
    """`pcrm interactions list ada --all --limit 3` listed every interaction and dropped --limit without a
    word: --all with a paging option is refused, naming both [complete-lists]."""
    crm.add("Ada Lovelace")
    got = crm.cli(*args, ok=None)
    assert got.exit_code == 2, (got.stdout, got.stderr)
    assert "--all" in got.stderr and option in got.stderr, got.stderr
    assert crm.cli(*[a for a in args if a != "--all"]).exit_code == 0
