"""Writing validated records in one transaction: matching, sync-style filling, the journal.

See framework.py for the steps of an import and validate.py for what comes before. Matching order for a
contact record [value-normalisation] [import-report]: the resolver's keys (emails, then platform identities: a
LinkedIn URL gives its profile id), then phones, then, only for records with no email, phone or handle, the
normalised name + company. A rerun therefore matches every row again and changes nothing.
"""

from __future__ import annotations

import os
from typing import Any

from pcrm import paths
from pcrm.domain import models
from pcrm.domain import normalize as n
from pcrm.domain.contact_input import IDENTITY_INPUTS, PROTECTABLE
from pcrm.domain.records import ContactField, ContactRecord, Counterpart, InteractionRecord, Me
from pcrm.formats.base import Options
from pcrm.formats.names import normalize_name
from pcrm.services import resolver, scores
from pcrm.services.context import Context
from pcrm.services.imports.validate import row_error
from pcrm.services.organizations import assign_for_company, org_for_company, work_domain
from pcrm.store import bulk
from pcrm.store import contacts as cstore
from pcrm.store import imports as istore
from pcrm.store import interactions as itstore
from pcrm.store import settings as sstore
from pcrm.store.organizations import find_by_name

_IDENT = {f: (p, col) for f, p, col in resolver.AXES}
# Not filled as plain columns: identities and child lists have their own writes below; the source stays the
# one that created the contact; priority and organization are the user's (the organization follows the
# company through assign_for_company).
_NOT_SCALAR = {*IDENTITY_INPUTS, *models.CHILD_LISTS, "source", "priority_level", "organization_id"}
MAX_PREVIEW = 10_000


def keys_of(ch: dict[str, Any]) -> list[tuple[str, ...]]:
    """A record's identity keys in matching order: emails, platform ids, phones; the name + company only
    when it has none of those [import-matching]."""
    keys: list[tuple[str, ...]] = [("email", e) for e in ch.get("emails") or []]
    for field in IDENTITY_INPUTS:
        if ch.get(field):
            platform, column = _IDENT[field]
            keys.append((column, platform, ch[field]))
    keys += [("phone", norm) for _raw, norm in ch.get("phones") or []]
    if not keys:
        keys.append(("name", n.fold(ch.get("full_name")), n.fold(ch.get("company"))))
    return keys


