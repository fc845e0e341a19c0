"""[protected-fields] [merge-rules]: a merge takes the other contact's "typed by hand" marks only for the
values it brings. A hand-added contact's typed family name "Lopez", merged into a richer imported contact that
keeps its own "Garcia Lopez", marked the survivor's imported value as typed, so an import could no longer
correct it; the typed parts, which the merge dropped, are kept aside as a vCard N, and a value both share
keeps its mark."""

from __future__ import annotations

from pathlib import Path
from typing import Any

CARD = """BEGIN:VCARD
VERSION:3.0
FN:Maria Garcia Lopez
N:Garcia Lopez;Maria;;;
EMAIL:maria@work.test
TEL:+34 600 000 001
ORG:Acme
TITLE:Engineer
END:VCARD
"""


def test_a_merge_marks_only_the_values_the_other_contact_brings(cli: Any, tmp_path: Path) -> None:
    f = tmp_path / "maria.vcf"
    f.write_text(CARD, encoding="utf-8")
    cli("import", str(f))
    imported = cli.json("contacts", "show", "maria@work.test")["data"]
    assert (imported["given_name"], imported["family_name"]) == ("Maria", "Garcia Lopez")
    typed = cli.json(
        "contacts", "add", "--name", "Maria Garcia Lopez", "--given-name", "Maria", "--family-name", "Lopez",
        "--email", "maria@home.test",
    )["data"]  # fmt: skip
    assert sorted(typed["user_edited_fields"]) == ["family_name", "given_name"]

    merged = cli.json("contacts", "merge", imported["id"], typed["id"])["data"]
    assert merged["id"] == imported["id"]  # the richer one survives, with its own parts

    after = cli.json("contacts", "show", imported["id"])["data"]
    assert (after["given_name"], after["family_name"]) == ("Maria", "Garcia Lopez")
    marks = after["user_edited_fields"] or []
    assert "family_name" not in marks  # "Garcia Lopez" was never typed
    assert "given_name" in marks  # "Maria" was, on the other contact, and is the survivor's too
    assert sorted(after["emails"]) == ["maria@home.test", "maria@work.test"]
    # the typed parts are not dropped: kept aside as a vCard N, as an import keeps another split
    card = cli("export", "vcard").output
    assert "N:Lopez;Maria;;;" in card

    # the unmerge takes the kept parts and the mark off again: both contacts as they were
    cli("contacts", "unmerge", merged["merge_id"][:8])
    back = cli.json("contacts", "show", imported["id"])["data"]
    assert back["user_edited_fields"] in (None, [])
    assert "N:Lopez;Maria;;;" not in cli("export", "vcard").output
    other = cli.json("contacts", "show", typed["id"])["data"]
    assert (other["given_name"], other["family_name"]) == ("Maria", "Lopez")
    assert sorted(other["user_edited_fields"]) == ["family_name", "given_name"]
