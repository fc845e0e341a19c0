"""Google CSV labels [relabelled-fields] [value-labels]: a group's type cell with one type a value
(`Mobile ::: Mobile` for the `a ::: b` of two mobiles, `* Mobile ::: Work`) was kept whole as both values'
label; an External ID relabelled in Google (`Account`, now `Customer`) and imported again kept the old label
and said "nothing changed"."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _labels(cli: Any, ref: str) -> dict[str, Any]:
    got = cli.json("contacts", "show", ref)["data"]
    return {
        "phones": dict(zip(got["phones"], got["phone_labels"], strict=True)),
        "emails": dict(zip(got["emails"], got["email_labels"], strict=True)),
    }


def test_each_value_of_a_multi_value_group_gets_its_own_type(cli: Any, imp: Any, tmp_path: Path) -> None:
    f = tmp_path / "google.csv"
    f.write_text(
        "First Name,Last Name,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value\n"
        "Sue,Hall,Work ::: Work,sue@x.test ::: s.hall@x.test,Mobile ::: Mobile,+1 555 0134 ::: +1 555 0135\n"
        "Uma,Hall,* Home ::: Work,uma@x.test ::: u.hall@x.test,"
        "* Mobile ::: Work Fax,+1 555 0136 ::: +1 555 0137\n"
        "Val,Hall,,val@x.test,Mobile,+1 555 0138 ::: +1 555 0139\n"
    )
    imp(f)
    assert _labels(cli, "sue@x.test") == {
        "phones": {"+1 555 0134": "mobile", "+1 555 0135": "mobile"},
        "emails": {"sue@x.test": "work", "s.hall@x.test": "work"},
    }
    assert _labels(cli, "uma@x.test") == {
        "phones": {"+1 555 0136": "mobile", "+1 555 0137": "work fax"},
        "emails": {"uma@x.test": "home", "u.hall@x.test": "work"},
    }
    # one type for the group's values: each has it, as before
    assert _labels(cli, "val@x.test")["phones"] == {"+1 555 0138": "mobile", "+1 555 0139": "mobile"}


def test_an_external_id_relabelled_in_google_takes_the_new_label_in_place(
    cli: Any, imp: Any, tmp_path: Path
) -> None:
    head = "First Name,Last Name,E-mail 1 - Value,External ID 1 - Label,External ID 1 - Value\n"
    f = tmp_path / "google.csv"
    f.write_text(head + "Mia,Stone,mia@x.test,Account,A-1\n")
    imp(f)
    f.write_text(head + "Mia,Stone,mia@x.test,Customer,A-1\n")
    report = imp(f)
    assert report["data"]["contacts_updated"] == 1, report
    shown = cli("contacts", "show", "mia@x.test").stdout
    assert "external id (Customer)" in shown and "external id (Account)" not in shown
    assert shown.count("A-1") == 1
    # imported again: nothing to change; undone: the old label is back
    assert imp(f)["data"]["contacts_updated"] == 0
    cli("import", "undo", report["data"]["batch_id"][:8], "--yes")
    shown = cli("contacts", "show", "mia@x.test").stdout
    assert "external id (Account)" in shown and "Customer" not in shown
