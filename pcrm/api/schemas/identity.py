"""Identity resolution: matches, merges and duplicate hints [review-queue]."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from pcrm.api.schemas.common import Out
from pcrm.api.schemas.imports import TagsPastCap


class MatchContact(Out):
    id: str
    full_name: str | None
    given_name: str | None
    family_name: str | None
    emails: list[str]
    phones: list[str]
    company: str | None
    title: str | None
    twitter_handle: str | None
    telegram_username: str | None
    linkedin_url: str | None
    tags: list[str]
    notes: str | None
    source: str | None


class SharedKey(Out):
    key: str
    value: str


class IdentityMatch(Out):
    id: str
    contact_a_id: str | None
    contact_b_id: str | None
    contact_a: MatchContact | None
    contact_b: MatchContact | None
    match_score: float
    match_method: str
    status: Literal["pending_review", "merged", "rejected"]
    created_at: str
    resolved_at: str | None
    shared_key: SharedKey | None = Field(
        default=None,
        description="Why the pair was queued when two contacts of conflicting names share a key: the key "
        "(email, phone, email_in_notes or a platform identity field) and its value; or `conversation` and "
        "'PLATFORM CONVERSATION_ID', a pushed chat both hold messages of, its sender's contact uncertain.",
    )
    explanation: dict[str, Any] | None = Field(
        default=None,
        description="With ?explain=true: each signal, its weight, the guards and the score; `band` is where "
        "the score alone puts the pair, `outcome` what happens to it (a queued pair is asked: review) and "
        "`outcome_reason` why when the two differ (a key shared under names that do not agree, say); "
        "`listed_score` where `match_score` (the score the pair was queued with) is not the score explained, "
        "the reason saying why.",
    )
    cluster_id: str | None = Field(
        default=None,
        description="Pairs sharing a contact form one cluster, one question (A~B~C: are these one person?); "
        "the id of the cluster's best pair. In the queue listing only.",
    )
    cluster_rank: int | None = Field(default=None, description="1 = the cluster with the best evidence.")
    cluster_size: int | None = Field(default=None, description="How many contacts the cluster holds.")
    reason: str | None = Field(default=None, description="The deciding signals in words.")


class IdentityMatchesMeta(Out):
    count: int = Field(description="Pairs listed.")
    clusters: int = Field(description="Clusters (questions) listed.")
    total_clusters: int = Field(description="Clusters waiting, before `limit`.")
    total_pairs: int = Field(description="Pairs waiting, before `limit`.")


class KeptValue(Out):
    kind: str
    label: str | None
    value: str


class MergedMatch(IdentityMatch):
    merge_id: str = Field(description="Undo with `pcrm contacts unmerge MERGE_ID`.")
    survivor_id: str
    survivor_display_name: str = Field(
        description="How lists show the survivor: its name, else an address or number"
    )
    fields_filled: list[str] = Field(description="The survivor's empty fields filled from the other contact.")
    values_kept: list[KeptValue] = Field(
        description="The other contact's differing values, kept on the survivor as extra fields."
    )
    tags_past_cap: int | None = Field(
        default=None,
        description="The survivor's tags when the merge left it more than 50, the most a contact takes by "
        "hand: every tag of the two is kept (null otherwise).",
    )


class IdentityScan(Out):
    auto_merged: int
    pending_review: int
    matches_found: int


class WouldMerge(Out):
    survivor_id: str
    merged_contact_id: str
    full_name: str | None
    display_name: str = Field(description="How lists show the survivor: its name, else an address or number")


class IdentityScanMeta(BaseModel):
    """The fixed keys; the scorer adds its own counters (pairs compared, blocks skipped...)."""

    model_config = ConfigDict(extra="allow")
    auto_merged_ids: list[str]
    pending_review_ids: list[str]
    merge_ids: list[str]
    deterministic_merged: int
    probabilistic_merged: int
    dry_run: bool
    backup: str | None = Field(description="The automatic backup taken before the first merge.")
    pending_total: int = Field(
        description="Every pair waiting for review once the scan is done (GET /identity/matches lists "
        "them), the ones it queued (data.pending_review) and those queued before."
    )
    would_merge: list[WouldMerge] | None = Field(default=None, description="With dry_run=true.")
    tags_past_cap: list[TagsPastCap] | None = Field(
        default=None,
        description="Survivors a merge left holding more than 50 tags, every one kept; only when some are.",
    )


class DuplicateHint(Out):
    id: str
    full_name: str | None
    given_name: str | None
    family_name: str | None
    emails: list[str]
    phones: list[str]
    company: str | None
    title: str | None
    twitter_handle: str | None
    telegram_username: str | None
    score: float
    explanation: dict[str, Any] | None = None


class ContactMerged(Out):
    id: str = Field(description="The survivor: the richer contact, whichever side it was.")
    full_name: str | None
    display_name: str = Field(description="How lists show the survivor: its name, else an address or number")
    merged_contact_id: str
    merge_id: str | None = Field(description="null on a dry run")
    match_id: str | None
    interactions_moved: int
    collisions_journaled: int
    fields_filled: list[str] = Field(description="The survivor's empty fields filled from the other contact.")
    values_kept: list[KeptValue] = Field(
        description="The other contact's differing values, kept on the survivor as extra fields."
    )
    tags_past_cap: int | None = Field(
        default=None,
        description="The survivor's tags when the merge left it more than 50, the most a contact takes by "
        "hand: every tag of the two is kept (null otherwise).",
    )
