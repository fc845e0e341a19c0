"""The `pcrm` command line: a thin shell over pcrm.services.

Start-up time (bench/cli_timing.py): each word after `pcrm` is declared once, in ENTRIES, with the one
line `pcrm --help` shows of it and the module that declares it. `main()` imports only the module of the
word argv names (none for `pcrm --help`), so command modules are free to import their services at module
level. `app`, the whole command line with every module imported, is built on first use (tests, tools).
"""

from __future__ import annotations

import functools
import os
import sys

from pcrm import __version__
from pcrm.cli import _complete, _help

# Start-up time: `pcrm --help` imports this module and, of the standard library, little more than os and
# sys (tests/cli/test_help.py): no typing, dataclasses (~10 ms with inspect) or importlib here.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Any

    import typer

# Typer is imported when an app is built, not with this module: a Tab on a contact name is answered
# before that (pcrm/cli/_complete.py) [shell-completion].


class Entry:
    """A word after `pcrm`: a command group, or (group=False) a command of its own.

    A plain class rather than a dataclass: importing dataclasses costs `pcrm --help` ~10 ms."""

    __slots__ = ("attr", "extends", "group", "help", "module", "name")

    def __init__(
        self,
        name: str,
        # what `pcrm --help` lists for it: the first sentence of its own help (tests/cli/test_fast.py checks)
        help: str,
        module: str,  # the module that declares it, imported only when argv names it
        attr: str,  # the typer.Typer group, or the command function, in that module
        group: bool = True,
        # modules that add commands to the group, imported after it, with the names each declares (tests check
        # them), so that a command of one imports that module alone
        extends: tuple[tuple[str, tuple[str, ...]], ...] = (),
    ) -> None:
        self.name = name
        self.help = help
        self.module = module
        self.attr = attr
        self.group = group
        self.extends = extends

    def __repr__(self) -> str:
        return f"Entry({self.name!r}, module={self.module!r}, attr={self.attr!r}, group={self.group})"


def _command(name: str, help: str, module: str, attr: str) -> Entry:
    return Entry(name, help, module, attr, group=False)


