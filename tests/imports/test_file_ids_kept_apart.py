"""Records of one file that the app which wrote it kept apart (two ids: a pcrm CSV's `id`, any vCard's
UID) are two contacts: an import creates each and asks about the pair where it would have folded one into
the other on a shared phone or a similar name [own-exports]. Contacts already in the store are matched as
before. The two names here ("Ada Phone", "Ada Phones") agree by the names alone, so only the ids keep them
apart ("Ada Phone2" is now a second Ada Phone by its number, [shared-keys])."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.store import StoreReader

EXPORTS = [("csv", ()), ("vcard", ()), ("vcard", ("--version", "4.0"))]


def _matches(cli: Any) -> list[dict[str, Any]]:
    return cli.json("identity", "matches")["data"]


def _into_empty_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> StoreReader:
    home = tmp_path / "empty"
    monkeypatch.setenv("PCRM_HOME", str(home))
    return StoreReader(home)


@pytest.mark.parametrize(("kind", "args"), EXPORTS)
def test_an_export_into_an_empty_store_keeps_every_contact(
    kind, args, cli, imp, tmp_path, monkeypatch
) -> None:
    cli("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@x.com", "--phone", "+1 939 574 0319")
    cli("contacts", "add", "--name", "Ada Phone", "--phone", "+1 939 574 0319")
    cli("contacts", "add", "--name", "Ada Phones", "--phone", "+19395740319")
    out = tmp_path / f"export.{kind}"
    cli("export", kind, *args, "--output", str(out))
    other = _into_empty_store(tmp_path, monkeypatch)
    rep = imp(out)["data"]
    # before: "2 new, 1 row folded into new ones", Ada Phones lost into Ada Phone on the phone they share
    assert (rep["contacts_created"], rep["contacts_folded"]) == (3, 0)
    names = [r[0] for r in other.q("SELECT full_name FROM contacts ORDER BY full_name")]
    assert names == ["Ada Lovelace", "Ada Phone", "Ada Phones"]
    assert not other.q("SELECT 1 FROM contact_fields WHERE kind = 'nickname'")
    pairs = _matches(cli)
    assert [{p["contact_a"]["full_name"], p["contact_b"]["full_name"]} for p in pairs] == [
        {"Ada Phone", "Ada Phones"}
    ]
    assert pairs[0]["reason"] == "they share phone +1 939 574 0319"
    before = other.q("SELECT uuid, full_name, updated_at FROM contacts ORDER BY id")
    again = imp(out)["data"]
    assert (again["contacts_created"], again["contacts_updated"], again["batch_id"]) == (0, 0, None)
    assert other.q("SELECT uuid, full_name, updated_at FROM contacts ORDER BY id") == before
    cli("import", "undo", rep["batch_id"], "--yes")
    assert other.q("SELECT count(*) FROM contacts") == [(0,)]
    assert other.q("SELECT count(*) FROM identity_matches") == [(0,)]


def test_two_contacts_of_a_shared_phone_are_not_merged_after_the_import(
    cli, imp, tmp_path, monkeypatch
) -> None:
    """Two of them only: the phone is no shared line, so the deterministic pass run after an import that
    created contacts would merge the pair the import asked about."""
    cli("contacts", "add", "--name", "Ada Phone", "--phone", "+1 939 574 0319")
    cli("contacts", "add", "--name", "Ada Phones", "--phone", "+19395740319")
    out = tmp_path / "export.csv"
    cli("export", "csv", "--output", str(out))
    other = _into_empty_store(tmp_path, monkeypatch)
    got = cli.json("import", str(out))
    assert got["data"]["contacts_created"] == 2
    assert got["meta"]["identity"]["auto_merged"] == 0
    cli("identity", "scan")
    assert other.q("SELECT count(*) FROM contacts") == [(2,)]
    assert len(_matches(cli)) == 1


CARD = "BEGIN:VCARD\r\nVERSION:3.0\r\n{uid}FN:{name}\r\nN:;{name};;;\r\nTEL:+1 939 574 0319\r\nEND:VCARD\r\n"


@pytest.mark.parametrize(
    ("uids", "made"),
    [
        (("UID:ABPerson-1\r\n", "UID:ABPerson-2\r\n"), 2),  # another app's two contacts
        (("UID:ABPerson-1\r\n", "UID:ABPerson-1\r\n"), 1),  # one contact written twice
        (("", ""), 1),  # nothing says they are two
    ],
    ids=["two uids", "one uid twice", "no uid"],
)
def test_another_apps_cards_of_two_uids_are_two_contacts(uids, made, imp, store, tmp_path) -> None:
    f = tmp_path / "theirs.vcf"
    f.write_text(
        CARD.format(uid=uids[0], name="Ada Phone") + CARD.format(uid=uids[1], name="Ada Phones"),
        encoding="utf-8",
    )
    rep = imp(f)["data"]
    assert rep["contacts_created"] == made
    assert store.q("SELECT count(*) FROM contacts") == [(made,)]
    assert rep["pending_review"] == (1 if made == 2 else 0)


def test_records_of_two_ids_in_two_batches_of_a_big_file_are_kept_apart(cli, imp, store, tmp_path) -> None:
    """A file read batch by batch [streamed-imports]: the later record meets the earlier one's contact
    already inserted, not staged."""
    rows = ["id,full_name,phones", "0d7b1c8e-5a55-4f0e-9a35-000000000001,Ada Phone,+1 939 574 0319"]
    rows += [f"0d7b1c8e-5a55-4f0e-9a35-1{i:011d},Person {i:05d},+1 939 555 {i:04d}" for i in range(2100)]
    rows.append("0d7b1c8e-5a55-4f0e-9a35-000000000002,Ada Phones,+19395740319")
    f = tmp_path / "big.csv"
    f.write_text("\n".join(rows) + "\n", encoding="utf-8")
    rep = imp(f)["data"]
    assert (rep["contacts_created"], rep["contacts_folded"], rep["pending_review"]) == (2102, 0, 1)
    assert store.q("SELECT count(*) FROM contacts WHERE full_name LIKE 'Ada%'") == [(2,)]


@pytest.mark.parametrize(("kind", "args"), EXPORTS)
def test_namesakes_known_by_their_name_alone_come_back_as_two(
    kind, args, cli, imp, tmp_path, monkeypatch
) -> None:
    cli("contacts", "add", "--name", "Misty")
    cli("contacts", "add", "--name", "Misty")
    out = tmp_path / f"export.{kind}"
    cli("export", kind, *args, "--output", str(out))
    other = _into_empty_store(tmp_path, monkeypatch)
    rep = imp(out)["data"]
    # before: one Misty, the second row taken for the first one again
    assert (rep["contacts_created"], rep["contacts_folded"]) == (2, 0)
    assert other.q("SELECT count(*) FROM contacts") == [(2,)]
    assert [p["reason"] for p in _matches(cli)] == ["they share name Misty"]
    again = imp(out)["data"]
    assert (again["contacts_created"], again["contacts_updated"], again["batch_id"]) == (0, 0, None)
