"""A LinkedIn message's sender is never a stored contact by the name alone [import-matching] [shared-keys]:
`pcrm import messages.csv` put the messages of linkedin.com/in/analopez on the stored Ana Lopez of another
profile, and those of a Carol Davis on the stored Carol Davis of no profile, dropping the sender's profile
address, and asked nothing."""

from __future__ import annotations

from tests.support.paths import require_testdata
from tests.support.store import people, query


def _by_profile(db) -> dict[str | None, tuple[str, int]]:
    rows = query(
        db,
        "SELECT c.linkedin_url, c.full_name, (SELECT count(*) FROM interactions i WHERE i.contact_id = c.id) "
        "FROM contacts c",
    )
    return {url: (name, n) for url, name, n in rows}


def _pairs(cli) -> list[set[str | None]]:
    return [
        {m["contact_a"]["linkedin_url"], m["contact_b"]["linkedin_url"]}
        for m in cli.json("identity", "matches")["data"]
    ]


def test_a_sender_of_another_profile_is_someone_else(cli, imp, db):
    f = require_testdata() / "linkedin" / "kawsay__messages.csv"
    cli(
        "contacts",
        "add",
        "--name",
        "Ana Lopez",
        "--email",
        "ana@lopez.es",
        "--linkedin",
        _url("ana-lopez-madrid-77"),
    )
    rep = imp(f, "--me", "Pedro Fuentes")["data"]
    assert (rep["contacts_created"], rep["interactions_created"]) == (1, 2)
    # the sender is a contact of their own, with the profile LinkedIn gave; two profiles are two people
    assert _by_profile(db) == {
        _url("ana-lopez-madrid-77"): ("Ana Lopez", 0),
        _url("analopez"): ("Ana Lopez", 2),
    }
    assert _pairs(cli) == []
    again = imp(f, "--me", "Pedro Fuentes")["data"]
    assert (again["contacts_created"], again["interactions_created"], again["batch_id"]) == (0, 0, None)


def test_a_contact_of_the_same_profile_gets_the_messages(cli, imp, db):
    f = require_testdata() / "linkedin" / "kawsay__messages.csv"
    cli("contacts", "add", "--name", "Ana Lopez", "--linkedin", _url("analopez"))
    cli("contacts", "add", "--name", "Ana Lopez", "--linkedin", _url("ana-lopez-madrid-77"))
    rep = imp(f, "--me", "Pedro Fuentes")["data"]
    assert (rep["contacts_created"], rep["interactions_created"]) == (0, 2)
    assert _by_profile(db) == {
        _url("ana-lopez-madrid-77"): ("Ana Lopez", 0),
        _url("analopez"): ("Ana Lopez", 2),
    }


def test_a_namesake_of_no_profile_is_asked_about_never_joined(cli, imp, db):
    # the stored Carol Davis and Bob Williams say nothing but their names: the senders of those names are
    # contacts of their own, with their profile addresses, each asked about beside its namesake
    f = require_testdata() / "linkedin" / "linkedin-network-intelligence__Messages.csv"
    cli("contacts", "add", "--name", "Carol Davis")
    cli("contacts", "add", "--name", "Bob Williams", "--email", "bob@example.com")
    rep = imp(f, "--me", "Test User")["data"]
    assert rep["contacts_created"] == 4 and rep["pending_review"] == 2
    held = _by_profile(db)
    assert held[None] in {("Carol Davis", 0), ("Bob Williams", 0)}
    assert held[_url("caroldavis")][0] == "Carol Davis" and held[_url("caroldavis")][1] > 0
    assert held[_url("bobwilliams")][0] == "Bob Williams" and held[_url("bobwilliams")][1] > 0
    pairs = _pairs(cli)
    assert len(pairs) == 2 and {None, _url("bobwilliams")} in pairs and {None, _url("caroldavis")} in pairs
    assert people(db)["Alice Johnson"]["linkedin_url"] == _url("alicejohnson")
    again = imp(f, "--me", "Test User")["data"]
    assert (again["contacts_created"], again["interactions_created"], again["batch_id"]) == (0, 0, None)
    assert len(_pairs(cli)) == 2


def test_a_sender_without_a_profile_is_found_again_by_the_chat(cli, imp, tmp_path, db):
    # no profile address in the file: a re-import finds the contact the first import made by the chat's
    # messages, not the namesake the user had
    cli("contacts", "add", "--name", "Dora Diaz")
    f = tmp_path / "messages.csv"
    f.write_text(
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,DATE,SUBJECT,CONTENT\n"
        "c1,,Dora Diaz,,Me Myself,2024-05-15 10:30:00 UTC,,Hi\n"
        "c1,,Me Myself,,Dora Diaz,2024-05-15 11:30:00 UTC,,Hello\n",
        encoding="utf-8",
    )
    rep = imp(f, "--me", "Me Myself")["data"]
    assert (rep["contacts_created"], rep["interactions_created"], rep["pending_review"]) == (1, 2, 1)
    assert query(db, "SELECT count(*) FROM contacts WHERE full_name = 'Dora Diaz'") == [(2,)]
    assert sorted(r[0] for r in query(db, "SELECT interaction_count FROM contacts")) == [0, 2]
    f.write_text(
        f.read_text(encoding="utf-8") + "c1,,Dora Diaz,,Me Myself,2024-05-16 09:00:00 UTC,,Again\n",
        encoding="utf-8",
    )
    again = imp(f, "--me", "Me Myself")["data"]
    assert (again["contacts_created"], again["interactions_created"]) == (0, 1)
    assert sorted(r[0] for r in query(db, "SELECT interaction_count FROM contacts")) == [0, 3]


def _url(slug: str) -> str:
    return f"https://www.linkedin.com/in/{slug}"


def test_a_message_to_a_name_of_two_profiles_is_not_given_to_either(imp, tmp_path, db):
    # two Ana Lopez wrote, from two profiles; the message sent to "Ana Lopez" names no profile, so neither
    # profile's contact takes it (it went to the first sender's)
    f = tmp_path / "messages.csv"
    f.write_text(
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,DATE,SUBJECT,CONTENT\n"
        f"c1,,Ana Lopez,{_url('ana-one')},Me Myself,2024-05-15 10:30:00 UTC,,Hi from one\n"
        f"c2,,Ana Lopez,{_url('ana-two')},Me Myself,2024-05-15 11:30:00 UTC,,Hi from two\n"
        "c2,,Me Myself,,Ana Lopez,2024-05-15 12:30:00 UTC,,Reply to two\n",
        encoding="utf-8",
    )
    imp(f, "--me", "Me Myself")
    held = query(
        db,
        "SELECT c.linkedin_url, i.content_preview FROM interactions i JOIN contacts c ON c.id = i.contact_id "
        "ORDER BY i.occurred_at",
    )
    assert held[:2] == [(_url("ana-one"), "Hi from one"), (_url("ana-two"), "Hi from two")]
    assert held[2][1] == "Reply to two" and held[2][0] != _url("ana-one")
