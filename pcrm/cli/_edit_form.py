"""The form `pcrm contacts edit CONTACT` opens in $EDITOR [editor-form].

Plain `key: value` lines, as khard's YAML-ish template: lists one item per line under their key
(`  - ada@example.com`), notes as an indented block under `notes: |`, `#` lines are comments. Reading it
back gives only the fields the user changed, so the edit is partial as with options: a field nobody
touched is never written, and a sync's value in it stays unprotected.
"""

from __future__ import annotations

from typing import Any

from pcrm.domain.models import display_name
from pcrm.domain.wording import read_listed
from pcrm.errors import ValidationError

# (label in the form, contact field), in the form's order.
FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "full_name"),
    ("given name", "given_name"),
    ("family name", "family_name"),
    ("company", "company"),
    ("title", "title"),
    ("priority", "priority_level"),
    ("birthday", "birthday"),
    ("location", "location"),
    ("emails", "emails"),
    ("phones", "phones"),
    ("tags", "tags"),
    ("twitter", "twitter_handle"),
    ("telegram", "telegram_username"),
    ("linkedin", "linkedin_url"),
    ("notes", "notes"),
)
LISTS = ("emails", "phones", "tags")
_BY_KEY = {label.replace(" ", "_"): field for label, field in FIELDS} | {f: f for _l, f in FIELDS}


def _key(text: str) -> str:
    return "_".join(text.strip().lower().replace("-", " ").replace("_", " ").split())


def build(contact: dict[str, Any]) -> str:
    """The form for this contact: every field, empty ones too, so a user can fill them in."""
    name = display_name(contact)  # [display-name]
    lines = [
        f"# Editing {name} ({contact['id']}).",
        "# Change what you like and save; close without saving to change nothing.",
        "# An empty value clears the field. Lists: one `- item` per line. Lines starting with # are skipped.",
        "# priority: high, medium, low or archived · birthday: MM-DD or YYYY-MM-DD",
        "",
    ]
    for label, field in FIELDS:
        value = contact.get(field)
        if field in LISTS:
            lines.append(f"{label}:")
            lines.extend(f"  - {item}" for item in value or [])
        elif field == "notes" and value and "\n" in str(value):
            lines.append(f"{label}: |")
            lines.extend(f"  {line}" if line else "" for line in str(value).split("\n"))
        else:
            lines.append(f"{label}: {'' if value is None else value}")
    return "\n".join(lines) + "\n"


def _error(lineno: int, message: str) -> ValidationError:
    return ValidationError(
        f"line {lineno} of the form: {message}",
        field="form",
        hint="write `key: value` lines (lists as `  - item` under their key), as the form first showed",
    )


def parse(text: str) -> dict[str, Any]:
    """Every field the form holds, by contact field name (text: str or None; lists: list[str]).
    Raises ValidationError naming the line of the first thing it cannot read."""
    values: dict[str, Any] = {}
    current: str | None = None  # the list or block field that indented lines belong to
    block: list[str] | None = None
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if block is not None and (raw.startswith((" ", "\t")) or not line):
            block.append(line[2:] if line.startswith("  ") else line.strip())
            continue
        if block is not None:
            values["notes"] = "\n".join(block).strip("\n") or None
            block = None
        if not line or line.lstrip().startswith("#"):
            continue
        if raw[0] in " \t":
            item = line.strip()
            if current is None:
                raise _error(lineno, f"{item!r} is indented but follows no list")
            if not item.startswith("-"):
                raise _error(lineno, f"list items start with `- `, got {item!r}")
            item = item[1:].strip()
            if item:
                values[current].append(item)
            continue
        key, sep, value = line.partition(":")
        field = _BY_KEY.get(_key(key))
        if not sep or field is None:
            known = ", ".join(label for label, _f in FIELDS)
            what = f"unknown field {key.strip()!r}" if sep else f"expected `key: value`, got {line!r}"
            raise _error(lineno, f"{what} (fields: {known})")
        if field in values:
            raise _error(lineno, f"{key.strip()!r} appears twice")
        value = value.strip()
        current = None
        if field in LISTS:
            # `tags: a, b` on one line is fine too, read as pcrm shows tags on a line (`book club, "a,b"`)
            values[field] = read_listed(value) if value else []
            current = field
        elif field == "notes" and value == "|":
            block = []
        else:
            values[field] = value or None
    if block is not None:
        values["notes"] = "\n".join(block).strip("\n") or None
    return values


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The partial edit: the fields whose value in the form differs from the contact's. A field left out of
    the form is left alone (not cleared)."""
    out: dict[str, Any] = {}
    for field, value in after.items():
        old = before.get(field)
        if field in LISTS:
            if list(value) != list(old or []):
                out[field] = value
        elif (None if old in (None, "") else str(old).strip()) != value:
            out[field] = value
    return out


def typed(before: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """What an edit through the form typed [hand-edits]: the fields it changed, and of a list only the
    entries the form did not show (adding an address leaves the ones an import brought untyped, as
    `--add-email` does)."""
    out = dict(changes)
    for field in LISTS:
        if field in out:
            shown = set(before.get(field) or [])
            out[field] = [v for v in out[field] if v not in shown]
    return out
