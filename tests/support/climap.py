"""Reading ../shared/spec/cli.md's tables into {command -> API operations}.

Each table row is `| command cell | API cell |`. A cell may hold several commands or operations joined by
` · `; when both sides have the same number of parts they pair up in order, else every command of the row
maps to every operation. Operation paths in the API cell are written loosely (`PUT /{id}/read` after
`GET /notifications`, `· /reject`, `/settings/...`), so each written path is resolved against the route
table: an absolute path as is, a path with `...` as every route below it, and a fragment as the route of
the same method that ends with it and shares the first segment of the previous path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
API = "/api/v1"
_WORD = re.compile(r"^[a-z][a-z0-9-]*$")


def _norm(path: str) -> str:
    """A path with its parameters blanked, without the /api/v1 prefix."""
    p = path.removeprefix(API)
    return re.sub(r"\{[^}]*\}", "{}", p)


def command_key(usage: str, group: str | None) -> str:
    """`pcrm contacts list [filters] ...` -> `pcrm contacts list`; `read ID` after `pcrm notifications ...`
    -> `pcrm notifications read`."""
    words = usage.split()
    if not words or words[0] != "pcrm":
        if group is None:
            raise ValueError(f"cannot tell the command of {usage!r}")
        words = group.split() + words
    key = []
    for w in words:
        if not _WORD.match(w):
            break
        key.append(w)
    return " ".join(key)


def _commands(cell: str) -> list[tuple[str, str]]:
    """(key, usage) of every backticked command in a cell."""
    out: list[tuple[str, str]] = []
    group: str | None = None
    for m in re.finditer(r"`([^`]+)`", cell):
        usage = m.group(1)
        # a command starts with `pcrm`, or is a sub-command after ` · ` (`read ID`); other backticked text
        # (`--where`, `priority.high 21`) is an example inside a command's description
        if not (usage.startswith("pcrm ") or cell[: m.start()].rstrip().endswith("·")):
            continue
        key = command_key(usage, group)
        if group is None:
            group = " ".join(key.split()[:2])
        out.append((key, usage))
    return out


def _resolve(method: str, path: str, prev: str | None, table: Iterable[tuple[str, str]]) -> list[str]:
    """Route keys (`METHOD /api/v1/...`) that a written `method path` means. After an absolute path
    (`prev`), a one-segment path or one starting with a parameter is a fragment relative to it."""
    routes = [(m, p) for m, p in table if m == method]
    if path.endswith("/..."):
        base = _norm(path[:-4]) + "/"
        return sorted(f"{m} {p}" for m, p in routes if _norm(p).startswith(base))
    want = _norm(path)
    exact = [f"{m} {p}" for m, p in routes if _norm(p) == want]
    fragment = prev is not None and (want.count("/") == 1 or want.startswith("/{"))
    if fragment:
        first = _norm(prev).split("/")[1]  # type: ignore[arg-type]
        near = [
            f"{m} {p}"
            for m, p in routes
            if _norm(p).endswith(want) and _norm(p).split("/")[1] == first and _norm(p) != want
        ]
        if len(near) == 1:
            return near
    return exact


def _operations(cell: str, table: list[tuple[str, str]]) -> list[list[str]]:
    """The operations of each ` · `-separated part of an API cell (a part may hold several)."""
    if "CLI only" in cell and not re.search(r"\b(GET|POST|PUT|PATCH|DELETE) /", cell.split("CLI only")[0]):
        return []
    parts = [p.strip() for p in cell.split(" · ")]
    out: list[list[str]] = []
    pending_methods: list[int] = []  # parts that named a method and no path: they take the next path
    prev_path: str | None = None
    prev_method: str | None = None
    for part in parts:
        tokens = re.findall(r"\b(?:GET|POST|PUT|PATCH|DELETE)\b|/[A-Za-z0-9_{}./-]+(?:\.\.\.)?", part)
        # a comma list of fragments after one method: `GET /settings/priority, /sync, /telegram`
        method = next((t for t in tokens if t in METHODS), None)
        paths = [t for t in tokens if t not in METHODS]
        ops: list[str] = []
        if method is None and paths:
            method = prev_method
        if method is not None and not paths:
            out.append([])
            pending_methods.append(len(out) - 1)
            prev_method = method
            continue
        for path in paths:
            resolved = _resolve(method, path, prev_path, table) if method else []
            if not resolved:
                raise ValueError(f"cannot resolve {method} {path} in {cell!r}")
            ops += resolved
            if any(_norm(r.split(" ", 1)[1]) == _norm(path) for r in resolved):
                prev_path = path  # an absolute path: later fragments are relative to it
        for i in pending_methods:  # `GET · PATCH · DELETE /organizations/{id}`
            m = parts[i].strip()
            out[i] = [_resolve(m, p, prev_path, table)[0] for p in paths]
        pending_methods = []
        prev_method = method
        out.append(ops)
    return [o for o in out if o]


def parse(markdown: str, table: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    """Every command row of every `| command | API operation |` table, in order."""
    routes = list(table)
    section = ""
    header_api = False
    out: list[dict[str, Any]] = []
    for line in markdown.splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
            header_api = False
            continue
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        # a `|` inside backticks (`status|create|revoke`) splits a cell: glue backtick pieces back together
        merged: list[str] = []
        for c in cells:
            if merged and merged[-1].count("`") % 2 == 1:
                merged[-1] += "|" + c
            else:
                merged.append(c)
        cells = merged
        if cells[0] == "command":
            header_api = len(cells) > 1 and cells[1] == "API operation"
            continue
        if set(cells[0]) <= {"-"} or not header_api:
            continue
        commands = _commands(cells[0])
        ops = _operations(cells[1], routes)
        if ops and len(ops) == len(commands):
            pairs = [(c, o) for c, o in zip(commands, ops, strict=False)]
        else:
            flat = sorted({o for group in ops for o in group})
            pairs = [(c, flat) for c in commands]
        for (key, usage), o in pairs:
            out.append(
                {
                    "section": section,
                    "command": key,
                    "usage": usage,
                    "api": cells[1],
                    "operations": sorted(set(o)),
                }
            )
    return out
