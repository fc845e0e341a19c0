"""The framework: dry run, strict, undo, history, bad input, progress, and the `pcrm import` routing."""

from __future__ import annotations

import pytest

from pcrm.formats.names import normalize_name, parse_name_org
from tests.support.imports import NOW
from tests.support.store import diff_dumps, people, query

ME = ("--me", "Me Myself")


def test_dry_run_reports_and_writes_nothing(imp, fx, dump):
    before = dump()
    dry = imp(fx / "contacts.csv", "--dry-run")
    assert dry["meta"]["dry_run"] is True and dry["data"]["batch_id"] is None
    assert dump() == before
    real = imp(fx / "contacts.csv")["data"]
    for k in ("contacts_created", "contacts_updated", "contacts_skipped", "errors"):
        assert dry["data"][k] == real[k]


def test_dry_run_text_output(cli, fx):
    out = cli("import", str(fx / "Connections.csv"), "--dry-run").stdout
    assert out.startswith("dry run, nothing written: would import Connections.csv (linkedin): 4 new")


def test_strict_aborts_on_any_row_error(imp, fx, dump):
    before = dump()
    err = imp(fx / "contacts.csv", "--strict", ok=False)["error"]
    assert err["code"] == "bad_request"
    assert "2 row errors in contacts.csv; nothing was imported (--strict)" in err["message"]
    assert err["details"]["errors"][0].startswith("Row 7:")
    assert dump() == before


def test_strict_aborts_on_write_time_errors_too(cli, imp, tmp_path, dump):
    cli("contacts", "add", "--name", "Grace Hopper", "--email", "grace@navy.mil")
    cli("contacts", "add", "--name", "Alan Turing", "--twitter", "alan")
    f = tmp_path / "x.csv"
    # a handle Alan holds, on a row of another name: not added, reported [shared-keys]
    f.write_text("full_name,email,twitter\nNew Person,new@x.test,\nSomeone Else,,alan\n")
    before = dump()
    err = imp(f, "--strict", ok=False)["error"]
    assert "belongs to another contact" in err["details"]["errors"][0]
    assert dump() == before


def test_good_rows_import_while_bad_rows_are_reported(imp, tmp_path, db):
    f = tmp_path / "mixed.csv"
    f.write_text(
        "full_name,email,birthday\nGood One,good@x.test,1990-01-02\nBad Day,bad@x.test,1990-13-45\n"
        "Too,many,cells,here\n,,\nGood Two,two@x.test,\n"
    )
    rep = imp(f)["data"]
    assert rep["contacts_created"] == 3
    assert rep["errors"] == [  # in row order
        (
            "Row 3: birthday '1990-13-45' is not a real date: kept as an extra field, as text; the birthday "
            "is left empty"
        ),
        "Row 4: 4 fields where the header has 3; row skipped",
    ]
    p = people(db)
    assert p["Bad Day"]["birthday"] is None and p["Good One"]["birthday"] == "1990-01-02"
    assert [(f["kind"], f["value"]) for f in p["Bad Day"]["fields"]] == [("birthday", "1990-13-45")]


def _scenario(cli, imp, fx):
    """A store with history: contacts the imports will update, and messages on existing contacts."""
    cli(
        "contacts",
        "add",
        "--name",
        "Sophie Wilson",
        "--linkedin",
        "https://www.linkedin.com/in/sophie-wilson",
        "--tag",
        "2nd tier",
        "--now",
        NOW,
    )
    cli(
        "contacts",
        "add",
        "--name",
        "Ken Thompson",
        "--email",
        "ken@bell.test",
        "--company",
        "Bell Labs",
        "--title",
        "Researcher",
        "--now",
        NOW,
    )
    cli("note", "add", "Ken Thompson", "old note", "--at", "2025-01-01", "--now", NOW)


