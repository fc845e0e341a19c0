"""Import fidelity through `pcrm import`: options that settle what a file leaves open, and refusals."""

from __future__ import annotations

from pathlib import Path


def test_date_order_option_reaches_the_parser(imp, tmp_path: Path, cli):
    chat = tmp_path / "WhatsApp Chat with Ann.txt"
    chat.write_text("[01/12/2024, 10:05 AM] Ann: hi\n[02/12/2024, 9:00 AM] Bob: yo\n", encoding="utf-8")
    env = imp(chat, "--me", "Bob", "--date-order", "dmy", "--dry-run")
    assert env["data"]["interactions_created"] == 2 and env["data"]["errors"] == []
    guessed = imp(chat, "--me", "Bob", "--dry-run")
    assert any("--date-order" in e for e in guessed["data"]["errors"])
    bad = imp(chat, "--me", "Bob", "--date-order", "ddmm", ok=False)
    assert "date order" in bad["error"]["message"]
