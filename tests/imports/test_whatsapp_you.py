"""WhatsApp group exports that write their own user as "You" in the group's notices ("Dmitry S added
you", "You're now an admin"), end to end on a store in tmp_path [chat-takeouts] [second-tier]."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

GROUP = "whatsapp/whats_json__android_group_system.txt"


def _members(store: Any) -> list[tuple[str, str]]:
    """(name, tags) of every contact, oldest first."""
    return store.q(
        "SELECT c.full_name, coalesce((SELECT group_concat(t.tag) FROM contact_tags t "
        "WHERE t.contact_id = c.id), '') FROM contacts c ORDER BY c.id"
    )


def test_a_group_of_one_other_member_says_1_member(imp, cli, corpus: Path, store):
    # `pcrm import` of a group where one member is not you said "its 1 members are imported as 2nd-tier
    # contacts"
    cli("settings", "set", "me", '{"names": ["Ann Other"]}')
    rep = imp(corpus / GROUP)["data"]
    assert [x["why"] for x in rep["interactions_not_imported"]] == [
        "a group chat: its 1 member is imported as a 2nd-tier contact, its messages are not"
    ]
    assert _members(store) == [("Dmitry S", "2nd tier")]


def test_the_hint_never_offers_as_you_the_one_who_added_you(imp, corpus: Path, store, tmp_path):
    # `pcrm import` of a group without `me` hinted "--me 'Dmitry S'", the one the notices show added you:
    # following it left the group with no member
    f = tmp_path / "group.txt"
    f.write_text(
        (corpus / GROUP).read_text(encoding="utf-8")
        + "11/01/2023, 17:02 - Ann Lee: hi all\n11/01/2023, 17:03 - Ann Lee: ok\n",
        encoding="utf-8",
    )
    env = imp(f, ok=False)
    assert "needs your own name" in env["error"]["message"]
    hint = env["error"]["hint"]
    assert "(one of 'Ann Lee'), e.g. --me 'Ann Lee'" in hint and "Dmitry" not in hint
    assert _members(store) == []


def test_a_group_whose_notices_show_its_one_writer_added_you_imports_them_without_me(
    imp, corpus: Path, store
):
    # `pcrm import whats_json__android_group_system.txt` asked for --me, though the chat writes its user
    # as "You" ("Dmitry S added you", "You're now an admin"): Dmitry S, the only one who wrote, is not you
    rep = imp(corpus / GROUP)["data"]
    assert (rep["contacts_created"], rep["interactions_created"], rep["errors"]) == (1, 0, [])
    assert _members(store) == [("Dmitry S", "2nd tier")]
    again = imp(corpus / GROUP)["data"]  # a rerun adds nothing
    assert (again["contacts_created"], again["contacts_updated"], again["batch_id"]) == (0, 0, None)
    assert _members(store) == [("Dmitry S", "2nd tier")]


def test_me_naming_the_one_who_added_you_is_refused_saying_why(imp, corpus: Path, store):
    # `pcrm import whats_json__android_group_system.txt --me 'Dmitry S'` (as the old hint said) answered
    # "nothing to import ... its 0 members are imported as 2nd-tier contacts": the file shows Dmitry S
    # added you, so --me contradicts it and leaves nobody to import; it now says so, and how to go on
    env = imp(corpus / GROUP, "--me", "Dmitry S", ok=False)
    assert env["error"]["message"] == (
        "whats_json__android_group_system.txt: --me names 'Dmitry S' as you, but the chat shows they are "
        "someone else (row 3: 'Dmitry S added you'), and no other member is left to import"
    )
    assert env["error"]["hint"].endswith("if this export is yours, import it without --me")
    assert _members(store) == []


def test_me_naming_someone_the_notices_show_is_not_you_is_reported(imp, cli, corpus: Path, store, tmp_path):
    # a group someone else exported names the user as acting ("Dmitry S added you", said to the exporter):
    # `me` stands, the user is left out of the members, and the report says the export is not theirs
    cli("settings", "set", "me", '{"names": ["Dmitry S"]}')
    f = tmp_path / "group.txt"
    f.write_text(
        (corpus / GROUP).read_text(encoding="utf-8") + "11/01/2023, 17:02 - Ann Lee: hi all\n",
        encoding="utf-8",
    )
    rep = imp(f)["data"]
    assert rep["errors"] == [
        (
            "Row 3: 'Dmitry S added you' says 'Dmitry S' did not export this chat; left out of the members "
            "as you, as the me setting names them"
        )
    ]
    assert _members(store) == [("Ann Lee", "2nd tier")]


def _directions(store: Any) -> list[tuple[str, str, int]]:
    return store.q(
        "SELECT c.full_name, i.direction, count(*) FROM interactions i "
        "JOIN contacts c ON c.id = i.contact_id GROUP BY 1, 2 ORDER BY 1, 2"
    )


# (file, the other person, (inbound, outbound)): the one whose deleted messages read "You deleted this
# message" (in the file's language) is the exporting user; the deleted messages themselves are not imported
DELETED_BY_YOU = [
    ("whats_json__ios_en_media.txt", "Elon Musk", (0, 20)),
    ("whats_json__ios_de.txt", "Elon Musk", (0, 20)),
    ("whats_json__ios_buddhist_calendar.txt", "Elon Musk", (0, 22)),
    ("whats_json__ios_ar.txt", "Elon Musk", (0, 20)),
    ("whats_json__android_en_media.txt", "Dmitry S", (45, 6)),
    ("whats_json__android_ru.txt", "Dmitry S", (45, 6)),
]


@pytest.mark.parametrize("me", [None, '{"names": ["Me Myself"]}'])
@pytest.mark.parametrize(("name", "other", "counts"), DELETED_BY_YOU)
def test_the_sender_of_you_deleted_this_message_is_you(
    name, other, counts, me, imp, cli, corpus: Path, store
):
    # `pcrm import whats_json__ios_en_media.txt` asked for --me (or refused: "neither 'Dmitry S' nor 'Elon
    # Musk' is you (me: 'Me Myself')"), though "Dmitry S: You deleted this message." says who exported the
    # chat; the Android exports are the other phone's: "Elon: You deleted this message", "Dmitry S: This
    # message was deleted"
    if me:
        cli("settings", "set", "me", me)
    rep = imp(corpus / "whatsapp" / name)["data"]
    assert rep["contacts_created"] == 1 and rep["interactions_created"] == sum(counts)
    inbound, outbound = counts
    assert _directions(store) == [
        (other, d, n) for d, n in (("inbound", inbound), ("outbound", outbound)) if n
    ]
    again = imp(corpus / "whatsapp" / name)["data"]  # a rerun adds nothing
    assert (again["contacts_created"], again["interactions_created"], again["batch_id"]) == (0, 0, None)


def test_me_naming_a_sender_outranks_you_deleted_this_message(imp, corpus: Path, store):
    # `--me` (or `me`) naming one side is the user's word for the import: the file's exporter may be the
    # other phone (the corpus imports the Android export as Dmitry S's)
    imp(corpus / "whatsapp/whats_json__android_en_media.txt", "--me", "Dmitry S")
    assert _directions(store) == [("Elon", "inbound", 6), ("Elon", "outbound", 45)]


def test_me_given_naming_neither_side_is_not_overruled_by_the_file(imp, corpus: Path, store):
    # --me is the user's word for this import: the file's own account does not replace it [me-setting]
    env = imp(corpus / "whatsapp/whats_json__ios_en_media.txt", "--me", "Me Myself", ok=False)
    assert "is you (me: 'Me Myself')" in env["error"]["message"]
    assert store.q("SELECT count(*) FROM contacts") == [(0,)]


def test_a_group_member_who_deleted_a_message_as_you_is_you(imp, corpus: Path, store, tmp_path):
    # a group where the user wrote under their own name, and one of their messages reads "You deleted this
    # message": they are left out of the members without --me
    f = tmp_path / "group.txt"
    f.write_text(
        (corpus / GROUP).read_text(encoding="utf-8")
        + "11/01/2023, 17:02 - Ann Lee: hi all\n11/01/2023, 17:03 - Ann Lee: You deleted this message\n",
        encoding="utf-8",
    )
    rep = imp(f)["data"]
    assert rep["errors"] == []
    assert _members(store) == [("Dmitry S", "2nd tier")]


def test_a_group_that_never_writes_you_as_you_still_needs_me(imp, corpus: Path, store, tmp_path):
    # a group file whose notices never write its user as "You" (made by hand or another tool) may name the
    # user among those acting: its writers are not taken for others on that alone
    f = tmp_path / "group.txt"
    text = (corpus / GROUP).read_text(encoding="utf-8")
    f.write_text(
        "".join(x for x in text.splitlines(True) if not ("You" in x or " you" in x or "deleted" in x)),
        encoding="utf-8",
    )
    env = imp(f, ok=False)
    assert "needs your own name" in env["error"]["message"]
    assert "(one of 'Dmitry S')" in env["error"]["hint"]
    assert _members(store) == []


def _without(corpus: Path, name: str, tmp_path: Path, *words: str, more: str = "") -> Path:
    """A copy of the sample in tmp_path without its lines holding any of the words, `more` appended."""
    f = tmp_path / name.rsplit("/", 1)[-1]
    text = (corpus / name).read_text(encoding="utf-8")
    lines = [x for x in text.splitlines(True) if not any(w in x for w in words)]
    f.write_text("".join(lines) + more, encoding="utf-8")
    return f


def test_the_other_of_two_writers_whose_deleted_message_shows_is_not_you(imp, corpus: Path, store, tmp_path):
    # a two-person chat where only the other side deleted messages ("Dmitry S: This message was deleted"):
    # the one left is you; `pcrm import` asked for --me, offering Dmitry S
    f = _without(corpus, "whatsapp/whats_json__android_en_media.txt", tmp_path, "You deleted")
    rep = imp(f)["data"]
    assert rep["contacts_created"] == 1
    assert _directions(store) == [("Dmitry S", "inbound", 45), ("Dmitry S", "outbound", 6)]
    again = imp(f)["data"]
    assert (again["contacts_created"], again["interactions_created"], again["batch_id"]) == (0, 0, None)


def test_the_hint_never_offers_one_whose_deleted_message_shows_is_not_you(imp, corpus: Path, tmp_path):
    f = _without(
        corpus, GROUP, tmp_path, "You", " you", more="11/01/2023, 17:02 - Ann Lee: hi all\n"
    )  # no notice writes "You": only "Dmitry S: This message was deleted" tells
    env = imp(f, ok=False)
    assert "(one of 'Ann Lee'), e.g. --me 'Ann Lee'" in env["error"]["hint"]
    assert "Dmitry" not in env["error"]["hint"]
