"""phone_region end to end: national and international numbers before and after a change, the report of
a change and its dry run, new shared numbers, extensions, and the store's region on every write path
(CLI, API, imports) [value-normalisation] [settings-registry]."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.support.api import V, ok


def _stored(crm: Any) -> dict[str, list[str]]:
    """{full_name: [normalised values in position order]}"""
    out: dict[str, list[str]] = {}
    for name, value in crm.sql(
        "SELECT c.full_name, p.normalized FROM contact_phones p JOIN contacts c ON c.id = p.contact_id "
        "ORDER BY c.full_name, p.position, p.id"
    ):
        out.setdefault(name, []).append(value)
    return out


def _search(cli: Any, term: str) -> list[str]:
    return [c["full_name"] for c in cli.json("contacts", "list", "--search", term)["data"]]


def test_a_national_number_becomes_the_international_one_when_the_region_is_set(crm, cli):
    one = crm.add("Ann One", "--phone", "07700 900123")
    crm.add("Ann Uno", "--phone", "+44 7700 900123")
    # no region: the national number stays as digits, and is not the same number
    assert _stored(crm) == {"Ann One": ["07700900123"], "Ann Uno": ["+447700900123"]}
    assert _search(cli, "447700900123") == ["Ann Uno"]

    env = cli.json("settings", "set", "phone_region", "gb")
    assert env["data"] == {"phone_region": "GB"}
    report = env["meta"]["phones"]
    assert env["meta"]["dry_run"] is False
    assert {k: report[k] for k in ("from", "to", "checked", "changed", "collapsed")} == {
        "from": None,
        "to": "GB",
        "checked": 2,
        "changed": 1,
        "collapsed": 0,
    }
    assert report["examples"] == [
        {
            "contact": {"id": one["id"], "full_name": "Ann One", "display_name": "Ann One"},
            "typed": "07700 900123",
            "from": "07700900123",
            "to": "+447700900123",
            "collapsed": False,
        }
    ]
    assert _stored(crm) == {"Ann One": ["+447700900123"], "Ann Uno": ["+447700900123"]}
    assert sorted(_search(cli, "447700900123")) == ["Ann One", "Ann Uno"]  # the search index followed
    assert crm.show(one["id"])["phones"] == ["07700 900123"]  # what the user typed is what they see

    # another region reads the national text as its own; the international number never moves
    report = cli.json("settings", "set", "phone_region", "DE")["meta"]["phones"]
    assert (report["from"], report["changed"]) == ("GB", 1)
    assert _stored(crm) == {"Ann One": ["+497700900123"], "Ann Uno": ["+447700900123"]}

    # and no region again: digits, as before
    env = cli.json("settings", "reset", "phone_region")
    assert env["data"] == {"phone_region": None} and env["meta"]["phones"]["changed"] == 1
    assert _stored(crm) == {"Ann One": ["07700900123"], "Ann Uno": ["+447700900123"]}


def test_the_report_lists_new_shared_numbers_and_merges_nothing(crm, cli):
    a = crm.add("Ann Lee", "--phone", "07700 900123")
    b = crm.add("Ann Lee-Smith", "--phone", "+44 7700 900123")
    crm.add("Dee", "--phone", "01632 960001")
    crm.add("Dee's office", "--phone", "+44 1632 960001")
    env = cli.json("settings", "set", "phone_region", "GB")
    dupes = env["meta"]["phones"]["duplicates"]
    assert [d["phone"] for d in dupes] == ["+441632960001", "+447700900123"]
    assert dupes[1]["contacts"] == [
        {"id": a["id"], "full_name": "Ann Lee", "display_name": "Ann Lee"},
        {"id": b["id"], "full_name": "Ann Lee-Smith", "display_name": "Ann Lee-Smith"},
    ]
    assert len(cli.json("contacts", "list")["data"]) == 4  # reported, not merged
    assert cli.json("identity", "matches")["data"] == []  # nor queued

    # the tier-1 pass now sees one number where it saw two
    scan = cli.json("identity", "scan", "--dry-run")
    assert scan["meta"]["deterministic_merged"] >= 1


def test_the_human_report_names_the_changes_and_the_shared_numbers(crm, cli):
    crm.add("Ann One", "--phone", "07700 900123")
    crm.add("Ann Uno", "--phone", "+44 7700 900123")
    r = cli("settings", "set", "phone_region", "GB")
    assert "phone_region" in r.stdout and "GB" in r.stdout
    err = " ".join(r.stderr.split())
    assert "2 stored numbers checked under region GB: 1 changed" in err
    assert "Ann One: 07700 900123 07700900123 -> +447700900123" in err
    assert "1 number now shared by contacts that shared none before" in err
    assert "+447700900123: Ann One, Ann Uno" in err
    assert "nothing was merged; `pcrm identity scan`" in err


def test_the_report_names_a_nameless_contact_by_its_number_or_address(crm, cli):
    """`pcrm settings set phone_region GB` named a contact without a name by its whole id in the changes and
    the shared numbers; it names it as `pcrm contacts list` does [display-name]."""
    crm.add(None, "--phone", "07700 900123")
    ann = crm.add(None, "--email", "ann@uno.example", "--phone", "+44 7700 900123")
    report = cli.json("settings", "set", "phone_region", "GB", "--dry-run")["meta"]["phones"]
    (example,) = report["examples"]
    assert example["contact"]["full_name"] is None and example["contact"]["display_name"] == "07700 900123"
    r = cli("settings", "set", "phone_region", "GB")
    err = " ".join(r.stderr.split())
    assert "07700 900123: 07700 900123 07700900123 -> +447700900123" in err, err
    assert "+447700900123: 07700 900123, ann@uno.example" in err, err
    assert ann["id"] not in err


def test_dry_run_reports_the_same_and_changes_nothing(crm, cli):
    crm.add("Ann One", "--phone", "07700 900123")
    crm.add("Ann Uno", "--phone", "+44 7700 900123")
    before = crm.dump()
    dry = cli.json("settings", "set", "phone_region", "GB", "--dry-run")
    assert dry["data"] == {"phone_region": "GB"} and dry["meta"]["dry_run"] is True
    assert crm.dump() == before
    assert cli.json("settings", "show", "phone_region")["data"] == {"phone_region": None}
    assert "dry run: nothing was changed" in cli("settings", "set", "phone_region", "GB", "--dry-run").stderr
    real = cli.json("settings", "set", "phone_region", "GB")
    assert real["meta"]["phones"] == dry["meta"]["phones"]
    # a dry run of any other key validates and answers without writing either
    assert cli.json("settings", "set", "priority.high", "21", "--dry-run")["data"]["high"] == 21
    assert cli.json("settings", "show", "priority")["data"]["high"] == 30


def test_a_contact_holding_one_number_twice_keeps_the_first_typed(crm, cli):
    ann = crm.add(
        "Ann", "--phone", "07700 900123", "--phone", "+44 7700 900123", "--phone", "+44 20 7946 0958"
    )
    assert crm.show(ann["id"])["phones"] == ["07700 900123", "+44 7700 900123", "+44 20 7946 0958"]
    report = cli.json("settings", "set", "phone_region", "GB")["meta"]["phones"]
    assert (report["changed"], report["collapsed"], report["duplicates"]) == (1, 1, [])
    assert [e["collapsed"] for e in report["examples"]] == [False, True]
    assert crm.show(ann["id"])["phones"] == ["07700 900123", "+44 20 7946 0958"]
    assert _stored(crm) == {"Ann": ["+447700900123", "+442079460958"]}


def test_a_bad_region_is_refused_with_a_hint_and_changes_nothing(crm, cli):
    crm.add("Ann", "--phone", "07700 900123")
    before = crm.dump()
    err = crm.rejects("settings", "set", "phone_region", "UK", code="validation_error")
    assert "did you mean GB?" in err["hint"]
    err = crm.rejects("settings", "set", "phone_region", "Germany", code="validation_error")
    assert "ISO 3166" in err["hint"]
    assert crm.dump() == before


def test_extensions_are_kept_in_one_form_and_two_desks_are_two_numbers(crm, cli):
    cli("settings", "set", "phone_region", "GB")
    desk9 = crm.add(
        "Desk Nine",
        "--phone",
        "+44 20 7946 0958 ext 9",
        "--phone",
        "020 7946 0958 x9",  # the same phone: kept once
        "--phone",
        "tel:+44-20-7946-0958;ext=9",
    )
    crm.add("Desk Seven", "--phone", "020 7946 0958 x7", "--phone", "020 7946 0958")
    assert _stored(crm) == {
        "Desk Nine": ["+442079460958;ext=9"],
        "Desk Seven": ["+442079460958;ext=7", "+442079460958"],
    }
    assert crm.show(desk9["id"])["phones"] == ["+44 20 7946 0958 ext 9"]
    # the extension is not glued onto the number
    assert _search(cli, "4420794609589") == []
    assert sorted(_search(cli, "442079460958")) == ["Desk Nine", "Desk Seven"]


def test_an_extension_typed_without_a_region_follows_it_later(crm, cli):
    crm.add("Desk", "--phone", "020 7946 0958 x9")
    assert _stored(crm) == {"Desk": ["02079460958;ext=9"]}
    cli("settings", "set", "phone_region", "GB")
    assert _stored(crm) == {"Desk": ["+442079460958;ext=9"]}


def test_imports_read_national_numbers_with_the_store_region(crm, cli, tmp_path: Path):
    crm.add("Ann Lee", "--phone", "+44 7700 900123")
    csv = tmp_path / "people.csv"
    csv.write_text("name,phone\nAnn Lee,07700 900123\n", encoding="utf-8")
    # without a region the national number is another number: a second Ann Lee
    dry = cli.json("import", str(csv), "--dry-run")["data"]
    assert dry["contacts_created"] == 1
    cli("settings", "set", "phone_region", "GB")
    rep = cli.json("import", str(csv))["data"]
    assert (rep["contacts_created"], rep["contacts_updated"] + rep["contacts_skipped"]) == (0, 1)
    assert crm.names() == ["Ann Lee"]


def test_the_api_writes_with_the_store_region(empty_api: Any, cli: Any) -> None:
    cli("settings", "set", "phone_region", "GB")
    made = ok(
        empty_api.post(f"{V}/contacts", json={"full_name": "Ann API", "phones": ["07700 900123 ext 12"]}),
        201,
    )
    assert made["data"]["phones"] == ["07700 900123 ext 12"]
    found = ok(empty_api.get(f"{V}/contacts", params={"search": "+447700900123;ext=12"}))["data"]
    assert [c["full_name"] for c in found] == ["Ann API"]
    # a later change of region reaches what the API wrote
    report = cli.json("settings", "set", "phone_region", "DE")["meta"]["phones"]
    assert [(e["from"], e["to"]) for e in report["examples"]] == [
        ("+447700900123;ext=12", "+497700900123;ext=12")
    ]


def test_a_json_export_from_an_older_pcrm_restores_phones_in_this_form(crm, cli, tmp_path, monkeypatch):
    cli("settings", "set", "phone_region", "GB")
    crm.add("Desk", "--phone", "020 7946 0958 x9")
    out = tmp_path / "export.json"
    cli("export", "json", "--output", str(out))
    text = out.read_text(encoding="utf-8")
    assert '"+442079460958;ext=9"' in text
    out.write_text(text.replace('"+442079460958;ext=9"', '"+4420794609589"'), encoding="utf-8")  # as before
    monkeypatch.setenv("PCRM_HOME", str(tmp_path / "restored"))
    cli("import", str(out))
    assert crm.__class__(cli, tmp_path / "restored").sql("SELECT phone, normalized FROM contact_phones") == [
        ("020 7946 0958 x9", "+442079460958;ext=9")
    ]
