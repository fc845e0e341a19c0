"""`pcrm orgs list | add | show | edit | rm | stats | merge | logos`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pcrm.cli import _options as o
from pcrm.cli._output import Opts, Ref, confirm, err, moment, out, run, when
from pcrm.cli._render import ago, list_opts, undo_line
from pcrm.cli._table import Col, print_rows
from pcrm.domain.wording import counted, field_words, listed_words, value_words
from pcrm.errors import ValidationError
from pcrm.services import organizations

app = typer.Typer(help="Organizations: the companies your contacts work at.", no_args_is_help=True)

Org = Annotated[str, typer.Argument(help="An organization: id, id prefix or exact name.")]
Domain = Annotated[str | None, typer.Option(help="Its own web domain, e.g. analytical.io.")]
Industry = Annotated[str | None, typer.Option(help="Industry.")]
Location = Annotated[str | None, typer.Option(help="Where it is based.")]
Website = Annotated[str | None, typer.Option(help="Website URL.")]
LinkedIn = Annotated[str | None, typer.Option("--linkedin-url", help="LinkedIn company page.")]
Twitter = Annotated[str | None, typer.Option("--twitter", help="X/Twitter handle.")]
Notes = Annotated[str | None, typer.Option(help=f"Free-text notes; {o.FROM_STDIN}")]
# the fields whose API names differ from the options: an error names the option typed [cli-failures]
ORG_OPTIONS = (("linkedin_url", "--linkedin-url"), ("twitter_handle", "--twitter"))


def _fields(**kw: Any) -> dict[str, Any]:
    return {k: v for k, v in kw.items() if v is not None}


ORG_COLS = (
    Col("id", lambda g: g["id"], keep=9, short=lambda g: g["id"][:8]),
    Col("name", lambda g: g["name"], keep=10, flex=True, least=12, most=32),
    Col("domain", lambda g: g.get("domain") or "", keep=4, flex=True, least=10, most=28),
    # the contacts `contacts list` shows, then the archived ones it leaves out [org-counts]
    Col("contacts", lambda g: str(g["contact_count"]), keep=8, right=True),
    Col("archived", lambda g: str(g.get("archived_contact_count", 0)), keep=7, right=True, default=False),
    Col("avg score", lambda g: str(g["avg_relationship_score"]), keep=5, right=True),
    Col("interactions", lambda g: str(g["total_interactions"]), keep=3, right=True),
    # a table says how long ago, as the contact tables do; plain and csv keep the date [daily-output]
    Col(
        "last",
        lambda g: when(g["last_interaction_at"]),
        keep=6,
        short=lambda g: ago(g["last_interaction_at"]),
    ),
)


_DETAIL = (
    "name",
    "former_names",
    "domain",
    "industry",
    "location",
    "website",
    "linkedin_url",
    "twitter_handle",
    "notes",
    "logo_url",
    "contact_count",
    "archived_contact_count",
    "avg_relationship_score",
    "total_interactions",
    "last_interaction_at",
    "created_at",
    "updated_at",
)


def _detail(result: Any) -> None:
    from rich.markup import escape
    from rich.table import Table

    org = result.data
    console = out()
    table = Table(show_header=False, show_edge=False, box=None, padding=(0, 2, 0, 0))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    table.add_row("id", org["id"])
    for key in _DETAIL:
        v = org.get(key)
        if key == "archived_contact_count" and not v:
            continue  # said when there are some: the contact count leaves them out [org-counts]
        if v not in (None, "", []):
            table.add_row(key.replace("_", " "), escape(_shown(key, v)))
    console.print(table)
    for key in ("contacts_renamed", "contacts_assigned"):
        if result.meta.get(key):
            console.print(f"[dim]{key.replace('_', ' ')}: {result.meta[key]}[/]")
    for other in result.meta.get("same_domain") or []:  # [org-dedupe]: said now, not found out at the scan
        err().print(
            f"note: {other['name']} ({other['id'][:8]}) has the domain {org['domain']} too; "
            f"`pcrm orgs duplicates scan` will merge the two (`pcrm orgs merge {other['id'][:8]} --into "
            f"{org['id'][:8]}` does it now), or give this one another domain",
            markup=False,
        )
    _logo_said(result)
    members = org.get("contacts")
    if members:
        total = result.meta.get("contacts_total") or len(members)
        title = "contacts" if total <= len(members) else f"contacts (the first {len(members)} of {total})"
        # a table at any width (a detail view, not a list): one line a person, columns by width
        print_rows(members, MEMBER_COLS, "table", title=title, pager=False)


def _shown(key: str, v: Any) -> str:
    """A detail value for people: the last interaction as how long ago, then its day, as `contacts show`
    says it [daily-output]; when it was added or changed as the moment."""
    if key == "last_interaction_at":
        return f"{ago(str(v))} ({when(str(v))})"
    if isinstance(v, list):  # former names
        return ", ".join(map(str, v))
    return moment(v) if key.endswith("_at") else str(v)


def _logo_said(result: Any) -> None:
    logo = result.meta.get("logo")
    if logo and not logo["fetched"]:  # [org-logo-on-save]: saved all the same; say why, and how to retry
        err().print(
            f"logo not fetched: {logo['message']}. The organization is saved; try again later with "
            f"`pcrm orgs logos {result.data['id'][:8]} --force`",
            markup=False,
        )


MEMBER_COLS = (
    Col("id", lambda c: c["id"][:8], keep=9),
    Col("name", lambda c: c["display_name"], keep=9, flex=True, least=16, most=40),
    Col("title", lambda c: c.get("title") or "", keep=5, flex=True, least=10, most=30, hide_empty=True),
    Col("score", lambda c: str(c["relationship_score"]), keep=7, right=True),
    Col("priority", lambda c: c["priority_level"], keep=6),
    Col(
        "last",
        lambda c: when(c.get("last_interaction_at")),
        keep=4,
        short=lambda c: ago(c.get("last_interaction_at")),
    ),
)


def _no_orgs(search: str | None, all_: bool) -> str:
    """What an empty organization list says: whether the search or the hidden ones (no active contacts)
    made it empty, and the command that shows more [readable-tables]."""
    if search:
        if all_:
            return f"no organization matches {search!r}; `pcrm orgs list --all` (no --search) lists every one"
        return f"no organization with active contacts matches {search!r}; add --all to search every one"
    if all_:
        return "no organizations; add one with `pcrm orgs add NAME` (a contact's company makes one too)"
    return "no organizations (those without active contacts are hidden: add --all to see them)"


@app.command("list")
def list_(
    search: Annotated[
        str | None, typer.Option("--search", "-s", help="Text in the name.", callback=o.name_search)
    ] = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Include organizations with no active contacts.")
    ] = False,
    page: o.Page = None,
    page_size: o.PageSize = None,
    fmt: o.Format = None,
    fields: o.Fields = None,
    no_pager: o.NoPager = False,
    json_out: o.Json = False,
    nl: o.Nl = False,
    now: o.Now = None,
) -> None:
    """Organizations with active contacts, by name, with contact counts (as `contacts list` counts them:
    archived ones apart) and scores (--format, --fields: id, name, domain, contacts, archived, avg score,
    interactions, last).

    Example: pcrm orgs list --search labs
    """
    run(
        list_opts(
            ORG_COLS,
            fmt,
            fields,
            json_out,
            nl,
            now,
            empty=_no_orgs(search, all_),
            more="--page N or --nl for the rest",
            no_pager=no_pager,
        ),
        organizations.list_organizations,
        search=search,
        page=page,
        page_size=page_size,
        include_empty=all_,
    )


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The organization's name.")],
    domain: Domain = None,
    industry: Industry = None,
    location: Location = None,
    website: Website = None,
    linkedin_url: LinkedIn = None,
    twitter: Twitter = None,
    notes: Notes = None,
    json_out: o.Json = False,
    now: o.Now = None,
) -> None:
    """Add an organization. Contacts without one whose email is at --domain join it. With logos on
    (`logos.enabled`), its logo is fetched from --website or --domain, a few seconds at most.

    Example: pcrm orgs add "Difference Engines" --domain difference.example --industry Computing
    """
    data = _fields(
        name=name,
        domain=domain,
        industry=industry,
        location=location,
        website=website,
        linkedin_url=linkedin_url,
        twitter_handle=twitter,
        notes=o.text_or_stdin(notes),
    )

    def render(result: Any) -> None:
        _detail(result)
        undo_line(result)  # [bulk-undo]: when it linked contacts

    run(Opts(json_out, now=now, render=render, options=ORG_OPTIONS), organizations.create_organization, data)


@app.command("show")
def show(org: Org, json_out: o.Json = False, now: o.Now = None) -> None:
    """Show an organization, its stats and its contacts.

    Example: pcrm orgs show "Analytical Engines"
    """
    run(
        Opts(json_out, now=now, render=_detail),
        organizations.get_organization,
        Ref(organizations.resolve_ref, org),
    )


@app.command("edit")
def edit(
    org: Org,
    name: Annotated[
        str | None, typer.Option("--name", "-n", help="New name (copied to its contacts' company).")
    ] = None,
    domain: Domain = None,
    industry: Industry = None,
    location: Location = None,
    website: Website = None,
    linkedin_url: LinkedIn = None,
    twitter: Twitter = None,
    notes: Notes = None,
    clear: Annotated[
        list[str] | None,
        typer.Option("--clear", help="Empty this field (repeatable), e.g. --clear website."),
    ] = None,
    json_out: o.Json = False,
    now: o.Now = None,
) -> None:
    """Change some fields of an organization. A new name becomes the company of every linked contact; with
    logos on, a new --website or --domain brings its logo. `pcrm contacts bulk-undo ID` takes it back.

    Example: pcrm orgs edit "Analytical Engines" --name "Analytical Engines Ltd" --clear website
    """
    data: dict[str, Any] = _fields(
        name=name,
        domain=domain,
        industry=industry,
        location=location,
        website=website,
        linkedin_url=linkedin_url,
        twitter_handle=twitter,
        notes=o.text_or_stdin(notes),
    )

    def call(ctx: Any) -> Any:
        for typed in clear or []:
            field = _clear_field(typed)
            if field in data:  # a value and an emptying of one field: refused whole, nothing changed
                option = "--twitter" if field == "twitter_handle" else "--" + field.replace("_", "-")
                raise ValidationError(
                    f"{option} changes the {field_words(field)} and --clear {typed} empties it: "
                    "use one or the other",
                    field="clear",
                    hint=f"give {option} alone to change it, or --clear {typed} alone to empty it",
                ).on_command_line("--clear")
            data[field] = None
        return organizations.update_organization(ctx, organizations.resolve_ref(ctx, org), data)

    def render(result: Any) -> None:
        if result.meta.get("unchanged"):  # every value given is the one it has [no-op-edits]
            named = listed_words([field_words(f) for f in data])
            err().print(
                f"nothing to change: {result.data['name']} already has the {named} given", markup=False
            )
            _logo_said(result)
            return
        _detail(result)
        undo_line(result)  # [bulk-undo]

    run(Opts(json_out, now=now, render=render, options=ORG_OPTIONS), call)


# what `orgs edit --clear X` takes: the option names as typed (with or without dashes), and the field names
_CLEARABLE = {
    "domain": "domain",
    "industry": "industry",
    "location": "location",
    "website": "website",
    "linkedin_url": "linkedin_url",
    "linkedin": "linkedin_url",
    "twitter": "twitter_handle",
    "twitter_handle": "twitter_handle",
    "x": "twitter_handle",
    "notes": "notes",
}


def _clear_field(typed: str) -> str:
    """The field `--clear X` empties: `website`, `--website`, `linkedin-url`, `linkedin_url`, `twitter`."""
    key = "_".join(typed.strip().lstrip("-").lower().replace("-", " ").replace("_", " ").split())
    if key not in _CLEARABLE:
        raise ValidationError(
            f"--clear {typed}: not a field that can be emptied",
            field="clear",
            hint="clear one of: domain, industry, location, website, linkedin-url, twitter, notes "
            "(an organization keeps its name: rename it with --name)",
        ).on_command_line("--clear")
    return _CLEARABLE[key]


@app.command("rm")
def rm(org: Org, yes: o.Yes = False, json_out: o.Json = False) -> None:
    """Delete an organization; its contacts stay (unlinked, company text kept). Asks first; --yes when not
    at a terminal. It says its id: `pcrm contacts bulk-undo ID` brings it back with its contacts.

    Example: pcrm orgs rm Globex --yes
    """

    def call(ctx: Any) -> Any:
        oid = organizations.resolve_ref(ctx, org)
        if not yes:
            found = organizations.get_organization(ctx, oid)
            info = found.data
            # the detail lists the first contacts only: the count is the total, as 'orgs show' says it
            unlinked = counted(found.meta.get("contacts_total") or len(info["contacts"]), "contact")
            confirm(yes, f"Delete {info['name']} ({unlinked} will be unlinked)?")
        return organizations.delete_organization(ctx, oid)

    def render(result: Any) -> None:
        unlinked = counted(result.meta.get("contacts_unlinked", 0), "contact")
        out().print(f"deleted {result.data['id']} ({unlinked} unlinked)")
        undo_line(result)  # [bulk-undo]: it comes back with its values and contacts

    run(Opts(json_out, render=render), call)


@app.command("stats")
def stats(org: Org, json_out: o.Json = False, now: o.Now = None) -> None:
    """Contact count, average score, interactions and last interaction of an organization.

    The stats are over its contacts that are not archived; the archived ones are counted apart.

    Example: pcrm orgs stats Globex
    """

    def render(result: Any) -> None:
        s = result.data
        # the archived contacts the stats leave out, said when there are some, as `orgs show` [org-counts]
        archived = s.get("archived_contact_count") or 0
        apart = f" · {archived} archived" if archived else ""
        out().print(
            f"{counted(s['contact_count'], 'contact')}{apart} · avg score {s['avg_relationship_score']} · "
            f"{counted(s['total_interactions'], 'interaction')} · last {when(s['last_interaction_at'])}"
        )

    run(
        Opts(json_out, now=now, render=render),
        organizations.organization_stats,
        Ref(organizations.resolve_ref, org),
    )


@app.command("merge")
def merge(
    sources: Annotated[list[str], typer.Argument(help="Organizations to merge away.")],
    into: Annotated[str, typer.Option("--into", help="The organization that stays.")],
    json_out: o.Json = False,
) -> None:
    """Merge organizations into one: their contacts move over and take its name; empty fields are filled.

    Example: pcrm orgs add "Globex Corp" && pcrm orgs merge "Globex Corp" --into Globex
    """

    def call(ctx: Any) -> Any:
        return organizations.merge_organizations(ctx, sources, into, by_reference=True)

    def render(result: Any) -> None:
        from rich.markup import escape

        d = result.data
        out().print(
            f"merged {counted(d['source_organizations_merged'], 'organization')} into [bold]"
            f"{escape(d['target_name'])}[/]; {counted(d['contacts_updated'], 'contact')} moved"
        )
        kept = kept_words(d.get("values_kept") or [])
        if kept:
            out().print(f"kept in {d['target_name']}'s notes: {kept}", markup=False, highlight=False)
        for skip in result.meta.get("skipped") or []:
            err().print(f"skipped {skip['id']!r}: {skip['message']}", markup=False, highlight=False)
        for merge_id in result.meta.get("merge_ids") or []:
            out().print(f"[dim]undo: pcrm orgs unmerge {merge_id[:8]}[/]")

    run(Opts(json_out, render=render), call)


def kept_words(values: list[dict[str, Any]]) -> str:
    """What a merge kept of the organizations merged away in the kept one's notes, in words [org-dedupe]:
    "Globex Inc's industry Banking, location Paris and notes", "Initech's LinkedIn URL ... and X handle
    @initech" (the fields named as every sentence of pcrm names them)."""
    by_org: dict[str, list[str]] = {}
    for v in values:
        word = "notes" if v["field"] == "notes" else value_words(v["field"], v["value"])
        by_org.setdefault(v["organization"], []).append(word)
    parts = []
    for org, said in by_org.items():
        parts.append(f"{org}'s {listed_words(said)}")
    return "; ".join(parts)


