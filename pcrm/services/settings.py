"""Settings [settings-registry]: read and change the values declared in pcrm.domain.settings.REGISTRY.

The API groups some keys under routes (GET/PUT /settings/priority, /sync, /telegram, /suggestions); the
functions named after those routes return and accept the same shapes. PUTs are partial: keys present
change, the rest keep their values, and `null` puts a key back to its default. Every value is validated
before anything is written, so a bad request changes nothing. `pcrm settings show/set/reset` reach every
key, including those with no route (timezone, phone_region, me, metadata_only.*, network switches, ...).
Keys starting with `_internal.` in the table are pcrm's own bookkeeping and never shown.

`phone_region` is more than a value: changing it normalises the stored numbers again, in the same
transaction, and answers with a report (services.phones) [value-normalisation].
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pcrm.domain import settings as reg
from pcrm.domain.limits import check_length
from pcrm.domain.sources import SCHEDULED
from pcrm.errors import ValidationError
from pcrm.services import phones
from pcrm.services.context import Context, Result
from pcrm.store import settings as store
from pcrm.store.db import write

PRIORITY_KEYS = ("high", "medium", "low")
SUGGESTION_KEYS = (
    "max_suggestions",
    "include_dormant",
    "birthday_reminders",
    "preferred_channel",
    "dormancy_threshold_days",
)
SYNC_FIELDS = ("auto_sync", "schedule", "hour")
SYNC_SOURCES = tuple(sorted(s.name for s in SCHEDULED))  # [source-registry]
# Sections that have an API route; `settings show SECTION` answers exactly what that route answers.
ROUTED = ("priority", "suggestions", "sync", "telegram")
_SET_HINT = "e.g. pcrm settings set priority.high 21"


def _unknown_key(key: str) -> ValidationError:
    return reg.unknown_key(key)


def _unknown_fields(where: str, unknown: set[str], valid: tuple[str, ...]) -> ValidationError:
    names = ", ".join(sorted(unknown))
    err = ValidationError(
        f"unknown {where} key{'s' if len(unknown) > 1 else ''}: {names}",
        fields=[{"field": k, "message": f"unknown key; valid: {', '.join(valid)}"} for k in sorted(unknown)],
        hint=f"valid keys: {', '.join(valid)}",
    )
    err.details["valid_keys"] = list(valid)
    return err


def _body(body: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(body, Mapping):
        raise ValidationError(f"the {what} settings must be an object", field="body", hint=_SET_HINT)
    return body


def _store(ctx: Context, raw: Mapping[str, Any], body: Mapping[str, tuple[str, ...]] | None = None) -> None:
    """Validate every (key, value) first, then write them in one transaction. None resets a key.

    `body`: for a routed section's PUT, each key's path in the request body (`priority.high` is `("high",)`,
    `sync.gmail.hour` is `("gmail", "hour")`): an error then names the body's field, in `field`, its `loc`
    and its message, as the schema's own errors do [error-detail]."""
    clean: dict[str, Any] = {}
    problems: list[dict[str, str]] = []
    hints: list[str] = []  # a setting's own example (e.g. `me`) beats the generic one
    for key, value in raw.items():
        if key not in reg.REGISTRY:
            raise _unknown_key(key)
        if value is None:
            clean[key] = None
            continue
        try:
            check_length(key, value, reg.text_cap(key))  # [text-limits]; UTF-8 too
            clean[key] = reg.validate(key, value)
        except ValidationError as e:
            problems += e.details.get("fields") or [{"field": key, "message": e.message}]
            hints += [e.hint] if e.hint else []
    if problems:
        key = problems[0]["field"]
        hint = hints[0] if hints else f"see {key} and its default with `pcrm settings show {key}`"
        locs = _named_by_body(problems, body or {})
        first = problems[0]["message"]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        err = ValidationError(first + more, fields=problems, hint=hint)
        err.locs = locs
        raise err
    with write(ctx.conn):
        store.put_many(ctx.conn, clean, ctx.now_iso())
    ctx.invalidate_settings()


