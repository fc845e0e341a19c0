"""LinkedIn messages.csv: a message's subject line is kept with it."""

from __future__ import annotations


def test_a_linkedin_messages_subject_is_kept_on_the_message(imp, cli, corpus):
    """`pcrm import messages.csv --me 'Ana Lopez'` dropped the SUBJECT column ('Coffee?',
    'Re: Coffee?') without a word: it was neither stored nor reported. It is kept in the message's
    `extra_data.subject`; a rerun adds nothing."""
    f = corpus / "linkedin/kawsay__messages.csv"
    rep = imp(f, "--me", "Ana Lopez")["data"]
    assert rep["interactions_created"] == 2
    items = cli.json("interactions", "list", "Pedro Fuentes")["data"]
    assert sorted((i["content_preview"][:5], (i["extra_data"] or {}).get("subject")) for i in items) == [
        ("Hey P", "Coffee?"),
        ("Sound", "Re: Coffee?"),
    ]
    again = imp(f, "--me", "Ana Lopez")["data"]
    assert (again["interactions_created"], again["batch_id"]) == (0, None)
