"""Uploads over the API [import-report]: POST /contacts/import/csv, /import/linkedin and
/import/linkedin-messages.

Each route takes one kind of CSV. The file's format is detected exactly as `pcrm import FILE` detects
it, then it must be a format the route takes: a LinkedIn messages.csv posted to /import/linkedin is a
400 naming the route that takes it, and so is anything that is not a CSV (binary files, ZIPs, vCards).
The import itself is `import_file`, so the report is the CLI's, byte for byte, except that its hints name the
upload's form fields where the parsers name the CLI's options (`--me` is the field `me`).
"""

from __future__ import annotations

import re
from typing import Any

from pcrm.errors import BadRequest, PcrmError, ValidationError
from pcrm.formats.base import Input
from pcrm.services.context import Context, Result
from pcrm.services.imports import import_file
from pcrm.services.imports.framework import formats
from pcrm.services.imports.run import ROWS_SKIPPED, options
from pcrm.store import imports as istore

PREFIX = "/api/v1/contacts/import/"
# route -> the formats it takes (first: the format assumed when detection finds nothing)
ROUTES: dict[str, tuple[str, ...]] = {
    "csv": ("csv", "google-csv", "outlook-csv"),
    "linkedin": ("linkedin",),
    "linkedin-messages": ("linkedin-messages",),
}


# the options of `pcrm import` an upload takes as form fields of the same name (FORM_HELP in the route);
# a value after one (`--me 'Ana'`, `--format csv`) is the field's
_FLAG = re.compile(r"--(me|tz|date-order|map|format)\b( (?=['\"])| (?=[a-z][\w-]*\b))?")
_SWITCH = re.compile(r"--(strict|dry-run)\b")  # on/off options: the field set to true


def _formats() -> set[str]:
    return {n for names in ROUTES.values() for n in names} | set(formats())


def _form_fields(hint: str | None) -> str | None:
    """A parser's hint (or message) as the upload takes it: `--me 'Ana'` is `me='Ana'`, `--format csv`
    `format=csv`, `--strict` `strict=true`, a bare `--me` the form field `me` [error-detail]."""
    if not hint:
        return hint

    def field(m: re.Match[str]) -> str:
        name = m.group(1).replace("-", "_")
        after = m.string[m.end() :]
        # a quoted value, or a format's name after --format ("--tz is..." is prose, not a value)
        word = after.split()[0].rstrip(".,;:)") if m.group(2) else ""
        valued = m.group(2) and (after[:1] in "'\"" or (name == "format" and word in _formats()))
        return f"{name}=" if valued else f"the form field `{name}`" + (" " if m.group(2) else "")

    hint = _SWITCH.sub(lambda m: f"{m.group(1).replace('-', '_')}=true", hint)
    return _FLAG.sub(field, hint)


# a message that begins with the option it refuses ("--map 'Vorname' is not COLUMN=FIELD")
_LEADING_FLAG = re.compile(r"^--(me|tz|date-order|map|format)\b")


def _form_field_message(message: str) -> str:
    """A refusal's message as the upload was sent: `--map X ...` is `map X ...`, the form field's name; an
    option named further on as _form_fields names it ("nothing was imported (strict=true)")."""
    return _form_fields(_LEADING_FLAG.sub(lambda m: m.group(1).replace("-", "_"), message, count=1)) or ""


def _as_sent(exc: PcrmError) -> PcrmError:
    """A refused upload in the form's terms: its message, hint and what it lists as left out name the form
    fields, and a refused option (`--me`, as the CLI's parsers name it) is the field `me`, at ["body", "me"]
    [error-detail]."""
    exc.hint = _form_fields(exc.hint)
    exc.message = _form_field_message(exc.message)
    if exc.details.get("not_imported"):
        exc.details["not_imported"] = [
            {**x, "hint": _form_fields(x.get("hint"))} for x in exc.details["not_imported"]
        ]
    if isinstance(exc, ValidationError):
        fields = exc.details.get("fields") or []
        for f in fields:
            f["field"] = _LEADING_FLAG.sub(lambda m: m.group(1).replace("-", "_"), f["field"], count=1)
            f["message"] = _form_field_message(f["message"])
        exc.kinds = {
            _LEADING_FLAG.sub(lambda m: m.group(1).replace("-", "_"), k): v for k, v in exc.kinds.items()
        }
    return exc


def _with_form_fields(report: dict[str, Any]) -> dict[str, Any]:
    """`report` with the hints of what it left out naming form fields (see _form_fields)."""
    left = report.get("interactions_not_imported")
    if not left:
        return report
    return {**report, "interactions_not_imported": [{**x, "hint": _form_fields(x.get("hint"))} for x in left]}


