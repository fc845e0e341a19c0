"""What only pcrm's own CSV may say [own-exports]: another program's CSV with an `id` column of UUIDs
marked any field typed by hand through its `edited_fields` cell; its `telegram_user_id "abc"` or
`twitter_user_id "@@"` was stored as given; and a "Zed Other" row with the Telegram id Ann One holds folded
Zed into Ann, since an account id overrode the names. Now: marks only from a file with the header `pcrm
export csv` writes; an id that names no account is kept aside and said; a foreign row's id joins only a
holder of an agreeing name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


def _write(tmp_path: Path, name: str, text: str) -> Path:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return f


def test_edited_fields_of_a_foreign_csv_with_uuids_mark_nothing(cli: Any, imp: Any, tmp_path: Path) -> None:
    f = _write(
        tmp_path,
        "crafted.csv",
        "id,full_name,company,title,edited_fields\n"
        "0b9c6a3e-1111-4222-8333-944455556666,Eve Crafted,Acme,CTO,company; title; notes; birthday\n",
    )
    imp(f)
    eve = cli.json("contacts", "show", "Eve Crafted")["data"]
    assert eve["user_edited_fields"] == []
    assert any("company; title" in str(v["value"]) for v in eve["other_values"])  # kept, not dropped


def test_pcrm_s_own_header_is_what_the_export_writes(
    cli: Any, imp: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    """The header decides: the same row under the export's own header carries its marks."""
    cli("contacts", "add", "--name", "Eve Crafted")
    cli("contacts", "edit", "Eve Crafted", "--title", "CTO")
    out = tmp_path / "own.csv"
    cli("export", "csv", "--output", str(out))
    monkeypatch.setenv("PCRM_HOME", str(tmp_path / "moved"))
    imp(out)
    assert cli.json("contacts", "show", "Eve Crafted")["data"]["user_edited_fields"] == ["title"]


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("telegram_user_id", "abc"),
        ("twitter_user_id", "@@"),
        ("facebook_id", "x y"),
        ("instagram_id", "ig1"),
        ("identities", "telegram_user_id:abc"),
    ],
)
def test_an_account_id_that_is_no_number_is_kept_aside_and_said(
    cli: Any, imp: Any, tmp_path: Path, column: str, value: str
) -> None:
    f = _write(tmp_path, "ids.csv", f"full_name,{column}\nDan Four,{value}\n")
    rep = imp(f)["data"]
    dan = cli.json("contacts", "show", "Dan Four")["data"]
    field = value.split(":")[0] if column == "identities" else column
    assert dan[field] is None
    assert any(value.split(":")[-1] in str(v["value"]) for v in dan["other_values"])
    if column != "identities":  # that cell's unread line is kept as the column's extra field
        assert any(field in e and "kept as an extra field" in e for e in rep["errors"])


@pytest.mark.parametrize("column", ["telegram_user_id", "identities"])
def test_a_foreign_csv_s_id_does_not_fold_a_differently_named_row(
    cli: Any, imp: Any, tmp_path: Path, column: str
) -> None:
    imp(_write(tmp_path, "a.csv", "full_name,emails,telegram_user_id\nAnn One,ann@x.example,111\n"))
    cell = "111" if column == "telegram_user_id" else "telegram_user_id:111"
    rep = imp(_write(tmp_path, "z.csv", f"full_name,emails,{column}\nZed Other,zed@x.example,{cell}\n"))[
        "data"
    ]
    names = sorted(c["full_name"] for c in cli.json("contacts", "list", "--all")["data"])
    assert names == ["Ann One", "Zed Other"]
    assert (rep["contacts_created"], rep["pending_review"]) == (1, 1)
    assert cli.json("contacts", "show", "Ann One")["data"]["telegram_user_id"] == "111"


def test_a_foreign_csv_s_id_still_joins_its_namesake(cli: Any, imp: Any, tmp_path: Path) -> None:
    imp(_write(tmp_path, "a.csv", "full_name,emails,telegram_user_id\nAnn One,ann@x.example,111\n"))
    rep = imp(_write(tmp_path, "b.csv", "full_name,telegram_user_id,title\nAnn One,111,CTO\n"))["data"]
    assert (rep["contacts_created"], rep["contacts_updated"]) == (0, 1)
