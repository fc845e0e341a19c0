"""Bad input of every kind a QA pass found: an `error:` and a `hint:` that says what would be taken, exit
1, and nothing changed; never a traceback [strict-validation] [time-range] [text-limits]
[identifiable-contacts]."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.api import V
from tests.support.crm import Crm


def _stdin_bytes(crm: Crm, data: bytes, *args: str) -> Any:
    """Run pcrm with raw bytes on stdin (CliRunner's `input` as bytes, not text)."""
    from pcrm.cli import app

    return crm.cli.runner.invoke(app, list(args), input=data)


# ------------------------------------------------------------------ text that is not UTF-8


def test_a_latin1_note_on_stdin_is_refused_naming_the_encoding(crm: Crm) -> None:
    crm.add("Ann Lee")
    before = crm.dump()
    got = _stdin_bytes(crm, b"caf\xe9 latin1\n", "note", "add", "Ann Lee", "-")
    assert got.exit_code == 1, (got.stdout, got.stderr, got.exception)
    assert got.stderr.startswith("error: the note is not valid UTF-8 text")
    assert "hint: pcrm keeps text as UTF-8" in got.stderr and "iconv" in got.stderr
    assert crm.dump() == before


@pytest.mark.parametrize(
    "args",
    [
        ("note", "add", "Ann Lee", "caf\udce9"),
        ("log", "Ann Lee", "caf\udce9"),
        ("contacts", "add", "--name", "Jos\udce9"),
        ("contacts", "edit", "Ann Lee", "--title", "caf\udce9"),
        ("contacts", "tag", "Ann Lee", "caf\udce9"),
        ("contacts", "list", "--search", "caf\udce9"),
        ("settings", "set", "ai.model", "caf\udce9"),
    ],
)
def test_arguments_that_are_not_utf8_are_refused(crm: Crm, args: tuple[str, ...]) -> None:
    """Python reads argument bytes in another encoding as lone surrogates (surrogateescape)."""
    crm.add("Ann Lee")
    crm.rejects(*args, code="validation_error", says="is not valid UTF-8 text", hint="UTF-8")


@pytest.mark.parametrize(
    "args",
    [
        ("score", "explain", "caf\udce9"),
        ("contacts", "duplicates", "caf\udce9"),
        ("contacts", "merge", "Ann Lee", "caf\udce9"),
        ("contacts", "dismiss-duplicate", "caf\udce9", "Ann Lee"),
        ("contacts", "unmerge", "abcd\udcff"),
        ("contacts", "list", "--tag", "caf\udce9"),
        ("suggestions", "dismiss", "abcd\udcff"),
        ("suggestions", "snooze", "caf\udce9"),
        ("identity", "merge", "abcd\udcff"),
        ("identity", "reject", "abcd\udcff"),
        ("notifications", "read", "abcd\udcff"),
        ("notifications", "--link", "/caf\udce9"),
        ("sync", "status", "abcd\udcff"),
    ],
)
def test_references_and_ids_that_are_not_utf8_are_refused(crm: Crm, args: tuple[str, ...]) -> None:
    """A contact, suggestion, match, merge, notification or run named by bytes in another encoding, or
    a filter so typed: the lookup in SQLite failed on the lone surrogate with a traceback."""
    crm.add("Ann Lee")
    crm.rejects(*args, code="validation_error", says="is not valid UTF-8 text", hint="UTF-8")


def test_an_error_quoting_text_that_is_not_utf8_still_gives_its_envelope(crm: Crm) -> None:
    """A short id is not looked up, so the error is the usual not_found, quoting what was typed: the JSON
    encoder refused its lone surrogates, and `--json` ended in a traceback instead of the envelope."""
    err = crm.rejects("identity", "merge", "\udcff\udcfe", code="not_found", says="no identity match")
    assert "\\udcff" in err["message"]


def test_a_note_edit_that_is_not_utf8_is_refused(crm: Crm) -> None:
    ann = crm.add("Ann Lee")
    note = crm.cli.json("note", "add", ann["id"], "lunch")["data"]
    crm.rejects("note", "edit", note["id"], "caf\udce9", code="validation_error", says="UTF-8")


# ------------------------------------------------------------------ moments out of range


@pytest.mark.parametrize(
    "args",
    [
        ("note", "add", "Ann Lee", "x", "--at", "0001-01-01"),
        ("note", "add", "Ann Lee", "x", "--at", "1899-12-31T23:00"),
        ("note", "add", "Ann Lee", "x", "--at", "2201-01-01"),
        ("note", "add", "Ann Lee", "x", "--at", "1000000d ago"),
        ("note", "add", "Ann Lee", "x", "--at", "99999999999999999999 weeks ago"),
        ("log", "Ann Lee", "--at", "9999-12-31T23:59:59+00:00"),
        ("contacts", "list", "--interaction-to", "9999-12-31"),
        ("contacts", "list", "--date-to", "9999-12-31"),
        ("contacts", "list", "--date-from", "0001-01-01"),
        ("contacts", "overdue", "--now", "0001-01-02"),
        ("contacts", "overdue", "--now", "9999-12-31T23:59:59"),
    ],
)
def test_moments_outside_the_years_1900_to_2200_are_refused(crm: Crm, args: tuple[str, ...]) -> None:
    crm.add("Ann Lee")
    err = crm.rejects(*args, code="validation_error", says="in the years 1900 to 2200")
    assert "1900 to 2200" in err["hint"]


def test_pcrm_now_out_of_range_is_refused(crm: Crm, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PCRM_NOW", "0001-01-02")
    got = crm.cli("contacts", "list", ok=False)
    assert got.stderr.startswith("error: PCRM_NOW must be in the years 1900 to 2200"), got.stderr
    assert "\nhint: " in got.stderr


def test_a_birthday_keeps_any_real_year(crm: Crm) -> None:
    assert crm.add("Ada Lovelace", "--birthday", "1815-12-10")["birthday"] == "1815-12-10"


@pytest.mark.parametrize(
    "args",
    [
        ("contacts", "add", "--name", "Q", "--birthday", "{day}"),
        ("contacts", "edit", "Ada Lovelace", "--birthday", "{day}"),
    ],
)
@pytest.mark.parametrize("day", ["1985-02-29", "13-45", "02-30", "1990-13-45"])
def test_a_birthday_that_does_not_exist_is_worded_one_way(crm: Crm, args: tuple[str, ...], day: str) -> None:
    """`contacts add --birthday 1985-02-29` said "is not a real date: ..." and `contacts edit --birthday
    13-45` "'13-45' is not a real day": one wording, whichever command and form."""
    crm.add("Ada Lovelace")
    before = crm.dump()
    r = crm.cli(*(a.replace("{day}", day) for a in args), ok=False)
    assert r.stderr.splitlines()[0] == f"error: --birthday is not a real date: '{day}'", r.stderr
    assert crm.dump() == before


def test_the_ends_of_the_range_are_taken(crm: Crm) -> None:
    ann = crm.add("Ann Lee")
    for at in ("1900-01-01", "2200-12-31T23:00"):
        crm.cli("note", "add", ann["id"], "x", "--at", at)


# ------------------------------------------------------------------ --now takes --at's words


@pytest.mark.parametrize(
    ("word", "day"), [("yesterday", "2026-06-14"), ("3d ago", "2026-06-12"), ("today", "2026-06-15")]
)
def test_now_takes_the_words_at_takes(crm: Crm, word: str, day: str) -> None:
    """Counted from the clock --now replaces ($PCRM_NOW here: 2026-06-15T12:00Z)."""
    ann = crm.add("Ann Lee")
    note = crm.cli.json("note", "add", ann["id"], "x", "--now", word)["data"]
    assert note["occurred_at"][:10] == day
    crm.cli("contacts", "overdue", "--now", word)


def test_pcrm_now_takes_them_too(crm: Crm, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import UTC, datetime, timedelta

    monkeypatch.setenv("PCRM_NOW", "2d ago")
    days = {(datetime.now(UTC) - timedelta(days=2)).date().isoformat()}
    ann = crm.add("Ann Lee")
    note = crm.cli.json("note", "add", ann["id"], "x")["data"]
    days.add((datetime.now(UTC) - timedelta(days=2)).date().isoformat())  # a run across midnight
    assert note["occurred_at"][:10] in days


def test_an_absolute_now_needs_no_valid_pcrm_now(crm: Crm, monkeypatch: pytest.MonkeyPatch) -> None:
    """--now replaces $PCRM_NOW: a bad one only matters to the commands that read it."""
    ann = crm.add("Ann Lee")
    monkeypatch.setenv("PCRM_NOW", "garbage")
    note = crm.cli.json("note", "add", ann["id"], "x", "--now", "2026-01-02T10:00:00Z")["data"]
    assert note["occurred_at"].startswith("2026-01-02T10:00")
    crm.rejects("contacts", "list", code="validation_error", says="PCRM_NOW must be")


@pytest.mark.parametrize(
    ("now", "stored"),
    [
        ("2026-11-28T00:30", "2026-11-27T10:30:00.000Z"),  # Kiritimati is UTC+14
        ("2026-11-28", "2026-11-27T10:00:00.000Z"),  # midnight there
        ("2026-11-28T00:30:00Z", "2026-11-28T00:30:00.000Z"),  # an offset is kept
        ("2026-11-28T00:30:00+01:00", "2026-11-27T23:30:00.000Z"),
    ],
)
def test_now_and_pcrm_now_read_a_time_without_a_zone_as_at_does(
    crm: Crm, monkeypatch: pytest.MonkeyPatch, now: str, stored: str
) -> None:
    """In the `timezone` setting, not in UTC [time-range]."""
    crm.cli("settings", "set", "timezone", "Pacific/Kiritimati")
    ann = crm.add("Ann Lee")
    at = crm.cli.json("note", "add", ann["id"], "at", "--at", now)["data"]
    by_now = crm.cli.json("note", "add", ann["id"], "now", "--now", now)["data"]
    monkeypatch.setenv("PCRM_NOW", now)
    by_env = crm.cli.json("note", "add", ann["id"], "env")["data"]
    assert [at["occurred_at"], by_now["occurred_at"], by_env["occurred_at"]] == [stored] * 3


@pytest.mark.parametrize(
    ("now", "stored"),
    [("now", "2026-11-27T15:30:00.000Z"), ("1h ago", "2026-11-27T14:30:00.000Z")],
)
def test_relative_now_counts_from_a_zoneless_pcrm_now_read_in_the_setting(
    crm: Crm, monkeypatch: pytest.MonkeyPatch, now: str, stored: str
) -> None:
    # $PCRM_NOW 00:30 in Tokyo is 15:30Z the day before; `--now "1h ago"` counts from that moment
    crm.cli("settings", "set", "timezone", "Asia/Tokyo")
    ann = crm.add("Ann Lee")
    monkeypatch.setenv("PCRM_NOW", "2026-11-28T00:30")
    plain = crm.cli.json("note", "add", ann["id"], "plain")["data"]
    rel = crm.cli.json("note", "add", ann["id"], "rel", "--now", now)["data"]
    # before: the relative text was read in UTC, and $PCRM_NOW under it too (9 h off)
    assert plain["occurred_at"] == "2026-11-27T15:30:00.000Z" and rel["occurred_at"] == stored


# ------------------------------------------------------------------ something that identifies a contact


@pytest.mark.parametrize(
    "edit",
    [("--clear", "name"), ("--clear", "name", "--clear", "given-name")],
)
def test_an_edit_cannot_leave_a_contact_with_nothing_that_identifies_it(
    crm: Crm, edit: tuple[str, ...]
) -> None:
    """(`--name ""` is refused before this as a blank value [partial-edits].)"""
    crm.add("Solo Note", "--title", "CTO")
    crm.rejects(
        "contacts",
        "edit",
        "Solo Note",
        *edit,
        code="validation_error",
        says="a contact needs a name, an email, a phone or a handle",
        hint="contacts rm",
    )


def test_an_edit_may_swap_the_name_for_an_email(crm: Crm) -> None:
    crm.add("Solo Note")
    out = crm.cli.json("contacts", "edit", "Solo Note", "--clear", "name", "--email", "solo@example.com")
    assert out["data"]["full_name"] is None and out["data"]["emails"] == ["solo@example.com"]


def test_the_api_put_refuses_it_too(crm: Crm, empty_api: Any) -> None:
    solo = empty_api.post(f"{V}/contacts", json={"full_name": "Solo Note", "emails": ["s@example.com"]})
    assert solo.status_code == 201, solo.text
    cid = solo.json()["data"]["id"]
    before = crm.dump()
    r = empty_api.put(f"{V}/contacts/{cid}", json={"full_name": None, "emails": []})
    assert r.status_code == 422, r.text
    assert r.json()["error"]["hint"]
    assert crm.dump() == before
    assert empty_api.put(f"{V}/contacts/{cid}", json={"full_name": None}).status_code == 200


# ------------------------------------------------------------------ filter values


@pytest.mark.parametrize("source", ["nope", "manuall", "MANUAL-ish"])
def test_an_unknown_source_is_refused_listing_the_sources(crm: Crm, source: str) -> None:
    err = crm.rejects("contacts", "list", "--source", source, code="validation_error", says="unknown source")
    assert "manual" in err["hint"] and "vcard" in err["hint"] and "gmail" in err["hint"]
    crm.rejects("contacts", "ids", "--source", source, code="validation_error", says="unknown source")


def test_a_source_matches_in_any_case(crm: Crm) -> None:
    crm.add("Ann Lee")
    assert crm.names("--source", "MANUAL") == ["Ann Lee"]
    assert crm.names("--source", " Manual ") == ["Ann Lee"]
    assert crm.names("--source", "outlook") == []  # a source pcrm gives, none here yet: no rows, no error


def test_a_source_a_stored_contact_has_is_taken(crm: Crm) -> None:
    """A JSON restore keeps whatever source the file said."""
    crm.add("Ann Lee")
    crm.sql("UPDATE contacts SET source = 'HubSpot'")
    assert crm.names("--source", "hubspot") == ["Ann Lee"]


def test_a_contact_without_a_source_does_not_break_the_filter(crm: Crm, empty_api: Any) -> None:
    """A push or a JSON restore may leave `source` unset."""
    crm.add("Ann Lee")
    crm.add("Bo Nil")
    crm.sql("UPDATE contacts SET source = NULL WHERE full_name = 'Bo Nil'")
    assert crm.names("--source", "manual") == ["Ann Lee"]
    assert empty_api.get(f"{V}/contacts", params={"source": "manual"}).status_code == 200
    crm.rejects("contacts", "list", "--source", "nope", code="validation_error", says="unknown source")


def test_an_unknown_source_is_placed_in_the_query(crm: Crm, empty_api: Any) -> None:
    r = empty_api.get(f"{V}/contacts", params={"source": "nope"})
    assert [d["loc"] for d in r.json()["detail"]] == [["query", "source"]], r.text


def test_the_api_source_filter_is_checked_the_same_way(crm: Crm, empty_api: Any) -> None:
    r = empty_api.get(f"{V}/contacts", params={"source": "nope"})
    assert r.status_code == 422, r.text
    assert "unknown source" in r.json()["error"]["message"] and "manual" in r.json()["error"]["hint"]
    assert empty_api.get(f"{V}/contacts", params={"source": "MANUAL"}).status_code == 200


def test_every_source_pcrm_writes_is_a_known_one() -> None:
    """domain/sources.OTHER_CONTACT_SOURCES is complete: each file format's and service's SOURCE is known."""
    import importlib
    import pkgutil

    import pcrm.formats
    import pcrm.services
    from pcrm.domain.sources import contact_sources

    known = set(contact_sources())
    missing = {}
    for pkg in (pcrm.formats, pcrm.services):
        for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
            mod = importlib.import_module(info.name)
            for holder in (mod, *(v for v in vars(mod).values() if isinstance(v, type))):
                value = vars(holder).get("SOURCE")
                if isinstance(value, str) and value not in known:
                    missing[info.name] = value
    assert not missing


# ------------------------------------------------------------------ log directions


@pytest.mark.parametrize("direction", ["note", "event", "sideways", "EVENT"])
def test_log_takes_only_inbound_outbound_or_mutual(crm: Crm, direction: str) -> None:
    crm.add("Ann Lee")
    err = crm.rejects(
        "log", "Ann Lee", "--platform", "call", "--direction", direction, code="validation_error"
    )
    assert "inbound, outbound, mutual" in err["hint"]


def test_log_takes_a_direction_in_any_case(crm: Crm) -> None:
    crm.add("Ann Lee")
    assert crm.cli.json("log", "Ann Lee", "--direction", "Inbound")["data"]["direction"] == "inbound"


# ------------------------------------------------------------------ settings hints


@pytest.mark.parametrize(
    ("key", "value", "hint"),
    [
        ("suggestions.max_suggestions", "4", "suggestions.max_suggestions takes a whole number from 5 to 20"),
        ("sync.gmail.schedule", "2h", "sync.gmail.schedule takes one of manual, 6h, 12h, daily"),
        ("suggestions.preferred_channel", "pigeon", "takes one of auto, email, telegram, twitter"),
        ("logos.enabled", "maybe", "logos.enabled takes true or false"),
        ("whatsapp.sidecar_url", "ftp://x", "whatsapp.sidecar_url takes an http(s) URL"),
        ("geocoding.min_interval", "99", "geocoding.min_interval takes a number of seconds from 0 to 60"),
    ],
)
def test_a_refused_setting_hints_at_its_own_key(crm: Crm, key: str, value: str, hint: str) -> None:
    err = crm.rejects("settings", "set", key, value, code="validation_error", hint=hint)
    assert f"pcrm settings set {key} " in err["hint"]
    assert "priority.high 21" not in err["hint"]


# ------------------------------------------------------------------ suggestions


def _a_suggestion(crm: Crm) -> str:
    """A medium-priority contact last heard from 70 days ago (past her 60-day interval): one suggestion."""
    ada = crm.add("Ada Lovelace", "--email", "ada@example.com", "--priority", "medium")
    crm.history(ada["id"], [("email", "inbound", "2026-04-02T10:00:00Z")])
    crm.cli("suggestions", "generate")
    (s,) = crm.cli.json("suggestions", "list")["data"]
    return str(s["id"])


def test_suggestion_errors_carry_hints(crm: Crm) -> None:
    sid = _a_suggestion(crm)
    crm.rejects("suggestions", "snooze", sid, "--days", "0", code="validation_error", hint="--days 14")
    crm.rejects("suggestions", "edit", sid, "--message", "", code="validation_error", hint="regenerate")
    err = crm.rejects("suggestions", "edit", sid, code="validation_error", says="nothing to change")
    assert "--message or --channel" in err["hint"] and "status" not in err["hint"]


# ------------------------------------------------------------------ blank tags


@pytest.mark.parametrize("tags", [("",), ("  ",), ("", "  "), ("ok", " ")])
def test_a_blank_tag_is_refused_and_nothing_changes(crm: Crm, tags: tuple[str, ...]) -> None:
    crm.add("Ann Lee", "--tag", "friend")
    crm.rejects("contacts", "tag", "Ann Lee", *tags, code="validation_error", says="a tag cannot be empty")
    crm.rejects("contacts", "untag", "Ann Lee", *tags, code="validation_error", says="a tag cannot be empty")


# ------------------------------------------------------------------ hidden aliases


def test_contacts_search_is_list_search(crm: Crm) -> None:
    crm.add("Olu Borg")
    crm.add("Ann Lee")
    got = crm.cli.json("contacts", "search", "olu")["data"]
    assert [c["full_name"] for c in got] == ["Olu Borg"]
    assert "Olu Borg" in crm.cli("contacts", "search", "olu", "borg", "--format", "csv").stdout


def test_contacts_delete_is_rm(crm: Crm) -> None:
    crm.add("Ann Lee")
    crm.cli("contacts", "delete", "Ann Lee", "--yes")
    assert crm.names() == []


def test_the_aliases_are_not_in_help(crm: Crm) -> None:
    listing = crm.cli("contacts", "--help").stdout
    assert " search " not in listing and " delete " not in listing


# ------------------------------------------------------------------ pages past the end


def test_a_page_past_the_last_one_says_so(crm: Crm) -> None:
    for name in ("Ann Lee", "Ben Ode", "Cy Young"):
        crm.add(name)
    got = crm.cli("contacts", "list", "--page", "999", "--page-size", "2")
    assert got.exit_code == 0
    assert "page 999 is past the last page (2)" in got.stderr
    assert "showing" not in got.stderr
    envelope = json.loads(crm.cli("contacts", "list", "--page", "999", "--json").stdout)
    assert envelope["data"] == [] and envelope["meta"]["page"] == 999


def test_an_offset_past_the_end_says_so(crm: Crm) -> None:
    ann = crm.add("Ann Lee")
    crm.cli("note", "add", ann["id"], "one")
    got = crm.cli("interactions", "list", ann["id"], "--offset", "1000")
    assert got.exit_code == 0
    assert "offset 1000 is past the end (1 in all)" in got.stderr


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("--interaction-days", "0"), "--interaction-days"),
        (("--date-from", "2026-02-30"), "--date-from"),
        (("--interaction-to", "yesterday"), "--interaction-to"),
        (("--has-birthday", "maybe"), "--has-birthday"),
    ],
)
def test_a_bad_list_filter_is_named_by_its_option(crm: Any, args: tuple[str, ...], option: str) -> None:
    """`pcrm contacts list --interaction-days 0` said `interaction_days must be from 1 to 365`, a name the
    command has no option for; stderr names the option typed, the --json envelope keeps the API's field."""
    field = option.removeprefix("--").replace("-", "_")
    for command in (("contacts", "list"), ("contacts", "ids")):
        err = crm.rejects(*command, *args, code="validation_error")
        assert field in err["message"], err  # --json: the API's terms
        human = crm.cli(*command, *args, ok=None).stderr
        assert human.startswith(f"error: {option}"), human


