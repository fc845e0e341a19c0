"""Who a chat's people are and why messages stay out: namesakes are never picked on the name alone
[import-matching], messages left out say why and what would import them (`interactions_not_imported`),
a chat whose sides nobody can tell is refused, not guessed [chat-takeouts], and `pcrm import --json`
answers the envelope of the upload route that takes the file [import-report]."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

ME = '{"names": ["Sam Tester"], "emails": ["sam@example.com"]}'


def _me(cli: Any) -> None:
    cli("settings", "set", "me", ME)


def _per_contact(store: Any) -> list[tuple[str, str, int]]:
    """(name, first email or '', interactions) of every contact, oldest first."""
    return store.q(
        "SELECT c.full_name, coalesce((SELECT min(e.email) FROM contact_emails e "
        "WHERE e.contact_id = c.id), ''), "
        "(SELECT count(*) FROM interactions i WHERE i.contact_id = c.id) FROM contacts c ORDER BY c.id"
    )


def _chat(tmp_path: Path) -> Path:
    f = tmp_path / "wa_david.txt"
    f.write_text("01/02/19, 11:25 - Sam Tester: hi\n03/02/19, 11:23 - David Brown: yo\n")
    return f


# ---------------------------------------------------------------- namesakes


def test_a_chat_sender_with_two_namesakes_gets_neither(imp, cli, store, tmp_path):
    _me(cli)
    cli("contacts", "add", "--name", "David Brown", "--email", "db1@x.example")
    cli("contacts", "add", "--name", "David Brown", "--email", "db2@y.example")
    rep = imp(_chat(tmp_path), "--date-order", "dmy")["data"]
    assert (rep["contacts_created"], rep["interactions_created"], rep["pending_review"]) == (1, 2, 2)
    assert any("2 contacts are called 'David Brown'" in e for e in rep["errors"])
    assert _per_contact(store) == [
        ("David Brown", "db1@x.example", 0),
        ("David Brown", "db2@y.example", 0),
        ("David Brown", "", 2),
    ]
    # a rerun finds the chat by its messages: nothing new, nothing asked again
    again = imp(_chat(tmp_path), "--date-order", "dmy")["data"]
    assert (again["contacts_created"], again["interactions_created"], again["batch_id"]) == (0, 0, None)
    assert len(_per_contact(store)) == 3


def test_a_chat_merged_into_a_namesake_comes_back_to_it(imp, cli, store, tmp_path):
    _me(cli)
    cli("contacts", "add", "--name", "David Brown", "--email", "db1@x.example")
    cli("contacts", "add", "--name", "David Brown", "--email", "db2@y.example")
    imp(_chat(tmp_path), "--date-order", "dmy")
    new = store.q("SELECT uuid FROM contacts ORDER BY id DESC LIMIT 1")[0][0]
    cli("contacts", "merge", "db1@x.example", new)
    again = imp(_chat(tmp_path), "--date-order", "dmy")["data"]
    assert (again["contacts_created"], again["interactions_created"]) == (0, 0)
    assert _per_contact(store) == [("David Brown", "db1@x.example", 2), ("David Brown", "db2@y.example", 0)]


def test_a_chat_sender_named_like_one_contact_is_asked_not_joined(imp, cli, store, tmp_path):
    _me(cli)
    cli("contacts", "add", "--name", "David Brown", "--email", "db1@x.example")
    rep = imp(_chat(tmp_path), "--date-order", "dmy")["data"]
    assert (rep["contacts_created"], rep["pending_review"]) == (1, 1)
    assert _per_contact(store) == [("David Brown", "db1@x.example", 0), ("David Brown", "", 2)]


def test_a_name_only_card_is_asked_about_not_counted_unchanged(imp, cli, store, tmp_path):
    cli("contacts", "add", "--name", "Chris Lee", "--company", "Acme")
    f = tmp_path / "chris.vcf"
    f.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Chris Lee\nEND:VCARD\n")
    rep = imp(f)["data"]
    assert (rep["contacts_created"], rep["contacts_skipped"], rep["pending_review"]) == (1, 0, 1)
    again = imp(f)["data"]  # the card again: the contact it made, unchanged
    assert (again["contacts_created"], again["contacts_skipped"], again["pending_review"]) == (0, 1, 0)
    assert store.q("SELECT count(*) FROM contacts") == [(2,)]


def test_a_message_counterpart_with_two_namesakes_gets_neither(imp, cli, store, tmp_path):
    _me(cli)
    cli("contacts", "add", "--name", "Ana Lopez", "--email", "ana1@x.example")
    cli("contacts", "add", "--name", "Ana Lopez", "--email", "ana2@y.example")
    f = tmp_path / "messages.csv"
    f.write_text(
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,"
        "SUBJECT,CONTENT,FOLDER\n"
        "abc,,Ana Lopez,,Sam Tester,,2024-03-15 09:30:00 UTC,Hi,Coffee?,INBOX\n"
    )
    rep = imp(f)["data"]
    assert (rep["contacts_created"], rep["interactions_created"], rep["pending_review"]) == (1, 1, 2)
    assert [n for _name, _e, n in _per_contact(store)] == [0, 0, 1]


# ---------------------------------------------------------------- messages left out, and why


def test_a_two_person_chat_where_neither_is_me_is_refused(imp, cli, contacts, corpus, tmp_path):
    _me(cli)
    # without its deleted messages ("Elon: You deleted this message", "Dmitry S: This message was
    # deleted"), which say Elon exported it: nothing tells
    f = tmp_path / "whats_json__android_en_media.txt"
    text = (corpus / "whatsapp" / f.name).read_text(encoding="utf-8")
    f.write_text(
        "".join(x for x in text.splitlines(True) if not ("deleted" in x or "gelöscht" in x)),
        encoding="utf-8",
    )
    env = imp(f, ok=False)
    assert "neither 'Dmitry S' nor 'Elon' is you" in env["error"]["message"]
    assert "--me" in env["error"]["hint"]
    assert contacts() == []  # not the two of them (one is you) as group members


def test_a_group_chat_says_why_its_messages_are_not_imported(cli, corpus):
    _me(cli)
    path = str(corpus / "whatsapp/whatstk__lorem-merge-part1.txt")
    env = cli.json("import", path, "--me", "Mary")
    assert env["data"]["interactions_not_imported"] == [
        {
            "reason": "group_chat",
            "count": 300,
            "why": "a group chat: its 3 members are imported as 2nd-tier contacts, its messages are not",
            "hint": None,
        }
    ]
    shown = cli("import", path, "--me", "Mary").stdout  # a rerun: the same reason in words
    assert "300 messages not imported: a group chat" in shown


def test_linkedin_messages_with_no_row_of_mine_say_so(imp, cli, corpus):
    _me(cli)
    env = imp(corpus / "linkedin/linkedin-network-intelligence__Messages.csv", ok=False)
    assert "11 messages not imported: no FROM or TO is you ('Sam Tester'" in env["error"]["message"]
    assert env["error"]["hint"].startswith("pass --me with your name as LinkedIn writes it")
    assert env["error"]["details"]["not_imported"][0]["reason"] == "not_yours"


def test_linkedin_zip_profile_counts_as_me_beside_the_setting(imp, cli, corpus, tmp_path):
    _me(cli)
    z = tmp_path / "linkedin.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("Connections.csv", (corpus / "linkedin/tekjobs__Connections.csv").read_bytes())
        zf.writestr("messages.csv", (corpus / "linkedin/kawsay__messages.csv").read_bytes())
        zf.writestr("Profile.csv", "First Name,Last Name\nPedro,Fuentes\n")
    rep = imp(z)["data"]
    assert (rep["interactions_created"], rep["interactions_not_imported"]) == (2, [])


def test_telegram_tells_the_sides_by_the_chat_name_not_by_me_alone(imp, cli, store, corpus):
    _me(cli)  # "Sam Tester" wrote nothing here: Henry is you, Grace is the chat
    imp(corpus / "telegram/langchain__telegram_old_format.json")
    rows = store.q(
        "SELECT c.full_name, i.direction, i.content_preview FROM interactions i "
        "JOIN contacts c ON c.id = i.contact_id ORDER BY i.occurred_at"
    )
    assert [(r[1], r[2]) for r in rows] == [
        ("outbound", "It's 2020..."),
        ("outbound", "Fireworks!"),
        ("inbound", "You're a minute late!"),
    ]


def test_telegram_refuses_to_guess_when_me_is_neither_side(imp, cli, contacts, corpus):
    _me(cli)
    env = imp(corpus / "telegram/chat-miner__single_export.json", ok=False)
    assert "cannot tell your messages from theirs" in env["error"]["message"]
    assert "--me" in env["error"]["hint"] and "'Author 2'" in env["error"]["hint"]
    assert contacts() == []
    env = imp(corpus / "telegram/chat-miner__batch_export.json", ok=False)  # an account export
    assert env["error"]["details"]["not_imported"][0]["reason"] == "direction_unknown"


# ---------------------------------------------------------------- the envelope and folders


def test_cli_json_carries_the_upload_routes_reference_fields(imp, cli, corpus, tmp_path):
    _me(cli)
    rep = imp(corpus / "linkedin/kawsay__messages.csv", "--me", "Pedro Fuentes")["data"]
    assert (rep["new_interactions"], rep["skipped"], rep["unmatched"]) == (
        rep["interactions_created"],
        rep["interactions_skipped"],
        len(rep["unmatched_names"]),
    )
    rep = imp(corpus / "linkedin/tekjobs__Connections.csv")["data"]
    assert (rep["created"], rep["skipped"]) == (rep["contacts_created"], 0)
    chat = imp(_chat(tmp_path), "--date-order", "dmy")["data"]  # no route takes a chat: the report only
    assert "created" not in chat and "skipped" not in chat


def test_an_x_archive_folder_without_direct_messages_says_so(imp, corpus, tmp_path):
    data = tmp_path / "xa" / "data"
    data.mkdir(parents=True)
    (data / "account.js").write_bytes((corpus / "x_archive/twitter-to-sqlite__account.js").read_bytes())
    (data / "following.js").write_bytes((corpus / "x_archive/twitter-to-sqlite__following.js").read_bytes())
    for args in ((), ("--format", "x-archive")):
        env = imp(tmp_path / "xa", *args, ok=False)
        assert "this X archive has no data/direct-messages.js" in env["error"]["message"]
