"""A contact holding no full name is shown by its given and family names, else its first email, phone or
handle [display-name], and pcrm's own files write that name (a vCard's FN, a contact list's `name`).
Imported back into the same store it is no name of the person's: held, not filled in nor kept as a
nickname, so the export then import is a no-op [list-csv]; into an empty store a list's name that is an
email or a phone is read as that email or phone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.crm import Crm

pytestmark = pytest.mark.anyio


@pytest.fixture
def nameless(crm: Crm) -> Crm:
    crm.add("Ada King", "--given-name", "Ada", "--family-name", "King", "--email", "ada@example.org")
    crm.cli("contacts", "edit", "ada@example.org", "--clear", "full-name")
    crm.add(None, "--given-name", "Zed", "--family-name", "Oak")  # never had a full name
    crm.add(None, "--email", "bob@example.org", "--phone", "+44 20 7946 0001")
    crm.add(None, "--phone", "+44 20 7946 0002")
    crm.add(None, "--telegram", "tgonly")
    return crm


def _state(crm: Crm) -> list[tuple[Any, ...]]:
    keys = ("id", "full_name", "given_name", "family_name", "emails", "phones", "telegram_username")
    rows = crm.cli.json("contacts", "list", "--all")["data"]
    return sorted(tuple(c[k] for k in keys) for c in rows)


def _fields(crm: Crm) -> list[tuple[Any, ...]]:
    return crm.sql("SELECT contact_id, kind, value FROM contact_fields ORDER BY 1, 2, 3")


@pytest.mark.parametrize(
    "write",
    [
        ("export", "vcard"),
        ("export", "vcard", "--version", "4.0"),
        ("export", "csv"),
        ("contacts", "list", "--all", "--format", "csv"),
        ("contacts", "list", "--all", "--fields", "id,name,email,score", "--format", "csv"),
    ],
)
def test_the_name_a_nameless_contact_is_shown_by_comes_back_as_nothing_new(
    nameless: Crm, tmp_path: Path, write: tuple[str, ...]
) -> None:
    before, fields = _state(nameless), _fields(nameless)
    f = tmp_path / ("f.vcf" if "vcard" in write else "f.csv")
    f.write_bytes(nameless.cli(*write).stdout_bytes)
    for _ in range(2):  # and again: nothing piles up
        report = nameless.cli.json("import", str(f))["data"]
        assert (report["contacts_created"], report["contacts_updated"], report["values_kept"]) == (0, 0, 0)
        assert not [e for e in report["errors"] if "is not taken" in e], report["errors"]
    assert _state(nameless) == before
    assert _fields(nameless) == fields  # no NICKNAME:Ada King
    assert "NICKNAME" not in nameless.cli("export", "vcard").stdout


def test_a_list_names_email_and_phone_are_read_as_such_in_an_empty_store(
    nameless: Crm, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = tmp_path / "list.csv"
    f.write_text(nameless.cli("contacts", "list", "--all", "--format", "csv").stdout, encoding="utf-8")
    monkeypatch.setenv("PCRM_HOME", str(tmp_path / "other"))
    nameless.cli("init")
    nameless.cli("import", str(f))
    made = {c["id"]: c for c in nameless.cli.json("contacts", "list", "--all")["data"]}
    assert len(made) == 5
    bob = next(c for c in made.values() if "bob@example.org" in c["emails"])
    assert bob["full_name"] is None
    phone = next(c for c in made.values() if c["phones"] == ["+44 20 7946 0002"])
    assert phone["full_name"] is None


async def test_the_api_import_holds_the_shown_name(empty_twin: Any, tmp_path: Path) -> None:
    cli = empty_twin.cli
    cli("init")
    cli("contacts", "add", "--name", "Ada King", "--given-name", "Ada", "--family-name", "King")
    cli("contacts", "add", "--email", "bob@example.org")
    cli("contacts", "edit", "Ada King", "--clear", "full-name")
    f = tmp_path / "f.csv"
    f.write_text(cli("contacts", "list", "--all", "--format", "csv").stdout, encoding="utf-8")
    before = _fields(empty_twin)
    r = await empty_twin.request(
        "POST", "/api/v1/contacts/import/csv", files={"file": (f.name, f.read_bytes(), "text/csv")}
    )
    data = r.json()["data"]
    assert (data["contacts_created"], data["contacts_updated"], data["values_kept"]) == (0, 0, 0), data
    assert _fields(empty_twin) == before
