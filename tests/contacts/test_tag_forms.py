"""Tags typed in different Unicode forms are one tag [value-normalisation]: an accent sent as one character
(NFC) or as a letter plus a combining mark (NFD) looks the same, so it must tag, count and filter the same."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import pytest

from pcrm.store import migrations

COMPOSED = unicodedata.normalize("NFC", "Café")
DECOMPOSED = unicodedata.normalize("NFD", "CAFÉ")


def test_composed_and_decomposed_accents_are_one_tag(crm):
    assert COMPOSED.lower() != DECOMPOSED.lower()  # the two inputs really differ
    crm.add("Ada Lovelace", "--tag", COMPOSED)
    crm.add("Grace Hopper")
    grace = crm.cli.json("contacts", "tag", "grace", DECOMPOSED, COMPOSED)["data"]
    assert grace["tags"] == ["café"]
    tags = crm.cli.json("tags", "list")
    assert tags["data"] == ["café"] and tags["meta"]["counts"] == {"café": 2}
    assert sorted(crm.names("--tag", DECOMPOSED)) == ["Ada Lovelace", "Grace Hopper"]
    crm.cli("contacts", "bulk-update", "ada", "grace", "--remove-tag", DECOMPOSED)
    assert crm.cli.json("tags", "list")["data"] == []


# ------------------------------------------------------------------ tags an older pcrm stored decomposed

NFC = unicodedata.normalize("NFC", "café")
NFD = unicodedata.normalize("NFD", "café")


def _tag_counts(twin: Any) -> dict[str, int]:
    return dict(twin.cli.json("tags", "list")["meta"]["counts"])


@pytest.mark.anyio
async def test_m022_folds_tags_stored_decomposed_into_one_tag(empty_twin: Any, monkeypatch: Any) -> None:
    """A store as the release before m022 left it: tags written before they were composed hold the accent
    as a combining mark, beside the same tag composed; a merge journaled them so. Opened by this release,
    they are one tag to the CLI and the API, the taxonomy's too, and an unmerge brings back no second
    form [value-normalisation]."""
    t = empty_twin
    with monkeypatch.context() as m:  # the release before m022
        m.setattr(migrations, "MIGRATIONS", [x for x in migrations.MIGRATIONS if x[0] != "m022_tags_nfc"])
        t.sql("DELETE FROM schema_migrations WHERE name = 'm022_tags_nfc'")
        ada = t.cli.json("contacts", "add", "--name", "Ada Lovelace", "--tag", NFC, "--tag", "friend")["data"]
        grace = t.cli.json("contacts", "add", "--name", "Grace Hopper", "--email", "grace@navy.mil")["data"]
        other = t.cli.json("contacts", "add", "--name", "Grace B. Hopper", "--email", "gbh@yale.edu")["data"]
        # what a pcrm older still wrote: the accent as a combining mark
        t.sql(
            "INSERT INTO contact_tags(contact_id, tag, position) "
            "SELECT id, ?, 5 FROM contacts WHERE uuid IN (?, ?, ?)",
            (NFD, ada["id"], grace["id"], other["id"]),
        )
        t.sql(
            "INSERT INTO tag_taxonomies(id, categories, status, created_at, updated_at) "
            "VALUES (1, ?, 'approved', '2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z')",
            (
                json.dumps(
                    {
                        unicodedata.normalize("NFD", "Intérêts"): ["Café", "Chess"],
                        "Intérêts": [unicodedata.normalize("NFD", "CAFÉ"), "Jazz"],
                    }
                ),
            ),
        )
        merged = t.cli.json("contacts", "merge", grace["id"], other["id"])["data"]
        assert _tag_counts(t) == {NFC: 1, NFD: 2, "friend": 1}  # the two tags QA saw
    assert not (t.home / "backups").exists()

    assert _tag_counts(t) == {NFC: 2, "friend": 1}  # this release opened the store: m022 ran
    assert t.show("ada")["tags"] == [NFC, "friend"]  # once, in its first place; nothing lost
    assert t.sql("SELECT count(*) FROM contact_tags WHERE tag = ?", (NFD,)) == [(0,)]
    for typed in (NFC, NFD):
        assert sorted(t.names("--tag", typed)) == ["Ada Lovelace", merged["full_name"]]
    # the rewrite was backed up first [automatic-backups]
    assert [p.name.endswith("before-m022_tags_nfc.db") for p in (t.home / "backups").iterdir()] == [True]

    tags = (await t.request("GET", "/api/v1/contacts/tags")).json()["data"]
    assert tags == [NFC, "friend"]
    listed = (await t.request("GET", "/api/v1/contacts", params={"tag": NFD})).json()["data"]
    assert len(listed) == 2
    tax = (await t.request("GET", "/api/v1/contacts/tags/taxonomy")).json()["data"]
    assert tax["categories"] == {"Intérêts": ["Café", "Chess", "Jazz"]}
    assert (tax["status"], tax["updated_at"]) == ("approved", "2026-01-02T00:00:00.000Z")

    # the merge's journal still holds the decomposed form: undone, it comes back composed
    t.cli.json("contacts", "unmerge", merged["merge_id"])
    assert _tag_counts(t) == {NFC: 3, "friend": 1}
    assert t.sql("SELECT count(*) FROM contact_tags WHERE tag = ?", (NFD,)) == [(0,)]
