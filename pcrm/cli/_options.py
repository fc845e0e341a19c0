"""Options shared by many commands, declared once."""

from __future__ import annotations

from typing import Annotated, Any, overload

import typer

from pcrm.cli import _complete

Json = Annotated[bool, typer.Option("--json", help="Print the API envelope as JSON.")]
Nl = Annotated[bool, typer.Option("--nl", help="Print one JSON object per line (lists).")]
Now = Annotated[
    str | None,
    typer.Option(
        "--now",
        help="Pretend it is this time (2026-03-14T09:30, yesterday, 3d ago), for reproducible runs.",
        envvar="PCRM_NOW",
        show_envvar=False,
    ),
]
Yes = Annotated[
    bool,
    typer.Option("--yes", "-y", help="Go ahead without asking (needed when not at a terminal)."),
]
# a question only a person at a terminal is asked; a script goes ahead unasked (bulk updates and their undo)
YesAtTerminal = Annotated[
    bool,
    typer.Option("--yes", "-y", help="Go ahead without asking (a script is never asked)."),
]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Show what would change; change nothing.")]
Page = Annotated[int | None, typer.Option("--page", min=1, help="Page number (from 1).")]
PageSize = Annotated[int | None, typer.Option("--page-size", min=1, help="Rows per page.")]
Limit = Annotated[int | None, typer.Option("--limit", min=1, help="At most this many rows.")]
Offset = Annotated[int | None, typer.Option("--offset", min=0, help="Skip this many rows.")]
All = Annotated[bool, typer.Option("--all", help="Every row, not one page (--nl always streams every row).")]
Format = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help="table (default at a terminal), plain (tab-separated, default in a pipe), csv, json or nl.",
    ),
]
Fields = Annotated[
    str | None,
    typer.Option(
        "--fields",
        # no example here: the columns differ by command (`suggestions list` has who, why, draft), so any
        # example misleads most of them; an unknown column is refused with the command's list
        help="Columns to show, comma-separated, in that order (a wrong name lists the columns).",
    ),
]
NoPager = Annotated[
    bool, typer.Option("--no-pager", help="Print a long table straight to the terminal, without $PAGER.")
]


def _no_filter(kind: str, value: str, ctx: typer.Context) -> typer.BadParameter:
    return typer.BadParameter(
        f"{value!r} is no search term once trimmed ({kind} are not searched), and as no filter at all it "
        f"would take every one; give a term, or leave --search out: {ctx.command_path}"
    )


def dash_is_stdout(value: str | None) -> str | None:
    """--output of a command that writes to stdout by default: "-" is stdout, as for most tools, not a file
    named "-" in the working folder (`pcrm export vcard --output -` wrote one)."""
    return None if value == "-" else value


def contact_search(ctx: typer.Context, value: str | None) -> str | None:
    """--search of the contact list's filters [contact-list]: a term that is nothing once trimmed ("", "  ",
    "@") is a usage error, not every contact (`contacts list`, `ids`, `export csv --search " "` took them
    all). The API's empty `search=` stays no filter: reference clients send it."""
    if value is None:
        return None
    from pcrm.domain.query import no_search_term

    refused = no_search_term(value)
    if refused is not None:
        raise typer.BadParameter(
            f"{refused.message}, and as no filter at all it would take every one; give a term, or leave "
            f"--search out: {ctx.command_path}"
        )
    return value


def name_search(ctx: typer.Context, value: str | None) -> str | None:
    """--search of a list searched by name (`orgs list`): blank once trimmed is a usage error, as
    contact_search's."""
    from pcrm.domain.query import no_name_term

    if value == "" or (value is not None and no_name_term(value) is not None):
        raise _no_filter("spaces", value, ctx)
    return value


# Arguments and options whose values shell completion offers [shell-completion].
Contact = Annotated[
    str,
    typer.Argument(
        help="A contact: id or id prefix, email, full name, first name or @handle.",
        autocompletion=_complete.contact_names,
    ),
]


# the end of the help of every argument or option that takes free text (a note, a message, notes)
FROM_STDIN = "- reads it from stdin (a file, a pipe, a heredoc)."


@overload
def text_or_stdin(text: str) -> str: ...
@overload
def text_or_stdin(text: None) -> None: ...
def text_or_stdin(text: str | None) -> str | None:
    """A free-text argument or option, or all of stdin when it is `-` (a file, a pipe, a heredoc), trimmed;
    every command taking free text passes it through here, so `-` means stdin everywhere. stdin is read as
    bytes and decoded as UTF-8 the way Python decodes arguments (surrogateescape), whatever the locale: text
    that is not UTF-8 then reaches the service, which refuses it with a hint [text-limits]. An empty stdin
    is an error [free-text-stdin]."""
    if text != "-":
        return text
    import sys

    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text-only stdin (an embedding host): already decoded
        read = str(sys.stdin.read()).strip()
    else:
        read = bytes(stream.read()).decode("utf-8", "surrogateescape").strip()
    if not read:
        _empty_stdin()
    return read


def _empty_stdin() -> None:
    """`-` found nothing on stdin (an empty file, a pipe whose command failed): an error, never an empty
    text, which would clear a contact's notes [free-text-stdin]."""
    from typer._click.globals import get_current_context

    from pcrm.cli._output import fail
    from pcrm.errors import ValidationError

    ctx = get_current_context(silent=True)
    hint = 'give the text instead of -, or pipe some in (echo "..." | pcrm ...)'
    if ctx is not None and "notes" in ctx.params:  # only a command with --notes has notes to empty
        hint += "; to empty the notes: --clear notes"
    fail(
        ValidationError(
            "`-` reads the text from stdin, and stdin was empty: nothing changed", field="stdin", hint=hint
        ),
        bool(ctx is not None and ctx.params.get("json_out")),
    )


def pass_down(ctx: Any, **given: Any) -> None:
    """Hand the options a group took before its subcommand (`pcrm suggestions --json list`, `pcrm
    notifications --unread list`) to the subcommand, as defaults of its own options of the same names: the
    group takes them for the bare `pcrm suggestions`, and they were dropped without a word when a
    subcommand followed, so a script asking for JSON read a table. Options not given are not passed."""
    values = {k: v for k, v in given.items() if v is not None and v is not False}
    name = getattr(ctx, "invoked_subcommand", None)
    if not values or name is None:
        return
    defaults = dict(ctx.default_map or {})
    defaults[name] = {**(defaults.get(name) or {}), **values}
    ctx.default_map = defaults
