"""Validation and normalisation of contact input, the same for the CLI, the API and imports
[strict-validation] [value-normalisation]."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

from pcrm import paths
from pcrm.domain import models
from pcrm.domain import normalize as n
from pcrm.domain.dates import FUTURE_BIRTHDAY_HINT, parse_birthday
from pcrm.domain.limits import MAX_SHORT, UTF8_HINT, cap, not_utf8, too_long
from pcrm.errors import ValidationError

# Fields parse_contact checks by a rule of their own (each has its branch below), in the order its
# unknown-field hint lists them; every other editable field is text, an identity or a list.
OTHER_FIELDS = ("priority_level", "birthday", "linkedin_url", "latitude", "longitude", "organization_id")
TEXT_FIELDS = tuple(f for f in models.EDITABLE if models.SPECS[f].store == "column" and f not in OTHER_FIELDS)
IDENTITY_INPUTS = tuple(models.IDENTITIES)
LIST_FIELDS = models.CHILD_LISTS
ALL_FIELDS = TEXT_FIELDS + IDENTITY_INPUTS + LIST_FIELDS + OTHER_FIELDS
PRIORITIES = models.PRIORITIES
# [protected-fields]: fields a user edit protects from later syncs and imports.
PROTECTABLE = models.PROTECTABLE
_HANDLES = {f for f, (_platform, column) in models.IDENTITIES.items() if column == "handle"}
# [safe-links]: text fields a UI shows as a link or an image source: http(s) addresses and local paths only
LINK_FIELDS = ("avatar_url", "whatsapp_avatar_url")
# the same names as sets, for parse_contact's per-key tests (an import makes ~7 of them a row)
_ALL, _TEXT, _IDENTITY, _LINK = (
    frozenset(f) for f in (ALL_FIELDS, TEXT_FIELDS, IDENTITY_INPUTS, LINK_FIELDS)
)
# text fields with no rule beyond `_text` (not full_name, which has its spaces collapsed, nor a link)
_PLAIN = _TEXT - _LINK - {"full_name"}


def _unsigned(url: str) -> str:
    """A local avatar URL as stored, without the signature the API's answers add [avatar-links]: a client
    that sends back the avatar_url it read must not store a link that expires."""
    if url.startswith(paths.AVATAR_URL_PREFIX) and "?" in url:
        return url.split("?", 1)[0]
    return url


def _text(field: str, value: Any, errors: list[dict[str, str]]) -> str | None:
    if type(value) is str:  # most values: short printable ASCII text, nothing more to check
        v = value.strip()
        if v.isascii() and v.isprintable() and len(v) <= MAX_SHORT:
            return v or None
    elif value is None:
        return None
    elif not isinstance(value, (str, int, float)) or isinstance(value, bool):
        errors.append({"field": field, "message": f"{field} must be text"})
        return None
    else:
        v = str(value).strip()
        if v.isascii() and v.isprintable() and len(v) <= MAX_SHORT:
            return v or None
    long = not_utf8(field, v) or too_long(field, v)  # [text-limits]
    if long:
        errors.append({"field": field, "message": long})
        return None
    if n.has_control(v):
        errors.append({"field": field, "message": f"{field} contains control characters"})
        return None
    return None if n.blank(v) else v


def _list(field: str, value: Any, errors: list[dict[str, str]]) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(x, str) for x in value):
        errors.append({"field": field, "message": f"{field} must be a list of text"})
        return []
    # [text-limits]
    long = next((m for m in (not_utf8(field, x) or too_long(field, x) for x in value) if m), None)
    if long:
        errors.append({"field": field, "message": long})
        return []
    if any(n.has_control(x) for x in value):
        errors.append({"field": field, "message": f"{field} contains control characters"})
        return []
    return [x.strip() for x in value if not n.blank(x)]


_HINTS = {
    "emails": "give an address like ada@example.com",
    "phones": "give a number like +44 20 7946 0958 (set phone_region for numbers without a country code)",
    "whatsapp_phone": "give a number like +44 7700 900123",
    "birthday": "use MM-DD or YYYY-MM-DD, e.g. 12-10 or 1815-12-10",
    "priority_level": f"use one of: {', '.join(PRIORITIES)}",
    "latitude": "latitude is a number from -90 to 90",
    "longitude": "longitude is a number from -180 to 180",
    "linkedin_profile_id": "give a profile URL like https://www.linkedin.com/in/ada-lovelace",
    "linkedin_url": "give a profile URL like https://www.linkedin.com/in/ada-lovelace, or just ada-lovelace",
    "avatar_url": "give an http(s) address, e.g. https://example.com/ada.jpg",
    "whatsapp_avatar_url": "give an http(s) address, e.g. https://example.com/ada.jpg",
    "tags": "give tags as text, e.g. investor",
    "twitter_handle": "give the handle (ada_lovelace or @ada_lovelace) or the profile address "
    "(https://x.com/ada_lovelace)",
    "telegram_username": "give the username (ada_lovelace or @ada_lovelace) or the profile address "
    "(https://t.me/ada_lovelace)",
    "instagram_username": "give the username (ada_lovelace or @ada_lovelace) or the profile address "
    "(https://instagram.com/ada_lovelace)",
}


QUOTED = 40  # the most characters of a refused number an error quotes


def _no_number(value: str, reason: str) -> str:
    """`'12345…' is not a phone number: 35 digits, and a phone number has at most 15`; a long value is cut."""
    quoted = repr(value) if len(value) <= QUOTED else f"{value[:QUOTED]!r}... ({len(value):,} characters)"
    return f"{quoted} is not a phone number" + ("" if reason == "not a phone number" else f": {reason}")


def _hint(field: str, unknown: list[str], message: str = "") -> str:
    if "the most it takes is" in message:
        return f"shorten {field} to at most {cap(field):,} characters"
    if "not valid UTF-8" in message:
        return UTF8_HINT
    if field == "birthday" and "in the future" in message:
        return FUTURE_BIRTHDAY_HINT
    if field in unknown:
        return "contact fields: " + ", ".join(ALL_FIELDS)
    return _HINTS.get(field, f"{field} must be text; see `pcrm contacts add --help`")


# What tells a contact apart: a contact keeps at least one of these [identifiable-contacts].
IDENTIFYING = ("full_name", "given_name", "family_name", "emails", "phones", *IDENTITY_INPUTS)


def tag_values(field: str, value: list[Any] | tuple[Any, ...]) -> list[str]:
    """Tags given apart from a contact (a bulk update's add_tags, remove_tags), held to a contact's tag rules
    [contact-tags]: text of at most MAX_SHORT characters without control characters; normalised."""
    errors: list[dict[str, str]] = []
    out = _list(field, list(value), errors)
    if errors:
        message = errors[0]["message"]
        hint = _hint(field, [], message) if "the most it takes is" in message else _HINTS["tags"]
        raise ValidationError(message, fields=errors, hint=hint)
    return n.tags(out)


MAX_TAGS = 50  # a contact's tags, as many as one bulk update adds [contact-tags]


def past_tag_cap(held: int, after: int) -> bool:
    """Whether a change leaving a contact that holds `held` tags with `after` passes the cap [contact-tags]:
    more than MAX_TAGS, and more than it holds (one an older import gave more may keep or cut them)."""
    return after > MAX_TAGS and after > held


def check_tag_count(tags: Collection[str], held: int = 0) -> None:
    """Refuse tags that would leave a contact with more than MAX_TAGS [contact-tags]; `held`: how many it
    has now (an edit of a contact that already holds more, from an older import, may keep or cut them)."""
    if not past_tag_cap(held, len(tags)):
        return
    raise ValidationError(
        # worded without "tags" past the field: the CLI names its option there (`--tag: at most 50 ...`)
        f"tags: at most {MAX_TAGS} on a contact; this change would make {len(tags):,}",
        field="tags",
        hint="keep the ones that group people (e.g. investor, book club); longer text belongs in the notes",
    )


def check_identifiable(contact: Mapping[str, Any], *, edit: bool = False) -> None:
    """Refuse a contact (as created, or as an edit would leave it) with no name, email, phone or handle:
    nothing would find it again, and lists would show it as `(no name)` [identifiable-contacts]."""
    if any(contact.get(k) for k in IDENTIFYING):
        return
    if edit:
        hint = "keep a name, an email, a phone or a handle (set another in the same edit); to remove the "
        hint += "contact instead: pcrm contacts rm CONTACT"
    else:
        hint = 'e.g. pcrm contacts add --name "Ada Lovelace" --email ada@example.com'
    raise ValidationError(
        "a contact needs a name, an email, a phone or a handle", field="full_name", hint=hint
    )


def check_blank_lists(data: Mapping[str, Any]) -> None:
    """Refuse an edit giving a list (emails, phones, tags) that holds only blanks: parse_contact drops
    blank items, so it would empty the list, and `--email "$NEW"` with $NEW unset would remove every
    address without a word. `--clear` empties one on purpose [partial-edits]. The CLI's check: a client's
    whole form sends an emptied row so and means it (update_contact's `blanks_refused`)."""
    for field in LIST_FIELDS:
        value = data.get(field)
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)) or not value:
            continue
        if all(isinstance(x, str) and n.blank(x) for x in value):
            option, one = field.replace("_", "-"), field.removesuffix("s").replace("_", " ")
            raise ValidationError(
                f"{field}: a blank {one} would remove every {one} the contact has; nothing changed",
                field=field,
                hint=f"give a value; to remove them all on purpose: --clear {option}",
            )


