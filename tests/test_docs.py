"""The code cites docs/decisions.md by name, and only by name: every `[name]` in a comment or docstring is
an entry there, and no citation of the outside spec (`§8.4`, `D15`) or of an issue number is left."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ENTRIES = set(
    re.findall(r"^## ([a-z0-9-]+)$", (REPO / "docs/decisions.md").read_text(encoding="utf-8"), re.MULTILINE)
)
# a name has a word of 3+ characters: [a-z], [a-z0-9] and [0-9a-f] are regex classes, [x-api] is a name
CITED = re.compile(r"\[((?=[a-z0-9-]*[a-z0-9]{3})[a-z][a-z0-9]*(?:-[a-z0-9]+)+)\]")
IGNORES = re.compile(r"(type: *ignore|pyright: *ignore)\[[^\]]*\]")  # mypy's codes look like names
OUTSIDE = re.compile(r"(?<!RFC 5545 )§ ?\d|\bD\d{1,2}\b|\b[Ii]ssues? \d+\b")


def _prose(path: Path) -> list[tuple[int, str]]:
    """Comments and string literals of a module, with their line numbers."""
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    return [
        (tok.start[0], IGNORES.sub("", tok.string))
        for tok in tokens
        if tok.type in (tokenize.COMMENT, tokenize.STRING)
    ]


def _sources() -> list[Path]:
    return [p for d in ("pcrm", "tests", "bench") for p in sorted((REPO / d).rglob("*.py"))]


def test_every_cited_name_is_an_entry() -> None:
    unknown = [
        f"{p.relative_to(REPO)}:{line}: [{name}]"
        for p in _sources()
        if p.name != "test_docs.py"
        for line, text in _prose(p)
        for name in CITED.findall(text)
        if name not in ENTRIES
    ]
    assert unknown == []


def test_no_outside_citations_are_left() -> None:
    left = [
        f"{p.relative_to(REPO)}:{line}: {text.strip()[:80]}"
        for p in _sources()
        if p.name != "test_docs.py"
        for line, text in _prose(p)
        if OUTSIDE.search(text)
    ]
    assert left == []


def test_the_checks_see_what_they_look_for(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""Partial edits [partial-edits], [no-such-entry], [x-api]; not [a-z0-9] or [0-9a-f]."""\n'
        "x = 1  # see §8.4 and D15\n"
    )
    prose = " ".join(text for _, text in _prose(sample))
    assert set(CITED.findall(prose)) == {"partial-edits", "no-such-entry", "x-api"}
    assert "partial-edits" in ENTRIES and "no-such-entry" not in ENTRIES
    assert len(OUTSIDE.findall(prose)) == 2
