"""`pcrm interactions list`, `pcrm note add|edit|rm`, `pcrm log`, `pcrm tags list`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import Opts, Ref, confirm, err, everything, moment, out, run
from pcrm.cli._render import TAG_COLS, done, list_opts, timeline_opts
from pcrm.services import contacts, interactions
from pcrm.services.context import Result

interactions_app = typer.Typer(help="A contact's timeline.", no_args_is_help=True)
note_app = typer.Typer(help="Notes about people: add, list, edit, remove.", no_args_is_help=True)
tags_app = typer.Typer(help="Tags in use.", no_args_is_help=True)

Contact = o.Contact
At = Annotated[
    str | None,
    typer.Option(
        "--at",
        help="When: 2026-03-14, 2026-03-14T09:30, yesterday, yesterday 18:00, monday (the last one), "
        "last friday 18:00, 3d ago, tomorrow 14:30, next friday, in 2 days.",
    ),
]


AT = (("occurred_at", "--at"),)  # errors about the time name the option [cli-failures]
# and errors about the text name what the user gave, not the API's field
NOTE = (*AT, ("content_preview", "the note"))
LOGGED = (*AT, ("content_preview", "the text"))
NO_INTERACTIONS = "no interactions; log one with `pcrm log CONTACT TEXT`"


@interactions_app.command("list")
def list_(
    contact: Contact,
    limit: o.Limit = None,
    offset: o.Offset = None,
    platform: Annotated[
        str | None,
        typer.Option("--platform", help="Only this platform's: email, telegram, manual, call, ..."),
    ] = None,
    all_: o.All = False,
    fmt: o.Format = None,
    fields: o.Fields = None,
    no_pager: o.NoPager = False,
    json_out: o.Json = False,
    nl: o.Nl = False,
) -> None:
    """List a contact's interactions, newest first (50 unless --limit; --all or --nl: every one; --format,
    --fields: id, when, platform, dir, content, via), then the planned ones (dated after now) apart under
    `upcoming`, soonest first (--json and --nl keep the API's order: newest first, planned ones at the
    head); `via` names who recorded one when it was not you (such as mcp:add_note, an AI agent through
    the MCP server).

    Example: pcrm interactions list "Ada Lovelace" --limit 10 --platform email
    """
    empty = NO_INTERACTIONS
    if platform:  # the timeline may be full of other platforms' messages: say which were asked for
        import shlex

        empty = (
            f"no {platform.strip().lower()} interactions; "
            f"every platform's: `pcrm interactions list {shlex.quote(contact)}`"
        )
    _timeline(contact, platform, empty, limit, offset, all_, fmt, fields, no_pager, json_out, nl)


def _timeline(
    contact: str,
    platform: str | None,
    empty: str,
    limit: int | None,
    offset: int | None,
    all_: bool,
    fmt: str | None,
    fields: str | None,
    no_pager: bool,
    json_out: bool,
    nl: bool,
) -> None:
    """A contact's timeline as `interactions list` and `note list` print it (GET
    /contacts/{id}/interactions), `empty` said when it holds nothing."""
    opts, apart = timeline_opts(fmt, fields, json_out, nl, empty=empty, no_pager=no_pager)
    run(
        opts,
        interactions.list_interactions,
        Ref(contacts.resolve_ref, contact),
        limit=limit,
        offset=offset,
        platform=platform,
        everything=everything(all_, nl, limit=limit, offset=offset),
        planned_apart=apart,
    )


def _added(result: Any) -> None:
    i = result.data
    out().print(f"logged {i['platform']} {i['direction']} at {moment(i['occurred_at'])} [dim]{i['id']}[/]")
    if result.meta.get("note"):  # a note kept as such, a time far ahead [future-interactions]
        err().print(f"note: {result.meta['note']}", markup=False, soft_wrap=True)


@note_app.command("add")
def note_add(
    contact: Contact,
    text: Annotated[str, typer.Argument(help=f"The note; {o.FROM_STDIN}")],
    at: At = None,
    json_out: o.Json = False,
    now: o.Now = None,
) -> None:
    """Add a note to a contact's timeline (it counts as activity).

    Example: pcrm note add "Ada Lovelace" "lunch at the British Library" --at yesterday

    Example: echo "lunch at the British Library" | pcrm note add "Ada Lovelace" -
    """
    text = o.text_or_stdin(text)
    run(
        Opts(json_out, now=now, render=_added, options=NOTE),
        interactions.add_note,
        Ref(contacts.resolve_ref, contact),
        text,
        at=at,
    )


@note_app.command("list")
def note_list(
    contact: Contact,
    limit: o.Limit = None,
    offset: o.Offset = None,
    all_: o.All = False,
    fmt: o.Format = None,
    fields: o.Fields = None,
    no_pager: o.NoPager = False,
    json_out: o.Json = False,
    nl: o.Nl = False,
) -> None:
    """List a contact's notes and what was logged on platform manual, newest first, planned ones apart under
    `upcoming`: `pcrm interactions list CONTACT --platform manual` (GET
    /contacts/{id}/interactions?platform=manual), with its options.

    Example: pcrm note list "Ada Lovelace" --limit 5
    """
    import shlex

    empty = f"no notes; add one with `pcrm note add {shlex.quote(contact)} TEXT`"
    _timeline(contact, "manual", empty, limit, offset, all_, fmt, fields, no_pager, json_out, nl)


@note_app.command("edit")
def note_edit(
    interaction: Annotated[str, typer.Argument(help="The note's id or id prefix.")],
    text: Annotated[str, typer.Argument(help=f"The new text; {o.FROM_STDIN}")],
    json_out: o.Json = False,
    now: o.Now = None,
) -> None:
    """Change the text of a note.

    Example: pcrm note edit "$(pcrm note add "Ada Lovelace" lunch --json | jq -r .data.id)"
    "lunch and a long walk"
    """
    text = o.text_or_stdin(text)

    def render(result: Any) -> None:
        from rich.markup import escape

        i = result.data
        if result.meta.get("unchanged"):  # the text it has [no-op-edits]
            err().print(f"nothing to change: note {i['id'][:8]} already has the text given", markup=False)
            return
        out().print(f"updated note {i['id']}: {escape(i['content_preview'] or '')}")

    run(
        Opts(json_out, now=now, render=render, options=NOTE),
        interactions.update_interaction,
        interaction,
        {"content_preview": text},
        what="note",
    )


@note_app.command("rm")
def note_rm(
    interaction: Annotated[str, typer.Argument(help="The note's id or id prefix.")],
    yes: o.Yes = False,
    json_out: o.Json = False,
    now: o.Now = None,
) -> None:
    """Delete a note (asks first; --yes when not at a terminal).

    Example: pcrm note rm "$(pcrm note add "Ada Lovelace" "tea at four" --json | jq -r .data.id)" --yes
    """

    def call(ctx: Any) -> Any:
        # what cannot go (an unknown id, a synced message) is said before the question, which names the
        # note: an id prefix alone does not show which one would go
        item = interactions.to_delete(ctx, interaction, what="note")
        what = "note" if item["direction"] == "note" else f"{item['platform']} {item['direction']}"
        text = " ".join((item.get("content_preview") or "").split())
        text = f": {text[:60]}…" if len(text) > 60 else f": {text}" if text else ""
        confirm(
            yes,
            f"Delete the {what} on {item['contact_name']} of {moment(item['occurred_at'])} "
            f"({item['id'][:8]}){text}?",
        )
        return interactions.delete_interaction(ctx, item["id"])

    run(Opts(json_out, now=now, render=done("deleted {id}")), call)


def log(
    contact: Contact,
    text: Annotated[str | None, typer.Argument(help=f"What was said (optional); {o.FROM_STDIN}")] = None,
    platform: Annotated[
        str, typer.Option("--platform", help="call, meeting, email, telegram, whatsapp, sms, ...")
    ] = "call",
    direction: Annotated[
        str, typer.Option("--direction", help="inbound (they reached out), outbound (you did) or mutual.")
    ] = "mutual",
    at: At = None,
    json_out: o.Json = False,
    now: o.Now = None,
) -> None:
    """Log an interaction by hand: a call, a meeting, a message sent elsewhere.

    Example: pcrm log "Ada Lovelace" --platform call --direction inbound --at "2026-03-14T18:00"
    "talked about the engine"
    """
    text = o.text_or_stdin(text)
    data = {"platform": platform, "direction": direction, "content_preview": text, "occurred_at": at}
    run(
        Opts(json_out, now=now, render=_added, options=LOGGED),
        interactions.log_interaction,
        Ref(contacts.resolve_ref, contact),
        data,
    )


@tags_app.command("list")
def tags_list(
    fmt: o.Format = None,
    fields: o.Fields = None,
    no_pager: o.NoPager = False,
    json_out: o.Json = False,
    nl: o.Nl = False,
) -> None:
    """List the tags in use, with how many contacts carry each (as `contacts list --tag` counts them) and
    how many archived ones too.

    Example: pcrm tags list --format csv
    """
    opts = list_opts(
        TAG_COLS,
        fmt,
        fields,
        json_out,
        nl,
        empty="no tags yet: pcrm contacts tag CONTACT TAG",
        no_pager=no_pager,
    )
    render = opts.render

    def with_counts(result: Any) -> None:  # the service answers names, with the counts in meta
        assert render is not None
        counts, archived = result.meta.get("counts", {}), result.meta.get("archived", {})
        rows = [{"tag": t, "count": counts.get(t, 0), "archived": archived.get(t, 0)} for t in result.data]
        render(Result(rows, {}))

    run(Opts(opts.json_out, nl=opts.nl, render=with_counts), contacts.list_tags)
