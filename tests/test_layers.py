"""The import direction of ARCHITECTURE.md: shells -> services -> store -> domain, and SQL only in store/.

An AST walk over pcrm/: each package may not import the layers above it, the shells may not reach the
store (or apsw) directly, and no module outside store/ holds an SQL statement.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "pcrm"
BANNED = {
    "domain": ("pcrm.store", "pcrm.services", "pcrm.cli", "pcrm.api", "pcrm.daemon", "apsw"),
    "store": ("pcrm.services", "pcrm.cli", "pcrm.api", "pcrm.daemon"),
    "services": ("pcrm.cli", "pcrm.api", "pcrm.daemon"),
    "sync": ("pcrm.store", "pcrm.services", "pcrm.cli", "pcrm.api", "apsw"),
    "cli": ("pcrm.store", "apsw"),
    "api": ("pcrm.store", "apsw"),
    "daemon": ("pcrm.store", "apsw"),
}
SQL = re.compile(
    r"^\s*(SELECT\s.+\sFROM\s|INSERT\s+(OR\s+\w+\s+)?INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s|"
    r"CREATE\s+(TABLE|INDEX|VIEW|TRIGGER)\s)",
    re.IGNORECASE | re.DOTALL,
)


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _imports(path: Path) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
    return out


@pytest.mark.parametrize("package", sorted(BANNED))
def test_imports_point_downwards(package: str) -> None:
    bad = [
        f"{p.relative_to(ROOT.parent)}:{line} imports {name}"
        for p in _modules(package)
        for line, name in _imports(p)
        if any(name == b or name.startswith(b + ".") for b in BANNED[package])
    ]
    assert bad == []


@pytest.mark.parametrize("package", ["domain", "services", "cli", "api", "daemon", "sync"])
def test_no_sql_outside_the_store(package: str) -> None:
    bad = []
    for p in _modules(package):
        bad.extend(
            f"{p.relative_to(ROOT.parent)}:{node.lineno}: {node.value[:60]!r}"
            for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.match(node.value)
        )
    assert bad == []


def test_the_checks_can_fail(tmp_path: Path) -> None:
    """The walk sees a violation when there is one (guards against a vacuous test)."""
    bad = tmp_path / "bad.py"
    bad.write_text("import apsw\nq = 'SELECT id FROM contacts'\n", encoding="utf-8")
    assert (1, "apsw") in _imports(bad)
    consts = [n.value for n in ast.walk(ast.parse(bad.read_text())) if isinstance(n, ast.Constant)]
    assert any(SQL.match(c) for c in consts)
