"""More `pcrm contacts ...` commands: stats, birthdays, map, related, bulk-update, bulk-undo, bulk-updates,
reconcile, promote."""

from __future__ import annotations

import functools
import shlex
from dataclasses import replace
from typing import Annotated, Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import Opts, Ref, ask_at_terminal, err, everything, moment, out, run
from pcrm.cli._render import birthday_cols, done, list_opts, names_block, undo_line
from pcrm.cli._table import Col, nothing, pick, print_rows, resolve_format
from pcrm.cli.contacts import Contact, app, comma_note
from pcrm.domain.query import FILTER_KEYS
from pcrm.domain.wording import counted, listed_words
from pcrm.errors import PcrmError, ValidationError
from pcrm.services import contacts, views


@app.command("stats")
def stats(json_out: o.Json = False, now: o.Now = None) -> None:
    """How your relationships stand: strong / active / dormant contacts and this week's activity.

    Example: pcrm contacts stats --json
    """

    def render(result: Any) -> None:
        s = result.data
        out().print(
            f"[bold]{counted(s['total'], 'contact')}[/] (archived left out): "
            f"[green]{s['strong']:,} strong[/] · {s['active']:,} active · [dim]{s['dormant']:,} dormant[/]\n"
            f"interactions: {s['interactions_this_week']:,} in the last 7 days, "
            f"{s['interactions_last_week']:,} the week before "
            f"({counted(s['active_last_week'], 'person', 'people')})"
        )

    run(Opts(json_out, now=now, render=render), views.contact_stats)


@app.command("birthdays")
def birthdays(
    limit: Annotated[int | None, typer.Option(min=1, max=10, help="At most N (1-10, default 10).")] = None,
    all_: o.All = False,
    fmt: o.Format = None,
    fields: o.Fields = None,
    no_pager: o.NoPager = False,
    json_out: o.Json = False,
    nl: o.Nl = False,
    now: o.Now = None,
) -> None:
    """Birthdays today and in the next 6 days (in your `timezone` setting). Feb 29 birthdays show on Feb 28
    in other years.

    Example: pcrm contacts birthdays
    """
    run(
        list_opts(
            birthday_cols(),
            fmt,
            fields,
            json_out,
            nl,
            now,
            empty="no birthdays in the next 7 days; "
            "add one with `pcrm contacts edit CONTACT --birthday MM-DD`",
            no_pager=no_pager,
        ),
        views.birthdays,
        limit=limit,
        everything=everything(all_, nl, limit=limit),
    )


MAP_COLS = (
    Col("id", lambda c: c["id"], keep=9, short=lambda c: c["id"][:8]),
    Col("name", lambda c: c["display_name"], keep=9, flex=True, least=16, most=40),
    Col("lat", lambda c: f"{c['latitude']:.5f}", keep=7, right=True),
    Col("lng", lambda c: f"{c['longitude']:.5f}", keep=7, right=True),
    Col("score", lambda c: str(c["relationship_score"]), keep=6, right=True),
)

RELATED_COLS = (
    Col("id", lambda c: c["id"], keep=9, short=lambda c: c["id"][:8]),
    Col("name", lambda c: c["display_name"], keep=9, flex=True, least=16, most=40),
    Col("company", lambda c: c.get("company") or "", keep=6, flex=True, least=12, most=30),
    Col("score", lambda c: str(c["relationship_score"]), keep=5, right=True),
    Col("why", lambda c: ", ".join(c["reasons"]), keep=7, flex=True, least=12, most=60),
)


@app.command("map")
def map_(
    bbox: Annotated[str, typer.Option("--bbox", help="minLng,minLat,maxLng,maxLat (inclusive).")],
    limit: Annotated[
        int | None, typer.Option(min=1, max=2000, help="At most N (1-2000; 500 at most come back).")
    ] = None,
    fmt: o.Format = None,
    fields: o.Fields = None,
    no_pager: o.NoPager = False,
    json_out: o.Json = False,
    nl: o.Nl = False,
    now: o.Now = None,
) -> None:
    """Contacts located inside a box on the map, best relationships first (archived and 2nd tier left out;
    --format, --fields).

    Example: pcrm contacts map --bbox=-123,37,-122,38 --limit 50
    """
    opts = list_opts(MAP_COLS, fmt, fields, json_out, nl, now)  # a bad --format or --fields fails here
    resolved = resolve_format(fmt, json_out, nl)[0]
    chosen = pick(MAP_COLS, fields)

    def render(result: Any) -> None:
        if result.data:
            print_rows(result.data, chosen, resolved, pager=not no_pager, asked=fields is not None)
        total = result.meta["total_in_bounds"]
        shown = len(result.data)
        if not total:
            nothing(
                "nobody located in the box; `pcrm geocode` places contacts by their location "
                "(and `pcrm contacts edit CONTACT --location CITY` gives one)",
                resolved,
            )
            return
        err().print(
            f"[dim]showing {shown} of {total} in the box"
            + (" — zoom in for more" if total > shown else "")
            + "[/]"
        )

    # a min above its max is a box typed the wrong way round here; the API answers it with nothing
    run(
        replace(opts, render=render, options=(("bbox", "--bbox"),)),
        views.contacts_map,
        bbox,
        limit=limit,
        ordered=True,
    )


