"""[name-parts]: given and family names typed by hand stay, even where they are the parts the full name
gives. `pcrm contacts add --name "Maria Garcia Lopez" --given-name Maria --family-name Lopez` (or POST
/contacts with them) stored parts nothing told from parts pcrm read off the name (the "typed" test was "a
contact added here whose parts are not the name's"), so a card's other split of the same name (Maria /
Garcia Lopez) replaced them, and a rename moved them. The parts typed are now marked as an edit marks
them; the card's split is kept aside as name parts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.store import query

CARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{fn}\r\nN:{n}\r\nEMAIL:{email}\r\nEND:VCARD\r\n"


def _parts(cli: Any, who: str) -> tuple[str | None, str | None]:
    shown = cli.json("contacts", "show", who)["data"]
    return shown["given_name"], shown["family_name"]


def _import_other_splits(imp: Any, tmp_path: Path) -> dict[str, Any]:
    f = tmp_path / "cards.vcf"
    f.write_text(
        CARD.format(fn="Maria Garcia Lopez", n="Garcia Lopez;Maria;;;", email="maria@example.com")
        + CARD.format(fn="Jean Claude Van Damme", n="Claude Van Damme;Jean;;;", email="jc@example.com")
        + CARD.format(fn="Ada Lovelace", n="Lovelace;Ada;;;", email="ada@example.com"),
        encoding="utf-8",
    )
    return dict(imp(f)["data"])


def test_parts_typed_at_add_that_are_the_names_own_stay_when_a_card_splits_it_otherwise(
    cli: Any, imp: Any, tmp_path: Path, db: Path
) -> None:
    cli(
        "contacts", "add", "--name", "Maria Garcia Lopez", "--given-name", "Maria",
        "--family-name", "Lopez", "--email", "maria@example.com",
    )  # fmt: skip
    # one part typed (the name's own given name): the family name is the card's to fill, not to replace
    cli(
        "contacts", "add", "--name", "Jean Claude Van Damme", "--given-name", "Jean Claude",
        "--email", "jc@example.com",
    )  # fmt: skip
    cli("contacts", "add", "--given-name", "Ada", "--family-name", "Lovelace", "--email", "ada@example.com")
    rep = _import_other_splits(imp, tmp_path)
    assert _parts(cli, "maria@example.com") == ("Maria", "Lopez")
    assert _parts(cli, "jc@example.com") == ("Jean Claude", None)
    assert _parts(cli, "ada@example.com") == ("Ada", "Lovelace")  # the same split: nothing to keep
    kept = query(db, "SELECT kind, value FROM contact_fields ORDER BY value")
    assert kept == [("n", "Claude Van Damme;Jean;;;"), ("n", "Garcia Lopez;Maria;;;")]
    assert rep["values_kept"] == 2
    # a rename leaves them alone too while they still name the contact: the user typed them, not the name
    cli("contacts", "edit", "maria@example.com", "--name", "Maria Lopez Ruiz")
    assert _parts(cli, "maria@example.com") == ("Maria", "Lopez")
    # renamed someone else, typed parts no longer in the name follow it (Maria/Lopez beside "John Smith"
    # named nobody)
    cli("contacts", "edit", "maria@example.com", "--name", "John Smith")
    assert _parts(cli, "maria@example.com") == ("John", "Smith")
    # per part: a typed nickname stays, a typed family name the rename took out follows the new name
    cli(
        "contacts", "add", "--name", "Dr. Jane Smith", "--given-name", "Janey", "--family-name", "Smith",
        "--email", "jane@example.com",
    )  # fmt: skip
    cli("contacts", "edit", "jane@example.com", "--name", "Jane Doe")
    assert _parts(cli, "jane@example.com") == ("Janey", "Doe")
    # a part the user did not type still follows the name it was read off
    cli("contacts", "add", "--name", "Grace Hopper", "--email", "grace@example.com")
    cli("contacts", "edit", "grace@example.com", "--name", "Grace Murray")
    assert _parts(cli, "grace@example.com") == ("Grace", "Murray")


@pytest.mark.anyio
async def test_parts_posted_with_a_new_contact_stay_when_a_card_splits_its_name_otherwise(
    client: Any, script: dict[str, str], cli: Any, imp: Any, tmp_path: Path
) -> None:
    body = {
        "full_name": "Maria Garcia Lopez",
        "given_name": "Maria",
        "family_name": "Lopez",
        "emails": ["maria@example.com"],
    }
    r = await client.post("/api/v1/contacts", json=body, headers=script)
    assert r.status_code == 201, r.text
    _import_other_splits(imp, tmp_path)
    r = await client.get(f"/api/v1/contacts/{r.json()['data']['id']}", headers=script)
    assert (r.json()["data"]["given_name"], r.json()["data"]["family_name"]) == ("Maria", "Lopez")
    # marked as typed, as an edit marks them [protected-fields]
    assert sorted(r.json()["data"]["user_edited_fields"]) == ["family_name", "given_name"]


@pytest.mark.parametrize(
    ("name", "given", "family", "renamed", "parts"),
    [
        ("Kim Lee", "Kim", "Lee", "Lee Min-ho", ("Lee", "Min-ho")),
        ("Jean Claude", "Jean", "Claude", "Claude Van Damme", ("Claude", "Van Damme")),
        ("Maria Garcia Lopez", "Maria", "Lopez", "Lopez Garcia", ("Lopez", "Garcia")),
        ("Anna Berg", "Anna", "Berg", "Berg", ("Berg", None)),
        # a part that stays beside one that follows, as long as they do not repeat a word
        ("Anna Berg", "Anna", "Berg", "Erik Berg", ("Erik", "Berg")),
        ("Anna Berg", "Anna", "Berg", "Anna", ("Anna", None)),
    ],
)
def test_a_typed_part_that_stays_is_not_the_words_the_new_name_gives_the_part_that_follows(
    cli: Any, name: str, given: str, family: str, renamed: str, parts: tuple[str | None, str | None]
) -> None:
    # `contacts add --name "Kim Lee" --given-name Kim --family-name Lee`, then `contacts edit --name
    # "Lee Min-ho"`: Kim followed the new name (Lee) while Lee stayed, leaving Lee / Lee beside it
    cli(
        "contacts", "add", "--name", name, "--given-name", given, "--family-name", family,
        "--email", "who@example.com",
    )  # fmt: skip
    cli("contacts", "edit", "who@example.com", "--name", renamed)
    assert _parts(cli, "who@example.com") == parts


@pytest.mark.anyio
async def test_a_put_rename_does_not_leave_one_word_in_both_typed_parts(
    client: Any, script: dict[str, str]
) -> None:
    body = {"full_name": "Jean Claude", "given_name": "Jean", "family_name": "Claude"}
    r = await client.post("/api/v1/contacts", json=body, headers=script)
    assert r.status_code == 201, r.text
    cid = r.json()["data"]["id"]
    r = await client.put(f"/api/v1/contacts/{cid}", json={"full_name": "Claude Van Damme"}, headers=script)
    assert r.status_code == 200, r.text
    assert (r.json()["data"]["given_name"], r.json()["data"]["family_name"]) == ("Claude", "Van Damme")


# (how the contact was added, the rename with the one part it types, the parts after it)
ONE_PART_TYPED = [
    # parts read off the old name: the one not typed follows the new name
    (["--name", "Maria Garcia"], ["--name", "John Smith", "--given-name", "Johnny"], ("Johnny", "Smith")),
    (["--name", "Kim Lee"], ["--name", "Pat Moss", "--family-name", "Moss-Hart"], ("Pat", "Moss-Hart")),
    # the name's split gives the other part the typed words: the word left beside them is that part
    (["--name", "Kim Lee"], ["--name", "Lee Min-ho", "--given-name", "Min-ho"], ("Min-ho", "Lee")),
    (["--name", "Maria Garcia"], ["--name", "Smith", "--given-name", "John"], ("John", "Smith")),
    # parts typed at add: the one the rename takes out of the name follows it, one still in it stays
    (
        ["--name", "Maria Garcia", "--given-name", "Maria", "--family-name", "Garcia"],
        ["--name", "John Smith", "--given-name", "Johnny"],
        ("Johnny", "Smith"),
    ),
    (
        ["--name", "Kim Lee", "--given-name", "Kim", "--family-name", "Lee"],
        ["--name", "Lee Min-ho", "--given-name", "Lee"],
        ("Lee", "Min-ho"),
    ),
    (
        ["--name", "Maria Garcia", "--given-name", "Maria", "--family-name", "Garcia"],
        ["--name", "Maria Lopez", "--family-name", "Lopez"],
        ("Maria", "Lopez"),
    ),
    # a part never in the name (a nickname typed by hand) stays
    (
        ["--name", "Dr. Jane Smith", "--given-name", "Janey"],
        ["--name", "Jane Brown", "--family-name", "Brown"],
        ("Janey", "Brown"),
    ),
]  # fmt: skip


@pytest.mark.parametrize(("added", "edit", "parts"), ONE_PART_TYPED)
def test_a_rename_typing_one_part_moves_the_other_with_the_name(
    cli: Any, added: list[str], edit: list[str], parts: tuple[str, str]
) -> None:
    """`pcrm contacts edit X --name "John Smith" --given-name Johnny` on "Maria Garcia" left Johnny / Garcia:
    a rename that typed one part kept the other from the old name, though the new name no longer held it
    [name-parts]. The part not typed now moves as a rename typing neither moves it."""
    cli("contacts", "add", *added, "--email", "who@example.com")
    cli("contacts", "edit", "who@example.com", *edit)
    assert _parts(cli, "who@example.com") == parts


@pytest.mark.anyio
async def test_a_put_renaming_with_one_part_moves_the_other(client: Any, script: dict[str, str]) -> None:
    r = await client.post("/api/v1/contacts", json={"full_name": "Maria Garcia"}, headers=script)
    assert r.status_code == 201, r.text
    cid = r.json()["data"]["id"]
    body = {"full_name": "John Smith", "given_name": "Johnny"}
    r = await client.put(f"/api/v1/contacts/{cid}", json=body, headers=script)
    assert r.status_code == 200, r.text
    assert (r.json()["data"]["given_name"], r.json()["data"]["family_name"]) == ("Johnny", "Smith")
