"""The architecture holds: imports point downwards (import-linter's contracts in pyproject.toml) and
SQL lives only in store/.

The contracts run on the real tree, and on a copy of it with violations injected, one of each kind a
review found slipping past the hand-written walk this replaced (a `from pcrm import X`, an import
inside a function, apsw in services, a leaf module importing a layer above it, ...): each must be
named in the report, or the contract cannot fail.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ROOT = REPO / "pcrm"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

SQL = re.compile(
    r"^\s*(SELECT\s.+\sFROM\s|INSERT\s+(OR\s+\w+\s+)?INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s|"
    r"CREATE\s+(TABLE|INDEX|VIEW|TRIGGER)\s|WITH\s+\w+\s*(\(.*\))?\s*AS\s*\()",
    re.IGNORECASE | re.DOTALL,
)

# (file under pcrm/, code appended to it, the import the report must name). Appended at the end of a
# module (function-level where the case is about function-level imports), so nothing else changes.
VIOLATIONS = [
    ("cli/score.py", "from pcrm import store\n", "pcrm.cli.score -> pcrm.store"),
    ("api/responses.py", "def _f():\n    from pcrm.store import db\n", "pcrm.api.responses -> pcrm.store.db"),
    ("services/views.py", "import apsw\n", "pcrm.services.views -> apsw"),
    (
        "services/notifications.py",
        "from pcrm.cli import _output\n",
        "pcrm.services.notifications -> pcrm.cli._output",
    ),
    (
        "store/settings.py",
        "from pcrm.services import context\n",
        "pcrm.store.settings -> pcrm.services.context",
    ),
    ("domain/scoring.py", "from pcrm import store\n", "pcrm.domain.scoring -> pcrm.store"),
    ("clock.py", "def _f():\n    from pcrm.domain import dates\n", "pcrm.clock -> pcrm.domain.dates"),
    ("errors.py", "import pcrm.services.context\n", "pcrm.errors -> pcrm.services.context"),
    ("services/settings.py", "import telethon\n", "pcrm.services.settings -> telethon"),
    ("domain/normalize.py", "import starlette\n", "pcrm.domain.normalize -> starlette"),
]


def lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True, check=False, timeout=300
    )


def copy_of_the_tree(tmp_path: Path) -> Path:
    shutil.copytree(ROOT, tmp_path / "pcrm", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_contracts_hold() -> None:
    r = lint_imports(REPO)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "0 broken" in r.stdout


def test_each_kind_of_violation_breaks_a_contract(tmp_path: Path) -> None:
    tree = copy_of_the_tree(tmp_path)
    assert lint_imports(tree).returncode == 0, "the unmodified copy must pass first"
    for rel, code, _ in VIOLATIONS:
        with (tree / "pcrm" / rel).open("a", encoding="utf-8") as f:
            f.write("\n\n" + code)
    r = lint_imports(tree)
    assert r.returncode != 0
    report = " ".join(r.stdout.split())  # the report wraps long lines
    missed = [expected for _, _, expected in VIOLATIONS if expected not in report]
    assert missed == [], r.stdout


def test_every_package_has_a_layer() -> None:
    """A new package (sync/, mcp/, ...) must be placed in the layers before it can slip past them."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    [layers] = [c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "layers"]
    named = set(re.findall(r"[a-z_]+", " ".join(layers["layers"])))
    modules = {p.stem for p in ROOT.glob("*.py")} | {p.parent.name for p in ROOT.glob("*/__init__.py")}
    assert modules - {"__init__", "__main__"} <= named


def _sql_constants(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        elif isinstance(node, ast.JoinedStr):  # f"SELECT {cols} FROM ...": the literal parts
            text = " x ".join(v.value for v in node.values if isinstance(v, ast.Constant))
        else:
            continue
        if SQL.match(text):
            found.append((node.lineno, text[:60]))
    return found


def test_no_sql_outside_the_store() -> None:
    bad = [
        f"{p.relative_to(REPO)}:{line}: {text!r}"
        for p in sorted(ROOT.rglob("*.py"))
        if "store" not in p.relative_to(ROOT).parts[:1]
        for line, text in _sql_constants(p)
    ]
    assert bad == []


@pytest.mark.parametrize(
    "code",
    [
        "q = 'SELECT id FROM contacts'",
        "q = f'SELECT {cols} FROM contacts'",
        "q = ('INSERT INTO contacts(uuid) '\n     'VALUES (?)')",
        "q = 'WITH recent AS (SELECT 1) SELECT * FROM recent'",
    ],
)
def test_the_sql_check_sees_sql(tmp_path: Path, code: str) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(code + "\n", encoding="utf-8")
    assert _sql_constants(bad)


def test_an_import_by_name_is_a_lint_error(tmp_path: Path) -> None:
    """The contracts cannot see `importlib.import_module("pcrm.store")`, so ruff refuses it in pcrm/."""
    tree = copy_of_the_tree(tmp_path)
    sneaky = tree / "pcrm" / "services" / "sneaky.py"
    sneaky.write_text(
        'import importlib\n\nstore = importlib.import_module("pcrm.store.db")\n', encoding="utf-8"
    )
    ruff = Path(sys.executable).with_name("ruff")
    r = subprocess.run(
        [str(ruff), "check", "--no-cache", "--select", "TID251", "pcrm/services/sneaky.py"],
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 1 and "TID251" in r.stdout, r.stdout + r.stderr


def test_every_store_and_domain_module_imports_first() -> None:
    """Each module of the bottom layers imports on its own, as the first pcrm module of a process (a job
    runner, a script): an import cycle stays hidden while some other module happens to be imported first."""
    script = (
        "import importlib, pkgutil, sys\n"
        "import pcrm.store, pcrm.domain\n"
        "names = [m.name for p in (pcrm.store, pcrm.domain)\n"
        "         for m in pkgutil.walk_packages(p.__path__, p.__name__ + '.')]\n"
        "bad = []\n"
        "for name in names:\n"
        "    for k in [k for k in sys.modules if k.startswith('pcrm.')]:\n"
        "        del sys.modules[k]\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception as e:\n"
        "        bad.append(f'{name}: {e!r}')\n"
        "print(len(names))\n"
        "print('\\n'.join(bad))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True
    )
    count, *bad = done.stdout.strip().split("\n")
    assert int(count) > 30 and bad == []
