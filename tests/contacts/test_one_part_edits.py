"""[name-parts]: an edit typing the given or the family name without the full name moves the full name with
it. `pcrm contacts edit ada --given-name Augusta` on "Ada Lovelace" (and `PUT /contacts/{id}` with only
`given_name`) left the full name "Ada Lovelace" beside the given name Augusta, so lists, search and the
duplicate checks still called her Ada. A full name the parts do not make ("Dr. Jane Smith" with the given
name Janey) is kept, and the answer says so."""

from __future__ import annotations

from typing import Any

import pytest

# (name added, parts typed with it, the edit, the full name after, the given and family names after)
ONE_PART = [
    ("Ada Lovelace", [], ["--given-name", "Augusta"], "Augusta Lovelace", ("Augusta", "Lovelace")),
    ("Ada Lovelace", [], ["--family-name", "King"], "Ada King", ("Ada", "King")),
    ("Ada Lovelace", [], ["--given-name", "Augusta", "--family-name", "King"], "Augusta King",
     ("Augusta", "King")),
    ("Dr. Ada Byron Lovelace 🙂", [], ["--given-name", "Augusta"], "Dr. Augusta Byron Lovelace 🙂",
     ("Augusta", "Lovelace")),
    ("Lovelace, Ada", [], ["--given-name", "Augusta"], "Lovelace, Augusta", ("Augusta", "Lovelace")),
    ("Maria de la Cruz", [], ["--family-name", "Lopez"], "Maria Lopez", ("Maria", "Lopez")),
    ("Ada", [], ["--family-name", "Lovelace"], "Ada Lovelace", ("Ada", "Lovelace")),
    ("Mr Kim", [], ["--given-name", "Tom"], "Mr Tom Kim", ("Tom", "Kim")),
    # parts typed when adding, the name's own words: they move it too
    ("Maria Garcia Lopez", ["--given-name", "Maria", "--family-name", "Lopez"], ["--family-name", "Ruiz"],
     "Maria Garcia Ruiz", ("Maria", "Ruiz")),
]  # fmt: skip


def _show(cli: Any, who: str) -> dict[str, Any]:
    return dict(cli.json("contacts", "show", who)["data"])


@pytest.mark.parametrize(("name", "typed", "edit", "full", "parts"), ONE_PART)
def test_editing_one_part_moves_the_full_name(
    cli: Any, name: str, typed: list[str], edit: list[str], full: str, parts: tuple[str, str | None]
) -> None:
    cli.json("contacts", "add", "--name", name, *typed, "--email", "who@example.com")
    r = cli("contacts", "edit", "who@example.com", *edit)
    assert r.exit_code == 0, r.output
    assert "kept as it is" not in r.output
    after = _show(cli, "who@example.com")
    assert (after["full_name"], after["given_name"], after["family_name"]) == (full, *parts)
    assert full in cli("contacts", "list").output
    # found by the new name, and the name is the user's: a source owning the field does not take it back
    assert cli.json("contacts", "show", full)["data"]["id"] == after["id"]
    assert "full_name" in (after["user_edited_fields"] or [])


def test_a_full_name_the_parts_do_not_make_is_kept_and_said(cli: Any) -> None:
    cli.json(
        "contacts", "add", "--name", "Dr. Jane Smith", "--given-name", "Janey", "--email", "j@example.com"
    )
    r = cli("contacts", "edit", "j@example.com", "--family-name", "Jones")
    assert r.exit_code == 0, r.output
    assert "the full name 'Dr. Jane Smith' was kept as it is" in r.output
    after = _show(cli, "j@example.com")
    assert (after["full_name"], after["given_name"], after["family_name"]) == (
        "Dr. Jane Smith",
        "Janey",
        "Jones",
    )
    # the same part typed again changes nothing and says nothing
    cli.json("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@example.com")
    r = cli("contacts", "edit", "ada@example.com", "--given-name", "Ada")
    assert "kept as it is" not in r.output
    assert _show(cli, "ada@example.com")["full_name"] == "Ada Lovelace"


def test_a_nameless_contact_given_a_part_stays_without_a_full_name(cli: Any) -> None:
    cli.json("contacts", "add", "--email", "n@example.com")
    r = cli("contacts", "edit", "n@example.com", "--given-name", "Nina")
    assert r.exit_code == 0, r.output
    assert "kept as it is" not in r.output
    after = _show(cli, "n@example.com")
    assert (after["full_name"], after["given_name"]) == (None, "Nina")


@pytest.mark.anyio
async def test_a_put_of_one_part_moves_the_full_name(client: Any, script: dict[str, str]) -> None:
    r = await client.post("/api/v1/contacts", json={"full_name": "Ada Lovelace"}, headers=script)
    assert r.status_code == 201, r.text
    cid = r.json()["data"]["id"]
    r = await client.put(f"/api/v1/contacts/{cid}", json={"given_name": "Augusta"}, headers=script)
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert (data["full_name"], data["given_name"], data["family_name"]) == (
        "Augusta Lovelace",
        "Augusta",
        "Lovelace",
    )
    assert "full_name_kept" not in r.json()["meta"]
    r = await client.post(
        "/api/v1/contacts", json={"full_name": "Dr. Jane Smith", "given_name": "Janey"}, headers=script
    )
    jane = r.json()["data"]["id"]
    r = await client.put(f"/api/v1/contacts/{jane}", json={"family_name": "Jones"}, headers=script)
    assert r.status_code == 200, r.text
    assert r.json()["data"]["full_name"] == "Dr. Jane Smith"
    assert "'Dr. Jane Smith' was kept as it is" in r.json()["meta"]["full_name_kept"]


def test_a_cleared_part_leaves_the_full_name(cli: Any) -> None:
    """A clear is most often of a part that was wrong; the name still names the person."""
    cli.json("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@example.com")
    r = cli("contacts", "edit", "ada@example.com", "--clear", "family-name")
    assert r.exit_code == 0, r.output
    assert "kept as it is" not in r.output
    after = _show(cli, "ada@example.com")
    assert (after["full_name"], after["given_name"], after["family_name"]) == ("Ada Lovelace", "Ada", None)
    # a clear beside a typed part: the typed one moves the name
    r = cli("contacts", "edit", "ada@example.com", "--clear", "given-name", "--family-name", "King")
    after = _show(cli, "ada@example.com")
    assert (after["full_name"], after["given_name"], after["family_name"]) == ("Ada King", None, "King")
