"""What the browser extension pushes, written through the one ingest engine [extension-push].

A push (`POST /linkedin/push`, `POST /meta/push`) is turned into domain records by its platform's module
(`linkedin_push.py`, `meta_push.py`) and written here in ONE transaction by `ingest.apply`: matching through
the resolver's keys, sync-style filling that never touches a field the user edited, interactions keyed by
their reference (a re-push adds nothing), backfill-safe suggestion dismissal, an undoable batch. A push that
changed something leaves a `webhook` row in the sync history.

Limits: at most 50 profiles and 500 messages per push (more: 413, nothing stored); an avatar sent inline at
most 5 MB. A malformed item is reported in `errors` (`profiles[3]: ...`) while the good ones are stored. Text
longer than its field keeps takes its first characters and the cut is reported the same way (`messages[3]:
content_preview is 12,000 characters long; the first 10,000 were kept`), and so is a value replaced as the
reference replaced it (a direction that is neither inbound nor outbound is inbound, a time that is no ISO time
the push's): nothing is dropped or changed silently.
"""

from __future__ import annotations

import base64
import binascii
import re
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from pcrm import clock
from pcrm.domain import normalize as n
from pcrm.domain.records import ContactRecord, Records
from pcrm.errors import PcrmError, ValidationError
from pcrm.serialize import dumps
from pcrm.services import ingest, scores
from pcrm.services.context import Context, collector_paused
from pcrm.services.import_report import empty_report
from pcrm.services.sync import ingest_options
from pcrm.store import push as store
from pcrm.store import sync_runs as runs
from pcrm.store.db import write

MAX_PROFILES = 50
MAX_MESSAGES = 500
MAX_AVATAR = 5 * 1024 * 1024
MAX_TEXT = 10_000
_IMAGE = re.compile(r"^data:image/(jpeg|jpg|png|gif|webp);base64,", re.IGNORECASE)
_EXT = {"jpeg": "jpg", "jpg": "jpg", "png": "png", "gif": "gif", "webp": "webp"}


@dataclass
class Parsed:
    """A push as records, with its item errors and how to find the contacts it was about afterwards."""

    records: Records = field(default_factory=Records)
    errors: list[str] = field(default_factory=list)
    skipped: int = 0  # messages dropped by design (no counterpart at all)
    platform_ids: set[str] = field(default_factory=set)  # the platform ids it named


def items(body: dict[str, Any], key: str, limit: int) -> list[Any]:
    """The list under `key` (absent: empty); more than `limit` items: 413 and nothing is stored."""
    value = body.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValidationError(f"{key} must be a list", field=key)
    if len(value) > limit:
        raise PcrmError(
            f"a push carries at most {limit} {key} ({len(value)} sent)",
            code="payload_too_large",
            hint=f"send them in chunks of {limit}",
            details={"field": key, "limit": limit, "count": len(value)},
        )
    return value


# what `text` cut and `note` replaced of the item `each` is reading: reported with the item's errors once it
# is read whole
_CUTS: ContextVar[list[str] | None] = ContextVar("pcrm_push_cuts", default=None)


def text(item: dict[str, Any], key: str, limit: int = MAX_TEXT) -> str | None:
    """A text field of an item (None when absent or empty); anything but text is an item error. Control
    characters (a NUL, a bell: stray bytes of a scraped page, which no stored text holds) are dropped, so
    a name keeps its letters instead of being refused and leaving its contact nameless. Longer than
    `limit`: its first `limit` characters, and the cut is reported in the push's `errors` (MAX_TEXT is
    what an interaction's content keeps [text-limits])."""
    v = item.get(key)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (str, int)):
        raise ItemError(f"{key} must be text")
    s = str(v)
    if n.has_control(s):  # rare: checked per character only then
        s = "".join(ch for ch in s if not n.has_control(ch))
    s = s.strip()
    if len(s) > limit:
        note(f"{key} is {len(s):,} characters long; the first {limit:,} were kept")
        s = s[:limit]
    return s or None


class ItemError(ValueError):
    """One pushed item is malformed: reported, the rest of the push goes on."""


def avatar(data: Any) -> tuple[bytes, str] | None:
    """An inline avatar `data:image/...;base64,...`: its bytes and file extension; at most 5 MB."""
    if data in (None, ""):
        return None
    m = _IMAGE.match(data) if isinstance(data, str) else None
    if m is None:
        raise ItemError("avatar_data must be a data:image/(jpeg|png|gif|webp);base64 URL")
    payload = data[m.end() :]
    if len(payload) > MAX_AVATAR * 4 // 3 + 4:
        raise ItemError(f"avatar_data is larger than {MAX_AVATAR // (1024 * 1024)} MB")
    try:
        blob = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise ItemError("avatar_data is not valid base64") from None
    if len(blob) > MAX_AVATAR:
        raise ItemError(f"avatar_data is larger than {MAX_AVATAR // (1024 * 1024)} MB")
    return blob, _EXT[m.group(1).lower()]


