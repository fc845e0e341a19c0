"""What a week of daily use of the CLI on a demo-sized store turned up, each end to end through the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.support.crm import Crm


def test_export_ics_json_without_output_says_where_the_calendar_in_the_envelope_is(crm: Crm) -> None:
    """`pcrm export ics --json` refuses, as every export does, since its --json is the summary of a written
    file; the refusal now names `pcrm calendar export --json`, which does put the calendar in the
    envelope, and each export's --help says its --json needs --output (it said "Print the API envelope")."""
    crm.add("Ann Lee", "--birthday", "1990-04-02")
    before = crm.dump()
    got = crm.cli("export", "ics", "--json", ok=False)
    assert got.exit_code == 1 and "\nhint: " in got.stderr
    err = json.loads(got.stdout)["error"]
    assert err["code"] == "bad_request" and "give --output FILE" in err["message"]
    assert crm.dump() == before
    assert "pcrm export ics --output pcrm.ics --json" in err["hint"]
    assert "pcrm calendar export --json" in err["hint"]
    inside = json.loads(crm.cli("calendar", "export", "--json").stdout)["data"]
    assert inside["ics"].startswith("BEGIN:VCALENDAR")
    for fmt in ("json", "csv", "vcard", "ics"):
        shown = " ".join(crm.cli("export", fmt, "--help").stdout.split())
        assert "--json Print the summary of the written file as the API envelope (needs --output)." in shown


def _commands_with_fields() -> list[tuple[list[str], object]]:
    import typer.main

    from pcrm.cli import app

    found: list[tuple[list[str], object]] = []

    def walk(cmd: object, path: list[str]) -> None:
        subs = getattr(cmd, "commands", None)
        if subs is not None:
            for name, sub in subs.items():
                walk(sub, [*path, name])
        elif any("--fields" in getattr(p, "opts", ()) for p in cmd.params):  # type: ignore[attr-defined]
            found.append((path, cmd))

    walk(typer.main.get_command(app), [])
    return found


def test_every_fields_help_names_only_columns_its_command_has(crm: Crm) -> None:
    """`--fields` said "e.g. id,name,email" on every list command, yet `pcrm suggestions list --fields
    id,name,email` is refused (its columns are id, who, why, ...), as on most of the 25 commands that take
    it. Whatever columns a --fields help names, its command takes them; a wrong one lists the columns."""
    import re

    commands = _commands_with_fields()
    assert len(commands) > 20
    for path, cmd in commands:
        fields = next(p for p in cmd.params if "--fields" in p.opts)  # type: ignore[attr-defined]
        named = re.findall(r"e\.g\. ([a-z_]+(?:,[a-z_]+)+)", fields.help or "")
        required = ["x" for p in cmd.params if p.param_type_name == "argument" and p.required]  # type: ignore[attr-defined]
        listing = ["--list"] if path == ["send"] else []  # `send --list` is its list
        for p in cmd.params:  # type: ignore[attr-defined]
            if p.param_type_name == "option" and p.required:
                listing += [p.opts[0], "-10,-10,10,10"]  # `contacts map --bbox`
        got = crm.cli(*path, *required, *listing, "--fields", "zz_nope", ok=False)
        assert "unknown field" in got.stderr and "hint: choose from: " in got.stderr, (path, got.stderr)
        columns = set(got.stderr.split("hint: choose from: ")[1].split("\n")[0].split(", "))
        for example in named:
            assert set(example.split(",")) <= columns, (path, example, sorted(columns))