@app.command("related")
def related(
    contact: Contact,
    fmt: o.Format = None,
    fields: o.Fields = None,
    json_out: o.Json = False,
    nl: o.Nl = False,
    now: o.Now = None,
) -> None:
    """Up to 5 people related to a contact: same organization, same company or shared tags (--format,
    --fields).

    Example: pcrm contacts related "Ada Lovelace"
    """
    run(
        list_opts(
            RELATED_COLS,
            fmt,
            fields,
            json_out,
            nl,
            now,
            empty="no related contacts (none shares its organization, company or a tag); "
            "`pcrm contacts tag CONTACT TAG` groups people",
        ),
        views.related_contacts,
        Ref(contacts.resolve_ref, contact),
    )


def _where(items: list[str] | None) -> dict[str, str] | None:
    if not items:
        return None
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise typer.BadParameter(
                f"{item!r}: use KEY=VALUE, e.g. --where tag=investor", param_hint="--where"
            )
        out[key.strip().replace("-", "_")] = value.strip()
    return out


def _at_where(e: PcrmError, filters: dict[str, str] | None) -> None:
    """A refused --where filter names --where on stderr [cli-failures]: `--where zzz=1` said "unknown filter
    zzz", naming no option, and `--where priority=zzz --priority low` named --priority, the new value, which
    was fine. The --json envelope keeps the API's terms."""
    if isinstance(e, ValidationError) and e.message == "nothing to change":  # the API's words name fields
        from pcrm.services.bulk import NOTHING_TO_CHANGE_CLI

        e.hint = NOTHING_TO_CHANGE_CLI
    if not isinstance(e, ValidationError) or not filters or e.message.startswith("-"):
        return
    if not {f.get("field") for f in e.details.get("fields") or []} & set(filters):
        return
    if e.message.startswith("unknown filter"):
        e.hint = f"--where takes KEY=VALUE, KEY one of: {', '.join(FILTER_KEYS)}"
    e.message = f"--where: {e.message}"


