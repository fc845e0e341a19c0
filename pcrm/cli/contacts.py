"""`pcrm contacts ...`: list, show, add, edit, rm, ids, tag, untag."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Annotated, Any

import typer

from pcrm.cli import _complete
from pcrm.cli import _options as o
from pcrm.cli._output import Opts, Ref, confirm, err, everything, fail, out, resolve, run
from pcrm.cli._render import (
    contact_cols,
    contact_detail,
    contact_events,
    list_opts,
    mutt_rows,
    recent_timeline,
)
from pcrm.cli._table import nothing
from pcrm.domain.models import display_name
from pcrm.domain.near_names import listing
from pcrm.domain.wording import counted, listed_tags
from pcrm.errors import ValidationError
from pcrm.services import contacts, views

app = typer.Typer(help="Add, find, edit and remove contacts.", no_args_is_help=True)

Contact = o.Contact


def _filters(**kw: Any) -> dict[str, Any]:
    # `is not` rather than `in`: 0 == False, and `--interaction-days 0` must reach validation
    return {k: v for k, v in kw.items() if v is not None and v is not False}


# the list filters whose API names differ from their options: an error names the option typed
# (`interaction_days must be from 1 to 365` -> `--interaction-days must be ...`) [cli-failures]
FILTER_OPTIONS = tuple(
    (f, "--" + f.replace("_", "-"))
    for f in (
        "date_from",
        "date_to",
        "interaction_from",
        "interaction_to",
        "interaction_days",
        "has_interactions",
        "has_birthday",
    )
)
# the contact fields whose API names differ from the options of `contacts add` and `contacts edit`: an error
# names the option typed (`telegram_username: 'a b' is not a handle` -> `--telegram: ...`) [cli-failures]
CONTACT_OPTIONS = (
    ("full_name", "--name"),
    ("given_name", "--given-name"),
    ("family_name", "--family-name"),
    ("emails", "--email"),
    ("phones", "--phone"),
    ("tags", "--tag"),
    ("priority_level", "--priority"),
    ("twitter_handle", "--twitter"),
    ("telegram_username", "--telegram"),
    ("linkedin_url", "--linkedin"),
)


def _no_contacts(filters: dict[str, Any], meta: dict[str, Any] | None = None) -> str:
    """What an empty contact list says, with the next step [readable-tables]; a tag nobody has is named,
    with the tags in use closest to it [unknown-tags], and a search that found nobody names the contacts a
    letter or two off it (meta.did_you_mean) [near-names]; one that left only archived contacts out says how
    to list them (meta.archived_matches) [hidden-contacts]."""
    if meta and meta.get("unknown_tag"):
        return "; ".join(contacts.unknown_tag_words(meta["unknown_tag"]))
    if not set(filters) - {"include_archived"}:
        return (
            "no contacts yet; add one with `pcrm contacts add --name NAME`, or bring a file in: "
            "pcrm import FILE"
        )
    hidden = (meta or {}).get("archived_matches")
    if hidden:
        return (
            f"no contacts match, but {counted(hidden, 'archived contact')} "
            f"{'does' if hidden == 1 else 'do'}; "
            "add --include-archived to list them "
            "(or --archived-only)"
        )
    close = (meta or {}).get("did_you_mean")
    if close:
        return f"no contacts match; did you mean {listing(close)}? `pcrm contacts show ID` shows one"
    return "no contacts match; `pcrm contacts list` without filters lists every one"


# The list filters of [contact-list], declared once for `list` and `ids`.
Search = Annotated[
    str | None,
    typer.Option(
        "--search",
        "-s",
        help="Text in names, company, tags, handles, emails, notes or messages; several words match in any "
        "order.",
        callback=o.contact_search,
    ),
]
TagF = Annotated[
    str | None, typer.Option("--tag", help="Only contacts with this tag.", autocompletion=_complete.tags)
]
Source = Annotated[
    str | None,
    typer.Option("--source", help="Only contacts from this source (csv, linkedin, manual, ...)."),
]
Score = Annotated[str | None, typer.Option("--score", help="strong (8+), active (4-7) or dormant (0-3).")]
PriorityF = Annotated[str | None, typer.Option("--priority", help="high, medium or low.")]
DateFrom = Annotated[str | None, typer.Option("--date-from", help="Created on or after YYYY-MM-DD.")]
DateTo = Annotated[str | None, typer.Option("--date-to", help="Created on or before YYYY-MM-DD.")]
InterFrom = Annotated[
    str | None, typer.Option("--interaction-from", help="Last interaction on or after YYYY-MM-DD.")
]
InterTo = Annotated[
    str | None, typer.Option("--interaction-to", help="Last interaction on or before YYYY-MM-DD.")
]
InterDays = Annotated[
    int | None, typer.Option("--interaction-days", help="Last interaction within N days (1-365).")
]
HasInter = Annotated[str | None, typer.Option("--has-interactions", help="true or false.")]
HasBirthday = Annotated[str | None, typer.Option("--has-birthday", help="true or false.")]
Ghosted = Annotated[bool, typer.Option("--ghosted", help="Your last 3 messages went unanswered.")]
ArchivedOnly = Annotated[bool, typer.Option("--archived-only", help="Only archived contacts.")]
InclArchived = Annotated[bool, typer.Option("--include-archived", help="Archived contacts too.")]


@app.command("list")
def list_(
    search: Search = None,
    tag: TagF = None,
    source: Source = None,
    score: Score = None,
    priority: PriorityF = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    interaction_from: InterFrom = None,
    interaction_to: InterTo = None,
    interaction_days: InterDays = None,
    has_interactions: HasInter = None,
    has_birthday: HasBirthday = None,
    ghosted: Ghosted = False,
    archived_only: ArchivedOnly = False,
    include_archived: InclArchived = False,
    sort: Annotated[
        str | None,
        typer.Option(
            help="score, created, interaction, activity, company, birthday, overdue or priority "
            "(recent: interaction)."
        ),
    ] = None,
    page: o.Page = None,
    page_size: o.PageSize = None,
    all_: o.All = False,
    fmt: o.Format = None,
    fields: o.Fields = None,
    no_pager: o.NoPager = False,
    json_out: o.Json = False,
    nl: o.Nl = False,
    now: o.Now = None,
) -> None:
    """List contacts, best relationships first, a page at a time (--all or --nl: every one). At a terminal
    a table that fits its width; in a pipe tab-separated rows (--format, --fields: id, name, company,
    email, phone, title, score, priority, last, tags). --format mutt: `email<TAB>name` lines for mutt's
    query_command (every match, or the page --page / --page-size ask for).

    Example: pcrm contacts list --search ada --tag investor --sort interaction
    """
    filters = _filters(
        search=search,
        tag=tag,
        source=source,
        score=score,
        priority=priority,
        date_from=date_from,
        date_to=date_to,
        interaction_from=interaction_from,
        interaction_to=interaction_to,
        interaction_days=interaction_days,
        has_interactions=has_interactions,
        has_birthday=has_birthday,
        ghosted=ghosted,
        archived_only=archived_only,
        include_archived=include_archived,
    )
    # mutt's query_command: every address of every match, or of one page when --page or --page-size
    # says so; --json and --nl win over it as over every --format, and its columns are fixed
    asked_mutt = (fmt or "").strip().lower() == "mutt"
    mutt = asked_mutt and not (json_out or nl)
    if mutt and fields:
        fail(
            ValidationError(
                "--format mutt prints email, name and company; it takes no --fields",
                field="fields",
                hint="leave out --fields, or use --format plain --fields email,name,company",
            ),
            json_out,
        )
    opts = (
        Opts(now=now, render=mutt_rows)
        if mutt
        else list_opts(
            contact_cols(),
            None if asked_mutt else fmt,
            fields,
            json_out,
            nl,
            now,
            empty=lambda r: _no_contacts(filters, r.meta),
            no_pager=no_pager,
            also=("mutt",),
        )
    )
    run(
        replace(opts, options=FILTER_OPTIONS),
        contacts.list_contacts,
        filters,
        sort=sort,
        page=page,
        page_size=page_size,
        everything=everything(
            all_ or (mutt and page is None and page_size is None), nl, page=page, page_size=page_size
        ),
    )


@app.command("ids")
def ids(
    search: Search = None,
    tag: TagF = None,
    source: Source = None,
    score: Score = None,
    priority: PriorityF = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    interaction_from: InterFrom = None,
    interaction_to: InterTo = None,
    interaction_days: InterDays = None,
    has_interactions: HasInter = None,
    has_birthday: HasBirthday = None,
    ghosted: Ghosted = False,
    archived_only: ArchivedOnly = False,
    include_archived: InclArchived = False,
    json_out: o.Json = False,
    now: o.Now = None,
) -> None:
    """Print the ids of every matching contact, one per line (for scripts).

    Example: pcrm contacts ids --tag investor | xargs -n1 pcrm contacts show
    """
    filters = _filters(
        search=search,
        tag=tag,
        source=source,
        score=score,
        priority=priority,
        date_from=date_from,
        date_to=date_to,
        interaction_from=interaction_from,
        interaction_to=interaction_to,
        interaction_days=interaction_days,
        has_interactions=has_interactions,
        has_birthday=has_birthday,
        ghosted=ghosted,
        archived_only=archived_only,
        include_archived=include_archived,
    )

    def render(result: Any) -> None:
        import sys

        if not result.data:  # stdout stays ids alone; the words go to stderr [readable-tables]
            nothing(_no_contacts(filters, result.meta), "plain")
        sys.stdout.write("".join(f"{i}\n" for i in result.data))

    run(Opts(json_out, now=now, render=render, options=FILTER_OPTIONS), contacts.contact_ids, filters)


@app.command("show")
def show(
    contact: Contact,
    recent: Annotated[
        int, typer.Option("--recent", min=0, max=50, help="How many recent interactions to show (default 5).")
    ] = 5,
    json_out: o.Json = False,
    now: o.Now = None,
) -> None:
    """Show one contact: its fields, the score with a one-line explanation, its events (a job change
    an import recorded) and the recent timeline (--json: the contact with its labels and the values
    it keeps (other_values), as GET /contacts/{id}; its events: pcrm contacts activity --json).

    Example: pcrm contacts show "Ada Lovelace" --recent 10
    """
    extra: dict[str, Any] = {}

    def call(ctx: Any) -> Any:
        cid = resolve(ctx, Ref(contacts.resolve_ref, contact))
        result = contacts.contact_with_labels(ctx, cid)
        if not json_out:  # for people only: --json stays the API's envelope
            from pcrm.services import activity, interactions

            extra["score"] = activity.explain_score(ctx, cid).data
            extra["other"] = result.data["other_values"]  # the rows --json carries [other-values]
            extra["labels"] = contacts.value_labels(ctx, cid)
            extra["events"] = activity.contact_events(ctx, cid)
            if recent:
                extra["timeline"] = interactions.recent_and_upcoming(ctx, cid, recent)
        return result

    def render(result: Any) -> None:
        contact_detail(result, score=extra.get("score"), other=extra.get("other"), labels=extra.get("labels"))
        contact_events(extra.get("events") or [])
        timeline = extra.get("timeline")
        if timeline is not None:
            recent_timeline(timeline)

    run(Opts(json_out, now=now, render=render), call)


def _contact_data(
    name: str | None,
    given: str | None,
    family: str | None,
    email: list[str] | None,
    phone: list[str] | None,
    company: str | None,
    title: str | None,
    tag: list[str] | None,
    priority: str | None,
    birthday: str | None,
    location: str | None,
    notes: str | None,
    twitter: str | None,
    telegram: str | None,
    linkedin: str | None,
    latitude: float | None,
    longitude: float | None,
) -> dict[str, Any]:
    pairs = {
        "full_name": name,
        "given_name": given,
        "family_name": family,
        "emails": email,
        "phones": phone,
        "company": company,
        "title": title,
        "tags": tag,
        "priority_level": priority,
        "birthday": birthday,
        "location": location,
        "notes": o.text_or_stdin(notes),
        "twitter_handle": twitter,
        "telegram_username": telegram,
        "linkedin_url": linkedin,
        "latitude": latitude,
        "longitude": longitude,
    }
    return {k: v for k, v in pairs.items() if v is not None and v != []}


Name = Annotated[str | None, typer.Option("--name", "-n", help="Full name.")]
Given = Annotated[str | None, typer.Option("--given-name", help="Given (first) name.")]
Family = Annotated[str | None, typer.Option("--family-name", help="Family (last) name.")]
Email = Annotated[list[str] | None, typer.Option("--email", "-e", help="Email address (repeatable).")]
Phone = Annotated[list[str] | None, typer.Option("--phone", "-p", help="Phone number (repeatable).")]
Company = Annotated[str | None, typer.Option(help="Company.")]
Title = Annotated[str | None, typer.Option(help="Job title.")]
Tag = Annotated[
    list[str] | None, typer.Option("--tag", "-t", help="Tag (repeatable).", autocompletion=_complete.tags)
]
Priority = Annotated[str | None, typer.Option(help="high, medium, low or archived.")]
Birthday = Annotated[str | None, typer.Option(help="MM-DD or YYYY-MM-DD.")]
Location = Annotated[str | None, typer.Option(help="Where they live (free text).")]
Notes = Annotated[str | None, typer.Option(help=f"Free-text notes about the person; {o.FROM_STDIN}")]
Twitter = Annotated[str | None, typer.Option("--twitter", help="X/Twitter handle.")]
Telegram = Annotated[str | None, typer.Option("--telegram", help="Telegram username.")]
Linkedin = Annotated[str | None, typer.Option("--linkedin", help="LinkedIn profile URL.")]
Lat = Annotated[float | None, typer.Option("--latitude", help="Latitude for the map.")]
Lng = Annotated[float | None, typer.Option("--longitude", help="Longitude for the map.")]


@app.command("add")
def add(
    name: Name = None,
    given_name: Given = None,
    family_name: Family = None,
    email: Email = None,
    phone: Phone = None,
    company: Company = None,
    title: Title = None,
    tag: Tag = None,
    priority: Priority = None,
    birthday: Birthday = None,
    location: Location = None,
    notes: Notes = None,
    twitter: Twitter = None,
    telegram: Telegram = None,
    linkedin: Linkedin = None,
    latitude: Lat = None,
    longitude: Lng = None,
    json_out: o.Json = False,
    now: o.Now = None,
) -> None:
    """Add a contact. An email or handle that another contact already has is refused (merge instead).

    Example: pcrm contacts add --name "Ada Lovelace" --email ada@example.com
    --company "Analytical Engines" --priority high
    """
    data = _contact_data(
        name,
        given_name,
        family_name,
        email,
        phone,
        company,
        title,
        tag,
        priority,
        birthday,
        location,
        notes,
        twitter,
        telegram,
        linkedin,
        latitude,
        longitude,
    )

    def render(result: Any) -> None:
        from rich.markup import escape

        c = result.data
        out().print(f"added [bold]{escape(display_name(c))}[/] [dim]{c['id']}[/]")
        others = result.meta.get("namesakes") or []
        if others:
            ids = ", ".join(o["id"][:8] for o in others)
            err().print(
                f"note: {counted(len(others), 'other contact')} already named "
                f"{escape(display_name(c))} ({ids}); "
                f"if it is the same person: pcrm contacts merge {others[0]['id'][:8]} {c['id'][:8]}",
                soft_wrap=True,
            )

    run(Opts(json_out, now=now, render=render, options=CONTACT_OPTIONS), contacts.create_contact, data)


@app.command("rm")
def rm(contact: Contact, yes: o.Yes = False, json_out: o.Json = False) -> None:
    """Delete a contact with its interactions and suggestions (asks first; --yes when not at a terminal).

    Example: pcrm contacts rm "Ravi Allen" --yes
    """

    def call(ctx: Any) -> Any:
        cid = resolve(ctx, Ref(contacts.resolve_ref, contact))
        if not yes:
            name = display_name(contacts.get_contact(ctx, cid).data)  # [display-name]
            merged = contacts.merged_contacts(ctx, cid)
            confirm(yes, f"Delete {name} and their whole timeline?{_merged_note(merged)}")
        return contacts.delete_contact(ctx, cid)

    def render(result: Any) -> None:
        from rich.markup import escape

        d = result.data
        note = _merged_note(d["merged_contacts"], deleted=True)
        org = d.get("organization_removed")
        if org:  # [company-orgs]: the organization pcrm made for its company went with its last contact
            note += f"\nremoved the organization {org['name']!r}: made for its company, no other contact"
        out().print(escape(f"deleted {d['id']}{note}"), highlight=False)

    run(Opts(json_out, render=render), call)


def _merged_note(merged: list[dict[str, Any]], *, deleted: bool = False) -> str:
    """The contacts merged into one being deleted, which go with it [reversible-merges] (plain text: the
    confirmation prompt is not rich markup)."""
    if not merged:
        return ""
    names = ", ".join(m["display_name"] for m in merged)
    direct = [m["merge_id"] for m in merged if m["via"] == merged[0]["via"]]
    undo = "`, then `".join(f"pcrm contacts unmerge {i}" for i in direct)
    if deleted:
        return (
            f"\n{counted(len(merged), 'merged-in contact')} went with it: {names}; `{undo}` brings "
            f"{'it' if len(merged) == 1 else 'them'} back "
            "without the interactions the merge had moved"
        )
    return (
        f"\nIt holds {counted(len(merged), 'merged-in contact')} that would go with it: {names}. "
        f"To keep {'it' if len(merged) == 1 else 'them'} with {'its' if len(merged) == 1 else 'their'} "
        f"interactions, first run `{undo}`."
    )


@app.command("tag")
def tag(
    contact: Contact,
    tags: Annotated[list[str], typer.Argument(help="Tags to add.", autocompletion=_complete.tags)],
    json_out: o.Json = False,
    now: o.Now = None,
) -> None:
    """Add tags to a contact (tags are lowercased).

    Example: pcrm contacts tag "Ada Lovelace" investor london
    """

    def render(result: Any) -> None:
        if result.meta.get("unchanged"):  # nothing to add: no update [no-op-edits]
            from rich.markup import escape

            from pcrm.domain.normalize import tags as norm_tags

            named = norm_tags(tags)
            err().print(
                f"{escape(display_name(result.data))} already has "
                f"{'tag' if len(named) == 1 else 'tags'} {escape(listed_tags(named))}; nothing to change",
                soft_wrap=True,
            )
        else:
            contact_detail(result)
        if result.meta.get("note"):  # a `2nd tier` marker given to someone you talked with [second-tier]
            err().print(f"note: {result.meta['note']}", markup=False, soft_wrap=True)
        comma_note(tags, lambda parts: "pcrm contacts tag CONTACT " + " ".join(parts))

    run(
        Opts(json_out, now=now, render=render),
        contacts.tag_contact,
        Ref(contacts.resolve_ref, contact),
        tags,
    )


def comma_note(tags: list[str], apart: Callable[[list[str]], str]) -> None:
    """[tag-commas]: a tag typed with a comma is one tag, as typed; say so on stderr, and how to give
    several (`apart` makes the command from the parts of the first such tag)."""
    joined = [t for t in tags if "," in t]
    if not joined:
        return
    import shlex

    from rich.markup import escape

    from pcrm.domain.normalize import tag as norm_tag

    parts = [shlex.quote(p.strip()) for p in joined[0].split(",") if p.strip()]
    err().print(
        f"note: {escape(listed_tags([norm_tag(joined[0])]))} is one tag, with a comma in it; "
        f"for several tags, give them apart: {escape(apart(parts))}",
        highlight=False,
        soft_wrap=True,
    )


@app.command("untag")
def untag(
    contact: Contact,
    tags: Annotated[list[str], typer.Argument(help="Tags to remove.", autocompletion=_complete.tags)],
    json_out: o.Json = False,
    now: o.Now = None,
) -> None:
    """Remove tags from a contact.

    Example: pcrm contacts untag "Ada Lovelace" mentor
    """

    def render(result: Any) -> None:
        lacking = result.meta.get("not_tagged")
        if not result.meta.get("unchanged"):
            contact_detail(result)
        if lacking:  # nothing to remove: a note, exit 0, as `tag` of a tag it has [no-op-edits]
            from rich.markup import escape

            has = listed_tags(result.data.get("tags") or []) or "(none)"
            done = "; nothing to change" if result.meta.get("unchanged") else ""
            err().print(
                f"{escape(display_name(result.data))} has no "
                f"{'tag' if len(lacking) == 1 else 'tags'} {escape(listed_tags(lacking))} "
                f"(its tags: {escape(has)}){done}",
                soft_wrap=True,
                highlight=False,
            )

    run(
        Opts(json_out, now=now, render=render),
        contacts.untag_contact,
        Ref(contacts.resolve_ref, contact),
        tags,
    )


def _nobody_overdue(result: Any) -> str:
    """What an empty overdue list says: whether anyone is watched, and who is due next."""
    meta = result.meta
    watched = meta.get("high_priority")
    if not watched:
        return (
            "nobody is overdue; only high-priority contacts can be: "
            "pcrm contacts edit CONTACT --priority high"
        )
    who = (
        "your high-priority contact is not"
        if watched == 1
        else f"none of your {watched} high-priority contacts is"
    )
    said = f"nobody is overdue: {who} past the {meta['interval_days']}-day interval"
    due = meta.get("next_due")
    if due:
        said += f"; next due: {due['name']} on {due['on']}"
    return said


@app.command("overdue")
def overdue(
    limit: Annotated[int | None, typer.Option(min=1, max=50, help="At most N (1-50, default 10).")] = None,
    all_: o.All = False,
    fmt: o.Format = None,
    fields: o.Fields = None,
    no_pager: o.NoPager = False,
    json_out: o.Json = False,
    nl: o.Nl = False,
    now: o.Now = None,
) -> None:
    """High-priority contacts you have not talked to within the high interval, most overdue first
    (10 unless --limit; --all or --nl: every one).

    Example: pcrm contacts overdue --all --json | jq -r '.data[].emails[0]'
    """
    run(
        list_opts(
            contact_cols(("days_overdue", "overdue")),
            fmt,
            fields,
            json_out,
            nl,
            now,
            empty=_nobody_overdue,
            no_pager=no_pager,
        ),
        views.overdue,
        limit=limit,
        everything=everything(all_, nl, limit=limit),
    )


# Hidden aliases, for what people coming from other tools type: `contacts search TERM` is `contacts list
# --search TERM` (with every other option of `list`), `contacts delete` is `contacts rm`. Kept out of --help
# and the docs on purpose: one name each is what pcrm teaches.
def _search_alias() -> None:
    import inspect

    listing = inspect.signature(list_, eval_str=True)
    term = inspect.Parameter(
        "term",
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
        annotation=Annotated[list[str], typer.Argument(help="What to search for.", metavar="TERM")],
    )
    params = [term, *(p for p in listing.parameters.values() if p.name != "search")]

    def search(term: list[str], **options: Any) -> None:
        from pcrm.domain.query import no_search_term

        text = " ".join(term)
        refused = no_search_term(text)  # blank, or an "@" alone: `list` with no term would list everyone
        if refused is not None:
            raise typer.BadParameter(
                f"{refused.message}; to list everyone: pcrm contacts list", param_hint="TERM"
            )
        list_(search=text, **options)

    search.__signature__ = listing.replace(parameters=params)  # type: ignore[attr-defined]
    search.__annotations__ = {p.name: p.annotation for p in params}
    search.__doc__ = "The same as pcrm contacts list --search TERM."
    app.command("search", hidden=True)(search)


_search_alias()
app.command("delete", hidden=True)(rm)
