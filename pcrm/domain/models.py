"""The contact, declared once: its fields, their types, and what the layers above need to know of each.

`Contact` is what `GET /contacts/{id}` and `pcrm contacts show --json` return. It is a TypedDict, so the
store's row mapping stays a plain dict (no conversion on the daemon's hot path) while mypy checks every
key a service reads or writes, and pydantic builds the API's response schema from it (api/schemas).

Each field carries a `Spec` in its `Annotated` metadata: how the store holds it, whether a user may set
it, and the rules that count it. The tuples below the class are derived from those specs, in declaration
order; the store, the input parser, the merge rules and the API read them instead of listing fields.
This module stays pure (no pydantic, no apsw): the CLI imports it at start-up. Its annotations are
evaluated (no `from __future__ import annotations`) so the specs can be read without get_type_hints.
"""

from typing import Annotated, Any, Literal, TypedDict, get_args

Priority = Literal["high", "medium", "low", "archived"]

# How the store holds a field:
#   key           the public id (contacts.uuid; the integer rowid stays inside the store)
#   column        a `contacts` column the store writes as given
#   json          a `contacts` column holding JSON text, decoded on the way out
#   organization  a `contacts` column holding an organization's rowid, shown as that organization's id
#   stamp         created_at / updated_at, set by the store itself on every write
#   child         rows of a child table (contact_emails, contact_phones, contact_tags), in position order
#   identity      projected from contact_identities: the oldest row of `platform`, its `id_column`
Storage = Literal["key", "column", "json", "organization", "stamp", "child", "identity"]
IdColumn = Literal["external_id", "handle"]


class Spec:
    """What pcrm knows about one field of a contact besides its type. Treat as read-only.

    A plain class, not a dataclass: the dataclass machinery costs milliseconds of CLI start-up."""

    __slots__ = ("derived", "editable", "id_column", "numeric_id", "platform", "store", "weight")

    def __init__(
        self,
        store: Storage,
        *,
        platform: str | None = None,
        id_column: IdColumn | None = None,
        editable: bool = False,
        numeric_id: bool = False,
        derived: bool = False,
        weight: bool = False,
    ) -> None:
        self.store = store
        self.platform = platform  # identity fields: the platform ...
        self.id_column = id_column  # ... and which of its ids
        self.editable = editable  # a user may set it (parse_contact takes it: the CLI, the API, imports)
        self.numeric_id = numeric_id  # a platform's user number: input may send it as a JSON number
        self.derived = derived  # computed by pcrm or a sync's bookkeeping, never part of a user's edits
        self.weight = weight  # [merge-rules]: counts towards the data weight that picks a merge's survivor


_KEY = Spec("key")
_STAMP = Spec("stamp", derived=True)
_COLUMN = Spec("column")
_DERIVED = Spec("column", derived=True)
_EDIT = Spec("column", editable=True)
_EDIT_WEIGHT = Spec("column", editable=True, weight=True)


def _identity(platform: str, id_column: IdColumn, **kw: bool) -> Spec:
    return Spec("identity", platform=platform, id_column=id_column, editable=True, **kw)


class Contact(TypedDict):
    """A contact as the API and the CLI return it.

    The order is the order of the API's `Contact` schema. Editable text fields keep the order the input
    parser lists them in (its unknown-field hint), which is why location sits before the LinkedIn fields.
    """

    id: Annotated[str, _KEY]
    full_name: Annotated[str | None, _EDIT_WEIGHT]
    given_name: Annotated[str | None, _EDIT_WEIGHT]
    family_name: Annotated[str | None, _EDIT_WEIGHT]
    emails: Annotated[list[str], Spec("child", editable=True)]
    phones: Annotated[list[str], Spec("child", editable=True)]
    tags: Annotated[list[str], Spec("child", editable=True)]
    company: Annotated[str | None, _EDIT_WEIGHT]
    organization_id: Annotated[str | None, Spec("organization", editable=True)]
    title: Annotated[str | None, _EDIT_WEIGHT]
    twitter_handle: Annotated[str | None, _identity("twitter", "handle", weight=True)]
    twitter_user_id: Annotated[str | None, _identity("twitter", "external_id", numeric_id=True)]
    twitter_bio: Annotated[str | None, _EDIT_WEIGHT]
    telegram_username: Annotated[str | None, _identity("telegram", "handle", weight=True)]
    telegram_user_id: Annotated[str | None, _identity("telegram", "external_id", numeric_id=True)]
    telegram_bio: Annotated[str | None, _EDIT_WEIGHT]
    telegram_bio_checked_at: Annotated[str | None, _DERIVED]
    telegram_common_groups: Annotated[Any | None, Spec("json")]
    telegram_groups_fetched_at: Annotated[str | None, _DERIVED]
    telegram_last_seen_at: Annotated[str | None, _DERIVED]
    telegram_read_outbox_max_id: Annotated[int | None, _DERIVED]
    location: Annotated[str | None, _EDIT]
    latitude: Annotated[float | None, _EDIT]
    longitude: Annotated[float | None, _EDIT]
    geocoded_at: Annotated[str | None, _DERIVED]
    geocoded_location: Annotated[str | None, _COLUMN]
    linkedin_url: Annotated[str | None, _EDIT_WEIGHT]
    linkedin_profile_id: Annotated[str | None, _identity("linkedin", "external_id", weight=True)]
    linkedin_headline: Annotated[str | None, _EDIT_WEIGHT]
    linkedin_bio: Annotated[str | None, _EDIT_WEIGHT]
    whatsapp_phone: Annotated[str | None, _identity("whatsapp", "external_id")]
    whatsapp_name: Annotated[str | None, _EDIT]
    whatsapp_about: Annotated[str | None, _EDIT]
    whatsapp_avatar_url: Annotated[str | None, _EDIT]
    whatsapp_bio_checked_at: Annotated[str | None, _DERIVED]
    facebook_id: Annotated[str | None, _identity("facebook", "external_id", numeric_id=True)]
    facebook_name: Annotated[str | None, _EDIT]
    facebook_avatar_url: Annotated[str | None, _COLUMN]
    instagram_id: Annotated[str | None, _identity("instagram", "external_id", numeric_id=True)]
    instagram_username: Annotated[str | None, _identity("instagram", "handle")]
    instagram_avatar_url: Annotated[str | None, _COLUMN]
    avatar_url: Annotated[str | None, _EDIT]
    birthday: Annotated[str | None, _EDIT]  # MM-DD or YYYY-MM-DD
    notes: Annotated[str | None, _EDIT_WEIGHT]
    relationship_score: Annotated[int, _DERIVED]
    interaction_count: Annotated[int, _DERIVED]
    last_interaction_at: Annotated[str | None, _DERIVED]
    last_followup_at: Annotated[str | None, _DERIVED]
    score_computed_at: Annotated[str | None, _DERIVED]
    priority_level: Annotated[Priority, _EDIT]
    source: Annotated[str | None, _EDIT_WEIGHT]
    user_edited_fields: Annotated[list[str], Spec("json", derived=True)]
    google_resource_name: Annotated[str | None, _COLUMN]
    bcc_hash: Annotated[str | None, _COLUMN]
    created_at: Annotated[str, _STAMP]
    updated_at: Annotated[str, _STAMP]


