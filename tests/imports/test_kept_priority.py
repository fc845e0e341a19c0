"""A file's priority for a contact that exists already [kept-priority]: the contact's own priority stays
(it is the user's), and the file's other one is kept aside as an extra field ("other priority"), counted
among the values kept and said in the summary, never dropped. End to end through `pcrm import` and
`POST /api/v1/contacts/import/csv` on a store in tmp_path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

NOW = ("--now", "2026-03-01T12:00:00Z")


def _csv(tmp_path: Path, name: str, text: str) -> Path:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return f


def _priority(store: Any, name: str) -> tuple[str, list[str]]:
    (level,) = store.q("SELECT priority_level FROM contacts WHERE full_name = ?", (name,))[0]
    kept = store.q(
        "SELECT value FROM contact_fields JOIN contacts c ON c.id = contact_id WHERE c.full_name = ?", (name,)
    )
    return level, [v for (v,) in kept]


def test_a_files_priority_for_an_existing_contact_is_kept_aside_and_said(imp, cli, tmp_path: Path, store):
    """`pcrm import people.csv` whose `priority` says "archived" for Ada, who exists with priority high:
    the cell was ignored without a word ("0 updated, 1 unchanged"). Ada keeps her priority; "archived" is
    kept as an extra field (contacts show: "other priority"), counted and said ("1 differing value kept as
    an extra field"); a rerun changes nothing; `pcrm import undo` takes it back."""
    imp(_csv(tmp_path, "a.csv", "Name,Email,Priority\nAda Lovelace,ada@x.test,high\n"))
    f = _csv(tmp_path, "b.csv", "Name,Email,Priority\nAda Lovelace,ada@x.test,archived\n")
    shown = cli("import", str(f), *NOW).stdout
    assert "1 updated" in shown and "1 differing value kept as an extra field" in shown
    assert _priority(store, "Ada Lovelace") == ("high", ["X-PCRM-OTHER-PRIORITY:archived"])
    assert "other priority" in cli("contacts", "show", "ada@x.test").stdout
    assert imp(f)["data"]["batch_id"] is None
    batch = cli.json("import", "history")["data"][0]["id"]
    cli.json("import", "undo", batch, "--yes")
    assert _priority(store, "Ada Lovelace") == ("high", [])


def test_a_name_only_row_with_another_priority_stays_one_contact(imp, cli, tmp_path: Path, store):
    """A row of a name and a priority: the priority kept aside is no more known of the person, so the same
    row again (and the first file again) joins the same contact, not a namesake made beside it."""
    first = _csv(tmp_path, "c.csv", "Name,Priority\nZed Zulu,high\n")
    other = _csv(tmp_path, "d.csv", "Name,Priority\nZed Zulu,low\n")
    imp(first)
    assert imp(other)["data"]["values_kept"] == 1
    for f in (other, first):
        rep = imp(f)["data"]
        assert (rep["batch_id"], rep["contacts_created"]) == (None, 0)
    assert _priority(store, "Zed Zulu") == ("high", ["X-PCRM-OTHER-PRIORITY:low"])


def test_a_vcards_priority_for_an_existing_contact_is_kept_aside(imp, cli, tmp_path: Path, store):
    """A pcrm vCard export's X-PCRM-PRIORITY, imported into a store where the contact exists: kept aside the
    same way, not dropped."""
    imp(_csv(tmp_path, "a.csv", "Name,Email\nAda Lovelace,ada@x.test\n"))
    card = "\r\n".join(
        [
            "BEGIN:VCARD",
            "VERSION:3.0",
            "FN:Ada Lovelace",
            "EMAIL:ada@x.test",
            "X-PCRM-PRIORITY:low",
            "END:VCARD",
            "",
        ]
    )
    rep = imp(_csv(tmp_path, "ada.vcf", card))["data"]
    assert rep["values_kept"] == 1
    assert _priority(store, "Ada Lovelace") == ("medium", ["X-PCRM-OTHER-PRIORITY:low"])


def test_the_api_keeps_a_csvs_other_priority_aside(imp, empty_api: Any, tmp_path: Path, store):
    imp(_csv(tmp_path, "a.csv", "Name,Email,Priority\nAda Lovelace,ada@x.test,high\n"))
    body = b"Name,Email,Priority\nAda Lovelace,ada@x.test,archived\n"
    r = empty_api.post("/api/v1/contacts/import/csv", files={"file": ("b.csv", body, "text/csv")})
    assert r.status_code == 200, r.text
    assert (r.json()["data"]["contacts_updated"], r.json()["data"]["values_kept"]) == (1, 1)
    assert _priority(store, "Ada Lovelace") == ("high", ["X-PCRM-OTHER-PRIORITY:archived"])
