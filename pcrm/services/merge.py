"""Merging two contacts [merge-rules] [reversible-merges] and undoing a merge.

The richer contact survives. Every merge writes a journal row holding both contacts' full prior state
(pcrm.store.merges.snapshot) and what moved, so `unmerge` restores both contacts with their UUIDs,
fields, identities, tags, interactions and suggestions. Interactions that arrived after the merge
stay on the survivor. An interaction whose (contact, ref) the survivor already has is not moved (the
unique index would refuse it): it is journaled in full and put back on unmerge, never lost.
"""

from __future__ import annotations

import contextlib
from typing import Any, cast

from pcrm.domain import models, name_parts, positions
from pcrm.domain.contact_input import past_tag_cap
from pcrm.domain.dates import local_day
from pcrm.domain.identity import data_weight
from pcrm.domain.normalize import blank, fold
from pcrm.domain.shared_keys import kept_field, kept_name_parts, kept_values
from pcrm.errors import BadRequest, Conflict, NotFound, ValidationError
from pcrm.formats import vcard_text
from pcrm.serialize import dumps, loads
from pcrm.services import hand_edits, scores
from pcrm.services.contacts import one_contact_twice, rowid
from pcrm.services.context import Context, Result
from pcrm.store import contact_bulk
from pcrm.store import contacts as cstore
from pcrm.store import identity as istore
from pcrm.store import merges as mstore
from pcrm.store.contact_bulk import SECOND_TIER
from pcrm.store.db import ConstraintError, write

# [merge-rules]: the contacts columns holding what is known of the person, filled on the survivor where
# it is empty: every column but the computed ones and a sync's bookkeeping (models.DERIVED), the priority
# (never empty: _priority decides) and the BCC address key (each contact's own)
_NOT_FILLED = {*models.DERIVED, "priority_level", "bcc_hash"}
# a column that belongs to another one's value (lead): filled only with it, or when both sides' leads agree
_COMPANIONS = {
    "given_name": "full_name",
    "family_name": "full_name",
    "organization_id": "company",
    "latitude": "location",
    "longitude": "location",
    "geocoded_location": "location",
    "geocoded_at": "location",
    "telegram_groups_fetched_at": "telegram_common_groups",
}
FILL_FIELDS = tuple(f for f in models.COLUMNS if f not in _NOT_FILLED or f in _COMPANIONS)
# the columns a renamed row's name is in [own-exports]
_NAMES = ("full_name", "given_name", "family_name")
# platform texts that differ are kept aside verbatim as X-PCRM-<FIELD> properties (the vCard shape
# contact_fields keeps unknown properties in); the person's own fields go through shared_keys.kept_values
_KEPT_VERBATIM = (
    "twitter_bio",
    "telegram_bio",
    "linkedin_url",
    "linkedin_headline",
    "linkedin_bio",
    "whatsapp_name",
    "whatsapp_about",
    "facebook_name",
)
# the data-weight fields a snapshot holds as identity rows: field -> (platform, column)
_WEIGHT_IDENTITIES = {f: models.IDENTITIES[f] for f in models.WEIGHT_FIELDS if f in models.IDENTITIES}


class _DryRun(Exception):
    def __init__(self, result: dict[str, Any]) -> None:
        super().__init__("dry run")
        self.result = result


def _shape(state: dict[str, Any]) -> dict[str, Any]:
    """The fields the data weight counts [merge-rules], from a snapshot."""
    c = dict(state["contact"])
    c["emails"] = state["contact_emails"]
    c["phones"] = state["contact_phones"]
    c["tags"] = state["contact_tags"]
    for r in state["contact_identities"]:
        for field, (platform, column) in _WEIGHT_IDENTITIES.items():
            if r["platform"] == platform and r[column]:
                c.setdefault(field, r[column])
    return c


