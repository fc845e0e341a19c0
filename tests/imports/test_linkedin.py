"""LinkedIn Connections.csv, messages.csv and the export ZIP ([csv-imports], [me-setting] `me`, [csv-imports]
job changes)."""

from __future__ import annotations

import io
import zipfile

from tests.support.store import people, query

ME = ("--me", "Me Myself")


def test_connections_with_preamble(imp, fx, db):
    r = imp(fx / "Connections.csv")
    rep = r["data"]
    assert r["meta"]["format"] == "linkedin" and rep["source"] == "linkedin"
    assert rep["contacts_created"] == 4 and rep["contacts_skipped"] == 1  # the row with no name
    p = people(db)
    s = p["Sophie Wilson"]
    assert s["linkedin_url"] == "https://www.linkedin.com/in/sophie-wilson"  # trailing slash stripped
    assert s["linkedin_profile_id"] == "sophie-wilson" and s["emails"] == ["sophie@arm.test"]
    assert s["company"] == "Acorn, Ltd." and s["title"] == "Chip Designer" and s["source"] == "linkedin"
    assert s["organization_id"] is not None
    assert p["Ken Thompson"]["given_name"] == "Ken" and p["Ken Thompson"]["family_name"] == "Thompson"
    assert "Jane Doe, MBA ★" in p and p["Anna Karenina"]["linkedin_url"] is None


def test_connections_reimport_dedupes_by_slug_and_email_and_records_job_change(imp, fx, db):
    imp(fx / "Connections.csv")
    rep = imp(fx / "Connections_nopreamble.csv")["data"]
    assert rep["contacts_created"] == 0
    assert rep["contacts_updated"] == 1  # Ken: new company, position, email
    assert rep["contacts_skipped"] == 1  # Sophie unchanged (Ken's duplicate row: Ken, counted updated)
    ken = people(db)["Ken Thompson"]
    assert ken["company"] == "Google" and ken["title"] == "Distinguished Engineer"
    assert ken["emails"] == ["ken@bell.test"]
    events = query(
        db,
        "SELECT e.event_type, e.summary, e.source_url FROM detected_events e "
        "JOIN contacts c ON c.id = e.contact_id WHERE c.full_name = 'Ken Thompson'",
    )
    assert events == [
        (
            "job_change",
            "Now Distinguished Engineer at Google (was Researcher at Bell Labs)",
            "https://www.linkedin.com/in/kthompson",
        )
    ]
    org = query(
        db,
        "SELECT o.name FROM contacts c JOIN organizations o ON o.id = c.organization_id "
        "WHERE c.full_name = 'Ken Thompson'",
    )
    assert org == [("Google",)]
    again = imp(fx / "Connections_nopreamble.csv")["data"]
    assert again["contacts_updated"] == 0 and again["batch_id"] is None
    assert query(db, "SELECT count(*) FROM detected_events")[0][0] == 1


def test_connections_never_overwrite_a_user_edit(cli, imp, fx, db):
    imp(fx / "Connections.csv")
    cli("contacts", "edit", "Ken Thompson", "--company", "Unix Heritage")
    rep = imp(fx / "Connections_nopreamble.csv")["data"]
    ken = people(db)["Ken Thompson"]
    assert ken["company"] == "Unix Heritage"  # protected: the user said so
    # [job-changes]: the company typed keeps the position whole (LinkedIn's title is not paired with it);
    # LinkedIn's company and title are kept aside, counted
    assert ken["title"] == "Researcher"
    kept = query(
        db,
        "SELECT f.kind, f.value FROM contact_fields f JOIN contacts c ON c.id = f.contact_id "
        "WHERE c.full_name = 'Ken Thompson' AND f.kind IN ('org', 'prop') ORDER BY f.kind",
    )
    assert kept == [("org", "Google"), ("prop", "TITLE:Distinguished Engineer")]
    assert rep["values_kept"] == 2
    assert query(db, "SELECT count(*) FROM detected_events")[0][0] == 0


