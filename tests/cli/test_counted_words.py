"""Counts are said in words: one thing is singular, none and many are plural, through domain/wording.counted
(`1 contact`, `0 contacts`), never `contact(s)`: 'pcrm tags rename' of a tag on one contact said 'on 1
contact(s)', 'pcrm second-tier rm' 'deleted 1 contact(s)', a merge '1 empty field(s) filled'."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pcrm
from tests.support.crm import Crm

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
    assert said.strip() == "deleted 1 contact", said
    said = crm.cli("notifications", "read-all").stdout
    assert said.strip() == "marked 0 notifications read", said
    said = crm.cli("contacts", "reconcile").stdout
    assert said.strip() == "updated 0 contacts", said
    bad = crm.cli("contacts", "list", "--fields", "name,shoe_size,hat", ok=False).stderr
    assert "unknown fields: shoe_size, hat" in bad, bad