def merge_pair(
    ctx: Context,
    a_rowid: int,
    b_rowid: int,
    *,
    score: float = 1.0,
    method: str = "manual",
    explanation: Any = None,
    match_rowid: int | None = None,
    refresh_scores: bool = True,
    atomic: bool = True,
    keep_questions: bool = False,
    renamed: int | None = None,
) -> dict[str, Any]:
    """Merge two contacts (inside or outside a transaction). Returns what happened, with `merge_id`.
    A caller making many merges may pass refresh_scores=False and refresh the survivors once.
    keep_questions: the merged contact's pending pairs with third contacts go to the survivor
    [review-queue] (a merge the user makes; a scan asks its questions again by itself).
    `renamed`: one of the two, made by an import from a row of this store's export that names the other by
    its id, the row renamed [own-exports]: the other survives (its id is the one the file holds) under the
    renamed contact's name, its old name kept aside as another of its names."""
    conn = ctx.conn
    if a_rowid == b_rowid:
        raise BadRequest("a contact cannot be merged with itself", hint="give two different contacts")
    now = ctx.now_iso()
    # inside a caller's transaction (a scan) the caller's rollback covers a failed merge, so the
    # per-merge savepoint is only taken when asked
    with write(conn) if atomic else contextlib.nullcontext(conn):
        a_state = mstore.snapshot(conn, a_rowid)
        b_state = mstore.snapshot(conn, b_rowid)
        if a_state["contact"] is None or b_state["contact"] is None:
            raise NotFound(
                "one of the two contacts no longer exists", hint="list contacts with `pcrm contacts list`"
            )
        if renamed in (a_rowid, b_rowid):  # [own-exports]: the contact the file's id names survives
            pid, sid = (b_rowid, a_rowid) if renamed == a_rowid else (a_rowid, b_rowid)
            p_before, s_before = (a_state, b_state) if pid == a_rowid else (b_state, a_state)
        elif data_weight(_shape(b_state)) > data_weight(
            _shape(a_state)
        ):  # [merge-rules]: b survives only if richer
            pid, sid, p_before, s_before = b_rowid, a_rowid, b_state, a_state
        else:
            pid, sid, p_before, s_before = a_rowid, b_rowid, a_state, b_state

        collisions = mstore.colliding_interactions(conn, sid, pid)
        mstore.delete_interactions(conn, [r["id"] for r in collisions])
        moved_ids = mstore.move_interactions(conn, sid, pid)
        mstore.move_identities(conn, sid, pid, now)
        if renamed == sid:  # the row's id and created_at (kept aside by the import) are the survivor's
            own = {f"X-ID:{p_before['contact']['uuid']}", f"X-CREATED-AT:{p_before['contact']['created_at']}"}
            fields = [r for r in s_before["contact_fields"] if not (r["kind"] == "x" and r["value"] in own)]
            mstore.append_children(conn, pid, {**s_before, "contact_fields": fields})
        else:
            mstore.append_children(conn, pid, s_before)
        # [second-tier]: a group member merged with someone you know is someone you know; the tag stays only
        # when both were 2nd tier (else `pcrm second-tier rm` would delete the person)
        tiers = [SECOND_TIER in {t["tag"] for t in st["contact_tags"]} for st in (p_before, s_before)]
        if any(tiers) and not all(tiers):
            contact_bulk.remove_tag(conn, pid, SECOND_TIER)
        # [contact-tags]: every tag of the two is kept, also past the cap, and the answer says so
        tags = len(cstore.tags_of(conn, pid))
        tags_past_cap = tags if past_tag_cap(len(p_before["contact_tags"]), tags) else None

        pc, sc = p_before["contact"], s_before["contact"]
        names: dict[str, Any] = {}
        if renamed == sid:  # the survivor takes the row's name; its own is the one kept aside
            names = {f: sc.get(f) for f in _NAMES}
            pc, sc = {**pc, **names}, {**sc, **{f: pc.get(f) for f in _NAMES}}
        fill = _fill(pc, sc)
        filled = sorted(fill)  # what was empty; a rename's name fields are no filling ([own-exports])
        fill |= names
        # [merge-rules]: a differing value of the other contact is kept as a field row, not dropped
        kept = mstore.append_fields(conn, pid, _kept_aside(pc, sc) + _other_handles(p_before, s_before))
        fill["relationship_score"] = max(pc["relationship_score"], sc["relationship_score"])
        last = [t for t in (pc["last_interaction_at"], sc["last_interaction_at"]) if t]
        fill["last_interaction_at"] = max(last) if last else None

        # [protected-fields]: the other contact's marks come along for the values it brings (filled, or
        # the same as the survivor's); where the survivor kept its own value, that value was never typed
        # (the typed one is kept aside as a field row), so marking it would protect an import's value
        edited = loads(pc["user_edited_fields"] or "[]")
        for f in loads(sc["user_edited_fields"] or "[]"):
            if f not in edited and (f in fill or f not in pc or pc.get(f) == sc.get(f)):
                edited.append(f)
        fill["user_edited_fields"] = dumps(edited).decode()
        cstore.update_contact(conn, pid, fill, now)

        # matches: the secondary's rows are journaled; its rejections carry over to the survivor, and so
        # do its pending pairs when the user merges, so the rest of a question stays asked [review-queue]
        p_uuid, s_uuid = pc["uuid"], sc["uuid"]
        pair = (
            istore.get_by_rowid(conn, match_rowid) if match_rowid else istore.find_pair(conn, p_uuid, s_uuid)
        )
        other_rows = [r for r in istore.rows_involving(conn, sid) if not pair or r["id"] != pair["_rowid"]]
        added: list[str] = []  # their uuids [public-ids]
        rejected_here = istore.rejected_partners(conn, p_uuid)
        for r in other_rows:
            istore.delete(conn, r["id"])
        for r in other_rows:
            third_uuid = r["contact_a_uuid"] if r["contact_b_uuid"] == s_uuid else r["contact_b_uuid"]
            third = cstore.rowid_for_uuid(conn, third_uuid)
            carried = r["status"] == "rejected" or (keep_questions and r["status"] == "pending_review")
            if (
                carried
                and third is not None
                and third != pid
                and third_uuid not in rejected_here
                and istore.find_pair(conn, p_uuid, third_uuid) is None
            ):
                stored = loads(r["explanation"]) if r["explanation"] else None
                pair_score = r["match_score"]
                if r["status"] == "pending_review":  # asked now of the survivor: what it shows must hold
                    pair_score, stored = _handed_over(conn, pid, third, s_uuid, stored)
                copied = istore.insert(
                    conn,
                    (pid, p_uuid),
                    (third, third_uuid),
                    score=pair_score,
                    method=r["match_method"],
                    status=r["status"],
                    now=now,
                    explanation=stored,
                    resolved=r["status"] == "rejected",
                )
                added.append(istore.match_row(conn, copied)["id"])
        pair_before = None
        if pair:
            pair_before = {k: pair[k] for k in ("status", "match_score", "match_method", "resolved_at")}
            istore.update(
                conn,
                pair["_rowid"],
                contact_a_id=pid,
                contact_b_id=sid,
                contact_a_uuid=p_uuid,
                contact_b_uuid=s_uuid,
                status="merged",
                match_score=score,
                match_method=method,
                resolved_at=now,
                **({"explanation": explanation} if explanation is not None else {}),
            )
            match_rowid = pair["_rowid"]
        else:
            match_rowid = istore.insert(
                conn,
                (pid, p_uuid),
                (sid, s_uuid),
                score=score,
                method=method,
                status="merged",
                now=now,
                explanation=explanation,
                resolved=True,
            )
        # the survivor as the merge left it: edits made after it are replayed by an unmerge
        moved = {
            "interactions": moved_ids,
            "collisions": collisions,
            "matches": other_rows,
            "added_matches": added,
            "match": match_rowid,
            "match_before": pair_before,
            "primary_after": mstore.edit_state(conn, pid),
        }
        merge_id = mstore.journal(
            conn,
            primary=pid,
            primary_uuid=p_uuid,
            merged_uuid=s_uuid,
            score=score,
            method=method,
            primary_before=p_before,
            merged_before=s_before,
            moved=moved,
            now=now,
        )
        cstore.delete_contact(conn, sid)
        if refresh_scores:
            scores.refresh(ctx, [pid])
        match = istore.get_by_rowid(conn, match_rowid)
        full_name = fill.get("full_name") or pc.get("full_name")
        # a nameless survivor is named as lists name it, by what it holds after the merge [display-name]
        shown = full_name or cstore.display_names(conn, [pid])[pid]
    return {
        "merge_id": merge_id,
        "survivor_id": p_uuid,
        "merged_contact_id": s_uuid,
        "_survivor": pid,
        "full_name": full_name,
        "display_name": shown,
        "match_id": match["id"] if match else None,
        "interactions_moved": len(moved_ids),
        "collisions_journaled": len(collisions),
        "fields_filled": filled,
        "values_kept": [{"kind": r["kind"], "label": r["label"], "value": r["value"]} for r in kept],
        "tags_past_cap": tags_past_cap,
    }


