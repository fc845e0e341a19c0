"""The shared pieces: request and response bases, the error body, paging meta and the small
acknowledgements several resources answer with."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from pcrm.errors import STATUS


def _folded(value: Any) -> Any:
    """A named choice (a channel, a direction, a priority) in any case and with spaces around, as the CLI,
    MCP and the services take it: "EMAIL" is email. What is not text is left for the field to refuse."""
    return value.strip().lower() if isinstance(value, str) else value


# on a Literal field of a request body: Annotated[Literal["a", "b"], AnyCase]
AnyCase = BeforeValidator(_folded)


class In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorBody(Out):
    # the codes come from errors.STATUS so the two cannot drift; mypy only takes literal values there
    code: Literal[tuple(STATUS)]  # type: ignore[valid-type]
    message: str
    hint: str | None
    details: dict[str, Any]


class PageMeta(Out):
    total: int
    page: int
    page_size: int
    total_pages: int


class UnknownTag(Out):
    tag: str = Field(description="The tag asked for, normalised.")
    near: list[str] = Field(description="Up to 3 tags in use close to it, closest first.")


UNKNOWN_TAG_DOC = (
    "Present only when the list is empty and its `tag` filter names a tag no contact has [unknown-tags]."
)


ARCHIVED_MATCHES_DOC = (
    "Present only when the list is empty, did not ask for archived contacts (`include_archived`, "
    "`archived_only`), and that many archived contacts pass its filters [hidden-contacts]."
)


class NearContact(Out):
    id: str
    full_name: str | None


class FoldedValue(Out):
    field: str = Field(description="The list: emails, phones or tags (for a taxonomy, the category).")
    kept: str = Field(description="The one value kept.")
    values: list[str] = Field(description="The values given that are all that one value, as given.")


class CreatedContactMeta(Out):
    folded: list[FoldedValue] | None = Field(
        default=None,
        description="Only when two values given are one (`A@x.org` and `a@x.org`): each kept once, said.",
    )
    note: str | None = Field(default=None, description="meta.folded in words.")
    namesakes: list[NearContact] | None = Field(
        default=None,
        description="Only when other contacts already have the new contact's full name: up to 5 of them, "
        "oldest first. The contact is created all the same: namesakes are often two people [namesakes].",
    )


class ContactPageMeta(PageMeta):
    total_is_estimate: bool = Field(
        description="Always present: true when a search with very many matches stopped counting and `total` "
        "is a lower bound (1,000), false when `total` is exact [contact-search]."
    )
    has_more: bool = Field(
        description="Always present: true when a later page holds more rows; follow it to walk every "
        "match. When `total_is_estimate` is true, `total` and `total_pages` are lower bounds, and the pages "
        "past the first 200 rows carry the exact count [search-paging]."
    )
    unknown_tag: UnknownTag | None = Field(None, description=UNKNOWN_TAG_DOC)
    archived_matches: int | None = Field(None, description=ARCHIVED_MATCHES_DOC)
    did_you_mean: list[NearContact] | None = Field(
        default=None,
        description="Only when a search found nobody (`total` 0) and some contacts passing the other filters "
        "have a name a letter or two off the term: up to 3 of them, closest first [near-names].",
    )


class OffsetMeta(Out):
    total: int
    limit: int
    offset: int


class CountMeta(Out):
    count: int


class CountTotalMeta(CountMeta):
    total: int = Field(description="How many there are in all, however many came back [complete-lists].")


class DigestMeta(CountMeta):
    last_generated_at: str | None = Field(
        None, description="When suggestions were last generated; null: never (run POST /suggestions/generate)"
    )


class Count(Out):
    count: int


class Updated(Out):
    updated: bool


class UpdatedCount(Out):
    updated_count: int


class Changed(Out):
    updated: bool = Field(description="The reference's answer: true.")


class Deleted(Out):
    id: str
    deleted: bool


class DeletedCount(Out):
    deleted_count: int


class Revoked(Out):
    revoked: bool


class Dismissed(Out):
    dismissed: bool


class DryRunMeta(Out):
    dry_run: bool | None = None


class CookieStatus(Out):
    status: Literal["connected", "expired", "disconnected"]
    checked_at: str | None = Field(description="When X last accepted the cookies; null: pcrm never checks.")
    verified: bool = Field(description="Whether X was seen to accept the cookies (always false in pcrm).")
    pushed_at: str | None = Field(description="When the extension last pushed the cookies.")


class VersionInfo(Out):
    current: str
    latest: str
    release_url: str | None
    release_notes: str | None
    update_available: bool
    checked_at: str | None = Field(description="Always null: pcrm never checks for updates over the network.")
    disabled: bool


def skip_words() -> Any:
    """The `message` field beside a skip's `reason` code."""
    return Field(default=None, description="Why it was skipped, in words (not in the reference).")


def skip_hint() -> Any:
    """The `hint` field beside a skip's `reason` code."""
    return Field(default=None, description="What to do about it: the command that connects the source.")


class BiosRefreshed(Out):
    twitter_bio_changed: bool | None = None
    telegram_bio_changed: bool | None = None
    skipped: bool | None = None
    reason: str | None = Field(
        default=None, description="Why it was skipped: checked_recently, not_connected [idle-answers]."
    )
    message: str | None = skip_words()
    hint: str | None = skip_hint()


class AvatarRefreshed(Out):
    avatar_url: str | None
    changed: bool
    skipped: bool | None = Field(
        default=None,
        description="true within 24 hours of the last refresh (unless force), or while neither Telegram nor "
        "X is connected: nothing asked.",
    )
    reason: str | None = Field(
        default=None, description="Why it was skipped: checked_recently, not_connected [idle-answers]."
    )
    message: str | None = skip_words()
    hint: str | None = skip_hint()