def _named_by_body(problems: list[dict[str, str]], body: Mapping[str, tuple[str, ...]]) -> dict[str, Any]:
    """Rename, in place, each problem's registry key (and the message starting with it) to its field in the
    request body; returns the renamed fields' FastAPI locs (["body", "gmail", "hour"])."""
    locs: dict[str, Any] = {}
    for p in problems:
        path = body.get(p["field"])
        if path is None:
            continue
        name = ".".join(path)
        if p["message"].startswith(p["field"]):
            p["message"] = name + p["message"][len(p["field"]) :]
        p["field"] = name
        locs[name] = ["body", *path]
    return locs


def _section(ctx: Context, prefix: str, keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: ctx.setting(f"{prefix}.{k}") for k in keys}


# ------------------------------------------------------------------ routed sections (API shapes)


def get_priority(ctx: Context) -> Result:
    """GET /settings/priority: follow-up intervals in days, {high, medium, low}."""
    return Result(_section(ctx, "priority", PRIORITY_KEYS))


def _update_section(ctx: Context, body: Any, section: str, keys: Any) -> None:
    """A partial PUT on a flat section: the keys given are validated and stored, the rest keep their
    values."""
    b = _body(body, section)
    unknown = set(b) - set(keys)
    if unknown:
        raise _unknown_fields(section, unknown, keys)
    _store(ctx, {f"{section}.{k}": v for k, v in b.items()}, {f"{section}.{k}": (k,) for k in b})


def update_priority(ctx: Context, body: Any) -> Result:
    """PUT /settings/priority: any of {high, medium, low}, each a whole number of days from 7 to 365."""
    _update_section(ctx, body, "priority", PRIORITY_KEYS)
    return get_priority(ctx)


def get_suggestions(ctx: Context) -> Result:
    """GET /settings/suggestions: the suggestion engine's preferences [suggestion-prefs]."""
    return Result(_section(ctx, "suggestions", SUGGESTION_KEYS))


def update_suggestions(ctx: Context, body: Any) -> Result:
    """PUT /settings/suggestions: merges the keys given into the stored preferences."""
    _update_section(ctx, body, "suggestions", SUGGESTION_KEYS)
    return get_suggestions(ctx)


def get_sync(ctx: Context) -> Result:
    """GET /settings/sync: per source {auto_sync, schedule, hour}."""
    return Result({s: _section(ctx, f"sync.{s}", SYNC_FIELDS) for s in SYNC_SOURCES})


def update_sync(ctx: Context, body: Any) -> Result:
    """PUT /settings/sync {source: {auto_sync?, schedule?, hour?}}: the sources and fields given change,
    every other source keeps its settings."""
    b = _body(body, "sync")
    unknown = set(b) - set(SYNC_SOURCES)
    if unknown:
        raise _unknown_fields("sync source", unknown, SYNC_SOURCES)
    raw: dict[str, Any] = {}
    paths: dict[str, tuple[str, ...]] = {}
    for source, fields in b.items():
        fields = _body(fields, f"sync.{source}")
        bad = set(fields) - set(SYNC_FIELDS)
        if bad:
            raise _unknown_fields(f"sync.{source}", bad, SYNC_FIELDS)
        raw.update({f"sync.{source}.{k}": v for k, v in fields.items()})
        paths.update({f"sync.{source}.{k}": (source, k) for k in fields})
    _store(ctx, raw, paths)
    return get_sync(ctx)


def get_telegram(ctx: Context) -> Result:
    """GET /settings/telegram: {sync_2nd_tier}."""
    return Result({"sync_2nd_tier": ctx.setting("telegram.sync_2nd_tier")})


def update_telegram(ctx: Context, body: Any) -> Result:
    """PUT /settings/telegram {sync_2nd_tier}."""
    _update_section(ctx, body, "telegram", ("sync_2nd_tier",))
    return get_telegram(ctx)


_GETTERS = {
    "priority": get_priority,
    "suggestions": get_suggestions,
    "sync": get_sync,
    "telegram": get_telegram,
}


# ------------------------------------------------------------------ every key (CLI)