@pytest.mark.parametrize("option", ["interaction", "date"])
def test_a_reversed_date_range_is_refused_naming_both_options(crm: Any, empty_api: Any, option: str) -> None:
    """`pcrm contacts list --interaction-from 2026-12-01 --interaction-to 2026-11-01` (or --date-from and
    --date-to) answered "no contacts match": a range whose start is after its end is a 422 naming both,
    here and in GET /contacts; a one-day range (from = to) still lists that day."""
    crm.add("Ann Lee")
    start, end = f"{option}_from", f"{option}_to"
    args = (f"--{option}-from", "2026-12-01", f"--{option}-to", "2026-11-01")
    err = crm.rejects("contacts", "list", *args, code="validation_error", says="the range is reversed")
    assert {f["field"] for f in err["details"]["fields"]} == {start, end}
    human = crm.cli("contacts", "list", *args, ok=None).stderr
    assert f"--{option}-from 2026-12-01 is after --{option}-to 2026-11-01" in human, human
    r = empty_api.get(f"{V}/contacts", params={start: "2026-12-01", end: "2026-11-01"})
    assert r.status_code == 422 and start in r.json()["error"]["message"], r.text
    crm.cli("contacts", "list", f"--{option}-from", "2026-11-01", f"--{option}-to", "2026-11-01")


