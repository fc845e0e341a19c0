"""[shared-keys] and [import-matching] at import time, end to end through `pcrm import`: a shared office
line, a family landline, a switchboard vCard folder, name-only rows, values kept aside, rejected pairs and
undo. Numbers are written in E.164 so they normalise the same under any `phone_region`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.imports import NOW
from tests.support.store import diff_dumps, people, query

OFFICE = "+46 8 555 010 20"  # -> +46855501020 whatever the region
OFFICE_E164 = "+46855501020"


def _csv(tmp_path: Path, name: str, text: str) -> Path:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return f


def _matches(cli: Any) -> list[dict[str, Any]]:
    return cli.json("identity", "matches", "--now", NOW)["data"]


def _pair(m: dict[str, Any]) -> set[str]:
    return {m["contact_a"]["full_name"], m["contact_b"]["full_name"]}


def test_a_shared_office_line_keeps_both_people_and_queues_the_pair(
    cli: Any, imp: Any, tmp_path: Path
) -> None:
    f = _csv(
        tmp_path,
        "office.csv",
        f"full_name,phone,company\nAnna Berg,{OFFICE},Berg AB\nErik Berg,{OFFICE},Berg AB\n",
    )
    dry = cli("import", str(f), "--dry-run", "--now", NOW).stdout
    assert "2 new contacts, 0 updated, 0 unchanged" in dry
    assert "1 pair to review: pcrm identity matches" in dry
    rep = imp(f)["data"]
    # before: "1 new, 1 unchanged", Erik folded into Anna and gone
    assert (rep["contacts_created"], rep["contacts_skipped"], rep["pending_review"]) == (2, 0, 1)
    names = sorted(c["full_name"] for c in cli.json("contacts", "list", "--now", NOW)["data"])
    assert names == ["Anna Berg", "Erik Berg"]
    (m,) = _matches(cli)
    assert _pair(m) == {"Anna Berg", "Erik Berg"} and m["status"] == "pending_review"
    assert m["shared_key"] == {"key": "phone", "value": OFFICE_E164} and m["match_method"] == "deterministic"
    assert f"they share phone {OFFICE}" in cli("identity", "matches", "--now", NOW).stdout
    # a rerun changes nothing and asks nothing again
    again = imp(f)["data"]
    assert (again["contacts_created"], again["contacts_updated"], again["pending_review"]) == (0, 0, 0)
    assert again["contacts_skipped"] == 2 and again["batch_id"] is None
    assert len(_matches(cli)) == 1


def test_a_rejected_office_line_pair_stays_apart(cli: Any, imp: Any, tmp_path: Path) -> None:
    f = _csv(tmp_path, "office.csv", f"full_name,phone\nAnna Berg,{OFFICE}\nErik Berg,{OFFICE}\n")
    imp(f)
    (m,) = _matches(cli)
    cli("identity", "reject", m["id"], "--now", NOW)
    # [rejected-pairs]: neither a re-import, the tier-1 pass nor a scan joins or asks about them again
    again = imp(f)["data"]
    assert again["contacts_created"] == 0 and again["pending_review"] == 0
    scan = cli.json("identity", "scan", "--now", NOW)["data"]
    assert scan == {"auto_merged": 0, "pending_review": 0, "matches_found": 0}
    assert _matches(cli) == []
    assert len(cli.json("contacts", "list", "--now", NOW)["data"]) == 2


def test_a_family_landline_in_one_file_does_not_collapse_into_one_contact(
    cli: Any, imp: Any, tmp_path: Path, db: Path
) -> None:
    f = _csv(
        tmp_path,
        "family.csv",
        "full_name,phone,email,birthday\n"
        f"Anna Berg,{OFFICE},,\n"
        f"Erik Berg,{OFFICE},,\n"
        f"Anna Berg,{OFFICE},anna@berg.example,1984-02-03\n",  # Anna again: she joins herself, not Erik
    )
    rep = imp(f)["data"]
    assert (rep["contacts_created"], rep["contacts_folded"], rep["pending_review"]) == (2, 1, 1)
    p = people(db)
    assert p["Anna Berg"]["emails"] == ["anna@berg.example"] and p["Anna Berg"]["birthday"] == "1984-02-03"
    assert p["Erik Berg"]["emails"] == [] and p["Erik Berg"]["birthday"] is None
    assert p["Anna Berg"]["phones"] == p["Erik Berg"]["phones"] == [OFFICE]
    assert _pair(_matches(cli)[0]) == {"Anna Berg", "Erik Berg"}


def test_a_switchboard_vcard_folder_stays_ten_people(cli: Any, imp: Any, tmp_path: Path) -> None:
    folder = tmp_path / "cards"
    folder.mkdir()
    names = [
        ("Lindqvist", "Astrid"),
        ("Nakamura", "Hiro"),
        ("Okafor", "Chidi"),
        ("Petrov", "Ivan"),
        ("Quinn", "Maeve"),
        ("Rossi", "Giulia"),
        ("Santos", "Tiago"),
        ("Tanaka", "Yuki"),
        ("Urquhart", "Fiona"),
        ("Varga", "Bence"),
    ]
    for i, (family, given) in enumerate(names):
        (folder / f"card{i}.vcf").write_text(
            "BEGIN:VCARD\r\nVERSION:3.0\r\n"
            f"N:{family};{given};;;\r\nFN:{given} {family}\r\nORG:Switchboard Ltd\r\n"
            f"TEL;TYPE=work:{OFFICE}\r\nEND:VCARD\r\n",
            encoding="utf-8",
        )
    out = imp(folder)
    rep = out["data"]
    # before: one contact with ten surnames; now a shared line joins nobody and is no reason to ask
    assert rep["contacts_created"] == 10 and rep["pending_review"] == 0
    assert out["meta"]["identity"]["auto_merged"] == 0
    assert len(cli.json("contacts", "list", "--page-size", "100", "--now", NOW)["data"]) == 10
    scan = cli.json("identity", "scan", "--now", NOW)
    assert scan["meta"]["deterministic_merged"] == 0 and _matches(cli) == []


def test_an_office_line_file_imported_again_makes_nobody_again(
    cli: Any, imp: Any, tmp_path: Path, dump: Any
) -> None:
    f = _csv(
        tmp_path,
        "office.csv",
        "full_name,phone,title\n"
        f"Anna Berg,{OFFICE},CEO\nErik Lund,{OFFICE},\n"
        f"Lena Holm,{OFFICE},Intern\nLena Holm,{OFFICE},Intern\n",
    )
    rep = imp(f)["data"]
    # the repeated row is the same Lena: folded into the one the file made
    assert (rep["contacts_created"], rep["contacts_folded"], rep["pending_review"]) == (3, 1, 0)
    before = dump()
    again = imp(f)["data"]
    # before: a shared line joins nobody, so each run of the same file made all three people again
    assert (again["contacts_created"], again["contacts_updated"], again["pending_review"]) == (0, 0, 0)
    assert again["contacts_skipped"] == 3 and again["batch_id"] is None  # Lena's two rows: one contact
    assert dump() == before, diff_dumps(before, dump())
    # a row of the same name on the line that says something the contact does not hold is not the
    # same record again: still a contact of its own, as before
    g = _csv(tmp_path, "other.csv", f"full_name,phone,birthday\nErik Lund,{OFFICE},1970-01-01\n")
    assert imp(g)["data"]["contacts_created"] == 1
    names = sorted(c["full_name"] for c in cli.json("contacts", "list", "--now", NOW)["data"])
    assert names == ["Anna Berg", "Erik Lund", "Erik Lund", "Lena Holm"]


def test_two_john_smiths_with_different_birthdays_stay_two(
    cli: Any, imp: Any, tmp_path: Path, db: Path
) -> None:
    f = _csv(
        tmp_path,
        "smiths.csv",
        "full_name,birthday,location\nJohn Smith,1980-04-02,Berlin\nJohn Smith,1975-11-30,Oslo\n",
    )
    rep = imp(f)["data"]
    # before: one John Smith, the second row's birthday and place dropped without a word
    assert rep["contacts_created"] == 2 and rep["values_kept"] == 0 and rep["pending_review"] == 0
    rows = query(db, "SELECT birthday, location FROM contacts ORDER BY birthday")
    assert rows == [("1975-11-30", "Oslo"), ("1980-04-02", "Berlin")]
    # the second John Smith's row again, alone in another file: it is him, nothing new
    g = _csv(tmp_path, "oslo.csv", "full_name,birthday,location\nJohn Smith,1975-11-30,Oslo\n")
    again = imp(g)["data"]
    assert again["contacts_created"] == 0 and again["contacts_skipped"] == 1 and again["batch_id"] is None


def test_a_name_only_row_the_scorer_cannot_settle_is_queued(cli: Any, imp: Any, tmp_path: Path) -> None:
    cli("contacts", "add", "--name", "Mary Major", "--now", NOW)
    f = _csv(tmp_path, "m.csv", "full_name,title\nMary Major,Engineer\n")
    rep = imp(f)["data"]
    # the name alone is review-band evidence [match-thresholds]: a contact of its own, the pair asked
    assert rep["contacts_created"] == 1 and rep["pending_review"] == 1
    (m,) = _matches(cli)
    assert _pair(m) == {"Mary Major"} and m["match_method"] == "probabilistic" and m["shared_key"] is None


def test_one_john_smith_imported_twice_merges_and_loses_nothing(
    cli: Any, imp: Any, tmp_path: Path, db: Path
) -> None:
    a = _csv(tmp_path, "a.csv", "full_name,company,birthday,title\nJohn Smith,Acme,1980-04-02,CEO\n")
    b = _csv(
        tmp_path,
        "b.csv",
        "full_name,company,birthday,title,location\nJohn Smith,Acme,1980-04-02,CTO,Berlin\n",
    )
    assert imp(a)["data"]["contacts_created"] == 1
    rep = imp(b)["data"]
    assert (rep["contacts_created"], rep["contacts_updated"], rep["values_kept"]) == (0, 1, 1)
    john = people(db)["John Smith"]
    assert john["title"] == "CEO" and john["location"] == "Berlin"  # filled; the other title kept aside
    assert query(db, "SELECT kind, label, value FROM contact_fields") == [("prop", None, "TITLE:CTO")]
    again = imp(b)["data"]
    assert (again["contacts_updated"], again["values_kept"], again["batch_id"]) == (0, 0, None)
    # the kept title travels with the contact: a vCard export carries it
    out = tmp_path / "john.vcf"
    cli("export", "vcard", "--output", str(out))
    assert "TITLE:CTO" in out.read_text(encoding="utf-8")


def test_a_fold_keeps_every_value_that_differs(cli: Any, imp: Any, tmp_path: Path, db: Path) -> None:
    cli(
        "contacts", "add", "--name", "Robert Smith", "--email", "bob@smith.example", "--birthday",
        "1970-01-01", "--location", "London", "--now", NOW,
    )  # fmt: skip
    f = _csv(
        tmp_path,
        "bob.csv",
        "full_name,email,birthday,location,phone\n"
        "Bob Smith,bob@smith.example,1971-01-01,Paris,+1 202 555 0143\n",
    )
    rep = imp(f)["data"]
    assert rep["contacts_updated"] == 1 and rep["values_kept"] == 3
    bob = people(db)["Robert Smith"]
    assert bob["birthday"] == "1970-01-01" and bob["location"] == "London" and bob["phones"]
    assert sorted(query(db, "SELECT kind, label, value FROM contact_fields")) == [
        ("address", None, ";;;Paris;;;"),
        ("date", "birthday", "1971-01-01"),
        ("nickname", None, "Bob Smith"),
    ]


def test_undo_of_an_import_that_folded_and_queued_restores_exactly(
    cli: Any, imp: Any, tmp_path: Path, dump: Any
) -> None:
    cli(
        "contacts", "add", "--name", "Robert Smith", "--email", "bob@smith.example", "--birthday",
        "1970-01-01", "--phone", OFFICE, "--now", NOW,
    )  # fmt: skip
    before = dump(skip=("import_batches",))
    f = _csv(
        tmp_path,
        "mixed.csv",
        "full_name,email,birthday,phone\n"
        "Bob Smith,bob@smith.example,1971-01-01,\n"  # folds into Robert: another birthday and spelling kept
        f"Erik Berg,,,{OFFICE}\n",  # Robert's line under another name: a contact of his own, and a pair
    )
    rep = imp(f)["data"]
    assert (rep["contacts_created"], rep["contacts_updated"], rep["values_kept"], rep["pending_review"]) == (
        1,
        1,
        2,
        1,
    )
    res = cli.json("import", "undo", rep["batch_id"], "--yes", "--now", NOW)["data"]
    assert res["contacts_removed"] == 1 and res["contacts_reverted"] == 1
    after = dump(skip=("import_batches",))
    assert after == before, diff_dumps(before, after)
    assert _matches(cli) == []


@pytest.mark.parametrize("answer", ["reject", "merge then unmerge"])
def test_undo_takes_back_a_pair_the_user_answered_about_a_contact_it_removes(
    answer: str, cli: Any, imp: Any, tmp_path: Path, dump: Any
) -> None:
    cli("contacts", "add", "--name", "Anna Berg", "--phone", OFFICE, "--now", NOW)
    before = dump(skip=("import_batches", "contact_merges", "edit_journal"))
    f = _csv(tmp_path, "erik.csv", f"full_name,phone\nErik Berg,{OFFICE}\n")
    rep = imp(f)["data"]
    (m,) = _matches(cli)
    if answer == "reject":
        cli("identity", "reject", m["id"], "--now", NOW)
    else:
        merged = cli.json("identity", "merge", m["id"], "--now", NOW)["data"]
        cli("contacts", "unmerge", merged["merge_id"], "--now", NOW)
    cli("import", "undo", rep["batch_id"], "--yes", "--now", NOW)
    # before: the answered pair stayed, naming Erik's id beside an empty contact_b_id, after the undo had
    # removed Erik (an undo leaves no trace of the contacts it removes [vcard-folders])
    after = dump(skip=("import_batches", "contact_merges", "edit_journal"))
    assert after == before, diff_dumps(before, after)


def test_a_merge_of_a_pair_the_import_queued_blocks_its_undo_until_unmerged(
    cli: Any, imp: Any, tmp_path: Path, dump: Any
) -> None:
    cli("contacts", "add", "--name", "Anna Berg", "--phone", OFFICE, "--now", NOW)
    anna = cli.json("contacts", "show", "Anna Berg")["data"]
    f = _csv(tmp_path, "erik.csv", f"full_name,phone\nErik Berg,{OFFICE}\n")
    rep = imp(f)["data"]
    assert rep["contacts_created"] == 1 and rep["pending_review"] == 1
    (m,) = _matches(cli)
    merged = cli.json("identity", "merge", m["id"], "--now", NOW)["data"]  # the user says: one person
    refused = cli.json("import", "undo", rep["batch_id"], "--yes", ok=False)["error"]
    assert refused["code"] == "conflict" and merged["merge_id"] in refused["details"]["merge_ids"]
    cli("contacts", "unmerge", merged["merge_id"], "--now", NOW)
    cli("import", "undo", rep["batch_id"], "--yes", "--now", NOW)
    assert [c["full_name"] for c in cli.json("contacts", "list", "--now", NOW)["data"]] == ["Anna Berg"]
    back = cli.json("contacts", "show", anna["id"])["data"]
    assert back["phones"] == anna["phones"] and back["full_name"] == "Anna Berg"
    assert _matches(cli) == []


@pytest.mark.anyio
async def test_the_csv_upload_route_reports_the_queued_pair(empty_twin: Any, tmp_path: Path) -> None:
    f = _csv(tmp_path, "office.csv", f"full_name,phone\nAnna Berg,{OFFICE}\nErik Berg,{OFFICE}\n")
    upload = {"files": {"file": (f.name, f.read_bytes(), "text/csv")}}
    r = await empty_twin.request("POST", "/api/v1/contacts/import/csv", **upload)
    empty_twin.check_schema("POST", "/contacts/import/csv", r)
    report = r.json()["data"]
    assert report["contacts_created"] == 2 and report["pending_review"] == 1 and report["values_kept"] == 0
    matches = await empty_twin.request("GET", "/api/v1/identity/matches")
    empty_twin.check_schema("GET", "/identity/matches", matches)
    (m,) = matches.json()["data"]
    assert m["shared_key"] == {"key": "phone", "value": OFFICE_E164}


def test_the_same_person_from_another_source_with_other_keys_is_queued_not_joined(
    cli: Any, imp: Any, tmp_path: Path
) -> None:
    vcf = tmp_path / "phone.vcf"
    vcf.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nN:Lovelace;Ada;;;\r\n"
        "EMAIL:ada@example.org\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    imp(vcf)
    linkedin = _csv(
        tmp_path,
        "Connections.csv",
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ada,Lovelace,https://www.linkedin.com/in/ada-lovelace,,Analytical Engines,Engineer,01 Jan 2025\n"
        "John,Smith,https://www.linkedin.com/in/jsmith,js@other.example,Acme,CTO,01 Jan 2025\n",
    )
    before = cli.json("contacts", "list", "--now", NOW)["data"]
    rep = imp(linkedin)["data"]
    # before: two Ada Lovelaces and nothing asked until a later `pcrm identity scan`
    assert rep["contacts_created"] == 2 and rep["pending_review"] == 1
    (m,) = _matches(cli)
    assert _pair(m) == {"Ada Lovelace"} and m["status"] == "pending_review"
    assert len(cli.json("contacts", "list", "--now", NOW)["data"]) == len(before) + 2
    # a rerun asks nothing again; undo takes the question back with the batch
    assert imp(linkedin)["data"]["pending_review"] == 0
    cli("import", "undo", rep["batch_id"], "--yes", "--now", NOW)
    assert _matches(cli) == []


def test_namesakes_with_different_emails_are_not_asked_about(cli: Any, imp: Any, tmp_path: Path) -> None:
    imp(_csv(tmp_path, "a.csv", "full_name,email\nJohn Smith,john@a.example\n"))
    rep = imp(_csv(tmp_path, "b.csv", "full_name,email\nJohn Smith,john@b.example\n"))["data"]
    assert rep["contacts_created"] == 1 and rep["pending_review"] == 0
    assert _matches(cli) == []
