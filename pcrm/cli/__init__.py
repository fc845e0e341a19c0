"""The `pcrm` command line: a thin shell over pcrm.services.

Command modules import only typer at the top; services, rich and everything heavy load inside the
command that runs, so `pcrm --help` stays fast.
"""

from __future__ import annotations

import sys

import typer

from pcrm.cli import (  # noqa: F401  # noqa: F401 (contacts_activity registers)  # noqa: F401 (these two register)
    _fast,
    activity,
    calendar,
    contacts,
    contacts_activity,
    contacts_identity,
    contacts_views,
    identity,
    interactions,
    mcp_key,
    notifications,
    orgs,
    orgs_duplicates,
    score,
    second_tier,
    secrets_cli,
    serve,
    settings,
    setup,
    suggestions,
    sync,
    tokens,
)
from pcrm.cli import daemon as daemon_cli  # issue 4: daemon and tokens
from pcrm.cli import exports as exports_cli  # issue 7: import and export
from pcrm.cli import imports as imports_cli

# Start-up time (bench/cli_timing.py): see pcrm/cli/_fast.py.
_fast.install_fast_coercion()

app = typer.Typer(
    name="pcrm",
    help="A local-first personal CRM: your relationships in one SQLite file.\n\n"
    "Start with `pcrm demo` (in an empty PCRM_HOME) or `pcrm contacts add --name ...`.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    # Plain (click) help and usage errors: Typer's rich help imports rich and markdown-it (~75 ms of a
    # ~150 ms `pcrm --help`). Sub-groups inherit this. Command output still uses rich.
    rich_markup_mode=None,
    add_completion=False,
    # click wraps help at 80 columns unless told otherwise; let examples stay on one line on a wide terminal
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 160},
)

app.command("init")(setup.init)
app.command("paths")(setup.paths)
app.command("demo")(setup.demo)
app.command("log")(interactions.log)
app.add_typer(contacts.app, name="contacts")
app.add_typer(interactions.interactions_app, name="interactions")
app.add_typer(interactions.note_app, name="note")
app.add_typer(interactions.tags_app, name="tags")
app.add_typer(setup.db_app, name="db")
app.command("serve")(serve.serve)
app.add_typer(daemon_cli.app, name="daemon")
app.add_typer(tokens.app, name="token")
app.add_typer(mcp_key.app, name="mcp-key")
app.add_typer(orgs.app, name="orgs")
app.add_typer(settings.app, name="settings")
app.add_typer(notifications.app, name="notifications")
app.add_typer(sync.app, name="sync")
app.add_typer(activity.app, name="activity")
app.add_typer(second_tier.app, name="second-tier")
app.add_typer(suggestions.app, name="suggestions")
app.command("digest")(suggestions.digest)
app.add_typer(score.app, name="score")
app.add_typer(calendar.app, name="calendar")
app.add_typer(identity.app, name="identity")
app.add_typer(imports_cli.app, name="import")
app.add_typer(exports_cli.app, name="export")
app.add_typer(secrets_cli.app, name="secrets")


@app.command("version")
def version() -> None:
    """Print pcrm's version.

    Example: pcrm version
    """
    from pcrm import __version__

    print(__version__)


def main() -> None:
    try:
        _fast.lean_app(app, sys.argv[1:])()  # builds only the group that runs
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
    except BrokenPipeError:
        # `pcrm ... | head`: stop quietly and keep Python from complaining at exit.
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