# In the order `pcrm --help` lists them (commands first, then groups).
ENTRIES: tuple[Entry, ...] = (
    _command("init", "Create the store (safe to run again).", "pcrm.cli.setup", "init"),
    _command(
        "paths",
        "Show where the database, avatars, backups, exports and run state live.",
        "pcrm.cli.setup",
        "paths",
    ),
    _command(
        "demo",
        "Fill an empty store with a realistic demo CRM and show who is overdue.",
        "pcrm.cli.setup",
        "demo",
    ),
    _command(
        "log",
        "Log an interaction by hand: a call, a meeting, a message sent elsewhere.",
        "pcrm.cli.interactions",
        "log",
    ),
    _command(
        "serve",
        "Serve the API (/api/v1, docs at /api/docs) on 127.0.0.1 until Ctrl-C or `pcrm daemon stop`.",
        "pcrm.cli.serve",
        "serve",
    ),
    _command(
        "digest",
        "The weekly digest of pending suggestions (--json: GET /suggestions/digest).",
        "pcrm.cli.suggestions",
        "digest",
    ),
    _command(
        "geocode",
        "Geocode contact locations for the map (needs `geocoding.provider`; only changed locations are sent "
        "unless --all; --dry-run: the requests that would be sent).",
        "pcrm.cli.geocode",
        "geocode",
    ),
    _command(
        "send",
        "Send a Telegram message to a contact, now or scheduled (it is logged as an outbound interaction).",
        "pcrm.cli.send",
        "send",
    ),
    _command("version", "Print pcrm's version.", "pcrm.cli.about", "version"),
    Entry(
        "contacts",
        "Add, find, edit and remove contacts.",
        "pcrm.cli.contacts",
        "app",
        extends=(
            ("pcrm.cli.contacts_activity", ("activity",)),
            ("pcrm.cli.contacts_edit", ("edit",)),
            ("pcrm.cli.contacts_identity", ("duplicates", "merge", "dismiss-duplicate", "unmerge")),
            (
                "pcrm.cli.contacts_views",
                (
                    "stats",
                    "birthdays",
                    "map",
                    "related",
                    "bulk-update",
                    "bulk-undo",
                    "bulk-updates",
                    "reconcile",
                    "promote",
                ),
            ),
            ("pcrm.cli.contacts_ai", ("extract-bio", "auto-tag", "enrich")),
        ),
    ),
    Entry("interactions", "A contact's timeline.", "pcrm.cli.interactions", "interactions_app"),
    Entry("note", "Notes about people: add, list, edit, remove.", "pcrm.cli.interactions", "note_app"),
    Entry(
        "tags",
        "Tags in use.",
        "pcrm.cli.interactions",
        "tags_app",
        extends=(
            ("pcrm.cli.tags", ("rename", "delete")),
            ("pcrm.cli.tags_ai", ("discover", "taxonomy", "approve", "apply")),
        ),
    ),
    Entry("db", "Backups, restore, integrity checks and migrations.", "pcrm.cli.setup", "db_app"),
    Entry(
        "daemon",
        "The background API daemon: status, stop, install at login, uninstall.",
        "pcrm.cli.daemon",
        "app",
    ),
    Entry("token", "API tokens for scripts: create, list, revoke.", "pcrm.cli.tokens", "app"),
    Entry(
        "account",
        "The local account: the login of the web UI and the browser extension.",
        "pcrm.cli.account",
        "app",
    ),
    Entry("mcp-key", "The MCP API key: status, create, revoke.", "pcrm.cli.mcp_key", "app"),
    Entry(
        "mcp",
        "The MCP server for AI agents: serve it on stdio, print an agent's config, list agents' writes.",
        "pcrm.cli.mcp_server",
        "app",
    ),
    Entry(
        "orgs",
        "Organizations: the companies your contacts work at.",
        "pcrm.cli.orgs",
        "app",
        extends=(("pcrm.cli.orgs_duplicates", ("duplicates",)),),
    ),
    Entry(
        "settings",
        "Show and change settings (follow-up intervals, suggestions, sync schedules, time zone, ...).",
        "pcrm.cli.settings",
        "app",
    ),
    Entry(
        "notifications",
        "Your notifications: sync results, suggestions, bio changes, problems to fix.",
        "pcrm.cli.notifications",
        "app",
    ),
    Entry("sync", "Sync your accounts and see how past syncs went.", "pcrm.cli.sync", "app"),
    Entry(
        "auth",
        "Connect your accounts (Google, Telegram, X, WhatsApp) so pcrm can sync them.",
        "pcrm.cli.auth",
        "app",
    ),
    Entry(
        "extension",
        "Pair the browser extension with pcrm, see the pairing, disconnect it.",
        "pcrm.cli.extension",
        "app",
    ),
    Entry(
        "jobs",
        "Background jobs the daemon runs on a schedule: list them, run one now.",
        "pcrm.cli.jobs",
        "app",
    ),
    Entry("activity", "What happened lately across all your contacts.", "pcrm.cli.activity", "app"),
    Entry(
        "second-tier",
        "2nd-tier contacts: people you only share groups with (tag `2nd tier`).",
        "pcrm.cli.second_tier",
        "app",
    ),
    Entry(
        "suggestions",
        "Who to get back in touch with, and a draft to start from.",
        "pcrm.cli.suggestions",
        "app",
    ),
    Entry("score", "Recompute relationship scores and explain them.", "pcrm.cli.score", "app"),
    Entry(
        "calendar",
        "The follow-up calendar (follow-ups and birthdays) as iCalendar.",
        "pcrm.cli.calendar",
        "app",
    ),
    Entry(
        "identity", "Find and merge duplicate contacts (one person, one contact).", "pcrm.cli.identity", "app"
    ),
    Entry(
        "import",
        "Bring contacts and messages in from files; list and undo imports.",
        "pcrm.cli.imports",
        "app",
    ),
    Entry("export", "Get everything out: lossless JSON, contacts CSV, vCard.", "pcrm.cli.exports", "app"),
    Entry(
        "ai",
        "AI drafts and classification through any `llm` model; keys for models.",
        "pcrm.cli.ai",
        "app",
    ),
    Entry(
        "secrets",
        "Where pcrm keeps its secrets (OAuth tokens, keys): status, encrypt with a passphrase.",
        "pcrm.cli.secrets_cli",
        "app",
    ),
)


def _load(entry: Entry, then: Sequence[str] | None = None) -> Any:
    """The group or command of this entry, its module (and the modules extending it) imported now.

    `then`: the words after the entry's name on the command line, when known. If the next word names a
    command (or sub-group) of the group's own module, the modules extending the group are not imported:
    only that command can run (`pcrm contacts list` does not pay for `contacts edit`'s imports); if it
    names one an extending module declares, that module alone is imported. Help, completion and unknown
    names get every module, in order. tests/cli/test_fast.py checks each module's list of names and that
    no name is declared twice, so the command that runs is the same either way."""
    import importlib

    group = getattr(importlib.import_module(entry.module), entry.attr)  # noqa: TID251 - lazy (start-up)
    want = then[0] if then else None
    if want is not None and want in _declared(group):
        return group
    modules = [name for name, declares in entry.extends if want in declares] or [
        name for name, _ in entry.extends
    ]
    for name in modules:
        importlib.import_module(name)  # noqa: TID251 - lazy: only the group argv names is imported (start-up)
    return group


def _declared(group: Any) -> set[str]:
    """The names of the commands and sub-groups registered on a typer.Typer so far."""
    from pcrm.cli import _fast

    names = {_fast._command_name(c) for c in group.registered_commands}
    names.update(_fast._group_name(g) for g in group.registered_groups)
    return {n for n in names if n}


def _not_loaded() -> None:
    """Stands in for a command in the top-level listing; main() loads every command that runs."""
    raise RuntimeError("this pcrm command was listed but not loaded")


