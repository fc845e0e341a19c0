"""Ambiguous names are not a dead end [contact-references]: the error lists each candidate with its id
prefix, company and email; at a terminal a numbered picker asks which one; accents are ignored as a last
resort (`omer` finds `Ömer`)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.crm import Crm


@pytest.fixture
def smiths(crm: Crm) -> dict[str, str]:
    a = crm.add("John Smith", "--company", "Acme", "--email", "john@acme.test")
    b = crm.add("John Smith", "--company", "Globex", "--email", "js@globex.test")
    return {"acme": a["id"], "globex": b["id"]}


def test_the_error_lists_candidates_with_id_company_and_email(crm: Crm, smiths: dict[str, str]) -> None:
    err = crm.rejects("contacts", "show", "John Smith", code="bad_request", says="matches 2 contacts")
    assert f"John Smith (Acme, john@acme.test) {smiths['acme'][:8]}" in err["message"]
    assert f"John Smith (Globex, js@globex.test) {smiths['globex'][:8]}" in err["message"]
    assert "id prefix" in err["hint"] and "full name" not in err["hint"]
    by_company = {c["company"]: c for c in err["details"]["candidates"]}
    assert by_company["Globex"] == {
        "id": smiths["globex"],
        "full_name": "John Smith",
        "display_name": "John Smith",
        "company": "Globex",
        "email": "js@globex.test",
    }


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from pcrm.cli import _output

    monkeypatch.setattr(_output, "at_terminal", lambda: True)


def test_at_a_terminal_a_numbered_picker_chooses(crm: Crm, smiths: dict[str, str], terminal: Any) -> None:
    picked = crm.cli("contacts", "show", "John Smith", input="2\n")
    order = [smiths["acme"], smiths["globex"]]  # candidates come in the order they were added
    assert "1  John Smith" in picked.stderr and "2  John Smith" in picked.stderr
    assert order[1] in picked.stdout
    stopped = crm.cli("contacts", "edit", "John Smith", "--title", "CEO", input="\n", ok=None)
    assert stopped.exit_code == 1 and "nothing chosen, nothing changed" in stopped.stderr
    assert all(crm.show(i).get("title") is None for i in order)


def test_accents_are_ignored_when_nothing_else_matches(crm: Crm) -> None:
    omer = crm.add("Ömer Yıldız")
    assert crm.show("omer")["id"] == omer["id"]
    assert crm.show("OMER YILDIZ")["id"] == omer["id"]
    plain = crm.add("Jose Garcia")
    assert crm.show("José García")["id"] == plain["id"]
    crm.add("Ömer Kaya")
    crm.rejects("contacts", "show", "omer", code="bad_request", says="matches 2 contacts")


def test_invisible_characters_in_a_stored_name_are_ignored_when_nothing_else_matches(crm: Crm) -> None:
    """A vCard or a web page can leave a zero-width space or a soft hyphen inside a name: search found
    "A\u200bda Lovelace" by `ada`, but `pcrm contacts show ada` (and every command taking a contact) said no
    contact matched [contact-references] [search-spellings]."""
    ada = crm.add("A\u200bda Love\u00adlace")
    for ref in ("ada", "Ada Lovelace", "ADA LOVELACE", "a\u200bda"):
        assert crm.show(ref)["id"] == ada["id"], repr(ref)
    king = crm.add("Ada King")  # a first name that matches as typed comes first, as an unaccented one does
    assert crm.show("ada")["id"] == king["id"]
    assert crm.show("ada lovelace")["id"] == ada["id"]


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_the_picker_through_a_pseudo_terminal(crm: Crm, smiths: dict[str, str], pcrm_home: Path) -> None:
    import pty
    import select
    import subprocess

    env = {**os.environ, "PCRM_HOME": str(pcrm_home), "PYTHONPATH": os.environ.get("PYTHONPATH", os.getcwd())}
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pcrm", "contacts", "show", "John Smith"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
    )
    os.close(slave)
    seen = b""

    def read_until(marker: bytes) -> None:
        nonlocal seen
        while marker not in seen:
            ready, _, _ = select.select([master], [], [], 20)
            assert ready, seen
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk

    read_until(b"which one (1-2")
    assert b"matches 2 contacts" in seen and b"Acme  john@acme.test" in seen and b"Globex" in seen
    os.write(master, b"2\n")
    read_until(smiths["globex"].encode())
    assert proc.wait(timeout=20) == 0
    os.close(master)
    assert smiths["globex"].encode() in seen


def test_a_contact_listed_by_its_number_is_found_by_it(crm: Any) -> None:
    """A contact with no name is listed by its phone number ([display-name]), but `pcrm note add "+353 1 234
    5678" hi`, pasting what the list showed, said "no contact matches"; only `tel:+35312345678` found it. A
    reference written as a phone number (7 digits or more) names the contact holding that line, after
    every name, so a name made of digits still wins."""
    zoe = crm.add(None, "--phone", "+353 1 234 5678")
    assert crm.cli("contacts", "list", "--fields", "name").stdout == "+353 1 234 5678\n"
    for ref in ("+353 1 234 5678", "+35312345678", "+353-1-234-5678"):
        assert crm.show(ref)["id"] == zoe["id"], ref
    crm.cli("note", "add", "+353 1 234 5678", "hi")
    assert crm.cli.json("note", "list", zoe["id"])["meta"]["total"] == 1
    crm.rejects("contacts", "show", "+44 20 7946 0958", code="not_found", says="no contact matches")