def test_undo_restores_the_pre_import_store(cli, imp, fx, dump, db):
    _scenario(cli, imp, fx)
    before = dump(skip=("import_batches",))
    b1 = imp(fx / "Connections.csv")["data"]
    b2 = imp(fx / "messages.csv", *ME)["data"]
    assert b1["contacts_updated"] == 1 and b1["contacts_created"] == 3
    assert b2["interactions_created"] == 4 and b2["contacts_created"] == 2
    assert query(db, "SELECT count(*) FROM contact_tags WHERE tag = '2nd tier'")[0][0] == 0  # promoted
    # undo must go newest first: the messages batch touched Sophie, whom the Connections batch updated
    err = cli.json("import", "undo", b1["batch_id"][:8], "--yes", ok=False)["error"]
    assert err["code"] == "conflict" and b2["batch_id"][:8] in err["hint"]
    u2 = cli.json("import", "undo", b2["batch_id"][:8], "--yes", "--now", NOW)["data"]
    assert u2["interactions_removed"] == 4
    u1 = cli.json("import", "undo", b1["batch_id"], "--yes", "--now", NOW)["data"]
    assert u1["contacts_removed"] == 3 and u1["contacts_reverted"] == 1
    after = dump(skip=("import_batches",))
    assert after == before, diff_dumps(before, after)
    history = cli.json("import", "history")["data"]
    assert [b["status"] for b in history] == ["undone", "undone"]
    again = cli.json("import", "undo", b1["batch_id"][:8], "--yes", ok=False)["error"]
    assert again["code"] == "conflict" and "already undone" in again["message"]


def test_undo_twice_names_the_local_time_it_was_undone(cli, imp, fx):
    """[local-days]: in the user's zone (Auckland: UTC+12 in June), not the stored UTC instant."""
    cli("settings", "set", "timezone", "Pacific/Auckland")
    b = imp(fx / "Connections.csv")["data"]["batch_id"]
    cli("import", "undo", b, "--yes", "--now", "2026-06-01T20:00:00Z")
    again = cli.json("import", "undo", b, "--yes", ok=False)["error"]
    assert again["code"] == "conflict"
    assert again["message"].endswith("was already undone at 2026-06-02 08:00"), again


def test_undo_of_a_job_change_and_org_domain(cli, imp, fx, dump, db):
    cli("orgs", "add", "Google", "--now", NOW)
    imp(fx / "Connections.csv")
    before = dump(skip=("import_batches",))
    b = imp(fx / "Connections_nopreamble.csv")["data"]
    assert query(db, "SELECT domain FROM organizations WHERE name = 'Google'") == [("bell.test",)]
    cli("import", "undo", b["batch_id"], "--yes", "--now", NOW)
    after = dump(skip=("import_batches",))
    assert after == before, diff_dumps(before, after)


def test_undo_keeps_later_edits(cli, imp, fx, db):
    imp(fx / "Connections.csv")
    b = imp(fx / "Connections_nopreamble.csv")["data"]  # Ken: Bell Labs -> Google
    cli("contacts", "edit", "Ken Thompson", "--title", "Retired")
    res = cli.json("import", "undo", b["batch_id"], "--yes", "--now", NOW)["data"]
    ken = people(db)["Ken Thompson"]
    assert ken["company"] == "Bell Labs" and ken["title"] == "Retired"
    assert any(k.endswith(".title") for k in res["kept_later_edits"])


def test_undo_keeps_a_created_contact_the_user_worked_on(cli, imp, tmp_path, db):
    f = tmp_path / "c.csv"
    f.write_text(
        "full_name,email\nNina Simone,nina@jazz.test\nOtis Redding,otis@soul.test\nAl Green,al@soul.test\n"
    )
    b = imp(f)["data"]["batch_id"]
    cli("note", "add", "nina@jazz.test", "my own note, written after the import")
    cli("contacts", "edit", "otis@soul.test", "--title", "Singer")
    dry = cli.json("import", "undo", b, "--dry-run")["data"]
    res = cli.json("import", "undo", b, "--yes")["data"]
    for d in (dry, res):
        assert {k["full_name"]: k["why"] for k in d["kept_contacts"]} == {
            "Nina Simone": ["1 interaction not from it"],
            "Otis Redding": ["edited since"],
        }
        assert d["contacts_removed"] == 1 and d["removed_names"] == ["Al Green"]
    left = people(db)
    assert set(left) == {"Nina Simone", "Otis Redding"} and left["Otis Redding"]["title"] == "Singer"
    notes = query(db, "SELECT content_preview, import_batch_id FROM interactions")
    assert notes == [("my own note, written after the import", None)]
    # detached from the batch: a later look at the batch does not claim them
    assert query(db, "SELECT count(*) FROM contacts WHERE import_batch_id IS NOT NULL") == [(0,)]
    text = cli("import", "undo", b, "--yes", ok=False)
    assert "already undone" in text.stdout + text.stderr


