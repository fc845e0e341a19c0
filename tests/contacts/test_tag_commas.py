"""A tag holding a comma is one tag, and never reads as two [tag-commas]: `pcrm contacts tag X "a,b"` stored
the tag `a,b` and `contacts show` answered `book club, a,b`, three tags to the eye. Stored as one everywhere
(CLI, API, imports), it is shown in double quotes wherever tags are one line of text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.crm import Crm


def test_a_tag_with_a_comma_is_one_tag_shown_quoted(crm: Crm) -> None:
    ada = crm.add("Ada Lovelace", "--tag", "book club")["id"]
    said = crm.cli("contacts", "tag", ada, "Friends,Family")
    assert crm.show(ada)["tags"] == ["book club", "friends,family"]
    assert 'book club, "friends,family"' in said.stdout, said.stdout
    assert '"friends,family" is one tag' in said.stderr and "pcrm contacts tag CONTACT Friends Family" in (
        " ".join(said.stderr.split())
    ), said.stderr
    shown = crm.cli("contacts", "show", ada).stdout
    assert 'book club, "friends,family"' in shown, shown
    listed = crm.cli("contacts", "list", "--tag", "friends,family").stdout
    assert listed.rstrip().endswith('book club, "friends,family"'), listed
    err = crm.cli("contacts", "untag", ada, "x,y").stderr
    assert 'no tag "x,y" (its tags: book club, "friends,family")' in err, err
    # a tag without a comma reads as before, and a plain tag adds no note
    plain = crm.cli("contacts", "tag", ada, "mentor")
    assert plain.stderr == "" and 'book club, "friends,family", mentor' in plain.stdout


def test_imports_keep_a_comma_tag_as_one_tag(crm: Crm, tmp_path: Path) -> None:
    csv = tmp_path / "people.csv"
    csv.write_text('name,email,tags\nGrace Hopper,grace@example.com,"work, london;navy"\n', encoding="utf-8")
    crm.cli("import", str(csv))
    assert crm.show("grace@example.com")["tags"] == ["work, london", "navy"]
    card = tmp_path / "alan.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Alan Turing\r\nEMAIL:alan@example.com\r\n"
        "CATEGORIES:Bletchley\\, Park,chess\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    crm.cli("import", str(card))
    assert crm.show("alan@example.com")["tags"] == ["bletchley, park", "chess"]
    assert '"bletchley, park", chess' in crm.cli("contacts", "show", "alan@example.com").stdout


@pytest.mark.anyio
async def test_the_api_stores_a_comma_tag_as_one_tag(crm: Crm, client: Any, script: dict[str, str]) -> None:
    r = await client.post("/api/v1/contacts", headers=script, json={"full_name": "Lin", "tags": ["A,B", "c"]})
    assert r.status_code == 201, r.text
    assert r.json()["data"]["tags"] == ["a,b", "c"]
    shown = crm.cli("contacts", "show", "Lin").stdout
    assert 'tags                "a,b", c' in shown, shown


def test_a_tag_holding_double_quotes_reads_as_typed_and_round_trips(
    crm: Crm, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`say "hi"` was shown as `"say "hi""`: quotes in quotes, where the line no longer said where a tag
    ends. A tag is quoted only when it holds a comma (or starts with a quote), and in those quotes a quote
    is written `\\"`; the CSV export and its import keep each tag whole."""
    ada = crm.add("Ada Lovelace", "--tag", "book club")["id"]
    crm.cli("contacts", "tag", ada, 'say "hi"')
    crm.cli("contacts", "tag", ada, 'she said "a, b"')
    tags = ["book club", 'say "hi"', 'she said "a, b"']
    assert crm.show(ada)["tags"] == tags
    line = 'book club, say "hi", "she said \\"a, b\\""'
    shown = crm.cli("contacts", "show", ada).stdout
    assert f"tags                {line}" in shown, shown
    assert crm.cli("contacts", "list").stdout.rstrip().endswith(line)
    err = crm.cli("contacts", "untag", ada, "x").stderr
    assert f"(its tags: {line})" in err, err
    out = tmp_path / "people.csv"
    crm.cli("export", "csv", "--output", str(out))
    monkeypatch.setenv("PCRM_HOME", str(tmp_path / "elsewhere"))
    crm.cli("import", str(out))
    assert crm.cli.json("contacts", "show", "Ada Lovelace")["data"]["tags"] == tags


def test_bulk_update_notes_a_comma_tag_and_every_note_quotes_a_spaced_tag(crm: Crm) -> None:
    """`pcrm contacts bulk-update X --add-tag "a,b"` took the one tag `a,b` without the note `contacts tag`
    gives; and that note's way to give several, for `book club, vip`, was `pcrm contacts tag CONTACT book
    club vip`: three tags. Both say it, with a tag holding a space in quotes."""
    ada = crm.add("Ada Lovelace")["id"]
    said = crm.cli("contacts", "bulk-update", ada, "--add-tag", "Book club,VIP")
    assert crm.show(ada)["tags"] == ["book club,vip"]
    note = " ".join(said.stderr.split())
    assert note == (
        'note: "book club,vip" is one tag, with a comma in it; for several tags, give them apart: '
        "pcrm contacts bulk-update ... --add-tag 'Book club' --add-tag VIP"
    ), note
    said = crm.cli("contacts", "tag", ada, "book club, vip")
    assert "give them apart: pcrm contacts tag CONTACT 'book club' vip" in " ".join(said.stderr.split())
