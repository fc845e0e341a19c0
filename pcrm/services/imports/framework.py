"""The import framework every format plugs into [import-report]: the registry of formats and how a file finds
its own.

A format fulfils the contract of `pcrm.formats.base` (NAME, SOURCE, LABEL, `detect`, `parse`); one
that is a whole-store restore (JSON) provides `restore(ctx, inp, opts) -> Result` instead, and takes
over from the engine.

What the framework does with a file (`import_file` in `__init__.py`):
1. decode and detect (`formats.textio.decode`: UTF-8 with or without BOM, UTF-16/32 with a BOM,
   Windows-1252; binary files refused), then `parse`;
2. validate and normalise every contact record through `parse_contact` [value-normalisation]; bad values are
dropped
   with a row error, records with nothing to identify a person are refused with a row error;
3. `--strict`: any row error aborts before anything is written;
4. write everything in ONE transaction (`engine.Writer`): match each contact on its emails, platform
   ids (a LinkedIn URL gives one) and phones when the names are compatible, queueing the pairs a key
   links under conflicting names [shared-keys]; a row with no email/phone/handle only when the tier-2
   scorer is sure or the contact already holds all it says [import-matching]; fill empty fields
   sync-style (never a user-edited protected field, new emails/phones/tags/identities appended, a
   differing value kept as an extra field); insert interactions idempotently by their refs; refresh
   scores; record the batch with a journal of what it changed, so `pcrm import undo` can revert it;
5. `--dry-run`: the same transaction, rolled back; the report says what would happen.

The result is the one `ImportReport` of [import-report] for every format (`pcrm.services.import_report`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pcrm.errors import BadRequest, ValidationError
from pcrm.formats import (
    generic_csv,
    google_csv,
    linkedin,
    linkedin_zip,
    outlook_csv,
    telegram,
    vcard,
    whatsapp,
    whatsapp_zip,
    x_archive,
)
from pcrm.formats.base import Input
from pcrm.services.exports import a_list
from pcrm.services.imports import json_restore

_FORMATS: dict[str, Any] = {}
# Detection order: the most specific formats first; the generic CSV last.
_ORDER: list[str] = []


def register(fmt: Any, *, before: str | None = None) -> None:
    """Add a format (a module with NAME, SOURCE, LABEL, detect, parse). `before` puts it ahead of
    another one in detection order (specific before generic)."""
    _FORMATS[fmt.NAME] = fmt
    if fmt.NAME in _ORDER:
        _ORDER.remove(fmt.NAME)
    if before and before in _ORDER:
        _ORDER.insert(_ORDER.index(before), fmt.NAME)
    else:
        _ORDER.append(fmt.NAME)


def formats() -> dict[str, Any]:
    """The registered formats by NAME, in detection order."""
    return {n: _FORMATS[n] for n in _ORDER}


for _fmt in (
    json_restore,
    linkedin_zip,
    whatsapp_zip,
    linkedin.Messages,
    linkedin.Connections,
    linkedin.Profile,
    google_csv,
    outlook_csv,
    vcard,
    telegram,
    x_archive,
    whatsapp,
    generic_csv,
):
    register(_fmt)


# what people call a format, for a --format the importer does not know [near-names]
_ALSO_CALLED = {"vcf": "vcard", "vcards": "vcard", "twitter": "x-archive", "x": "x-archive"}


def _near_formats(key: str, known: Mapping[str, Any]) -> list[str]:
    """The formats a --format name nobody has may mean: what it is also called (`vcf` is vcard), else the
    names a letter or two off (`linkdin`)."""
    import difflib

    also = _ALSO_CALLED.get(key)
    if also is not None and also in known:
        return [also]
    return difflib.get_close_matches(key, list(known), n=3, cutoff=0.75)


def _did_you_mean(key: str, known: Mapping[str, Any]) -> str:
    near = _near_formats(key, known)
    return f"did you mean {' or '.join(near)}? " if near else ""


def choose(inp: Input, name: str | None) -> Any:
    """The format named by `name` (--format), else the first that detects the file."""
    known = formats()
    if inp.path is not None and inp.path.is_dir():  # a folder: only formats that read folders
        known = {k: f for k, f in known.items() if getattr(f, "DIRECTORY", False)}
    if name:
        key = name.strip().lower()
        if key not in known:
            # the closest formats in the message itself, where a script reading `detail[0].msg` sees them;
            # the option only the command line has, so its loc is there [error-detail]
            near = _near_formats(key, known)
            err = ValidationError(
                f"unknown import format {name!r}"
                + (f"; {_did_you_mean(key, known).strip()}" if near else ""),
                field="format",
                hint="use one of: " + ", ".join(sorted(known)),
            )
            err.details["near"] = near
            raise err.on_command_line("--format")
        return known[key]
    for fmt in known.values():
        if fmt.detect(inp):
            return fmt
    if inp.suffix in ("csv", "tsv") and "csv" in known:
        return known["csv"]  # the generic reader explains what is missing (columns, delimiter)
    if json_restore.listed(inp):  # `pcrm contacts list --format json > l.json` [list-csv]
        raise a_list(inp.filename)
    if inp.suffix in ("ics", "ical", "ifb") or b"BEGIN:VCALENDAR" in inp.head[:1024].upper():
        raise BadRequest(  # no --format reads it: naming one would not help
            f"{inp.filename} is a calendar (iCalendar), not contacts or messages; pcrm imports no calendars",
            hint="export the people as a vCard (.vcf) from your address book and import that; "
            "pcrm export ics writes pcrm's own calendar",
        )
    raise BadRequest(
        f"cannot tell what kind of file {inp.filename} is",
        hint="name the format with --format (" + ", ".join(sorted(known)) + ")",
    )