class Writer:
    """Applies one parsed file inside an open write transaction and keeps the journal.

    Rows that match an existing contact are filled at once (SQL through the resolver). Rows nobody
    matches become pending new contacts (a later row of the same file with the same key merges into
    them) and are inserted together by `flush()`, which is what keeps a 30k-row file fast."""

    PRELOAD_AT = 1000  # files with this many contact rows load the store's keys once

    def __init__(
        self,
        ctx: Context,
        fmt: Any,
        opts: Options,
        batch_id: int,
        report: dict[str, Any],
        n_contacts: int = 0,
    ) -> None:
        self.ctx = ctx
        self.conn = ctx.conn
        self.fmt = fmt
        self.opts = opts
        self.batch_id = batch_id
        self.report = report
        self.now = ctx.now_iso()
        self.created: set[int] = set()
        self.before: dict[int, dict[str, Any]] = {}
        self.orgs_before: dict[int, dict[str, Any]] = {}
        self.scored: set[int] = set()
        self.columns = istore.contact_columns(self.conn)
        self.events = 0
        self.unmatched: set[str] = set()
        self._names: dict[str, int] | None = None
        self._me_change: list[Any] | None = None
        self.org_mark = istore.max_org_id(self.conn)
        self.existing = istore.all_keys(self.conn) if n_contacts >= self.PRELOAD_AT else None
        self.pending: list[dict[str, Any]] = []
        self.pending_keys: dict[tuple[str, ...], int] = {}
        self.refs: list[tuple[str, int] | None] = []  # per contact record: ("c", rowid) or ("p", pending no)

    # ------------------------------------------------------------ contacts

    def _snap(self, cid: int) -> None:
        if cid not in self.created and cid not in self.before:
            self.before[cid] = istore.snapshot(self.conn, cid, self.columns)

    def match(self, ch: dict[str, Any]) -> int | None:
        conn = self.conn
        cid = resolver.find(conn, ch)
        if cid is not None:
            return cid
        for _raw, norm in ch.get("phones") or []:
            ids = cstore.ids_by_phone(conn, norm)
            if ids:
                return ids[0]
        if not ch.get("emails") and not ch.get("phones") and not any(ch.get(k) for k in IDENTITY_INPUTS):
            return istore.id_by_name_company(conn, n.fold(ch.get("full_name")), n.fold(ch.get("company")))
        return None

    def contact(self, rec: ContactRecord, ch: dict[str, Any] | None) -> None:
        """Match or stage one record; `ch` is its validated input (None: refused by validation)."""
        if ch is None:
            self.refs.append(None)
            return
        keys = keys_of(ch)
        pend = next((self.pending_keys[k] for k in keys if k in self.pending_keys), None)
        if rec.new_only:  # e.g. the 2nd-tier tag: only for contacts this record creates
            full, ch = ch, {k: v for k, v in ch.items() if k not in rec.new_only}
        else:
            full = ch
        if pend is not None:
            self._merge_pending(pend, rec, ch)
            self.report["contacts_skipped"] += 1
            self.refs.append(("p", pend))
            return
        cid = None
        if self.existing is None or any(k in self.existing for k in keys):
            cid = self.match(ch)
        if cid is None:
            if not rec.create:
                self.report["contacts_skipped"] += 1
                self.refs.append(None)
                return
            self.pending.append(
                {"changes": dict(full), "fields": _dedupe_fields(rec.fields, set()), "rec": rec}
            )
            for k in keys:
                self.pending_keys.setdefault(k, len(self.pending) - 1)
            self.report["contacts_created"] += 1
            self.refs.append(("p", len(self.pending) - 1))
            return
        changed = self._fill(cid, rec, ch)
        self.report["contacts_updated" if changed else "contacts_skipped"] += 1
        self.refs.append(("c", cid))

    def _held(self, key: tuple[str, ...], pend: int | None = None) -> bool:
        """Whether a key (email or identity) already belongs to a pending contact other than `pend`."""
        owner = self.pending_keys.get(key)
        return owner is not None and owner != pend

    def _merge_pending(self, pend: int, rec: ContactRecord, ch: dict[str, Any]) -> None:
        """A later row for a contact this import creates: the same fill rules, on the pending record."""
        p = self.pending[pend]["changes"]
        for k, v in ch.items():
            if k in _NOT_SCALAR or v in (None, ""):
                continue
            if p.get(k) in (None, ""):
                p[k] = v
        for e in ch.get("emails") or []:
            if e in (p.get("emails") or []):
                continue
            if self._held(("email", e), pend) or cstore.ids_by_email(self.conn, e):
                self.report["errors"].append(
                    row_error(rec.row, rec.where, f"email {e} belongs to another contact; not added")
                )
                continue
            p.setdefault("emails", []).append(e)
            self.pending_keys[("email", e)] = pend
        have = {norm for _r, norm in p.get("phones") or []}
        for raw, norm in ch.get("phones") or []:
            if norm not in have:
                have.add(norm)
                p.setdefault("phones", []).append((raw, norm))
                self.pending_keys.setdefault(("phone", norm), pend)
        for t in ch.get("tags") or []:
            if t not in (p.get("tags") or []):
                p.setdefault("tags", []).append(t)
        for field in IDENTITY_INPUTS:
            value = ch.get(field)
            if not value or p.get(field):
                continue
            platform, column = _IDENT[field]
            key = (column, platform, value)
            if self._held(key, pend) or cstore.id_by_identity(self.conn, platform, column, value) is not None:
                self.report["errors"].append(
                    row_error(rec.row, rec.where, f"{field} {value} belongs to another contact; not added")
                )
                continue
            p[field] = value
            self.pending_keys[key] = pend
        existing = {(f["kind"], f["value"]) for f in self.pending[pend]["fields"]}
        self.pending[pend]["fields"] += _dedupe_fields(rec.fields, existing)

    def flush(self) -> None:
        """Insert the pending new contacts in bulk, already linked to their organizations (see
        `_orgs_of_pending`), through the bulk load path's deferral (store.bulk.NewContacts): rowids and
        uuids chosen up front, per-row triggers (and, into an empty store, secondary indexes) off while
        the rows go in, their work done once at the end."""
        if not self.pending:
            return
        conn, now = self.conn, self.now
        # rowids and uuids chosen up front (we hold the write lock), as the bulk load path does
        base = bulk.next_contact_id(conn)
        fresh = bulk.uuids(len(self.pending))
        hashes = os.urandom(4 * len(self.pending)).hex()  # one syscall for every bcc hash
        scalar_fields = cstore.SCALAR_FIELDS
        source = self.fmt.SOURCE
        scal: list[dict[str, Any]] = []
        emails: list[tuple[Any, ...]] = []
        phones: list[tuple[Any, ...]] = []
        tags: list[tuple[Any, ...]] = []
        idents: list[tuple[Any, ...]] = []
        fields: list[tuple[Any, ...]] = []
        orgs = self._orgs_of_pending()
        for i, p in enumerate(self.pending):
            ch = p["changes"]
            cid = p["cid"] = base + i
            s = {k: v for k, v in ch.items() if k in scalar_fields and k not in _NOT_SCALAR}
            s.update(
                id=cid,
                bcc_hash=hashes[8 * i : 8 * i + 7],
                priority_level=ch.get("priority_level") or "medium",
                source=ch.get("source") or source,
                import_batch_id=self.batch_id,
                name_fold=n.fold(
                    n.full_name(ch.get("full_name"), ch.get("given_name"), ch.get("family_name"))
                ),
                uuid=fresh[i],
                created_at=now,
                updated_at=now,
                organization_id=orgs[i],
            )
            p["uuid"] = s["uuid"]
            if p["rec"].avatar and not s.get("avatar_url"):
                s["avatar_url"] = self._save_avatar(s["uuid"], p["rec"].avatar)
            scal.append(s)
            if ch.get("emails"):
                emails += [(cid, e, j) for j, e in enumerate(ch["emails"])]
            if ch.get("phones"):
                phones += [(cid, raw, norm, j) for j, (raw, norm) in enumerate(ch["phones"])]
            if ch.get("tags"):
                tags += [(cid, t, j) for j, t in enumerate(ch["tags"])]
            per: dict[str, dict[str, str]] = {}
            for field in IDENTITY_INPUTS:
                if ch.get(field):
                    platform, column = _IDENT[field]
                    per.setdefault(platform, {})[column] = ch[field]
            if per:
                idents += [(cid, pl, v.get("external_id"), v.get("handle"), now) for pl, v in per.items()]
            if p["fields"]:
                fields += [
                    (cid, f["kind"], f.get("label"), f["value"], f.get("pref"), j)
                    for j, f in enumerate(p["fields"])
                ]
        cols = sorted({k for s in scal for k in s})
        deferred = bulk.NewContacts(
            conn,
            base - 1,
            contacts=len(scal),
            children={
                "contact_emails": len(emails),
                "contact_phones": len(phones),
                "contact_tags": len(tags),
                "contact_identities": len(idents),
                "contact_fields": len(fields),
            },
        )
        istore.insert_contacts(conn, cols, ([s.get(c) for c in cols] for s in scal))
        istore.insert_children(conn, emails, phones, tags, idents, fields)
        deferred.done()
        self.created.update(p["cid"] for p in self.pending)

    def _orgs_of_pending(self) -> list[int | None]:
        """The organization of each pending new contact, found or created before the contacts go in
        (so the rows are inserted linked): per company, the first contact is assigned as
        `organizations.assign_for_company` would, and so is a later one bringing a work domain to an
        org that has none; the others join the same org."""
        out: list[int | None] = [None] * len(self.pending)
        groups: dict[str, list[int]] = {}
        for i, p in enumerate(self.pending):
            if p["changes"].get("company"):
                groups.setdefault(n.fold(p["changes"]["company"]), []).append(i)
        for members in groups.values():
            oid, domain = self._assign_new(self.pending[members[0]]["changes"])
            out[members[0]] = oid
            for i in members[1:]:
                ch = self.pending[i]["changes"]
                if oid is None or (not domain and work_domain(ch.get("emails") or [])):
                    oid, domain = self._assign_new(ch)
                out[i] = oid
        return out

    def _assign_new(self, ch: dict[str, Any]) -> tuple[int | None, str | None]:
        """`organizations.org_for_company` for a contact not inserted yet (its company and emails are in
        `ch`); an existing org is snapshotted for the journal before the import changes it."""

        def snapshot(oid: int) -> None:
            if oid <= self.org_mark and oid not in self.orgs_before:
                self.orgs_before[oid] = istore.org_snapshot(self.conn, oid)

        return org_for_company(
            self.conn, ch.get("company"), ch.get("emails") or [], self.now, before_change=snapshot
        )

    def _save_avatar(self, uuid: str, avatar: tuple[bytes, str]) -> str:
        """Write an imported photo to PCRM_HOME/avatars/<uuid>.<ext> (not on a dry run); its avatar_url."""
        blob, ext = avatar
        if not self.opts.dry_run:
            folder = paths.avatars_dir()
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{uuid}.{ext}").write_bytes(blob)
        return f"{paths.AVATAR_URL_PREFIX}{uuid}.{ext}"

    def cid_of(self, index: int) -> int | None:
        ref = self.refs[index] if 0 <= index < len(self.refs) else None
        if ref is None:
            return None
        return ref[1] if ref[0] == "c" else self.pending[ref[1]].get("cid")

    def _assign_org(self, cid: int, company: str) -> None:
        oid = find_by_name(self.conn, company)
        if oid is not None and oid <= self.org_mark and oid not in self.orgs_before:
            self.orgs_before[oid] = istore.org_snapshot(self.conn, oid)
        assign_for_company(self.ctx, cid, self.now)

    def _fill(self, cid: int, rec: ContactRecord, ch: dict[str, Any]) -> bool:
        """Sync-style: fill empty fields, never a protected field the user edited; append new emails,
        phones, tags, identities and extra fields; fields the source owns (rec.overwrite) take the new value.
        Plans first and snapshots (for the journal) only when something will change."""
        conn = self.conn
        cur = cstore.fetch_contacts(conn, [cid])[0]
        edited = set(cur.get("user_edited_fields") or [])
        updates: dict[str, Any] = {}
        for k, v in ch.items():
            if k in _NOT_SCALAR or k not in cstore.SCALAR_FIELDS or v in (None, ""):
                continue
            if k in PROTECTABLE and k in edited:
                continue
            old = cur.get(k)
            if old in (None, "") or (k in rec.overwrite and n.fold(str(old)) != n.fold(str(v))):
                updates[k] = v
        new_emails = []
        for e in ch.get("emails") or []:
            if e in cur["emails"] or e in new_emails:
                continue
            if self._held(("email", e)) or any(other != cid for other in cstore.ids_by_email(conn, e)):
                self.report["errors"].append(
                    row_error(rec.row, rec.where, f"email {e} belongs to another contact; not added")
                )
                continue
            new_emails.append(e)
        new_phones: list[tuple[str, str]] = []
        if ch.get("phones"):
            have = set(istore.phones_of(conn, cid))
            new_phones = _dedupe_phones([(raw, norm) for raw, norm in ch["phones"] if norm not in have])
        new_tags = [t for t in ch.get("tags") or [] if t not in cur["tags"]] if "tags" not in edited else []
        new_ids = []
        for field in IDENTITY_INPUTS:
            value = ch.get(field)
            if not value or cur.get(field) is not None or (field in PROTECTABLE and field in edited):
                continue
            platform, column = _IDENT[field]
            holder = cstore.id_by_identity(conn, platform, column, value)
            if holder is None and not self._held((column, platform, value)):
                new_ids.append((platform, column, value))
            elif holder != cid:
                self.report["errors"].append(
                    row_error(rec.row, rec.where, f"{field} {value} belongs to another contact; not added")
                )
        new_fields = _dedupe_fields(rec.fields, istore.fields_of(conn, cid)) if rec.fields else []
        if rec.avatar and not cur.get("avatar_url"):
            updates["avatar_url"] = self._save_avatar(cur["id"], rec.avatar)
        job = self._job_change_of(cur, ch) if rec.job_change else None
        if not (updates or new_emails or new_phones or new_tags or new_ids or new_fields or job):
            return False
        self._snap(cid)
        if job:
            self._record_job_change(cid, cur, ch, *job)
        if new_emails:
            istore.append_emails(conn, cid, new_emails)
        if new_phones:
            istore.append_phones(conn, cid, new_phones)
        if new_tags:
            istore.append_tags(conn, cid, new_tags)
        for platform, column, value in new_ids:
            cstore.set_identity(conn, cid, platform, column, value, self.now)
        if new_fields:
            istore.append_fields(conn, cid, new_fields)
        if "company" in updates:
            updates["organization_id"] = None
        if updates:
            cstore.update_contact(conn, cid, updates, self.now)
            if updates.get("company"):
                self._assign_org(cid, updates["company"])
        else:
            cstore.touch(conn, cid, self.now)
        return bool(updates or new_emails or new_phones or new_tags or new_ids or new_fields)

    @staticmethod
    def _job_change_of(cur: models.Contact, ch: dict[str, Any]) -> tuple[str, str] | None:
        old_c, old_t = cur.get("company"), cur.get("title")
        new_c, new_t = ch.get("company"), ch.get("title")
        moved = (new_c and old_c and n.fold(new_c) != n.fold(old_c)) or (
            new_t and old_t and n.fold(new_t) != n.fold(old_t)
        )
        if not moved:
            return None
        now_at = " at ".join(x for x in (new_t or old_t, new_c or old_c) if x)
        was = " at ".join(x for x in (old_t, old_c) if x)
        return now_at, was

    def _record_job_change(
        self, cid: int, cur: models.Contact, ch: dict[str, Any], now_at: str, was: str
    ) -> None:
        istore.insert_event(
            self.conn,
            cid,
            event_type="job_change",
            summary=f"Now {now_at} (was {was})",
            details={
                "old_company": cur.get("company"),
                "new_company": ch.get("company") or cur.get("company"),
                "old_title": cur.get("title"),
                "new_title": ch.get("title") or cur.get("title"),
                "source": self.fmt.SOURCE,
            },
            source_url=ch.get("linkedin_url") or cur.get("linkedin_url"),
            batch_id=self.batch_id,
            now=self.now,
        )
        self.events += 1

    # ------------------------------------------------------------ interactions

    def interaction(self, it: InteractionRecord) -> None:
        if isinstance(it.contact, int):
            cid = self.cid_of(it.contact)
        else:
            cid = self._counterpart(it.contact)
            if cid is None and it.contact.name:
                self.unmatched.add(it.contact.name)
        if cid is None:
            self.report["interactions_skipped"] += 1
            return
        # a contact this import created has no older refs; a repeat within the file is caught by the insert
        if cid not in self.created and istore.has_ref(self.conn, cid, it.raw_reference_id):
            self.report["interactions_skipped"] += 1
            return
        self._snap(cid)
        content = it.content_preview
        if content and len(content) > MAX_PREVIEW:
            content = content[:MAX_PREVIEW]
        iid = itstore.insert(
            self.conn,
            cid,
            {
                "platform": it.platform,
                "direction": it.direction,
                "content_preview": content,
                "raw_reference_id": it.raw_reference_id,
                "occurred_at": it.occurred_at,
                "extra_data": it.extra_data,
                "import_batch_id": self.batch_id,
                "call_type": it.call_type,
                "duration_seconds": it.duration_seconds,
            },
            self.now,
        )
        if iid is None:
            self.report["interactions_skipped"] += 1
        else:
            self.report["interactions_created"] += 1
            self.scored.add(cid)

    def _counterpart(self, cp: Counterpart) -> int | None:
        conn = self.conn
        if cp.linkedin_profile_id:
            cid = cstore.id_by_identity(conn, "linkedin", "external_id", cp.linkedin_profile_id)
            if cid is not None:
                return cid
        for e in cp.emails:
            ids = cstore.ids_by_email(conn, e)
            if ids:
                return ids[0]
        if cp.name:
            cid = istore.id_by_name(conn, n.fold(cp.name))
            if cid is not None:
                return cid
            if self._names is None:
                self._names = {}
                for rid, full, given, family in istore.all_names(conn):
                    key = normalize_name(n.full_name(full, given, family))
                    if key:
                        self._names.setdefault(key, rid)
            return self._names.get(normalize_name(cp.name))
        return None

    # ------------------------------------------------------------ settings and the journal

    def fill_me(self, me: Me) -> None:
        """The `me` setting, from the file owner's identities, when it holds nothing yet."""
        stored = sstore.get(self.conn, "me")
        current = stored or {}
        if any(current.get(k) for k in Me.KEYS):
            return
        value = me.as_setting()
        sstore.put(self.conn, "me", value, self.now)
        self.ctx.invalidate_settings()
        self._me_change = [stored, value]

    def finish(self) -> tuple[dict[str, Any], bool]:
        """Refresh scores of contacts that got interactions; return the journal and whether anything
        changed."""
        if self.scored:
            scores.refresh(self.ctx, sorted(self.scored))
        journal: dict[str, Any] = {
            "version": 1,
            "contacts": {},
            "organizations": {},
            "organizations_created": [],
            "settings": {},
        }
        for cid, before in self.before.items():
            after = istore.snapshot(self.conn, cid, self.columns)
            diff: dict[str, Any] = {}
            fields = {
                c: [before["scalars"].get(c), after["scalars"].get(c)]
                for c in self.columns
                if before["scalars"].get(c) != after["scalars"].get(c)
            }
            if fields:
                diff["fields"] = fields
            for table in istore.CHILD_TABLES:
                add = [r for r in after[table] if r not in before[table]]
                rem = [r for r in before[table] if r not in after[table]]
                if add:
                    diff.setdefault("added", {})[table] = add
                if rem:
                    diff.setdefault("removed", {})[table] = rem
            if diff:
                uuid = cstore.summaries(self.conn, [cid])[0]["id"]
                journal["contacts"][uuid] = diff
        for oid, before in self.orgs_before.items():
            after = istore.org_snapshot(self.conn, oid)
            diff = {
                c: [before.get(c), after.get(c)]
                for c in after
                if c != "uuid" and before.get(c) != after.get(c)
            }
            if diff:
                journal["organizations"][after["uuid"]] = diff
        journal["organizations_created"] = istore.org_uuids_after(self.conn, self.org_mark)
        if self._me_change is not None:
            journal["settings"]["me"] = self._me_change
        changed = bool(
            self.created
            or journal["contacts"]
            or journal["organizations_created"]
            or self.events
            or journal["organizations"]
            or self.report["interactions_created"]
            or self._me_change is not None
        )
        return journal, changed


def _dedupe_phones(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    seen: set[str] = set()
    out = []
    for raw, norm in items:
        if norm not in seen:
            seen.add(norm)
            out.append((raw, norm))
    return out


def _dedupe_fields(items: list[ContactField], existing: set[tuple[str, str]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen = set(existing)
    for f in items:
        value = (f.get("value") or "").strip()
        if not value or (f["kind"], value) in seen:
            continue
        seen.add((f["kind"], value))
        out.append({**f, "value": value})
    return out