@app.command("bulk-update")
def bulk_update(
    contacts_: Annotated[
        list[str] | None,
        typer.Argument(metavar="[CONTACT]...", help="Contacts to change (or use --where)."),
    ] = None,
    where: Annotated[
        list[str] | None,
        typer.Option(
            "--where",
            help=(
                "Select by a list filter instead, KEY=VALUE (repeatable): "
                "tag=investor, priority=low, search=lisbon, score=dormant, ..."
            ),
        ),
    ] = None,
    add_tag: Annotated[list[str] | None, typer.Option("--add-tag", help="Tag to add (repeatable).")] = None,
    remove_tag: Annotated[
        list[str] | None, typer.Option("--remove-tag", help="Tag to remove (repeatable).")
    ] = None,
    priority: Annotated[
        str | None,
        typer.Option(help="high, medium, low or archived (archiving dismisses their suggestions)."),
    ] = None,
    company: Annotated[str | None, typer.Option(help='Company for all of them ("" clears it).')] = None,
    dry_run: o.DryRun = False,
    yes: o.YesAtTerminal = False,
    json_out: o.Json = False,
    now: o.Now = None,
) -> None:
    """Change tags, priority or company of many contacts at once. At a terminal, a change to more than 5
    contacts says how many and asks first. Each update can be taken back: it says its id, and
    `pcrm contacts bulk-undo ID` puts back what it changed.

    Example: pcrm contacts bulk-update --where tag=conference --where score=dormant --priority low --dry-run

    Example: pcrm contacts bulk-update --where score=dormant --add-tag quiet --yes
    """
    from pcrm.services import bulk  # lazy: the other commands here (stats, map, ...) do not need it

    filters = _where(where)
    body: dict[str, Any] = {
        "add_tags": add_tag or None,
        "remove_tags": remove_tag or None,
        "priority_level": priority,
    }
    body = {k: v for k, v in body.items() if v is not None}
    if company is not None:
        body["company"] = company

    def call(ctx: Any) -> Any:
        if contacts_ and filters is not None:
            raise ValidationError(
                "give contacts or --where filters, not both",
                field="contact_ids",
                hint="e.g. pcrm contacts bulk-update --where tag=investor --priority high",
            )
        if not contacts_ and filters is None:
            raise ValidationError(
                "say which contacts: name them, or select with --where",
                field="contact_ids",
                hint='e.g. pcrm contacts bulk-update "Ada Lovelace" "Shafi Okafor" --add-tag investor',
            )
        ids = [contacts.resolve_ref(ctx, c) for c in contacts_] if contacts_ else None
        asked = {**body, "contact_ids": ids} if ids else body
        if not dry_run and not yes:  # [bulk-undo]: a big change says how big before it is made
            n = bulk.bulk_update(ctx, asked, filters=filters, dry_run=True).meta["changed"]
            if n > bulk.ASK_OVER:
                ask_at_terminal(
                    yes, f"Change {counted(n, 'contact')}? (pcrm contacts bulk-undo takes it back)"
                )
        return bulk.bulk_update(ctx, asked, filters=filters, dry_run=dry_run)

    def render(result: Any) -> None:
        n, changed = result.data["updated"], result.meta["changed"]
        dry = bool(result.meta.get("dry_run"))
        if dry:
            for c in result.data.get("contacts") or []:
                out().print(f"{c['id'][:8]}  {c['display_name']}", markup=False, soft_wrap=True)
        said = _bulk_said(n, changed, dry=dry, why=_as_asked(n, add_tag, remove_tag, priority, company))
        extra = result.meta.get("suggestions_dismissed")
        if extra:
            said += f"; {counted(extra, 'suggestion')} dismissed"
        out().print(said + (" (dry run: nothing changed)" if dry else ""), markup=False, soft_wrap=True)
        undo_line(result)
        if result.meta.get("note"):  # `2nd tier` given to people you talked with: kept, said [second-tier]
            err().print(f"note: {result.meta['note']}", markup=False, soft_wrap=True)
        comma_note(add_tag or [], lambda parts: _apart("--add-tag", parts))
        comma_note(remove_tag or [], lambda parts: _apart("--remove-tag", parts))

    options = (("add_tags", "--add-tag"), ("remove_tags", "--remove-tag"), ("priority_level", "--priority"))
    words = functools.partial(_at_where, filters=filters)
    run(Opts(json_out, now=now, render=render, options=options, words=words), call)


def _apart(flag: str, parts: list[str]) -> str:
    """The bulk update giving these tags apart [tag-commas]."""
    return "pcrm contacts bulk-update ... " + " ".join(f"{flag} {p}" for p in parts)


def _bulk_said(n: int, changed: int, *, dry: bool, why: str) -> str:
    """What a bulk update did to the contacts it selected [bulk-edits]: those already as asked were
    selected but not changed, and the count says so (never "updated 1 contact" when nothing changed)."""
    verb = "would update" if dry else "updated"
    if changed == n:
        return f"{verb} {counted(n, 'contact')}"
    if not changed:
        return f"{counted(n, 'contact')} selected, none {'would change' if dry else 'changed'}: {why}"
    rest = n - changed
    return (
        f"{verb} {changed:,} of {counted(n, 'contact')} selected; "
        f"{counted(rest, 'other')} already {'was' if rest == 1 else 'were'} as asked"
    )


def _quoted(value: str) -> str:
    """A value in quotes, as typed: in single quotes, or in double ones when it holds a single quote (repr
    doubled every backslash, `'a\\\\b'` for the tag `a\\b`)."""
    return f'"{value}"' if "'" in value else f"'{value}'"


def _as_asked(
    n: int, add: list[str] | None, remove: list[str] | None, priority: str | None, company: str | None
) -> str:
    """Why a bulk update changed none of the `n` contacts it selected: each already was as asked."""
    from pcrm.domain.normalize import tags as norm_tags

    def named(tags: list[str]) -> str:
        return ("the tag " if len(tags) == 1 else "the tags ") + ", ".join(_quoted(t) for t in tags)

    each = "it" if n == 1 else "each"
    why: list[str] = []
    if remove:
        tags = norm_tags(remove)
        if n == 1:
            why.append(f"it had none of {named(tags)}" if len(tags) > 1 else f"it did not have {named(tags)}")
        else:
            why.append(f"none had {'any of ' if len(tags) > 1 else ''}{named(tags)}")
    if add:
        why.append(f"{each} already had {named(norm_tags(add))}")
    if priority:
        why.append(f"{each} already had priority {priority.strip().lower()}")
    if company is not None:
        name = " ".join(company.split())
        why.append(
            f"{each} already had company {_quoted(name)}"
            if name
            else ("it had no company" if n == 1 else "none had a company")
        )
    return "; ".join(why) or "each already was as asked"