def _handed_over(conn: Any, pid: int, third: int, merged_uuid: str, stored: Any) -> tuple[float, Any]:
    """A pending pair of the merged contact with a third one, as it is asked now of the survivor
    [review-queue]: (its score, its stored explanation). The score is the survivor's with the third as they
    now are (it was the merged contact's, which the queue's explanation and the hints no longer agree
    with), stored as every pending pair's is (`queued_score`); a shared key stored as its reason stays only
    if the survivor holds it (an exported row's id naming the merged contact is no key of the survivor's,
    and the queue would say they share what names a contact gone), else the reason is worked out from the
    two."""
    from pcrm.domain import identity as dom

    people = {
        r["_rowid"]: dom.person(r) for r in istore.load_people(conn, include_archived=True, ids=[pid, third])
    }
    shared = stored.get("shared_key") if isinstance(stored, dict) else None
    if shared and not dom.holds_key(people[pid], shared, merged_uuid):
        rest = {k: v for k, v in stored.items() if k != "shared_key"}
        stored, shared = rest or None, None
    return dom.queued_score(dom.score(people[pid], people[third]), shared_key=bool(shared)), stored


def _empty(value: Any) -> bool:
    """No value: None, or a text with nothing to see (`normalize.blank`: a name an older pcrm stored as a
    zero-width space or a blank filler, "\u2800", is filled from the other contact) [merge-rules]."""
    return value is None or (isinstance(value, str) and blank(value))