class OverdueContact(Contact):
    """A high-priority contact past its follow-up interval (GET /contacts/overdue)."""

    days_overdue: int


class BirthdayContact(Contact):
    """A contact whose birthday is within the week (GET /contacts/birthdays)."""

    days_until_birthday: int  # 0 = today ... 6


def _specs() -> dict[str, Spec]:
    out = {}
    for name, annotation in Contact.__annotations__.items():
        (spec,) = (m for m in annotation.__metadata__ if isinstance(m, Spec))
        out[name] = spec
    return out


# field -> its Spec, in declaration order
SPECS: dict[str, Spec] = _specs()
FIELDS: tuple[str, ...] = tuple(SPECS)
PRIORITIES: tuple[str, ...] = get_args(Priority)

# `contacts` columns holding a field as such (the organization's as its rowid): what the store writes
COLUMNS: tuple[str, ...] = tuple(f for f, s in SPECS.items() if s.store in ("column", "json", "organization"))
JSON_COLUMNS: frozenset[str] = frozenset(f for f, s in SPECS.items() if s.store == "json")
# field -> (platform, contact_identities column)
IDENTITIES: dict[str, tuple[str, IdColumn]] = {
    f: (s.platform, s.id_column)
    for f, s in SPECS.items()
    if s.store == "identity" and s.platform is not None and s.id_column is not None
}
# (platform, contact_identities column) -> field: which field an identity row is
IDENTITY_FIELD: dict[tuple[str, str], str] = {spec: f for f, spec in IDENTITIES.items()}
CHILD_LISTS: tuple[str, ...] = tuple(f for f, s in SPECS.items() if s.store == "child")
EDITABLE: tuple[str, ...] = tuple(f for f, s in SPECS.items() if s.editable)
NUMERIC_IDS: frozenset[str] = frozenset(f for f, s in SPECS.items() if s.numeric_id)
DERIVED: frozenset[str] = frozenset(f for f, s in SPECS.items() if s.derived)
WEIGHT_FIELDS: tuple[str, ...] = tuple(f for f, s in SPECS.items() if s.weight)

# [protected-fields]: the fields a user's edit protects from later syncs and imports, in the order an edit
# of several at once records them in user_edited_fields (a contact's JSON shows it).
PROTECTABLE: tuple[str, ...] = (
    "full_name",
    "given_name",
    "family_name",
    "company",
    "title",
    "location",
    "tags",
    "notes",
    "birthday",
    "linkedin_headline",
    "twitter_handle",
)


NO_NAME = "(no name)"  # what display_name gives a contact with nothing to show it by


def display_name(c: Any) -> str:
    """How to show a contact wherever a name is shown [display-name]: its full name, else its given and
    family names, else its first e-mail address or phone number (a card holding only a number is that
    number, as phones show it), else a handle, else its user id on a platform ("X user 99999"), else
    "(no name)". `c` is a contact mapping (the store's dict, an API response) or anything with those keys;
    the stored name is never changed."""
    get = c.get
    name = (get("full_name") or "").strip()
    if name:
        return str(name)
    parts = " ".join(str(p).strip() for p in (get("given_name"), get("family_name")) if p and str(p).strip())
    if parts:
        return parts
    for key in ("emails", "phones"):
        values = get(key) or []
        if values:
            return str(values[0])
    for key, prefix in (("telegram_username", "@"), ("twitter_handle", "@"), ("whatsapp_phone", "")):
        if get(key):
            return f"{prefix}{get(key)}"
    for key, prefix in PLATFORM_IDS:  # a DM's sender known by its id alone (an X archive, a Telegram chat)
        if get(key):
            return f"{prefix}{get(key)}"
    return NO_NAME


# [display-name]: how a contact known only by a platform's user id is shown, and found again
PLATFORM_IDS = (("twitter_user_id", "X user "), ("telegram_user_id", "Telegram user "))