def test_messages_inbound_outbound_refs_and_unmatched(imp, fx, db, cli):
    imp(fx / "Connections.csv")
    r = imp(fx / "messages.csv", *ME)
    rep = r["data"]
    assert r["meta"]["format"] == "linkedin-messages"
    assert rep["interactions_created"] == 4
    # the duplicate row, no text, not mine; the person nobody matched is created from the name, and so is
    # "Jane Doe", whom no profile address names: a name alone joins nobody ("Jane Doe, MBA ★" of the
    # Connections.csv), it is asked about [import-matching]
    assert rep["interactions_skipped"] == 3
    assert rep["unmatched_names"] == []
    assert rep["contacts_created"] == 2 and "Nobody Known" in people(db)
    asked = cli.json("identity", "matches")["data"]
    assert [{m["contact_a"]["full_name"], m["contact_b"]["full_name"]} for m in asked] == [
        {"Jane Doe", "Jane Doe, MBA ★"}
    ]
    rows = query(
        db,
        "SELECT c.full_name, i.direction, i.raw_reference_id, i.occurred_at, i.content_preview "
        "FROM interactions i JOIN contacts c ON c.id = i.contact_id ORDER BY i.occurred_at",
    )
    assert rows[0] == (
        "Sophie Wilson",
        "inbound",
        "linkedin:conv1:2023-06-01 10:00:00 UTC",
        "2023-06-01T10:00:00.000Z",
        "Hello! Long time, no see.",
    )
    assert rows[1][:3] == ("Sophie Wilson", "outbound", "linkedin:conv1:2023-06-01 11:30:00 UTC")
    assert rows[1][4] == "Indeed!\nCoffee next week?"
    assert rows[2][:2] == ("Jane Doe", "inbound")
    s = people(db)["Sophie Wilson"]
    assert s["last_interaction_at"] == "2023-06-01T11:30:00.000Z" and s["interaction_count"] == 2
    again = imp(fx / "messages.csv", *ME)["data"]
    assert again["interactions_created"] == 0 and again["batch_id"] is None


def test_messages_need_to_know_who_you_are(imp, fx, cli):
    err = imp(fx / "messages.csv", ok=False)["error"]
    assert err["code"] == "bad_request" and "your own name" in err["message"]
    assert "--me" in err["hint"]
    cli("settings", "set", "me", '{"names": ["Me Myself"]}')
    imp(fx / "Connections.csv")
    assert imp(fx / "messages.csv")["data"]["interactions_created"] == 4


def test_naive_message_dates_are_utc_whatever_the_zone(imp, tmp_path, fx, db):
    # LinkedIn writes its messages' dates in UTC, with or without "UTC": `pcrm import messages.csv --tz
    # Europe/Berlin` put a message of 10:30 UTC at 08:30 UTC [local-days]
    imp(fx / "Connections.csv")
    f = tmp_path / "messages.csv"
    f.write_text(
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,DATE,SUBJECT,CONTENT\n"
        "c9,,Ken Thompson,,Me Myself,2024-05-15 10:30:00,,Hi\n",
        encoding="utf-8",
    )
    imp(f, *ME, "--tz", "Europe/Berlin")
    assert query(db, "SELECT occurred_at, raw_reference_id FROM interactions") == [
        ("2024-05-15T10:30:00.000Z", "linkedin:c9:2024-05-15 10:30:00")
    ]