@app.command("unmerge")
def unmerge(
    merge_id: Annotated[str, typer.Argument(help="A merge id from `pcrm orgs merges` (or a unique prefix).")],
    json_out: o.Json = False,
) -> None:
    """Undo an organization merge: the organization merged away comes back with its id and fields, and its
    contacts return to it with their old company (those moved or edited since stay where they are).

    Example: pcrm orgs add "Globex Corp" && pcrm orgs merge "Globex Corp" --into Globex && pcrm orgs unmerge
    "$(pcrm orgs merges --limit 1 --fields 'merge id')"
    """

    def render(result: Any) -> None:
        from rich.markup import escape

        d = result.data
        kept = len(d["contacts_kept_on_target"])
        out().print(
            f"restored [bold]{escape(d['name'])}[/] ({d['organization_id'][:8]}); "
            f"{counted(d['contacts_returned'], 'contact')} back"
            + (f", {kept} left where they are (moved or edited since)" if kept else "")
        )
        if d.get("target_notes_left"):  # [org-dedupe]: said, not left to be found
            err().print(
                f"note: the notes of the organization kept ({d['target_id'][:8]}) were edited since the "
                f"merge and are left as they are; {d['name']}'s own values and notes are back on {d['name']}",
                markup=False,
            )

    run(Opts(json_out, render=render), organizations.unmerge_organization, merge_id)


