"""What a name's suffix and title say about who it is [shared-keys] [match-scoring]: a father and his son
("Tom Hardy Senior", "Tom Hardy Junior") are two people however the suffix is spelled, and a suffix is
read apart from the family name; a title with a family name alone ("Mr Kim", "Dr Park") is not a full
name's match: a household or a firm shares the family name. Through `pcrm import` and `pcrm identity
scan`, on a real store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pcrm.domain.identity_names import parse_name
from tests.support.store import people

NOW = ("--now", "2026-06-01T12:00:00Z")


def _csv(tmp_path: Path, name: str, rows: list[str]) -> Path:
    f = tmp_path / name
    f.write_text("Name,Phone,Email,Company\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return f


def _add(cli: Any, name: str, *args: str) -> None:
    cli("contacts", "add", "--name", name, *args, *NOW)


def _pairs(cli: Any) -> dict[frozenset[str], dict[str, Any]]:
    return {
        frozenset((m["contact_a"]["full_name"], m["contact_b"]["full_name"])): m
        for m in cli.json("identity", "matches", *NOW)["data"]
    }


def test_a_father_and_son_on_one_landline_stay_two_people_however_the_suffix_is_spelled(
    cli: Any, imp: Any, tmp_path: Path, db: Path
) -> None:
    rows = [
        "Tom Hardy Senior,+44 1632 960201,,",
        "Tom Hardy Junior,+44 1632 960201,,",
        '"Smith, John Jr.",+44 1632 960202,,',
        "John Smith Sr,+44 1632 960202,,",
        "Bill Gates III,+44 1632 960203,,",
        "Bill Gates IV,+44 1632 960203,,",
    ]
    rep = imp(_csv(tmp_path, "family.csv", rows))["data"]
    # before: the Hardys were one contact ("Junior" and "Senior" were read as family names)
    assert rep["contacts_created"] == 6
    out = cli.json("identity", "scan", *NOW)["data"]
    assert out["auto_merged"] == 0 and len(people(db)) == 6
    pairs = _pairs(cli)
    for a, b in (
        ("Tom Hardy Senior", "Tom Hardy Junior"),
        ("Smith, John Jr.", "John Smith Sr"),
        ("Bill Gates III", "Bill Gates IV"),
    ):
        assert pairs[frozenset((a, b))]["match_method"] == "deterministic", (a, b)


def test_a_suffix_is_read_apart_from_the_family_name(cli: Any, db: Path) -> None:
    """ "Junior" and "Jr." are one suffix of one name, written after the name or its "Family, Given"
    form."""
    _add(cli, "Tom Hardy Junior", "--phone", "+44 1632 960211")
    _add(cli, "Tom Hardy Jr.", "--phone", "+44 1632 960211", "--tag", "kept")
    _add(cli, "Chen, Wei Senior", "--phone", "+44 1632 960212")
    _add(cli, "Wei Chen, Senior", "--phone", "+44 1632 960212", "--tag", "kept")
    out = cli.json("identity", "scan", *NOW)["data"]
    # before: Junior was a third name part, so against Jr. it was a suffix on one side only: queued
    assert out == {"auto_merged": 2, "pending_review": 0, "matches_found": 2}
    assert len(people(db)) == 2
    # the survivors keep their names as written
    assert set(people(db)) <= {"Tom Hardy Junior", "Tom Hardy Jr.", "Chen, Wei Senior", "Wei Chen, Senior"}


def test_junior_and_senior_are_names_where_they_are_not_suffixes() -> None:
    assert parse_name("Junior Silva").tokens == ("junior", "silva")
    assert parse_name("Jane Senior").tokens == ("jane", "senior")
    assert parse_name("Jane Senior").markers == ("", "")
    assert parse_name("Tom Hardy Senior").tokens == ("tom", "hardy")
    assert parse_name("Tom Hardy Senior").markers == ("", "sr")
    assert parse_name("Hardy, Tom Junior").markers == ("", "jr")


def test_a_title_with_a_family_name_alone_does_not_join_a_full_name(
    cli: Any, imp: Any, tmp_path: Path, db: Path
) -> None:
    imp(
        _csv(
            tmp_path,
            "people.csv",
            ["Jane Kim,,,Acme", "Peter Park,+44 1632 960221,,", "Ann Lee,,ann@lee.example,"],
        )
    )
    rep = imp(
        _csv(
            tmp_path,
            "old-phone.csv",
            ["Mr Kim,,,Acme", "Dr Park,+44 1632 960221,,", "Prof. Lee,,ann@lee.example,"],
        )
    )["data"]
    # before: Dr Park joined Peter Park on the landline; a mailbox is rarely shared, so Prof. Lee still
    # joins Ann Lee on hers (as an initial would: "A. Lee")
    assert rep["contacts_created"] == 2 and rep["contacts_updated"] == 1
    out = cli.json("identity", "scan", *NOW)["data"]
    # before: the scan merged Mr Kim into Jane Kim on the family name and the company (0.89)
    assert out["auto_merged"] == 0
    assert set(people(db)) == {"Jane Kim", "Mr Kim", "Peter Park", "Dr Park", "Ann Lee"}
    pairs = _pairs(cli)
    assert pairs[frozenset(("Peter Park", "Dr Park"))]["shared_key"]["key"] == "phone"
    kim = pairs[frozenset(("Jane Kim", "Mr Kim"))]
    assert kim["match_method"] == "probabilistic" and kim["match_score"] == 0.80
    (hint,) = cli.json("contacts", "duplicates", "Mr Kim", "--explain", *NOW)["data"]
    assert "family_name_alone" in [g["guard"] for g in hint["explanation"]["guards"]]


def test_the_scan_does_not_join_a_title_and_a_family_name_on_a_landline(cli: Any, db: Path) -> None:
    for title in ("Dr Park", "Frau Weber", "Mr. Kim"):
        family = title.split()[-1]
        line = f"+44 1632 9603{len(family):02d}"
        _add(cli, f"Anna {family}", "--phone", line)
        _add(cli, title, "--phone", line)
    out = cli.json("identity", "scan", *NOW)["data"]
    # before: 3 merged by phone
    assert out == {"auto_merged": 0, "pending_review": 3, "matches_found": 3}
    assert len(people(db)) == 6
