"""The contacts an import is about to create: staged while the file is read, inserted in bulk at the end.

A later row of the same file that belongs to a staged contact (by the [shared-keys] rule, or by the
name-only rule of [import-matching]) is folded into it with the rules a fold into an existing contact
follows: empty fields filled, differing values kept aside, new emails, phones, tags and identities added.
Staging and a single bulk insert are what keep a 30k-row file fast.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from pcrm.domain import map_point, models
from pcrm.domain import normalize as n
from pcrm.domain.contact_input import past_tag_cap
from pcrm.domain.field_keys import field_key
from pcrm.domain.identity_names import Name, company_key
from pcrm.domain.records import ContactField, ContactRecord
from pcrm.domain.shared_keys import kept_name_parts, kept_values, name_of, name_parts_over
from pcrm.domain.wording import value_words
from pcrm.formats.vcard_text import escape_uri
from pcrm.services.ingest.matching import IDENT, Ref, idents_in
from pcrm.services.ingest.validate import row_error
from pcrm.services.organizations import org_for_company, work_domains
from pcrm.store import bulk
from pcrm.store import contacts as cstore
from pcrm.store import imports as istore

if TYPE_CHECKING:
    from pcrm.services.ingest.engine import Writer

# Not filled as plain columns: identities and child lists have their own writes; the source stays the one
# that created the contact; priority and organization are the user's (the organization follows the company
# through assign_for_company).
NOT_SCALAR = {*IDENT, *models.CHILD_LISTS, "source", "priority_level", "organization_id"}
_SCALAR = frozenset(cstore.SCALAR_FIELDS) - NOT_SCALAR  # what a staged contact's row takes from its input
# the columns `Pending.flush` sets itself, in the order it gives them
_SET_HERE_ORDER = (
    "id",
    "bcc_hash",
    "priority_level",
    "source",
    "import_batch_id",
    "name_fold",
    "name_plain",
    "name_umlaut",
    "uuid",
    "created_at",
    "updated_at",
    "organization_id",
)
_SET_HERE = frozenset(_SET_HERE_ORDER)
_FIELD_OF = {(column, platform): f for f, (platform, column) in IDENT.items()}


class CompanyDomains:
    """The email domains one import saw for each company [company-orgs]: a domain that contacts of several
    companies have addresses at (compared by `company_key`, so "Acme" and "ACME Inc." are one company) is
    none of their own, and no organization takes it from this import."""

    def __init__(self) -> None:
        self.companies: dict[str, set[str]] = {}  # a work domain -> the company keys seen with it
        self.shared: set[str] = set()
        self.keys: dict[str, str] = {}  # company as written -> its key (a file names a company many times)

    def note(self, changes: Iterable[Mapping[str, Any] | None]) -> set[str]:
        """Note a batch's validated records before any is written; the domains this batch found shared."""
        found: set[str] = set()
        for ch in changes:
            if ch is None or not ch.get("company") or not ch.get("emails"):
                continue
            domains = [d for d in work_domains(ch["emails"]) if d not in self.shared]
            if not domains:
                continue
            company = ch["company"]
            key = self.keys.get(company)
            if key is None:
                key = self.keys[company] = company_key(company) or n.fold(company)
            for domain in domains:
                seen = self.companies.setdefault(domain, set())
                seen.add(key)
                if len(seen) > 1:
                    self.shared.add(domain)
                    found.add(domain)
                    del self.companies[domain]
        return found


