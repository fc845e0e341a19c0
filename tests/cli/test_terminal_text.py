"""Text from other people reaches the terminal harmless [terminal-text]: control characters in a message
are shown as `\\xNN` in tables, plain rows and detail views, a value never breaks its row, rich markup and
emoji codes print as typed; --json, --nl and csv keep the exact text."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.support.crm import Crm

# what a synced or imported message may hold: colour, a window title, the bell, a C1 CSI (clear screen)
HOSTILE = "ctrl\x1b[31mred\x07 \x1b]0;pwned\x07 end\x9b2J"
SHOWN = "ctrl\\x1b[31mred\\x07 \\x1b]0;pwned\\x07 end\\x9b2J"
LINES = "line one\nline two\tcol\rback"
MARKUP = "[bold]x[/bold] [link=https://evil.test]click[/link] :smile:"


def _raw_controls(text: str, allowed: str = "\n") -> list[str]:
    return [c for c in text if (ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F) and c not in allowed]


@pytest.fixture
def ann(crm: Crm) -> Crm:
    ann = crm.add("Ann Lee")
    crm.history(
        ann["id"],
        [
            ("telegram", "inbound", "2026-06-10T10:00:00.000Z", HOSTILE),
            ("telegram", "inbound", "2026-06-11T10:00:00.000Z", LINES),
            ("telegram", "inbound", "2026-06-12T10:00:00.000Z", MARKUP),
        ],
    )
    # the latest message of two more people, for `activity recent` (one line a person)
    crm.history(crm.add("Bob Ray")["id"], [("whatsapp", "inbound", "2026-06-13T10:00:00.000Z", LINES)])
    crm.history(crm.add("Cy Fox")["id"], [("whatsapp", "inbound", "2026-06-14T10:00:00.000Z", HOSTILE)])
    return crm


def test_a_detail_view_shows_control_characters_escaped(ann: Crm) -> None:
    show = ann.cli("contacts", "show", "Ann Lee").stdout
    assert _raw_controls(show) == []
    assert SHOWN in show


def test_markup_and_emoji_codes_in_text_print_as_typed(ann: Crm) -> None:
    assert MARKUP in ann.cli("contacts", "show", "Ann Lee").stdout
    table = ann.cli("interactions", "list", "Ann Lee", "--format", "table", "--fields", "content").stdout
    assert MARKUP in table


@pytest.mark.parametrize(
    ("command", "contents"),
    [
        (("interactions", "list", "Ann Lee"), [MARKUP, LINES, HOSTILE]),
        (("activity", "recent"), [HOSTILE, LINES, MARKUP]),
    ],
)
def test_tables_and_plain_rows_escape_control_characters_and_keep_one_row_a_line(
    ann: Crm, command: tuple[str, ...], contents: list[str]
) -> None:
    table = ann.cli(*command, "--format", "table", "--fields", "content").stdout
    assert _raw_controls(table) == []
    assert SHOWN in table and "line one line two col back" in table and MARKUP in table
    plain = ann.cli(*command, "--fields", "when,content").stdout
    assert _raw_controls(plain, allowed="\t\n") == []
    rows = [line.split("\t") for line in plain.splitlines()]
    one_line = {HOSTILE: SHOWN, LINES: "line one line two col back", MARKUP: MARKUP}
    assert rows == [[r[0], one_line[c]] for r, c in zip(rows, contents, strict=True)]  # two fields a row


def test_csv_json_and_nl_keep_the_exact_text(ann: Crm) -> None:
    got = ann.cli("interactions", "list", "Ann Lee", "--format", "csv", "--fields", "content").stdout
    assert list(csv.reader(io.StringIO(got, newline=""))) == [["content"], [MARKUP], [LINES], [HOSTILE]]
    data = ann.cli.json("interactions", "list", "Ann Lee")["data"]
    assert [i["content_preview"] for i in data] == [MARKUP, LINES, HOSTILE]
    nl = ann.cli("interactions", "list", "Ann Lee", "--nl").stdout
    assert "\x1b" not in nl and "\x07" not in nl  # JSON writes C0 controls as \u001b
    assert [json.loads(line)["content_preview"] for line in nl.splitlines()] == [MARKUP, LINES, HOSTILE]


def test_an_error_quoting_what_was_typed_is_escaped_too(ann: Crm) -> None:
    err = ann.cli("contacts", "show", "nobody\x1b[2J", ok=False).stderr
    assert err.startswith("error: ") and _raw_controls(err) == []
    assert "nobody\\x1b[2J" in err


def test_csv_quotes_a_lone_carriage_return(crm: Crm) -> None:
    """The csv module quotes only the line terminator it writes (\\n): an unquoted \\r ends a row for
    csv readers."""
    di = crm.add("Di Roe")
    crm.history(di["id"], [("sms", "inbound", "2026-06-10T10:00:00.000Z", "over\rwritten")])
    got = crm.cli("interactions", "list", "Di Roe", "--format", "csv", "--fields", "platform,content").stdout
    assert list(csv.reader(io.StringIO(got, newline=""))) == [
        ["platform", "content"],
        ["sms", "over\rwritten"],
    ]
