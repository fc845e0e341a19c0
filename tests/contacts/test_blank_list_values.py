"""A list given with nothing in it but blanks is refused, not taken as "remove them all" [partial-edits]:
`pcrm contacts edit Ada --email "$NEW"` with $NEW unset removed every address Ada had without a word
(`--tag ""` every tag, `--phone ""` every number), while `pcrm contacts tag Ada ""` was already refused.
Emptying a list on purpose is `--clear emails` (`"emails": []` or null in the API)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.crm import Crm


@pytest.fixture
def ada(crm: Crm) -> dict[str, Any]:
    return crm.add(
        "Ada Lovelace",
        "--email",
        "ada@example.com",
        "--phone",
        "+44 20 7946 0958",
        "--tag",
        "friend",
    )


@pytest.mark.parametrize(
    ("option", "field", "clear"),
    [("--email", "emails", "emails"), ("--phone", "phones", "phones"), ("--tag", "tags", "tags")],
)
@pytest.mark.parametrize("blank", ["", "   "])
def test_a_blank_list_option_changes_nothing(
    crm: Crm, ada: dict[str, Any], option: str, field: str, clear: str, blank: str
) -> None:
    err = crm.rejects(
        "contacts", "edit", "ada", option, blank, code="validation_error", says="would remove every"
    )
    assert f"--clear {clear}" in err["hint"], err
    assert crm.show("ada")[field] == ada[field] != []
    # a blank beside a real value is only a blank: the value is what the list becomes
    if field == "emails":
        out = crm.cli.json("contacts", "edit", "ada", "--email", "ada@new.org", "--email", blank)
        assert out["data"]["emails"] == ["ada@new.org"]
    # emptying it on purpose still works
    assert crm.cli.json("contacts", "edit", "ada", "--clear", clear)["data"][field] == []


@pytest.mark.anyio
async def test_the_api_reads_a_blank_list_as_a_form_sends_it(empty_twin: Any) -> None:
    """A client's whole form sends an emptied email row as [""] and means no email: the API keeps reading
    it so (the reference's clients send their forms whole); only the CLI's options refuse it."""
    t = empty_twin
    ada = t.cli.json("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@example.com")["data"]
    r = await t.request("PUT", f"/api/v1/contacts/{ada['id']}", json={"emails": [""]})
    assert r.status_code == 200 and r.json()["data"]["emails"] == [], r.text


ZWSP = "\u200b"  # a zero-width space: nothing to see


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("contacts", "add", "--name", ZWSP), "a contact needs a name"),
        (("note", "add", "ada", ZWSP * 2), "a note needs some text"),
        (("contacts", "tag", "ada", f" {ZWSP} "), "a tag cannot be empty"),
        (("contacts", "edit", "ada", "--tag", ZWSP), "would remove every tag"),
        (("tags", "rename", "friend", ZWSP), "must be a tag"),
    ],
)
def test_a_value_of_only_invisible_characters_is_blank(
    crm: Crm, ada: dict[str, Any], args: tuple[str, ...], says: str
) -> None:
    """A zero-width space alone (pasted from a web page) made a contact nobody could see or name, a note with
    nothing in it and an invisible tag: text with nothing to see is blank, refused as an empty one is."""
    crm.rejects(*args, code="validation_error", says=says)


def test_invisible_characters_inside_a_value_are_kept(crm: Crm) -> None:
    got = crm.add(f"A{ZWSP}da Lovelace", "--tag", f"ca{ZWSP}fe")
    assert got["full_name"] == f"A{ZWSP}da Lovelace" and got["tags"] == [f"ca{ZWSP}fe"]


@pytest.mark.parametrize(
    ("option", "field", "clear"),
    [
        ("--name", "full_name", "name"),
        ("--company", "company", "company"),
        ("--twitter", "twitter_handle", "twitter"),
    ],
)
@pytest.mark.parametrize("blank", ["", "  ", ZWSP])
def test_a_blank_single_field_changes_nothing(
    crm: Crm, ada: dict[str, Any], option: str, field: str, clear: str, blank: str
) -> None:
    """`pcrm contacts edit ada --name "$NEW"` with $NEW unset cleared Ada's name without a word (her email
    kept her identifiable), and `--company ""` her company: a blank single value is refused as a blank list
    is, naming the `--clear` that empties it on purpose [partial-edits]."""
    crm.cli("contacts", "edit", "ada", "--company", "Engines Ltd", "--twitter", "ada_l")
    before = crm.show("ada")
    err = crm.rejects("contacts", "edit", "ada", option, blank, code="validation_error", says="a blank value")
    assert f"--clear {clear}" in err["hint"], err
    assert crm.show("ada") == before and before[field]
    assert crm.cli.json("contacts", "edit", "ada", "--clear", clear)["data"][field] is None


@pytest.mark.anyio
async def test_the_api_reads_a_blank_single_value_as_a_clear(empty_twin: Any) -> None:
    """A client's whole form sends an emptied field as "": the API clears it, as null does."""
    t = empty_twin
    ada = t.cli.json(
        "contacts", "add", "--name", "Ada Lovelace", "--email", "ada@example.com", "--company", "Acme"
    )["data"]
    r = await t.request("PUT", f"/api/v1/contacts/{ada['id']}", json={"company": " ", "title": ""})
    assert r.status_code == 200 and r.json()["data"]["company"] is None, r.text
    r = await t.request("PUT", f"/api/v1/contacts/{ada['id']}", json={"full_name": None})
    assert r.status_code == 200 and r.json()["data"]["full_name"] is None
