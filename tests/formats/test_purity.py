"""formats/ stays a package of pure parsers: it imports only domain/, the leaf modules errors and clock,
and itself (never the store, the settings or the services), and the records it yields import nothing
of pcrm beyond domain/. An AST walk, so it holds for imports inside functions too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PCRM = Path(__file__).resolve().parents[2] / "pcrm"
ALLOWED = ("pcrm.domain", "pcrm.errors", "pcrm.clock", "pcrm.formats")
MODULES = sorted((PCRM / "formats").glob("*.py"))


def _pcrm_imports(path: Path) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "pcrm"]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "pcrm":
            out.append((node.lineno, node.module))
    return out


def test_the_package_has_modules():
    assert len(MODULES) > 10


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_formats_import_only_domain_and_leaf_modules(path):
    bad = [
        f"{path.name}:{line} imports {name}"
        for line, name in _pcrm_imports(path)
        if not any(name == a or name.startswith(a + ".") for a in ALLOWED)
    ]
    assert bad == []


def test_records_import_nothing_above_the_domain():
    bad = [name for _line, name in _pcrm_imports(PCRM / "domain" / "records.py")]
    assert all(name.startswith("pcrm.domain") for name in bad), bad


def test_the_walk_sees_a_violation(tmp_path):
    """Guard against a vacuous check."""
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from pcrm.store import contacts\n", encoding="utf-8")
    assert _pcrm_imports(bad) == [(2, "pcrm.store")]