def build_app(load: Iterable[str] = (), argv: Sequence[str] = ()) -> typer.Typer:
    """The root app: the entries named in `load` as their modules declare them, every other one as a
    stand-in with only its name and help (all that the top-level listing and usage errors show).

    `argv`: the command line to run, if known; the entry it names loads only what its next word needs
    (see `_load`)."""
    import typer

    from pcrm.cli import _fast, _root

    # Start-up time (bench/cli_timing.py): see pcrm/cli/_fast.py.
    _fast.install_fast_coercion()
    _help.install_example_lines()  # examples print on one line, whatever the width
    _help.install_usage_names()  # `CONTACT`, not `{contact}`, in usage lines
    app = typer.Typer(
        name="pcrm",
        # usage errors (with --json: the envelope), Ctrl-C and unanswered questions [cli-failures]
        cls=_root.Root,
        help=_help.APP_HELP,  # `pcrm --help` is printed by pcrm/cli/_help.py without Typer
        no_args_is_help=True,
        pretty_exceptions_show_locals=False,
        # Plain (click) help and usage errors: Typer's rich help imports rich and markdown-it (~75 ms of a
        # ~150 ms `pcrm --help`). Sub-groups inherit this. Command output still uses rich.
        rich_markup_mode=None,
        # --install-completion / --show-completion [shell-completion]
        add_completion=True,
        # click wraps help at 80 columns unless told otherwise; let examples stay on one line on a wide
        # terminal
        context_settings={
            "help_option_names": list(_help.HELP_OPTIONS),
            "max_content_width": _help.MAX_CONTENT_WIDTH,
        },
    )
    wanted = set(load)
    for entry in ENTRIES:
        loaded = entry.name in wanted
        then = list(argv[1:]) if argv and argv[0] == entry.name else None
        if entry.group:
            if loaded:
                app.add_typer(_load(entry, then), name=entry.name)
            else:
                app.add_typer(typer.Typer(), name=entry.name, help=entry.help)
        elif loaded:
            app.command(entry.name)(_load(entry))
        else:
            app.command(entry.name, help=entry.help)(_not_loaded)
    return app


@functools.cache
def full_app() -> typer.Typer:
    """Every group and command loaded: what `pcrm.cli.app` is."""
    return build_app(entry.name for entry in ENTRIES)


def __getattr__(name: str) -> Any:
    if name == "app":  # built on first use: importing pcrm.cli stays cheap
        return full_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _interrupted(e: SystemExit) -> bool:
    """Whether this exit is Typer's answer to Ctrl-C (exit 130 from a KeyboardInterrupt), which it makes
    without a word: pcrm then says `interrupted`, one line, as for a Ctrl-C before Typer runs. A command that
    handles Ctrl-C itself (a sync says what it kept) exits 130 without one, and prints its own."""
    cause: BaseException | None = e.__context__
    while cause is not None:
        if isinstance(cause, KeyboardInterrupt):
            return e.code == 130
        # `raise ... from None` (the sync's own message) hides what it replaced
        cause = cause.__cause__ or (None if cause.__suppress_context__ else cause.__context__)
    return False


def main() -> None:
    args = sys.argv[1:]
    if args in (["--version"], ["-V"]):  # what khard, gh and llm users type; `pcrm version` says the same
        print(__version__)
        return
    completing = _complete.request()  # a Tab in a shell with pcrm's completion installed
    if completing is not None:
        if _complete.fast_answer():  # a contact, tag or setting key: from the cache, no command module
            return
        args = completing[1]  # the words typed so far name the group to load, as for a run
    try:
        # `pcrm`, `pcrm --help`: the top-level help without importing Typer [fast-top-level-help]
        if completing is None and _help.answer(args, ENTRIES):
            return
        # Start-up allocates some 100k objects that live until exit (modules, functions, classes): the
        # cyclic garbage collector would scan them again and again (~5 ms, 40+ collections) for nothing. It
        # is off while they are made, and they are then frozen out of its way [start-up-gc].
        import gc

        gc.disable()
        try:
            from pcrm.cli import _fast

            app = _fast.lean_app(build_app(args[:1], args), args)  # loads and builds only what runs
        finally:
            gc.freeze()
            gc.enable()
        # prog_name: `python -m pcrm` completes, and says usage, as `pcrm` does
        app(prog_name="pcrm")
    except SystemExit as e:
        if _interrupted(e):  # Typer turns Ctrl-C into a silent exit 130
            sys.stderr.write("interrupted\n")
        raise
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
    except MemoryError:
        # [streamed-imports]: a clear error and an exit at once; unwinding (finalizers, threads) under a
        # memory limit could hang, and the store needs nothing: its open transaction is simply not committed
        sys.stderr.write(
            "error: pcrm ran out of memory; nothing was changed\n"
            "hint: raise the memory limit, or split the file and import the parts one by one\n"
        )
        sys.stderr.flush()
        os._exit(1)
    except BrokenPipeError:
        # `pcrm ... | head`: stop quietly and keep Python from complaining at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
