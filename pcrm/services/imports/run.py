"""Running one import: options, parse, validate, write in one transaction, the identity pass after.

`pcrm.services.imports.import_file` and `import_path` call into this module (see `__init__.py`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pcrm.domain.dates import zone
from pcrm.domain.records import Me, Records
from pcrm.domain.settings import me_parts
from pcrm.domain.wording import counted
from pcrm.errors import BadRequest, NotFound, ValidationError
from pcrm.formats.base import Input, Options, ProgressFn, open_regular
from pcrm.services import ingest
from pcrm.services.context import Context, Result, collector_paused
from pcrm.services.import_report import empty_report
from pcrm.services.imports.framework import choose, formats
from pcrm.services.ingest.validate import strict_error, validate
from pcrm.store.db import large_cache, write


class _DryRun(Exception):
    """Raised inside the write transaction to roll a dry run back."""


def options(
    ctx: Context,
    *,
    dry_run: bool = False,
    strict: bool = False,
    tz: str | None = None,
    me: str | list[str] | None = None,
    progress: ProgressFn | None = None,
    date_order: str | None = None,
    columns: list[str] | None = None,
    me_id: str | None = None,
) -> Options:
    """The parse and write options of one import: --tz, --me and the settings they override."""
    zone_info = _zone(tz) if tz else ctx.tz()
    me_value = Me.from_setting(ctx.setting("me"))
    me_given = False
    if me:
        # each --me read as the setting's plain text is [me-setting]: "Ana Lopez <ana@example.com>" is a name
        # and an email, "@ana" a handle, "+44 20 7946 0958" a phone
        parts = Me()
        for item in [me] if isinstance(me, str) else list(me):
            for key, values in me_parts("--me", item or "").items():
                getattr(parts, key).extend(v.lower() if key == "emails" else v for v in values)
        me_value = parts
        me_given = True
    return Options(
        date_order=_date_order(date_order),
        columns=_columns(columns),
        tz=zone_info,
        me=me_value,
        phone_region=ctx.phone_region(),
        dry_run=dry_run,
        strict=strict,
        me_given=me_given,
        progress=progress,
        second_tier=ctx.setting("telegram.sync_2nd_tier") is not False,
        me_id=_me_id(me_id),
    )


def _me_id(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    v = value.strip()
    if not v.isdigit():
        raise BadRequest(
            f"--me-id {value!r} is not an account id",
            hint="your numeric X account id, e.g. --me-id 783214 (the number in your DM conversation ids)",
        )
    return v


def _zone(name: str) -> Any:
    """The zone of --tz (the upload's form field `tz`): its error names the field `tz`, not the `timezone`
    setting the zone check speaks of."""
    try:
        return zone(name)
    except ValidationError as exc:
        raise ValidationError(exc.message, field="tz", hint=exc.hint) from None


def _date_order(value: str | None) -> str | None:
    if not value:
        return None
    key = value.strip().lower().replace("/", "").replace("-", "")
    if key not in ("dmy", "mdy", "ymd"):
        raise ValidationError(
            f"unknown date order {value!r}", field="date_order", hint="use one of: dmy, mdy, ymd"
        )
    return key


def _columns(items: list[str] | None) -> dict[str, str]:
    """--map COLUMN=FIELD pairs (the column as the file's header writes it)."""
    out: dict[str, str] = {}
    for item in items or []:
        column, sep, target = item.rpartition("=")
        if not sep or not column.strip() or not target.strip():
            raise ValidationError(
                f"--map {item!r} is not COLUMN=FIELD", field="map", hint="e.g. --map 'Vorname=first_name'"
            )
        out[column.strip()] = target.strip()
    return out


def import_file(
    ctx: Context,
    data: bytes,
    filename: str,
    *,
    format: str | None = None,
    dry_run: bool = False,
    strict: bool = False,
    tz: str | None = None,
    me: str | list[str] | None = None,
    progress: ProgressFn | None = None,
    path: Path | None = None,
    date_order: str | None = None,
    columns: list[str] | None = None,
    me_id: str | None = None,
    names: bool = False,
    size: int | None = None,
) -> Result:
    """Import one file's bytes (CLI and API uploads alike), or with `path` and `size` a regular file read
    from disk as it is needed [streamed-imports]. Returns the ImportReport [import-report].
    `names`: meta.would_create / would_update, for the CLI's dry run shown to people [dry-run-names]."""
    with collector_paused():
        return _import_file(
            ctx,
            data,
            filename,
            format=format,
            dry_run=dry_run,
            strict=strict,
            tz=tz,
            me=me,
            progress=progress,
            path=path,
            date_order=date_order,
            columns=columns,
            me_id=me_id,
            names=names,
            size=size,
        )


def _import_file(
    ctx: Context,
    data: bytes,
    filename: str,
    *,
    format: str | None,
    dry_run: bool,
    strict: bool,
    tz: str | None,
    me: str | list[str] | None,
    progress: ProgressFn | None,
    path: Path | None,
    date_order: str | None,
    columns: list[str] | None,
    me_id: str | None = None,
    names: bool = False,
    size: int | None = None,
) -> Result:
    opts = options(
        ctx,
        dry_run=dry_run,
        strict=strict,
        tz=tz,
        me=me,
        progress=progress,
        date_order=date_order,
        columns=columns,
        me_id=me_id,
    )
    if size is not None and path is not None:  # a file on disk, read as it is needed [streamed-imports]
        inp = Input.of_file(path, size)
    else:
        inp = Input(data=data, filename=filename or "upload", path=path)
    fmt = choose(inp, format)
    meta = {"format": fmt.NAME, "filename": inp.filename, "dry_run": dry_run}
    if hasattr(fmt, "restore"):
        result = fmt.restore(ctx, inp, opts)
        result.meta = {**meta, **result.meta}
        return result
    if hasattr(fmt, "stream"):
        return _import_stream(ctx, fmt, inp, opts, meta, names=names)
    parsed = fmt.parse(inp, opts)
    ingest.named_as_listed(ctx.conn, parsed)
    changes = validate(parsed, opts)
    parsed.errors.sort(key=ingest.row_order)
    # the file's owner fills `me` only while it is empty (Writer.fill_me): a file that brings nothing else
    # then changes nothing, and is refused as such [import-report]
    fills_me = parsed.me is not None and not any(Me.from_setting(ctx.setting("me")).as_setting().values())
    if not any(c is not None for c in changes) and not parsed.interactions and not fills_me:
        raise _nothing_importable(inp.filename, fmt, parsed)
    if fills_me and parsed.me is not None:
        meta["me_set"] = parsed.me.as_setting()
    if strict and parsed.errors:
        raise strict_error(inp.filename, parsed.errors)
    report = empty_report(fmt.SOURCE)
    report["errors"] = list(parsed.errors)
    report["contacts_skipped"] = report["rows_skipped_by_design"] = parsed.contacts_skipped
    report["interactions_skipped"] = parsed.interactions_skipped
    report["interactions_not_imported"] = [x.as_dict() for x in parsed.not_imported]
    total = len(parsed.contacts) + len(parsed.interactions)
    tick = max(1, total // 100)
    done = 0

    def advance(stage: str) -> None:
        nonlocal done
        done += 1
        if progress and (done % tick == 0 or done == total):
            progress(stage, done, total)

    try:
        with write(ctx.conn):
            applied = ingest.apply(
                ctx,
                parsed,
                changes,
                report,
                opts,
                source=fmt.SOURCE,
                fmt=fmt.NAME,
                filename=inp.filename,
                advance=advance,
            )
            _applied(applied, report, meta, dry_run=dry_run, names=names)  # a dry run raises _DryRun
    except _DryRun:
        pass
    return _after(ctx, report, meta, dry_run=dry_run)


def _import_stream(
    ctx: Context, fmt: Any, inp: Input, opts: Options, meta: dict[str, Any], *, names: bool = False
) -> Result:
    """A format read batch by batch [streamed-imports]: the same report, one transaction, but never
    the whole file as records. The file's own errors (truncated, missing columns) come before the
    transaction; a row error under --strict or a file with nothing to import rolls it back."""
    batches = fmt.stream(inp, opts)
    report = empty_report(fmt.SOURCE)
    report["interactions_not_imported"] = []  # streamed formats carry no messages
    progress = opts.progress
    done = 0
    total = max(1, inp.count(b"\n")) if progress else 1  # about one row a line

    def advance(stage: str) -> None:
        nonlocal done, total
        done += 1
        if progress and done % 500 == 0:
            total = max(total, done)
            progress(stage, done, total)

    try:
        with large_cache(ctx.conn, 8192), write(ctx.conn):
            applied = ingest.apply_stream(
                ctx,
                batches,
                report,
                opts,
                source=fmt.SOURCE,
                fmt=fmt.NAME,
                filename=inp.filename,
                advance=advance if progress else None,  # (no call a row for nobody to see)
            )
            if progress:
                progress("contacts", done, done)
            _applied(applied, report, meta, dry_run=opts.dry_run, names=names)  # a dry run raises _DryRun
    except _DryRun:
        pass
    except ingest.Nothing as nothing:
        raise _nothing_importable(
            inp.filename, fmt, Records(errors=nothing.errors, contacts_skipped=nothing.skipped)
        ) from None
    return _after(ctx, report, meta, dry_run=opts.dry_run)


# the meta key under which an import hands the rows that made no contact to the reference's fields
ROWS_SKIPPED = "rows_skipped"


def _applied(
    applied: ingest.Applied, report: dict[str, Any], meta: dict[str, Any], *, dry_run: bool, names: bool
) -> None:
    """Inside the transaction: who nobody matched; on a dry run, the contacts it would create and change
    by name [dry-run-names], then _DryRun rolls it all back."""
    report["unmatched_names"] = applied.unmatched
    # for the reference's row counts (`upload.ROWS_SKIPPED`, taken out of the meta before it is shown)
    meta[ROWS_SKIPPED] = applied.rows_skipped
    if dry_run:
        if names:
            meta["would_create"] = applied.would_create
            meta["would_update"] = applied.would_update
        raise _DryRun


def _after(ctx: Context, report: dict[str, Any], meta: dict[str, Any], *, dry_run: bool) -> Result:
    """After the transaction of a real import: the tier-1 identity pass over what it created."""
    if not dry_run:
        identity = ingest.after(ctx, report["contacts_created"])
        if identity is not None:
            meta["identity"] = identity
    return Result(report, meta)


def _nothing_importable(filename: str, fmt: Any, parsed: Any) -> BadRequest:
    """A file that yields no contact and no message is refused, never reported as a success."""
    left_out = getattr(parsed, "not_imported", [])
    reasons = [f"{counted(x.count, 'message')} not imported: {x.why}" for x in left_out]
    why = "; ".join([*reasons, *parsed.errors][:3])
    skipped = parsed.contacts_skipped + parsed.interactions_skipped
    detail = f" ({why})" if why else f" ({counted(skipped, 'row')} skipped by design)" if skipped else ""
    hint = next((x.hint for x in left_out if x.hint), None)
    if getattr(parsed, "me", None) is not None and not detail:
        detail = " (it only says who you are, and the `me` setting holds who you are already)"
        hint = hint or "pcrm settings show me; import the archive itself (its ZIP or folder) for its messages"
    return BadRequest(
        f"{filename}: nothing to import, read as {fmt.LABEL}{detail}",
        hint=hint or "check that this is the export you meant, or name its format with --format",
        details={
            "errors": list(parsed.errors),
            "skipped": skipped,
            "not_imported": [x.as_dict() for x in left_out],
        },
    )


def import_path(ctx: Context, path: str, **kwargs: Any) -> Result:
    """`pcrm import FILE`: read the file and import it."""
    p = Path(path).expanduser()
    if not p.exists():
        raise NotFound(f"no file at {p}", hint="check the path; e.g. pcrm import ~/Downloads/Connections.csv")
    if p.is_dir():
        named = formats().get(str(kwargs.get("format") or "").strip().lower())
        if not getattr(named, "DIRECTORY", False) and not any(
            getattr(f, "DIRECTORY", False) and f.detect(Input(b"", p.name, path=p))
            for f in formats().values()
        ):
            raise BadRequest(
                f"{p} is a folder; import one file at a time",
                hint="e.g. pcrm import ~/Downloads/Connections.csv (folders: a vdir of .vcf "
                "files, an unzipped X archive)",
            )
        return import_file(ctx, b"", p.name, path=p, **kwargs)
    try:
        fd, size = open_regular(p)  # [regular-files]: not /dev/zero, not a FIFO; at most its size
        os.close(fd)
    except OSError as exc:
        raise BadRequest(f"cannot read {p}: {exc.strerror}", hint="check the file's permissions") from None
    return import_file(ctx, b"", p.name, path=p, size=size, **kwargs)
