"""Contacts made through the CLI for search tests: each with its options and maybe one inbound message."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def add_people(cli: Any, people: Iterable[tuple[str, list[str], str | None]]) -> None:
    """Each (name, extra `contacts add` options, a message or None) as a contact; the message is an inbound
    e-mail of 2026-01-02, so it gives the contact a score and is searchable."""
    for name, extra, message in people:
        cid = cli.json("contacts", "add", "--name", name, *extra)["data"]["id"]
        if message:
            cli(
                "log",
                cid,
                message,
                "--platform",
                "email",
                "--direction",
                "inbound",
                "--at",
                "2026-01-02T10:00:00Z",
            )


def searched_names(cli: Any, term: str) -> list[str]:
    """The full names `pcrm contacts list --search term` finds, sorted; its total counts them all, and
    `pcrm contacts ids --search term` (what a bulk update by filter uses) finds the same contacts."""
    got = cli.json("contacts", "list", "--search", term)
    assert got["meta"]["total"] == len(got["data"]), term
    ids = cli.json("contacts", "ids", "--search", term)["data"]
    assert sorted(ids) == sorted(c["id"] for c in got["data"]), term
    return sorted(c["full_name"] for c in got["data"])


def search_found(cli: Any, term: str) -> list[str]:
    """The names `pcrm contacts search TERM` lists, in its order; `contacts list -s` and `contacts ids`
    find the same contacts."""
    got = [c["full_name"] for c in cli.json("contacts", "search", term)["data"]]
    assert sorted(got) == searched_names(cli, term), term
    return got
