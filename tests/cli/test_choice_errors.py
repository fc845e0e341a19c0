"""An error about a value given to an option names the option as typed and lists the choices [cli-failures]:
`pcrm log X --platform zzz` said "unknown platform 'zzz'", which named neither --platform nor where the
value came from; the --json envelope keeps the API's field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.crm import Crm


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("log", "Ada Lovelace", "hi", "--platform", "zzz"), "--platform: unknown platform 'zzz'"),
        (
            ("log", "Ada Lovelace", "hi", "--direction", "sideways"),
            "--direction: unknown direction 'sideways'",
        ),
        (("interactions", "list", "Ada Lovelace", "--platform", "zzz"), "--platform: unknown platform 'zzz'"),
        (("contacts", "list", "--sort", "zzz"), "--sort: unknown sort 'zzz'"),
        (("contacts", "list", "--score", "zzz"), "--score: unknown score 'zzz'"),
        (("contacts", "list", "--priority", "zzz"), "--priority: unknown priority 'zzz'"),
        (("contacts", "list", "-f", "zzz"), "-f: unknown format 'zzz'"),  # as typed: the short name
        (("contacts", "list", "--format=zzz"), "--format: unknown format 'zzz'"),
        (("contacts", "list", "--page-size", "500"), "--page-size must be from 1 to 100, not 500"),
        (("sync", "history", "--status", "zzz"), "--status: unknown status 'zzz'"),
        (("contacts", "ids", "--source", "zzz"), "--source: unknown source 'zzz'"),
        (
            ("contacts", "bulk-update", "Ada Lovelace", "--priority", "zzz"),
            "--priority: unknown priority 'zzz'",
        ),
        (
            ("import", "{file}", "--format", "vcrd"),
            "--format: unknown import format 'vcrd'; did you mean vcard?",
        ),
        (("import", "{file}", "--date-order", "xyz"), "--date-order: unknown date order 'xyz'"),
        # these said "--priority must be one of ...", "--channel must be one of ...": one wording for every
        # refused choice, the choices in the hint
        (("contacts", "add", "--name", "Q", "--priority", "zzz"), "--priority: unknown priority 'zzz'"),
        (("contacts", "edit", "Ada Lovelace", "--priority", "zzz"), "--priority: unknown priority 'zzz'"),
        (("ai", "compose", "Ada Lovelace", "--channel", "zzz"), "--channel: unknown channel 'zzz'"),
        (("secrets", "set", "zzz"), "unknown secret 'zzz'"),
        # the field said once, as the option: not `--phone-region: phone_region: 'ZZ' ...`
        (("init", "--phone-region", "ZZ"), "--phone-region: 'ZZ' is not a country code phone numbers know"),
    ],
)
def test_a_refused_option_value_names_the_option_and_the_choices(
    crm: Crm, tmp_path: Path, args: tuple[str, ...], said: str
) -> None:
    crm.cli("contacts", "add", "--name", "Ada Lovelace")
    people = tmp_path / "people.csv"
    people.write_text("full_name\nGrace Hopper\n")
    args = tuple(str(people) if a == "{file}" else a for a in args)
    r = crm.cli(*args, ok=False)
    assert r.exit_code == 1
    lines = r.stderr.splitlines()
    assert lines[0] == f"error: {said}"
    if "unknown" in said:
        assert lines[1].startswith("hint: ") and "use one of: " in lines[1]
    # the --json envelope stays in the API's terms
    field = json.loads(crm.cli(*args, "--json", ok=False).stdout)["error"]["details"]["fields"][0]["field"]
    assert not field.startswith("-")
    assert crm.cli.json("contacts", "list", "--search", "Grace")["meta"]["total"] == 0  # nothing imported


def test_a_refused_list_format_names_every_format_the_command_takes(crm: Crm) -> None:
    """`contacts list --format xml` listed table, plain, csv, json and nl, and not mutt, which its --help
    documents and it takes."""
    r = crm.cli("contacts", "list", "--format", "xml", ok=False)
    assert r.stderr.splitlines()[1] == "hint: use one of: table, plain, csv, json, nl, mutt"
    assert "mutt" not in crm.cli("orgs", "list", "--format", "xml", ok=False).stderr  # its own only


def test_a_file_not_of_the_format_named_says_so_without_asking_to_name_one(crm: Crm, tmp_path: Path) -> None:
    """`pcrm import chat.txt --format vcard` answered "name the format with --format", which it was."""
    chat = tmp_path / "chat.txt"
    chat.write_text("12/01/2024, 10:00 - Ada: hello\n")
    r = crm.cli("import", str(chat), "--format", "vcard", ok=False)
    assert "holds no vCard" in r.stderr and "BEGIN:VCARD" in r.stderr
    assert "leave --format out" in r.stderr


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ("send", "Ada Lovelace", "hi", "--channel", "zzz"),
            "--channel: cannot send through 'zzz': only 'telegram' is available",
        ),
        (("contacts", "map", "--bbox", "zzz"), "--bbox must be minLng,minLat,maxLng,maxLat"),
        (("contacts", "map", "--bbox=10,10,5,5"), "--bbox: minLng 10 is above maxLng 5 and minLat 10"),
    ],
)
def test_a_refusal_that_is_no_validation_error_names_the_option_too(
    crm: Crm, args: tuple[str, ...], said: str
) -> None:
    """`pcrm send ada "hi" --channel zzz` said "cannot send through 'zzz'" and named no option (a 400 in the
    API, not a 422, so the option was not found by its field); so did `contacts map --bbox`. The envelope
    keeps the API's words and code."""
    crm.cli("contacts", "add", "--name", "Ada Lovelace")
    r = crm.cli(*args, ok=False)
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0].startswith(f"error: {said}")
    body = json.loads(crm.cli(*args, "--json", ok=False).stdout)
    assert body["error"]["code"] == "bad_request" and not body["error"]["message"].startswith("-")


