"""`pcrm export json|csv|vcard [--output FILE]` (vcard: `[--version 3.0|4.0] [--dir]`).

Another format is one more command on `app` that calls `run_export("name", ...)` after registering its
writer with `pcrm.services.exports.register(name, fn, suffix)`.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from pcrm.cli import _complete
from pcrm.cli import _options as o
from pcrm.cli._output import Opts, at_terminal, confirm, err, run
from pcrm.cli._render import busy
from pcrm.domain.wording import counted
from pcrm.errors import BadRequest, Conflict
from pcrm.services import calendar, exports, vcard_export

app = typer.Typer(help="Get everything out: lossless JSON, contacts CSV, vCard.", no_args_is_help=True)

Output = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file, or a new file in this folder (default, or -: stdout).",
        callback=o.dash_is_stdout,
    ),
]
Replace = Annotated[
    bool,
    typer.Option(
        "--yes", "-y", help="Replace an existing --output file without asking (needed off a terminal)."
    ),
]
# --json of an export is the summary of the file it wrote: the export itself goes to stdout or --output
SummaryJson = Annotated[
    bool,
    typer.Option(
        "--json", help="Print the summary of the written file as the API envelope (needs --output)."
    ),
]
FolderReplace = Annotated[
    bool,
    typer.Option(
        "--yes",
        "-y",
        help="Replace an existing --output file without asking (needed off a terminal); with --dir, make the "
        "folder hold this selection alone when it holds the cards of other filters.",
    ),
]
# The contact list's filters [contact-list], for csv and vcard
TagF = Annotated[
    str | None, typer.Option("--tag", help="Only contacts with this tag.", autocompletion=_complete.tags)
]
SearchF = Annotated[
    str | None,
    typer.Option(
        "--search",
        "-s",
        help="Only contacts matching this text (as contacts list).",
        callback=o.contact_search,
    ),
]
PriorityF = Annotated[str | None, typer.Option("--priority", help="Only high, medium or low priority.")]
SourceF = Annotated[str | None, typer.Option("--source", help="Only contacts from this source.")]
ScoreF = Annotated[str | None, typer.Option("--score", help="Only strong (8+), active (4-7) or dormant.")]
# archived contacts, as the contact list takes them [archived-exports]: a filter leaves them out unless asked
InclArchivedF = Annotated[
    bool,
    typer.Option("--include-archived", help="With a filter: archived contacts too (without one: always)."),
]
ArchivedOnlyF = Annotated[bool, typer.Option("--archived-only", help="Only archived contacts.")]


def archived_notice(meta: dict[str, Any]) -> None:
    """Say on stderr which archived contacts an export's filters left out, and how to add them."""
    hidden = meta.get("archived_left_out")
    if hidden:
        err().print(
            f"left out {counted(hidden, 'archived contact')} that {'matches' if hidden == 1 else 'match'}; "
            f"add --include-archived to export {'it' if hidden == 1 else 'them'} too",
            soft_wrap=True,
            markup=False,
        )


def photos_notice(data: dict[str, Any]) -> None:
    """Say on stderr how many photos a CSV export could not carry, and which export keeps them
    [csv-photos]."""
    n = data.get("photos_left_out")
    if n:
        err().print(
            f"left out {counted(n, 'photo')} pcrm keeps as {'a file' if n == 1 else 'files'}: a CSV holds a "
            "photo's web address only; `pcrm export vcard` (or `pcrm export json`) keeps photos",
            soft_wrap=True,
            markup=False,
        )


def _filters(**kw: Any) -> dict[str, Any] | None:
    return {k: v for k, v in kw.items() if v is not None} or None


def _target(ctx: Any, output: str | None, suffix: str, yes: bool) -> str | None:
    """The file --output names, checked by the service (never the store's own files); an existing one is
    replaced only once the user agreed or gave --yes [confirm-destructive]."""
    if not output:
        return None
    path = exports.output_file(ctx, output, suffix, replace=True)
    if path.is_file():
        confirm(yes, f"Replace {path}?")
    return str(path)


