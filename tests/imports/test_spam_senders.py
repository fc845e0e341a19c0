"""LinkedIn's spam senders [chat-takeouts]: a fresh import of messages.csv makes no contact of one who only
wrote spam; a re-import that takes out the spam an older pcrm imported takes out the contact that pcrm made
only for it (journaled, put back by `pcrm import undo`), and leaves one known otherwise. End to end through
`pcrm import` and `POST /api/v1/contacts/import/linkedin-messages` on a store in tmp_path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.support.store import write as _write

ME = ("--me", "Pedro Fuentes", "--now", "2026-03-01T12:00:00Z")
SAM = (
    "ghi789,,Sam Spammer,https://www.linkedin.com/in/samspam,Pedro Fuentes,"
    "https://www.linkedin.com/in/pedro,2024-03-16 08:00:00,,Cheap followers!,{}"
)


def _messages(corpus: Path, tmp_path: Path, folder: str) -> Path:
    """The kawsay sample (Ana writes to Pedro, who answers) with Sam's message filed in `folder`."""
    head, ana, rest = (corpus / "linkedin/kawsay__messages.csv").read_text(encoding="utf-8").split("\n", 2)
    f = tmp_path / "messages.csv"
    f.write_text("\n".join([head, ana, SAM.format(folder), rest]), encoding="utf-8")
    return f


def _as_an_older_pcrm_left_it(imp: Any, store: Any, corpus: Path, tmp_path: Path) -> Path:
    """A store an older pcrm filled from messages.csv, spam and all (Sam's message read as INBOX, no folder
    kept): Sam became a contact. Returns the file as LinkedIn exports it, Sam's message in SPAM."""
    f = _messages(corpus, tmp_path, "INBOX")
    assert imp(f, *ME)["data"]["contacts_created"] == 2
    _write(store, "UPDATE interactions SET extra_data = NULL")
    return _messages(corpus, tmp_path, "SPAM")


def _names(store: Any) -> list[str]:
    return sorted(n for (n,) in store.q("SELECT full_name FROM contacts"))


def test_a_spam_only_sender_becomes_no_contact(imp, cli, corpus: Path, tmp_path: Path, store):
    """A fresh import counts Sam's message as spam and makes no contact of Sam."""
    rep = imp(_messages(corpus, tmp_path, "SPAM"), *ME)["data"]
    assert [(x["reason"], x["count"]) for x in rep["interactions_not_imported"]] == [("spam", 1)]
    assert _names(store) == ["Ana Lopez"]


def test_the_contact_an_older_pcrm_made_only_for_spam_goes_with_it(
    imp, cli, corpus: Path, tmp_path: Path, store
):
    """`pcrm import messages.csv` took out Sam's spam message an older pcrm had imported, and left Sam's
    contact behind with nothing: no message, nothing else known. Sam goes with the message, and the summary
    says so; `pcrm import undo` puts both back as they were; a rerun changes nothing."""
    f = _as_an_older_pcrm_left_it(imp, store, corpus, tmp_path)
    before = sorted(row[1:] for row in store.q("SELECT * FROM contacts"))
    shown = cli("import", str(f), *ME).stdout
    assert (
        "took out 1 spam or draft message an earlier import kept and 1 contact it had made only for them"
        in (" ".join(shown.split()))
    )
    assert _names(store) == ["Ana Lopez"]
    assert imp(f, *ME)["data"]["batch_id"] is None
    batch = cli.json("import", "history")["data"][0]["id"]
    undone = cli("import", "undo", batch, "--yes").stdout
    assert "put back 1 message and 1 contact it had taken out" in undone
    assert sorted(row[1:] for row in store.q("SELECT * FROM contacts")) == before
    assert store.q("SELECT content_preview FROM interactions WHERE content_preview LIKE 'Cheap%'") != []


def test_a_spam_sender_known_otherwise_stays(imp, cli, corpus: Path, tmp_path: Path, store):
    """Sam stays when anything else is known of Sam: a value typed by hand, or another source's (an email
    from a CSV), or another message."""
    f = _as_an_older_pcrm_left_it(imp, store, corpus, tmp_path)
    sam = store.q("SELECT uuid FROM contacts WHERE full_name = 'Sam Spammer'")[0][0]
    cli("contacts", "edit", sam, "--title", "Growth hacker", "--now", "2026-03-01T12:00:00Z")
    rep = imp(f, *ME)["data"]
    assert (rep["interactions_withdrawn"], rep["contacts_withdrawn"]) == (1, 0)
    assert _names(store) == ["Ana Lopez", "Sam Spammer"]


def test_a_spam_sender_another_source_knows_stays(imp, cli, corpus: Path, tmp_path: Path, store):
    f = _as_an_older_pcrm_left_it(imp, store, corpus, tmp_path)
    csv = tmp_path / "people.csv"
    csv.write_text(
        "Name,Email,LinkedIn\nSam Spammer,sam@spam.test,https://www.linkedin.com/in/samspam\n",
        encoding="utf-8",
    )
    imp(csv)
    assert imp(f, *ME)["data"]["contacts_withdrawn"] == 0
    assert _names(store) == ["Ana Lopez", "Sam Spammer"]


def test_the_api_reimport_takes_the_spam_senders_contact_out_too(
    imp, empty_api: Any, corpus: Path, tmp_path: Path, store
):
    """The same through `POST /api/v1/contacts/import/linkedin-messages`: the report counts the contact."""
    f = _as_an_older_pcrm_left_it(imp, store, corpus, tmp_path)
    r = empty_api.post(
        "/api/v1/contacts/import/linkedin-messages",
        files={"file": (f.name, f.read_bytes(), "text/csv")},
        data={"me": "Pedro Fuentes"},
    )
    assert r.status_code == 200, r.text
    assert (r.json()["data"]["interactions_withdrawn"], r.json()["data"]["contacts_withdrawn"]) == (1, 1)
    assert _names(store) == ["Ana Lopez"]
