"""Two people of one first and last name on one phone or email [shared-keys] [match-scoring]: a father and
his son, "John Albert Smith" and "John Robert Smith", share a home phone. `pcrm import` of such rows folded
them into one contact ("1 new contact, 1 row folded into new ones"), since only the first and the last
name were compared; `pcrm identity scan` over two such contacts scored the names 1.00. Two middle names
that disagree (neither missing, neither an initial or a nickname of the other) are now two people's: the
pair is asked, never folded or merged. One middle name missing, or an initial that agrees, still joins."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from tests.support.seed import bulk_add
from tests.support.store import count_contacts

NOW = ("--now", "2026-06-01T12:00:00Z")

# (name, name, column, value): two people on one key, each pair asked, never folded
ASKED = [
    ("John Albert Smith", "John Robert Smith", "phone", "+14155550001"),
    ("Person Number0 Test", "Person Number10000 Test", "phone", "+14155550002"),
    ("Mary Ann Jones", "Mary Jane Jones", "email", "jones@home.example"),
    ("Karl A. Berg", "Karl R. Berg", "phone", "+14155550003"),
    ("Ana Maria Lopez Diaz", "Ana Lucia Lopez Diaz", "email", "lopez@home.example"),
    # a third name on the longer side does not make two disagreeing middle names agree
    ("Piet Jan Bakker", "Piet Willem Hendrik Bakker", "phone", "+14155550004"),
    # generations and honorifics, as before
    ("Tom Smith Sr.", "Tom Smith Jr.", "phone", "+14155550005"),
    ("Lee Park II", "Lee Park III", "email", "park@home.example"),
]
# one person each: a middle name missing, an initial or a nickname that agrees, a slip of one letter
JOINED = [
    ("Ada Augusta Lovelace", "Ada Lovelace", "phone", "+14155550011"),
    ("Grace B. Hopper", "Grace Brewster Hopper", "phone", "+14155550012"),
    ("Alan Bob Turing", "Alan Robert Turing", "email", "turing@home.example"),
    ("Edgar Frnak Codd", "Edgar Frank Codd", "phone", "+14155550013"),
    ("Vincent van Gogh", "Vincent Willem van Gogh", "email", "gogh@home.example"),
]


def _csv(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Name", "Email", "Phone", "Company"])
        for k, (name, column, value, company) in enumerate(rows):
            email = value if column == "email" else f"row{k}@own.example"
            phone = value if column == "phone" else ""
            w.writerow([name, email, phone, company])
    return path


def _pairs(cli: Any) -> set[tuple[str, str, str, str]]:
    out = set()
    for m in cli.json("identity", "matches", *NOW)["data"]:
        a, b = sorted((m["contact_a"]["full_name"] or "", m["contact_b"]["full_name"] or ""))
        out.add((a, b, m["shared_key"]["key"], m["shared_key"]["value"]))
    return out


def _names(cli: Any) -> list[str]:
    return sorted(
        c["full_name"] or "" for c in cli.json("contacts", "list", "--page-size", "100", *NOW)["data"]
    )


def test_an_import_asks_about_two_middle_names_on_one_key(cli: Any, imp: Any, tmp_path: Path) -> None:
    rows = []
    for a, b, column, value in ASKED + JOINED:
        rows += [(a, column, value, "Acme"), (b, column, value, "Globex")]
    report = imp(_csv(tmp_path / "family.csv", rows))["data"]
    assert report["contacts_created"] == 2 * len(ASKED) + len(JOINED), report
    assert _pairs(cli) == {(*sorted((a, b)), column, value) for a, b, column, value in ASKED}
    names = _names(cli)
    for a, b, _column, _value in ASKED:
        assert a in names and b in names
    for a, _b, _column, _value in JOINED:
        assert a in names  # the first row's contact, the second folded into it
    # the scan finds nothing more to merge among them
    assert cli.json("identity", "scan", *NOW)["data"]["auto_merged"] == 0
    assert len(_names(cli)) == 2 * len(ASKED) + len(JOINED)


def test_three_middle_names_on_one_phone_are_three_contacts(cli: Any, imp: Any, tmp_path: Path) -> None:
    """The finding's file: three rows on one phone with three middle names were "1 new contact, 2 rows
    folded into new ones" (the last two middle names, a digit apart, are no slip of one name either).
    Three contacts on one phone make it a shared line, which asks nothing."""
    rows = [
        ("Person Number0 Test", "phone", "+14155550000", "Acme"),
        ("Person Number10000 Test", "phone", "+14155550000", "Globex"),
        ("Person Number20000 Test", "phone", "+14155550000", "Initech"),
    ]
    report = imp(_csv(tmp_path / "three.csv", rows))["data"]
    assert report["contacts_created"] == 3 and report["contacts_folded"] == 0, report
    assert _names(cli) == sorted(r[0] for r in rows)
    assert cli.json("identity", "scan", *NOW)["data"]["auto_merged"] == 0
    assert len(_names(cli)) == 3


def test_a_scan_asks_about_two_middle_names_never_merges_them(cli: Any, ctx: Any) -> None:
    """Two contacts written as an old store or a bulk import holds them, sharing a phone, a company and a
    birthday: every signal agrees but the middle names, which tier 1 asks about and the score caps at
    review (`middle_names_differ`)."""
    for name in ("John Albert Smith", "John Robert Smith"):
        bulk_add(
            ctx, full_name=name, phones=["+14155550001"], company="Acme", birthday="1960-01-02", source="csv"
        )
    for name in ("Jan Piet Visser", "Jan Kees Visser"):
        bulk_add(ctx, full_name=name, emails=["visser@home.example"], company="Visser BV", source="csv")
    out = cli.json("identity", "scan", *NOW)["data"]
    assert out["auto_merged"] == 0 and out["pending_review"] == 2, out
    assert count_contacts(ctx) == 4
    assert _pairs(cli) == {
        ("John Albert Smith", "John Robert Smith", "phone", "+14155550001"),
        ("Jan Kees Visser", "Jan Piet Visser", "email", "visser@home.example"),
    }
    (hint,) = cli.json("contacts", "duplicates", "John Albert Smith", "--explain", *NOW)["data"]
    guards = {g["guard"]: g for g in hint["explanation"]["guards"]}
    assert guards["middle_names_differ"]["applied"] and hint["explanation"]["score"] <= 0.80
