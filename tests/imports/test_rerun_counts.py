"""A rerun's summary counts contacts, not records [import-report]: the LinkedIn messages file that made a
counterpart says it unchanged the second time (it said "0 unchanged", the contact neither updated nor
unchanged), and a file whose records name one contact twice (a vCard folded into another on the first run,
two rows of one person) counts that contact once, updated when one of them changed it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

COUNTS = ("contacts_created", "contacts_folded", "contacts_updated", "contacts_skipped")


def _counts(report: dict[str, Any]) -> tuple[int, ...]:
    return tuple(report["data"][k] for k in COUNTS)


def _stored(cli: Any) -> int:
    return len(cli.json("contacts", "list", "--all", "--include-archived")["data"])


@pytest.mark.parametrize(
    ("name", "me"),
    [("kawsay__messages.csv", "Ana Lopez"), ("linkedin-network-intelligence__Messages.csv", "Test User")],
)
def test_linkedin_messages_imported_again_count_their_people_unchanged(
    imp: Any, cli: Any, corpus: Path, name: str, me: str
) -> None:
    f = corpus / "linkedin" / name
    first = imp(f, "--me", me)
    made = first["data"]["contacts_created"]
    assert made >= 1 and made == _stored(cli)
    assert _counts(imp(f, "--me", me)) == (0, 0, 0, made)
    line = cli("import", str(f), "--me", me).stdout
    assert f"0 new contacts, 0 updated, {made} unchanged" in line


def test_a_vcard_file_imported_again_counts_its_contacts(imp: Any, cli: Any, corpus: Path) -> None:
    f = corpus / "vcard" / "ez-vcard__John_Doe_ANDROID.vcf"  # six cards, one folded into another
    first = imp(f)["data"]
    assert (first["contacts_created"], first["contacts_folded"]) == (5, 1)
    assert _counts(imp(f)) == (0, 0, 0, 5) and _stored(cli) == 5


def test_two_rows_of_one_contact_count_it_once_updated_when_one_changes_it(imp: Any, tmp_path: Path) -> None:
    rows = tmp_path / "people.csv"
    rows.write_text("full_name,email,title\nAda King,ada@x.test,\nAda King,ada@x.test,\nBo Lin,bo@x.test,\n")
    assert _counts(imp(rows)) == (2, 1, 0, 0)
    assert _counts(imp(rows)) == (0, 0, 0, 2)
    # the second of Ada's rows brings a title: Ada updated (not also unchanged), Bo unchanged
    rows.write_text(rows.read_text().replace("Ada King,ada@x.test,\nBo", "Ada King,ada@x.test,CTO\nBo"))
    assert _counts(imp(rows)) == (0, 0, 1, 1)


def test_the_messages_stored_already_are_said_apart_from_the_other_reasons(cli: Any, corpus: Path) -> None:
    """The Russian export of a chat after its English one said "21 new messages, 38 skipped" and then only
    "8 messages not imported: messages deleted before the export": 30 skipped messages had no reason. The
    ones stored already are counted (interactions_known) and said when other reasons are listed too."""
    wa = corpus / "whatsapp"
    cli("import", str(wa / "whats_json__android_en_media.txt"))
    ru = cli.json("import", str(wa / "whats_json__android_ru.txt"))["data"]
    gone = sum(x["count"] for x in ru["interactions_not_imported"])
    assert ru["interactions_known"] == ru["interactions_skipped"] - gone == 30, ru
    line = cli("import", str(wa / "whats_json__android_ru.txt")).stdout
    assert "0 new messages, 59 skipped (51 already imported)" in line, line


def test_a_row_that_names_no_one_is_no_unchanged_contact(imp: Any, cli: Any, tmp_path: Path) -> None:
    """A Connections.csv row without a name (a member who hides it) is skipped by design, as the reference
    skips it; the summary said it "1 unchanged" on the first import, a contact that is not there, and "3
    unchanged" for the file's two people on the rerun. It is said as the row it is."""
    f = tmp_path / "Connections.csv"
    f.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ada,Lovelace,https://www.linkedin.com/in/ada,ada@x.test,Analytical,Engineer,01 Jan 2024\n"
        ",,https://www.linkedin.com/in/someone-private,,,,01 Jan 2020\n"
        "Grace,Hopper,https://www.linkedin.com/in/grace,,Navy,Admiral,01 Jan 2024\n"
    )
    first = cli("import", str(f)).stdout
    assert ": 2 new contacts, 0 updated, 0 unchanged, 1 row skipped by design · " in first, first
    again = cli("import", str(f)).stdout
    assert ": 0 new contacts, 0 updated, 2 unchanged, 1 row skipped by design · " in again, again
    report = imp(f)["data"]
    assert (report["contacts_skipped"], report["rows_skipped_by_design"], report["skipped"]) == (3, 1, 3)
    assert _stored(cli) == 2
