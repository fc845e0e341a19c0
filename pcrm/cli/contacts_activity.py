"""`pcrm contacts activity CONTACT`: the score breakdown, the monthly trend and the contact's events
(GET /contacts/{id}/activity)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import Opts, Ref, out, run, when
from pcrm.cli._render import ago, contact_events
from pcrm.cli.contacts import app
from pcrm.services import activity as svc
from pcrm.services import contacts


def _render(result: Any) -> None:
    d = result.data
    s = d["stats"]
    console = out()
    console.print(
        f"score [bold]{d['score']}[/]/10  "
        + "  ".join(f"{k} {v['value']}/{v['max']}" for k, v in d["dimensions"].items())
    )
    console.print(
        f"inbound (365d) {s['inbound_365d']} · outbound (365d) {s['outbound_365d']} · "
        f"last 30d {s['count_30d']} · last 90d {s['count_90d']} · all {s['interaction_count']}"
    )
    console.print(f"platforms: {', '.join(s['platforms']) or '-'} · since {when(s['first_interaction_at'])}")
    top = max([m["count"] for m in d["monthly_trend"]] + [1])
    for m in d["monthly_trend"]:
        bar = "█" * round(20 * m["count"] / top)
        console.print(f"  {m['month']} {m['count']:>4} {bar}")
    contact_events(d["events"])
    reactions = d.get("reactions") or []
    if reactions:
        from rich.markup import escape

        console.print()
        console.print("[bold]reactions[/]")
        for r in reactions:
            said = " ".join((r.get("message") or "").split())
            how = f"{r.get('emoji') or r['type']} by {r['by']}"
            console.print(
                f"  {ago(r['at']) if r.get('at') else '-':<14} {escape(how)}: {escape(said)}",
                overflow="ellipsis",
                no_wrap=True,
                crop=True,
            )


@app.command("activity")
def activity(
    contact: Annotated[
        str, typer.Argument(help="A contact: id or id prefix, email, full name, first name or @handle.")
    ],
    json_out: o.Json = False,
    now: o.Now = None,
) -> None:
    """The relationship-health breakdown, the 6-month trend and the events (a job change an import
    recorded) of one contact.

    Example: pcrm contacts activity "Ada Lovelace" --json
    """
    run(Opts(json_out, now=now, render=_render), svc.contact_activity, Ref(contacts.resolve_ref, contact))
