"""[name-parts]: an import that brings the given and family names of the name a contact already has fills
the parts it lacks and replaces parts nobody typed when it splits the name otherwise; a partial split that
differs is kept aside as name parts, never dropped. `pcrm import undo` puts the parts back."""

from __future__ import annotations

from pathlib import Path

from tests.support.store import people, query

CARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{fn}\r\nN:{n}\r\nEMAIL:maria@example.com\r\nEND:VCARD\r\n"


def _card(tmp_path: Path, name: str, n: str, fn: str = "Maria Garcia Lopez") -> Path:
    f = tmp_path / f"{name}.vcf"
    f.write_text(CARD.format(fn=fn, n=n), encoding="utf-8")
    return f


def _parts(cli, who: str) -> tuple[str | None, str | None]:  # type: ignore[no-untyped-def]
    shown = cli.json("contacts", "show", who)["data"]
    return shown["given_name"], shown["family_name"]


def test_another_split_of_the_same_name_replaces_parts_nobody_typed(cli, imp, tmp_path, db):
    """A contact split as Maria Garcia / Lopez (an earlier card), then a card of the same full name split as
    Maria / Garcia Lopez: the new parts were dropped ("1 unchanged"); now they are the contact's, and undo
    puts the first ones back."""
    imp(_card(tmp_path, "first", "Lopez;Maria Garcia;;;"))
    assert _parts(cli, "maria@example.com") == ("Maria Garcia", "Lopez")
    rep = imp(_card(tmp_path, "second", "Garcia Lopez;Maria;;;"))["data"]
    assert rep["contacts_updated"] == 1
    assert _parts(cli, "maria@example.com") == ("Maria", "Garcia Lopez")
    assert people(db)["Maria Garcia Lopez"]["full_name"] == "Maria Garcia Lopez"
    cli.json("import", "undo", str(rep["batch_id"]), "--yes")
    assert _parts(cli, "maria@example.com") == ("Maria Garcia", "Lopez")


def test_parts_for_a_contact_added_by_name_alone_replace_the_derived_ones(cli, imp, tmp_path, db):
    """`contacts add --name` reads parts off the name (no hand edit): a card's own split of it wins."""
    cli("contacts", "add", "--name", "Maria Garcia Lopez", "--email", "maria@example.com")
    rep = imp(_card(tmp_path, "card", "Garcia Lopez;Maria;;;"))["data"]
    assert _parts(cli, "maria@example.com") == ("Maria", "Garcia Lopez")
    # the parts pcrm read off the name are no source's: nothing kept aside for them
    assert rep["values_kept"] == 0 and query(db, "SELECT kind, value FROM contact_fields") == []


def test_a_contact_with_a_name_alone_takes_the_parts_and_the_suffix(cli, imp, tmp_path, db):
    """A CSV row with a name alone, then a card of that name with N and a suffix: the parts fill the empty
    ones and the suffix is kept with them as the card's name parts."""
    f = tmp_path / "a.csv"
    f.write_text("Name,Email\nAda Lovelace,maria@example.com\n", encoding="utf-8")
    imp(f)
    assert _parts(cli, "maria@example.com") == (None, None)
    rep = imp(_card(tmp_path, "card", "Lovelace;Ada;;;Jr.", fn="Ada Lovelace"))["data"]
    assert _parts(cli, "maria@example.com") == ("Ada", "Lovelace")
    assert ("n", "Lovelace;Ada;;;Jr.") in query(db, "SELECT kind, value FROM contact_fields")
    cli.json("import", "undo", str(rep["batch_id"]), "--yes")
    assert _parts(cli, "maria@example.com") == (None, None)


def test_a_partial_split_that_differs_is_kept_aside(cli, imp, tmp_path, db):
    """A card giving only a given name that differs (N:;Maria;;;) would leave the parts naming nobody
    ("Maria" / "Lopez"): the contact's stay and the card's are kept as name parts."""
    imp(_card(tmp_path, "first", "Lopez;Maria Garcia;;;"))
    rep = imp(_card(tmp_path, "second", ";Maria;;;"))["data"]
    assert _parts(cli, "maria@example.com") == ("Maria Garcia", "Lopez")
    assert rep["values_kept"] == 1
    assert ("n", ";Maria;;;") in query(db, "SELECT kind, value FROM contact_fields")