@app.command("bulk-undo")
def bulk_undo(
    bulk_update_id: Annotated[
        str,
        typer.Argument(
            help="The id bulk-update said or bulk-updates lists (or a unique prefix, 4 characters or more)."
        ),
    ],
    dry_run: o.DryRun = False,
    yes: o.YesAtTerminal = False,
    json_out: o.Json = False,
    now: o.Now = None,
) -> None:
    """Take back a bulk update, AI tagging (`pcrm tags apply`, `pcrm contacts auto-tag`), a tag rename or
    delete, or an organization's edit, removal or addition (`pcrm orgs edit|rm|add`): put back the tags,
    priority, company and organization it changed, as they were. A contact edited since in one of those is
    left alone and named (--dry-run: say who, change nothing). `pcrm contacts bulk-updates` lists them.

    Example: pcrm contacts bulk-undo "$(pcrm contacts bulk-update --where score=dormant --add-tag quiet
    --yes --json | jq -r .data.bulk_update_id)" --dry-run
    """
    from pcrm.services import bulk  # lazy: the other commands here (stats, map, ...) do not need it

    def call(ctx: Any) -> Any:
        if not dry_run:  # a wrong or spent id is said before any question
            target = bulk.undo_target(ctx, bulk_update_id)
            if target["contacts"] > bulk.ASK_OVER:
                named = "bulk update" if target["change"] == "bulk update" else f"the {target['change']}"
                many = counted(target["contacts"], "contact")
                ask_at_terminal(yes, f"Undo {named} {target['id'][:8]} ({many})?")
        return bulk.undo(ctx, bulk_update_id, dry_run=dry_run)

    def render(result: Any) -> None:
        from rich.markup import escape

        d = result.data
        dry = bool(result.meta.get("dry_run"))
        said = _undone_words(d, result.meta, dry)
        out().print(said, markup=False, soft_wrap=True)
        names_block("puts back" if dry else "put back", [c["display_name"] for c in d["contacts"]])
        leaves = "would leave" if dry else "left"
        since = (d.get("change") or "bulk update").split(" of ", 1)[0]  # the rename, the removal, ...
        if result.meta.get("taxonomy_restored") is False:
            err().print(
                f"[yellow]{leaves} the tag taxonomy alone[/]: edited since; see it with `pcrm tags taxonomy`",
                soft_wrap=True,
            )
        for k in d["kept"]:
            err().print(
                f"[yellow]{leaves} {escape(k['display_name'])} alone[/]: edited since the {since} "
                f"({escape('; '.join(k['why']))}); change it by hand with `pcrm contacts edit {k['id'][:8]}`",
                soft_wrap=True,
            )
        if result.meta.get("note"):  # a logo file the undo no longer needs would not go [bulk-undo]
            err().print(f"note: {result.meta['note']}", markup=False, soft_wrap=True)
        if result.meta.get("undo") and not dry:  # [bulk-undo]: still open for those left alone
            err().print(
                "once what changed them since is undone (a merge by `pcrm contacts unmerge`), undo them "
                f"with: {result.meta['undo']}",
                markup=False,
                soft_wrap=True,
            )

    run(Opts(json_out, now=now, render=render), call)