def _fill(pc: dict[str, Any], sc: dict[str, Any]) -> dict[str, Any]:
    """The survivor's empty columns the other contact has a value for [merge-rules] (FILL_FIELDS, in
    column order, so a lead is decided before its companions)."""
    fill: dict[str, Any] = {}
    for f in FILL_FIELDS:
        if not _empty(pc.get(f)) or _empty(sc.get(f)) or (f == "title" and _other_job(pc, sc)):
            continue
        lead = _COMPANIONS.get(f)
        if lead is None or lead in fill or fold(str(pc.get(lead) or "")) == fold(str(sc.get(lead) or "")):
            fill[f] = sc[f]
    priority = _priority(pc["priority_level"], sc["priority_level"])
    if priority != pc["priority_level"]:
        fill["priority_level"] = priority
    return fill


def _other_job(pc: dict[str, Any], sc: dict[str, Any]) -> bool:
    """Whether the two contacts' companies name different employers: then the other's title is no title
    of the survivor's company, and is kept aside with the company rather than filled [job-changes]."""
    return positions.other_employer(pc.get("company"), sc.get("company"))


def _priority(survivor: str, other: str) -> str:
    """The survivor's priority, unless it is the default (medium) and the other's was set to high or low:
    a choice the user made is kept; archived is not (a merge does not hide the survivor), nor is an
    archived survivor's when the other was not archived (a merge hides nobody: the richer of the two
    survives, so an active contact merged with its richer archived card vanished from every list)."""
    if survivor == "archived" and other != "archived":
        return other
    return other if survivor == "medium" and other in ("high", "low") else survivor


