"""Shell completion [shell-completion]: contact names, tags and settings keys from a small cache file.

`pcrm --install-completion` (or `--show-completion bash|zsh|fish`) installs Typer's script; the shell then
runs `pcrm` with `_PCRM_COMPLETE` set for every Tab. Commands and options come from Typer itself (the group
the words name is loaded, as for a run). Values come from `completion.json` in PCRM_HOME: contact names,
tags and settings keys, rebuilt when the database or its WAL changed since (every write touches one of
them) and at least every CACHE_SECONDS. For the common value positions (a contact after `contacts show`, a
tag after `--tag`, a key after `settings set`) `fast_answer` replies from the cache before any command
module is imported, so a Tab stays well under 100 ms even on a big store.

Only `os` and `time` are imported here at module level: `pcrm --help` imports this module too.
"""

from __future__ import annotations

import os
import time

TYPE_CHECKING = False  # typing and pathlib stay unimported: `pcrm --help` imports this module
if TYPE_CHECKING:
    from pathlib import Path

CACHE_SECONDS = 600
COMPLETE_VAR = "_PCRM_COMPLETE"

# Commands whose first argument is a contact (group, command); tests/cli/test_completion.py checks this
# against the commands' declarations.
CONTACT_FIRST: frozenset[tuple[str, ...]] = frozenset(
    {
        ("ai", "classify"),
        ("ai", "compose"),
        ("contacts", "activity"),
        ("contacts", "auto-tag"),
        ("contacts", "delete"),  # the hidden alias of rm
        ("contacts", "dismiss-duplicate"),
        ("contacts", "duplicates"),
        ("contacts", "edit"),
        ("contacts", "enrich"),
        ("contacts", "extract-bio"),
        ("contacts", "merge"),
        ("contacts", "promote"),
        ("contacts", "related"),
        ("contacts", "rm"),
        ("contacts", "show"),
        ("contacts", "tag"),
        ("contacts", "untag"),
        ("interactions", "list"),
        ("log",),
        ("note", "add"),
        ("note", "list"),
        ("score", "explain"),
        ("send",),
    }
)
SETTING_FIRST: frozenset[tuple[str, ...]] = frozenset({("settings", "set"), ("settings", "reset")})
TAG_OPTIONS = ("--tag", "-t")
# Flags that take no value, so the word after one is still the argument being completed.
FLAGS = frozenset({"--json", "--nl", "--yes", "-y", "--dry-run", "--all", "--no-pager"})


def cache_path() -> Path:
    from pcrm import paths

    return paths.home() / "completion.json"


def _fresh(path: Path) -> bool:
    from pcrm import paths

    try:
        built = path.stat().st_mtime
    except OSError:
        return False
    if time.time() - built > CACHE_SECONDS:
        return False
    db = paths.db_path()
    for p in (db, db.with_name(db.name + "-wal")):
        try:
            if p.stat().st_mtime > built:
                return False
        except OSError:
            continue
    return True


def words() -> dict[str, list[str]]:
    """{contacts, tags, settings} from the cache, rebuilt first when stale (an empty answer when there is
    no store yet: completion never creates one)."""
    import json

    from pcrm import paths

    path = cache_path()
    if _fresh(path):
        try:
            data: dict[str, list[str]] = json.loads(path.read_text(encoding="utf-8"))
            return data
        except (OSError, ValueError):
            pass
    if not paths.db_path().exists():
        return {"contacts": [], "tags": [], "settings": []}
    return refresh()


def refresh() -> dict[str, list[str]]:
    """Rebuild the cache from the store and write it (0600, as every file in PCRM_HOME)."""
    import json

    from pcrm import paths
    from pcrm.services import completion
    from pcrm.services.context import open_context

    with open_context(create=False) as ctx:
        data = completion.words(ctx)
    path = cache_path()
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    paths.write_private(tmp, json.dumps(data, ensure_ascii=False).encode())
    os.replace(tmp, path)
    return data


def _matches(values: list[str], incomplete: str, *, any_word: bool = False) -> list[str]:
    low = incomplete.casefold()
    if not low:
        return values[:200]
    if any_word:  # `ada` finds "Ada Lovelace", `love` finds it too
        got = [v for v in values if any(w.startswith(low) for w in v.casefold().split())]
        whole = [v for v in values if v.casefold().startswith(low)]
        return list(dict.fromkeys(whole + got))[:200]
    return [v for v in values if v.casefold().startswith(low)][:200]


