"""Tags typed in different Unicode forms are one tag [value-normalisation]: an accent sent as one character
(NFC) or as a letter plus a combining mark (NFD) looks the same, so it must tag, count and filter the same."""

from __future__ import annotations

import contextlib
import json
import unicodedata
from collections.abc import Iterator
from typing import Any

import pytest

from pcrm.store import migrations
from tests.support.crm import Crm

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


@contextlib.contextmanager
def _release_before_m022(store: Any, monkeypatch: Any) -> Iterator[None]:
    """The block runs as the release before m022: the migration unknown, its record gone. The next command
    after it is this release opening the store again: m022 runs."""
    with monkeypatch.context() as m:
        m.setattr(migrations, "MIGRATIONS", [x for x in migrations.MIGRATIONS if x[0] != "m022_tags_nfc"])
        store.sql("DELETE FROM schema_migrations WHERE name = 'm022_tags_nfc'")
        yield


def _tags_of(store: Any) -> dict[str, list[str]]:
    return {c["full_name"]: c["tags"] for c in store.cli.json("contacts", "list", "--all")["data"]}


def test_import_undo_of_a_batch_an_older_pcrm_journaled_takes_back_the_tag_it_added(
    crm: Any, monkeypatch: Any, tmp_path: Any
) -> None:
    """An import by the release before m022 added `café` with a combining accent to two contacts, and its
    journal says so in that form; m022 composed the tags since. Undone now, the import takes back the
    tag it gave Ana; Bo, who held `café` before the import, keeps his [value-normalisation] [import-undo]."""
    cards = tmp_path / "cards.vcf"
    cards.write_text(
        "".join(
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nEMAIL:{email}\r\nCATEGORIES:Friends\r\nEND:VCARD\r\n"
            for name, email in (("Ana Lopez", "ana@example.org"), ("Bo Berg", "bo@example.org"))
        ),
        encoding="utf-8",
    )
    with _release_before_m022(crm, monkeypatch):
        crm.add("Ana Lopez", "--email", "ana@example.org")
        crm.add("Bo Berg", "--email", "bo@example.org", "--tag", NFC)
        batch = crm.cli.json("import", str(cards))["data"]["batch_id"]
        # what that release wrote: the tag the import added, and its journal, with the combining accent
        (raw,) = crm.sql("SELECT changes FROM import_batches WHERE uuid = ?", (batch,))[0]
        journal = json.loads(raw)
        for uuid, diff in journal["contacts"].items():
            crm.sql(
                "INSERT INTO contact_tags(contact_id, tag, position) "
                "SELECT id, ?, 2 FROM contacts WHERE uuid = ?",
                (NFD, uuid),
            )
            diff["added"]["contact_tags"].append([NFD, 2])
        crm.sql("UPDATE import_batches SET changes = ? WHERE uuid = ?", (json.dumps(journal), batch))
        assert _tags_of(crm) == {"Ana Lopez": ["friends", NFD], "Bo Berg": [NFC, "friends", NFD]}

    assert _tags_of(crm) == {"Ana Lopez": ["friends", NFC], "Bo Berg": [NFC, "friends"]}  # m022 ran
    crm.cli.json("import", "undo", batch, "--yes")
    assert _tags_of(crm) == {"Ana Lopez": [], "Bo Berg": [NFC]}


def test_unmerge_of_a_merge_an_older_pcrm_journaled_leaves_the_survivor_without_the_merged_tag(
    crm: Any, monkeypatch: Any
) -> None:
    """A merge by the release before m022 gave the survivor the other contact's `café`, written with a
    combining accent, and journaled the survivor in that state; m022 composed the tag since. Undone now,
    the tag goes back to the contact it came from alone, and nothing is reported as edited on the survivor
    since the merge [value-normalisation] [reversible-merges]."""
    with _release_before_m022(crm, monkeypatch):
        ana = crm.add("Ana Lopez", "--email", "ana@example.org", "--company", "Acme", "--title", "CEO")
        other = crm.add("Ana Lopez", "--email", "ana.lopez@work.example")
        crm.sql(
            "INSERT INTO contact_tags(contact_id, tag, position) "
            "SELECT id, ?, 0 FROM contacts WHERE uuid = ?",
            (NFD, other["id"]),
        )
        merged = crm.cli.json("contacts", "merge", ana["id"], other["id"])["data"]
        assert crm.show(ana["id"])["tags"] == [NFD]

    assert crm.show(ana["id"])["tags"] == [NFC]  # m022 ran
    undone = crm.cli.json("contacts", "unmerge", merged["merge_id"])["data"]
    assert undone["edits_kept_on_survivor"] == []
    assert crm.show(ana["id"])["tags"] == []
    assert crm.show(other["id"])["tags"] == [NFC]


def test_a_json_export_an_older_pcrm_wrote_is_restored_with_its_tags_composed(
    crm: Any, monkeypatch: Any, tmp_path: Any
) -> None:
    """An export written before m022 holds tags (and the taxonomy) with combining accents; restored into
    a new store by this release, they are composed as m022 would have made them [value-normalisation]
    [lossless-export]."""
    with _release_before_m022(crm, monkeypatch):
        crm.add("Ana Lopez", "--tag", NFC, "--tag", "friend")
        crm.add("Bo Berg")
        crm.sql("INSERT INTO contact_tags(contact_id, tag, position) SELECT id, ?, 5 FROM contacts", (NFD,))
        crm.sql(
            "INSERT INTO tag_taxonomies(id, categories, status, created_at, updated_at) "
            "VALUES (1, ?, 'approved', '2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z')",
            (json.dumps({unicodedata.normalize("NFD", "Intérêts"): ["Café", NFD]}),),
        )
        export = tmp_path / "older.json"
        crm.cli("export", "json", "--output", str(export))
    assert NFD in export.read_text(encoding="utf-8")

    monkeypatch.setenv("PCRM_HOME", str(tmp_path / "new-machine"))
    crm.cli("import", str(export))
    restored = Crm(crm.cli, tmp_path / "new-machine")
    assert _tags_of(restored) == {"Ana Lopez": [NFC, "friend"], "Bo Berg": [NFC]}
    assert restored.sql("SELECT count(*) FROM contact_tags WHERE tag = ?", (NFD,)) == [(0,)]
    tax = restored.cli.json("tags", "taxonomy")["data"]
    assert tax["categories"] == {"Intérêts": ["Café"]}