def _format_named(route: str, format: str | None) -> str | None:
    """The `format` form field, checked: one of the formats this route takes, in any case (None: not
    given, the file's format is detected)."""
    if format is None or not str(format).strip():
        return None
    name = str(format).strip().lower()
    takes = ROUTES[route]
    if name in takes:
        return name
    right = route_for(name)
    where = f"; a {name} file goes to POST {right}" if right else ""
    raise ValidationError(
        f"this route does not import the format {format!r}",
        field="format",
        hint=f"use one of: {', '.join(takes)}, or leave format out to have the file's format found{where}",
    )


def route_for(fmt: str) -> str | None:
    """The upload route that takes this format, if any."""
    return next((PREFIX + r for r, names in ROUTES.items() if fmt in names), None)


def import_upload(
    ctx: Context,
    route: str,
    data: bytes,
    filename: str,
    *,
    dry_run: bool = False,
    strict: bool = False,
    tz: str | None = None,
    me: str | list[str] | None = None,
    date_order: str | None = None,
    columns: list[str] | None = None,
    format: str | None = None,
) -> Result:
    """Import an uploaded file through the route `route` ("csv", "linkedin" or "linkedin-messages");
    `date_order` and `columns` are the CLI's --date-order and --map, `format` its --format: one of the
    formats the route takes (the file is then read as it, not detected)."""
    takes = ROUTES[route]
    named = _format_named(route, format)
    try:  # the options first, before the file is read: a bad one is a 422 whatever the file holds
        options(ctx, tz=tz, me=me, date_order=date_order, columns=columns)
    except PcrmError as exc:
        raise _as_sent(exc) from None
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip() or "upload.csv"
    if not data:
        raise BadRequest(f"{name} is empty", hint="send the file in the multipart field `file`")
    inp = Input(data=data, filename=name)
    known = formats()
    # detection as `pcrm import FILE` does it (binary or undecodable input is refused here, naming the
    # line); when nothing recognises the file, the route's own reader explains what is missing
    fmt: Any = (
        known[named] if named else next((f for f in known.values() if f.detect(inp)), None) or known[takes[0]]
    )
    if fmt.NAME not in takes:
        right = route_for(fmt.NAME)
        details: dict[str, Any] = {"format": fmt.NAME, "route": right}
        if right:
            raise BadRequest(
                f"{name} is {fmt.LABEL}; this route imports {_what(route)}: post it to {right}",
                hint=f"POST {right}, or `pcrm import {name}`",
                details=details,
            )
        raise BadRequest(
            f"{name} is {fmt.LABEL}, not a CSV this route imports ({_what(route)})",
            hint=f"import it with `pcrm import {name}`",
            details=details,
        )
    try:
        result = import_file(
            ctx,
            data,
            name,
            format=fmt.NAME,
            dry_run=dry_run,
            strict=strict,
            tz=tz,
            me=me,
            date_order=date_order,
            columns=columns,
        )
    except PcrmError as exc:
        raise _as_sent(exc) from None
    rows_skipped = result.meta.pop(ROWS_SKIPPED, 0)
    result.data = _with_form_fields(
        {**result.data, **_reference_fields(ctx, route, result.data, rows_skipped)}
    )
    return result


def with_reference_fields(ctx: Context, result: Result) -> Result:
    """`pcrm import FILE --json` prints the envelope of the API operation that takes the file's format
    (cli.md): the report plus that route's reference fields, the very ones an upload adds. A format no
    route takes (vCard, chats, archives) is CLI only: its report alone."""
    rows_skipped = result.meta.pop(ROWS_SKIPPED, 0)
    right = route_for(str(result.meta.get("format") or ""))
    if right is not None and "contacts_created" in result.data:
        route = right.removeprefix(PREFIX)
        result.data = {**result.data, **_reference_fields(ctx, route, result.data, rows_skipped)}
    return result


def _reference_fields(ctx: Context, route: str, report: dict[str, Any], rows_skipped: int) -> dict[str, Any]:
    """The reference's result fields for the route, beside the ImportReport [import-report], so clients
    written for it show the counts: csv `created` (the contacts, {id, full_name}; [] on a dry run, which
    keeps nothing); linkedin `created` and `skipped`, rows as the reference counts them (each row makes a
    contact or is skipped: matched to one, folded into one an earlier row made, or skipped by design;
    `rows_skipped`); linkedin-messages `new_interactions`, `skipped` and `unmatched`."""
    if route == "csv":
        made = istore.created_contacts(ctx.conn, report["batch_id"]) if report.get("batch_id") else []
        return {"created": made}
    if route == "linkedin":
        return {"created": report["contacts_created"], "skipped": rows_skipped}
    return {
        "new_interactions": report["interactions_created"],
        "skipped": report["interactions_skipped"],
        "unmatched": len(report["unmatched_names"]),
    }


def _what(route: str) -> str:
    known = formats()
    return " or ".join(known[n].LABEL for n in ROUTES[route])