def _shown(key: str, value: Any) -> Any:
    s = reg.REGISTRY[key]
    return "********" if s.secret and value not in (None, "") else value


def show_settings(ctx: Context, section: str | None = None) -> Result:
    """`pcrm settings show [SECTION]`.

    No section: every key with its current value, flat ({key: value}); meta.changed lists the keys that
    differ from their defaults. A routed section (priority, suggestions, sync, telegram): exactly what its
    GET route answers. Another section (general, logos, metadata_only, ...) or a single key: {key: value}.
    """
    values = ctx.settings()
    if section is None or section == "":
        data = {k: _shown(k, values[k]) for k in sorted(reg.REGISTRY)}
        changed = sorted(k for k in reg.REGISTRY if values[k] != reg.REGISTRY[k].default)
        return Result(data, {"changed": changed})
    name = reg.name_of(section)  # [setting-names]
    if name in _GETTERS:
        return _GETTERS[name](ctx)
    if name in reg.REGISTRY:
        return Result({name: _shown(name, values[name])})
    keys = sorted(k for k, s in reg.REGISTRY.items() if s.section == name)
    if not keys:
        valid = reg.sections()
        close = reg.near_key(name)
        err = ValidationError(
            f"unknown settings section {section!r}",
            field="section",
            hint=(f"did you mean {close}? " if close else "")
            + f"sections: {', '.join(valid)} (or a full key such as priority.high)",
        )
        err.details["valid_sections"] = valid
        raise err
    return Result({k: _shown(k, values[k]) for k in keys})


def _route(ctx: Context, key: str, value: Any, dry_run: bool) -> Result:
    if key == phones.KEY:
        return phones.change_region(ctx, value, dry_run=dry_run)
    if dry_run:
        return _rolled_back(ctx, key, value)
    parts = key.split(".")
    if parts[0] == "priority":
        return update_priority(ctx, {parts[1]: value})
    if parts[0] == "suggestions":
        return update_suggestions(ctx, {parts[1]: value})
    if parts[0] == "telegram" and parts[1] == "sync_2nd_tier":  # the route's one key; the others plain
        return update_telegram(ctx, {parts[1]: value})
    if parts[0] == "sync":
        return update_sync(ctx, {parts[1]: {parts[2]: value}})
    _store(ctx, {key: value})
    return Result({key: _shown(key, ctx.setting(key))})


class _DryRun(Exception):
    def __init__(self, result: Result) -> None:
        super().__init__("dry run")
        self.result = result


def _rolled_back(ctx: Context, key: str, value: Any) -> Result:
    """The answer a change would give, computed inside a transaction that is then rolled back."""
    try:
        with write(ctx.conn):
            result = _route(ctx, key, value, False)
            result.meta["dry_run"] = True
            raise _DryRun(result)
    except _DryRun as d:
        return d.result
    finally:
        ctx.invalidate_settings()


def set_setting(ctx: Context, key: str, value: Any, *, dry_run: bool = False) -> Result:
    """`pcrm settings set KEY VALUE [--dry-run]`. A key under a routed section answers like that route's PUT
    (e.g. priority.high -> {high, medium, low}); any other key answers {key: value}; `phone_region` adds
    meta.phones, the report of the numbers it normalised again. Unknown keys are refused with the list of
    valid ones (details.valid_keys). dry_run: validate and answer, change nothing (meta.dry_run)."""
    k = reg.name_of(key or "")  # [setting-names]
    if k not in reg.REGISTRY:
        raise _unknown_key((key or "").strip())
    if value is None:
        raise ValidationError(f"give a value for {k}", field=k, hint=f"or reset it: pcrm settings reset {k}")
    return _route(ctx, k, value, dry_run)


def reset_setting(ctx: Context, key: str, *, dry_run: bool = False) -> Result:
    """`pcrm settings reset KEY [--dry-run]`: back to the declared default; answers like `set`."""
    k = reg.name_of(key or "")  # [setting-names]
    if k not in reg.REGISTRY:
        raise _unknown_key((key or "").strip())
    return _route(ctx, k, None, dry_run)