def _bash_quote(value: str) -> str:
    # bash inserts a reply as typed: a name with spaces must be escaped to stay one word
    if os.environ.get(COMPLETE_VAR, "").endswith("bash"):
        return "".join("\\" + ch if ch in " '\"()&;|<>$`\\!*?[]{}#~" else ch for ch in value)
    return value


def _safe(kind: str, incomplete: str) -> list[str]:
    try:
        values = words().get(kind, [])
    except Exception:
        return []
    return [_bash_quote(v) for v in _matches(values, incomplete, any_word=kind == "contacts")]


def contact_names(incomplete: str) -> list[str]:
    """Completer for a contact argument: full names (any word of the name matches what was typed)."""
    return _safe("contacts", incomplete)


def tags(incomplete: str) -> list[str]:
    """Completer for --tag and tag arguments."""
    return _safe("tags", incomplete)


def setting_keys(incomplete: str) -> list[str]:
    """Completer for a setting key."""
    return _safe("settings", incomplete)


# ------------------------------------------------------------------ the fast path


def request() -> tuple[str, list[str], str] | None:
    """(shell, completed words after `pcrm`, the word being typed) of a completion request, else None."""
    instruction = os.environ.get(COMPLETE_VAR, "")
    if not instruction:
        return None
    shell = instruction.removeprefix("complete_").removesuffix("_complete")
    import shlex

    try:
        if shell == "bash":
            cwords = shlex.split(os.environ.get("COMP_WORDS", ""))
            cword = int(os.environ.get("COMP_CWORD", "0"))
            return shell, cwords[1:cword], cwords[cword] if cword < len(cwords) else ""
        raw = os.environ.get("_TYPER_COMPLETE_ARGS", "")
        cwords = shlex.split(raw)[1:]
    except ValueError:  # an open quote: let Typer deal with it
        return shell, [], ""
    if cwords and not raw.endswith(" "):
        return shell, cwords[:-1], cwords[-1]
    return shell, cwords, ""


def _kind(args: list[str], incomplete: str) -> str | None:
    """Which values complete here, when it is plain enough to know without loading the commands."""
    if incomplete.startswith("-"):
        return None
    if args and args[-1] in TAG_OPTIONS:
        return "tags"
    if args and args[-1].startswith("--") and "=" not in args[-1] and args[-1] not in FLAGS:
        return None  # the value of some other option
    args = [a for a in args if not a.startswith("-")]  # flags (--json, --yes) anywhere before
    for n in (1, 2):
        head = tuple(args[:n])
        if len(args) == n and head in CONTACT_FIRST:
            return "contacts"
        if len(args) == n and head in SETTING_FIRST:
            return "settings"
    if len(args) >= 3 and tuple(args[:2]) in {("contacts", "tag"), ("contacts", "untag")}:
        return "tags"
    return None


def _zsh_escape(s: str) -> str:
    return (
        s.replace('"', '""').replace("'", "''").replace("$", "\\$").replace("`", "\\`").replace(":", r"\\:")
    )


def answer(shell: str, values: list[str]) -> tuple[str, int] | None:
    """What Typer's completion class for `shell` prints for these values, and the exit code (fish asks
    `is-args` with the code alone); None for a shell handled by Typer only. Written out here so that a Tab
    on a value does not import Typer (~40 ms); tests compare it with Typer's own output."""
    if shell == "bash":
        return "\n".join(values), 0
    if shell == "zsh":
        if not values:
            return "_files", 0
        items = "\n".join(f'"{_zsh_escape(v)}"' for v in values)
        return f"_arguments '*: :(({items}))'", 0
    if shell == "fish":
        action = os.environ.get("_TYPER_COMPLETE_FISH_ACTION", "")
        if action == "is-args":
            return "", 0 if values else 1
        return ("\n".join(values) if action == "get-args" and values else ""), 0
    return None


def fast_answer() -> bool:
    """Answer a completion request for a value position straight from the cache, as Typer would print it.
    False: not handled here (Typer answers)."""
    req = request()
    if req is None:
        return False
    shell, args, incomplete = req
    kind = _kind(args, incomplete)
    if kind is None:
        return False
    reply = answer(shell, _safe(kind, incomplete))
    if reply is None:
        return False
    text, code = reply
    import sys

    if text:
        sys.stdout.write(text + "\n")
    sys.stdout.flush()
    if code:
        sys.exit(code)
    return True