def test_regenerate_names_its_channel_option_and_the_api_its_body_field(cli: Any, world: Any) -> None:
    """`pcrm suggestions regenerate NAME --channel zzz` said "unknown channel 'zzz'" without the option, as
    the error named the field `suggested_channel`, which the regenerate body does not have (it takes
    `channel`); `suggestions edit --channel zzz` named it."""
    from tests.support.world import NOW, due_history

    world.contact("Grace Hopper", history=due_history())
    cli.json("suggestions", "generate", "--now", NOW)
    for verb in ("regenerate", "edit"):
        r = cli("suggestions", verb, "Grace Hopper", "--channel", "zzz", "--now", NOW, ok=False)
        assert r.stderr.splitlines()[0] == "error: --channel: unknown channel 'zzz'", verb
    body = cli.json("suggestions", "regenerate", "Grace Hopper", "--channel", "zzz", "--now", NOW, ok=False)
    assert body["detail"][0]["loc"] == ["body", "channel"]


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("import", "{file}", "--format", "vcrd"), "--format"),
        (("contacts", "list", "--format", "jsno"), "--format"),
        (("contacts", "list", "--fields", "name,zzz"), "--fields"),
        (("contacts", "edit", "Ada Lovelace", "--clear", "zzz"), "--clear"),
        (("orgs", "edit", "Analytical Engines", "--clear", "zzz"), "--clear"),
        (("export", "vcard", "--version", "9", "--output", "{out}"), "--version"),
    ],
)
def test_a_value_only_the_command_line_gives_is_placed_there_in_the_envelope(
    crm: Crm, tmp_path: Path, args: tuple[str, ...], option: str
) -> None:
    """`pcrm import FILE --format vcrd --json` answered `loc` ["body", "format"]: there is no body, and no API
    route takes a format. A value only the command line gives is at ["argv", OPTION], as the CLI's usage
    errors are [error-detail]; its field stays the API-style name."""
    crm.cli("contacts", "add", "--name", "Ada Lovelace")
    crm.cli("orgs", "add", "Analytical Engines")
    people = tmp_path / "people.csv"
    people.write_text("full_name\nGrace Hopper\n")
    out = tmp_path / "out.vcf"
    args = tuple(str(people) if a == "{file}" else str(out) if a == "{out}" else a for a in args)
    body = json.loads(crm.cli(*args, "--json", ok=False).stdout)
    assert body["error"]["code"] == "validation_error"
    (item,) = body["detail"]
    assert item["loc"] == ["argv", option], item
    assert body["error"]["details"]["fields"][0]["field"] == option[2:]
    assert not out.exists()


def test_an_unknown_import_format_says_the_closest_in_its_message(crm: Crm, tmp_path: Path) -> None:
    """The suggestion was in the hint alone, so `detail[0].msg`, what a client written for FastAPI shows,
    did not have it."""
    people = tmp_path / "people.vcf"
    people.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Grace Hopper\nEND:VCARD\n")
    body = json.loads(crm.cli("import", str(people), "--format", "vcrd", "--json", ok=False).stdout)
    assert body["detail"][0]["msg"] == "unknown import format 'vcrd'; did you mean vcard?"
    assert body["error"]["details"]["near"] == ["vcard"]
    assert body["error"]["hint"].startswith("use one of: ") and "vcard" in body["error"]["hint"]


def test_a_setting_s_refused_choice_is_worded_as_every_other(crm: Crm) -> None:
    """`pcrm settings set sync.gmail.schedule zzz` said "sync.gmail.schedule must be one of manual, 6h,
    12h, daily; got 'zzz'", where every other refused choice says "unknown ... 'zzz'", the choices in the
    hint."""
    before = crm.dump()
    r = crm.cli("settings", "set", "sync.gmail.schedule", "zzz", ok=False)
    lines = r.stderr.splitlines()
    assert lines[0] == "error: sync.gmail.schedule: unknown choice 'zzz'", r.stderr
    assert lines[1].startswith("hint: ") and "manual, 6h, 12h, daily" in lines[1], r.stderr
    assert crm.dump() == before


@pytest.mark.parametrize(
    ("where", "said"),
    [
        ("zzz=1", "--where: unknown filter zzz"),
        # not --priority, the option of the new value, which was fine
        ("priority=zzz", "--where: unknown priority 'zzz'"),
        ("date_from=zzz", "--where: date_from must be a date like 2026-03-14, not 'zzz'"),
    ],
)
def test_a_refused_where_filter_names_where(crm: Crm, where: str, said: str) -> None:
    """`pcrm contacts bulk-update --where zzz=1 --priority low` said "unknown filter zzz", naming no option;
    `--where priority=zzz --priority low` said "--priority: unknown priority 'zzz'", blaming the new value."""
    crm.cli("contacts", "add", "--name", "Ada Lovelace")
    before = crm.dump()
    args = ("contacts", "bulk-update", "--where", where, "--priority", "low")
    lines = crm.cli(*args, ok=False).stderr.splitlines()
    assert lines[0] == f"error: {said}", lines
    if "unknown filter" in said:
        assert lines[1].startswith("hint: --where takes KEY=VALUE, KEY one of: search, tag,"), lines
    env = json.loads(crm.cli(*args, "--json", ok=False).stdout)
    assert not env["error"]["message"].startswith("--where")  # the API's terms
    assert crm.dump() == before
