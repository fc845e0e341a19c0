"""`pcrm contacts duplicates|merge|dismiss-duplicate|unmerge`: registered on the contacts group."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import Opts, Ref, err, out, page_footer, run
from pcrm.cli._render import print_explanation
from pcrm.cli.contacts import Contact, app
from pcrm.domain.models import display_name
from pcrm.domain.wording import counted, field_words, merge_values, value_words
from pcrm.services import contacts

Explain = Annotated[
    bool, typer.Option("--explain", help="Show each signal, its weight, the guards and the score.")
]


@app.command("duplicates")
def duplicates(
    contact: Contact, explain: Explain = False, json_out: o.Json = False, nl: o.Nl = False, now: o.Now = None
) -> None:
    """Contacts that may be the same person as this one (score 0.40 or more), best first.

    Example: pcrm contacts duplicates "Ada Lovelace" --explain
    """
    # lazy: it loads rapidfuzz (~15 ms), which the other `pcrm contacts` commands do not need
    from pcrm.services import identity

    def render(result: Any) -> None:
        from rich.markup import escape

        console = out()
        if not result.data:
            console.print(
                "[dim]no likely duplicates; `pcrm identity matches` lists every pair waiting for review[/]"
            )
            return
        for d in result.data:
            shown = display_name(d)  # by its address or number when it has no name [display-name]
            bits = ((d["emails"] or [""])[0], d.get("company") or "")
            extra = " · ".join(x for x in bits if x and x != shown)
            console.print(f"[bold]{d['score']:.2f}[/] {escape(shown)} [dim]{d['id'][:8]}[/] {escape(extra)}")
            if "explanation" in d:
                print_explanation(d["explanation"])
        # [complete-lists]: the best 20 of more
        page_footer(result.meta, more="the 20 best are listed")

    run(
        Opts(json_out, nl=nl, now=now, render=render),
        identity.duplicates,
        Ref(contacts.resolve_ref, contact),
        explain=explain,
    )


@app.command("merge")
def merge(
    a: Contact, b: Contact, dry_run: o.DryRun = False, json_out: o.Json = False, now: o.Now = None
) -> None:
    """Merge two contacts into one. The richer contact survives; the merge is journaled and can be
    undone with `pcrm contacts unmerge MERGE_ID`.

    Example: pcrm contacts merge wei.dubois@proton.me weidubois.1@gmail.com --dry-run
    """
    # lazy: it loads rapidfuzz (~15 ms), which the other `pcrm contacts` commands do not need
    from pcrm.services import merge as svc

    def render(result: Any) -> None:
        from rich.markup import escape

        d = result.data
        # [merge-rules]: what of the other contact was filled in or kept aside, never silently dropped
        values = merge_values(d)
        if result.meta.get("dry_run"):
            out().print(
                f"would merge {d['merged_contact_id']} into {d['id']} ({escape(d['display_name'])}); "
                f"{counted(d['interactions_moved'], 'interaction')} would move; {values}"
            )
            return
        out().print(
            f"merged {d['merged_contact_id']} into {d['id']} ({escape(d['display_name'])}); {values}\n"
            f"merge id {d['merge_id']} (undo: pcrm contacts unmerge {d['merge_id']})"
        )

    run(
        Opts(json_out, now=now, render=render),
        svc.merge_contacts,
        Ref(contacts.resolve_ref, a),
        Ref(contacts.resolve_ref, b),
        dry_run=dry_run,
    )


@app.command("dismiss-duplicate")
def dismiss_duplicate(a: Contact, b: Contact, json_out: o.Json = False, now: o.Now = None) -> None:
    """Say two contacts are different people: they stop showing as duplicates and no scan merges them.

    Example: pcrm contacts dismiss-duplicate aiko.thompson@sterlingcooper.com aikothompson.2@gmail.com
    """
    # lazy: it loads rapidfuzz (~15 ms), which the other `pcrm contacts` commands do not need
    from pcrm.services import identity

    def render(result: Any) -> None:
        out().print("dismissed")

    run(
        Opts(json_out, now=now, render=render),
        identity.dismiss_duplicate,
        Ref(contacts.resolve_ref, a),
        Ref(contacts.resolve_ref, b),
    )


@app.command("unmerge")
def unmerge(
    merge_id: Annotated[
        str, typer.Argument(help="A merge id from `pcrm identity history` (or a unique prefix).")
    ],
    json_out: o.Json = False,
    now: o.Now = None,
) -> None:
    """Undo a merge: both contacts come back with their own ids, fields, identities, tags,
    interactions and suggestions. Edits and interactions added to the survivor after the merge stay on
    it. Chained merges are undone newest first. If the survivor was deleted since, the merged contact
    comes back from the journal, without the interactions the merge had moved onto the survivor.

    Example: pcrm contacts unmerge
    "$(pcrm contacts merge wei.dubois@proton.me weidubois.1@gmail.com --json | jq -r .data.merge_id)"
    """
    # lazy: it loads rapidfuzz (~15 ms), which the other `pcrm contacts` commands do not need
    from pcrm.services import merge as svc

    def render(result: Any) -> None:
        d = result.data
        if d.get("survivor_deleted"):  # [reversible-merges]: only the merged contact can come back
            out().print(
                f"restored {d['contact_ids'][0]}; the survivor {d['survivor_id']} was deleted, and with "
                f"it the {counted(d['interactions_lost'], 'interaction')} the merge had moved onto it",
                highlight=False,
            )
            return
        kept = _kept_words(d.get("edits_kept_on_survivor") or [])
        out().print(
            f"restored {d['contact_ids'][0]} and {d['contact_ids'][1]} "
            f"({counted(d['interactions_returned'], 'interaction')} moved back)"
            + (f"; kept on the survivor since the merge: {', '.join(kept)}" if kept else ""),
            highlight=False,
        )
        for t in d.get("identities_kept_on_survivor") or ():
            survivor, merged = d["contact_ids"][0][:8], d["contact_ids"][1][:8]
            err().print(
                f"{value_words(t['field'], t['value'])} stays on {survivor}, typed there after the merge; "
                f"{merged} comes back without it (one contact holds it): to move it, take it off {survivor} "
                f"with `pcrm contacts edit {survivor}`, then give it to {merged}",
                soft_wrap=True,
                highlight=False,
                markup=False,
            )

    run(Opts(json_out, now=now, render=render), svc.unmerge, merge_id)


# what an unmerge kept on the survivor, named by its columns and child tables (the --json's terms), in words;
# the mark of the fields edited by hand is no value of its own and goes unsaid
_KEPT_TABLES = {
    "contact_emails": "emails",
    "contact_phones": "phones",
    "contact_tags": "tags",
    "contact_identities": "handles and platform ids",
    "contact_fields": "other fields",
}


def _kept_words(kept: list[str]) -> list[str]:
    """`title, emails, handles and platform ids` for ['title', 'user_edited_fields', 'contact_emails',
    'contact_identities']."""
    words = [
        _KEPT_TABLES.get(k) or field_words(k) for k in kept if k not in ("user_edited_fields", "updated_at")
    ]
    return list(dict.fromkeys(words))
