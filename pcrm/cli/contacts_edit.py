"""`pcrm contacts edit`: options for a partial edit, or $EDITOR on a readable form [editor-form]."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer

from pcrm.cli import _edit_form as form
from pcrm.cli import _options as o
from pcrm.cli._output import Opts, Ref, at_terminal, err, fail, resolve, run
from pcrm.cli._render import contact_detail, undo_line
from pcrm.cli.contacts import (
    CONTACT_OPTIONS,
    Birthday,
    Company,
    Contact,
    Email,
    Family,
    Given,
    Lat,
    Linkedin,
    Lng,
    Location,
    Name,
    Notes,
    Phone,
    Priority,
    Tag,
    Telegram,
    Title,
    Twitter,
    _contact_data,
    app,
)
from pcrm.domain import normalize
from pcrm.domain.models import display_name
from pcrm.domain.wording import counted, field_words, listed_words
from pcrm.errors import PcrmError, ValidationError
from pcrm.services import contacts

# What users type after --clear, as options or field names, to the contact field it empties.
CLEAR_ALIASES = {
    "name": "full_name",
    "first_name": "given_name",
    "last_name": "family_name",
    "surname": "family_name",
    "job_title": "title",
    "job": "title",
    "priority": "priority_level",
    "twitter": "twitter_handle",
    "x": "twitter_handle",
    "telegram": "telegram_username",
    "linkedin": "linkedin_url",
    "email": "emails",
    "phone": "phones",
    "tag": "tags",
    "birthday": "birthday",
}
CLEARABLE = (
    "full_name",
    "given_name",
    "family_name",
    "emails",
    "phones",
    "tags",
    "company",
    "title",
    "priority_level",
    "birthday",
    "location",
    "notes",
    "twitter_handle",
    "telegram_username",
    "linkedin_url",
    "latitude",
    "longitude",
)


def clear_field(typed: str) -> str:
    """The field `--clear X` empties: `--given-name`, `given-name`, `given_name`, `job-title`, `email`."""
    key = "_".join(typed.strip().lstrip("-").lower().replace("-", " ").replace("_", " ").split())
    field = CLEAR_ALIASES.get(key, key)
    if field not in CLEARABLE:
        raise ValidationError(
            f"--clear {typed}: unknown field",
            field="clear",
            hint="clear one of: " + ", ".join(f.replace("_", "-") for f in CLEARABLE),
        ).on_command_line("--clear")
    return field


# the option that gives each clearable field a value, for the words of a refusal
_OPTION_OF = {
    "full_name": "--name",
    "given_name": "--given-name",
    "family_name": "--family-name",
    "emails": "--email",
    "phones": "--phone",
    "tags": "--tag",
    "priority_level": "--priority",
    "twitter_handle": "--twitter",
    "telegram_username": "--telegram",
    "linkedin_url": "--linkedin",
}


def _given_and_cleared(option: str, typed: str, field: str) -> ValidationError:
    """`--title X --clear title`: the edit is refused whole, nothing changed, as `--email` with
    `--add-email` is. `option`: the one that gave the field a value (or changed its list)."""
    words, them = field_words(field), "them" if field in form.LISTS else "it"
    return ValidationError(
        f"{option} changes the {words} and --clear {typed} empties {them}: use one or the other",
        field="clear",
        hint=f"give {option} alone to change {them}, or --clear {typed} alone to empty {them}",
    ).on_command_line("--clear")


def editor_command() -> list[str]:
    """$VISUAL, else $EDITOR, else vi, split as a shell would (`code --wait` works)."""
    return shlex.split(os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi")


def _run_editor(text: str) -> str:
    with tempfile.TemporaryDirectory(prefix="pcrm-edit-") as tmp:
        path = Path(tmp) / "contact.yaml"
        path.write_text(text, encoding="utf-8")
        cmd = editor_command()
        try:
            code = subprocess.call([*cmd, str(path)])
        except OSError as e:
            raise ValidationError(
                f"could not start the editor {cmd[0]!r}: {e.strerror or e}",
                field="editor",
                hint="set EDITOR (or VISUAL), e.g. export EDITOR=nano",
            ) from e
        if code != 0:
            raise ValidationError(
                f"the editor exited with status {code}; nothing changed",
                field="editor",
                hint="save and quit normally to apply the form",
            )
        return path.read_text(encoding="utf-8")


def edit_in_editor(ctx: Any, cid: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Open the contact's form in the editor until it reads (at a terminal a form that does not read can
    be opened again, with the error on top); the fields that changed, and what the user typed in them
    (form.typed) [hand-edits]."""
    before = contacts.get_contact(ctx, cid).data
    text = form.build(before)
    while True:
        text = _run_editor(text)
        try:
            changes = form.changes(before, form.parse(text))
            return changes, form.typed(before, changes)
        except ValidationError as e:
            if not at_terminal():
                raise
            err().print(f"[bold red]error:[/] {e.message}", soft_wrap=True, markup=False)
            if not typer.confirm("Open the editor again?", default=True, err=True):
                raise
            body = "\n".join(line for line in text.splitlines() if not line.startswith("# error:"))
            text = f"# error: {e.message}\n{body}\n"