def test_parts_the_user_typed_stay_and_the_cards_are_kept_aside(cli, imp, tmp_path, db):
    """A given name typed by hand is never overwritten: the card's other split is kept aside whole."""
    imp(_card(tmp_path, "first", "Lopez;Maria Garcia;;;"))
    # the full name typed with it stays as it is; a part typed alone would move it [name-parts]
    cli("contacts", "edit", "maria@example.com", "--name", "Maria Garcia Lopez", "--given-name", "Mari")
    rep = imp(_card(tmp_path, "second", "Garcia Lopez;Maria;;;"))["data"]
    assert _parts(cli, "maria@example.com") == ("Mari", "Lopez")
    assert rep["values_kept"] == 1


def test_two_rows_of_one_new_person_keep_the_second_split_aside(cli, imp, tmp_path, db):
    """Two cards of one person in one file split the name two ways: the first split is the contact's and
    the second is kept aside, not dropped."""
    f = tmp_path / "two.vcf"
    f.write_text(
        CARD.format(fn="Maria Garcia Lopez", n="Lopez;Maria Garcia;;;")
        + CARD.format(fn="Maria Garcia Lopez", n="Garcia Lopez;Maria;;;"),
        encoding="utf-8",
    )
    rep = imp(f)["data"]
    assert _parts(cli, "maria@example.com") == ("Maria Garcia", "Lopez")
    assert rep["values_kept"] == 1
    assert ("n", "Garcia Lopez;Maria;;;") in query(db, "SELECT kind, value FROM contact_fields")


def test_the_whole_name_in_one_part_is_no_other_split(cli, imp, tmp_path, db):
    """A Telegram contact whose first name holds the whole name (first_name "Maria Garcia Lopez", no last
    name) says nothing of how the name splits: the contact's parts stay and nothing is kept aside."""
    imp(_card(tmp_path, "first", "Lopez;Maria Garcia;;;"))
    f = tmp_path / "a.csv"
    f.write_text(
        "full_name,given_name,email\nMaria Garcia Lopez,Maria Garcia Lopez,maria@example.com\n", "utf-8"
    )
    rep = imp(f)["data"]
    assert _parts(cli, "maria@example.com") == ("Maria Garcia", "Lopez")
    assert rep["values_kept"] == 0


def test_parts_typed_when_the_contact_was_added_stay_and_the_cards_are_kept_aside(cli, imp, tmp_path, db):
    """`contacts add --given-name "Maria Garcia" --family-name Lopez` typed the parts (no edit mark: they
    were given when it was added): a card's other split does not replace them, it is kept aside."""
    cli(
        "contacts", "add", "--name", "Maria Garcia Lopez", "--given-name", "Maria Garcia",
        "--family-name", "Lopez", "--email", "maria@example.com",
    )  # fmt: skip
    rep = imp(_card(tmp_path, "card", "Garcia Lopez;Maria;;;"))["data"]
    assert _parts(cli, "maria@example.com") == ("Maria Garcia", "Lopez")
    assert rep["values_kept"] == 1


def test_two_sources_splitting_the_name_two_ways_change_it_once_not_on_every_import(cli, imp, tmp_path, db):
    """Source A splits "Maria Garcia Lopez" as Maria / Garcia Lopez, source B as Maria Garcia / Lopez: each
    `pcrm import` of A, B, A, B swapped the contact's parts back ("1 updated" every time). B's split
    replaces A's once and A's is kept aside as name parts; after that neither import changes the contact,
    and undoing B's import puts A's parts back and takes the kept ones away."""
    a = _card(tmp_path, "a", "Garcia Lopez;Maria;;;")
    b = _card(tmp_path, "b", "Lopez;Maria Garcia;;;")
    imp(a)
    first_b = imp(b)["data"]
    assert first_b["contacts_updated"] == 1
    assert _parts(cli, "maria@example.com") == ("Maria Garcia", "Lopez")
    for f in (a, b, a, b):
        assert imp(f)["data"]["contacts_updated"] == 0
        assert _parts(cli, "maria@example.com") == ("Maria Garcia", "Lopez")
    assert query(db, "SELECT kind, value FROM contact_fields") == [("n", "Garcia Lopez;Maria;;;")]
    cli.json("import", "undo", str(first_b["batch_id"]), "--yes")
    assert _parts(cli, "maria@example.com") == ("Maria", "Garcia Lopez")
    assert query(db, "SELECT kind, value FROM contact_fields") == []
