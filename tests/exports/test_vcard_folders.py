"""`pcrm export vcard --dir D` removes the cards it wrote there earlier for contacts it no longer writes
[vcard-folders]: a sync folder kept the card of a deleted contact, so the phone syncing it brought the person
back. Only pcrm's own cards go (named by their contact's id, holding one card with pcrm's PRODID and that
UID); nothing pcrm did not write is touched, and --keep-stale keeps the old behaviour."""

from __future__ import annotations

import pytest

OTHER = "0d7b1c8e-5a55-4f0e-9a35-0c8f1d1e2a3b"  # an id no contact of the store has


def _ids(cli) -> dict[str, str]:
    return {c["full_name"]: c["id"] for c in cli.json("contacts", "list", "--all")["data"]}


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_a_folder_export_removes_only_its_own_cards_of_contacts_gone(version, cli, tmp_path):
    for name in ("Ada Lovelace", "Bob Byron", "Cy Babbage", "Dee Hopper", "Eve Turing"):
        cli("contacts", "add", "--name", name, "--email", f"{name.split()[0].lower()}@example.com")
    cli("contacts", "edit", "Eve Turing", "--tag", "work")
    ids = _ids(cli)
    folder = tmp_path / "vdir"
    args = ("export", "vcard", "--version", version, "--dir", "--output", str(folder))
    assert cli.json(*args)["data"]["removed"] == 0
    card = {name: (folder / f"{uid}.vcf").read_bytes() for name, uid in ids.items()}
    # what pcrm did not write, or wrote but someone changed since: stays, whatever happens to the contacts
    keep = {
        "notes.txt": b"my notes",
        "ada-copy.vcf": card["Ada Lovelace"],  # pcrm's card under a name of the user's choosing
        f"{OTHER}.vcf": card["Bob Byron"],  # pcrm's card renamed: its UID is not its name
        f"{OTHER.replace('0d', 'aa')}.vcf": b"BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//EN\r\n"
        + f"UID:{OTHER.replace('0d', 'aa')}\r\nFN:Someone\r\nEND:VCARD\r\n".encode(),
    }
    for name, data in keep.items():
        (folder / name).write_bytes(data)
    (folder / "link.vcf").symlink_to(folder / f"{ids['Ada Lovelace']}.vcf")
    # Cy's card edited by a phone's sync (its own PRODID); Dee's with a second card added to the file
    cy = folder / f"{ids['Cy Babbage']}.vcf"
    cy.write_bytes(cy.read_bytes().replace(b"PRODID:-//pcrm//pcrm ", b"PRODID:-//Android//"))
    dee = folder / f"{ids['Dee Hopper']}.vcf"
    dee.write_bytes(dee.read_bytes() + keep[f"{OTHER.replace('0d', 'aa')}.vcf"])
    for name in ("Bob Byron", "Cy Babbage", "Dee Hopper"):
        cli("contacts", "delete", name, "--yes")

    res = cli(*args)
    assert " ".join(res.stderr.split()).endswith(
        "removed 1 card pcrm wrote there earlier for contacts no longer exported (deleted, merged or not "
        "selected); --keep-stale keeps them"
    )
    assert not (folder / f"{ids['Bob Byron']}.vcf").exists()
    assert cy.exists() and dee.exists()
    for name, data in keep.items():
        assert (folder / name).read_bytes() == data
    assert (folder / "link.vcf").is_symlink()

    # the folder mirrors what the export selects: Ada's card goes when only work contacts are exported,
    # unless --keep-stale (the folder then holds both selections: every contact and --tag work); once it
    # holds every contact, an export of work contacts alone is asked for (--yes) [vcard-folders]
    kept = cli.json(*args, "--tag", "work", "--keep-stale")["data"]
    assert (kept["contacts"], kept["removed"]) == (1, 0)
    assert (folder / f"{ids['Ada Lovelace']}.vcf").exists()
    both = cli.json(*args, "--tag", "work")["data"]
    assert (both["contacts"], both["removed"]) == (1, 0)
    assert (folder / f"{ids['Ada Lovelace']}.vcf").exists()
    mirrored = cli.json(*args, "--tag", "work", "--yes")["data"]
    assert (mirrored["contacts"], mirrored["removed"]) == (1, 1)
    assert not (folder / f"{ids['Ada Lovelace']}.vcf").exists()
    assert (folder / f"{ids['Eve Turing']}.vcf").exists()
    assert (folder / "ada-copy.vcf").read_bytes() == card["Ada Lovelace"]


def test_keep_stale_without_a_folder_is_refused(cli, tmp_path):
    cli("init")  # a command that only reads makes no store [opening-the-store]
    res = cli("export", "vcard", "--keep-stale", "--output", str(tmp_path / "a.vcf"), ok=False)
    assert "--keep-stale is for a folder export (--dir)" in res.stderr and not (tmp_path / "a.vcf").exists()