def note(text: str) -> None:
    """Say a value of the item being read that was replaced or cut: reported in the push's `errors` as
    `where[i]: text` once the item is stored (see `each`); the item is not refused for it."""
    notes = _CUTS.get()
    if notes is not None and text not in notes:
        notes.append(text)


def said(value: Any) -> str:
    """A pushed value as an error quotes it: short text in quotes, anything else as JSON names its type."""
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else f"{value[:57]}...")
    if value is None:
        return "null"
    return f"of type {type(value).__name__}" if not isinstance(value, (int, float)) else repr(value)


def valid_time(value: Any) -> str | None:
    """An ISO time as the canonical UTC form, or None when `value` is no ISO time (or missing)."""
    if isinstance(value, str) and value.strip():
        try:
            return clock.iso(clock.parse_iso(value.strip()))
        except ValueError:
            return None
    return None


def timestamp(ctx: Context, value: Any, key: str = "timestamp") -> str:
    """An ISO time as the canonical UTC form. One missing or that does not parse is the time of the push
    (as the reference did), and said in the push's `errors` (`note`): never replaced without a word."""
    at = valid_time(value)
    if at is not None:
        return at
    if value is None or (isinstance(value, str) and not value.strip()):
        note(f"{key} is missing; the time of the push was used")
    else:
        note(f"{key} {said(value)} is no ISO 8601 time; the time of the push was used")
    return ctx.now_iso()


DIRECTIONS = ("inbound", "outbound")


def direction(value: Any, key: str = "direction") -> str:
    """inbound or outbound, read in any case [strict-validation]; anything else is inbound (as the
    reference did), said in the push's `errors` (`note`)."""
    if isinstance(value, str) and value.strip().lower() in DIRECTIONS:
        return value.strip().lower()
    if value is None:
        note(f"{key} is missing; inbound was used")
    else:
        note(f"{key} {said(value)} is neither inbound nor outbound; inbound was used")
    return "inbound"


def split_name(name: str | None) -> dict[str, str]:
    if not name:
        return {}
    parts = name.split()
    out = {"full_name": " ".join(parts)}
    if len(parts) > 1:
        out.update(given_name=parts[0], family_name=" ".join(parts[1:]))
    return out


def each(values: list[Any], where: str, errors: list[str], fn: Callable[[int, dict[str, Any]], None]) -> None:
    """fn(i, item) for every item; a malformed one is reported as `where[i]: ...` and skipped, a stored one
    whose text was cut is reported as `where[i]: ...` too (see `text`)."""
    for i, item in enumerate(values):
        cuts: list[str] = []
        token = _CUTS.set(cuts)
        try:
            if not isinstance(item, dict):
                raise ItemError("must be an object")
            fn(i, item)
        except ItemError as e:
            errors.append(f"{where}[{i}]: {e}")
        else:
            errors.extend(f"{where}[{i}]: {note}" for note in cuts)
        finally:
            _CUTS.reset(token)


def write_push(ctx: Context, source: str, parsed: Parsed) -> tuple[dict[str, Any], bool]:
    """Write the records in one transaction with a `webhook` sync-history row (kept only when something
    changed); returns the ingest report (item errors first) and whether anything changed."""
    report, applied = _write(ctx, source, parsed)
    return report, applied.changed


def _write(ctx: Context, source: str, parsed: Parsed) -> tuple[dict[str, Any], ingest.Applied]:
    opts = ingest_options(ctx)
    report = empty_report(source)
    changes = ingest.validate(parsed.records, opts)
    report["errors"] = list(parsed.records.errors)
    started = time.monotonic()
    rescore: set[int] = set()
    with collector_paused(), write(ctx.conn):
        run_id = runs.start(ctx.conn, source, "webhook", ctx.now_iso())
        applied = ingest.apply(
            ctx,
            parsed.records,
            changes,
            report,
            opts,
            source=source,
            fmt="push",
            filename=f"{source} push",
            sync_run_id=run_id,
            metadata_only=bool(ctx.settings().get(f"metadata_only.{source}", False)),
            rescore=rescore,
        )
        if rescore:
            scores.refresh(ctx, sorted(rescore))
        report["interactions_skipped"] += parsed.skipped
        errors = parsed.errors + report["errors"]
        report["errors"] = errors
        if applied.changed:
            runs.finish(
                ctx.conn,
                run_id,
                "success" if not errors else "partial",
                ctx.now_iso(),
                created=report["contacts_created"] + report["interactions_created"],
                updated=report["contacts_updated"],
                failed=len(errors),
                duration_ms=int(1000 * (time.monotonic() - started)),
                details=dumps({k: report[k] for k in _DETAILS} | {"errors": _unmarked(errors[:50])}).decode(),
            )
        else:
            store.drop_run(ctx.conn, run_id)
    if report["contacts_created"]:
        ingest.after(ctx, report["contacts_created"])
    ingest.classify_bio_changes(ctx, applied.bio_changes)
    return report, applied