# The single fields `pcrm contacts edit --clear X` empties, by the X it takes
_CLEAR_OPTIONS = {
    "full_name": "name",
    "given_name": "given-name",
    "family_name": "family-name",
    "company": "company",
    "title": "title",
    "birthday": "birthday",
    "location": "location",
    "notes": "notes",
    "twitter_handle": "twitter",
    "telegram_username": "telegram",
    "linkedin_url": "linkedin",
}
_SINGLE = (*TEXT_FIELDS, *IDENTITY_INPUTS, "birthday", "linkedin_url", "organization_id")


def check_blank_values(data: Mapping[str, Any]) -> None:
    """Refuse an edit giving a single text field nothing but blanks: parse_contact reads a blank as no
    value, so `--name "$NEW"` with $NEW unset cleared the contact's name without a word, and `--company
    ""` its company. `--clear FIELD` empties one on purpose [partial-edits]. The CLI's check, as
    check_blank_lists is."""
    for field in _SINGLE:
        value = data.get(field)
        if isinstance(value, str) and n.blank(value):
            option = _CLEAR_OPTIONS.get(field)
            how = f"--clear {option}" if option else f"--clear {field}"
            raise ValidationError(
                f"{field}: a blank value would clear it; nothing changed",
                field=field,
                hint=f"give a value; to empty it on purpose: {how}",
            )


