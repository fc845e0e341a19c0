"""`pcrm settings show [SECTION]`, `pcrm settings set KEY VALUE`, `pcrm settings reset KEY`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pcrm.cli import _complete
from pcrm.cli import _options as o
from pcrm.cli._output import Opts, err, run
from pcrm.cli._table import Col, print_rows, resolve_format
from pcrm.domain.settings import REGISTRY, name_of
from pcrm.domain.wording import counted
from pcrm.serialize import dumps
from pcrm.services import settings

app = typer.Typer(
    help="Show and change settings (follow-up intervals, suggestions, sync schedules, time zone, ...).",
    no_args_is_help=True,
)


def _flatten(prefix: str, value: Any) -> list[tuple[str, Any]]:
    if isinstance(value, dict) and value and prefix != "me":
        out: list[tuple[str, Any]] = []
        for k, v in value.items():
            out += _flatten(f"{prefix}.{k}" if prefix else str(k), v)
        return out
    return [(prefix, value)]


_COLS = (
    Col("key", lambda r: r["key"], keep=10),
    Col("value", lambda r: r["value"], keep=9, flex=True, least=12, most=40),
    Col("default", lambda r: r["default"], keep=3, flex=True, least=10, most=30),
    Col("what it does", lambda r: r["help"], keep=2, flex=True, least=20, most=80),
)


def _render(section: str | None) -> Any:
    def render(result: Any) -> None:
        # routed sections answer with the route's own keys (high, gmail.schedule, ...): put the prefix back
        name = name_of(section) if section else ""  # as the service reads it [setting-names]
        routed = name if name in ("priority", "suggestions", "sync", "telegram") else ""
        rows = []
        for key, value in _flatten(routed, result.data):
            s = REGISTRY.get(key)
            shown = value if isinstance(value, str) else dumps(value).decode()
            default = (
                "" if s is None else (s.default if isinstance(s.default, str) else dumps(s.default).decode())
            )
            rows.append(
                {"key": key, "value": str(shown), "default": str(default), "help": s.help if s else ""}
            )
        print_rows(rows, _COLS, resolve_format(None, False, False)[0])

    return render


@app.command("show")
def show(
    section: Annotated[
        str | None,
        typer.Argument(
            help="priority, suggestions, sync, telegram, general, logos, metadata_only, ... or one key."
        ),
    ] = None,
    json_out: o.Json = False,
) -> None:
    """Show settings with their defaults; changed keys are bold. With a routed section (priority, suggestions,
    sync, telegram), --json prints what GET /settings/SECTION returns.

    Example: pcrm settings show priority
    """
    run(Opts(json_out, render=_render(section)), settings.show_settings, section)


def _set_render(result: Any) -> None:
    _render(_looks_routed(result.data))(result)
    if "phones" in result.meta:
        phone_report(result.meta["phones"])
    if result.meta.get("dry_run"):
        err().print("[yellow]dry run:[/] nothing was changed")


def phone_report(r: dict[str, Any]) -> None:
    """What a phone_region change did to the stored numbers (services.phones.change_region), on stderr."""
    from rich.markup import escape

    console = err()
    region = r["to"] or "none"
    if r["changed"] == 0 and r["collapsed"] == 0:
        console.print(f"{counted(r['checked'], 'stored number')} checked under region {region}: none changed")
    else:
        collapsed = (
            f", {r['collapsed']:,} folded into a number the contact already has" if r["collapsed"] else ""
        )
        console.print(
            f"{counted(r['checked'], 'stored number')} checked under region {region}: "
            f"{r['changed']:,} changed{collapsed}"
        )
    for ex in r["examples"]:
        who = escape(ex["contact"]["display_name"])
        note = " (already held: removed)" if ex["collapsed"] else ""
        console.print(f"  {who}: {escape(ex['typed'])}  {escape(ex['from'])} -> {escape(ex['to'])}{note}")
    more = r["changed"] + r["collapsed"] - len(r["examples"])
    if more > 0:
        console.print(f"  [dim]... and {more:,} more[/]")
    if r["duplicates"]:
        console.print(
            f"[yellow]{counted(len(r['duplicates']), 'number')} now shared by contacts that shared none "
            "before:[/]"
        )
        for d in r["duplicates"]:
            names = ", ".join(escape(c["display_name"]) for c in d["contacts"])
            console.print(f"  {escape(d['phone'])}: {names}")
        console.print("[yellow]hint:[/] nothing was merged; `pcrm identity scan` applies the duplicate rules")


def _looks_routed(data: Any) -> str | None:
    keys = set(data) if isinstance(data, dict) else set()
    if keys == {"high", "medium", "low"}:
        return "priority"
    if keys == {"sync_2nd_tier"}:
        return "telegram"
    if "max_suggestions" in keys:
        return "suggestions"
    if "gmail" in keys:
        return "sync"
    return None


# a value may start with a dash (`priority.high -1`): it reaches the validator, which names the range,
# rather than click's "No such option: -1"
@app.command("set", context_settings={"ignore_unknown_options": True})
def set_(
    key: Annotated[
        str,
        typer.Argument(
            help="A setting key, e.g. priority.high (see `pcrm settings show`).",
            autocompletion=_complete.setting_keys,
        ),
    ],
    value: Annotated[
        str,
        typer.Argument(
            help="The new value; lists are comma-separated (`me`: your names, emails, phones, @handles)."
        ),
    ],
    dry_run: o.DryRun = False,
    json_out: o.Json = False,
) -> None:
    """Change one setting. Values are validated (e.g. priority intervals are 7-365 days); unknown keys are
    refused with the list of valid ones. Changing phone_region normalises the stored numbers again and
    reports what changed and which contacts now share a number (--dry-run to look first).

    Example: pcrm settings set phone_region GB --dry-run

    Example: pcrm settings set me "Ada Lovelace, ada@example.com, @ada"
    """
    opts = Opts(json_out, render=_set_render, options=_as_typed(key))
    run(opts, settings.set_setting, key, value, dry_run=dry_run)


def _as_typed(key: str) -> tuple[tuple[str, str], ...]:
    """A key under a routed section is checked as that route's field (`priority.high` as `high`,
    `sync.gmail.hour` as `gmail.hour`), which its error names: said here as the key `settings set` takes
    [cli-failures]; --json keeps the API's field."""
    name = name_of(key or "")
    if name not in REGISTRY:
        return ()
    parts = name.split(".")
    return tuple((".".join(parts[i:]), name) for i in range(1, len(parts)))


@app.command("reset")
def reset(
    key: Annotated[
        str, typer.Argument(help="A setting key, e.g. timezone.", autocompletion=_complete.setting_keys)
    ],
    dry_run: o.DryRun = False,
    json_out: o.Json = False,
) -> None:
    """Put one setting back to its default (phone_region: none, which normalises the stored numbers again).

    Example: pcrm settings reset suggestions.max_suggestions
    """
    run(Opts(json_out, render=_set_render), settings.reset_setting, key, dry_run=dry_run)