class Pending:
    """The staged new contacts of one import: their input, extra fields and record, by number."""

    def __init__(self, w: Writer) -> None:
        self.w = w
        self.items: list[dict[str, Any]] = []
        self.keys: dict[tuple[str, ...], list[int]] = {}  # identity key -> the staged contacts holding it
        self.by_name: dict[str, list[int]] = {}  # folded full name -> staged contacts (name-only records)

    def names(self, i: int) -> tuple[Name, ...]:
        t = name_of(self.items[i]["changes"])
        return (t,) if t else ()

    def _hold(self, key: tuple[str, ...], i: int) -> None:
        owners = self.keys.setdefault(key, [])
        if i not in owners:
            owners.append(i)

    def holders(self, key: tuple[str, ...], but: int | None = None) -> list[int]:
        return [i for i in self.keys.get(key, []) if i != but]

    def add(self, rec: ContactRecord, changes: dict[str, Any], keys: list[tuple[str, ...]]) -> int:
        """Stage a new contact; its number."""
        i = len(self.items)
        fields = dedupe_fields(rec.fields, set())
        self.w.count_repaired(fields)
        self.items.append(
            {
                "changes": changes,
                "fields": fields,
                "rec": rec,
                # the ids the file's app gives the records folded here [own-exports]
                "file_ids": {rec.file_id} if rec.file_id else set(),
            }
        )
        for k in keys:
            self._hold(k, i)
        name = n.fold(changes.get("full_name"))
        if name:
            self.by_name.setdefault(name, []).append(i)
        return i

    def add_ids(self, i: int, ids: list[tuple[str, str, str]]) -> None:
        """More identities of staged contact `i` (platform, column, value), inserted after its own: other ids
        of its account nobody holds (`Writer._more_ids`); a later record giving one finds it."""
        if not ids:
            return
        more = self.items[i].setdefault("more_ids", [])
        for platform, column, value in ids:
            key = (column, platform, value)
            if not self.holders(key):
                more.append((platform, column, value))
                self._hold(key, i)

    def fold_in(self, i: int, rec: ContactRecord, ch: dict[str, Any], conflicting: set[Ref]) -> None:
        """A later row for contact `i` of this import: the same rules as a fold into an existing one."""
        w = self.w
        p = self.items[i]["changes"]
        if rec.file_id:
            self.items[i]["file_ids"].add(rec.file_id)
        kept = kept_values(p, ch, name_parts_held=True) + other_profiles(p, ch)
        # another split of the name an earlier row gave: the first row's stays, this one is kept aside
        if any(name_parts_over(p, ch, ())):
            kept.append(kept_name_parts(ch.get("given_name"), ch.get("family_name")))
        for k, v in ch.items():
            if k in NOT_SCALAR or v in (None, "") or k in map_point.POINT:
                continue
            if p.get(k) in (None, ""):
                p[k] = v
        point, point_kept = map_point.point_over(p, ch)  # with the location it places [own-exports]
        p.update(point)
        kept += point_kept
        for e in ch.get("emails") or []:
            if e in (p.get("emails") or []):
                continue
            if not w.email_free(e, ("p", i), conflicting):
                w.report["errors"].append(
                    row_error(rec.at, rec.where, f"email {e} belongs to another contact; not added")
                )
                continue
            p.setdefault("emails", []).append(e)
            self._hold(("email", e), i)
        have = {norm for _r, norm in p.get("phones") or []}
        for raw, norm in ch.get("phones") or []:
            if norm not in have:
                have.add(norm)
                p.setdefault("phones", []).append((raw, norm))
                self._hold(("phone", norm), i)
        for t in ch.get("tags") or []:
            if t not in (p.get("tags") or []):
                p.setdefault("tags", []).append(t)
        for f, (platform, column) in IDENT.items():
            value = ch.get(f)
            if not value or p.get(f):
                continue
            key = (column, platform, value)
            if self.holders(key, i) or cstore.id_by_identity(w.conn, platform, column, value) is not None:
                w.report["errors"].append(
                    row_error(
                        rec.at, rec.where, f"{value_words(f, value)} belongs to another contact; not added"
                    )
                )
                continue
            p[f] = value
            self._hold(key, i)
        existing = {(f["kind"], f["value"]) for f in self.items[i]["fields"]}
        fields = phone_fields_as_held(
            rec.fields, ch.get("phones") or [], {norm: raw for raw, norm in reversed(p.get("phones") or [])}
        )
        new = dedupe_fields([*fields, *kept], existing)
        w.count_kept(new, kept)
        self.items[i]["fields"] += new

    # ------------------------------------------------------------ the bulk insert

    def flush(self) -> None:
        """Insert the staged contacts in bulk, already linked to their organizations (see `_orgs`),
        through the bulk load path's deferral (store.bulk.NewContacts): rowids and uuids chosen up
        front, per-row triggers (and, into an empty store, secondary indexes) off while the rows go in,
        their work done once at the end."""
        if not self.items:
            return
        w = self.w
        conn, now = w.conn, w.now
        # rowids and uuids chosen up front (we hold the write lock), as the bulk load path does
        base = bulk.next_contact_id(conn)
        fresh = bulk.uuids(len(self.items))
        restored = self._own_ids()
        for i, (uuid, _created) in restored.items():
            fresh[i] = uuid
        hashes = os.urandom(4 * len(self.items)).hex()  # one syscall for every bcc hash
        scalar_fields = _SCALAR
        source = w.source
        # the contacts' row values, row by row as tuples (no dict a row): the scalar columns some staged
        # contact has, then those the insert itself sets (they win over an input of the same name)
        present: set[str] = set()
        for p in self.items:
            present.update(p["changes"])
        avatars = {
            i: p["rec"].avatar
            for i, p in enumerate(self.items)
            if p["rec"].avatar and not p["changes"].get("avatar_url")
        }
        from_input = sorted((present & scalar_fields) - _SET_HERE | ({"avatar_url"} if avatars else set()))
        cols = [*from_input, *_SET_HERE_ORDER]
        values: list[list[Any]] = []
        emails: list[tuple[Any, ...]] = []
        phones: list[tuple[Any, ...]] = []
        tags: list[tuple[Any, ...]] = []
        idents: list[tuple[Any, ...]] = []
        fields: list[tuple[Any, ...]] = []
        orgs = self._orgs()
        fold, full_name, plain_name, umlaut_name = n.fold, n.full_name, cstore.plain_name, cstore.umlaut_name
        batch_id = w.batch_id
        for i, p in enumerate(self.items):
            ch = p["changes"]
            cid = p["cid"] = base + i
            if p["file_ids"]:  # what a later batch's record of another id is kept apart from
                w.made_ids[cid] = p["file_ids"]
            uuid = p["uuid"] = fresh[i]
            row = list(map(ch.get, from_input))
            name_fold = p["name_fold"] = fold(
                full_name(ch.get("full_name"), ch.get("given_name"), ch.get("family_name"))
            )
            if i in avatars:
                row[from_input.index("avatar_url")] = w.save_avatar(uuid, avatars[i])
            row += (
                cid,
                hashes[8 * i : 8 * i + 7],
                ch.get("priority_level") or "medium",
                ch.get("source") or source,
                batch_id,
                name_fold,
                plain_name(name_fold),
                umlaut_name(name_fold),
                uuid,
                restored[i][1] if i in restored else now,
                now,
                orgs[i],
            )
            values.append(row)
            if ch.get("emails"):
                emails += [(cid, e, j) for j, e in enumerate(ch["emails"])]
            if ch.get("phones"):
                phones += [(cid, raw, norm, j) for j, (raw, norm) in enumerate(ch["phones"])]
            if ch.get("tags"):
                tags += [(cid, t, j) for j, t in enumerate(ch["tags"])]
                if past_tag_cap(0, len(ch["tags"])):  # all kept, said in the report [contact-tags]
                    w.tags_past_cap[cid] = len(ch["tags"])
            if present_idents := idents_in(ch):
                per: dict[str, dict[str, str]] = {}
                for f in present_idents:
                    platform, column = IDENT[f]
                    per.setdefault(platform, {})[column] = ch[f]
                idents += [(cid, pl, v.get("external_id"), v.get("handle"), now) for pl, v in per.items()]
            for pl, column, value in p.get("more_ids") or ():  # after its own: those show [child-tables]
                if ch.get(_FIELD_OF[(column, pl)]) != value:  # (a later record's own id since)
                    ext, handle = (value, None) if column == "external_id" else (None, value)
                    idents.append((cid, pl, ext, handle, now))
            if p["fields"]:
                fields += [
                    (cid, f["kind"], f.get("label"), f["value"], f.get("pref"), j)
                    for j, f in enumerate(p["fields"])
                ]
        if w.streamed:
            bulk.defer_view_indexes(conn, made=len(w.created), batch=len(values))
        deferred = bulk.NewContacts(
            conn,
            base - 1,
            contacts=len(values),
            children={
                "contact_emails": len(emails),
                "contact_phones": len(phones),
                "contact_tags": len(tags),
                "contact_identities": len(idents),
                "contact_fields": len(fields),
            },
        )
        istore.insert_contacts(conn, cols, values)
        istore.insert_children(conn, emails, phones, tags, idents, fields)
        deferred.done()
        w.created.update(p["cid"] for p in self.items)

    def _own_ids(self) -> dict[int, tuple[str, str]]:
        """The staged contacts that keep the id a file pcrm wrote gave their record (its CSV's `id`, its
        vCard's UID) as their own, with their creation time [own-exports]: an export imported into a store
        that never knew the id (a restore, a move) keeps its contacts' ids, so the file imported again, or
        the same store's other export, names them. Only an id no contact of the store has or had (merged
        away, in a pair asked or rejected, in a journal) is kept, and by the first contact of this import
        that asks for it. The creation time is the row's `created_at` when it is one pcrm writes and not
        later than now, else now. The cells, now the contact's own, are not kept as `x` fields."""
        asked = [(i, pid) for i, p in enumerate(self.items) if (pid := p["rec"].pcrm_id)]
        if not asked:
            return {}
        w = self.w
        used = cstore.uuids_in_use(w.conn, sorted({pid for _i, pid in asked}))
        out: dict[int, tuple[str, str]] = {}
        for i, pid in asked:
            if pid in used:
                continue
            used.add(pid)
            rec = self.items[i]["rec"]
            stamp = rec.pcrm_created_at or ""
            created = stamp if _STAMP.fullmatch(stamp) and stamp <= w.now else w.now
            out[i] = (pid, created)
            # the id's cells, kept aside while the id was another store's: the contact's own now
            own = {(f["kind"], f["value"].strip()) for f in rec.id_fields}
            if created != stamp:
                own = {(k, v) for k, v in own if not v.startswith("X-CREATED-AT:")}
            self.items[i]["fields"] = [
                f for f in self.items[i]["fields"] if (f["kind"], f["value"]) not in own
            ]
        return out

    def _orgs(self) -> list[int | None]:
        """The organization of each staged contact, found or created before the contacts go in (so the
        rows are inserted linked): per company, the first contact is assigned as
        `organizations.assign_for_company` would, and so is a later one bringing a work domain to an
        org that has none (not one this import saw for several companies [company-orgs]); the others join
        the same org."""
        out: list[int | None] = [None] * len(self.items)
        groups: dict[str, list[int]] = {}
        for i, p in enumerate(self.items):
            if p["changes"].get("company"):
                groups.setdefault(n.fold(p["changes"]["company"]), []).append(i)
        known = self.w.orgs_of_run
        shared = self.w.domains.shared
        for company, members in groups.items():
            # an org an earlier batch of this run found or made is not looked up again (a streamed file
            # names the same companies batch after batch); its domain goes from none to one, and back to
            # none only when a later batch shows this import gave it a domain other companies share
            oid, domain = known.get(company, (None, None))
            for i in members:
                ch = self.items[i]["changes"]
                if oid is None or (
                    not domain
                    and (emails := ch.get("emails"))
                    and any(d not in shared for d in work_domains(emails))
                ):
                    oid, domain = self._assign_new(ch)
                out[i] = oid
            if oid is not None:
                known[company] = (oid, domain)
        return out

    def _assign_new(self, ch: dict[str, Any]) -> tuple[int | None, str | None]:
        """`organizations.org_for_company` for a contact not inserted yet (its company and emails are in
        `ch`); an existing org is snapshotted for the journal before the import changes it."""
        w = self.w
        return org_for_company(
            w.conn,
            ch.get("company"),
            ch.get("emails") or [],
            w.now,
            before_change=w.snap_org,
            shared=w.domains.shared,
            aliases=w.org_aliases(),
        )


