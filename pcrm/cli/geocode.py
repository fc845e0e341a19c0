"""`pcrm geocode`: contact locations to map coordinates [geocoding]."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import Opts, err, out, run
from pcrm.domain.wording import counted


def _render(result: Any) -> None:
    import sys

    import orjson

    d = result.data
    if result.meta.get("dry_run"):
        err().print(
            f"[dim]dry run: {counted(d['to_geocode'], 'location')} would be sent, {d['to_clear']} cleared; "
            "nothing sent (the first 20 requests:)[/]"
        )
        for s in d["would_send"]:
            sys.stdout.write(orjson.dumps(s).decode() + "\n")
        return
    out().print(
        f"{d['located']} located, {d['not_found']} not found, {d['cleared']} cleared, {d['failed']} failed "
        f"(of {d['to_geocode']} to geocode)",
        highlight=False,
    )
    for e in d["errors"]:
        err().print(f"warning: {e}", highlight=False, markup=False)


def geocode(
    all_: Annotated[
        bool, typer.Option("--all", help="Every contact with a location, not only changed ones.")
    ] = False,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="At most this many contacts.")] = None,
    dry_run_: o.DryRun = False,
    json_out: o.Json = False,
) -> None:
    """Geocode contact locations for the map (needs `geocoding.provider`; only changed locations are sent
    unless --all; --dry-run: the requests that would be sent).

    Example: pcrm settings set geocoding.provider nominatim && pcrm geocode --dry-run
    """
    from pcrm.services import geocode as svc

    run(Opts(json_out, render=_render), svc.geocode, every=all_, dry_run=dry_run_, limit=limit)
