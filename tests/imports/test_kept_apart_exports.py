"""The user's "not the same person" answers travel with pcrm's own CSV and vCard exports [kept-apart]: a
restore or a move from the file into another store keeps them, so the pairs are neither asked again nor
merged; an older export without them imports as before, and `pcrm import undo` takes them back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.store import StoreReader

EXPORTS = [("csv", ()), ("vcard", ()), ("vcard", ("--version", "4.0"))]


def _two_wei(cli: Any, imp: Any, tmp_path: Path) -> tuple[str, str]:
    """Two namesakes the review queue asks about (one typed, one from a file), answered "not the same
    person" with `pcrm identity reject`; their ids."""
    a = cli.json("contacts", "add", "--name", "Wei Dubois", "--email", "wei.dubois@proton.me")["data"]["id"]
    book = tmp_path / "book.csv"
    book.write_text("full_name,emails\nWei Dubois,weidubois.1@gmail.com\n", encoding="utf-8")
    assert imp(book)["data"]["pending_review"] == 1
    (match,) = cli.json("identity", "matches")["data"]
    cli("identity", "reject", match["id"])
    (b,) = {match["contact_a_id"], match["contact_b_id"]} - {a}
    return a, b


def _elsewhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str = "restored") -> StoreReader:
    monkeypatch.setenv("PCRM_HOME", str(tmp_path / name))
    return StoreReader(tmp_path / name)


def _decided(store: StoreReader) -> list[tuple[str, str]]:
    return sorted(
        (min(a, b) + " " + max(a, b), status)
        for a, b, status in store.q("SELECT contact_a_uuid, contact_b_uuid, status FROM identity_matches")
    )


@pytest.mark.parametrize(("kind", "args"), EXPORTS)
def test_a_restore_from_the_export_keeps_the_not_the_same_person_answer(
    kind, args, cli, imp, tmp_path, monkeypatch
):
    """`pcrm export csv` (or vcard) then `pcrm import FILE` into an empty store, then `pcrm identity scan`:
    "are these one person?" about the two Wei Dubois the user had answered in the old store."""
    a, b = _two_wei(cli, imp, tmp_path)
    out = tmp_path / f"export.{kind}"
    cli("export", kind, *args, "--output", str(out))
    other = _elsewhere(monkeypatch, tmp_path)
    rep = imp(out)["data"]
    assert (rep["contacts_created"], rep["pending_review"]) == (2, 0)
    assert cli.json("identity", "scan")["data"]["pending_review"] == 0
    assert cli.json("identity", "matches")["data"] == []
    assert _decided(other) == [(min(a, b) + " " + max(a, b), "rejected")]
    # the answer is no value of the contacts: nothing kept aside for it
    assert other.q("SELECT count(*) FROM contact_fields WHERE value LIKE '%NOT-SAME%'") == [(0,)]
    # the same file again (or the store's other export) changes nothing
    again = imp(out)["data"]
    assert (again["contacts_created"], again["contacts_updated"], again["batch_id"]) == (0, 0, None)
    assert len(other.q("SELECT 1 FROM identity_matches")) == 1


@pytest.mark.parametrize(("kind", "args"), EXPORTS)
def test_two_the_file_would_fold_together_stay_two_without_a_question(
    kind, args, cli, imp, tmp_path, monkeypatch
):
    """A phone two contacts share and near-identical names: the import asked about the pair (the file kept
    them apart), though the user had said they are two people."""
    a = cli.json("contacts", "add", "--name", "Ada Phone", "--phone", "+44 20 7946 0101")["data"]["id"]
    b = cli.json("contacts", "add", "--name", "Ada Phone2", "--phone", "+44 20 7946 0101")["data"]["id"]
    cli("contacts", "dismiss-duplicate", a, b)
    out = tmp_path / f"export.{kind}"
    cli("export", kind, *args, "--output", str(out))
    other = _elsewhere(monkeypatch, tmp_path)
    rep = imp(out)["data"]
    assert (rep["contacts_created"], rep["pending_review"]) == (2, 0)
    cli("identity", "scan")
    assert sorted(r[0] for r in other.q("SELECT uuid FROM contacts")) == sorted([a, b])
    assert _decided(other) == [(min(a, b) + " " + max(a, b), "rejected")]


