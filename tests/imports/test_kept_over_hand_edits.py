"""[protected-fields]: an import writes no field the user edited by hand, and what it brings for one is kept
aside and counted in `values_kept`, whichever field it is: tags, given and family names, a headline, an X
handle. A rerun of the file adds nothing; `pcrm import undo` takes off what it added."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.support.store import people, query

HEAD = "full_name,given_name,family_name,email,tags,twitter_handle\n"


def _kept(db: Path) -> list[tuple[str, str]]:
    return query(db, "SELECT kind, value FROM contact_fields ORDER BY id")


def _counts(rep: dict[str, Any]) -> tuple[int, int]:
    return rep["values_kept"], rep["contacts_updated"]


def test_tags_the_user_set_by_hand_stay_and_the_files_new_tag_is_kept_aside(cli, imp, tmp_path, db):
    """`contacts tag` then an import tagging Ada `family`: her tags stay as she set them, and `family` was
    dropped without a word (`values_kept` 0, "1 unchanged"); now it is kept aside, shown as another tag."""
    cli("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@analytical.io")
    cli("contacts", "tag", "Ada Lovelace", "vip")
    f = tmp_path / "a.csv"
    f.write_text(HEAD + "Ada Lovelace,,,ada@analytical.io,family;vip,\n", encoding="utf-8")
    rep = imp(f)["data"]
    assert people(db)["Ada Lovelace"]["tags"] == ["vip"]
    assert _kept(db) == [("x", "X-PCRM-TAG:family")]
    assert _counts(rep) == (1, 1)
    assert "other tag           family" in cli("contacts", "show", "Ada Lovelace").stdout
    assert _counts(imp(f)["data"]) == (0, 0)  # a rerun adds it no second time
    cli.json("import", "undo", str(rep["batch_id"]), "--yes")
    assert _kept(db) == [] and people(db)["Ada Lovelace"]["tags"] == ["vip"]


def test_a_tag_the_user_took_off_does_not_come_back_and_is_kept_aside(cli, imp, tmp_path, db):
    """A contact whose tags the user never edited takes the file's new tags (a set grows); once the user
    takes one off, the next import does not put it back, and keeps it aside instead of dropping it."""
    cli("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@analytical.io")
    f = tmp_path / "a.csv"
    f.write_text(HEAD + "Ada Lovelace,,,ada@analytical.io,family;math,\n", encoding="utf-8")
    imp(f)
    assert people(db)["Ada Lovelace"]["tags"] == ["family", "math"]
    cli("contacts", "untag", "Ada Lovelace", "family")
    rep = imp(f)["data"]
    assert people(db)["Ada Lovelace"]["tags"] == ["math"]
    assert _kept(db) == [("x", "X-PCRM-TAG:family")] and _counts(rep) == (1, 1)


def test_a_name_only_row_whose_tag_is_kept_aside_joins_the_contact(cli, imp, tmp_path, db):
    """A row with no key joins the contact holding all it says; a tag held aside counts as held, so a
    name-only row of the tag the user did not take is no second Ada (nor a pair to review)."""
    cli("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@analytical.io", "--location", "London")
    cli("contacts", "tag", "Ada Lovelace", "vip")
    keyed, bare = tmp_path / "keyed.csv", tmp_path / "bare.csv"
    keyed.write_text("full_name,email,location,tags\nAda Lovelace,ada@analytical.io,London,family\n", "utf-8")
    bare.write_text("full_name,location,tags\nAda Lovelace,London,family\n", encoding="utf-8")
    imp(keyed)
    rep = imp(bare)["data"]
    assert (rep["contacts_created"], *_counts(rep)) == (0, 0, 0)
    assert list(people(db)) == ["Ada Lovelace"]


def test_name_parts_the_user_typed_stay_and_the_files_are_kept_aside(cli, imp, tmp_path, db):
    """`contacts edit --given-name Augusta --family-name King`: the file's Ada / Lovelace were dropped; now
    they are kept as the name parts a vCard's N would be."""
    cli("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@analytical.io")
    # the full name typed with them stays as it is; parts typed alone would move it [name-parts]
    cli(
        "contacts",
        "edit",
        "Ada Lovelace",
        "--name",
        "Ada Lovelace",
        "--given-name",
        "Augusta",
        "--family-name",
        "King",
    )
    f = tmp_path / "a.csv"
    f.write_text(HEAD + "Ada Lovelace,Ada,Lovelace,ada@analytical.io,,\n", encoding="utf-8")
    rep = imp(f)["data"]
    ada = people(db)["Ada Lovelace"]
    assert (ada["given_name"], ada["family_name"]) == ("Augusta", "King")
    assert _kept(db) == [("n", "Lovelace;Ada;;;")] and _counts(rep) == (1, 1)
    assert _counts(imp(f)["data"]) == (0, 0)
    cli.json("import", "undo", str(rep["batch_id"]), "--yes")
    assert _kept(db) == []
    ada = people(db)["Ada Lovelace"]
    assert (ada["given_name"], ada["family_name"]) == ("Augusta", "King")


def test_an_x_handle_the_user_emptied_stays_empty_and_the_files_is_kept_aside(cli, imp, tmp_path, db):
    """`contacts edit --clear twitter_handle`: the file's handle is not written back, and was dropped; now
    it is kept as the profile a vCard import keeps beside the contact's own."""
    cli("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@analytical.io", "--twitter", "adal")
    cli("contacts", "edit", "Ada Lovelace", "--clear", "twitter_handle")
    f = tmp_path / "a.csv"
    f.write_text(HEAD + "Ada Lovelace,,,ada@analytical.io,,ada_l\n", encoding="utf-8")
    rep = imp(f)["data"]
    assert people(db)["Ada Lovelace"]["twitter_handle"] is None
    assert _kept(db) == [("social", "X-SOCIALPROFILE;TYPE=twitter:https://twitter.com/ada_l")]
    assert _counts(rep) == (1, 1)
    assert _counts(imp(f)["data"]) == (0, 0)
    cli.json("import", "undo", str(rep["batch_id"]), "--yes")
    assert _kept(db) == [] and people(db)["Ada Lovelace"]["twitter_handle"] is None
