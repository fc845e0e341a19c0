"""A CJK name written run together ("王小明", family name first, as it is written natively) and the same name
in two parts in either order ("小明 王": a messenger's first and last name fields) is one name [shared-keys]:
`identity scan` and an import join them on a shared phone at once, whichever was stored first, as the review
queue's explanation says. One character is a whole name there, never an initial: two given names under one
family name stay two people on a shared phone or email."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pcrm.domain.identity_names import SAME, name_agreement, parse_name
from tests.support.seed import bulk_add
from tests.support.store import count_contacts, people

NOW = ("--now", "2026-06-01T12:00:00Z")


def _add(cli: Any, name: str, *args: str) -> None:
    cli("contacts", "add", "--name", name, *args, *NOW)


SAME_NAMES = [
    ("王小明", "小明 王"),
    ("小明 王", "王小明"),
    ("王小明", "王 小明"),
    ("山田太郎", "太郎 山田"),
    ("김민수", "민수 김"),
]


@pytest.mark.parametrize(("first", "second"), SAME_NAMES)
def test_a_cjk_name_run_together_and_in_two_parts_merge_in_one_scan(
    cli: Any, ctx: Any, first: str, second: str
) -> None:
    _add(cli, first, "--phone", "+8613800138000")
    _add(cli, second, "--phone", "+8613800138000")
    out = cli.json("identity", "scan", *NOW)
    assert out["meta"]["deterministic_merged"] == 1 and out["data"]["pending_review"] == 0
    assert count_contacts(ctx) == 1
    assert cli.json("identity", "matches", *NOW)["data"] == []


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("王小明", "小红 王"),  # the family's phone, another given name, in either order
        ("小红 王", "王小明"),
        ("王小明", "王 小红"),
        ("王小明", "王小红"),
        ("王", "王小明"),  # the family name alone is no initial of the whole name
        ("王 小明", "明 王"),
    ],
)
@pytest.mark.parametrize("key", ["--phone", "--email"])
def test_two_given_names_under_one_family_name_are_asked_not_merged(
    cli: Any, ctx: Any, a: str, b: str, key: str
) -> None:
    keys = {"phones": ["+8613800138000"]} if key == "--phone" else {"emails": ["family@wang.example"]}
    bulk_add(ctx, full_name=a, **keys)  # `contacts add` refuses a second holder of an email
    bulk_add(ctx, full_name=b, **keys)
    out = cli.json("identity", "scan", *NOW)
    assert out["meta"]["deterministic_merged"] == 0 and out["data"]["pending_review"] == 1
    assert count_contacts(ctx) == 2
    (pair,) = cli.json("identity", "matches", *NOW)["data"]
    assert pair["shared_key"]["key"] == key.lstrip("-")


def test_names_agree_whichever_is_compared_with_the_other() -> None:
    for a, b in SAME_NAMES:
        assert name_agreement(parse_name(a), parse_name(b)) == SAME, (a, b)
        assert name_agreement(parse_name(b), parse_name(a)) == SAME, (b, a)


def test_an_import_joins_the_name_in_two_parts_to_the_one_run_together(
    cli: Any, imp: Any, tmp_path: Path, db: Path
) -> None:
    """A vCard "王小明" and a contact whose given name is 小明 and family name 王 (a Telegram contact's
    first and last name, a card's N written given first) with one number are one contact."""
    _add(cli, "王小明", "--phone", "+86 138 0013 8000")
    card = tmp_path / "wang.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:小明 王\r\nN:王;小明;;;\r\nTEL;TYPE=cell:+8613800138000\r\n"
        "EMAIL:xiaoming@wang.example\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    rep = imp(card)["data"]
    assert rep["contacts_created"] == 0 and rep["contacts_updated"] == 1
    assert people(db)["王小明"]["emails"] == ["xiaoming@wang.example"]


@pytest.mark.parametrize(
    ("first", "second"), [("Anna Berg", "Berg Anna Maria"), ("Berg Anna Maria", "Anna Berg")]
)
def test_whether_names_agree_does_not_hang_on_which_contact_came_first(
    cli: Any, first: str, second: str
) -> None:
    """Two names that agree read one way and not the other ("Anna Berg" stands in "Berg Anna Maria", whose
    given name may be Berg) are two names whichever contact is older: the scan asks, whatever the order the
    contacts were added in (it merged them when "Berg Anna Maria" came first), and the explanation says the
    names do not agree instead of promising a merge the next scan never makes."""
    _add(cli, first, "--phone", "+46855501020")
    _add(cli, second, "--phone", "+46855501020")
    out = cli.json("identity", "scan", *NOW)
    assert out["meta"]["deterministic_merged"] == 0 and out["data"]["pending_review"] == 1
    (pair,) = cli.json("identity", "matches", "--explain", *NOW)["data"]
    assert pair["explanation"]["outcome"] == "review"
    assert "under names that do not agree" in pair["explanation"]["outcome_reason"]
