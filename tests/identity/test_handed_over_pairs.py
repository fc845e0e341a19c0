"""A pending pair handed to a merge's survivor [review-queue] is asked as it now stands: scored from the
survivor and the third contact, and keeping a shared key as its reason only where the survivor holds it, so
`pcrm identity matches` (and GET /identity/matches) says nothing about the contact merged away that no
longer holds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

NOW = ("--now", "2026-06-01T12:00:00Z")


def _id(cli: Any, *args: str) -> str:
    return str(cli.json("contacts", "add", *args, *NOW)["data"]["id"])


def test_a_handed_over_pair_shows_the_survivors_score_and_what_happens_to_it(cli: Any) -> None:
    initial = _id(cli, "--name", "J. Smith", "--phone", "+44 20 7946 0002")
    home = _id(cli, "--name", "John Smith", "--phone", "+44 20 7946 0002", "--email", "john@smith.example")
    # an initial is not enough on a phone: asked
    assert cli.json("identity", "scan", *NOW)["data"]["pending_review"] == 1
    work = _id(cli, "--name", "John Smith", "--email", "js@work.example", "--company", "Acme", "--tag", "x")
    cli("contacts", "merge", initial, work, *NOW)  # the richer John Smith survives
    (m,) = cli.json("identity", "matches", "--explain", *NOW)["data"]
    assert {m["contact_a_id"], m["contact_b_id"]} == {work, home}
    # the score the queue lists is the one its explanation gives: the two contacts it now asks about
    assert m["match_score"] == m["explanation"]["score"] < 0.70
    assert m["reason"] == "they share phone +44 20 7946 0002" and m["shared_key"]["key"] == "phone"
    # two John Smiths on one phone: what the explanation says happens next is what the scan does
    assert m["explanation"]["outcome"] == "auto_merge"
    assert "their names agree now" in m["explanation"]["outcome_reason"]
    assert cli.json("identity", "scan", *NOW)["meta"]["deterministic_merged"] == 1
    assert cli.json("identity", "matches", *NOW)["data"] == []


def _rows(path: Path) -> tuple[str, list[list[str]]]:
    head, *rows = path.read_text(encoding="utf-8").splitlines()
    return head, [r.split(",") for r in rows]


def test_a_handed_over_pair_no_longer_names_the_contact_merged_away(
    cli: Any, imp: Any, tmp_path: Path
) -> None:
    cli("contacts", "add", "--name", "Nora Only")
    out = tmp_path / "export.csv"
    cli("export", "csv", "--output", str(out))
    head, (nora,) = _rows(out)
    nora[head.split(",").index("full_name")] = "Nora Renamed"
    out.write_text("\n".join([head, ",".join(nora)]) + "\n", encoding="utf-8")
    assert imp(out, ok=None)["data"]["pending_review"] == 1
    (asked,) = cli.json("identity", "matches")["data"]
    assert asked["reason"] == f"Nora Renamed came from an exported row with Nora Only's id {nora[0]}"
    # Nora Only is merged into a richer card of hers: the question about the renamed row goes to that card
    richer = _id(cli, "--name", "Nora Only", "--email", "nora@only.example", "--tag", "climbing")
    cli("contacts", "merge", nora[0], richer)
    (m,) = cli.json("identity", "matches")["data"]
    assert richer in (m["contact_a_id"], m["contact_b_id"])
    assert m["shared_key"] is None and nora[0] not in m["reason"]
    assert nora[0] not in cli("identity", "matches").stdout


def test_a_handed_over_shared_key_pair_keeps_the_score_its_explanation_gives(cli: Any) -> None:
    chris = _id(cli, "--name", "Chris Evans", "--phone", "+44 20 7946 0003", "--company", "Acme")
    _id(cli, "--name", "Christine Evans", "--phone", "+44 20 7946 0003", "--company", "Acme")
    assert cli.json("identity", "scan", *NOW)["data"]["pending_review"] == 1
    richer = _id(
        cli, "--name", "Chris Evans", "--email", "chris@evans.example", "--company", "Acme", "--tag", "x"
    )
    cli("contacts", "merge", chris, richer, *NOW)
    (m,) = cli.json("identity", "matches", "--explain", *NOW)["data"]
    assert m["shared_key"]["key"] == "phone"  # the survivor holds the line: still the reason
    assert m["match_score"] == m["explanation"]["score"] > 0.85
    assert m["explanation"]["outcome"] == "review"
