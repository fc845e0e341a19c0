"""Tags typed in different Unicode forms are one tag [value-normalisation]: an accent sent as one character
(NFC) or as a letter plus a combining mark (NFD) looks the same, so it must tag, count and filter the same."""

from __future__ import annotations

import unicodedata

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