def _copy(record: Any, **changes: Any) -> Any:
    """dataclasses.replace for the plain record dataclasses (no __post_init__, no init=False fields),
    without running __init__: a group copies every record of every call (~10 us each by replace)."""
    new = object.__new__(type(record))
    new.__dict__.update(record.__dict__, **changes)
    return new


_MARK = "\x1f"  # joins an item's number to its records' `where`, so row errors find their item again


def write_group(ctx: Context, source: str, group: list[Parsed]) -> list[dict[str, Any] | Exception]:
    """Several pushes that arrived together (real-time webhook calls) written as ONE: one transaction, one
    ingest batch, one `webhook` sync-history row, one scores refresh [webhook-coalescing]. Each push still
    gets its own report (counts from the engine's per-record outcomes, its own item errors). If the joint
    write fails, each push is written on its own (`write_push`), so one bad push never costs the others
    their writes; a push that fails alone gets its exception in its place."""
    if len(group) == 1:
        return [_alone(ctx, source, group[0])]
    joint = Records()
    spans: list[tuple[int, int, int, int]] = []
    same: dict[bytes, int] = {}  # a plain contact record already in the group (a chat's burst) -> its index
    for k, p in enumerate(group):
        c0, i0 = len(joint.contacts), len(joint.interactions)
        at: list[int] = []  # this push's record indexes in the group
        for r in p.records.contacts:
            key = _plain(r)
            if key is not None and key in same:
                at.append(same[key])  # matched and filled once for the group; this push adds nothing to it
                continue
            if key is not None:
                same[key] = len(joint.contacts)
            at.append(len(joint.contacts))
            joint.contacts.append(_copy(r, where=f"{r.where}{_MARK}{k}"))
        joint.interactions += [
            _copy(
                it,
                where=f"{it.where}{_MARK}{k}",
                contact=at[it.contact] if isinstance(it.contact, int) else it.contact,
            )
            for it in p.records.interactions
        ]
        joint.receipts += [_copy(rc, contact=at[rc.contact]) for rc in p.records.receipts]
        joint.errors += [f"{e}{_MARK}{k}" for e in p.records.errors]
        spans.append((c0, len(joint.contacts), i0, len(joint.interactions)))
    joint_push = Parsed(records=joint, skipped=sum(p.skipped for p in group))
    try:
        report, applied = _write(ctx, source, joint_push)
    except Exception:  # one push's data broke the joint write (rolled back): each on its own
        return [_alone(ctx, source, p) for p in group]
    by_item: dict[int, list[str]] = {}
    for e in report["errors"]:
        where, mark, rest = e.partition(_MARK)
        if mark:
            k, _, tail = rest.partition(":")
            if k.isdigit():
                by_item.setdefault(int(k), []).append(f"{where}:{tail}" if tail else where)
    out: list[dict[str, Any] | Exception] = []
    for k, (p, (c0, c1, i0, i1)) in enumerate(zip(group, spans, strict=True)):
        made = applied.contacts[c0:c1]
        stored = sum(applied.interactions[i0:i1])
        errors = p.errors + by_item.get(k, [])
        out.append(
            {
                "contacts_created": made.count("contacts_created"),
                "contacts_updated": made.count("contacts_updated"),
                "interactions_created": stored,
                "interactions_skipped": (i1 - i0) - stored + p.skipped,
                "errors": errors,
            }
        )
    return out


def _plain(r: ContactRecord) -> bytes | None:
    """What makes two contact records the same, for records that are nothing but their fields."""
    if r.fields or r.avatar or r.job_change or r.new_only or r.overwrite or r.google_resource_name:
        return None
    return dumps([r.data, r.create])


def _unmarked(errors: list[str]) -> list[str]:
    return [re.sub(_MARK + r"\d+", "", e) for e in errors]


def _alone(ctx: Context, source: str, p: Parsed) -> dict[str, Any] | Exception:
    try:
        report = write_push(ctx, source, p)[0]
        return {**counts(report), "errors": report["errors"]}
    except Exception as e:  # handed back to its own caller, raised there
        return e


_DETAILS = (
    "contacts_created",
    "contacts_updated",
    "interactions_created",
    "interactions_skipped",
    "batch_id",
)


def counts(report: dict[str, Any]) -> dict[str, Any]:
    """The reference's answer fields, plus the item errors."""
    return {
        "contacts_created": report["contacts_created"],
        "contacts_updated": report["contacts_updated"],
        "interactions_created": report["interactions_created"],
        "interactions_skipped": report["interactions_skipped"],
    }