# a creation time as pcrm writes one (`clock.iso`): what an export's `created_at` cell restores
_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")

# a handle's profile address, as the vCard export writes it and merges keep a second one [merge-rules]
_PROFILES = (
    ("twitter_handle", "twitter", "https://twitter.com/"),
    ("telegram_username", "telegram", "https://t.me/"),
    ("instagram_username", "instagram", "https://instagram.com/"),
)


def other_profiles(
    current: Mapping[str, Any], incoming: Mapping[str, Any], *, replacing: frozenset[str] = frozenset()
) -> list[dict[str, Any]]:
    """The record's LinkedIn profile, X, Telegram or Instagram handle where the contact holds another one,
    as the profile a vCard import keeps beside it (`social`, the X-SOCIALPROFILE line) [import-matching]: a
    contact has one of each, so the record's was dropped without a word. Where the record's value replaces
    the contact's (`replacing`: LinkedIn's own push owns the profile address), the one replaced is kept
    instead."""
    out: list[dict[str, Any]] = []
    new, old = incoming.get("linkedin_url"), current.get("linkedin_url")
    if new and old and _profile(new) != _profile(old):
        kept = old if "linkedin_url" in replacing else new
        line = f"X-SOCIALPROFILE;TYPE=linkedin:{escape_uri(kept)}"
        out.append({"kind": "social", "label": "", "value": line})
    for field, _platform, _base in _PROFILES:
        new, old = incoming.get(field), current.get(field)
        if new and old and str(new).lower() != str(old).lower():
            out.append(social_field(field, str(new)))
    return out


