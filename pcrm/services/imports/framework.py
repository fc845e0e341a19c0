"""The import framework every format plugs into (D15).

The importer contract
---------------------
A format is a module (or any object) registered with `register()` that provides:

- `NAME`: the `--format` value (`csv`, `linkedin`, ...); `SOURCE`: the report's `source` and the
  `source` of the contacts it creates; `LABEL`: how to name the format in messages.
- `detect(inp: Input) -> bool`: True when the file is this format, from `inp.filename` and the
  content (`inp.head` bytes, `inp.text()`). Cheap; no database.
- `parse(inp: Input, opts: Options) -> Parsed`: read the WHOLE input without touching the store and
  return plain records: `ContactRecord`s (raw contact input, the keys `parse_contact` accepts),
  `InteractionRecord`s (each pointing at a contact record of the same file by index, or at a
  `Counterpart` to look up), and row errors as `"Row n: ..."` strings (n = the line the record starts
  on). Problems with the file as a whole (undecodable, truncated, missing columns) raise `BadRequest`
  naming the file and line.
- optionally `restore(ctx, inp, opts) -> Result`: a format that is a whole-store restore (JSON) takes
  over instead of the engine.

What the framework does with them (`run`):
1. decode and detect (`textio.decode`: UTF-8 with or without BOM, UTF-16/32 with a BOM, Windows-1252;
   binary files refused), then `parse`;
2. validate and normalise every contact record through `parse_contact` (D9); bad values are dropped
   with a row error, records with nothing to identify a person are refused with a row error;
3. `--strict`: any row error aborts before anything is written;
4. write everything in ONE transaction (`engine.Writer`): match each contact through the resolver
   (emails, platform ids), then phones, LinkedIn URL, then for rows with no email/phone/handle the
   normalised name + company; fill empty fields sync-style (never a user-edited protected field, new
   emails/phones/tags/identities appended); insert interactions idempotently by their refs; refresh
   scores; record the batch with a journal of what it changed, so `pcrm import undo` can revert it;
5. `--dry-run`: the same transaction, rolled back; the report says what would happen.

The result is the one `ImportReport` of D15 for every format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import Any, Protocol

from pcrm.errors import BadRequest

# progress(stage, done, total): called by the engine every few hundred rows (the CLI draws it)
ProgressFn = Callable[[str, int, int], None]


@dataclass
class Input:
    data: bytes
    filename: str
    _text: str | None = None
    path: Path | None = None  # where the file came from (CLI); a folder for formats with DIRECTORY

    @property
    def head(self) -> bytes:
        return self.data[:8192]

    def text(self) -> str:
        if self._text is None:
            from pcrm.services.imports.textio import decode

            self._text = decode(self.data, self.filename)
        return self._text

    @property
    def suffix(self) -> str:
        name = self.filename.lower()
        return name.rsplit(".", 1)[-1] if "." in name else ""


@dataclass
class Options:
    tz: tzinfo
    me: dict[str, list[str]]  # the `me` setting, overridden by --me
    phone_region: str | None = None
    dry_run: bool = False
    strict: bool = False
    me_given: bool = False  # --me was passed
    progress: ProgressFn | None = None
    second_tier: bool = True  # `telegram.sync_2nd_tier`: group members as 2nd-tier contacts


@dataclass
class ContactRecord:
    row: int
    data: dict[str, Any]  # parse_contact input
    fields: list[dict[str, Any]] = field(default_factory=list)  # contact_fields extras {kind, label, value}
    overwrite: frozenset[str] = frozenset()  # fields the source owns: a new value replaces an old one
    job_change: bool = False  # a new company/title records a job_change event (LinkedIn)
    create: bool = True  # create the contact when nobody matches
    where: str = ""  # member file inside an archive, for messages
    changes: dict[str, Any] | None = None  # filled by validation: the normalised input
    new_only: frozenset[str] = (
        frozenset()
    )  # keys applied only when the record creates a contact (2nd-tier tag)
    avatar: tuple[bytes, str] | None = (
        None  # image bytes and extension: saved as PCRM_HOME/avatars/<uuid>.<ext>
    )


@dataclass
class Counterpart:
    """The person on the other side of a message, when the file names them instead of listing them."""

    name: str | None = None
    linkedin_profile_id: str | None = None
    emails: list[str] = field(default_factory=list)


@dataclass
class InteractionRecord:
    row: int
    contact: int | Counterpart  # index into Parsed.contacts, or someone to look up
    platform: str
    direction: str
    occurred_at: str  # canonical UTC timestamp
    raw_reference_id: str
    content_preview: str | None = None
    extra_data: dict[str, Any] | None = None
    where: str = ""
    call_type: str | None = None  # phone | video (Telegram calls)
    duration_seconds: int | None = None


@dataclass
class Parsed:
    contacts: list[ContactRecord] = field(default_factory=list)
    interactions: list[InteractionRecord] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    contacts_skipped: int = 0  # rows skipped by design (e.g. Connections.csv rows with no name)
    interactions_skipped: int = 0  # messages skipped by design (no text, not yours)
    me: dict[str, list[str]] | None = None  # fill the `me` setting when empty (LinkedIn Profile.csv)

    def extend(self, other: Parsed) -> None:
        base = len(self.contacts)
        self.contacts += other.contacts
        for it in other.interactions:
            if isinstance(it.contact, int):
                it.contact += base
            self.interactions.append(it)
        self.errors += other.errors
        self.contacts_skipped += other.contacts_skipped
        self.interactions_skipped += other.interactions_skipped
        if other.me:
            self.me = other.me


class Format(Protocol):
    NAME: str
    SOURCE: str
    LABEL: str

    def detect(self, inp: Input) -> bool: ...

    def parse(self, inp: Input, opts: Options) -> Parsed: ...


def empty_report(source: str) -> dict[str, Any]:
    return {
        "source": source,
        "batch_id": None,
        "contacts_created": 0,
        "contacts_updated": 0,
        "contacts_skipped": 0,
        "interactions_created": 0,
        "interactions_skipped": 0,
        "errors": [],
        "unmatched_names": [],
    }


# ---------------------------------------------------------------- registry and detection

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
    _load_builtin()
    return {n: _FORMATS[n] for n in _ORDER}


_loaded = False


def _load_builtin() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    from pcrm.services.imports import (
        generic_csv,
        google_csv,
        json_restore,
        linkedin,
        linkedin_zip,
        outlook_csv,
        telegram,
        vcard,
        whatsapp,
        x_archive,
    )

    for mod in (
        json_restore,
        linkedin_zip,
        linkedin.Messages,
        linkedin.Connections,
        google_csv,
        outlook_csv,
        vcard,
        telegram,
        x_archive,
        whatsapp,
        generic_csv,
    ):
        register(mod)


def choose(inp: Input, name: str | None) -> Any:
    known = formats()
    if inp.path is not None and inp.path.is_dir():  # a folder: only formats that read folders
        known = {k: f for k, f in known.items() if getattr(f, "DIRECTORY", False)}
    if name:
        key = name.strip().lower()
        if key not in known:
            raise BadRequest(
                f"unknown import format {name!r}", hint="use one of: " + ", ".join(sorted(known))
            )
        return known[key]
    for fmt in known.values():
        if fmt.detect(inp):
            return fmt
    if inp.suffix in ("csv", "tsv") and "csv" in known:
        return known["csv"]  # the generic reader explains what is missing (columns, delimiter)
    raise BadRequest(
        f"cannot tell what kind of file {inp.filename} is",
        hint="name the format with --format (" + ", ".join(sorted(known)) + ")",
    )
