"""`pcrm suggestions ...` and `pcrm digest`: the follow-up queue [followup-engine] [weekly-digest]."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import Opts, Ref, err, moment, out, resolve, run, shown, when
from pcrm.domain.suggestions import reason_label
from pcrm.domain.wording import counted
from pcrm.services import digest as digest_svc
from pcrm.services import suggestions as svc

app = typer.Typer(help="Who to get back in touch with, and a draft to start from.")
# the fields `suggestions edit` fills, named in its errors as its options [cli-failures]
SUGGESTION_OPTIONS = (("suggested_message", "--message"), ("suggested_channel", "--channel"))

Id = Annotated[
    str,
    typer.Argument(
        help="A suggestion id (or a prefix of 4+ characters), or the contact it is for: name, email, ..."
    ),
]


def _ref(ctx: Any, text: str, *, sent: bool = False, done: str | None = None) -> str:
    """A suggestion by id, else by its contact (with the picker when the name fits several people): the
    contact's open suggestion, or with `sent` the one most recently marked sent; with none, the one already
    in the status `done` the command sets (svc.for_contact), so a repeat by name says what one by id says."""
    found = svc.resolve_id(ctx, text)
    if found is not None:
        return found
    contact_id = resolve(ctx, Ref(lambda c, t: svc.contact_of(c, t, sent=sent, done=done), text))
    return svc.for_contact(ctx, contact_id, text, sent=sent, done=done)


def _sent_ref(ctx: Any, text: str) -> str:
    return _ref(ctx, text, sent=True, done="pending")


def _ref_for(done: str) -> Any:
    """The reference of a command that sets status `done`."""
    return lambda ctx, text: _ref(ctx, text, done=done)


Channel = Annotated[
    str | None, typer.Option("--channel", "-c", help="email, telegram, twitter, linkedin or whatsapp.")
]


# words, not markup: the listing's empty line also goes through `nothing`, which prints text as typed
NO_SUGGESTIONS = "no suggestions (make some with `pcrm suggestions generate`)"
NOTHING_NEW = (
    "nobody new to suggest now (people with an open suggestion, one dismissed in the last 30 days "
    "or a follow-up sent in the last 14 are skipped; the queue: `pcrm suggestions list`)"
)


def _table(result: Any, empty: str = NO_SUGGESTIONS) -> None:
    """One block per suggestion: who, why, channel and last contact, then the draft; `empty` when none."""
    from rich.markup import escape
    from rich.table import Table

    items = result.data
    console = out()
    if not items:
        console.print(f"[dim]{escape(empty)}[/]")
        return
    for s in items:
        c = s["contact"]
        why = f"{escape(reason_label(s['trigger_type']))} · via {s['suggested_channel']}"
        lines = [f"[bold]{escape(c['display_name'])}[/]  {why} · last {when(c.get('last_interaction_at'))}"]
        if s.get("reason"):
            lines.append(f"[italic]{escape(s['reason'])}[/]")
        lines.append(escape(s["suggested_message"]))
        if console.soft_wrap:  # a pipe or a file: each line stays one line [pipe-friendly-output]
            console.print(f"[dim]{s['id'][:8]}[/]  " + "\n          ".join(lines))
            continue
        # at a terminal two columns, so that a line too long for it wraps under its own start, not at the
        # left edge under the ids (a draft at COLUMNS=60 broke out of its block)
        block = Table.grid(padding=(0, 2))
        block.add_column(no_wrap=True)
        block.add_column()
        for i, line in enumerate(lines):
            block.add_row(f"[dim]{s['id'][:8]}[/]" if i == 0 else "", line)
        console.print(block)


_ALREADY = {
    "dismissed": "was already dismissed",
    "sent": "was already marked sent",
    "snoozed": "is already snoozed",
    "pending": "is already in the queue (pending)",
}


def _one(verb: str) -> Any:
    def render(result: Any) -> None:
        from rich.markup import escape

        s = result.data
        name = s["contact"]["display_name"]
        extra = f" until {moment(s['scheduled_for'])}" if s["status"] == "snoozed" else ""
        if result.meta.get("unchanged"):  # asked for what it is already [no-op-edits]
            state = _ALREADY.get(s["status"], s["status"]) + extra
            if verb == "edited":
                state = "already has the draft and channel given"
            err().print(f"suggestion {s['id'][:8]} ({escape(name)}) {state}; nothing to change")
        else:
            out().print(f"{verb} {s['id'][:8]} ({escape(name)}): {s['status']}{extra}")
        if result.meta.get("note"):
            err().print(f"[yellow]note:[/] {escape(result.meta['note'])}", soft_wrap=True)

    return render


@app.callback(invoke_without_command=True)
def main(ctx: typer.Context, json_out: o.Json = False, nl: o.Nl = False, now: o.Now = None) -> None:
    """Pending follow-up suggestions (the same as `pcrm suggestions list`).

    Example: pcrm suggestions generate && pcrm suggestions
    """
    if ctx.invoked_subcommand is None:
        list_(json_out=json_out, nl=nl, now=now)
        return
    o.pass_down(ctx, json_out=json_out, nl=nl, now=now)


@app.command("list")
def list_(
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, max=svc.LIST_LIMIT.hi, help="At most this many.")
    ] = None,
    fmt: o.Format = None,
    fields: o.Fields = None,
    no_pager: o.NoPager = False,
    json_out: o.Json = False,
    nl: o.Nl = False,
    now: o.Now = None,
) -> None:
    """List pending suggestions, newest first (GET /suggestions): at a terminal one block per person with the
    draft; with --format, --fields or in a pipe one row each (id, who, why, channel, last, reason, draft).

    Example: pcrm suggestions generate && pcrm suggestions list --format csv --fields who,channel,draft
    """
    from pcrm.cli._render import SUGGESTION_COLS, list_opts
    from pcrm.cli._table import resolve_format

    if fmt is None and fields is None and resolve_format(None, json_out, nl)[0] == "table":
        opts = Opts(json_out, nl=nl, now=now, render=_table)
    else:
        opts = list_opts(
            SUGGESTION_COLS,
            fmt,
            fields,
            json_out,
            nl,
            now,
            empty=NO_SUGGESTIONS,
            more="--limit N shows more",
            no_pager=no_pager,
        )
    run(opts, svc.list_suggestions, limit=limit)


@app.command("generate")
def generate(json_out: o.Json = False, nl: o.Nl = False, now: o.Now = None) -> None:
    """Pick the people to get back in touch with now, with a reason and a draft (POST /suggestions/generate).

    Example: pcrm suggestions generate --now 2026-06-01T08:00:00Z
    """

    def render(result: Any) -> None:
        if result.meta.get("locked"):
            err().print("another generation is running; nothing new")
            return
        _table(result, NOTHING_NEW)
        if result.meta["generated"]:  # none: NOTHING_NEW has said so, once
            err().print(f"[dim]{counted(result.meta['generated'], 'new suggestion')}[/]")

    run(Opts(json_out, nl=nl, now=now, render=render), svc.generate)


@app.command("snooze")
def snooze(
    suggestion: Id,
    days: Annotated[
        int | None, typer.Option("--days", help="Snooze for this many days (default 14; e.g. 30, 90).")
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            "--until",
            help="Snooze until then: tomorrow, friday, next monday, in 3 days, in 2 weeks, 2026-12-24, ...",
        ),
    ] = None,
    json_out: o.Json = False,
    now: o.Now = None,
) -> None:
    """Hide a suggestion until later (two weeks unless --days or --until); it comes back by itself
    (PUT /suggestions/{id}).

    Example: pcrm suggestions generate && pcrm suggestions snooze "Shafi Okafor" --days 30
    """
    if days is None and until is None:
        days = svc.SNOOZE_DAYS.default  # two weeks
    run(
        Opts(
            json_out,
            now=now,
            render=_one("snoozed"),
            options=(("snooze_until", "--until"), ("scheduled_for", "--until")),
        ),
        svc.snooze,
        Ref(_ref_for("snoozed"), suggestion),
        days=days,
        until=until,
    )


@app.command("dismiss")
def dismiss(suggestion: Id, json_out: o.Json = False, now: o.Now = None) -> None:
    """Dismiss a suggestion; that person is not suggested again for 30 days (PUT /suggestions/{id}).

    Example: pcrm suggestions generate && pcrm suggestions dismiss "Shafi Okafor"
    """
    run(
        Opts(json_out, now=now, render=_one("dismissed")),
        svc.update_suggestion,
        Ref(_ref_for("dismissed"), suggestion),
        {"status": "dismissed"},
    )


@app.command("sent")
def sent(suggestion: Id, json_out: o.Json = False, now: o.Now = None) -> None:
    """Mark a suggestion as sent: records the follow-up (14-day cooldown) (PUT /suggestions/{id}).

    Example: pcrm suggestions generate && pcrm suggestions sent "Shafi Okafor"
    """
    run(
        Opts(json_out, now=now, render=_one("marked")),
        svc.update_suggestion,
        Ref(_ref_for("sent"), suggestion),
        {"status": "sent"},
    )


@app.command("reopen")
def reopen(suggestion: Id, json_out: o.Json = False, now: o.Now = None) -> None:
    """Put a suggestion marked sent by mistake back in the queue, as pending (PUT /suggestions/{id}).
    The follow-up it recorded stays on the contact.

    Example: pcrm suggestions generate && pcrm suggestions sent "Shafi Okafor"
    && pcrm suggestions reopen "Shafi Okafor"
    """
    run(
        Opts(json_out, now=now, render=_one("reopened")),
        svc.reopen,
        Ref(_sent_ref, suggestion),
    )


@app.command("edit")
def edit(
    suggestion: Id,
    message: Annotated[
        str | None, typer.Option("--message", "-m", help=f"The new draft; {o.FROM_STDIN}")
    ] = None,
    channel: Channel = None,
    json_out: o.Json = False,
    now: o.Now = None,
) -> None:
    """Change a suggestion's draft or channel (PUT /suggestions/{id}).

    Example: pcrm suggestions generate && pcrm suggestions edit "Shafi Okafor" --message "Coffee next week?"
    --channel telegram
    """
    run(
        Opts(json_out, now=now, render=_one("edited"), options=SUGGESTION_OPTIONS),
        svc.edit_draft,
        Ref(_ref, suggestion),
        message=o.text_or_stdin(message),
        channel=channel,
    )


@app.command("regenerate")
def regenerate(suggestion: Id, channel: Channel = None, json_out: o.Json = False, now: o.Now = None) -> None:
    """Draft the message again, optionally for another channel (POST /suggestions/{id}/regenerate).

    Example: pcrm suggestions generate && pcrm suggestions regenerate "Shafi Okafor" --channel email
    """

    def render(result: Any) -> None:
        from rich.markup import escape

        out().print(
            f"[bold]{result.data['suggested_channel']}[/]: {escape(result.data['suggested_message'])}"
        )

    body = {"channel": channel} if channel else {}
    run(Opts(json_out, now=now, render=render), svc.regenerate, Ref(_ref, suggestion), body)


def digest(
    format: Annotated[
        str | None, typer.Option("--format", "-f", help="text (the default), md or html.", show_default=False)
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            min=1,
            help="At most this many people in each part: overdue, and suggested (default 5).",
            show_default=False,
        ),
    ] = None,
    json_out: o.Json = False,
    now: o.Now = None,
) -> None:
    """The weekly digest of pending suggestions (--json: GET /suggestions/digest).

    --json gives every pending suggestion, uncapped and unrendered: not with --limit or --format.

    Example: pcrm digest --format html --limit 5 > digest.html
    """
    import sys

    if json_out:
        # [weekly-digest]: --json is the API's uncapped list, which takes neither; ignoring them gave every
        # suggestion to `pcrm digest --json --limit 2` without a word
        given = [name for name, value in (("--limit", limit), ("--format", format)) if value is not None]
        if given:
            rest = (
                "drop --json for the rendered digest, whose --limit caps both its overdue and its suggested "
                "people"
            )
            raise typer.BadParameter(
                "--json gives every pending suggestion (GET /suggestions/digest), uncapped and unrendered, "
                f"so it takes no {' or '.join(given)}; {rest}",
                param_hint=given[0],
            )
        run(Opts(json_out=True, now=now), svc.digest)
        return

    def render(result: Any) -> None:
        sys.stdout.write(shown(result.data["content"]))  # [terminal-text]
        sys.stdout.flush()

    run(Opts(now=now, render=render), digest_svc.digest_document, format or "text", limit=limit or 5)