# one line a merge, the names in full in a pipe [readable-tables]
MERGE_COLS = (
    Col("merge id", lambda r: r["id"], keep=9, short=lambda r: r["id"][:8]),
    Col("when", lambda r: moment(r["merged_at"]), keep=7),
    Col("kept", lambda r: r["target_name"], keep=8, flex=True, least=12, most=40),
    Col("merged away", lambda r: r["source_name"] or "", keep=8, flex=True, least=12, most=40),
    Col("contacts", lambda r: str(r["contacts"]), keep=6, right=True),
    Col("undone", lambda r: when(r["unmerged_at"]) if r["unmerged_at"] else "", keep=5),
)


@app.command("merges")
def merges(
    limit: o.Limit = None,
    offset: o.Offset = None,
    fmt: o.Format = None,
    fields: o.Fields = None,
    no_pager: o.NoPager = False,
    json_out: o.Json = False,
    nl: o.Nl = False,
) -> None:
    """List organization merges, newest first, with the id `pcrm orgs unmerge` takes (--format, --fields).

    Example: pcrm orgs merges --limit 10
    """
    opts = list_opts(
        MERGE_COLS,
        fmt,
        fields,
        json_out,
        nl,
        empty="no organization merges yet; `pcrm orgs duplicates scan` looks for organizations to merge",
        more="--offset N or --limit N for more",
        no_pager=no_pager,
    )
    run(opts, organizations.merge_history, limit=limit, offset=offset)


