"""Changing `phone_region`: the setting and every stored number it reads, in one transaction, with a
report of what changed and of the contacts that now share a number [value-normalisation]
[settings-registry].

A number is stored twice: as typed and normalised. The region only changes numbers typed without a
country code (`07700 900123`); `+44 7700 900123` is the same under any region. Setting the region to the
value it already has re-checks every such number, which repairs values written back from an older state
(an import undo, an unmerge).
"""

from __future__ import annotations

from typing import Any

from pcrm.domain import phones as dom
from pcrm.domain import settings as reg
from pcrm.services.context import Context, Result
from pcrm.store import contacts as cstore
from pcrm.store import phones as store
from pcrm.store import settings as sstore
from pcrm.store.db import write

KEY = "phone_region"
EXAMPLES = 10  # old -> new pairs shown; the counts cover them all


class _DryRun(Exception):
    """Raised inside the write transaction to roll a dry run back."""

    def __init__(self, result: Result) -> None:
        super().__init__("dry run")
        self.result = result


def validate_region(value: Any) -> str | None:
    """A region as stored: an ISO 3166 code `phonenumbers` knows, upper case; None/"none" for no region."""
    return None if value is None else reg.validate(KEY, value)


def change_region(ctx: Context, value: Any, *, dry_run: bool = False) -> Result:
    """Store `phone_region` and normalise the stored numbers again under it, in one transaction.

    data: {phone_region}; meta: {dry_run, phones: report} where the report is {from, to, checked,
    changed, collapsed, examples: [{contact, typed, from, to, collapsed}], duplicates: [{phone,
    contacts: [{id, full_name}]}]}. `collapsed` counts numbers dropped because their contact already holds
    the new value (a contact holds a number once). `duplicates` lists numbers that now join contacts
    which shared none before: reported, never merged here; the identity scan judges them [shared-keys].
    With dry_run everything is computed and rolled back."""
    region = validate_region(value)

    def body() -> Result:
        before = sstore.get(ctx.conn, KEY)
        plan = dom.plan(store.all_rows(ctx.conn), region)
        report = _report(ctx, plan, before, region)
        store.apply(ctx.conn, plan)
        sstore.put_many(ctx.conn, {KEY: region}, ctx.now_iso())
        return Result({KEY: region}, {"dry_run": dry_run, "phones": report})

    try:
        with write(ctx.conn):
            result = body()
            if dry_run:
                raise _DryRun(result)
    except _DryRun as d:
        result = d.result
    finally:
        ctx.invalidate_settings()
    return result


def normalise_all(ctx: Context) -> int:
    """Inside the caller's transaction: every stored number normalised again from its typed text under
    this release's rules and the stored region, as migration m008 did. For rows that arrive from
    elsewhere with their values (a JSON export an older pcrm wrote). Returns how many rows changed."""
    plan = dom.plan(store.all_rows(ctx.conn), sstore.get(ctx.conn, KEY), every_row=True)
    store.apply(ctx.conn, plan)
    return len(plan.changed) + len(plan.dropped)


def _report(ctx: Context, plan: dom.Plan, before: str | None, region: str | None) -> dict[str, Any]:
    duplicates = dom.new_duplicates(plan)
    moved = sorted(
        [(r, v, False) for r, v in plan.changed] + [(r, v, True) for r, v in plan.dropped],
        key=lambda x: (x[0].contact_id, x[0].position, x[0].id),
    )
    shown = moved[:EXAMPLES]
    ids = {r.contact_id for r, _, _ in shown} | {c for _, cids in duplicates for c in cids}
    who = {s.pop("_rowid"): s for s in cstore.summaries(ctx.conn, sorted(ids))}
    by_address = cstore.display_names(ctx.conn, [c for c, s in who.items() if not s["full_name"]])
    for c, s in who.items():  # [display-name]: a nameless contact by its address or number
        s["display_name"] = s["full_name"] or by_address[c]
    return {
        "from": before,
        "to": region,
        "checked": len(plan.rows),
        "changed": len(plan.changed),
        "collapsed": len(plan.dropped),
        "examples": [
            {"contact": who[r.contact_id], "typed": r.typed, "from": r.normalized, "to": v, "collapsed": gone}
            for r, v, gone in shown
        ],
        "duplicates": [
            {
                "phone": phone,
                "contacts": sorted((who[c] for c in cids), key=lambda s: (s["display_name"], s["id"])),
            }
            for phone, cids in duplicates
        ],
    }