def test_undo_unknown_batch(cli):
    err = cli.json("import", "undo", "ffffffff", "--yes", ok=False)["error"]
    assert err["code"] == "not_found" and "pcrm import history" in err["hint"]


def test_history_lists_batches_newest_first(cli, imp, fx):
    cli("init")  # a command that only reads makes no store [opening-the-store]
    assert cli.json("import", "history")["data"] == []
    a = cli.json("import", str(fx / "contacts_alt.csv"), "--now", "2026-03-02T09:00:00Z")["data"]["batch_id"]
    b = cli.json("import", str(fx / "google_new.csv"), "--now", "2026-03-01T09:00:00Z")["data"]["batch_id"]
    c = cli.json("import", str(fx / "outlook.csv"), "--now", "2026-03-03T09:00:00Z")["data"]["batch_id"]
    items = cli.json("import", "history")["data"]
    assert [i["id"] for i in items] == [c, a, b]  # by import time, newest first
    assert items[1]["format"] == "csv" and items[1]["filename"] == "contacts_alt.csv"
    assert items[1]["report"]["contacts_created"] == 2 and items[1]["status"] == "applied"
    assert [i["id"] for i in cli.json("import", "history", "--limit", "1", "--offset", "1")["data"]] == [a]
    text = cli("import", "history").stdout
    assert a[:8] in text and "google-csv" in text


def test_cli_routes_file_history_and_undo(cli, fx):
    out = cli("import", str(fx / "contacts_alt.csv"), "--now", NOW).stdout
    assert "imported contacts_alt.csv (csv): 2 new" in out and "pcrm import undo" in out
    batch = out.split("undo with: pcrm import undo ")[1].split()[0]
    assert batch in cli("import", "history").stdout
    assert "undid batch" in cli("import", "undo", batch, "--yes").stdout
    helptext = cli("import", "--help").stdout
    assert "pcrm import FILE" in helptext and "history" in helptext and "undo" in helptext
    # options before the file work too
    assert "dry run" in cli("import", "--dry-run", str(fx / "contacts_alt.csv")).stdout


def test_errors_go_to_stderr_with_exit_0(cli, fx):
    res = cli("import", str(fx / "contacts.csv"))
    assert res.exit_code == 0
    assert "Row 7: no name, email, phone or handle" in res.stderr
    assert "Row 7" not in res.stdout


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("truncated.csv", None, "truncated.csv line 3: a quoted field starts here and never ends"),
        ("pipes.csv", None, "pipes.csv line 1: the header has a single column (it seems to use '|')"),
        ("messages_no_date.csv", None, "messages_no_date.csv line 1: no 'DATE' column"),
        (
            "photo.csv",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
            "photo.csv line 3: this looks like a binary file",
        ),
        ("empty.csv", b"", "empty.csv is empty"),
        (
            "cut.csv",
            b"full_name,email,company\nAda,ada@x.test,Engines\nAlan,al",
            "cut.csv line 3: the last row stops",
        ),
        (
            "latin.csv",
            b"full_name\n\x81\x8d\x8f\x90\x9d\n",
            "latin.csv line 2: bytes that are neither UTF-8 nor",
        ),
        (
            "notes.csv",
            b"title,body\nhello,world\n",
            "notes.csv line 1: no name, email, phone or handle column",
        ),
        ("notes.txt", b"hello world\n", "cannot tell what kind of file notes.txt is"),
    ],
)
def test_bad_input_names_file_and_line_and_changes_nothing(imp, fx, tmp_path, dump, name, content, message):
    path = fx / name
    if content is not None:
        path = tmp_path / name
        path.write_bytes(content)
    before = dump()
    args = ("--format", "linkedin-messages") if name == "messages_no_date.csv" else ()
    err = imp(path, *args, ok=False)["error"]
    assert message in err["message"], err
    assert err["hint"]
    assert dump() == before