def parse_contact(
    data: Mapping[str, Any],
    *,
    phone_region: str | None = None,
    stored_emails: Collection[str] = (),
    today: date | None = None,
    folded: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Check and normalise the keys present in `data` (a partial update keeps absent keys absent; None
    clears). Raises ValidationError listing every bad field at once. `stored_emails`: the contact's emails
    as stored, sent back by an edit (`--add-email` sends the whole list, a client its form): one that today's
    rules read no address in (an older pcrm's `ada(work)@x.org`) is kept as it is, not refused, and none is
    held to a name written with it [not-an-address]. `today`: a birthday after it is refused
    [future-birthdays]. `folded`, when given, gets one {field, kept, values} for each value of a list
    (emails, phones, tags) that two or more different given values became (`A@x.org` and `a@x.org`), so
    the caller says what was folded instead of dropping values without a word."""
    unknown = [k for k in data if k not in _ALL]
    given: dict[str, dict[str, list[str]]] = {}  # field -> kept value -> the values given for it
    errors: list[dict[str, str]] = [{"field": k, "message": f"unknown field {k!r}"} for k in unknown]
    out: dict[str, Any] = {}
    # (stored URL, its profile slug) as the linkedin_url branch found them, so the slug is not read twice
    url_slug: tuple[str, str | None] | None = None
    for k, v in data.items():
        if k in _PLAIN:  # a name, company or title: text and nothing more
            out[k] = _text(k, v, errors)
            continue
        if k not in _ALL:
            continue
        if k in _TEXT:
            out[k] = _text(k, v, errors)
            if k == "full_name" and out[k]:
                out[k] = " ".join(out[k].split())
            elif k in _LINK and out[k] and not n.web_link(out[k]):
                errors.append({"field": k, "message": f"{k} must be an http(s) address or a local path"})
            elif k in _LINK and out[k]:
                out[k] = _unsigned(out[k])
        elif k in _IDENTITY:
            t = _text(k, v, errors)
            if t is not None and k in _HANDLES:
                t = n.handle(t, models.IDENTITIES[k][0])
                if t is None or n.not_a_handle(t):  # "@@" or x.com/@ leave no handle: said, not dropped
                    errors.append({"field": k, "message": f"{v!r} is not a handle"})
            elif t is not None and k in models.NUMERIC_IDS and not (t.isascii() and t.isdigit()):
                # a platform's user number (X, Telegram, Facebook, Instagram): "abc" or "@@" names no account
                errors.append({"field": k, "message": "not a user id (those are numbers)"})
            elif t is not None and k == "linkedin_profile_id":
                t = n.linkedin_profile_id(t)
                if t is None:
                    errors.append({"field": k, "message": "not a LinkedIn profile id or /in/ URL"})
            elif t is not None and k == "whatsapp_phone":
                if reason := n.phone_refusal(t, phone_region):
                    errors.append({"field": k, "message": _no_number(t, reason)})
                t = n.phone(t, phone_region)
            out[k] = t
        elif k == "emails":
            emails: list[str] = []
            for e in _list(k, v, errors):
                # `Ada <ada@x.org>`, `mailto:ada@x.org` or `"ada@x.org"` is its address, as an import reads
                # it; the name written with it is address_names' [not-an-address]
                read = n.typed_address(e) if e.strip() else None
                if read is None and e in stored_emails:  # an older pcrm's value, no address today: kept
                    read = ("", e)
                if read is None and e.strip():
                    errors.append({"field": "emails", "message": f"{e!r} is not an email address"})
                elif read is not None:
                    given.setdefault(k, {}).setdefault(read[1], []).append(e)
                    if read[1] not in emails:
                        emails.append(read[1])
            out[k] = emails
        elif k == "phones":
            phones: list[tuple[str, str]] = []
            for p in _list(k, v, errors):
                if reason := n.phone_refusal(p, phone_region):
                    errors.append({"field": "phones", "message": _no_number(p, reason)})
                else:
                    norm = n.phone(p, phone_region) or p
                    given.setdefault(k, {}).setdefault(norm, []).append(p)
                    if norm not in [x[1] for x in phones]:
                        phones.append((p, norm))
            out[k] = phones
        elif k == "tags":
            raw_tags = _list(k, v, errors)
            for t in raw_tags:
                if n.tag(t):
                    given.setdefault(k, {}).setdefault(n.tag(t), []).append(t)
            out[k] = n.tags(raw_tags)
        elif k == "priority_level":
            t = _text(k, v, errors)
            if t is None:
                errors.append({"field": k, "message": "priority_level cannot be cleared"})
            elif t.lower() not in PRIORITIES:
                errors.append({"field": k, "message": f"unknown priority {t!r}"})
            else:
                out[k] = t.lower()
        elif k == "birthday":
            try:
                out[k] = parse_birthday(_text(k, v, errors), today=today)
            except ValidationError as exc:
                errors.extend(exc.details["fields"])
        elif k == "linkedin_url":  # [linkedin-urls]
            t = _text(k, v, errors)
            slug = n.linkedin_profile_id(t) if t is not None else None
            # n.linkedin_url_ok(t), its profile slug read once
            if t is not None and slug is None and not n.linkedin_url_ok(t):
                errors.append(
                    {"field": k, "message": "linkedin_url must be a linkedin.com address or a profile slug"}
                )
            else:
                url = out[k] = n.linkedin_url(t)
                if url is not None and url == t:
                    url_slug = (url, slug)
        elif k in ("latitude", "longitude"):
            if v is None or v == "":
                out[k] = None
                continue
            try:
                f = float(v)
            except (TypeError, ValueError):
                errors.append({"field": k, "message": f"{k} must be a number"})
                continue
            lim = 90 if k == "latitude" else 180
            if not -lim <= f <= lim:
                errors.append({"field": k, "message": f"{k} must be from -{lim} to {lim}"})
            else:
                out[k] = f
        elif k == "organization_id":
            out[k] = _text(k, v, errors)
    if errors:
        first = errors[0]
        message = first["message"]
        if not message.startswith(first["field"]):
            message = f"{first['field']}: {message}"
        raise ValidationError(message, fields=errors, hint=_hint(first["field"], unknown, first["message"]))
    if folded is not None:
        folded += [
            {"field": f, "kept": kept, "values": values}
            for f, groups in given.items()
            for kept, values in groups.items()
            if len(set(values)) > 1  # one value given twice as it is loses nothing
        ]
    if "linkedin_url" in out and "linkedin_profile_id" not in out:
        if out["linkedin_url"] is None:
            out["linkedin_profile_id"] = None  # clearing the URL frees the profile it pointed at
        else:
            url = out["linkedin_url"]
            slug = url_slug[1] if url_slug is not None and url_slug[0] == url else n.linkedin_profile_id(url)
            if slug:
                out["linkedin_profile_id"] = slug
    return out


def address_names(data: Mapping[str, Any], stored_emails: Collection[str] = ()) -> list[tuple[str, str]]:
    """(the value as typed, the name) of each email in `data` written with a name, `Ada Lovelace
    <ada@example.com>` (a quoted family-first name turned round) [not-an-address]; parse_contact keeps the
    address. A value the contact holds as stored (`stored_emails`) is no typed name."""
    values = data.get("emails")
    if not isinstance(values, list):
        return []
    out = []
    for e in values:
        if isinstance(e, str) and e in stored_emails:
            continue
        read = n.typed_address(e) if isinstance(e, str) and "<" in e else None
        if read is not None and read[0]:
            out.append((e, read[0]))
    return out


def name_from_addresses(changes: dict[str, Any], written: list[tuple[str, str]], name: str | None) -> None:
    """What a name typed with an address does [not-an-address]: it names a contact that has none (`contacts
    add --email 'Ada Lovelace <ada@example.com>'` adds Ada Lovelace), and must be the contact's name
    otherwise (`name`: the one the contact has, or the one this input gives it); another name is refused,
    never dropped without a word nor put on the contact in place of its own."""
    if not written:
        return
    if not name:
        name = changes["full_name"] = " ".join(written[0][1].split())
    for value, said in written:
        if n.fold(said) != n.fold(name):
            raise ValidationError(
                f"emails: {value!r} names {said!r}, but the contact is {name!r}",
                field="emails",
                hint="give the address alone (e.g. --email ada@example.com), and the name, if it is the "
                "contact's, with --name",
            )


def check_point(latitude: Any, longitude: Any) -> None:
    """A contact's map point is both coordinates or neither [geocoding]: `--latitude 51.5` alone stored half a
    point, which no map shows, and said nothing. `latitude`/`longitude`: the values the write leaves."""
    if (latitude is None) == (longitude is None):
        return
    missing = "longitude" if longitude is None else "latitude"
    raise ValidationError(
        f"a map point needs both latitude and longitude; {missing} would be empty",
        field=missing,
        hint="give both, e.g. --latitude 51.5072 --longitude -0.1276, or clear both: --clear latitude "
        "--clear longitude",
    )


def stale_coordinates(before: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """The columns a write that moves a contact must clear [geocoding]: when it changes the location text
    (more than its case or spacing) and gives no coordinates of its own, the old place's point goes, and
    with it the text it answered for, so the geocoder asks about the new text (an emptied location has no
    point at all). Empty when the write keeps the location, or sets coordinates itself."""
    if "location" not in changes or "latitude" in changes or "longitude" in changes:
        return {}
    if n.fold(changes["location"]) == n.fold(before.get("location")):
        return {}
    return {"latitude": None, "longitude": None, "geocoded_location": None, "geocoded_at": None}