def run_export(
    fmt: str,
    output: str | None,
    json_out: bool,
    now: str | None,
    yes: bool = False,
    hint: str | None = None,
    **options: Any,
) -> None:
    """Stream the export to stdout, or write it to --output and say where (--json: the summary envelope)."""

    def call(ctx: Any) -> Any:
        if json_out and not output:
            raise BadRequest(
                "--json prints a summary of the written file; give --output FILE",
                hint=hint or f"e.g. pcrm export {fmt} --output pcrm.{fmt} --json",
            )
        target = _target(ctx, output, exports.EXPORTERS[fmt][1], yes)
        stream = None if target else sys.stdout.buffer
        with busy(f"exporting {fmt}…", streaming=not target):
            return exports.export(ctx, fmt, output=target, stream=stream, replace=True, **options)

    def render(result: Any) -> None:
        if result.data["path"]:
            d = result.data
            # the calendar says its events and the contacts they are for, as `calendar export` does
            what = (
                f"{counted(d['events'], 'event')} for {counted(d['contacts'], 'contact')}"
                if "events" in d
                else counted(d["contacts"], "contact")
            )
            err().print(
                f"wrote {what} to {d['path']} ({counted(d['bytes'], 'byte')})",
                soft_wrap=True,
                markup=False,
            )
        photos_notice(result.data)
        archived_notice(result.meta)

    run(Opts(json_out, now=now, render=render), call)


@app.command("json")
def export_json(
    output: Output = None, yes: Replace = False, json_out: SummaryJson = False, now: o.Now = None
) -> None:
    """Export the whole store as lossless JSON (no secrets);
    `pcrm import FILE` restores it into an empty store.

    Example: pcrm export json --output ~/pcrm-backup.json
    """
    run_export("json", output, json_out, now, yes)


@app.command("csv")
def export_csv(
    output: Output = None,
    escape_formulas: Annotated[
        bool,
        typer.Option(
            "--escape-formulas/--no-escape-formulas",
            help="Prefix cells starting with = + - @ with an apostrophe so a spreadsheet shows them as text "
            "(default); --no-escape-formulas writes them as stored, for scripts.",
        ),
    ] = True,
    tag: TagF = None,
    search: SearchF = None,
    priority: PriorityF = None,
    source: SourceF = None,
    score: ScoreF = None,
    include_archived: InclArchivedF = False,
    archived_only: ArchivedOnlyF = False,
    yes: Replace = False,
    json_out: SummaryJson = False,
    now: o.Now = None,
) -> None:
    """Export contacts as CSV (one row per contact, its extra fields one a line in the last column; the
    columns `pcrm import` reads back); --tag, --search, --priority, --source and --score pick contacts as
    `pcrm contacts list` does (archived ones with --include-archived or --archived-only).

    Example: pcrm export csv --tag investor --output investors.csv
    """
    filters = _filters(
        tag=tag,
        search=search,
        priority=priority,
        source=source,
        score=score,
        include_archived=include_archived or None,
        archived_only=archived_only or None,
    )
    run_export("csv", output, json_out, now, yes, escape_formulas=escape_formulas, filters=filters)


