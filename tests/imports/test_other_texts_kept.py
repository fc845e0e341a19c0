"""A record's other value of a bio, a WhatsApp name or about, a Facebook name, or another account id than the
one the contact holds, is kept aside and counted [import-matching]: with Ann One holding twitter_bio "new bio"
and Telegram id 111, a CSV giving "yet another bio" and 999 reported values_kept 0, both values gone."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _write(tmp_path: Path, name: str, text: str) -> Path:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return f


def _kept(cli: Any, name: str) -> set[str]:
    return {v["raw"] for v in cli.json("contacts", "show", name)["data"]["other_values"]}


def test_a_differing_bio_and_account_id_are_kept_aside_and_counted(
    cli: Any, imp: Any, tmp_path: Path
) -> None:
    head = "full_name,emails,twitter_bio,whatsapp_about,telegram_user_id\n"
    imp(_write(tmp_path, "a.csv", head + "Ann One,ann@x.example,new bio,free,111\n"))
    rep = imp(_write(tmp_path, "b.csv", head + "Ann One,ann@x.example,yet another bio,busy,999\n"))["data"]
    ann = cli.json("contacts", "show", "Ann One")["data"]
    assert (ann["twitter_bio"], ann["whatsapp_about"], ann["telegram_user_id"]) == ("new bio", "free", "111")
    assert {
        "X-PCRM-OTHER-TWITTER-BIO:yet another bio",
        "X-PCRM-OTHER-WHATSAPP-ABOUT:busy",
        "X-PCRM-OTHER-TELEGRAM-USER-ID:999",
    } <= _kept(cli, "Ann One")
    assert rep["values_kept"] == 3
    again = imp(_write(tmp_path, "c.csv", head + "Ann One,ann@x.example,yet another bio,busy,999\n"))["data"]
    assert again["values_kept"] == 0  # held aside already: not kept twice


def test_the_same_bio_keeps_nothing(cli: Any, imp: Any, tmp_path: Path) -> None:
    head = "full_name,emails,twitter_bio,telegram_user_id\n"
    imp(_write(tmp_path, "a.csv", head + "Ann One,ann@x.example,New Bio,111\n"))
    rep = imp(_write(tmp_path, "b.csv", head + "Ann One,ann@x.example,new bio,111\n"))["data"]
    assert rep["values_kept"] == 0 and not any("OTHER" in r for r in _kept(cli, "Ann One"))