def test_generate_with_nothing_new_says_it_once(crm: Crm) -> None:
    """`pcrm suggestions generate` with nothing new printed "nobody new to suggest now..." on stdout and
    "0 new suggestions" on stderr: one message now; a run that makes some still counts them."""
    _a_suggestion(crm)  # generates Ada's
    crm.add("Grace Hopper", "--email", "grace@example.com", "--priority", "medium")
    again = crm.cli("suggestions", "generate")
    assert "nobody new to suggest now" in again.stdout
    assert "new suggestion" not in again.stderr, again.stderr
    grace = crm.cli.json("contacts", "show", "Grace Hopper")["data"]
    crm.history(grace["id"], [("email", "inbound", "2026-04-02T10:00:00Z")])
    made = crm.cli("suggestions", "generate")
    assert "1 new suggestion" in made.stderr and "nobody new" not in made.stdout, (made.stdout, made.stderr)


def test_a_channel_the_contact_cannot_be_reached_on_is_said(crm: Crm) -> None:
    """`pcrm suggestions edit ID --channel linkedin` for a contact with no LinkedIn was taken in silence: the
    channel is still set, as compose drafts for any channel it is given, with a note saying so."""
    sid = _a_suggestion(crm)  # Ada: an email address, no LinkedIn
    got = crm.cli("suggestions", "edit", sid, "--channel", "linkedin")
    assert "note: Ada Lovelace has no LinkedIn profile (reachable on email)" in got.stderr, got.stderr
    body = crm.cli.json("suggestions", "edit", sid, "--channel", "linkedin")
    assert body["data"]["suggested_channel"] == "linkedin" and "no LinkedIn" in body["meta"]["note"]
    fine = crm.cli("suggestions", "edit", sid, "--channel", "email")
    assert (
        "note:" not in fine.stderr
        # the channel it has now: no update and no note [no-op-edits]
        and crm.cli.json("suggestions", "edit", sid, "--channel", "email")["meta"] == {"unchanged": True}
    )