def _undone_words(d: dict[str, Any], meta: dict[str, Any], dry: bool) -> str:
    """What `pcrm contacts bulk-undo` did, in a sentence [bulk-undo]: "undid bulk update 1a2b3c4d: put back
    5 contacts; ...", an organization's change named by its kind ("undid the rename of organization
    'Globex' to 'Globex Inc' (1a2b3c4d): ..."), its contacts said only when it changed some."""
    head = "dry run, nothing changed: would undo" if dry else "undid"
    org_kind = str(d.get("kind") or "").startswith("org-")
    if org_kind or d.get("kind") == "contact-company":
        head += f" the {d['change']} ({d['bulk_update_id'][:8]})"
    else:
        head += f" bulk update {d['bulk_update_id'][:8]}"
    parts: list[str] = []
    if not org_kind or d["restored"] or d["kept"] or d["gone"]:  # an organization's alone: no "0 contacts"
        parts.append(f"put back {counted(d['restored'], 'contact')}")
    if d["kept"]:  # [bulk-undo]: who they are and why they stay
        n = len(d["kept"])
        left = "would be left" if dry else "left"
        parts.append(f"{counted(n, 'contact')} edited since, {left} as {'it is' if n == 1 else 'they are'}")
    if d["gone"]:
        parts.append(f"{counted(d['gone'], 'contact')} no longer there (deleted or merged since)")
    if meta.get("suggestions_reopened"):
        parts.append(f"{counted(meta['suggestions_reopened'], 'suggestion')} reopened")
    if meta.get("taxonomy_restored"):  # a tag rename or delete's [bulk-undo]
        parts.append("put back the tag taxonomy")
    if meta.get("contacts_renamed"):  # a rename's undo: those linked since [company-orgs]
        n = meta["contacts_renamed"]
        parts.append(
            f"{'would rename' if dry else 'renamed'} the company of {counted(n, 'contact')} linked to it "
            f"since to {meta['organization_restored']!r}"
        )
    if meta.get("logo_restored"):  # the logo an edit wrote over
        parts.append("put back its logo")
    elif meta.get("logo_removed"):  # a first logo, fetched by the change
        parts.append("took off its logo")
    elif meta.get("logo_restored") is False:
        org = shlex.quote(str(meta.get("organization_restored") or "ORG"))
        parts.append(f"its old logo is gone (`pcrm orgs logos {org} --force` fetches one again)")
    verb = "added" if d.get("kind") == "org-add" else "made"
    taking = ("would take out", "would leave") if dry else ("took out", "left")
    for key, words in zip(("organizations_dropped", "organizations_left"), taking, strict=True):
        names = meta.get(key) or []
        if names:
            what = "the organization" if len(names) == 1 else "the organizations"
            used = ": used since" if key == "organizations_left" else ""
            parts.append(f"{words} {what} {listed_words([repr(n) for n in names])} it {verb}{used}")
    return head + (": " + "; ".join(parts) if parts else "")


def _undone(b: dict[str, Any]) -> str:
    """The list's `undone` cell: when, `no`, or partly (an undo that left some contacts) [bulk-undo]."""
    if b["undone"]:
        return moment(b["undone_at"])
    if b.get("partly_undone"):
        return f"partly: {b['restored']} restored, {b['left']} left"
    return "no"


BULK_COLS = (
    Col("id", lambda b: b["id"], keep=9, short=lambda b: b["id"][:8]),
    Col("when", lambda b: moment(b["created_at"]), keep=8),
    Col("what", lambda b: b["what"], keep=7, flex=True, least=16, most=60),
    Col("contacts", lambda b: str(b["contacts"]), keep=6, right=True),
    Col("undone", _undone, keep=5),
)


@app.command("bulk-updates")
def bulk_updates(
    limit: o.Limit = None,
    fmt: o.Format = None,
    fields: o.Fields = None,
    no_pager: o.NoPager = False,
    json_out: o.Json = False,
    nl: o.Nl = False,
) -> None:
    """List the changes `pcrm contacts bulk-undo ID` takes back, newest first: bulk updates, AI tagging
    (`pcrm tags apply`, `pcrm contacts auto-tag`), tag renames and deletes, organization edits, removals
    and additions (`pcrm orgs edit|rm|add`), each with how many contacts it changed and whether it was
    undone (partly: some left, edited since).

    Example: pcrm contacts bulk-updates --limit 5
    """
    from pcrm.services import bulk  # lazy: the other commands here (stats, map, ...) do not need it

    opts = list_opts(
        BULK_COLS,
        fmt,
        fields,
        json_out,
        nl,
        empty="no bulk updates yet; pcrm contacts bulk-update --help shows how to make one",
        more="--limit N for more",
        no_pager=no_pager,
    )
    run(opts, bulk.list_updates, limit=limit)


@app.command("reconcile")
def reconcile(json_out: o.Json = False, now: o.Now = None) -> None:
    """Recompute 'last interaction' where it is missing or stale (after past meetings, say), never from
    the future.

    Example: pcrm contacts reconcile
    """
    from pcrm.services import bulk  # lazy: the other commands here (stats, map, ...) do not need it

    run(
        Opts(
            json_out,
            now=now,
            render=lambda result: out().print(f"updated {counted(result.data['updated_count'], 'contact')}"),
        ),
        bulk.reconcile_last_interaction,
    )


@app.command("promote")
def promote(contact: Contact, json_out: o.Json = False) -> None:
    """Promote a 2nd-tier contact (a Telegram group member, say) to your first tier.

    Example: pcrm contacts tag "Ada Lovelace" "2nd tier" && pcrm contacts promote "Ada Lovelace"
    """
    from pcrm.services import bulk  # lazy: the other commands here (stats, map, ...) do not need it

    run(
        Opts(json_out, render=done("promoted {id}")), bulk.promote_contact, Ref(contacts.resolve_ref, contact)
    )
