"""A second pass of daily use of the CLI, each end to end through the CLI on a real store."""

from __future__ import annotations

import json

from tests.support.crm import Crm


def test_mutt_format_keeps_the_paging_asked_for(crm: Crm) -> None:
    """`contacts list --format mutt --page-size 3` printed every address of every contact: the paging
    options were dropped without a word, and --fields, --json and --nl were ignored too."""
    for i in range(5):
        crm.add(f"Person {i}", "--email", f"p{i}@example.com")
    every = crm.cli("contacts", "list", "--format", "mutt").stdout.splitlines()
    assert every[0] == "pcrm: 5 addresses" and len(every) == 6
    page = crm.cli("contacts", "list", "--format", "mutt", "--page-size", "3").stdout.splitlines()
    assert page[0] == "pcrm: 3 addresses" and page[1:] == every[1:4]
    second = crm.cli("contacts", "list", "--format", "mutt", "--page", "2", "--page-size", "3")
    assert second.stdout.splitlines()[1:] == every[4:]
    got = crm.cli("contacts", "list", "--format", "mutt", "--fields", "name", ok=False)
    assert got.exit_code == 1 and "takes no --fields" in got.stderr and "\nhint: " in got.stderr
    envelope = json.loads(
        crm.cli("contacts", "list", "--format", "mutt", "--json", "--page-size", "2").stdout
    )
    assert len(envelope["data"]) == 2
    nl = crm.cli("contacts", "list", "--format", "mutt", "--nl", "--page-size", "1").stdout.splitlines()
    assert len(nl) == 1 and json.loads(nl[0])["emails"]