def _list_edit(current: list[str], add: list[str], rm: list[str], same: Any, label: str) -> list[str]:
    missing = [r for r in rm if not any(same(r, c) for c in current)]
    if missing:
        # the hint names what it has (it sent the user to a bare `pcrm contacts show`, naming no one)
        raise ValidationError(
            f"the contact has no {label} {missing[0]!r}",
            field=label,
            hint=f"it has {', '.join(current)}" if current else f"it has none; add one with --add-{label}",
        )
    kept = [c for c in current if not any(same(r, c) for r in rm)]
    return kept + [a for a in add if not any(same(a, c) for c in kept)]


def _same_email(a: str, b: str) -> bool:
    return (normalize.email(a) or a) == (normalize.email(b) or b)


@app.command("edit")
def edit(
    contact: Contact,
    name: Name = None,
    given_name: Given = None,
    family_name: Family = None,
    email: Email = None,
    phone: Phone = None,
    add_email: Annotated[
        list[str] | None, typer.Option("--add-email", help="Add this email address (repeatable).")
    ] = None,
    rm_email: Annotated[
        list[str] | None, typer.Option("--rm-email", help="Remove this email address (repeatable).")
    ] = None,
    add_phone: Annotated[
        list[str] | None, typer.Option("--add-phone", help="Add this phone number (repeatable).")
    ] = None,
    rm_phone: Annotated[
        list[str] | None,
        typer.Option("--rm-phone", help="Remove this phone number, written any way (repeatable)."),
    ] = None,
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
    clear: Annotated[
        list[str] | None,
        typer.Option(
            "--clear",
            help="Empty this field (repeatable), by option or field name: job-title, given-name, email.",
        ),
    ] = None,
    json_out: o.Json = False,
    now: o.Now = None,
) -> None:
    """Change some fields of a contact; the rest stay as they are. With no field options, open $EDITOR
    (VISUAL, EDITOR, else vi) on a form of the contact and apply what you changed.
    --email, --phone and --tag replace the list; --add-email/--rm-email and --add-phone/--rm-phone
    change one entry.

    Example: pcrm contacts edit "Ada Lovelace" --title "Countess" --add-email ada@analytical.org
    --clear location
    """
    data: dict[str, Any] = _contact_data(
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
    list_ops = any((add_email, rm_email, add_phone, rm_phone))
    mixed = ((add_email or rm_email) and "emails" in data) or ((add_phone or rm_phone) and "phones" in data)
    if mixed:
        fail(
            ValidationError(
                "--email/--phone replace the list; --add-/--rm- change it: use one or the other",
                field="emails",
                hint='e.g. pcrm contacts edit "Ada Lovelace" --add-email ada@analytical.org',
            ),
            json_out,
        )
    cleared: set[str] = set()  # the fields --clear named, for the words of a clear with nothing to clear
    listed = {"emails": (add_email, rm_email), "phones": (add_phone, rm_phone)}
    try:
        for typed in clear or []:
            field = clear_field(typed)
            if field in data or any(listed.get(field, ())):
                # a value and an emptying of one field: one of the two would be lost, so neither is done
                add = listed.get(field, (None, None))[0]
                kind = field[:-1]  # email, phone
                option = (
                    _OPTION_OF.get(field, "--" + field.replace("_", "-"))
                    if field in data
                    else f"--add-{kind}"
                    if add
                    else f"--rm-{kind}"
                )
                raise _given_and_cleared(option, typed, field)
            data[field] = [] if field in form.LISTS else None
            cleared.add(field)
    except PcrmError as e:
        fail(e, json_out)
    use_editor = not data and not list_ops
    if use_editor and not at_terminal() and not (os.environ.get("VISUAL") or os.environ.get("EDITOR")):
        # a script with no option: nobody to edit a form
        fail(
            ValidationError(
                "nothing to change",
                field="fields",
                hint="give at least one option, e.g. --title or --clear location (at a terminal, no option "
                "opens $EDITOR)",
            ),
            json_out,
        )
    changed: list[str] = []  # what the edit sent; --json stays the API's envelope, so not in meta

    def call(ctx: Any) -> Any:
        cid = resolve(ctx, Ref(contacts.resolve_ref, contact))
        changes = dict(data)
        if list_ops:
            current = contacts.get_contact(ctx, cid).data
            if add_email or rm_email:
                changes["emails"] = _list_edit(
                    current["emails"],
                    add_email or [],
                    rm_email or [],
                    _same_email,
                    "email",
                )
            if add_phone or rm_phone:
                region = ctx.phone_region()

                def same_phone(a: str, b: str) -> bool:
                    na, nb = normalize.phone(a, region), normalize.phone(b, region)
                    return bool(na and nb and normalize.phones_match(na, nb))

                changes["phones"] = _list_edit(
                    current["phones"],
                    add_phone or [],
                    rm_phone or [],
                    same_phone,
                    "phone",
                )
        typed: dict[str, Any] | None = None
        if use_editor:
            changes, typed = edit_in_editor(ctx, cid)
        if not changes:
            return contacts.get_contact(ctx, cid)
        changed.extend(changes)
        # --add-email/--rm-email send the whole list: the user typed only the addresses added
        typed = dict(changes) if typed is None else typed
        if add_email or rm_email:
            typed["emails"] = add_email or []
        if add_phone or rm_phone:
            typed["phones"] = add_phone or []
        return contacts.update_contact(ctx, cid, changes, typed=typed, blanks_refused=True)

    def render(result: Any) -> None:
        if not changed:
            err().print("nothing changed")
            return
        if result.meta.get("unchanged"):  # every value given is the one it has [no-op-edits]
            from rich.markup import escape

            who = escape(display_name(result.data))
            empty = [field_words(f) for f in changed if f in cleared]
            given = [field_words(f) for f in changed if f not in cleared]
            # `--clear company` on a contact without one: there was nothing to clear, not a value "given"
            lacks = (
                f"{who} has no {empty[0] if len(empty) == 1 else ', '.join(empty[:-1]) + ' or ' + empty[-1]}"
                if empty
                else ""
            )
            if not given:
                said = f"{lacks}; nothing to clear"
            elif lacks:
                said = f"nothing to change: {lacks} and already has the {listed_words(given)} given"
            else:
                said = f"nothing to change: {who} already has the {listed_words(given)} given"
            protected = [field_words(f) for f in result.meta.get("protected") or ()]
            if protected:  # no value moved, but the fields typed are the user's now [no-op-edits]
                said += (
                    f"; {listed_words(protected)} {'is' if len(protected) == 1 else 'are'} yours from now on "
                    "(imports keep theirs aside)"
                )
            err().print(said, soft_wrap=True)
            return
        contact_detail(result)
        dismissed = result.meta.get("suggestions_dismissed")
        if dismissed:  # archiving: as a bulk update says it; the undo below reopens them [bulk-undo]
            err().print(
                f"archived: {counted(dismissed, 'suggestion')} dismissed", markup=False, soft_wrap=True
            )
        undo_line(result)  # [bulk-undo]: the organization its new company made, the suggestions archived
        if result.meta.get("note"):  # `2nd tier` given to someone you talked with: kept, said [second-tier]
            err().print(f"note: {result.meta['note']}", markup=False, soft_wrap=True)
        if result.meta.get("full_name_kept"):  # a part typed beside a name not written from it [name-parts]
            err().print(f"note: {result.meta['full_name_kept']}", markup=False, soft_wrap=True)
        point = result.meta.get("coordinates_cleared")
        if point:
            err().print(
                f"[yellow]the location changed: its map point ({point[0]}, {point[1]}) was cleared[/]; "
                "the geocoder finds the new place (`pcrm geocode`), or give --latitude and --longitude",
                soft_wrap=True,
            )

    # the options' words for what was typed as options; the form's own for what was typed in the form. A bad
    # address or number typed with --add-email / --add-phone is named by that option, not by --email/--phone
    added = {"emails": "--add-email" if add_email else None, "phones": "--add-phone" if add_phone else None}
    options = tuple((field, added.get(field) or option) for field, option in CONTACT_OPTIONS)
    run(Opts(json_out, now=now, render=render, options=() if use_editor else options), call)