def social_field(field: str, handle: str) -> dict[str, Any]:
    """The contact_fields row (`social`, an X-SOCIALPROFILE line) that keeps another X, Telegram or
    Instagram handle beside the contact's."""
    platform, base = next((p, b) for f, p, b in _PROFILES if f == field)
    return {
        "kind": "social",
        "label": "",
        "value": f"X-SOCIALPROFILE;TYPE={platform}:{base}{escape_uri(handle)}",
    }


def _profile(url: str) -> str:
    return n.linkedin_profile_id(url) or n.fold(url).rstrip("/")


def phone_fields_as_held(
    fields: list[ContactField], phones: Iterable[tuple[str, str]], held: Mapping[str, str]
) -> list[ContactField]:
    """The record's `phone` fields (a number's label), each naming the number as the contact holds it when
    the record spells it otherwise ('+1-555-0124' for '+1 555 0124'; `phones`: the record's (spelling,
    normalised), `held`: the contact's normalised -> spelling). A field of another spelling was kept beside
    the held one and the vCard export wrote the number twice, one TEL line each."""
    spelled = {raw: held[norm] for raw, norm in phones if norm in held and held[norm] != raw}
    if not spelled:
        return fields
    return [
        {**f, "value": spelled[f["value"].strip()]}
        if f["kind"] == "phone" and (f["value"] or "").strip() in spelled
        else f
        for f in fields
    ]