@app.command("vcard")
def export_vcard(
    output: Output = None,
    version: Annotated[
        str, typer.Option("--version", help="vCard version: 3.0 (every phone) or 4.0.")
    ] = "3.0",
    directory: Annotated[
        bool,
        typer.Option(
            "--dir",
            help="Write a vdir: one <uuid>.vcf per contact into the --output folder, removing the cards pcrm "
            "wrote there for contacts it no longer exports (deleted, merged, not selected).",
        ),
    ] = False,
    keep_stale: Annotated[
        bool,
        typer.Option(
            "--keep-stale",
            help="With --dir: leave the cards of contacts no longer exported in the folder.",
        ),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="With --dir: write and remove nothing; name the cards the export would remove.",
        ),
    ] = False,
    tag: TagF = None,
    search: SearchF = None,
    priority: PriorityF = None,
    source: SourceF = None,
    score: ScoreF = None,
    include_archived: InclArchivedF = False,
    archived_only: ArchivedOnlyF = False,
    yes: FolderReplace = False,
    json_out: SummaryJson = False,
    now: o.Now = None,
) -> None:
    """Export contacts as vCards (labels, addresses, birthdays, photos); `pcrm import FILE` reads them back.
    --tag, --search, --priority, --source and --score pick contacts as `pcrm contacts list` does (archived
    ones with --include-archived or --archived-only). A --dir
    folder remembers the filters it was written with: other filters that would remove its cards of contacts
    still here are refused (--yes replaces them, --keep-stale adds to them).

    Example: pcrm export vcard --tag investor --version 4.0 --output investors.vcf
    """
    filters = _filters(
        tag=tag,
        search=search,
        priority=priority,
        source=source,
        score=score,
        include_archived=include_archived or None,
        archived_only=archived_only or None,
    )

    def call(ctx: Any) -> Any:
        if json_out and not output:
            raise BadRequest(
                "--json prints a summary of the written file; give --output FILE",
                hint="e.g. pcrm export vcard --output contacts.vcf --json",
            )
        target = output if directory else _target(ctx, output, vcard_export.SUFFIX, yes)

        def go(reselect: bool) -> Any:
            with busy("exporting vCards…", streaming=not target):
                return vcard_export.export_vcard(
                    ctx,
                    version=version,
                    output=target,
                    directory=directory,
                    stream=None if target else sys.stdout.buffer,
                    filters=filters,
                    replace=True,
                    keep_stale=keep_stale,
                    dry_run=dry_run,
                    reselect=reselect,
                )

        try:
            return go(directory and yes)
        except Conflict as refused:  # the folder holds another selection [vcard-folders]: asked at a terminal
            if not refused.details.get("selection_change") or not at_terminal():
                raise
            d = refused.details
            confirm(
                False,
                f"{output} holds the cards of {'; '.join(d['held'])}. Remove the cards of "
                f"{counted(len(d['would_remove']), 'contact')} this export leaves out ({d['contacts']}), "
                "so that it holds this selection alone?",
            )
        return go(True)

    def render(result: Any) -> None:
        if result.meta.get("dry_run"):  # [vcard-folders]
            d = result.data
            files = counted(d["contacts"], f"vCard {d['version']} file")
            said = f"would write {files} (one per contact) in {d['path']}"
            if d["removed"]:
                said += f" and remove {counted(d['removed'], 'card')} pcrm wrote there earlier: " + ", ".join(
                    d["removed_files"]
                )
            err().print(f"{said} (dry run: nothing changed)", soft_wrap=True, markup=False)
            return
        if result.data["path"]:
            d = result.data
            size = counted(d["bytes"], "byte")
            if d["directory"]:  # a vdir: one file per contact
                files = counted(d["contacts"], f"vCard {d['version']} file")
                said = f"{files} (one per contact) in {d['path']}"
            else:
                said = f"{counted(d['contacts'], 'contact')} (vCard {d['version']}) to {d['path']}"
            err().print(f"wrote {said} ({size})", soft_wrap=True, markup=False)
            if d["directory"] and d["removed"]:  # [vcard-folders]
                err().print(
                    f"removed {counted(d['removed'], 'card')} pcrm wrote there earlier for contacts no "
                    "longer exported (deleted, merged or not selected); --keep-stale keeps them",
                    soft_wrap=True,
                    markup=False,
                )
            archived_notice(result.meta)

    run(Opts(json_out, now=now, render=render), call)


@app.command("ics")
def export_ics(
    output: Output = None, yes: Replace = False, json_out: SummaryJson = False, now: o.Now = None
) -> None:
    """Export the follow-up calendar: an all-day event per follow-up due, and yearly birthdays.

    Example: pcrm export ics --output ~/pcrm-followups.ics
    """
    exports.register(
        "ics",
        calendar.ics_chunks,
        "ics",
        count=calendar.calendar_contact_count,
        events=calendar.calendar_event_count,
    )
    # as every export, --json is the written file's summary; the calendar itself inside the envelope is
    # `pcrm calendar export --json` (GET /calendar.ics has no envelope), so the refusal names it
    hint = (
        "e.g. pcrm export ics --output pcrm.ics --json; `pcrm calendar export --json` puts the calendar in it"
    )
    run_export("ics", output, json_out, now, yes, hint=hint)
