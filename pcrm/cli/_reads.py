"""Which commands only read the store [opening-the-store].

A command that only reads has nothing to show on a store that is not there, and making one would hide a
mistyped PCRM_HOME behind an empty answer ("no contacts yet", exit 0). `run` (pcrm/cli/_output.py) opens the
store of these commands without creating it: on a missing store they fail with `no pcrm store at PATH` and a
hint, and nothing is created; a command run with `--dry-run` is such a read too, but an import's, which
answers from an empty store in a temporary folder (`import_dry_run`), creating nothing either. Every
other command opens the store as it always has, creating it where there is none (`pcrm init`, `pcrm demo`,
`pcrm contacts add`, `pcrm import`, ...).

tests/cli/test_missing_store.py checks that each command of the CLI is named in READS or in OTHERS, so a new
command cannot be left out of the decision, and that each one of READS creates nothing on a missing store.
"""

from __future__ import annotations

# the command path after `pcrm`, as `pcrm contacts list -h` spells it
READS = frozenset(
    {
        "account show",
        "activity recent",
        "ai models",
        "auth google accounts",
        "auth whatsapp status",
        "calendar export",
        "contacts activity",
        "contacts birthdays",
        "contacts bulk-updates",
        "contacts duplicates",
        "contacts ids",
        "contacts list",
        "contacts map",
        "contacts overdue",
        "contacts related",
        "contacts search",
        "contacts show",
        "contacts stats",
        "db backup",
        "db backups",
        "db check",
        "digest",
        "export csv",
        "export ics",
        "export json",
        "export vcard",
        "extension status",
        "identity history",
        "identity matches",
        "import history",
        "interactions list",
        "jobs list",
        "mcp config",
        "mcp log",
        "mcp-key status",
        "note list",
        "notifications list",
        "notifications unread-count",
        "orgs list",
        "orgs merges",
        "orgs show",
        "orgs stats",
        "score explain",
        "second-tier count",
        "settings show",
        "suggestions list",
        "sync history",
        "sync stats",
        "sync status",
        "tags list",
        "tags taxonomy",
        "token list",
    }
)

# Commands that write (and so may make the store: `init`, `demo`, `contacts add`, `import file`, ...), that
# open the store their own way (`db backups`, `db restore`, `db migrate`, `serve`), or that do not open it.
OTHERS = frozenset(
    {
        "account create",
        "account password",
        "ai classify",
        "ai compose",
        "ai key rm",
        "ai key set",
        "auth google rm",
        "auth telegram disconnect",
        "auth whatsapp connect",
        "auth whatsapp disconnect",
        "auth whatsapp qr",
        "auth whatsapp secret",
        "auth x disconnect",
        "contacts add",
        "contacts auto-tag",
        "contacts bulk-undo",
        "contacts bulk-update",
        "contacts delete",
        "contacts dismiss-duplicate",
        "contacts edit",
        "contacts enrich",
        "contacts extract-bio",
        "contacts merge",
        "contacts promote",
        "contacts reconcile",
        "contacts rm",
        "contacts tag",
        "contacts unmerge",
        "contacts untag",
        "daemon install",
        "daemon status",
        "daemon stop",
        "daemon uninstall",
        "db migrate",
        "db restore",
        "demo",
        "extension disconnect",
        "extension pair",
        "geocode",
        "identity merge",
        "identity reject",
        "identity scan",
        "import file",
        "import undo",
        "init",
        "jobs run",
        "log",
        "mcp-key create",
        "mcp-key revoke",
        "note add",
        "note edit",
        "note rm",
        "notifications read",
        "notifications read-all",
        "orgs add",
        "orgs duplicates dismiss",
        "orgs duplicates merge",
        "orgs duplicates scan",
        "orgs edit",
        "orgs logos",
        "orgs merge",
        "orgs rm",
        "orgs unmerge",
        "paths",
        "score recalc",
        "second-tier rm",
        "secrets encrypt",
        "secrets rm",
        "secrets set",
        "secrets status",
        "send",
        "serve",
        "settings reset",
        "settings set",
        "suggestions dismiss",
        "suggestions edit",
        "suggestions generate",
        "suggestions regenerate",
        "suggestions reopen",
        "suggestions sent",
        "suggestions snooze",
        "sync emails",
        "sync gmail",
        "sync google",
        "sync google-calendar",
        "sync google-contacts",
        "sync google_calendar",
        "sync google_contacts",
        "sync memory",
        "sync reset",
        "sync telegram",
        "sync twitter",
        "sync whatsapp",
        "tags apply",
        "tags approve",
        "tags delete",
        "tags discover",
        "tags rename",
        "token create",
        "token revoke",
        "version",
    }
)


# Groups that only read when run alone: `pcrm suggestions` and `pcrm notifications` list as their `list` does,
# `pcrm orgs duplicates` lists the pairs to review. Without this, each made an empty store on a mistyped
# PCRM_HOME and answered "none yet". (The groups that connect an account when run alone, `pcrm auth google`,
# `auth x`, `auth telegram`, write.)
BARE_READS = frozenset({"notifications", "orgs duplicates", "suggestions"})


# `pcrm import FILE --dry-run` on a new PCRM_HOME says what the file would bring into an empty store (what
# a first import is asked before it runs): it answers from an empty store in a temporary folder, removed
# after, and makes nothing at PCRM_HOME [opening-the-store].
IMPORT_DRY_RUN = "import file"


def _running() -> tuple[str, bool]:
    """The command running now (its words after the program's name) and whether it is a dry run."""
    from typer._click.globals import get_current_context

    ctx = get_current_context(silent=True)
    dry = ctx is not None and any(v is True for k, v in ctx.params.items() if k.startswith("dry_run"))
    words: list[str] = []
    while ctx is not None and ctx.parent is not None:  # the root's name is whatever ran it (pcrm, python -m)
        words.insert(0, ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(words), dry


def only_reads() -> bool:
    """Whether the command running now is one of READS, a group of BARE_READS run alone, or a dry run
    (`--dry-run` of any command but IMPORT_DRY_RUN: it changes nothing, so it makes no store either) (False
    outside a command)."""
    path, dry = _running()
    return path in READS or path in BARE_READS or (dry and path != IMPORT_DRY_RUN)


def import_dry_run() -> bool:
    """Whether the command running now is IMPORT_DRY_RUN: on a missing store it answers from a scratch one."""
    path, dry = _running()
    return dry and path == IMPORT_DRY_RUN