def _kept_aside(pc: dict[str, Any], sc: dict[str, Any]) -> list[dict[str, Any]]:
    """The other contact's values that differ from a filled column of the survivor, as contact_fields
    rows [merge-rules]: the same shapes an import keeps ([import-matching]), then the platform texts."""
    out = kept_values(pc, sc)
    # [name-parts]: the other contact's given and family names, when they are its own (typed, or a source's
    # split) rather than what its full name gives, and the survivor's differ: kept as a vCard N, as an
    # import keeps another split (a typed "Lopez" beside the survivor's "Garcia Lopez" was dropped)
    theirs = (sc.get("given_name") or None, sc.get("family_name") or None)
    ours = (pc.get("given_name") or None, pc.get("family_name") or None)
    typed = {"given_name", "family_name"} & set(loads(sc.get("user_edited_fields") or "[]"))
    if (
        theirs != (None, None)
        and (typed or theirs != name_parts.given_and_family(sc.get("full_name")))
        and tuple(fold(v or "") for v in theirs) != tuple(fold(v or "") for v in ours)
    ):
        out.append(kept_name_parts(*theirs))
    if _other_job(pc, sc) and _empty(pc.get("title")) and not _empty(sc.get("title")):
        out.append(kept_field("title", str(sc["title"])))  # not filled: it is another employer's title
    for f in _KEPT_VERBATIM:
        new, old = sc.get(f), pc.get(f)
        if not _empty(new) and not _empty(old) and fold(str(new)) != fold(str(old)):
            prop = "X-PCRM-" + f.upper().replace("_", "-")
            out.append({"kind": "x", "label": None, "value": f"{prop}:{vcard_text.escape(str(new).strip())}"})
    return out


# a handle's profile address, as the vCard export writes it and an import keeps a second one
_PROFILES = {
    "twitter": "https://twitter.com/",
    "telegram": "https://t.me/",
    "instagram": "https://instagram.com/",
}


def _handle(state: dict[str, Any], platform: str) -> str | None:
    """The handle a contact shows for a platform: its oldest identity with one, as the store reads it."""
    for r in state["contact_identities"]:  # in id order
        if r["platform"] == platform and r["handle"]:
            return str(r["handle"])
    return None


def _other_handles(p_before: dict[str, Any], s_before: dict[str, Any]) -> list[dict[str, Any]]:
    """The other contact's X, Telegram or Instagram handle where the survivor shows another one, as the
    profile an import keeps beside the handle (`social`, the X-SOCIALPROFILE line) [merge-rules]: both
    identities move over, but a contact shows one handle a platform, so the other's went unseen (neither
    `contacts show` nor the vCard export had it) while the merge said nothing was kept aside."""
    out = []
    for platform, base in _PROFILES.items():
        mine, theirs = _handle(p_before, platform), _handle(s_before, platform)
        if mine and theirs and mine.lower() != theirs.lower():
            line = f"X-SOCIALPROFILE;TYPE={platform}:{base}{vcard_text.escape_uri(theirs)}"
            out.append({"kind": "social", "label": "", "value": line})
    return out


def renamed_row(m: dict[str, Any]) -> int | None:
    """The contact (rowid) an import made of a renamed row of this store's export, when match `m` is the
    pair it asked about with the contact the row's id names [own-exports]; None for any other pair. Its merge
    is the rename the user says it is: under the row's name, and the id."""
    stored = m["explanation"] if isinstance(m.get("explanation"), dict) else {}
    shared = stored.get("shared_key") or {}
    named = shared.get("value")
    if shared.get("key") != "exported_id" or named not in (m["contact_a_id"], m["contact_b_id"]):
        return None
    return cast(int | None, m["_b"] if m["contact_a_id"] == named else m["_a"])