@app.command("logos")
def logos(
    org: Annotated[
        str | None, typer.Argument(help="One organization (default: every one missing a logo).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Fetch again even if fetched recently.")] = False,
    json_out: o.Json = False,
) -> None:
    """Fetch organization logos from their websites (needs `logos.enabled`: it reaches the network).

    Example: pcrm orgs logos "Analytical Engines" --force
    """

    # what came of it in words, never the envelope printed as it is (that is --json)
    def render_all(result: Any) -> None:
        d = result.data
        if not d["fetched"] and not d["failed"]:
            out().print("no organization with a domain or website is missing a logo")
            return
        from pcrm.domain.wording import counted

        out().print(f"fetched {counted(d['fetched'], 'logo')}; {d['failed']:,} not found")
        if d["failed"]:
            err().print("try those again later with `pcrm orgs logos ORG --force`")

    def render_one(result: Any) -> None:
        d = result.data
        if d["refreshed"]:
            out().print(f"fetched the logo: {d['logo_url']}")
            undo_line(result)  # [bulk-undo]: a new logo can be taken back
            return
        out().print(
            {
                "refreshed_recently": "not fetched: it was fetched less than an hour ago (--force fetches "
                "it again)",
                "no_domain_or_website": "not fetched: it has no domain or website to fetch it from (give one "
                "with `pcrm orgs edit ORG --domain example.com`)",
            }.get(
                d.get("reason") or "",
                "not fetched: no logo found at its website or domain (try again later with --force)",
            )
        )

    if org is None:
        run(Opts(json_out, render=render_all), organizations.backfill_logos, wait=True)
    else:
        run(
            Opts(json_out, render=render_one),
            organizations.refresh_logo,
            Ref(organizations.resolve_ref, org),
            force=force,
        )
