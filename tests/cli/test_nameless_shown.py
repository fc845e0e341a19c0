"""A contact without a name is shown by its address or number everywhere a name is shown [display-name]:
`pcrm contacts list` named it so, while `pcrm activity recent`, the `pcrm suggestions` rows and replies and
the `pcrm score explain` header still said "(no name)"."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.crm import Crm


def test_a_nameless_contact_is_shown_by_its_address_everywhere(crm: Crm) -> None:
    who = crm.add(None, "--email", "solo@example.com", "--priority", "medium")
    crm.history(who["id"], [("email", "inbound", "2026-04-02T10:00:00Z")])
    assert "solo@example.com" in crm.cli("contacts", "list").stdout

    header = crm.cli("score", "explain", who["id"], "--format", "table").stdout.splitlines()[0]
    assert header.startswith("solo@example.com"), header

    crm.cli("suggestions", "generate")
    (s,) = crm.cli.json("suggestions", "list")["data"]
    assert s["contact"]["full_name"] is None and s["contact"]["display_name"] == "solo@example.com"
    rows = crm.cli("suggestions", "list").stdout
    assert "solo@example.com" in rows and "(no name)" not in rows
    said = crm.cli("suggestions", "snooze", s["id"], "--days", "3").stdout
    assert "(solo@example.com)" in said, said

    crm.cli("log", who["id"], "called", "--platform", "call")
    recent = crm.cli("activity", "recent").stdout
    assert "solo@example.com" in recent and "(no name)" not in recent
    item: dict[str, Any] = crm.cli.json("activity", "recent")["data"][0]
    assert item["contact_name"] == "solo@example.com"


def test_every_view_that_names_a_contact_shows_a_nameless_one_by_its_address_or_number(
    crm: Crm, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The duplicates, the review queue's merge history, an organization's members, the 2nd-tier lists,
    the follow-up calendar, the bulk-update preview and the edit form said "(no name)" [display-name]."""
    crm.add("Ada Lovelace", "--email", "ada@example.com", "--company", "Acme")
    solo = crm.add(None, "--email", "ada.lovelace@gmail.com", "--company", "Acme", "--birthday", "1990-12-10")
    crm.history(solo["id"], [("email", "inbound", "2026-06-01T10:00:00Z")])
    seen: list[str] = []

    def shown(*args: str) -> str:
        text = crm.cli(*args).stdout
        seen.append(text)
        return text

    dup = shown("contacts", "duplicates", "Ada Lovelace")
    assert f"ada.lovelace@gmail.com {solo['id'][:8]}" in dup, dup
    assert "ada.lovelace@gmail.com" in shown("orgs", "show", "Acme")
    calendar = crm.cli("calendar", "export").stdout_bytes.decode().replace("\r\n ", "")
    assert "SUMMARY:Follow up with ada.lovelace@gmail.com" in calendar
    assert "SUMMARY:ada.lovelace@gmail.com's birthday" in calendar
    seen.append(calendar)
    preview = shown("contacts", "bulk-update", solo["id"], "--add-tag", "x", "--dry-run")
    assert "ada.lovelace@gmail.com" in preview

    header = tmp_path / "header.txt"
    _editor = tmp_path / "fake-editor.py"
    _editor.write_text(
        f"#!{sys.executable}\nimport sys, pathlib\n"
        f"pathlib.Path({str(header)!r}).write_text(pathlib.Path(sys.argv[1]).read_text().splitlines()[0])\n"
    )
    _editor.chmod(0o755)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(_editor))
    crm.cli("contacts", "edit", solo["id"])
    assert header.read_text() == f"# Editing ada.lovelace@gmail.com ({solo['id']}).", header.read_text()
    seen.append(header.read_text())

    one = crm.add(None, "--phone", "+14155550101")
    two = crm.add(None, "--phone", "+14155550102")
    crm.cli("contacts", "merge", one["id"], two["id"])
    merges = shown("identity", "history", "--format", "table")
    assert "+14155550101" in merges and "+14155550102" in merges, merges
    taken = crm.cli("contacts", "show", two["id"], ok=False).stderr
    assert f"was merged into +14155550101 ({one['id']})" in taken, taken
    seen.append(taken)

    tier = crm.add(None, "--phone", "+14155550199", "--tag", "2nd tier")
    assert "+14155550199" in shown("second-tier", "rm", "--dry-run")
    crm.cli("contacts", "edit", tier["id"], "--title", "Pilot")  # worked on: named when it goes
    gone = shown("second-tier", "rm", "--yes")
    assert f"+14155550199 ({tier['id'][:8]})" in gone, gone
    assert not [text for text in seen if "(no name)" in text]


def _vcards(*cards: tuple[str, ...]) -> str:
    return "".join("\r\n".join(["BEGIN:VCARD", "VERSION:3.0", *card, "END:VCARD"]) + "\r\n" for card in cards)


def test_an_import_its_undo_and_a_delete_name_nameless_contacts_by_their_numbers(
    crm: Crm, tmp_path: Path
) -> None:
    """`pcrm import phone.vcf --dry-run` listed the phone-only cards it would create by ids no contact has
    yet (`new: 9c835284 · b817300e · Bo Page`); `pcrm import undo BATCH` named them by id prefix too, and
    `pcrm contacts rm +14155550111` asked 'Delete 56792e2d and their whole timeline?' [display-name]."""
    phone = tmp_path / "phone.vcf"
    phone.write_text(
        _vcards(("TEL:+14155550111",), ("TEL:+14155550112",), ("FN:Bo Page", "EMAIL:bo@x.org")),
        encoding="utf-8",
    )
    dry = crm.cli("import", str(phone), "--dry-run").stdout
    assert "  new: +14155550111 · +14155550112 · Bo Page" in dry, dry
    batch = crm.cli.json("import", str(phone))["data"]["batch_id"]
    crm.cli("contacts", "edit", "+14155550111", "--title", "Pilot")  # worked on since: kept by an undo
    undo = crm.cli("import", "undo", batch, "--dry-run")
    assert "  removes: +14155550112 · Bo Page" in undo.stdout, undo.stdout
    assert "would keep +14155550111 (edited since)" in undo.stderr, undo.stderr
    (kept,) = crm.cli.json("import", "undo", batch, "--dry-run")["data"]["kept_contacts"]
    assert kept["full_name"] is None and kept["display_name"] == "+14155550111"

    asked = crm.cli("contacts", "rm", "+14155550111", ok=False).stderr
    assert "Delete +14155550111 and their whole timeline?" in asked, asked
    merged = crm.add(None, "--phone", "+14155550177")
    crm.cli("contacts", "merge", "+14155550111", "+14155550177")
    asked = crm.cli("contacts", "rm", "+14155550111", ok=False).stderr
    assert "1 merged-in contact that would go with it: +14155550177." in asked, asked
    gone = crm.cli("contacts", "rm", "+14155550111", "--yes").stdout
    assert "1 merged-in contact went with it: +14155550177;" in gone, gone
    # the merged contact's id names the survivor as lists showed it, though it was deleted since
    said = crm.cli("contacts", "show", merged["id"], ok=False).stderr
    assert "was merged into +14155550111 (" in said and "deleted since" in said, said