def merge_contacts(ctx: Context, contact_id: str, other_id: str, *, dry_run: bool = False) -> Result:
    """POST /contacts/{id}/merge/{other_id}: merge two contacts; the richer one survives ([merge-rules]: the
    response names the real survivor as `id` and the absorbed contact as `merged_contact_id`)."""
    a, b = rowid(ctx, contact_id), rowid(ctx, other_id)
    if a == b:
        raise one_contact_twice(ctx, a, "merged with")
    asked = istore.find_pair(ctx.conn, str(contact_id).lower(), str(other_id).lower())
    # the pair an import asked about for a renamed row is the rename here too, as in `identity merge`
    renamed = renamed_row(asked) if asked and asked["status"] == "pending_review" else None
    if dry_run:
        try:
            with write(ctx.conn):
                res = merge_pair(ctx, a, b, method="manual", keep_questions=True, renamed=renamed)
                raise _DryRun(res)
        except _DryRun as d:
            res = d.result
        res = dict(res, merge_id=None, match_id=None)
        return Result(_merge_response(res), {"dry_run": True})
    res = merge_pair(ctx, a, b, method="manual", keep_questions=True, renamed=renamed)
    return Result(_merge_response(res), {"dry_run": False} if dry_run else {})


def _merge_response(res: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": res["survivor_id"],
        "full_name": res["full_name"],
        "display_name": res["display_name"],
        "merged_contact_id": res["merged_contact_id"],
        "merge_id": res["merge_id"],
        "match_id": res["match_id"],
        "interactions_moved": res["interactions_moved"],
        "collisions_journaled": res["collisions_journaled"],
        "fields_filled": res["fields_filled"],
        "values_kept": res["values_kept"],
        "tags_past_cap": res["tags_past_cap"],
    }


def _find_merge(ctx: Context, merge_id: str) -> dict[str, Any]:
    ref = (merge_id or "").strip().lower()
    if not ref:
        raise ValidationError(
            "empty merge reference",
            field="merge_id",
            hint="give a merge id (or 4+ characters of it); `pcrm identity history` lists them",
        )
    m = mstore.get_merge(ctx.conn, ref, full=True) if ref else None
    if m is None and len(ref) >= 4:
        found = mstore.merge_prefix(ctx.conn, ref)
        if len(found) > 1:
            raise BadRequest(
                f"{merge_id!r} matches {len(found)} merges", hint="give more characters of the id"
            )
        if found:
            m = mstore.get_merge(ctx.conn, found[0], full=True)
    if m is None:
        raise NotFound(f"no merge with id {merge_id}", hint="list merges with `pcrm identity history`")
    return m