def test_missing_file(cli, tmp_path):
    res = cli("import", str(tmp_path / "nope.csv"), ok=False)
    assert "no file at" in res.stderr and res.exit_code == 1


def test_progress_callback_is_called(fx, pcrm_home):
    from pcrm.services import imports
    from pcrm.services.context import open_context

    seen = []
    with open_context() as ctx:
        imports.import_file(
            ctx,
            (fx / "contacts.csv").read_bytes(),
            "contacts.csv",
            progress=lambda stage, done, total: seen.append((stage, done, total)),
        )
    assert seen and seen[-1][1] == seen[-1][2]


def test_import_file_takes_bytes_for_uploads(fx, pcrm_home):
    from pcrm.services import imports
    from pcrm.services.context import open_context

    with open_context() as ctx:
        res = imports.import_file(
            ctx, (fx / "Connections.csv").read_bytes(), "Connections.csv", format="linkedin", dry_run=True
        )
    assert set(res.data) == {
        "source",
        "batch_id",
        "contacts_created",
        "contacts_updated",
        "contacts_skipped",
        "rows_skipped_by_design",
        "contacts_folded",
        "interactions_created",
        "interactions_skipped",
        "interactions_known",
        "interactions_completed",
        "interactions_withdrawn",
        "contacts_withdrawn",
        "interactions_reread",
        "interactions_not_imported",
        "errors",
        "unmatched_names",
        "values_kept",
        "values_removed",
        "text_repaired",
        "pending_review",
    }
    assert res.data["contacts_created"] == 4


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("Jane Doe, MBA", "jane doe"),
        ("Dr. John Smith PhD", "dr john smith"),
        ("Ana López ★", "ana lópez"),
        ("Bob  Builder 🚀 Jr.", "bob builder jr"),  # a generational suffix stays, in one form
        ("Tom Hardy Junior", "tom hardy jr"),
        ("Junior Silva", "junior silva"),  # a name, not a suffix
        ("Mary-Kate O'Neil III", "mary kate o neil iii"),
        ("", ""),
        ("Ph.D.", "phd"),
    ],
)
def test_name_normaliser(raw, expected):
    assert normalize_name(raw) == expected


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("Jane | Acme", ("Jane", "Acme")),
        ("Jane @ Acme", ("Jane", "Acme")),
        ("Jane / Acme", ("Jane", "Acme")),
        ("jane@acme.com", ("jane@acme.com", None)),
        ("Jane", ("Jane", None)),
        ("| Acme", ("| Acme", None)),
    ],
)
def test_parse_name_org(raw, expected):
    assert parse_name_org(raw) == expected


def test_a_calendar_is_refused_as_a_calendar(imp, cli, corpus, tmp_path, dump):
    """'pcrm import meeting.ics' said 'cannot tell what kind of file meeting.ics is' and advised naming a
    --format, though none reads a calendar: it now says the file is a calendar pcrm does not import, and what
    to import instead; also under another name (an attachment saved as .txt)."""
    before = dump()
    for path in sorted((corpus / "ics").iterdir()):
        err = imp(path, ok=False)["error"]
        assert err["message"] == (
            f"{path.name} is a calendar (iCalendar), not contacts or messages; pcrm imports no calendars"
        ), err
        assert err["hint"].startswith("export the people as a vCard (.vcf)")
    renamed = tmp_path / "invite.txt"
    renamed.write_bytes((corpus / "ics/vobject__ms_tzid.ics").read_bytes())
    assert "is a calendar (iCalendar)" in imp(renamed, ok=False)["error"]["message"]
    assert dump() == before
