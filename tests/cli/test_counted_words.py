"""Counts are said in words: one thing is singular, none and many are plural, through domain/wording.counted
(`1 contact`, `0 contacts`), never `contact(s)`: 'pcrm tags rename' of a tag on one contact said 'on 1
contact(s)', 'pcrm second-tier rm' 'deleted 1 contact(s)', a merge '1 empty field(s) filled'."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

import pcrm
from tests.support.crm import Crm
from tests.support.llm_fake import MODEL_ID, scripted_fixture

# a counted noun written with a bracketed plural ("contact(s)", "match(es)"), not "http(s)"
_BRACKETED = re.compile(r"[a-z]\((?:s|es|ies)\)")


def _texts(tree: ast.AST) -> list[tuple[int, str]]:
    """Every string a message can be made of (f-strings' literal parts too), docstrings left out."""
    docs = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
    ]


def test_no_message_counts_with_a_bracketed_plural() -> None:
    root = Path(pcrm.__file__).parent
    found = [
        f"{path.relative_to(root)}:{line}: {text!r}"
        for path in sorted(root.rglob("*.py"))
        for line, text in _texts(ast.parse(path.read_text(encoding="utf-8")))
        if _BRACKETED.search(text.replace("http(s)", ""))
    ]
    assert found == [], "\n".join(found)


def test_one_is_singular_and_none_plural(crm: Crm) -> None:
    crm.add("Ada Lovelace", "--tag", "mentor", "--tag", "2nd tier")
    crm.add("Alan Turing", "--tag", "mentor")
    said = crm.cli("tags", "rename", "mentor", "adviser", "--dry-run").stdout
    assert "would rename 'mentor' to 'adviser' on 2 contacts" in said, said
    said = crm.cli("second-tier", "rm", "--dry-run").stdout
    assert "would delete 1 contact (dry run: nothing changed)" in said, said
    said = crm.cli("second-tier", "rm", "--yes").stdout
    assert said.startswith("deleted 1 contact (backup "), said
    said = crm.cli("notifications", "read-all").stdout
    assert said.strip() == "marked 0 notifications read", said
    said = crm.cli("contacts", "reconcile").stdout
    assert said.strip() == "updated 0 contacts", said
    bad = crm.cli("contacts", "list", "--fields", "name,shoe_size,hat", ok=False).stderr
    assert "unknown fields: shoe_size, hat" in bad, bad


def test_an_import_summary_counts_each_noun_in_its_number(crm: Crm, tmp_path: Path) -> None:
    """A rerun said "0 new, 0 updated, 1 unchanged contacts · 0 new, 0 skipped messages": the noun trailed
    the last count. It now comes with the first, as a sync's summary has it."""
    card = tmp_path / "ada.vcf"
    card.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Ada Lovelace\nEMAIL:ada@example.com\nEND:VCARD\n")
    first = crm.cli("import", str(card)).stdout
    assert ": 1 new contact, 0 updated, 0 unchanged · 0 new messages, 0 skipped\n" in first, first
    again = crm.cli("import", str(card)).stdout
    assert ": 0 new contacts, 0 updated, 1 unchanged · 0 new messages, 0 skipped\n" in again, again
    assert "unchanged contacts" not in again


def test_org_store_and_tagging_messages_count_in_words(
    crm: Crm, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """'pcrm orgs rm "Solo Org" --yes' said '(1 contacts unlinked)'; so did the question before it, 'orgs
    stats', 'db restore', 'tags apply' and its notification, 'tags discover' of one tag."""
    crm.add("Ada Lovelace", "--company", "Solo Org", "--title", "Engineer")
    said = crm.cli("orgs", "stats", "Solo Org").stdout
    assert said.startswith("1 contact · avg score") and "· 0 interactions ·" in said, said
    said = crm.cli("orgs", "rm", "Solo Org", ok=False).stderr  # not at a terminal: the question is quoted
    assert "Delete Solo Org (1 contact will be unlinked)?" in said, said
    said = crm.cli("orgs", "rm", "Solo Org", "--yes").stdout
    assert said.strip().splitlines()[0].endswith("(1 contact unlinked)"), said
    crm.cli("db", "backup")
    (backup,) = crm.cli.json("db", "backups")["data"]
    said = crm.cli("db", "restore", backup["path"], "--yes").stdout
    assert said.startswith(f"restored 1 contact from {backup['path']};"), said

    for scripted in scripted_fixture(monkeypatch, tmp_path):
        scripted.reply = lambda p: (
            json.dumps({"Role": ["Engineer"]})
            if p.startswith(("Propose", "Clean up"))
            else json.dumps({"tags": ["Engineer"]})
        )
        crm.cli("settings", "set", "ai.model", MODEL_ID)
        said = crm.cli("tags", "discover").stderr
        assert "1 tag · " in said, said
        crm.cli("tags", "approve")
        said = crm.cli("tags", "apply", "Ada").stdout
        first, undo = said.strip().splitlines()
        assert first == "tagged 1 contact (0 already tagged, 0 failed)", said
        assert undo.startswith("undo with: pcrm contacts bulk-undo "), said  # [bulk-undo]
        notes = crm.cli.json("notifications", "list", "--all")["data"]
        assert [n["body"] for n in notes if n["notification_type"] == "tagging"] == [
            f"Tagged 1 of 1 contact (0 already tagged). Undo with: {undo.split(': ', 1)[1]}"
        ]
