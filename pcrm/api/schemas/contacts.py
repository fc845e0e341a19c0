"""Contacts: the request body, the contact itself (generated from pcrm.domain.models.Contact),
its dashboard views (overdue, birthdays, map, related) and bulk changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field, create_model

from pcrm.api.schemas.common import (
    ARCHIVED_MATCHES_DOC,
    UNKNOWN_TAG_DOC,
    Deleted,
    In,
    NearContact,
    Out,
    UnknownTag,
)
from pcrm.api.schemas.contact_model import CONTACT_IN_DOC, contact_fields, contact_input_fields

# ContactIn and Contact are generated from the domain model, so the API cannot drift from what the store
# returns and the parser accepts. mypy cannot see fields made at run time: to it they are plain models.
if TYPE_CHECKING:

    class ContactIn(In): ...

    class Contact(Out): ...

else:
    ContactIn = create_model(
        "ContactIn",
        __base__=In,
        __module__=__name__,
        __doc__=CONTACT_IN_DOC,
        **contact_input_fields(),
    )
    Contact = create_model("Contact", __base__=Out, __module__=__name__, **contact_fields())


class OtherValue(Out):
    """A value the contact keeps beside its own fields (an address, a web page, a chat address, a related
    person, a department, a name part, a value an import or a merge kept aside), as `pcrm contacts show`
    lists it [other-values]."""

    what: str = Field(
        description="What it is, as `pcrm contacts show` names the row: `address (work)`, `web (blog)`, "
        "`chat (skype)`, `middle name`, `department`, `anniversary`, `other company`."
    )
    value: str = Field(description="Its text as shown: parts joined by `, `, escapes undone.")
    kind: str = Field(
        description="The kind of the kept field it comes from: address, url, im, related, anniversary, date, "
        "nickname, org, n (name parts), note, birthday, social, prop or x (a line kept as it was)."
    )
    label: str | None = Field(
        description="The label the field was kept under (a vCard TYPE, an X-ABLabel, a "
        "CSV column's label: `work`, `blog`); null: none."
    )
    raw: str = Field(
        description="The field's value as kept: vCard form (an address's parts separated by `;`, a property "
        "line such as `ROLE:Programmer`); a row read from part of it (a department, a middle name) gives the "
        "whole."
    )


class ContactDetail(Contact):
    """One contact read on its own: the contact, each phone's and e-mail's label beside it, and the values it
    keeps beside its own fields."""

    phone_labels: list[str | None] = Field(
        description="The label of each of `phones`, at the same place (`mobile`, `work fax`, `Google Voice`);"
        " null: none."
    )
    email_labels: list[str | None] = Field(
        description="The label of each of `emails`, at the same place (`work`, `home`); null: none."
    )
    other_values: list[OtherValue] = Field(
        description="Every value the contact keeps beside its own fields, in the order `pcrm contacts show` "
        "lists them; emails, phones and the photo are in their own fields."
    )


class MergedAway(Out):
    id: str
    full_name: str | None
    display_name: str = Field(
        description="How lists showed it when merged: its name, else an address or number"
    )
    merge_id: str = Field(description="Undo it with `pcrm contacts unmerge MERGE_ID` before the delete.")
    via: str = Field(description="The contact it was merged into (the deleted one or another of these).")


class OrganizationRemoved(Out):
    id: str
    name: str


class ContactDeleted(Deleted):
    merged_contacts: list[MergedAway] = Field(
        description="Contacts merged into this one that went with it; an unmerge brings them back without "
        "the interactions the merge had moved."
    )
    organization_removed: OrganizationRemoved | None = Field(
        description="The organization pcrm had made for a company that this contact was the last of (never "
        "edited, no logo, in no merge), deleted with it; null when none."
    )


class OverdueContact(Contact):
    days_overdue: int


class NextDue(Out):
    id: str
    name: str
    on: str = Field(description="The local day (YYYY-MM-DD) the contact becomes overdue.")


class OverdueMeta(Out):
    count: int
    total: int = Field(description="Every overdue contact, however many `limit` returned.")
    interval_days: int
    high_priority: int | None = Field(
        default=None, description="With nobody overdue: how many high-priority contacts the list watches."
    )
    next_due: NextDue | None = Field(
        default=None,
        description="With nobody overdue: the one heard from longest ago, and when they are due.",
    )


class BirthdaysMeta(Out):
    count: int
    total: int = Field(description="Every birthday in the window, however many `limit` returned.")


class IdsMeta(Out):
    total: int
    unknown_tag: UnknownTag | None = Field(None, description=UNKNOWN_TAG_DOC)
    archived_matches: int | None = Field(None, description=ARCHIVED_MATCHES_DOC)


class TagsMeta(Out):
    counts: dict[str, int] = Field(description="Every contact carrying each tag, archived ones included.")
    archived: dict[str, int] = Field(
        description="How many of a tag's contacts are archived, for the tags some archived contact carries "
        "(the contact list leaves them out)."
    )


class ContactStats(Out):
    total: int
    strong: int
    active: int
    dormant: int
    interactions_this_week: int
    interactions_last_week: int
    active_last_week: int


class BirthdayContact(Contact):
    days_until_birthday: int = Field(ge=0, le=6)


class MapPoint(Out):
    id: str
    full_name: str | None
    avatar_url: str | None
    latitude: float
    longitude: float
    relationship_score: int
    display_name: str = Field(description="How lists show the contact: its name, else an address or number")


class MapMeta(Out):
    total_in_bounds: int


class RelatedContact(Out):
    id: str
    full_name: str | None
    title: str | None
    company: str | None
    avatar_url: str | None
    relationship_score: int
    reasons: list[str]
    display_name: str = Field(description="How lists show the contact: its name, else an address or number")


class BulkUpdateIn(In):
    """Types only; the service owns the rules (<= 500 ids, <= 50 tags each, known priority, something to
    change), so the CLI and the API refuse the same bodies."""

    contact_ids: list[str] | None = Field(default=None, description="At most 500 contact ids.")
    add_tags: list[str] | None = Field(default=None, description="At most 50; normalised to lowercase.")
    remove_tags: list[str] | None = Field(default=None, description="At most 50.")
    priority_level: str | None = Field(
        default=None, description="high, medium, low or archived (archiving dismisses open suggestions)."
    )
    company: str | None = Field(default=None, description='null leaves it; "" clears it.')


class BulkUpdated(Out):
    updated: int
    bulk_update_id: str | None = Field(
        default=None, description="The change's id, for its undo; absent when nothing changed [bulk-undo]."
    )


class TalkedContact(Out):
    id: str
    full_name: str | None = None
    display_name: str


class SecondTierTalked(Out):
    count: int = Field(description="How many contacts given the `2nd tier` tag have a direct interaction.")
    contacts: list[TalkedContact] = Field(description="The first few of them.")


class BulkUpdateMeta(Out):
    suggestions_dismissed: int
    undo: str | None = Field(default=None, description="The CLI command that takes the change back.")
    changed: int = Field(
        description="How many of the selected contacts (data.updated) the update changed; the others already "
        "were as asked and were left alone [bulk-edits]."
    )
    note: str | None = Field(
        default=None,
        description="Only when it gives the `2nd tier` tag to contacts you talked with (kept, but said): how "
        "many and the first few names [second-tier].",
    )
    second_tier_talked: SecondTierTalked | None = Field(
        default=None, description="With note: those contacts, counted, the first few named."
    )


class SecondTierContact(NearContact):
    display_name: str = Field(description="How lists show the contact: its name, else an address or number")


class KeptContact(Out):
    id: str
    full_name: str | None = None
    display_name: str
    why: list[str] = Field(description="What was changed on it since the bulk update.")


class BulkUndone(Out):
    bulk_update_id: str
    kind: str = Field(
        description="What was undone: bulk-update, tags-apply, tags-rename, tags-delete, auto-tag, org-edit, "
        "org-delete, org-add, contact-company."
    )
    change: str = Field(
        description="It in words, by its kind: \"rename of organization 'Globex' to 'Globex Inc'\", "
        '"removal of organization \'Globex\'", "addition of organization \'Globex\'", "bulk update".'
    )
    restored: int = Field(description="How many contacts got back what they held before the update.")
    contacts: list[SecondTierContact]
    kept: list[KeptContact] = Field(description="Contacts edited since, left alone.")
    gone: int = Field(description="Contacts the update changed that were deleted since.")


class BulkUndoMeta(Out):
    suggestions_reopened: int
    taxonomy_restored: bool | None = Field(
        default=None,
        description="Only for a tag rename or delete that changed the tag taxonomy: whether the taxonomy was "
        "put back (false: it was edited since, and is left alone).",
    )
    organization_restored: str | None = Field(
        default=None,
        description="Only for an organization's edit or removal: the organization put back (its name then).",
    )
    contacts_renamed: int | None = Field(
        default=None,
        description="Only for an organization's rename that renamed contacts linked to it since: how many "
        "got its old name back as their company, as every contact linked to it holds its name.",
    )
    organizations_dropped: list[str] | None = Field(
        default=None,
        description="Only for a change that made organizations (an organization's addition, a bulk update "
        "whose company made one): the names of those the undo deleted, unused since.",
    )
    organizations_left: list[str] | None = Field(
        default=None,
        description="With organizations_dropped: the names of those it made that stay, used since (a contact "
        "linked to one, a value edited, a merge or duplicate match).",
    )
    logo_restored: bool | None = Field(
        default=None,
        description="Only for an organization's edit that replaced its logo: whether the logo it had was "
        "put back (false: its copy kept aside is gone; `pcrm orgs logos ORG --force` fetches one again).",
    )
    logo_removed: bool | None = Field(
        default=None,
        description="Only for an organization's edit or logo fetch that gave it its first logo: true, the "
        "logo is taken off (its file removed).",
    )
    dry_run: bool | None = None
    undo: str | None = Field(
        default=None,
        description="Only when contacts were left alone or merged away since: the CLI command that undoes "
        "them later, once what changed them since is itself undone, an unmerge for one merged away (the "
        "update stays open for them).",
    )


class BulkUpdateListed(Out):
    id: str
    kind: str = Field(
        description="What made it: bulk-update, tags-apply (AI tagging), auto-tag (AI tagging of one "
        "contact), tags-rename, tags-delete, org-add (an organization added, "
        "linking contacts), org-edit (an organization's edit or a logo fetched for it again), org-delete "
        "(its removal), contact-company (a contact's company edit that made an organization or gave one a "
        "domain)."
    )
    what: str = Field(description="The change in words, e.g. \"add tag 'vip'; priority high\".")
    created_at: str
    contacts: int = Field(description="How many contacts it changed.")
    undone: bool
    undone_at: str | None
    partly_undone: bool = Field(
        description="An undo put back some of its contacts and left others (edited since, or merged away): "
        "it stays open for those."
    )
    partly_undone_at: str | None
    restored: int | None = Field(description="When partly undone: the contacts put back so far; else null.")
    left: int | None = Field(description="When partly undone: the contacts still to undo; else null.")
    undo: str | None = Field(description="The CLI command that takes it back; null once undone.")


class BulkUpdatesMeta(Out):
    total: int = Field(description="Every journalled change, however many `limit` returned.")
    limit: int


class SecondTierKept(SecondTierContact):
    promoted: bool = Field(
        description="Its `2nd tier` tag was dropped: it has direct interactions, which end the 2nd tier."
    )


class SecondTierDeletedMeta(Out):
    kept: list[SecondTierKept] | None = Field(
        default=None,
        description="Only when some 2nd-tier contacts have a history (an interaction, a note, notes or a "
        "field edited by hand): those contacts, kept [second-tier].",
    )
    backup: str | None = Field(
        default=None,
        description="Only when contacts were deleted: the backup taken just before, for `pcrm db restore` "
        "[automatic-backups].",
    )
    organizations_removed: list[OrganizationRemoved] | None = Field(
        default=None,
        description="Only when some: the organizations pcrm had made for these contacts' companies (never "
        "edited, no logo, in no merge) that no contact is left in, deleted with them [company-orgs].",
    )


class Promoted(Out):
    promoted: bool
    id: str
