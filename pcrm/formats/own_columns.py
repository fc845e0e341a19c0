"""Two columns of `pcrm export csv` that no other program writes, and how the generic CSV import reads them.

`identities` [own-exports]: a contact's platform identities that no column of the file holds as the contact's
own, one a line as `field:value`: the second Telegram user id or X handle a merge brought
(`telegram_user_id:222`), which the contact holds but does not show (one a field, the oldest), and which a
later chat import finds the person by. Each line starts with the field's name, so a spreadsheet keeps the
cell as text. A line pcrm cannot read as an identity is kept as an extra field, as a column pcrm does not
know is.

`edited_fields` [own-exports]: the fields the user typed by hand (`title; company`, `user_edited_fields`),
which no import or sync overwrites [protected-fields]. Read only from a row that names its contact by a pcrm
id, and given only to a contact the import makes: a move keeps the protection, a file of another program
marks nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from pcrm.domain.contact_input import parse_contact
from pcrm.domain.models import IDENTITIES, PROTECTABLE
from pcrm.errors import ValidationError

IDENTITY_COLUMN = "identities"
EDITED_COLUMN = "edited_fields"
# the columns in the order `pcrm export csv` writes them, after the contact's fields
COLUMNS = (IDENTITY_COLUMN, EDITED_COLUMN)

_LINE = re.compile(r"([a-z_]+):(.*)")


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "r": "\r"}.get(m.group(1), m.group(1)), text)


def identities_cell(
    identities: Iterable[tuple[str, str]], contact: Mapping[str, Any], shown: Iterable[str]
) -> str:
    """The `identities` cell of a contact: each of its identities (field, value), oldest first, but the one a
    column of the file (`shown`: twitter_handle, telegram_username, ...) holds as the contact's own."""
    columns = set(shown)
    lines = [
        f"{field}:{_escape(value)}"
        for field, value in identities
        if not (field in columns and contact.get(field) == value)
    ]
    return "\n".join(dict.fromkeys(lines))


def identity_value(field: str, value: str) -> str | None:
    """The identity as pcrm stores it (a handle lowercased, without `@`; a LinkedIn URL's slug; a number in
    its international form), or None when it is none of that field."""
    try:
        got = parse_contact({field: value}).get(field)
    except ValidationError:
        return None
    return got if isinstance(got, str) and got else None


def read_identities_cell(cell: str, data: dict[str, Any]) -> tuple[list[tuple[str, str]], list[str]]:
    """Read an `identities` cell into the row: a field the row gives no value yet takes its first line (in
    `data`, a key the import matches by); the others are more ids of the person (ContactRecord.more_ids).
    -> (the more ids, the lines that are no identity: kept by the caller as the column's extra field)."""
    more: list[tuple[str, str]] = []
    unread: list[str] = []
    for line in re.split(r"\r?\n", cell):
        if not line.strip():
            continue
        m = _LINE.fullmatch(line.strip())
        field = m.group(1) if m else ""
        value = identity_value(field, _unescape(m.group(2)).strip()) if m and field in IDENTITIES else None
        if value is None:
            unread.append(line)
            continue
        held = data.get(field)
        if not held:
            data[field] = value
        elif identity_value(field, str(held)) != value and (field, value) not in more:
            more.append((field, value))
    return more, unread


def edited_cell(contact: Mapping[str, Any]) -> str:
    """The `edited_fields` cell: the fields the user typed by hand, in the order edits record them."""
    edited = set(contact.get("user_edited_fields") or ())
    return "; ".join(f for f in PROTECTABLE if f in edited)


def read_edited_cell(cell: str) -> tuple[tuple[str, ...], list[str]]:
    """The protectable fields an `edited_fields` cell names, and the words it holds that are none."""
    words = [w.strip() for w in re.split(r"[;,\s]+", cell) if w.strip()]
    return tuple(dict.fromkeys(w for w in words if w in PROTECTABLE)), [
        w for w in words if w not in PROTECTABLE
    ]
