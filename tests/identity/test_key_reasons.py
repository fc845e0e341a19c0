"""A review reason says "they share ..." only when both contacts hold the value [shared-key-reasons].

`pcrm identity matches` said "they share telegram username adal" of a pair where only one contact holds it
(an import row of another name gave it; the id stayed with its holder), "they share exported id ..." of a
renamed export row and the contact the id names, and "they share email in notes ..." of a contact holding
an email and one whose notes name it. The queue, its `--json` and `--explain`, and the duplicate hints now
say who holds the value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

NOW = ("--now", "2026-06-15T12:00")


def _reasons(cli: Any) -> list[str]:
    return sorted(m["reason"] for m in cli.json("identity", "matches", *NOW)["data"])


def test_an_id_only_one_contact_holds_is_not_said_shared(cli: Any, tmp_path: Path) -> None:
    cli("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@x.com", "--telegram", "adal", *NOW)
    cli("contacts", "add", "--name", "Ann Lee", "--twitter", "annlee", *NOW)
    f = tmp_path / "people.csv"
    f.write_text(
        "full_name,email,telegram_username,twitter_handle\nDan Brown,,adal,\nBob Smith,ada@x.com,,\n"
        "Eve White,,,annlee\n",
        encoding="utf-8",
    )
    rep = cli.json("import", str(f), *NOW, ok=None)["data"]
    assert rep["pending_review"] == 3
    # before: "they share telegram username adal" though Dan Brown holds none
    assert _reasons(cli) == [
        "only Ada Lovelace holds Telegram username @adal; it came in a record of Dan Brown too",
        "only Ann Lee holds X handle @annlee; it came in a record of Eve White too",
        "they share email ada@x.com",  # both hold it
    ]
    data = cli.json("identity", "matches", "--explain", *NOW)["data"]
    dan = next(m for m in data if "Dan Brown" in m["reason"])
    assert dan["explanation"]["outcome_reason"] == (
        "only Ada Lovelace holds Telegram username @adal; it came in a record of Dan Brown too: asked, never "
        "merged and never ignored"
    )
    text = cli("identity", "matches", "--explain", *NOW).stdout
    assert "share telegram" not in text and "share twitter" not in text


def test_a_phone_one_side_no_longer_holds_is_not_said_shared(cli: Any, tmp_path: Path) -> None:
    cli("contacts", "add", "--name", "Chris Evans", "--phone", "+44 20 7946 0003", "--company", "Acme", *NOW)
    card = tmp_path / "christine.vcf"
    card.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Christine Evans\nORG:Acme\nTEL:+44 20 7946 0003\nEND:VCARD\n",
        encoding="utf-8",
    )
    cli("import", str(card), *NOW)  # asked: one phone under names one nickname apart
    assert _reasons(cli) == ["they share phone +44 20 7946 0003"]
    cli("contacts", "edit", "Christine Evans", "--clear", "phones", *NOW)
    said = "only Chris Evans holds phone +44 20 7946 0003; it came in a record of Christine Evans too"
    assert _reasons(cli) == [said]
    # the duplicate hints' explanation says the same, and no longer that the next scan merges them
    (hint,) = cli.json("contacts", "duplicates", "Chris Evans", "--explain", *NOW)["data"]
    assert hint["explanation"]["outcome_reason"] == f"{said}: asked, never merged and never ignored"


def test_an_email_in_the_notes_of_the_other_is_said_so(cli: Any) -> None:
    cli("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@x.com", *NOW)
    cli("contacts", "add", "--name", "Bob Stone", "--notes", "ask ada@x.com about the engine", *NOW)
    assert cli.json("identity", "scan", *NOW)["data"]["pending_review"] == 1
    # before: "they share email in notes ada@x.com"
    assert _reasons(cli) == ["Ada Lovelace's email ada@x.com is in Bob Stone's notes"]
    # Bob's notes change: nobody's notes name it any more. It said "it came in a record of Bob Stone too",
    # though no record of Bob's ever held the email: his notes named it
    cli("contacts", "edit", "Bob Stone", "--notes", "met at the museum", *NOW)
    assert _reasons(cli) == ["only Ada Lovelace holds email ada@x.com; Bob Stone's notes no longer name it"]


def test_a_renamed_export_row_is_said_to_come_with_the_id(cli: Any, tmp_path: Path) -> None:
    cli("contacts", "add", "--name", "Nora Only", *NOW)
    out = tmp_path / "export.csv"
    cli("export", "csv", "--output", str(out), *NOW)
    head, row = out.read_text(encoding="utf-8").splitlines()
    cols = head.split(",")
    cells = row.split(",")
    cells[cols.index("full_name")] = "Nora Renamed"
    out.write_text(f"{head}\n{','.join(cells)}\n", encoding="utf-8")
    cli.json("import", str(out), *NOW, ok=None)
    # before: "they share exported id ..." though the id is Nora Only's alone
    assert _reasons(cli) == [f"Nora Renamed came from an exported row with Nora Only's id {cells[0]}"]