def test_an_older_export_without_the_answers_still_imports_and_asks(cli, imp, tmp_path, monkeypatch):
    """A CSV written before the answers travelled: imported as before, the pair asked by the next scan; the
    same store's new export, imported after it, answers the question that waits."""
    a, b = _two_wei(cli, imp, tmp_path)
    new = tmp_path / "export.csv"
    cli("export", "csv", "--output", str(new))
    text = new.read_text(encoding="utf-8")
    assert text.count("X-PCRM-NOT-SAME-AS:") == 2
    old = tmp_path / "old.csv"
    old.write_text(
        "".join(
            line.split("x:X-PCRM-NOT-SAME-AS:")[0] + "\n" if "X-PCRM-NOT-SAME-AS" in line else line
            for line in text.splitlines(keepends=True)
        ),
        encoding="utf-8",
    )
    other = _elsewhere(monkeypatch, tmp_path)
    assert imp(old)["data"]["contacts_created"] == 2
    cli("identity", "scan")
    assert [s for _p, s in _decided(other)] == ["pending_review"]
    rep = imp(new)["data"]
    assert (rep["contacts_created"], rep["contacts_updated"]) == (0, 0) and rep["batch_id"]
    assert cli.json("identity", "matches")["data"] == []
    assert _decided(other) == [(min(a, b) + " " + max(a, b), "rejected")]
    # undo puts the question back as it was
    cli("import", "undo", rep["batch_id"], "--yes")
    assert [s for _p, s in _decided(other)] == ["pending_review"]


def test_undo_of_the_restore_takes_its_answers_with_it(cli, imp, tmp_path, monkeypatch):
    _two_wei(cli, imp, tmp_path)
    out = tmp_path / "export.vcf"
    cli("export", "vcard", "--output", str(out))
    other = _elsewhere(monkeypatch, tmp_path)
    rep = imp(out)["data"]
    assert len(other.q("SELECT 1 FROM identity_matches WHERE status = 'rejected'")) == 1
    cli("import", "undo", rep["batch_id"], "--yes")
    assert other.q("SELECT count(*) FROM contacts") == [(0,)]
    # no answer left naming ids the store no longer has (which would keep a later restore from taking them)
    assert other.q("SELECT count(*) FROM identity_matches") == [(0,)]
    assert imp(out)["data"]["contacts_created"] == 2


THEIRS = "0d7b1c8e-5a55-4f0e-9a35-0c8f1d1e2a3b"
ROWS = "id,full_name,emails,created_at,extra_fields\n{uid},Jane Kim,jane@family.example,,{extra}\n"


def test_a_record_never_joins_the_contact_it_says_it_is_not(cli, imp, store, tmp_path):
    """A store holding one Jane Kim, and another store's row of the other Jane Kim, who shares her
    family's address: the row joined the contact it names as someone else."""
    jane = cli.json("contacts", "add", "--name", "Jane Kim", "--email", "jane@family.example")["data"]["id"]
    path = tmp_path / "theirs.csv"
    path.write_text(ROWS.format(uid=THEIRS, extra=f"x:X-PCRM-NOT-SAME-AS:{jane}"), encoding="utf-8")
    rep = imp(path)["data"]
    assert (rep["contacts_created"], rep["contacts_updated"], rep["pending_review"]) == (1, 0, 0)
    assert sorted(r[0] for r in store.q("SELECT uuid FROM contacts")) == sorted([jane, THEIRS])
    assert _decided(store) == [(min(jane, THEIRS) + " " + max(jane, THEIRS), "rejected")]
    cli("identity", "scan")
    assert store.q("SELECT count(*) FROM contacts") == [(2,)]


@pytest.mark.parametrize(("kind", "args"), EXPORTS)
def test_a_merge_made_after_the_export_stands_when_the_export_comes_back(
    kind, args, cli, imp, store, tmp_path
):
    """`pcrm export csv`, then `pcrm contacts merge` of two the user had said were two people, then `pcrm
    import` of that export (a re-run, a restore): the merged-away contact came back as a new contact, kept
    apart from the one the user had merged it into."""
    a = cli.json("contacts", "add", "--name", "Ada Phone", "--email", "ada@x.example")["data"]["id"]
    b = cli.json("contacts", "add", "--name", "Ada Phone2", "--email", "ada2@y.example")["data"]["id"]
    cli("contacts", "dismiss-duplicate", a, b)
    out = tmp_path / f"export.{kind}"
    cli("export", kind, *args, "--output", str(out))
    assert "X-PCRM-NOT-SAME-AS" in out.read_text(encoding="utf-8")
    merged = cli.json("contacts", "merge", a, b)["data"]
    rep = imp(out)["data"]
    assert rep["contacts_created"] == 0
    assert [r[0] for r in store.q("SELECT uuid FROM contacts")] == [a]
    assert store.q("SELECT count(*) FROM identity_matches WHERE status = 'rejected'") == [(0,)]
    # once unmerged, the answer in the file holds again: the two are kept apart, not asked about
    cli("contacts", "unmerge", merged["merge_id"])
    imp(out)
    assert sorted(r[0] for r in store.q("SELECT uuid FROM contacts")) == sorted([a, b])
    assert cli.json("identity", "matches")["data"] == []
