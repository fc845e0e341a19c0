"""`pcrm sync SOURCE | --all`, `pcrm sync status | history | stats | reset SOURCE` [sync-engine].

One command per pull source of the source list (domain/sources.py), so `pcrm sync --help` names them;
hidden sources (the test-only memory source) are registered hidden and refused unless enabled."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import replace
from typing import Annotated, Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import Opts, Ref, err, moment, out, run
from pcrm.cli._render import list_opts, progress_bar
from pcrm.cli._table import Col, pick, print_rows, resolve_format
from pcrm.domain.sources import HIDDEN_ENV, SOURCES, other_names
from pcrm.domain.sources import source as source_spec_of
from pcrm.domain.wording import brought, counted
from pcrm.services import sync_history
from pcrm.sync import registry

app = typer.Typer(help="Sync your accounts and see how past syncs went.")


@app.callback(invoke_without_command=True)
def main(
    ctx: typer.Context,
    all_: Annotated[
        bool, typer.Option("--all", help="Sync every connected source, one after another.")
    ] = False,
    json_out: o.Json = False,
) -> None:
    """Sync your accounts (pcrm sync SOURCE, or --all) and see how past syncs went.

    Example: pcrm sync --all
    """
    if ctx.invoked_subcommand is not None:
        return
    if not all_:
        out().print(ctx.get_help())
        raise typer.Exit(0)
    from pcrm.services import sync

    bar, update = progress_bar(not json_out)
    opts = Opts(json_out, render=_render_all)
    with _cancellable("--all"), bar if bar is not None else contextlib.nullcontext():
        result = run(
            Opts(json_out, render=lambda r: None) if bar is not None else opts, sync.run_all, progress=update
        )
    if bar is not None and result is not None and not json_out:
        _render_all(result)
    if result is not None and any(v["status"] != "success" for v in result.data.values()):
        raise typer.Exit(1)


@contextlib.contextmanager
def _cancellable(name: str) -> Iterator[None]:
    """Ctrl-C during a sync: the engine has closed the run as cancelled and let its lock go; say what was
    kept and how to go on, and exit 130 as an interrupted command does."""
    try:
        yield
    except KeyboardInterrupt:
        err().print(
            f"cancelled: what was written before Ctrl-C is kept; pcrm sync {name} goes on from there",
            markup=False,
            soft_wrap=True,
        )
        raise typer.Exit(130) from None


def _brought(r: dict[str, Any]) -> str:
    """What a run brought, as the one-source summary says it."""
    return brought(r)


def _render_all(result: Any) -> None:
    from rich.markup import escape

    for name, r in result.data.items():
        if r["status"] == "success":
            out().print(f"[green]{name}[/]: {_brought(r)}", soft_wrap=True)
            continue
        out().print(f"[red]{name}[/]: {r['status']}: {escape(r.get('error') or '')}", soft_wrap=True)
        if r.get("task_id"):  # the run is recorded: where to see it, and what a partial one kept
            wrote = any(r.get(k) for k in ("contacts_created", "contacts_updated", "interactions_created"))
            kept = f"{_brought(r)} kept; " if wrote else ""
            out().print(f"  {kept}pcrm sync status {r['task_id'][:8]}", markup=False, soft_wrap=True)
        if r.get("hint"):
            out().print(f"  [yellow]hint:[/] {escape(r['hint'])}", soft_wrap=True)


def _render_run(result: Any) -> None:
    import json

    from rich.markup import escape

    r = result.data
    d = json.loads(r["details"] or "{}")
    out().print(
        f"[green]{result.meta.get('source', r['platform'])}[/]: {escape(brought(d))} "
        f"in {counted(d.get('batches', 0), 'batch', 'batches')}, {r['duration_ms'] or 0} ms",
        soft_wrap=True,
    )
    if d.get("pending_review"):
        out().print(f"{counted(d['pending_review'], 'pair')} to review: pcrm identity matches")
    if r["records_failed"]:
        out().print(
            f"[yellow]{counted(r['records_failed'], 'record')} had problems:[/] "
            f"pcrm sync status {r['id'][:8]} --json"
        )


def _sync_command(name: str, label: str, hidden: bool, available: bool) -> None:
    def command(
        json_out: o.Json = False,
        now: o.Now = None,
    ) -> None:
        from pcrm.services import sync

        bar, update = progress_bar(not json_out)
        opts = Opts(json_out, now=now, render=_render_run if bar is None else lambda r: None)
        with _cancellable(name), bar if bar is not None else contextlib.nullcontext():
            result = run(opts, sync.run, name, progress=update)
        if bar is not None and result is not None and not json_out:
            _render_run(result)

    what = "now, with progress; resumes where the last sync stopped" if available else "(not available yet)"
    # the one hidden source, the memory source of the tests, runs only when enabled, on the data it is given
    example = (
        f"{HIDDEN_ENV}=1 PCRM_MEMORY_SOURCE=generate:20:100 pcrm sync {name}"
        if hidden
        else f"pcrm sync {name}"
    )
    command.__doc__ = f"""Sync {label} {what}.

    Example: {example}
    """
    app.command(name, hidden=hidden)(command)


for _spec in SOURCES:
    if _spec.kind == "pull":
        _sync_command(_spec.name, _spec.label, _spec.hidden, _spec.name in registry.ADAPTERS)


def _alias(alias: str, name: str) -> None:
    def command(json_out: o.Json = False, now: o.Now = None) -> None:
        from pcrm.services import sync

        bar, update = progress_bar(not json_out)
        opts = Opts(json_out, now=now, render=_render_run if bar is None else lambda r: None)
        with _cancellable(name), bar if bar is not None else contextlib.nullcontext():
            result = run(opts, sync.run, name, progress=update)
        if bar is not None and result is not None and not json_out:
            _render_run(result)

    command.__doc__ = f"""The same as pcrm sync {name}.

    Example: pcrm sync {alias}
    """
    app.command(alias, hidden=True)(command)


# the other names of the pull sources, as the domain knows them (`pcrm sync google`, `pcrm sync
# google-calendar`: the reference's routes /contacts/sync/google, /contacts/sync/google-calendar)
# [google-sources]
for _alias_name, _target in other_names().items():
    if source_spec_of(_target).kind == "pull" and not source_spec_of(_target).hidden:
        _alias(_alias_name, _target)


@app.command("emails")
def emails(
    contact: Annotated[str, typer.Argument(help="The contact: id, email, name or @handle.")],
    force: Annotated[bool, typer.Option("--force", help="Even if it ran less than an hour ago.")] = False,
    json_out: o.Json = False,
) -> None:
    """Sync a year of Gmail messages from or to one contact's addresses (at most once an hour).

    Example: pcrm sync emails "Ada Lovelace"
    """
    from pcrm.services import contacts, google

    def render(result: Any) -> None:
        d = result.data
        if d.get("skipped"):  # the API's words name its query parameter; here it is the option
            reason = str(d.get("message") or d["reason"]).replace(" (force=true)", "; --force syncs again")
            out().print(f"skipped: {reason}", markup=False)
        else:
            out().print(counted(d["new_interactions"], "new interaction"))

    run(
        Opts(json_out, render=render),
        google.sync_contact_emails,
        Ref(contacts.resolve_ref, contact),
        force="true" if force else None,
    )


@app.command("reset")
def reset(
    source: Annotated[str, typer.Argument(help="The source whose place to forget, e.g. gmail.")],
    json_out: o.Json = False,
) -> None:
    """Forget where SOURCE's syncs stopped: the next sync fetches everything again (nothing is duplicated).

    Example: pcrm sync reset telegram
    """
    from pcrm.services import sync

    run(
        Opts(
            json_out,
            render=lambda r: out().print(f"{r.data['source']}: the next sync starts from the beginning"),
        ),
        sync.reset,
        source,
    )


Platform = Annotated[
    str | None,
    typer.Option(
        "--platform",
        help=", ".join(s.name for s in SOURCES if not s.hidden) + ".",
    ),
]


def _at(ts: str | None) -> str:
    return moment(ts)


def _count(key: str) -> Any:
    return lambda r: "" if r[key] is None else str(r[key])


# one line a run; the error in full in a pipe, cut with … in a table [readable-tables]
HISTORY_COLS = (
    Col("id", lambda r: r["id"], keep=9, short=lambda r: r["id"][:8]),
    Col("started", lambda r: _at(r["started_at"]), keep=8),
    Col("platform", lambda r: r["platform"], keep=8),
    Col("type", lambda r: r["sync_type"], keep=3),
    Col("status", lambda r: r["status"], keep=8, style=lambda r: "red" if r["status"] == "failed" else None),
    Col("created", _count("records_created"), keep=6, right=True),
    Col("updated", _count("records_updated"), keep=4, right=True),
    Col("failed", _count("records_failed"), keep=5, right=True),
    Col("ms", _count("duration_ms"), keep=2, right=True),
    Col("error", lambda r: r["error_message"] or "", keep=6, flex=True, least=10, most=120, hide_empty=True),
)

STATS_COLS = (
    Col("platform", lambda s: s["platform"], keep=9),
    Col("runs", lambda s: str(s["total_syncs"]), keep=8, right=True),
    Col("ok", lambda s: str(s["success_count"]), keep=8, right=True),
    Col("failed", lambda s: str(s["failed_count"]), keep=8, right=True),
    Col("partial", lambda s: str(s["partial_count"]), keep=7, right=True),
    Col("success %", lambda s: f"{s['success_rate']:.1f}", keep=7, right=True),
    Col("last sync", lambda s: _at(s["last_sync"]), keep=6),
)

EMPTY = "no syncs recorded yet; `pcrm sync status` shows what you can sync and how to connect it"


def _no_runs(platform: str | None, status: str | None, every: str) -> str:
    """What an empty history or stats says: with a filter, that nothing matched it (other runs may
    exist), and the command that shows every run [readable-tables]."""
    if not platform and not status:
        return EMPTY
    which = " ".join(w.lower() for w in (status, platform) if w)
    return f"no {which} sync runs; {every}"


@app.command("history")
def history(
    platform: Platform = None,
    status: Annotated[str | None, typer.Option(help="started, success, failed or partial.")] = None,
    limit: o.Limit = None,
    offset: o.Offset = None,
    fmt: o.Format = None,
    fields: o.Fields = None,
    no_pager: o.NoPager = False,
    json_out: o.Json = False,
    nl: o.Nl = False,
) -> None:
    """Past sync runs, newest first (--format, --fields).

    Example: pcrm sync history --platform gmail --status failed
    """
    run(
        list_opts(
            HISTORY_COLS,
            fmt,
            fields,
            json_out,
            nl,
            empty=_no_runs(platform, status, "`pcrm sync history` lists every run"),
            more="--offset N or --limit N for more",
            no_pager=no_pager,
        ),
        sync_history.list_sync_history,
        platform=platform,
        status=status,
        limit=limit,
        offset=offset,
    )


@app.command("stats")
def stats(
    platform: Platform = None,
    fmt: o.Format = None,
    fields: o.Fields = None,
    json_out: o.Json = False,
) -> None:
    """How syncs went, per platform: runs, successes, failures, success rate and the last run (--format,
    --fields).

    Example: pcrm sync stats --platform telegram
    """
    opts = list_opts(STATS_COLS, fmt, fields, json_out, False)  # a bad --format or --fields fails here
    resolved = resolve_format(fmt, json_out, False)[0]
    chosen = pick(STATS_COLS, fields)

    def render(result: Any) -> None:
        items = [{"platform": name, **s} for name, s in result.data.items()]
        print_rows(
            items,
            chosen,
            resolved,
            empty=_no_runs(platform, None, "`pcrm sync stats` shows every platform"),
            pager=False,
            asked=fields is not None,
        )

    run(replace(opts, render=render), sync_history.sync_stats, platform=platform)


def _state(s: dict[str, Any]) -> str:
    if not s["available"]:
        return "not available yet"
    if s.get("unready"):  # connected, but it cannot sync: say what is missing and how to set it
        return f"connected, cannot sync: {s['unready']['error']} ({s['unready']['hint']})"
    return "connected" if s["connected"] else f"not connected ({s['connect']})"


def _short_state(s: dict[str, Any]) -> str:
    """The state in a table: its words without the hint, which goes under the table in full (`_how`),
    where no terminal width cuts the command a user has to type."""
    if not s["available"]:
        return "not available yet"
    if s.get("unready"):
        return "connected, cannot sync"
    return "connected" if s["connected"] else "not connected"


def _how(items: list[dict[str, Any]]) -> list[str]:
    """Under a table: what each source that cannot sync needs, one line a hint, its sources named."""
    needs: dict[tuple[str, str], list[str]] = {}
    for s in items:
        if not s["available"]:
            continue
        if s.get("unready"):
            needs.setdefault(
                ("", f"cannot sync: {s['unready']['error']} ({s['unready']['hint']})"), []
            ).append(s["name"])
        elif not s["connected"]:
            needs.setdefault(("to connect ", s["connect"]), []).append(s["name"])
    return [f"{lead}{', '.join(names)}: {what}" for (lead, what), names in needs.items()]


def _state_style(s: dict[str, Any]) -> str:
    if not s["available"]:
        return "dim"
    return "green" if s["connected"] and not s.get("unready") else "yellow"


def _schedule(s: dict[str, Any]) -> str:
    schedule = s["schedule"] if s["auto_sync"] else "manual"
    return f"daily at {s['hour']:02d}:00" if schedule == "daily" and s["hour"] is not None else schedule


def _last(s: dict[str, Any]) -> str:
    last = s["last_run"]
    return f"{_at(last['started_at'])} {last['status']}" if last else "-"


# one line a source; the state's hint (how to connect) in full in a pipe [readable-tables]
SOURCE_COLS = (
    Col("source", lambda s: s["name"], keep=9),
    Col("state", _state, keep=8, flex=True, least=13, most=40, style=_state_style, short=_short_state),
    Col("schedule", _schedule, keep=6),
    Col("next run", lambda s: _at(s["next_run_at"]), keep=4),
    Col("last run", _last, keep=7),
    Col("last success", lambda s: _at(s["last_success_at"]), keep=3),
    Col("resumes from", lambda s: _at(s["cursor_updated_at"]), keep=1),
    Col("last error", lambda s: s["last_error"] or "", keep=5, flex=True, least=12, most=60, hide_empty=True),
)


@app.command("status")
def status(
    task: Annotated[
        str | None,
        typer.Argument(
            help="A run's id (or its first 8 characters, as history shows them), or a sync route's task id."
        ),
    ] = None,
    fmt: o.Format = None,
    fields: o.Fields = None,
    json_out: o.Json = False,
    now: o.Now = None,
) -> None:
    """The last sync of each platform and what is running now; with TASK, that one run (--format,
    --fields; in a pipe, one tab-separated row a source and the running syncs on stderr).

    Example: pcrm sync status
    """
    cols = HISTORY_COLS if task is not None else SOURCE_COLS
    opts = list_opts(cols, fmt, fields, json_out, False, now)  # a bad --format or --fields fails here
    resolved = resolve_format(fmt, json_out, False)[0]
    chosen = pick(cols, fields)

    def render(result: Any) -> None:
        data = result.data
        if task is not None:
            print_rows([data], chosen, resolved, empty=EMPTY, pager=False, asked=fields is not None)
            return
        items = [{"name": name, **s} for name, s in data["sources"].items()]
        print_rows(items, chosen, resolved, pager=False, asked=fields is not None)
        if resolved == "table" and any(c.name == "state" for c in chosen):
            from rich.markup import escape

            for line in _how(items):  # the hints the table's state column leaves out, never cut
                out().print(escape(line), soft_wrap=False, overflow="fold")
        console = out() if resolved == "table" else err()
        for lock in data["running"]:
            console.print(f"running: {lock['name'][5:]} since {_at(lock['acquired_at'])}")

    if task is not None:
        run(replace(opts, render=render), sync_history.task_status, Ref(sync_history.resolve_task, task))
    else:
        run(replace(opts, render=render), sync_history.sync_status)