def unmerge(ctx: Context, merge_id: str) -> Result:
    """Undo a merge: both contacts come back as they were, under their own UUIDs. Merges that chain
    through the survivor are undone newest first."""
    conn = ctx.conn
    now = ctx.now_iso()
    with write(conn):
        m = _find_merge(ctx, merge_id)
        if m["unmerged_at"]:
            raise BadRequest(
                f"merge {m['id']} was already undone on {local_day(m['unmerged_at'], ctx.tz())}",
                hint="see `pcrm identity history`",
            )
        later = mstore.later_merges(conn, m)
        if later:
            raise Conflict(
                f"merge {m['id']} was followed by merge {later[0]['id']} involving the same contact; "
                "undo the newer one first",
                hint=f"pcrm contacts unmerge {later[0]['id']}",
                details={"blocking_merge_id": later[0]["id"]},
            )
        pid = cstore.rowid_for_uuid(conn, m["primary_uuid"])
        if cstore.rowid_for_uuid(conn, m["merged_uuid"]) is not None:
            raise Conflict(f"contact {m['merged_uuid']} already exists", hint="see `pcrm identity history`")
        if pid is None:
            return _unmerge_deleted_survivor(ctx, m, now)
        p_state, s_state, moved = m["primary_before"], m["merged_before"], m["moved"]
        newer = mstore.newer_interactions(conn, pid, m["merged_at"])
        edits_now = mstore.edit_state(conn, pid) if moved.get("primary_after") else None
        try:
            sid = mstore.restore_contact_row(conn, s_state)
            mstore.clear_children(conn, pid)
            mstore.restore_contact_row(conn, p_state, into=pid)
            mstore.restore_children(conn, pid, p_state, tables=list(mstore.CHILDREN))
            mstore.restore_children(
                conn,
                sid,
                s_state,
                tables=["contact_emails", "contact_phones", "contact_identities", "contact_fields"],
            )
            mstore.restore_events(conn, sid, s_state)
            returned = mstore.move_back_interactions(conn, moved["interactions"], pid, sid)
            for r in moved["collisions"]:
                mstore.insert_row(conn, "interactions", dict(r, contact_id=sid))
            mstore.restore_children(conn, sid, s_state, tables=["contact_tags"])
            # edits made to the survivor after the merge stay on it (journals written before this
            # was recorded have no `primary_after`: their survivor comes back exactly as it was)
            kept = mstore.replay_edits(conn, pid, moved["primary_after"], edits_now) if edits_now else []
            # [hand-edits]: what the user typed on the survivor since stays there, the merge's values too
            taken: list[dict[str, str]] = []
            typed = hand_edits.since_merge(conn, m) if edits_now else {}
            if edits_now and typed:
                more, taken = mstore.keep_typed(conn, pid, sid, typed, edits_now, now)
                kept += [k for k in more if k not in kept]
        except ConstraintError as exc:
            raise Conflict(
                f"merge {m['id']} cannot be undone: an email, handle or id of these contacts now "
                f"belongs to another contact ({exc})",
                hint="edit or merge that contact first, then run the unmerge again",
            ) from exc
        for added in moved["added_matches"]:  # uuids; rowids in journals written before
            istore.delete_match(conn, added)
        _restore_matches(ctx, m, sid)
        # [rejected-pairs]: the unmerged pair is remembered as rejected, so no tier and no resolver joins
        # them again
        match = istore.get_by_rowid(conn, moved["match"]) if moved.get("match") else None
        pair = {m["primary_uuid"], m["merged_uuid"]}
        if match is not None and {match["contact_a_id"], match["contact_b_id"]} != pair:  # public ids: uuids
            match = None  # that rowid was deleted and reused since (a later merge moved the pair's row)
        if match is None:
            match = istore.find_pair(conn, m["primary_uuid"], m["merged_uuid"])
        if match is not None:
            istore.update(
                conn,
                match["_rowid"],
                contact_a_id=pid,
                contact_b_id=sid,
                contact_a_uuid=m["primary_uuid"],
                contact_b_uuid=m["merged_uuid"],
                status="rejected",
                match_method="unmerge",
                resolved_at=now,
            )
            match_rowid = match["_rowid"]
        else:
            match_rowid = istore.insert(
                conn,
                (pid, m["primary_uuid"]),
                (sid, m["merged_uuid"]),
                score=m["match_score"],
                method="unmerge",
                status="rejected",
                now=now,
                resolved=True,
            )
        mstore.mark_unmerged(conn, m["_rowid"], now)
        # both rows came back with the scores the journal kept, computed at the merge: bring them to now

        scores.refresh(ctx, [pid, sid])
        match = istore.get_by_rowid(conn, match_rowid)
    return Result(
        {
            "merge_id": m["id"],
            "unmerged": True,
            "contact_ids": [m["primary_uuid"], m["merged_uuid"]],
            "interactions_returned": returned,
            "collisions_restored": len(moved["collisions"]),
            "interactions_kept_on_survivor": newer,
            "edits_kept_on_survivor": kept,
            "identities_kept_on_survivor": taken,
            "match_id": match["id"] if match else None,
        }
    )


