"""AI and enrichment [ai-models] [ai-taxonomy]."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from pcrm.api.schemas.common import AnyCase, In, Out


class ComposeIn(In):
    channel: Annotated[Literal["email", "telegram", "twitter", "linkedin", "whatsapp"], AnyCase] | None = (
        Field(default=None, description="default: the channel suggestions would choose")
    )


class Composed(Out):
    suggested_message: str
    suggested_channel: str


class FieldsUpdated(Out):
    fields_updated: list[str]
    source: str


class Enriched(Out):
    contact_id: str
    fields_updated: list[str]
    source: str
    matched: bool
    batch_id: str | None = None
    errors: list[str] | None = None


class AutoTagged(Out):
    tags_added: list[str]
    all_tags: list[str]
    bulk_update_id: str | None = Field(
        default=None,
        description="When it added a tag: POST /contacts/bulk-updates/{bulk_update_id}/undo takes them off "
        "again, meta.undo says the CLI's undo [bulk-undo].",
    )


class Taxonomy(Out):
    categories: dict[str, list[str]]
    total_tags: int
    status: Literal["draft", "approved"]
    created_at: str | None = None
    updated_at: str | None = None


class TaxonomyIn(In):
    categories: dict[str, list[str]] | None = None
    status: str | None = Field(default=None, description="draft or approved")


class ApplyIn(In):
    contact_ids: list[str] | None = Field(
        default=None,
        description="The contacts to tag (at least one; an empty list is a 422); left out, every active one.",
    )


class NotTagged(Out):
    id: str
    full_name: str | None
    display_name: str = Field(description="How lists show the contact: its name, else an address or number")
    tags: int = Field(description="The tags it holds.")
    would_make: int = Field(description="The tags it would have held with the model's.")


class Applied(Out):
    tagged_count: int
    task_id: str | None
    skipped: int | None = None
    failed: int | None = None
    over_tag_cap: list[NotTagged] | None = Field(
        default=None,
        description="Contacts left untagged as the model's tags would take them past 50, the most a "
        "contact holds; present only when there are some.",
    )
    bulk_update_id: str | None = Field(
        default=None,
        description="The run's id when it tagged someone: POST /contacts/bulk-updates/{bulk_update_id}/undo "
        "takes it back, meta.undo says the CLI's undo [bulk-undo]. A background run says it in its "
        "`tagging` notification.",
    )