def _zip(fx, *names, extra=None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name in names:
            z.writestr(f"Basic_LinkedInDataExport/{name}", (fx / name).read_bytes())
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


def test_linkedin_zip_fills_me_and_imports_everything_in_one_batch(imp, fx, tmp_path, db, cli):
    f = tmp_path / "Basic_LinkedInDataExport_03-01-2026.zip"
    f.write_bytes(_zip(fx, "Connections.csv", "messages.csv", "Profile.csv"))
    r = imp(f)
    rep = r["data"]
    assert r["meta"]["format"] == "linkedin-zip"
    assert rep["contacts_created"] == 5 and rep["interactions_created"] == 4
    assert rep["unmatched_names"] == []
    me = cli.json("settings", "show", "me")
    assert "Me Myself" in str(me["data"])
    assert len(cli.json("import", "history")["data"]) == 1
    again = imp(f)["data"]
    assert again["contacts_created"] == 0 and again["interactions_created"] == 0 and again["batch_id"] is None


def test_zip_without_linkedin_files_is_refused(imp, fx, tmp_path, dump):
    before = dump()
    f = tmp_path / "photos.zip"
    f.write_bytes(_zip(fx, extra={"IMG_0001.txt": b"not a photo"}))
    err = imp(f, "--format", "linkedin-zip", ok=False)["error"]
    assert "photos.zip has no Connections.csv or messages.csv" in err["message"]
    g = tmp_path / "broken.zip"
    g.write_bytes(_zip(fx, "Connections.csv")[:60])
    err = imp(g, ok=False)["error"]
    assert "broken.zip is not a readable ZIP archive" in err["message"]
    assert dump() == before


def test_zip_row_errors_name_the_member(imp, fx, tmp_path):
    f = tmp_path / "export.zip"
    f.write_bytes(
        _zip(
            fx,
            "Profile.csv",
            extra={
                "messages.csv": (fx / "messages.csv").read_text() + "BADROW\n",
                "Connections.csv": (fx / "Connections.csv").read_bytes(),
            },
        )
    )
    rep = imp(f)["data"]
    assert "messages.csv: Row 9: 1 field where the header has 10; row skipped" in rep["errors"]


def test_a_message_never_finds_a_namesake_of_another_generation(imp, cli, tmp_path, db):
    # "John Smith Jr" is not the only John Smith in the store, his father "John Smith Sr": with no profile
    # address, a sender is a contact of their own [import-matching], asked about only beside a namesake
    # whose generational suffix agrees [shared-keys], in any of its forms
    cli("contacts", "add", "--name", "John Smith Sr", "--company", "Acme")
    cli("contacts", "add", "--name", "Tom Hardy Jr.")
    f = tmp_path / "messages.csv"
    f.write_text(
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,DATE,SUBJECT,CONTENT\n"
        "c1,,John Smith Jr,,Me Myself,2024-05-15 10:30:00 UTC,,Dad is out\n"
        "c2,,Tom Hardy Junior,,Me Myself,2024-05-16 10:30:00 UTC,,Hi\n",
        encoding="utf-8",
    )
    rep = imp(f, *ME)["data"]
    assert (rep["interactions_created"], rep["contacts_created"]) == (2, 2)
    assert query(
        db,
        "SELECT c.full_name, i.content_preview FROM interactions i JOIN contacts c ON c.id = i.contact_id "
        "ORDER BY i.occurred_at",
    ) == [("John Smith Jr", "Dad is out"), ("Tom Hardy Junior", "Hi")]
    asked = cli.json("identity", "matches")["data"]
    assert [{m["contact_a"]["full_name"], m["contact_b"]["full_name"]} for m in asked] == [
        {"Tom Hardy Junior", "Tom Hardy Jr."}
    ]


def test_a_group_message_keeps_the_reference_it_was_first_stored_under(imp, tmp_path, db):
    # a group message is one interaction per member, each referenced by the member's name when no profile
    # address names them: that reference keeps the form it was first written in (no generational suffix),
    # or importing the same file after an upgrade would add the message again
    f = tmp_path / "messages.csv"
    f.write_text(
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,DATE,SUBJECT,CONTENT\n"
        'g1,Team,Me Myself,,"John Smith Jr, Ann Lee",2024-05-15 10:30:00 UTC,,Lunch?\n',
        encoding="utf-8",
    )
    imp(f, *ME)
    refs = sorted(r[0].rsplit(":", 1)[1] for r in query(db, "SELECT raw_reference_id FROM interactions"))
    assert refs == ["ann lee", "john smith"]
    again = imp(f, *ME)["data"]
    assert again["interactions_created"] == 0


def _messages(tmp_path, *rows: str):
    f = tmp_path / "messages.csv"
    head = "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,DATE,SUBJECT,CONTENT\n"
    f.write_text(head + "".join(r + "\n" for r in rows), encoding="utf-8")
    return f


def _held(db):
    return query(
        db,
        "SELECT c.full_name, i.content_preview FROM interactions i JOIN contacts c ON c.id = i.contact_id "
        "ORDER BY i.occurred_at",
    )


def test_a_sender_of_a_stored_name_is_asked_about_never_joined(cli, imp, tmp_path, db):
    # "Grace Hopper ★" (LinkedIn's name, a star beside it, no profile address) may be the one Grace Hopper
    # of the store, or another: nothing but the name says so, and a name alone joins nobody. Her messages
    # go to a contact of her own, the pair is asked about [import-matching]; the same file again finds the
    # contact holding that chat's messages, and asks nothing more
    cli("contacts", "add", "--name", "Grace Hopper")
    f = _messages(
        tmp_path,
        "c1,,Grace Hopper ★,,Me Myself,2024-05-15 10:30:00 UTC,,Hi",
        "c1,,Me Myself,,Grace Hopper ★,2024-05-15 11:30:00 UTC,,Hello",
    )
    rep = imp(f, *ME)["data"]
    assert (rep["contacts_created"], rep["interactions_created"], rep["pending_review"]) == (1, 2, 1)
    assert _held(db) == [("Grace Hopper ★", "Hi"), ("Grace Hopper ★", "Hello")]
    assert people(db)["Grace Hopper"]["fields"] == []
    asked = cli.json("identity", "matches")["data"]
    assert [{m["contact_a"]["full_name"], m["contact_b"]["full_name"]} for m in asked] == [
        {"Grace Hopper", "Grace Hopper ★"}
    ]
    again = imp(f, *ME)["data"]  # the same file again adds nothing
    assert again["batch_id"] is None and again["contacts_created"] == 0
    assert len(cli.json("identity", "matches")["data"]) == 1
    # a sender nobody holds yet, under both spellings in one file: one contact, named by the first
    f = _messages(
        tmp_path,
        "c2,,Ada Lovelace ★,,Me Myself,2024-05-16 10:30:00 UTC,,Hi",
        "c2,,Ada Lovelace,,Me Myself,2024-05-16 11:30:00 UTC,,Me again",
    )
    rep = imp(f, *ME)["data"]
    assert (rep["contacts_created"], rep["interactions_created"], rep["values_kept"]) == (1, 2, 1)
    a = people(db)["Ada Lovelace ★"]
    assert [(x["kind"], x["value"]) for x in a["fields"]] == [("nickname", "Ada Lovelace")]


def test_a_one_word_name_marked_by_an_emoji_is_not_its_plain_namesake(cli, imp, tmp_path, db):
    # a first name alone names many people: "Grace 🧤" is the label of one of them, not the plain "Grace" of
    # the store, as the matcher reads such names [distinctive-names]; the sender is a contact of their own,
    # as one of the same mark ("Sam ★" beside a stored "Sam ★") is: a name alone joins nobody
    cli("contacts", "add", "--name", "Grace")
    cli("contacts", "add", "--name", "Sam ★")
    f = _messages(
        tmp_path,
        "c1,,Grace 🧤,,Me Myself,2024-05-15 10:30:00 UTC,,Hi",
        "c2,,Sam ★,,Me Myself,2024-05-16 10:30:00 UTC,,Hey",
        "c3,,Grace ★,,Me Myself,2024-05-17 10:30:00 UTC,,Yo",
    )
    rep = imp(f, *ME)["data"]
    assert (rep["contacts_created"], rep["interactions_created"]) == (3, 3)
    assert _held(db) == [("Grace 🧤", "Hi"), ("Sam ★", "Hey"), ("Grace ★", "Yo")]
    assert query(db, "SELECT count(*) FROM contacts WHERE full_name = 'Sam ★'") == [(2,)]
    assert people(db)["Grace"]["fields"] == []
