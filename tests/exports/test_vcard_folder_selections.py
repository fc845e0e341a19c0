"""A folder export remembers the selection (filters) its cards are of [vcard-folders]. An export of another
selection into the same folder no longer removes the first one's cards of contacts still in the store as if
they were gone: it is refused with a hint (--yes: the folder holds the new selection alone; --keep-stale: it
holds both, and later exports of either leave the other's cards). `--tag family` after `--tag work` deleted
the work cards, and a union made with --keep-stale was undone by the next export of either tag."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def people(cli: Any) -> dict[str, str]:
    for name, tag in (("Ada Lovelace", "work"), ("Bob Byron", "family"), ("Cy Babbage", "family")):
        cli(
            "contacts",
            "add",
            "--name",
            name,
            "--email",
            f"{name.split()[0].lower()}@example.com",
            "--tag",
            tag,
        )
    return {c["full_name"]: c["id"] for c in cli.json("contacts", "list", "--all")["data"]}


def _cards(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_another_selection_is_refused_then_added_or_replacing(
    cli: Any, people: dict[str, str], tmp_path: Path
) -> None:
    folder = tmp_path / "phone"
    args = ("export", "vcard", "--dir", "--output", str(folder))
    cli(*args, "--tag", "work")
    before = _cards(folder)
    assert set(before) == {f"{people['Ada Lovelace']}.vcf"}

    res = cli(*args, "--tag", "family", ok=False)
    said = " ".join(res.stderr.split())
    assert (
        f"{folder} holds the cards of another selection (--tag work); this export (--tag family) would "
        "remove the cards of 1 contact still in the store (Ada Lovelace); nothing was written or removed"
        in said
    )
    assert "add --yes to make the folder hold this selection alone, --keep-stale to add its cards" in said
    env = cli.json(*args, "--tag", "family", ok=False)
    assert env["error"]["code"] == "conflict"
    assert env["error"]["details"]["would_remove"] == [f"{people['Ada Lovelace']}.vcf"]
    assert _cards(folder) == before

    # --keep-stale: the folder holds both selections, and an export of either keeps the other's cards
    cli(*args, "--tag", "family", "--keep-stale")
    everyone = {f"{u}.vcf" for u in people.values()}
    assert set(_cards(folder)) == everyone
    assert cli.json(*args, "--tag", "family")["data"]["removed"] == 0
    assert cli.json(*args, "--tag", "work")["data"]["removed"] == 0
    assert set(_cards(folder)) == everyone
    # a contact gone, or out of every selection of the folder, still loses its card
    cli("contacts", "delete", "Bob Byron", "--yes")
    cli("contacts", "untag", "Cy Babbage", "family")
    cli("contacts", "tag", "Cy Babbage", "friend")
    done = cli.json(*args, "--tag", "work")["data"]
    assert done["removed_files"] == sorted([f"{people['Bob Byron']}.vcf", f"{people['Cy Babbage']}.vcf"])

    # --yes: the folder holds this selection alone
    cli("contacts", "tag", "Cy Babbage", "family")
    cli(*args, "--tag", "family", "--keep-stale")
    assert cli(*args, "--tag", "family", "--yes").exit_code == 0
    assert set(_cards(folder)) == {f"{people['Cy Babbage']}.vcf"}


def test_another_selection_that_removes_no_card_of_a_contact_still_here_goes_ahead(
    cli: Any, people: dict[str, str], tmp_path: Path
) -> None:
    folder = tmp_path / "phone"
    args = ("export", "vcard", "--dir", "--output", str(folder))
    cli(*args, "--tag", "work")
    assert cli.json(*args)["data"]["contacts"] == 3  # every contact: the work cards are among them
    # the folder now holds every contact: an export of the work contacts alone is asked for
    assert cli.json(*args, "--tag", "work", ok=False)["error"]["code"] == "conflict"
    assert len(_cards(folder)) == 3