def relabelled(
    fields: Iterable[ContactField], held: Mapping[tuple[str, str], set[str]]
) -> tuple[list[tuple[str, str, str, ContactField]], list[ContactField]]:
    """The record's fields that give a value the contact holds without a label its label, and the rest
    [relabelled-fields]. A field relabels the held (kind, value) with no label ("", or `tel` alone for a
    phone of words, the `note` that is `tel;LABEL` now) unless the contact holds it under that label already;
    a field that says what `x` line an earlier pcrm kept its value as (`was`) takes that line's place when the
    line is held without a label and the field itself is not held. An `x` line (a file's own cell, named by
    its column or property) held under one other label takes the new one: the user relabelled it where the
    file comes from. Each held row is taken once. Returns
    ([(kind, value, held label, field)], the other fields)."""
    taken: set[tuple[str, str]] = set()
    out: list[tuple[str, str, str, ContactField]] = []
    rest: list[ContactField] = []
    for f in fields:
        value, label = (f.get("value") or "").strip(), f.get("label") or ""
        labels = held.get((f["kind"], value), set())
        bare = "tel" if f["kind"] == "note" and label.startswith("tel;") and "tel" in labels else ""
        was = f.get("was")
        if label and labels and label not in labels and bare in labels and (f["kind"], value) not in taken:
            taken.add((f["kind"], value))
            out.append((f["kind"], value, bare, {**f, "value": value}))
        elif (
            f["kind"] == "x"
            and label
            and len(labels) == 1
            and label not in labels
            and (f["kind"], value) not in taken
        ):
            # a file's own cell (`X-EXTERNAL-ID-1-VALUE:12345`) under the label the user has given it since
            # (`Account`, now `Customer`): one cell, one label, the new one in the old one's place
            taken.add((f["kind"], value))
            out.append((f["kind"], value, next(iter(labels)), {**f, "value": value}))
        elif was and not labels and "" in held.get(("x", was), set()) and ("x", was) not in taken:
            taken.add(("x", was))
            out.append(("x", was, "", {**f, "value": value}))
        else:
            rest.append(f)
    return out, rest


def dedupe_fields(items: Iterable[Mapping[str, Any]], existing: set[tuple[str, str]]) -> list[dict[str, Any]]:
    """The extra-field rows not held yet (by `field_key`: an address in another shape is held), trimmed,
    each once."""
    if not items:
        return []
    out: list[dict[str, Any]] = []
    seen = {field_key(k, v) for k, v in existing}
    for f in items:
        value = (f.get("value") or "").strip()
        key = field_key(f["kind"], value)
        if not value or key in seen:
            continue
        seen.add(key)
        out.append({**f, "value": value})
    return out
