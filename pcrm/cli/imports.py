"""`pcrm import FILE`, `pcrm import history`, `pcrm import undo BATCH`.

`import` is one group whose first argument is either a subcommand (history, undo) or a file: any other
first argument is routed to the hidden `file` command, so `pcrm import Connections.csv --dry-run` works.
"""

from __future__ import annotations

import contextlib
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from pcrm.cli import _options as o
from pcrm.cli._output import Opts, confirm, err, out, run
from pcrm.cli._render import names_block, progress_bar
from pcrm.domain.wording import counted, kept_aside, tags_past_cap
from pcrm.services import imports


class _FileOrCommand(TyperGroup):
    """A group that treats an unknown first argument as `file ARG` (the default command)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["file", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_FileOrCommand,
    no_args_is_help=True,
    help="Bring contacts and messages in from files; list and undo imports.\n\n"
    "pcrm import FILE [--format F] [--dry-run] [--strict] [--tz ZONE] [--me NAME]\n\n"
    "Formats (detected from name and content when --format is not given): csv, google-csv, outlook-csv, "
    "linkedin (Connections.csv), linkedin-messages (messages.csv), linkedin-zip, json (a `pcrm export json` "
    "file, into an empty store), vcard (a .vcf file or a folder of them), whatsapp (an exported chat .txt), "
    "telegram (Telegram Desktop's result.json), x-archive (the X archive ZIP, its folder or "
    "data/direct-messages.js). Reruns change nothing; `pcrm import undo BATCH` reverts one.\n\n"
    "Example: pcrm import ~/Downloads/Connections.csv --dry-run",
)


# what a chat re-import takes out of what an earlier import kept [chat-takeouts]: WhatsApp's placeholders of
# deleted messages, LinkedIn's messages filed as spam and drafts never sent
_WITHDRAWN = {"linkedin": "spam or draft message"}


def _withdrawn(source: str) -> str:
    return _WITHDRAWN.get(source, "deleted message")


def _render_report(result: Any) -> None:
    from rich.markup import escape

    r, meta = result.data, result.meta
    head = "dry run, nothing written: would import" if meta.get("dry_run") else "imported"
    folded = (
        f"{counted(r['contacts_folded'], 'row')} folded into new ones, " if r.get("contacts_folded") else ""
    )
    # rows that name no contact are no unchanged contacts: said as the rows they are [import-report]
    no_one = int(r.get("rows_skipped_by_design") or 0)
    unchanged = r["contacts_skipped"] - no_one
    by_design = f", {counted(no_one, 'row')} skipped by design" if no_one else ""
    out().print(
        f"{head} {escape(meta.get('filename') or '')} ({meta.get('format')}): "
        # the noun with the first count, as a sync says it ("1 unchanged contacts" read wrong)
        f"{counted(r['contacts_created'], 'new contact')}, {folded}{r['contacts_updated']:,} updated, "
        f"{unchanged:,} unchanged{by_design} · {counted(r['interactions_created'], 'new message')}, "
        f"{r['interactions_skipped']:,} skipped"
        # the skipped messages stored already, said when other reasons are listed below them
        + (
            f" ({r['interactions_known']:,} already imported)"
            if r.get("interactions_known") and r.get("interactions_known") != r["interactions_skipped"]
            else ""
        )
        + (f", {r['interactions_completed']} completed" if r.get("interactions_completed") else "")
        + (
            f", took out {counted(r['interactions_withdrawn'], _withdrawn(r['source']))}"
            " an earlier import kept"
            + (
                f" and {counted(r['contacts_withdrawn'], 'contact')} it had made only for them"
                if r.get("contacts_withdrawn")
                else ""
            )
            if r.get("interactions_withdrawn")
            else ""
        )
        + (
            f", read {counted(r['interactions_reread'], 'message')} anew"
            " that an earlier import read otherwise"
            if r.get("interactions_reread")
            else ""
        ),
        soft_wrap=True,
    )
    for x in r.get("interactions_not_imported") or []:
        line = f"{counted(x['count'], 'message')} not imported: {escape(x['why'])}"
        out().print(line + (f" · hint: {escape(x['hint'])}" if x.get("hint") else ""), soft_wrap=True)
    notes = []
    if r.get("values_kept"):
        notes.append(kept_aside(r["values_kept"]))
    if r.get("values_removed"):  # [protected-fields]
        notes.append(f"{counted(r['values_removed'], 'value')} you removed by hand not added back")
    if r.get("text_repaired"):  # [mojibake]
        notes.append(f"{counted(r['text_repaired'], 'misread value')} repaired, each kept as written")
    if r.get("pending_review"):
        notes.append(f"{counted(r['pending_review'], 'pair')} to review: pcrm identity matches")
    if notes:
        out().print(" · ".join(notes), soft_wrap=True)
    past = r.get("tags_past_cap") or []  # [contact-tags]: every tag kept, said
    for c in past[:10]:
        out().print(f"{escape(c['display_name'])}: {tags_past_cap(c['tags'])}", soft_wrap=True)
    if len(past) > 10:
        out().print(f"... and {counted(len(past) - 10, 'other contact')} as well (see --json)")
    if me := meta.get("me_set"):  # the file's owner, now the `me` setting chat imports read
        said = ", ".join([*me["names"], *me["emails"], *me["phones"], *(f"@{h}" for h in me["handles"])])
        verb = "would set" if meta.get("dry_run") else "set"
        out().print(f"{verb} me (who you are, in chat imports) from the file: {escape(said)}", soft_wrap=True)
    if meta.get("dry_run"):
        names_block("new", meta.get("would_create") or [])
        names_block("updated", meta.get("would_update") or [])
    if r.get("batch_id"):
        out().print(
            f"batch {r['batch_id'][:8]} · undo with: pcrm import undo {r['batch_id'][:8]}", soft_wrap=True
        )
    elif not meta.get("dry_run") and not meta.get("backup"):
        # no batch: nothing was written, so `pcrm import history`'s newest batch is an earlier import's
        out().print("nothing changed, so no batch was recorded: there is nothing of this run to undo")
    elif meta.get("backup"):
        photos = f" and {counted(meta['avatars'], 'photo')}" if meta.get("avatars") else ""
        rows = counted(sum(meta.get("tables", {}).values()), "row")
        out().print(f"restored {rows}{photos}; the store before is saved at {escape(meta['backup'])}")
    if r["errors"]:
        console = err()
        console.print(f"[yellow]{counted(len(r['errors']), 'row problem')}:[/]")
        for e in r["errors"][:50]:
            console.print(f"  {escape(e)}", soft_wrap=True)
        if len(r["errors"]) > 50:
            console.print(f"  ... and {len(r['errors']) - 50} more (see --json)")
    if r["unmatched_names"]:
        names = ", ".join(r["unmatched_names"][:20])
        err().print(
            f"[yellow]no contact for {counted(len(r['unmatched_names']), 'name')}:[/] {escape(names)}"
            f"{' ...' if len(r['unmatched_names']) > 20 else ''}"
        )


@app.command("file", hidden=True)
def import_file(
    file: Annotated[str, typer.Argument(help="The file to import.")],
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="csv, google-csv, outlook-csv, linkedin, "
            "linkedin-messages, linkedin-zip, json, vcard, whatsapp, whatsapp-zip, "
            "telegram, x-archive (default: detected).",
        ),
    ] = None,
    dry_run: o.DryRun = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Any row error aborts; nothing is written.")
    ] = False,
    tz: Annotated[
        str | None,
        typer.Option("--tz", help="Zone for times without one (default: the `timezone` setting)."),
    ] = None,
    me: Annotated[
        list[str] | None,
        typer.Option("--me", help="Your name or email as the file writes it (tells sent from received)."),
    ] = None,
    me_id: Annotated[
        str | None,
        typer.Option(
            "--me-id",
            help="Your own account id where a file names people by id (an X archive without account.js).",
        ),
    ] = None,
    date_order: Annotated[
        str | None,
        typer.Option(
            "--date-order",
            help="dmy, mdy or ymd: how to read dates like 01/02/24 when the file leaves it open.",
        ),
    ] = None,
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map", help="COLUMN=FIELD: read a CSV column as a field, e.g. --map 'Vorname=first_name'."
        ),
    ] = None,
    json_out: o.Json = False,
    now: o.Now = None,
) -> None:
    """Import FILE (contacts CSV, Google/Outlook CSV, LinkedIn files or ZIP, a pcrm JSON export, vCards or a
    folder of them, a WhatsApp chat, a Telegram Desktop export, an X archive).

    Example: pcrm import ~/Downloads/Connections.csv --dry-run
    """
    bar, update = progress_bar(not json_out)

    # with a progress bar, the report is printed once the bar is gone
    opts = Opts(json_out, now=now, render=_render_report if bar is None else lambda r: None)
    with bar if bar is not None else contextlib.nullcontext():
        result = run(
            opts,
            imports.import_path,
            file,
            format=format,
            dry_run=dry_run,
            strict=strict,
            tz=tz,
            me=me,
            names=dry_run and not json_out,  # --json stays the API's envelope
            progress=update,
            date_order=date_order,
            columns=map_,
            me_id=me_id,
        )
    if bar is not None and result is not None and not json_out:
        _render_report(result)


@app.command("history")
def history(
    limit: o.Limit = None,
    offset: o.Offset = None,
    fmt: o.Format = None,
    fields: o.Fields = None,
    no_pager: o.NoPager = False,
    json_out: o.Json = False,
    nl: o.Nl = False,
) -> None:
    """List import batches, newest first.

    Example: pcrm import history --limit 5
    """
    from pcrm.cli._render import IMPORT_COLS, list_opts

    opts = list_opts(
        IMPORT_COLS,
        fmt,
        fields,
        json_out,
        nl,
        empty="no imports yet; try: pcrm import FILE --dry-run",
        more="--offset N or --limit N for more",
        no_pager=no_pager,
    )
    run(opts, imports.history, limit=limit, offset=offset)


@app.command("undo")
def undo(
    batch: Annotated[
        str, typer.Argument(help="The batch id or its first 8 characters (see `pcrm import history`).")
    ],
    dry_run: o.DryRun = False,
    yes: o.Yes = False,
    json_out: o.Json = False,
    now: o.Now = None,
) -> None:
    """Undo an import: remove what it created and revert what it changed (--dry-run: say who, change
    nothing).

    Example: pcrm import undo "$(pcrm import ~/Downloads/Connections.csv --json | jq -r .data.batch_id)"
    --dry-run
    """

    def call(ctx: Any) -> Any:
        if not dry_run:  # a batch that is not there, or no longer undoable, is said before any question
            target = imports.undo_target(ctx, batch)
            confirm(yes, f"Undo import batch {target['id'][:8]} ({target['filename'] or target['source']})?")
        return imports.undo(ctx, batch, dry_run=dry_run)

    def render(result: Any) -> None:
        from rich.markup import escape

        d = result.data
        dry = bool(result.meta.get("dry_run"))
        head = "dry run, nothing changed: would undo" if dry else "undid"
        # a dry run says what it would do, in the present; the undo what it did (it said `removed` for both,
        # and `removes:` after it was done)
        removed, reverted = ("remove", "revert") if dry else ("removed", "reverted")
        out().print(
            f"{head} batch {d['batch_id'][:8]}: {removed} {counted(d['contacts_removed'], 'contact')}, "
            f"{counted(d['interactions_removed'], 'interaction')}, {counted(d['events_removed'], 'event')}, "
            f"{counted(d['organizations_removed'], 'organization')}; "
            f"{reverted} {counted(d['contacts_reverted'], 'contact')}"
            + (
                f", {counted(d['interactions_reverted'], 'message')} it had completed"
                if d.get("interactions_reverted")
                else ""
            )
            + (
                f"; put back {counted(d['interactions_restored'], 'message')}"
                + (f" and {counted(d['contacts_restored'], 'contact')}" if d.get("contacts_restored") else "")
                + " it had taken out"
                if d.get("interactions_restored") or d.get("contacts_restored")
                else ""
            )
            + (
                f"; put {counted(d['interactions_read_back'], 'message')} back as an earlier import read "
                + ("it" if d["interactions_read_back"] == 1 else "them")
                if d.get("interactions_read_back")
                else ""
            )
            + "".join(f" and the {k} setting it had set" for k in d.get("settings_reverted") or ()),
            soft_wrap=True,
        )
        names_block("removes" if dry else "removed", d["removed_names"])
        names_block("reverts" if dry else "reverted", d["reverted_names"])
        keeps = "would keep" if result.meta.get("dry_run") else "kept"
        for k in d.get("kept_contacts") or ():
            err().print(
                f"[yellow]{keeps} {escape(k['display_name'])}[/] ({', '.join(k['why'])}): "
                f"remove it with `pcrm contacts rm {k['id'][:8]}` if it should go too",
                soft_wrap=True,
                markup=True,
            )
        for org in d.get("kept_organizations") or ():
            took = "would take back" if result.meta.get("dry_run") else "took back"
            domain = org["domain_removed"]
            gone = f"; {took} the domain {domain} it had given it" if domain else ""
            verb = "links" if org["contacts"] == 1 else "link"
            err().print(
                f"[yellow]{keeps} organization {escape(org['name'])}[/] "
                f"({counted(org['contacts'], 'contact')} outside the import {verb} to it){escape(gone)}",
                soft_wrap=True,
                markup=True,
            )
        if d["kept_later_edits"]:
            err().print(
                f"[yellow]kept {counted(len(d['kept_later_edits']), 'value')} changed after the import[/]"
            )

    run(Opts(json_out, now=now, render=render), call)