def test_restoring_a_json_export_counts_its_rows_in_words(
    crm: Crm, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`pcrm import pcrm.json` into an empty store said "restored 1 rows" for a one-row export (and
    "restored 8952 rows" where every other count of the line reads 7,502)."""
    crm.add("Ann Lee")
    exported = tmp_path / "one.json"
    crm.cli("export", "json", "--output", str(exported))
    data = json.loads(exported.read_text())
    for name, table in data["tables"].items():  # the contact alone: one row
        if name != "contacts":
            table["rows"] = []
    exported.write_text(json.dumps(data))
    monkeypatch.setenv("PCRM_HOME", str(tmp_path / "empty"))
    crm.cli("init")
    said = crm.cli("import", str(exported)).stdout
    assert "restored 1 row; the store before is saved at " in said, said


def test_a_suggestion_block_wraps_under_itself_in_a_narrow_terminal(
    crm: Crm, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At a terminal of 60 columns `pcrm suggestions generate` (and `suggestions list`) wrapped a long draft
    to the left edge, under the ids, so the blocks ran into each other; what wraps now stays indented."""
    from pcrm.cli import _output

    crm.add("Annabelle Leeworthy", "--birthday", "1980-06-17", "--email", "annabelle@example.com")
    monkeypatch.setattr(_output, "_is_terminal", lambda stream: True)
    monkeypatch.setenv("COLUMNS", "60")
    lines = crm.cli("suggestions", "generate").stdout.rstrip("\n").splitlines()
    assert lines[0].split()[1:3] == ["Annabelle", "Leeworthy"]
    assert len(lines) > 3 and "Happy birthday, Annabelle!" in "".join(lines)  # the draft wrapped
    assert all(len(line.rstrip()) <= 60 for line in lines)
    assert all(line.startswith(" " * 10) and line[10] != " " for line in lines[1:]), lines


def test_tags_list_counts_the_contacts_that_contacts_list_tag_shows(crm: Crm) -> None:
    """`pcrm tags list` said `climbing 2` where `pcrm contacts list --tag climbing` showed 1 of 1: the tag
    count took in archived contacts, which the list leaves out. The count is now the list's, the archived
    ones have their own column (--fields) and the API's meta says both [tag-counts]."""
    crm.add("Ann Lee", "--tag", "climbing", "--tag", "chess")
    crm.add("Bob Ray", "--tag", "climbing")
    crm.cli("contacts", "edit", "Bob Ray", "--priority", "archived")
    assert crm.cli("tags", "list").stdout == "chess\t1\nclimbing\t1\n"
    assert crm.cli.json("contacts", "list", "--tag", "climbing")["meta"]["total"] == 1
    shown = crm.cli("tags", "list", "--fields", "tag,contacts,archived").stdout
    assert shown == "chess\t1\t0\nclimbing\t1\t1\n"
    meta = crm.cli.json("tags", "list")["meta"]
    assert meta == {"counts": {"chess": 1, "climbing": 2}, "archived": {"climbing": 1}}


def test_contacts_stats_says_one_contact_and_one_person(crm: Crm) -> None:
    """`pcrm contacts stats` on a store of one said "1 contacts (archived left out)" and "(1 people)"."""
    ann = crm.add("Ann Lee")
    crm.history(ann["id"], [("email", "inbound", "2026-06-05T09:00:00.000Z", "ten days ago")])
    said = crm.cli("contacts", "stats").stdout
    assert said.startswith("1 contact (archived left out): "), said
    assert said.rstrip().endswith("1 the week before (1 person)"), said


def test_mutt_query_says_one_address(crm: Crm) -> None:
    """mutt's query status line said "pcrm: 1 addresses" for one match."""
    crm.add("Ann Lee", "--email", "ann@example.com")
    lines = crm.cli("contacts", "list", "--format", "mutt", "--search", "ann").stdout.splitlines()
    assert lines == ["pcrm: 1 address", "ann@example.com\tAnn Lee\t"]


def test_digest_limit_says_it_caps_both_parts(crm: Crm) -> None:
    """`pcrm digest --limit 1` lists one overdue person and one suggestion, but its help said "At most this
    many people" and the refusal of `pcrm digest --json --limit 1` said that --limit "caps the overdue people
    it lists"; both now say it caps each part."""
    for name, day in (("Ann Lee", "2026-01-05"), ("Bob Ray", "2026-01-06")):
        c = crm.add(
            name, "--priority", "high", "--birthday", "1990-06-16", "--email", f"{name[:3]}@example.com"
        )
        crm.history(c["id"], [("email", "inbound", f"{day}T09:00:00.000Z", "hello")])
    crm.cli("suggestions", "generate")
    text = crm.cli("digest", "--limit", "1").stdout
    assert (
        "... and 1 more: pcrm contacts overdue --all" in text
        and "... and 1 more" in text.split("Suggested")[1]
    )
    shown = " ".join(crm.cli("digest", "--help").stdout.split())
    assert "At most this many people in each part: overdue, and suggested (default 5)." in shown
    refused = " ".join(crm.cli("digest", "--json", "--limit", "1", ok=False).stderr.split())
    assert "whose --limit caps both its overdue and its suggested people" in refused


def test_a_table_too_narrow_for_the_fields_asked_says_what_it_left_out(
    crm: Crm, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`COLUMNS=60 pcrm contacts list --fields id,name,email,phone,title,tags` showed id and name and dropped
    the rest without a word, although the user named them."""
    crm.add("Annabelle Leeworthy", "--email", "annabelle.leeworthy@example.com", "--title", "Chief Engineer")
    monkeypatch.setenv("COLUMNS", "60")
    asked = ("contacts", "list", "--format", "table", "--fields", "id,name,email,phone,title,tags")
    got = crm.cli(*asked)
    assert "Annabelle Leeworthy" in got.stdout and "annabelle.leeworthy@example.com" not in got.stdout
    left = next(line for line in got.stderr.splitlines() if line.startswith("left out"))
    assert left.startswith("left out to fit 60 columns: ") and "email" in left and "title" in left
    assert "--format plain" in left
    # the default columns give way as they always did, without a note; a wide terminal leaves out nothing
    assert "left out" not in crm.cli("contacts", "list", "--format", "table").stderr
    monkeypatch.setenv("COLUMNS", "200")
    assert "left out" not in crm.cli(*asked).stderr


def test_every_table_with_fields_says_what_a_narrow_terminal_left_out(
    crm: Crm, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`COLUMNS=40 pcrm score explain "Ann Lee" --format table --fields dimension,value,rule,facts` showed the
    dimension and value and dropped the rule and facts the user named without a word: only the list commands
    said so; score explain, contacts map, jobs, sync stats / status and mcp log print their own tables."""
    crm.add("Ann Lee")
    monkeypatch.setenv("COLUMNS", "40")
    got = crm.cli(
        "score", "explain", "Ann Lee", "--format", "table", "--fields", "dimension,value,rule,facts"
    )
    assert "reciprocity" in got.stdout
    left = next(line for line in got.stderr.splitlines() if line.startswith("left out"))
    assert left.startswith("left out to fit 40 columns: ") and "rule" in left and "facts" in left
    for fmt in ("plain", "csv"):  # every column is there: nothing to say
        got = crm.cli(
            "score", "explain", "Ann Lee", "--format", fmt, "--fields", "dimension,value,rule,facts"
        )
        assert "left out" not in got.stderr


@pytest.mark.anyio
async def test_orgs_count_the_contacts_contacts_list_shows_and_say_the_archived_apart(
    crm: Crm, client: Any, script: dict[str, str]
) -> None:
    """`pcrm orgs show "Aperture Science"` said "contact count 8" and listed 10 contacts, 2 of them
    archived, with nothing to say why. The count stays the reference's (non-archived, as `contacts list`
    counts them); `orgs show`, `orgs stats`, `orgs list --fields ...,archived` and the API say the archived
    ones apart [org-counts]."""
    crm.cli("orgs", "add", "Globex")
    for name in ("Ann Lee", "Bob Ray", "Cy Moss"):
        crm.add(name, "--company", "Globex")
    crm.cli("contacts", "edit", "Cy Moss", "--priority", "archived")
    shown = crm.cli("orgs", "show", "Globex").stdout
    assert re.search(r"^contact count +2 *$", shown, re.MULTILINE), shown
    assert re.search(r"^archived contact count +1 *$", shown, re.MULTILINE), shown
    assert "Cy Moss" in shown  # still listed, after the others
    assert crm.cli("orgs", "list", "--fields", "name,contacts,archived").stdout == "Globex\t2\t1\n"
    listed = crm.cli.json("orgs", "list")["data"][0]
    assert (listed["contact_count"], listed["archived_contact_count"]) == (2, 1)
    r = await client.get("/api/v1/organizations", headers=script)
    assert r.json()["data"][0]["contact_count"] == 2  # the reference's: archived ones left out
    assert r.json()["data"][0]["archived_contact_count"] == 1
    org = r.json()["data"][0]["id"]
    one = (await client.get(f"/api/v1/organizations/{org}", headers=script)).json()
    assert (one["data"]["contact_count"], one["data"]["archived_contact_count"]) == (2, 1)
    assert len(one["data"]["contacts"]) == 3 and one["meta"]["contacts_total"] == 3
    # `orgs stats` said "2 contacts · avg score ..." and nothing of Cy [org-counts]
    assert crm.cli("orgs", "stats", "Globex").stdout.startswith("2 contacts · 1 archived · avg score ")
    stats = (await client.get(f"/api/v1/organizations/{org}/stats", headers=script)).json()["data"]
    assert (stats["contact_count"], stats["archived_contact_count"]) == (2, 1)
    crm.cli("contacts", "edit", "Cy Moss", "--priority", "low")
    assert crm.cli("orgs", "stats", "Globex").stdout.startswith("3 contacts · avg score ")  # none: not said


def test_orgs_tables_say_how_long_ago_as_the_contact_tables_do(crm: Crm) -> None:
    """`pcrm orgs list` and `pcrm orgs show` printed "2026-05-16" where every other table says "30 days
    ago" [daily-output]: their tables now say how long ago (plain output keeps the date for scripts), and
    the detail says it as `contacts show` does, with the day after it."""
    crm.cli("orgs", "add", "Globex")
    crm.add("Ann Lee", "--company", "Globex")
    crm.cli("log", "Ann Lee", "--at", "2026-05-16T10:00")  # 30 days before the pinned clock
    table = crm.cli("orgs", "list", "--format", "table").stdout
    assert "30 days ago" in table and "2026-05-16" not in table, table
    assert crm.cli("orgs", "list", "--fields", "name,last").stdout == "Globex\t2026-05-16\n"
    shown = crm.cli("orgs", "show", "Globex").stdout
    assert re.search(r"^last interaction at +30 days ago \(2026-05-16\) *$", shown, re.MULTILINE), shown
    member = next(line for line in shown.splitlines() if "Ann Lee" in line)
    assert member.rstrip().endswith("30 days ago"), member


def test_cli_errors_name_what_the_user_typed_not_the_api_field(crm: Crm) -> None:
    """`pcrm note add X -` with 30,000 words on stdin said "content_preview is longer than 10000
    characters" and `pcrm settings set priority.high 0` said "high must be from 7 to 365": the API's field
    names. stderr now names the note (the text of `pcrm log`) and the setting key as typed, with the number
    as 10,000; --json keeps the API's field [cli-failures]."""
    crm.add("Ann Lee")
    note = crm.cli.json("note", "add", "Ann Lee", "tea")["data"]["id"]
    before = crm.dump()
    long = "word " * 30_000
    got = crm.cli("note", "add", "Ann Lee", "-", input=long, ok=False)
    assert got.stderr.startswith("error: the note is longer than 10,000 characters\n"), got.stderr
    got = crm.cli("log", "Ann Lee", "-", input=long, ok=False)
    assert got.stderr.startswith("error: the text is longer than 10,000 characters\n"), got.stderr
    got = crm.cli("note", "edit", note, "-", input=long, ok=False)
    assert got.stderr.startswith("error: the note is longer than 10,000 characters\n"), got.stderr
    got = crm.cli("settings", "set", "priority.high", "0", ok=False)
    assert got.stderr.startswith("error: priority.high must be from 7 to 365, not 0\n"), got.stderr
    assert "e.g. pcrm settings set priority.high 7" in got.stderr  # not priority.priority.high
    got = crm.cli("settings", "set", "sync.gmail.hour", "25", ok=False)
    assert got.stderr.startswith("error: sync.gmail.hour must be from 0 to 23, not 25\n"), got.stderr
    err = json.loads(crm.cli("settings", "set", "priority.high", "0", "--json", ok=False).stdout)
    assert err["detail"][0]["loc"] == ["body", "high"]  # the API's terms, as PUT /settings/priority
    assert crm.dump() == before


def test_both_calendar_exports_say_the_contacts_and_the_events(crm: Crm, tmp_path: Path) -> None:
    """`pcrm export ics -o x.ics --json` said 257 contacts and `pcrm calendar export -o y.ics --json` 383
    events for the same calendar, each without the other's count. Both now say both, under the same keys
    (`contacts`, `events`), on stderr as "wrote 3 events for 2 contacts" [calendar-counts]."""
    crm.add("Ann Lee", "--birthday", "1990-04-02")  # a birthday alone: one event
    bob = crm.add("Bob Ray", "--birthday", "1985-07-01")
    crm.cli("log", bob["id"], "--at", "2026-06-01")  # a follow-up and a birthday: two events
    crm.add("Cy Moss")  # nothing due, no birthday: none
    first, second = tmp_path / "x.ics", tmp_path / "y.ics"
    for cmd, path in ((["export", "ics"], first), (["calendar", "export"], second)):
        data = crm.cli.json(*cmd, "-o", str(path))["data"]
        assert (data["contacts"], data["events"]) == (2, 3), (cmd, data)
        assert path.read_text().count("BEGIN:VEVENT") == 3
        said = crm.cli(*cmd, "-o", str(path), "--yes").stderr
        assert said.startswith(f"wrote 3 events for 2 contacts to {path} ("), (cmd, said)
    inline = crm.cli.json("calendar", "export")["data"]
    assert (inline["contacts"], inline["events"]) == (2, 3)


def test_note_and_tag_errors_name_the_command_and_argument_the_user_typed(crm: Crm) -> None:
    """`pcrm note edit nonexist x` hinted `pcrm interactions list CONTACT` and `pcrm tags rename "" x` said
    "old must be a tag": the API's field. A note command now looks for a note and names `pcrm note list`;
    the tag commands name OLD, NEW and TAG as their --help does; --json keeps the API's field."""
    crm.add("Ann Lee", "--tag", "old")
    before = crm.dump()
    for cmd in (("note", "edit", "nonexist", "x"), ("note", "rm", "nonexist", "--yes")):
        got = crm.cli(*cmd, ok=False)
        assert got.stderr == (
            "error: no note with id nonexist\nhint: list a contact's notes with `pcrm note list CONTACT`\n"
        ), (cmd, got.stderr)
    assert crm.cli("tags", "rename", "", "x", ok=False).stderr.startswith(
        "error: OLD must be a tag, not ''\n"
    )
    got = crm.cli("tags", "rename", "old", "", ok=False).stderr
    assert got.startswith("error: NEW must be a tag, not ''\n"), got
    got = crm.cli("tags", "delete", "", "--yes", ok=False).stderr
    assert got.startswith("error: TAG must be a tag, not ''\nhint: ") and "pcrm tags delete" in got, got
    # a word the user typed is left as typed: only the error's own field is renamed
    got = crm.cli("tags", "delete", "tag", "--yes", ok=False).stderr
    assert got.startswith("error: no contact has the tag 'tag',"), got
    err = json.loads(crm.cli("tags", "rename", "", "x", "--json", ok=False).stdout)
    assert err["error"]["message"] == "old must be a tag, not ''"
    assert crm.dump() == before
