"""Every platform identity a contact holds travels through `pcrm export csv` [own-exports]. A Telegram
contact known by its user id came back from the CSV without it, so the same chat imported into the store
rebuilt from the CSV made the person twice ("1 pair to review"); a merged contact's second id had no column
at all. Each field has its column; the `identities` column holds, one a line as `field:value`, each identity
no column holds (a merge's second id), and the generic CSV import reads it back."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from pcrm.domain import models
from tests.support.api import ctx as api_ctx
from tests.support.imports import NOW

TELEGRAM = "telegram/langchain__result_personal_chat.json"
# a value for each platform identity pcrm stores (domain.models.IDENTITIES), in the form the store keeps
EVERY_ID = {
    "twitter_handle": "ada",
    "twitter_user_id": "1456789012345678901",  # 19 digits: a spreadsheet rounds it when written alone
    "telegram_username": "adal",
    "telegram_user_id": "67890",
    "linkedin_profile_id": "ACoAAA123",
    "whatsapp_phone": "+447700900123",
    "facebook_id": "100001234567890",
    "instagram_id": "2000002",
    "instagram_username": "ada.insta",
}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _ids(cli: Any) -> list[dict[str, Any]]:
    listed = cli.json("contacts", "list", "--all", "--include-archived", "--now", NOW)["data"]
    return sorted(
        ({"name": c["full_name"], **{f: c[f] for f in models.IDENTITIES}} for c in listed), key=repr
    )


def test_a_telegram_contact_moved_through_the_csv_is_found_by_the_same_chat_again(
    cli: Any, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The QA scenario: import a Telegram chat, export the CSV, import it into an empty store, import the
    chat again. One Jimmeny Marvelton, nothing to review."""
    chat = corpus / TELEGRAM
    cli("init")
    cli("settings", "set", "me", "Batman & Robin")
    cli("import", str(chat), "--now", NOW)
    out = tmp_path / "c1.csv"
    cli("export", "csv", "--output", str(out), "--now", NOW)
    (row,) = _rows(out)
    assert (row["telegram_user_id"], row["identities"]) == ("5965280513", "")
    # the store that wrote it: nothing changes
    assert cli.json("import", str(out), "--now", NOW)["data"]["batch_id"] is None

    monkeypatch.setenv("PCRM_HOME", str(tmp_path / "h2"))
    cli("init")
    cli("settings", "set", "me", "Batman & Robin")
    cli("import", str(out), "--now", NOW)
    again = cli.json("import", str(chat), "--now", NOW)["data"]
    assert (again["contacts_created"], again["pending_review"]) == (0, 0), again
    listed = cli.json("contacts", "list", "--all", "--now", NOW)["data"]
    assert [(c["full_name"], c["telegram_user_id"], c["interaction_count"]) for c in listed] == [
        ("Jimmeny Marvelton", "5965280513", 4)
    ]
    assert cli.json("identity", "matches", "--now", NOW)["data"] == []


@pytest.mark.parametrize("version", [None, "3.0", "4.0"])  # the CSV, the vCard of each version
def test_every_identity_of_every_platform_comes_back_from_the_export(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, version: str | None
) -> None:
    """One contact holding an identity on every platform, another holding two Telegram ids and two X
    handles (a merge brought the second; the contact shows the first): each comes back, as the contact's
    own or as its other id, and a later record giving the second id finds the contact. Both exports wrote
    the shown ones only."""
    from pcrm.services import contacts

    assert set(EVERY_ID) == set(models.IDENTITIES)  # a platform added later must be given a value here
    cli("init")
    with api_ctx() as ctx:
        contacts.create_contact(ctx, {"full_name": "Ada Lovelace", **EVERY_ID})
        contacts.create_contact(
            ctx, {"full_name": "Grace Hopper", "telegram_user_id": "111", "twitter_handle": "gh"}
        )
        contacts.create_contact(
            ctx, {"full_name": "G. Hopper", "telegram_user_id": "222", "twitter_handle": "ghop"}
        )
    cli("contacts", "merge", "Grace Hopper", "G. Hopper", "--now", NOW)
    before = _ids(cli)
    if version is not None:
        out = tmp_path / "all.vcf"
        cli("export", "vcard", "--version", version, "--output", str(out), "--now", NOW)
        text = out.read_text(encoding="utf-8")
        for line in (
            "TYPE=telegram;X-PCRM-FIELD=telegram_user_id:222",
            "TYPE=twitter;X-PCRM-FIELD=twitter_handle:ghop",
        ):
            assert f"\nX-PCRM-IDENTITY;{line}\n" in text
    else:
        out = tmp_path / "all.csv"
        cli("export", "csv", "--output", str(out), "--now", NOW)
        _csv_cells(out)
    assert cli.json("import", str(out), "--now", NOW)["data"]["batch_id"] is None  # its own store: no news

    monkeypatch.setenv("PCRM_HOME", str(tmp_path / "moved"))
    cli("init")
    rep = cli.json("import", str(out), "--now", NOW)["data"]
    assert (rep["contacts_created"], rep["errors"]) == (2, [])
    assert _ids(cli) == before
    # the second Telegram id and X handle are the contact's too: a record giving only them finds it
    later = tmp_path / "later.csv"
    later.write_text("name,identities\nGrace B. Hopper,telegram_user_id:222\nGH,twitter_handle:ghop\n")
    rep = cli.json("import", str(later), "--now", NOW)["data"]
    assert (rep["contacts_created"], rep["pending_review"]) == (0, 0), rep
    assert len(cli.json("contacts", "list", "--all", "--now", NOW)["data"]) == 2


def _csv_cells(out: Path) -> None:
    """Each identity once in the CSV: in the column of its field, else as a line of the identities cell."""
    rows = {r["full_name"]: r for r in _rows(out)}
    ada = rows["Ada Lovelace"]
    assert {f: ada.get(f) or None for f in EVERY_ID} | {
        line.split(":", 1)[0]: line.split(":", 1)[1] for line in ada["identities"].splitlines()
    } == EVERY_ID
    assert not any(ada.get(f) and f"{f}:" in ada["identities"] for f in EVERY_ID)
    grace = rows["Grace Hopper"]
    # the ids it shows in their columns, the ones the merge brought in the identities cell
    assert (grace["twitter_handle"], grace["telegram_user_id"], sorted(grace["identities"].splitlines())) == (
        "gh",
        "111",
        ["telegram_user_id:222", "twitter_handle:ghop"],
    )


def test_a_line_that_is_no_identity_is_kept_aside_not_dropped(cli: Any, tmp_path: Path) -> None:
    """A hand-typed line of the cell pcrm cannot read as an identity (a field it does not know, a handle that
    is none) is kept as the column's extra field; the lines it reads are read, an `@` and capitals taken off
    a handle as any import does."""
    f = tmp_path / "typed.csv"
    f.write_text(
        'name,identities\nAda Lovelace,"instagram_username:@Ada.Insta\nmyspace_id:42\ntelegram_username:@@"\n'
    )
    cli("init")
    rep = cli.json("import", str(f), "--now", NOW)["data"]
    assert rep["contacts_created"] == 1
    (ada,) = cli.json("contacts", "list", "--all", "--now", NOW)["data"]
    assert ada["instagram_username"] == "ada.insta" and ada["telegram_username"] is None
    shown = cli("contacts", "show", "Ada Lovelace", "--now", NOW).stdout
    assert "myspace_id:42" in shown and "telegram_username:@@" in shown
