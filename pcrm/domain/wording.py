"""Words shared by every shell's messages."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any


def counted(n: int, one: str, many: str | None = None) -> str:
    """`1 contact`, `0 contacts`, `1,234 contacts`: a count with its noun in the number it takes, for every
    message that counts (imports, exports, syncs, undo), written by a command or by a service's error.
    `many` for a plural that is not `one` + s."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def kept_aside(n: int) -> str:
    """What a merge or an import kept of the values that differed [merge-rules] [import-matching]:
    `1 differing value kept as an extra field`, `2 differing values kept as extra fields`."""
    return f"{counted(n, 'differing value')} kept as {'an extra field' if n == 1 else 'extra fields'}"


def merge_values(d: Mapping[str, Any]) -> str:
    """What a merge did with the other contact's values (a merge result's fields_filled and values_kept),
    as every merge command says it: `1 empty field filled, 2 differing values kept as extra fields`; and
    when the survivor holds more tags than a contact takes, that all are kept [contact-tags]."""
    said = f"{counted(len(d['fields_filled']), 'empty field')} filled, {kept_aside(len(d['values_kept']))}"
    if d.get("tags_past_cap"):
        said += f"; {tags_past_cap(int(d['tags_past_cap']))}"
    return said


def tags_past_cap(n: int) -> str:
    """What a merge or an import says of a contact it left holding `n` tags, more than one takes by hand
    [contact-tags]."""
    from pcrm.domain.contact_input import MAX_TAGS

    return (
        f"all {n:,} tags kept, past the {MAX_TAGS} a contact takes: an edit may keep or cut them, "
        "not add more"
    )


def brought(counts: Mapping[str, Any]) -> str:
    """What a sync brought, as every message about one says it: `2 new contacts, 5 updated, 12 unchanged,
    1 new interaction (40 already stored)` (counts: a run's details, contacts_created, contacts_updated,
    contacts_unchanged, interactions_created, interactions_known). The people and messages a source sent
    again as they are stored are said as such, when there are any, never as updated [sync-counts]."""
    unchanged = int(counts.get("contacts_unchanged") or 0)
    known = int(counts.get("interactions_known") or 0)
    return (
        f"{counted(int(counts.get('contacts_created') or 0), 'new contact')}, "
        f"{int(counts.get('contacts_updated') or 0):,} updated, "
        + (f"{unchanged:,} unchanged, " if unchanged else "")
        + f"{counted(int(counts.get('interactions_created') or 0), 'new interaction')}"
        + (f" ({known:,} already stored)" if known else "")
    )


def listed_tags(tags: Sequence[str]) -> str:
    """Tags as one line of text, `book club, investor`, read back the one way [tag-commas]: `, ` parts
    them, so a tag holding a comma (or starting with a double quote) is put in double quotes, `book club,
    "a,b"`, and inside those quotes a double quote or a backslash is written after a backslash, `"a,
    \\"b\\""`. Any other tag is shown as it is: `say "hi"` reads as typed. Every shell shows tags so."""
    return ", ".join(_listed_tag(t) for t in tags)


def _listed_tag(tag: str) -> str:
    if "," not in tag and not tag.startswith('"'):
        return tag
    return '"' + tag.replace("\\", "\\\\").replace('"', '\\"') + '"'


# one item of a listed_tags line: a quoted run (backslash escapes inside) or anything up to a comma
_LISTED = re.compile(r'\s*("(?:[^"\\]|\\.)*"|[^,]*)\s*(?:,|$)')


def read_listed(line: str) -> list[str]:
    """A line of listed_tags read back: `book club, "a,b", say "hi"` is three tags, `a,b` within its
    quotes [tag-commas]. Blank items are left out."""
    out = []
    for m in _LISTED.finditer(line or ""):
        item = m.group(1).strip()
        if len(item) >= 2 and item[0] == item[-1] == '"':
            item = re.sub(r"\\(.)", r"\1", item[1:-1])
        if item:
            out.append(item)
        if m.end() >= len(line):
            break
    return out


# a field as a sentence names it for people (a message, never --json or a --fields name); any other field
# is its name with spaces
_FIELD_WORDS = {
    "full_name": "name",
    "emails": "emails",
    "twitter_handle": "X handle",
    "twitter_user_id": "X user id",
    "twitter_bio": "X bio",
    "telegram_username": "Telegram username",
    "telegram_user_id": "Telegram user id",
    "telegram_bio": "Telegram bio",
    "linkedin_url": "LinkedIn URL",
    "linkedin_profile_id": "LinkedIn profile",
    "linkedin_headline": "LinkedIn headline",
    "linkedin_bio": "LinkedIn bio",
    "whatsapp_phone": "WhatsApp number",
    "whatsapp_name": "WhatsApp name",
    "whatsapp_about": "WhatsApp about text",
    "facebook_id": "Facebook id",
    "facebook_name": "Facebook name",
    "instagram_id": "Instagram id",
    "instagram_username": "Instagram username",
    "avatar_url": "photo",
    "priority_level": "priority",
    "organization_id": "organization",
    "user_edited_fields": "fields edited by hand",
    "content_preview": "text",
}
# fields whose value is a handle, written after an @ as the platform shows it
_HANDLES = frozenset({"telegram_username", "twitter_handle", "instagram_username"})


def field_words(field: str) -> str:
    """`Telegram username` for telegram_username, `priority` for priority_level, `company` for company."""
    return _FIELD_WORDS.get(field) or field.replace("_", " ")


def value_words(field: str, value: Any) -> str:
    """A field and its value as a sentence says them: `Telegram username @ada_tg`, `email ada@example.com`
    (`emails`: one address of them), `LinkedIn profile ada-l`, `LinkedIn member id ACoAAB2`, `WhatsApp
    number +442071234567`."""
    what = "email" if field == "emails" else field_words(field)
    if field == "linkedin_profile_id" and str(value).startswith("ACo"):
        what = (
            "LinkedIn member id"  # LinkedIn's anonymised id of a member, no profile address [extension-push]
        )
    return f"{what} {shown_value(field, value)}"


def shown_value(field: str, value: Any) -> str:
    """A value as people read it: a handle after an @ (`@ada_tg`), anything else as it is."""
    shown = str(value)
    if field in _HANDLES and not shown.startswith("@"):
        shown = "@" + shown
    return shown


def listed_words(words: Sequence[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