def _restore_matches(ctx: Context, m: dict[str, Any], sid: int) -> None:
    """Put back the merged contact's identity matches with third contacts (the merge deleted them)."""
    conn = ctx.conn
    for r in m["moved"]["matches"]:
        if istore.find_pair(conn, r["contact_a_uuid"], r["contact_b_uuid"]) is not None:
            continue
        row = dict(r)
        for col, ucol in (("contact_a_id", "contact_a_uuid"), ("contact_b_id", "contact_b_uuid")):
            row[col] = sid if row[ucol] == m["merged_uuid"] else cstore.rowid_for_uuid(conn, row[ucol])
        mstore.insert_row(conn, "identity_matches", row)


def _unmerge_deleted_survivor(ctx: Context, m: dict[str, Any], now: str) -> Result:
    """Undo a merge whose survivor was deleted since [reversible-merges]: the merged contact comes back
    from the journal as it was before the merge (its row, emails, phones, identities, fields, tags,
    events, suggestions and the interactions the merge journaled in full); the interactions the merge
    moved onto the survivor were deleted with it and cannot come back. Runs in the caller's transaction."""
    conn = ctx.conn
    s_state, moved = m["merged_before"], m["moved"]
    try:
        sid = mstore.restore_contact_row(conn, s_state)
        mstore.restore_children(conn, sid, s_state, tables=list(mstore.CHILDREN))
        mstore.restore_events(conn, sid, s_state)
    except ConstraintError as exc:
        raise Conflict(
            f"merge {m['id']} cannot be undone: an email, handle or id of {m['merged_uuid']} now belongs to "
            f"another contact ({exc})",
            hint="edit or merge that contact first, then run the unmerge again",
        ) from exc
    for r in moved["collisions"]:
        mstore.insert_row(conn, "interactions", dict(r, contact_id=sid))
    # the pair's match and the rejections the merge copied went with the survivor (their contact_a)
    _restore_matches(ctx, m, sid)
    mstore.mark_unmerged(conn, m["_rowid"], now)
    scores.refresh(ctx, [sid])
    return Result(
        {
            "merge_id": m["id"],
            "unmerged": True,
            "contact_ids": [m["merged_uuid"]],
            "survivor_id": m["primary_uuid"],
            "survivor_deleted": True,
            "interactions_returned": 0,
            "collisions_restored": len(moved["collisions"]),
            "interactions_lost": len(moved["interactions"]),
            "interactions_kept_on_survivor": 0,
            "edits_kept_on_survivor": [],
            "identities_kept_on_survivor": [],
            "match_id": None,
        }
    )


def history(ctx: Context, *, limit: Any = None, offset: Any = None) -> Result:
    """The merge journal, newest first (CLI only: `pcrm identity history`)."""
    from pcrm.domain.query import parse_limit_offset

    lim, off = parse_limit_offset(limit, offset, default=50, hi=500)
    items, total = mstore.history(ctx.conn, lim, off)
    out = [
        {
            "id": r["id"],
            "survivor_id": r["primary_uuid"],
            "merged_contact_id": r["merged_uuid"],
            "survivor_name": r["primary_name"],
            "merged_name": r["merged_name"],
            "survivor_display_name": r["primary_shown"],  # how lists showed them [display-name]
            "merged_display_name": r["merged_shown"],
            "match_score": r["match_score"],
            "match_method": r["match_method"],
            "interactions_moved": r["interactions_moved"] or 0,
            "collisions_journaled": r["collisions"] or 0,
            "merged_at": r["merged_at"],
            "unmerged_at": r["unmerged_at"],
            "survivor_exists": cstore.rowid_for_uuid(ctx.conn, r["primary_uuid"]) is not None,
        }
        for r in items
    ]
    return Result(out, {"total": total, "limit": lim, "offset": off})
