"""Lists at 80 and 200 columns and in pipes [readable-tables]: columns are dropped rather than squeezed,
a row never wraps, headers are never cut, a pipe gets tab-separated full values; --format and --fields."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from tests.support.crm import Crm


@pytest.fixture
def people(crm: Crm) -> Crm:
    crm.add(
        "Ada Lovelace",
        "--company",
        "Analytical Engines",
        "--email",
        "ada@example.com",
        "--priority",
        "high",
        "--tag",
        "mathematics",
        "--tag",
        "london",
    )
    crm.add(
        "Willy Wonka", "--company", "Wonka Industries", "--tag", "chocolate", "--email", "willy@wonka.test"
    )
    crm.add(
        "Maximilian Alexander von Hohenzollern-Sigmaringen",  # one very long name
        "--company",
        "Hohenzollern Trading and Shipping Company",
        "--tag",
        "history",
    )
    return crm


# trailing spaces are part of rich's padding; the long name and company end in … rather than wrap
GOLDEN_80 = "".join(
    line + "\n"
    for line in (
        "id        name                          company                   score  last",
        "{ada}  Ada Lovelace                  Analytical Engines            0  -   ",
        "{max}  Maximilian Alexander von Ho…  Hohenzollern Trading an…      0  -   ",
        "{wil}  Willy Wonka                   Wonka Industries              0  -   ",
    )
)

GOLDEN_200 = "".join(
    line + "\n"
    for line in (
        "id        name                          company                   score  priority  last  tags               ",  # noqa: E501
        "{ada}  Ada Lovelace                  Analytical Engines            0  high      -     mathematics, london",  # noqa: E501
        "{max}  Maximilian Alexander von Ho…  Hohenzollern Trading an…      0  medium    -     history            ",  # noqa: E501
        "{wil}  Willy Wonka                   Wonka Industries              0  medium    -     chocolate          ",  # noqa: E501
    )
)


def _ids(crm: Crm) -> dict[str, str]:
    by_name = {c["full_name"]: c["id"][:8] for c in crm.cli.json("contacts", "list")["data"]}
    return {
        "ada": by_name["Ada Lovelace"],
        "max": by_name["Maximilian Alexander von Hohenzollern-Sigmaringen"],
        "wil": by_name["Willy Wonka"],
    }


def _table(crm: Crm, monkeypatch: pytest.MonkeyPatch, columns: int, *args: str) -> Any:
    monkeypatch.setenv("COLUMNS", str(columns))
    return crm.cli("contacts", "list", "--sort", "company", "--format", "table", *args)


def test_golden_table_at_80_columns(people: Crm, monkeypatch: pytest.MonkeyPatch) -> None:
    got = _table(people, monkeypatch, 80)
    assert got.stdout == GOLDEN_80.format(**_ids(people))
    assert all(len(line) <= 80 for line in got.stdout.splitlines())
    assert got.stderr == "showing 3 of 3\n"


def test_golden_table_at_200_columns(people: Crm, monkeypatch: pytest.MonkeyPatch) -> None:
    got = _table(people, monkeypatch, 200)
    assert got.stdout == GOLDEN_200.format(**_ids(people))


@pytest.mark.parametrize("columns", [30, 40, 60, 80, 100, 120, 200])
def test_no_row_wraps_and_no_header_is_cut_at_any_width(
    people: Crm, monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    lines = _table(people, monkeypatch, columns).stdout.splitlines()
    assert len(lines) == 4  # a header and three rows: nothing wrapped onto a second line
    assert all(len(line) <= max(columns, 40) for line in lines)
    headers = lines[0].split()
    assert "id" in headers and "name" in headers and not any("…" in h for h in headers)


def test_a_pipe_gets_tab_separated_full_values(people: Crm) -> None:
    rows = [
        line.split("\t") for line in people.cli("contacts", "list", "--sort", "company").stdout.splitlines()
    ]
    assert [r[1] for r in rows] == [
        "Ada Lovelace",
        "Maximilian Alexander von Hohenzollern-Sigmaringen",
        "Willy Wonka",
    ]
    assert all(len(r[0]) == 36 and len(r) == 7 for r in rows)  # full ids, every default column
    assert rows[1][2] == "Hohenzollern Trading and Shipping Company" and rows[0][6] == "mathematics, london"
    wonka = people.cli("contacts", "list", "-s", "wonka").stdout
    assert sum("Wonka Industries" in line for line in wonka.splitlines()) == 1


def test_fields_pick_and_order_columns_in_every_format(people: Crm) -> None:
    plain = people.cli("contacts", "list", "--fields", "email,name", "--sort", "company").stdout
    assert plain.splitlines()[0] == "ada@example.com\tAda Lovelace"
    got = people.cli("contacts", "list", "--format", "csv", "--fields", "name,company,tags").stdout
    rows = list(csv.reader(io.StringIO(got)))
    assert rows[0] == ["name", "company", "tags"] and len(rows) == 4
    assert ["Ada Lovelace", "Analytical Engines", "mathematics; london"] in rows


def test_format_json_and_nl_are_the_envelope_and_the_stream(people: Crm) -> None:
    assert (
        people.cli("contacts", "list", "--format", "json").stdout
        == people.cli("contacts", "list", "--json").stdout
    )
    lines = people.cli("contacts", "list", "--format", "nl").stdout.splitlines()
    assert len(lines) == 3 and all("full_name" in json.loads(x) for x in lines)


def test_bad_format_or_field_is_an_error_with_a_hint(people: Crm) -> None:
    bad = people.cli("contacts", "list", "--fields", "name,shoe_size", ok=False)
    assert (
        bad.exit_code == 1
        and "unknown field: shoe_size" in bad.stderr
        and "choose from: id, name" in bad.stderr
    )
    bad = people.cli("contacts", "list", "--format", "yaml", "--json", ok=False)
    assert json.loads(bad.stdout)["error"]["code"] == "validation_error"


def test_overdue_and_birthdays_use_the_same_columns(people: Crm) -> None:
    # the birthday, its distance and the age turned come first [upcoming-birthdays], then the list's columns
    out = people.cli("contacts", "birthdays", "--format", "csv").stdout
    assert out.splitlines()[0] == "id,name,birthday,in days,turns,company,score,priority,last,tags"
    out = people.cli("contacts", "overdue", "--format", "csv", "--fields", "name,overdue").stdout
    assert out.splitlines() == ["name,overdue"]


def test_interactions_and_orgs_lists_take_format_and_fields(
    people: Crm, monkeypatch: pytest.MonkeyPatch
) -> None:
    ada = people.show("ada")
    people.history(ada["id"], [("email", "inbound", "2026-06-01T09:00:00Z", "tea\tat four\nsharp")])
    rows = people.cli("interactions", "list", "ada", "--fields", "platform,content").stdout.splitlines()
    assert rows == ["email\ttea at four sharp"]  # tabs and newlines inside a value never split a row
    monkeypatch.setenv("COLUMNS", "80")
    table = people.cli("interactions", "list", "ada", "--format", "table").stdout
    assert table.splitlines()[0].split() == ["id", "when", "platform", "dir", "content"]  # no empty `via`
    orgs = people.cli("orgs", "list", "--format", "csv", "--fields", "name,contacts").stdout.splitlines()
    assert orgs[0] == "name,contacts" and "Wonka Industries,1" in orgs
    footer = people.cli("orgs", "list", "--page-size", "1").stderr
    assert "showing 1 of 3 (page 1 of 3) · --page N or --nl for the rest" in footer


def _in_a_terminal(args: list[str], env: dict[str, str]) -> bytes:
    """Run pcrm with a pseudo-terminal (80x10) as stdin, stdout and stderr; return what it printed."""
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import sys
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 10, 80, 0, 0))
    proc = subprocess.Popen(
        [sys.executable, "-m", "pcrm", *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
    )
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    proc.wait(timeout=30)
    os.close(master)
    return seen


def test_a_long_table_goes_through_the_pager_at_a_terminal(crm: Crm, tmp_path: Any, pcrm_home: Any) -> None:
    import os

    from pcrm.services import contacts
    from pcrm.services.context import open_context

    with open_context() as ctx:
        for k in range(15):
            contacts.create_contact(ctx, {"full_name": f"Member {k:02d}"})
    paged = tmp_path / "paged.txt"
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update(
        PCRM_HOME=str(pcrm_home),
        PAGER=f"cat > {paged}",
        PYTHONPATH=os.environ.get("PYTHONPATH", os.getcwd()),
    )
    shown = _in_a_terminal(["contacts", "list"], env)
    assert paged.read_text().count("Member") == 15 and b"Member 00" not in shown
    paged.unlink()
    shown = _in_a_terminal(["contacts", "list", "--no-pager"], env)
    assert not paged.exists() and shown.count(b"Member") == 15
    shown = _in_a_terminal(["contacts", "list", "--page-size", "3"], env)  # fits: no pager
    assert not paged.exists() and shown.count(b"Member") == 3


def test_mutt_format_lists_every_address(people: Crm) -> None:
    people.cli("contacts", "edit", "ada", "--email", "ada@example.com", "--email", "countess@example.org")
    lines = people.cli("contacts", "list", "--format", "mutt", "--search", "ada").stdout.splitlines()
    assert lines[0] == "pcrm: 2 addresses"
    assert sorted(lines[1:]) == [
        "ada@example.com\tAda Lovelace\tAnalytical Engines",
        "countess@example.org\tAda Lovelace\tAnalytical Engines",
    ]


def test_invisible_characters_in_a_name_do_not_push_a_table_out_of_line(
    crm: Crm, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name with a zero-width space inside (as an import brings one) and a company with a soft hyphen
    pushed the rest of their row out of line in `pcrm contacts list`: rich and the terminal count their
    width apart [terminal-text]. The table shows them without; the store, --json and csv keep them."""
    crm.add("A\u200bda Lovelace", "--company", "Ana\u00adlytical Engines", "--email", "ada@example.com")
    crm.add("Bob Smith", "--company", "Acme")
    crm.add("Leyla می\u200cخواهم", "--company", "\ufeffZeta")  # a joiner between Persian letters is spelling
    monkeypatch.setenv("COLUMNS", "100")
    from rich.cells import cell_len  # where a terminal shows a text: a joiner takes no cell

    lines = crm.cli("contacts", "list", "--format", "table").stdout.splitlines()
    rows = {line.split("  ")[1]: line for line in lines[1:]}
    persian = "Leyla می\u200cخواهم"
    assert set(rows) == {"Ada Lovelace", "Bob Smith", persian}, lines
    for name, company in (("Ada Lovelace", "Analytical Engines"), ("Bob Smith", "Acme"), (persian, "Zeta")):
        line = rows[name]
        assert cell_len(line[: line.index(company)]) == lines[0].index("company"), lines
    assert not any(ch in "".join(lines) for ch in "\u200b\u00ad\ufeff")
    stored = {c["company"]: c["full_name"] for c in crm.cli.json("contacts", "list")["data"]}
    assert stored["Ana\u00adlytical Engines"] == "A\u200bda Lovelace"
    csv_out = crm.cli("contacts", "list", "--format", "csv", "--fields", "name").stdout
    assert "A\u200bda Lovelace" in csv_out.splitlines()


def test_the_overdue_column_says_its_unit_in_a_table(crm: Crm, monkeypatch: pytest.MonkeyPatch) -> None:
    """`pcrm contacts overdue` showed a bare `178` where `pcrm digest` says "178 days overdue": a table at 80
    columns says "N days" (1 day); plain and csv keep the number, for scripts."""
    crm.add("Ada Lovelace", "--priority", "high")
    crm.cli("log", "Ada Lovelace", "--platform", "call", "--direction", "inbound", "--at", "2026-01-01")
    days = crm.cli.json("contacts", "overdue")["data"][0]["days_overdue"]
    assert days > 1
    monkeypatch.setenv("COLUMNS", "80")
    lines = crm.cli("contacts", "overdue", "--format", "table").stdout.splitlines()
    assert "overdue" in lines[0].split() and f" {days} days " in f"{lines[1]} ", lines
    assert all(len(line) <= 80 for line in lines)
    assert crm.cli("contacts", "overdue", "--format", "csv", "--fields", "overdue").stdout.split() == [
        "overdue",
        str(days),
    ]
