"""A contact read on its own carries each phone's and e-mail's label beside the reference's `phones` and
`emails` (lists of strings, unchanged): `phone_labels` and `email_labels`, lists as long, null where a value
has none [value-labels]."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.support.api import V, ok


def test_a_contact_read_alone_gives_each_phone_and_email_label_beside_the_reference_lists(
    empty_api: Any, cli: Any, imp: Any, tmp_path: Path
) -> None:
    f = tmp_path / "google.csv"
    f.write_text(
        "First Name,Last Name,E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Value,"
        "Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,Phone 2 - Value,Phone 3 - Value\n"
        "Ann,Lee,Work,ann@x.test,ann@home.test,Work Fax,+1 555 0202,Google Voice,+1 555 0205,+1 555 0209\n"
    )
    imp(f)
    shown = cli.json("contacts", "show", "ann@x.test")["data"]
    got = ok(empty_api.get(f"{V}/contacts/{shown['id']}"))["data"]
    assert got == shown  # the CLI's --json is the API's answer
    assert got["phones"] == ["+1 555 0202", "+1 555 0205", "+1 555 0209"]
    assert got["phone_labels"] == ["work fax", "Google Voice", None]
    assert got["emails"] == ["ann@x.test", "ann@home.test"]
    assert got["email_labels"] == ["work", None]
    # the reference's own fields keep their type: lists of strings
    assert all(isinstance(p, str) for p in got["phones"] + got["emails"])
    # a contact with no phone or e-mail has empty lists, never null
    made = ok(empty_api.post(f"{V}/contacts", json={"full_name": "Bo"}), 201)["data"]
    alone = ok(empty_api.get(f"{V}/contacts/{made['id']}"))["data"]
    assert alone["phone_labels"] == [] and alone["email_labels"] == []
    assert "phone_labels" not in made  # a write answers with the contact alone, as before
