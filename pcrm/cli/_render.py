"""Rich renderings shared by several command groups."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from pcrm.cli._output import (
    EVERY_ONE,
    Opts,
    display_zone,
    err,
    fail,
    local_date,
    moment,
    out,
    page_footer,
    when,
)
from pcrm.cli._table import Col, one_line, pick, print_rows, resolve_format
from pcrm.domain.models import display_name
from pcrm.domain.suggestions import reason_label
from pcrm.domain.wording import counted, listed_tags
from pcrm.errors import PcrmError
from pcrm.formats.textio import list_cell


def _first(values: Any) -> str:
    return str(values[0]) if values else ""


def undo_line(result: Any) -> None:
    """`undo with: pcrm contacts bulk-undo ID` under a change journalled as a bulk update (a bulk update, AI
    tagging, a tag rename or delete, an organization's edit, removal or addition) [bulk-undo]: the service's
    meta.undo, when it made one."""
    if result.meta.get("undo"):
        out().print(f"undo with: {result.meta['undo']}", markup=False, soft_wrap=True)


def ago(ts: str | None) -> str:
    """A past (or future) time for people, in days of the display zone against the clock (--now)
    [local-days]: today, yesterday, 33 days ago, 5 months ago, 2 years ago; '-' for none."""
    if not ts:
        return "-"
    from pcrm import clock

    then = local_date(ts)
    if then is None:
        return ts[:10]
    days = (clock.now(display_zone).astimezone(display_zone()).date() - then).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days == -1:
        return "tomorrow"
    n = abs(days)
    if n < 60:
        text = f"{n} days"
    elif n < 730:
        text = f"{n // 30} months"
    else:
        text = f"{n // 365} years"
    return f"{text} ago" if days > 0 else f"in {text}"


def _priority_style(c: dict[str, Any]) -> str | None:
    return {"high": "bold red", "low": "dim", "archived": "dim"}.get(c.get("priority_level") or "")


def _score_style(c: dict[str, Any]) -> str | None:
    score = c.get("relationship_score")
    if not isinstance(score, int):
        return None
    return "green" if score >= 8 else "dim" if score <= 3 else None


def _overdue_style(c: dict[str, Any]) -> str | None:
    days = c.get("days_overdue")
    if not isinstance(days, int):
        return None
    return "bold red" if days >= 60 else "yellow" if days >= 14 else None


def _days_overdue(c: dict[str, Any]) -> str:
    days = c.get("days_overdue")
    return counted(days, "day") if isinstance(days, int) else ""


CONTACT_COLS = (
    Col("id", lambda c: c["id"], keep=9, short=lambda c: c["id"][:8]),
    Col("name", display_name, keep=10, flex=True, least=12, most=28),
    Col("company", lambda c: c.get("company") or "", keep=6, flex=True, least=10, most=24),
    Col("email", lambda c: _first(c.get("emails")), default=False, keep=4, flex=True, least=12, most=30),
    Col("phone", lambda c: _first(c.get("phones")), default=False, keep=3),
    Col("title", lambda c: c.get("title") or "", default=False, keep=2, flex=True, least=8, most=24),
    # as stored, MM-DD or YYYY-MM-DD; `contacts birthdays` shows it, a list on demand (--sort birthday)
    Col("birthday", lambda c: c.get("birthday") or "", default=False, keep=2),
    Col("score", lambda c: str(c.get("relationship_score", "")), keep=7, right=True, style=_score_style),
    Col("priority", lambda c: c.get("priority_level") or "", keep=4, style=_priority_style),
    # a table says how long ago; plain and csv keep the date, for scripts
    Col(
        "last",
        lambda c: when(c.get("last_interaction_at")),
        keep=8,
        short=lambda c: ago(c.get("last_interaction_at")),
    ),
    Col(
        "tags",
        lambda c: listed_tags(c.get("tags") or []),
        keep=1,
        flex=True,
        least=8,
        most=30,
        csv=lambda c: list_cell(c.get("tags") or []),  # `a; b`, as imports read it [list-csv]
    ),
)


def contact_cols(extra: tuple[str, str] | None = None) -> tuple[Col, ...]:
    """The contact list's columns; `extra` = (key, header) adds a view's own number after `last`."""
    if not extra:
        return CONTACT_COLS
    key, header = extra
    overdue = key == "days_overdue"
    col = Col(
        header,
        lambda c: str(c.get(key, "")),
        keep=8,
        # a table says "178 days", as the digest says "178 days overdue"; plain and csv keep the number
        short=_days_overdue if overdue else None,
        right=True,
        style=_overdue_style if overdue else None,
    )
    at = [c.name for c in CONTACT_COLS].index("last") + 1
    return (*CONTACT_COLS[:at], col, *CONTACT_COLS[at:])


def _turns(c: dict[str, Any]) -> str:
    """The age a contact turns on the birthday `days_until_birthday` away, when the year of birth is known."""
    born, days = c.get("birthday") or "", c.get("days_until_birthday")
    if len(born) != 10 or not born[:4].isdigit() or not isinstance(days, int):
        return ""
    from datetime import timedelta

    from pcrm import clock

    today = clock.now(display_zone).astimezone(display_zone()).date()
    return str((today + timedelta(days=days)).year - int(born[:4]))


def birthday_cols() -> tuple[Col, ...]:
    """`contacts birthdays`: who, the birthday itself, in how many days and the age they turn, then the
    contact list's columns [upcoming-birthdays]."""
    by_name = {c.name: c for c in CONTACT_COLS}
    own = (
        replace(by_name["birthday"], default=True, keep=9),
        Col("in days", lambda c: str(c.get("days_until_birthday", "")), keep=9, right=True),
        Col("turns", _turns, keep=8, right=True, hide_empty=True),
    )
    rest = tuple(c for c in CONTACT_COLS if c.name not in ("id", "name", "birthday"))
    return (by_name["id"], by_name["name"], *own, *rest)


def list_renderer(
    cols: tuple[Col, ...],
    fmt: str | None = None,
    fields: str | None = None,
    *,
    title: str | None = None,
    empty: str | Callable[[Any], str] = "nothing to show",
    more: str = EVERY_ONE,
    pager: bool = True,
) -> Any:
    """A renderer printing a list result in `fmt` with the --fields columns, then `showing N of M` on
    stderr. `fmt` is what resolve_format decided (table or plain when not given). `empty` may be made from
    the result's meta (a search that found nobody names the people it may have meant)."""
    chosen = pick(cols, fields)  # a bad --fields fails before the store is opened

    def render(result: Any) -> None:
        items = result.data
        total = result.meta.get("total")
        # a page past the end of a list that has rows: the footer says so, not `empty` ("no imports yet")
        said = None if isinstance(total, int) and total > 0 else empty(result) if callable(empty) else empty
        resolved = fmt or resolve_format(None, False, False)[0]
        print_rows(items, chosen, resolved, title=title, empty=said, pager=pager, asked=fields is not None)
        page_footer(result.meta, len(items), more)

    return render


def timeline_opts(
    fmt: str | None, fields: str | None, json_out: bool, nl: bool, *, empty: str, no_pager: bool
) -> tuple[Opts, bool]:
    """The Opts of a contact's timeline (`interactions list`, `note list`) and whether its planned
    interactions come apart [future-interactions]: in the text formats, what happened, newest first, then
    under `upcoming` what is planned, soonest first (the heading where `nothing` would speak: in a table on
    stdout, on stderr for plain and csv, whose rows run on); --json and --nl keep the API's order, newest
    first, the planned ones at its head."""
    try:
        resolved, json_out, nl = resolve_format(fmt, json_out, nl)
        chosen = pick(INTERACTION_COLS, fields)
    except PcrmError as e:
        fail(e, json_out)
        raise  # fail() always exits; this keeps mypy's flow analysis honest
    if json_out or nl:
        return Opts(json_out, nl=nl), False

    def render(result: Any) -> None:
        ahead, planned = result.meta.get("upcoming") or [], int(result.meta.get("upcoming_total") or 0)
        said = None if result.meta.get("total") or planned else empty
        asked = fields is not None
        if resolved == "csv":  # one header: the planned rows follow the others
            print_rows([*result.data, *ahead], chosen, resolved, empty=said, asked=asked)
        else:
            print_rows(result.data, chosen, resolved, empty=said, pager=not no_pager, asked=asked)
        page_footer(result.meta, len(result.data))
        if not ahead:
            return
        console = out() if resolved == "table" else err()
        if result.data and resolved == "table":
            console.print()
        shown = f"the first {len(ahead)}, " if planned > len(ahead) else ""
        planned_n = counted(planned, "planned interaction")
        console.print(f"[bold]upcoming[/] [dim]({planned_n}, {shown}soonest first)[/]")
        if resolved != "csv":
            print_rows(ahead, chosen, resolved, empty=None, pager=False, asked=asked)

    return Opts(json_out, render=render), True


def list_opts(
    cols: tuple[Col, ...],
    fmt: str | None,
    fields: str | None,
    json_out: bool,
    nl: bool,
    now: str | None = None,
    *,
    title: str | None = None,
    empty: str | Callable[[Any], str] = "nothing to show",
    more: str = EVERY_ONE,
    no_pager: bool = False,
    also: tuple[str, ...] = (),
) -> Opts:
    """The Opts of a list command with --format and --fields (a bad value of either exits 1 here, before
    the store is opened). `also`: formats the command answers itself (`contacts list --format mutt`),
    named in the refusal's hint."""
    try:
        resolved, json_out, nl = resolve_format(fmt, json_out, nl, also)
        render = list_renderer(
            cols, resolved, fields, title=title, empty=empty, more=more, pager=not no_pager
        )
    except PcrmError as e:
        fail(e, json_out)
        raise  # fail() always exits; this keeps mypy's flow analysis honest
    return Opts(json_out, nl=nl, now=now, render=render)


def mutt_rows(result: Any) -> None:
    """mutt's query_command format: a status line, then `email<TAB>name<TAB>company` for every email of
    every contact (`set query_command = "pcrm contacts list --format mutt --search %s"`)."""
    lines = [
        "\t".join(one_line(v) for v in (email, c.get("full_name") or "", c.get("company") or "")) + "\n"
        for c in result.data
        for email in c.get("emails") or []
    ]
    sys.stdout.write(f"pcrm: {counted(len(lines), 'address', 'addresses')}\n" + "".join(lines))
    sys.stdout.flush()


def contact_table(
    result: Any,
    *,
    title: str | None = None,
    extra: tuple[str, str] | None = None,
    fmt: str | None = None,
    fields: str | None = None,
) -> None:
    list_renderer(contact_cols(extra), fmt, fields, title=title, empty="no contacts")(result)


_SHOW_ORDER = (
    "full_name",
    "given_name",
    "family_name",
    "emails",
    "phones",
    "company",
    "title",
    "priority_level",
    "relationship_score",
    "interaction_count",
    "last_interaction_at",
    "last_followup_at",
    "birthday",
    "location",
    "tags",
    "twitter_handle",
    "twitter_user_id",
    "telegram_username",
    "telegram_user_id",
    "linkedin_url",
    "linkedin_profile_id",
    "whatsapp_phone",
    "notes",
    "source",
    "created_at",
    "updated_at",
)


def score_line(ex: dict[str, Any]) -> str:
    """The score's one-line explanation: `6/10: recency 3/3, frequency 1/2, reciprocity 2/4, ...`, the
    dimensions that give points first."""
    dims = sorted(ex["dimensions"].items(), key=lambda kv: (-kv[1]["value"], kv[0]))
    parts = ", ".join(f"{name} {d['value']}/{d['max']}" for name, d in dims)
    return f"{ex['score']}/10" + (" (capped)" if ex.get("capped") else "") + f": {parts}"


def _labelled(values: list[Any], labels: dict[str, str], *, fold: bool = False) -> str:
    """Phones or e-mails as `contacts show` lists them, each with its label (`+1 555 0100 (pager)`): one a
    line when any has a label, so a label never wraps away from its value."""
    out = []
    for x in values:
        label = labels.get(str(x).lower() if fold else str(x))
        out.append(f"{x} ({label})" if label else str(x))
    return ("\n" if any(labels.get(str(x).lower() if fold else str(x)) for x in values) else ", ").join(out)


def contact_detail(
    result: Any,
    *,
    score: dict[str, Any] | None = None,
    other: list[dict[str, str]] | None = None,
    labels: dict[str, dict[str, str]] | None = None,
) -> None:
    from rich.markup import escape
    from rich.table import Table

    c = result.data
    table = Table(show_header=False, show_edge=False, box=None, padding=(0, 2, 0, 0))
    # in a narrow terminal a value folds onto the next lines, never cut short (an id or an address cut
    # with "…" cannot be copied), and a long label folds too rather than leave its value no room
    table.add_column(style="bold cyan", overflow="fold", max_width=max(12, out().width // 2))
    table.add_column(overflow="fold", min_width=12)
    table.add_row("id", c["id"])
    if not c.get("full_name"):
        table.add_row("shown as", escape(display_name(c)))  # no name: what lists show instead
    for key in _SHOW_ORDER:
        v = c.get(key)
        if v in (None, [], ""):
            continue
        if key == "tags":
            v = listed_tags(v)  # [tag-commas]
        elif key in ("phones", "emails") and labels:  # each with its label (pager, work fax, Google Voice)
            v = _labelled(v, labels.get(key) or {}, fold=key == "emails")
        elif isinstance(v, list):
            v = ", ".join(str(x) for x in v)
        if key == "relationship_score" and score is not None:
            v = score_line(score)
        elif key in ("created_at", "updated_at"):
            v = moment(str(v))
        elif key.endswith("_at"):
            v = f"{ago(str(v))} ({when(str(v))})"
        table.add_row(key.replace("_", " "), escape(str(v)))
    for o in other or ():  # values kept beside the contact's own (a merge's, an import's, a vCard's extras)
        table.add_row(escape(o["what"]), escape(o["value"]))
    out().print(table)


def contact_events(events: list[dict[str, Any]]) -> None:
    """A contact's detected events (a job change an import recorded, ...), newest first, one line each,
    under `contacts show` and `contacts activity` [job-changes]."""
    from rich.markup import escape
    from rich.padding import Padding
    from rich.table import Table

    if not events:
        return
    # the summary wraps: what a job change says of the old position is at its end
    table = Table(show_header=False, show_edge=False, box=None, padding=(0, 2, 0, 0))
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    for e in events:
        kind = str(e["event_type"]).replace("_", " ")
        table.add_row(ago(e["detected_at"]), escape(kind), escape(" ".join((e.get("summary") or "").split())))
    console = out()
    console.print()
    console.print("[bold]events[/]")
    console.print(Padding(table, (0, 0, 0, 2)))


def recent_timeline(result: Any) -> None:
    """The recent interactions under `contacts show`, one line each, and how to see the rest; then the
    planned ones (after now) apart, under `upcoming`, soonest first [future-interactions]: a meeting booked
    for 2030 was listed first among the recent ones ("in 3 years")."""
    console = out()
    items, ahead = result.data, result.meta.get("upcoming") or []
    console.print()
    if not items and not ahead:
        console.print("[dim]no interactions yet[/]")
        return
    if items:
        console.print("[bold]recent[/]")
        _timeline_lines(items, result.meta.get("total", len(items)))
    if ahead:
        if items:
            console.print()
        console.print("[bold]upcoming[/]")
        _timeline_lines(ahead, result.meta.get("upcoming_total", len(ahead)))


def _timeline_lines(items: list[dict[str, Any]], total: int) -> None:
    from rich.markup import escape

    console = out()
    for i in items:
        text = " ".join(said(i).split())
        kind = f"{escape(i['platform']):<9} {escape(i['direction']):<8}"
        console.print(
            f"  {ago(i['occurred_at']):<14} {kind} {escape(text)}",
            overflow="ellipsis",
            no_wrap=True,
            crop=True,
        )
    if total > len(items):
        # the contact's own id prefix, so the line can be pasted as it is
        console.print(
            f"[dim]  {len(items)} of {total} · pcrm interactions list {items[0]['contact_id'][:8]} --all[/]"
        )


def said(i: dict[str, Any]) -> str:
    """An interaction's text as lists show it: with "(edited)" when the chat marked it so, and the
    reactions it drew (`extra_data.reactions`: an X DM's) after it [chat-takeouts]."""
    text = i.get("content_preview") or ""
    extra = i.get("extra_data")
    if not isinstance(extra, dict):
        return text
    if extra.get("edited") is True:
        text = f"{text} (edited)" if text else "(edited)"
    reactions = extra.get("reactions")
    if isinstance(reactions, list):
        shown = [
            f"{r.get('emoji') or r.get('type')} by {r.get('by') or 'them'}"
            for r in reactions
            if isinstance(r, dict) and (r.get("emoji") or r.get("type"))
        ]
        if shown:
            text = f"{text} [{', '.join(shown)}]" if text else f"[{', '.join(shown)}]"
    return text


def _via(i: dict[str, Any]) -> str:
    # who recorded it, when not the user by hand (an AI agent's write through MCP [agent-writes])
    extra = i.get("extra_data")
    return str(extra.get("recorded_by") or "") if isinstance(extra, dict) else ""


INTERACTION_COLS = (
    Col("id", lambda i: i["id"], keep=9, short=lambda i: i["id"][:8]),
    Col("when", lambda i: moment(i["occurred_at"]), keep=10),
    Col("platform", lambda i: i["platform"], keep=6),
    Col("dir", lambda i: i["direction"], keep=5),
    Col("content", said, keep=8, flex=True, least=20, most=200),
    Col("via", _via, keep=3, hide_empty=True),
)


TAG_COLS = (
    Col("tag", lambda t: t["tag"], keep=9, flex=True, least=10, most=40),
    # the contacts `contacts list --tag` shows, then the archived ones it leaves out [tag-counts]
    Col("contacts", lambda t: str(t["count"] - t["archived"]), keep=8, right=True),
    Col("archived", lambda t: str(t["archived"]), keep=7, right=True, default=False),
)

ACTIVITY_COLS = (
    Col("when", lambda a: moment(a["timestamp"]), keep=9, short=lambda a: ago(a["timestamp"])),
    Col("who", lambda a: a.get("contact_name") or "(no name)", keep=10, flex=True, least=12, most=28),
    Col("platform", lambda a: a["platform"], keep=6),
    Col("dir", lambda a: a["direction"], keep=4),
    Col("content", lambda a: a.get("content_preview") or "", keep=7, flex=True, least=16, most=120),
)


# `pcrm suggestions list` off a terminal or with --format/--fields (a terminal gets one block each)
SUGGESTION_COLS = (
    Col("id", lambda s: s["id"], keep=9, short=lambda s: s["id"][:8]),
    Col(
        "who",
        lambda s: s["contact"]["display_name"],
        keep=10,
        flex=True,
        least=12,
        most=28,
    ),
    Col("why", lambda s: reason_label(s["trigger_type"]), keep=6, flex=True, least=10, most=30),
    Col("channel", lambda s: s["suggested_channel"], keep=5),
    Col(
        "last",
        # local `YYYY-MM-DD HH:MM` as every list's moments, never the stored UTC instant [local-days]
        lambda s: (
            moment(s["contact"]["last_interaction_at"]) if s["contact"].get("last_interaction_at") else ""
        ),
        keep=4,
        short=lambda s: when(s["contact"].get("last_interaction_at")),
    ),
    Col("reason", lambda s: s.get("reason") or "", keep=2, flex=True, least=12, most=60),
    Col("draft", lambda s: s["suggested_message"], keep=3, flex=True, least=16, most=80),
)


def _report(b: dict[str, Any], key: str) -> str:
    return str((b.get("report") or {}).get(key, 0))


IMPORT_COLS = (
    Col("batch", lambda b: b["id"], keep=9, short=lambda b: b["id"][:8]),
    Col("when", lambda b: moment(b["created_at"]), keep=8),
    Col("format", lambda b: b["format"], keep=6),
    Col("file", lambda b: b.get("filename") or "", keep=7, flex=True, least=12, most=40),
    Col("new", lambda b: _report(b, "contacts_created"), keep=5, right=True),
    Col("updated", lambda b: _report(b, "contacts_updated"), keep=3, right=True),
    Col("messages", lambda b: _report(b, "interactions_created"), keep=2, right=True),
    Col("status", lambda b: b["status"] + (f" {when(b['undone_at'])}" if b.get("undone_at") else ""), keep=8),
)

BACKUP_COLS = (
    Col("name", lambda b: b["name"], keep=9, flex=True, least=20, most=60),
    Col("taken", lambda b: moment(b["taken_at"]), keep=8, short=lambda b: ago(b["taken_at"])),
    Col("size", lambda b: str(b["bytes"]), keep=7, right=True, short=lambda b: _size(b["bytes"])),
    Col("reason", lambda b: b.get("reason") or "", keep=5, hide_empty=True),
    Col("path", lambda b: b["path"], default=False, keep=1, flex=True, least=20, most=120),
)


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,.0f} {unit}" if unit == "B" else f"{n:,.1f} {unit}"
        n = n / 1024  # type: ignore[assignment]
    return str(n)


def interaction_table(result: Any, fmt: str | None = None, fields: str | None = None) -> None:
    list_renderer(INTERACTION_COLS, fmt, fields, empty="no interactions")(result)


def done(message: str) -> Any:
    """A renderer printing `message` filled from the result's data (values escaped, never markup)."""

    def render(result: Any) -> None:
        from rich.markup import escape

        data = result.data if isinstance(result.data, dict) else {}
        out().print(message.format(**{k: escape(str(v)) for k, v in data.items()}))

    return render


def print_indented(markup: str, indent: str) -> None:
    """Print one line of `markup` after `indent`; at a terminal too narrow for it, its continuation lines
    keep the indent, so a long value (an email, the blocking keys) does not fall back to the first column
    under the block it belongs to. Into a pipe the line stays one line, as every line does
    [pipe-friendly-output]."""
    console = out()
    if console.soft_wrap:
        console.print(f"{indent}{markup}")
        return
    from rich.text import Text

    text = console.render_str(markup)
    for line in text.wrap(console, max(console.width - len(indent), 20)):
        line.rstrip()
        console.print(Text(indent) + line, soft_wrap=True)


def print_explanation(ex: dict[str, Any], indent: str = "    ") -> None:
    """Render a score explanation: signals (value × effective weight), guards, final score."""
    from rich.markup import escape

    console = out()
    for s in ex["signals"]:
        if s["available"]:
            console.print(
                f"{indent}{s['signal']:<9} {s['value']:.2f} × {s['effective_weight']:.2f} "
                f"(base {s['weight']:.2f}) = {s['contribution']:.2f}"
            )
        else:
            console.print(f"{indent}[dim]{s['signal']:<9} not available (base {s['weight']:.2f})[/]")
    for g in ex["guards"]:
        state = "applied" if g.get("applied", True) else "not binding"
        print_indented(
            f"[yellow]guard[/] {g['guard']}: {escape(g['rule'])} → ≤ {g['cap']:.2f} ({state})", indent
        )
    if ex.get("shared_blocking_keys"):
        print_indented(f"[dim]blocking keys: {escape(', '.join(ex['shared_blocking_keys']))}[/]", indent)
    band = ex["band"].replace("_", " ")
    outcome = ex.get("outcome")
    if outcome and outcome != ex["band"]:  # a queued pair: what happens to it, not the score's band alone
        shown = outcome.replace("_", " ")
        console.print(f"{indent}[bold]score {ex['score']:.2f}[/] → {shown} (the score alone: {band})")
    else:
        console.print(f"{indent}[bold]score {ex['score']:.2f}[/] → {band}")
    if ex.get("outcome_reason"):  # also why the queue lists another score
        print_indented(f"[dim]why: {escape(ex['outcome_reason'])}[/]", indent)


def progress_bar(enabled: bool) -> tuple[Any, Any]:
    """A rich progress bar on stderr at a terminal (None, None otherwise) and its update(stage, done,
    total) callback: one line per stage."""
    if not enabled or not sys.stderr.isatty():
        return None, None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err(), transient=True
    )
    tasks: dict[str, Any] = {}

    def update(stage: str, done: int, total: int | None) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(stage, total=total)
        bar.update(tasks[stage], completed=done, total=total)

    return bar, update


def names_block(verb: str, names: list[str], most: int = 20) -> None:
    """`  removes: Ada Lovelace · Grace Hopper ... and 12 more`: who a change touches, by name (dry runs)."""
    if not names:
        return
    from rich.markup import escape

    shown = " · ".join(names[:most])  # a name may hold a comma ("Jane Doe, MBA")
    more = f" ... and {len(names) - most} more" if len(names) > most else ""
    out().print(f"  {verb}: {escape(shown)}{more}", soft_wrap=True)


def busy(message: str, *, streaming: bool = False) -> Any:
    """A transient spinner on stderr while slow work runs, only when stderr is a terminal and, for work
    that `streaming` to stdout, stdout is not that terminal; a do-nothing context anywhere else."""
    import contextlib

    if not sys.stderr.isatty() or (streaming and sys.stdout.isatty()):
        return contextlib.nullcontext()
    return err().status(message, spinner="dots")
