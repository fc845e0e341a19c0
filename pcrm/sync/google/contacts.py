"""The Google Contacts source [google-sources]: the people of every connected account's address book
(People API `people/me/connections`, 1000 a page), one batch per page.

Mapping: the first name entry gives the full, given and family names (none: a name read from the email,
"david.rodriguez" -> David Rodriguez); "Name | Org" is split when there is no organization; all emails and
phones; the first organization's name and title. A person with neither name nor email is skipped.
Matching is by `resourceName` first (kept on the contact), then the usual keys (emails, phones).

The first run lists everything and asks for a sync token; later runs send it and get only the people
changed since, deletions included: a person deleted in Google is archived here (never deleted). An
expired token (HTTP 410) lists everything again. The cursor is JSON per account:
`{"page": pageToken}` during the listing, `{"sync": syncToken}` after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from pcrm.domain.records import ContactRecord, Records
from pcrm.domain.sources import source
from pcrm.sync import google
from pcrm.sync.base import Batch, Source, each_account
from pcrm.sync.google.gmail import dump_cursor, load_cursor

FIELDS = "names,emailAddresses,phoneNumbers,organizations,metadata"
PAGE = 1000
_SPLIT = re.compile(r"\s*(?:\||@|/|—|–| - )\s*")


def name_from_email(email: str) -> str | None:
    """ "david.rodriguez7@x" -> "David Rodriguez"; None when the local part is not two name-like parts."""
    local = re.sub(r"\d+$", "", email.partition("@")[0])
    parts = [p for p in re.split(r"[._-]", local) if len(p) > 1 and p.isalpha()]
    if len(parts) < 2:
        return None
    return " ".join(p.capitalize() for p in parts[:2])


def split_name_org(name: str) -> tuple[str, str | None]:
    """ "Ada Lovelace | Analytical Engines" -> ("Ada Lovelace", "Analytical Engines")."""
    parts = _SPLIT.split(name, maxsplit=1)
    if len(parts) == 2 and parts[0].strip() and parts[1].strip():
        return parts[0].strip(), parts[1].strip()
    return name, None


def person_record(person: dict[str, Any], row: int) -> ContactRecord | None:
    rn = person.get("resourceName")
    if (person.get("metadata") or {}).get("deleted"):
        return ContactRecord(
            row=row,
            data={"priority_level": "archived"},
            overwrite=frozenset({"priority_level"}),
            create=False,
            google_resource_name=rn,
        )
    emails = [str(e["value"]).strip() for e in person.get("emailAddresses") or [] if e.get("value")]
    phones = [str(p["value"]).strip() for p in person.get("phoneNumbers") or [] if p.get("value")]
    name = (person.get("names") or [{}])[0]
    full = (name.get("displayName") or "").strip() or None
    given, family = name.get("givenName"), name.get("familyName")
    org = (person.get("organizations") or [{}])[0]
    company, title = org.get("name"), org.get("title")
    if not full and not given and not family:
        full = next((n for n in map(name_from_email, emails) if n), None)
        if full is None and not emails:
            return None
    if full and not company:
        full, company = split_name_org(full)
        if company:
            given = family = None  # the name entry held the organization too
    data: dict[str, Any] = {
        "full_name": full,
        "given_name": given,
        "family_name": family,
        "emails": emails,
        "phones": phones,
        "company": company,
        "title": title,
    }
    return ContactRecord(
        row=row, data={k: v for k, v in data.items() if v}, google_resource_name=rn, where="google"
    )


class GoogleContactsSource(Source):
    spec = source("google_contacts")
    capabilities = frozenset({"contacts"})

    @classmethod
    def connect(cls, secrets: Mapping[str, str], settings: Mapping[str, Any]) -> Any:
        return google.connect(secrets, settings)

    def fetch(self, cursor: str | None) -> Iterator[Batch]:
        from googleapiclient.errors import HttpError

        from pcrm.sync.google.client import status_of

        state = load_cursor(cursor)

        def one(acct: Any) -> Iterator[Batch]:
            mine = state.get(acct.email) or {}
            try:
                yield from self._list(acct, state, mine)
            except HttpError as exc:
                if status_of(exc) not in (400, 410) or "sync" not in str(exc).lower():
                    raise
                yield from self._list(acct, state, {})  # the sync token expired: list everything again

        yield from each_account(self.client.accounts, one, name=lambda a: a.email)

    def _list(self, acct: Any, state: dict[str, Any], mine: dict[str, Any]) -> Iterator[Batch]:
        from pcrm.sync.google.client import pages

        conns = acct.people().people().connections()
        token = mine.get("sync")

        def request(page: str | None) -> Any:
            kw: dict[str, Any] = {"pageToken": page} if page else {}
            if token:
                kw["syncToken"] = token
            return conns.list(
                resourceName="people/me", pageSize=PAGE, personFields=FIELDS, requestSyncToken=True, **kw
            )

        for page, nxt in pages(request, account=acct.email, what="Google Contacts", start=mine.get("page")):
            people = page.get("connections") or []
            new = (
                {"page": nxt, **({"sync": token} if token else {})}
                if nxt
                else {"sync": page.get("nextSyncToken")}
            )
            if token and not people and new == {"sync": token}:
                continue  # nothing changed since the last run
            records = Records()
            for k, person in enumerate(people):
                rec = person_record(person, k + 1)
                if rec is None:
                    records.contacts_skipped += 1
                else:
                    records.contacts.append(rec)
            state[acct.email] = new
            yield Batch(records, dump_cursor(state), details={"account": acct.email})
