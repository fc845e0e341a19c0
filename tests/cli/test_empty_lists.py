"""An empty list says so [readable-tables]: every list command, on a fresh store, says in words that there
is nothing and what to do next; in a pipe the words go to stderr (stdout keeps rows only), at a terminal
where the table would be; `--json` is the envelope with an empty list. `pcrm import history` in a pipe
printed nothing at all, and so did a dozen other lists. The walk covers the whole command tree: a new
command must be named here, as a list (with the arguments it needs) or as something else."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.support.crm import Crm

CONTACT = "Ann Lee"  # added first for the lists that take a contact

# every list command, with the arguments it needs on a store holding no more than CONTACT
LISTS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("contacts", "list"): (),
    ("contacts", "ids"): (),
    ("contacts", "search"): ("zebra",),
    ("contacts", "overdue"): (),
    ("contacts", "birthdays"): (),
    ("contacts", "bulk-updates"): (),
    ("contacts", "map"): ("--bbox=-123,37,-122,38",),
    ("contacts", "related"): (CONTACT,),
    ("contacts", "duplicates"): (CONTACT,),
    ("interactions", "list"): (CONTACT,),
    ("note", "list"): (CONTACT,),
    ("tags", "list"): (),
    ("db", "backups"): (),
    ("token", "list"): (),
    ("mcp", "log"): (),
    ("orgs", "list"): (),
    ("orgs", "merges"): (),
    ("notifications", "list"): (),
    ("sync", "history"): (),
    ("sync", "stats"): (),
    ("auth", "google", "accounts"): (),
    ("activity", "recent"): (),
    ("suggestions", "list"): (),
    ("identity", "matches"): (),
    ("identity", "history"): (),
    ("import", "history"): (),
    ("send",): ("--list",),
}

# everything else: actions, detail views, and listings that always have rows (jobs, settings, sync status)
NOT_LISTS = {
    *[("account", c) for c in ("create", "password", "show")],
    *[("ai", c) for c in ("classify", "compose", "models")],
    ("ai", "key", "rm"),
    ("ai", "key", "set"),
    ("auth", "google", "rm"),
    ("auth", "telegram", "disconnect"),
    *[("auth", "whatsapp", c) for c in ("connect", "disconnect", "qr", "secret", "status")],
    ("auth", "x", "disconnect"),
    ("calendar", "export"),
    *[
        ("contacts", c)
        for c in (
            "activity",
            "add",
            "auto-tag",
            "bulk-undo",
            "bulk-update",
            "delete",
            "dismiss-duplicate",
            "edit",
            "enrich",
            "extract-bio",
            "merge",
            "promote",
            "reconcile",
            "rm",
            "show",
            "stats",
            "tag",
            "unmerge",
            "untag",
        )
    ],
    *[("daemon", c) for c in ("install", "status", "stop", "uninstall")],
    *[("db", c) for c in ("backup", "check", "migrate", "restore")],
    *[(c,) for c in ("demo", "digest", "geocode", "init", "log", "paths", "serve", "version")],
    *[("export", c) for c in ("csv", "ics", "json", "vcard")],
    *[("extension", c) for c in ("disconnect", "pair", "status")],
    *[("identity", c) for c in ("merge", "reject", "scan")],
    *[("import", c) for c in ("file", "undo")],
    *[("jobs", c) for c in ("list", "run")],
    ("mcp", "config"),
    *[("mcp-key", c) for c in ("create", "revoke", "status")],
    *[("note", c) for c in ("add", "edit", "rm")],
    *[("notifications", c) for c in ("read", "read-all", "unread-count")],
    *[("orgs", "duplicates", c) for c in ("dismiss", "merge", "scan")],
    *[("orgs", c) for c in ("add", "edit", "logos", "merge", "rm", "show", "stats", "unmerge")],
    *[("score", c) for c in ("explain", "recalc")],
    *[("second-tier", c) for c in ("count", "rm")],
    *[("secrets", c) for c in ("encrypt", "rm", "set", "status")],
    *[("settings", c) for c in ("reset", "set", "show")],
    *[("suggestions", c) for c in ("dismiss", "edit", "generate", "regenerate", "reopen", "sent", "snooze")],
    *[
        ("sync", c)
        for c in (
            "emails",
            "gmail",
            "google",
            "google-calendar",
            "google-contacts",
            "google_calendar",
            "google_contacts",
            "memory",
            "reset",
            "status",
            "telegram",
            "twitter",
            "whatsapp",
        )
    ],
    *[("tags", c) for c in ("apply", "approve", "delete", "discover", "rename", "taxonomy")],
    *[("token", c) for c in ("create", "revoke")],
}

# words that name what to do next: a command to run or an option to add
NEXT_STEP = re.compile(r"`?pcrm [a-z]|--[a-z]")
MARKUP = re.compile(r"\[/\]|\[/?(?:dim|bold|italic|red|green|yellow)\b[^\]]*\]")


def _commands() -> dict[tuple[str, ...], Any]:
    import typer.main

    from pcrm.cli import app

    def walk(cmd: Any, path: tuple[str, ...]) -> Any:
        subs = getattr(cmd, "commands", None)
        if subs is None:
            yield path, cmd
            return
        for name, sub in subs.items():
            yield from walk(sub, (*path, name))

    return dict(walk(typer.main.get_command(app), ()))


def _options(path: tuple[str, ...]) -> set[str]:
    return {o for p in _commands()[path].params for o in getattr(p, "opts", ())}


def test_every_command_is_walked() -> None:
    """A new command is named here, so a new list cannot print nothing unnoticed."""
    walked = set(_commands())
    assert not set(LISTS) & NOT_LISTS
    assert walked - set(LISTS) - NOT_LISTS == set(), "add it to LISTS (with its arguments) or NOT_LISTS"
    assert (set(LISTS) | NOT_LISTS) - walked == set(), "a command named here is gone"


@pytest.mark.parametrize("path", sorted(LISTS), ids=" ".join)
def test_an_empty_list_says_so_with_the_next_step(crm: Crm, path: tuple[str, ...]) -> None:
    args = (*path, *LISTS[path])
    if CONTACT in args:
        crm.add(CONTACT)
    options = _options(path)

    piped = crm.cli(*args)
    said = " ".join((piped.stdout + piped.stderr).split())
    assert said, f"`pcrm {' '.join(args)}` printed nothing"
    assert NEXT_STEP.search(said), f"`pcrm {' '.join(args)}` says no next step: {said!r}"
    # markup is styling, never words: `pcrm suggestions list` in a pipe printed "[dim]no suggestions[/]"
    assert not MARKUP.search(said), f"`pcrm {' '.join(args)}` prints markup as text: {said!r}"
    if "--format" in options:
        # a pipe reads rows only: the words are on stderr, stdout is empty
        assert piped.stdout == "" and piped.stderr.strip(), (piped.stdout, piped.stderr)
        table = crm.cli(*args, "--format", "table")  # at a terminal: where the table would be
        assert " ".join(table.stdout.split()) == " ".join(piped.stderr.split()), table.stdout
    if "--json" in options:
        env = crm.cli.json(*args)
        assert env["error"] is None
        assert env["data"] == ({} if path == ("sync", "stats") else []), env  # stats: a map by platform


def test_a_page_past_the_end_is_not_called_empty(crm: Crm) -> None:
    """A list that has rows, asked for a page past its end, says that (the footer), not "no contacts yet"."""
    crm.add(CONTACT)
    for fmt in ("plain", "table"):
        r = crm.cli("contacts", "list", "--page", "3", "--format", fmt)
        assert r.stdout == ""
        assert r.stderr.strip() == "page 3 is past the last page (1)"


def test_an_empty_organization_search_says_what_made_it_empty(crm: Crm) -> None:
    """With --search, the words name the search, and with --all they no longer offer --all again."""
    crm.add("Ada Lovelace", "--company", "Analytical Engines")
    hidden = crm.cli("orgs", "list", "--search", "zzzz")
    assert hidden.stderr.strip() == (
        "no organization with active contacts matches 'zzzz'; add --all to search every one"
    )
    every = crm.cli("orgs", "list", "--search", "zzzz", "--all")
    assert every.stderr.strip() == (
        "no organization matches 'zzzz'; `pcrm orgs list --all` (no --search) lists every one"
    )
