"""Exports: lossless JSON [lossless-export] and contacts CSV; `pcrm export FORMAT [--output FILE]`.

A format is a function `(ctx) -> Iterator[bytes]` registered in EXPORTERS with its file suffix, so
vCard and ICS exporters plug in with `register("vcard", fn, "vcf")`.

The JSON export is [canonical-json] canonical form with a format version:

    {"exported_at": ..., "format": "pcrm-export", "pcrm_version": ..., "tables": {
      "contacts": {"columns": [...], "rows": [
        [...],
      ]}, ...}, "version": 1}

Keys sorted, one row per line, rows in insertion (rowid) order, public UUIDs instead of integer keys.
Secrets are never included [secret-store]: no account, token or pairing tables, no secret settings.
`pcrm import FILE --format json` restores it into an empty store.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from pcrm import __version__, paths
from pcrm.domain.records import ContactField, not_same_as_field, pcrm_id_of
from pcrm.domain.settings import REGISTRY
from pcrm.domain.wording import counted
from pcrm.errors import BadRequest, Conflict, NotFound, ValidationError
from pcrm.formats import generic_csv, own_columns
from pcrm.formats.textio import list_cell
from pcrm.serialize import dumps, loads
from pcrm.services import phones, tags
from pcrm.services.context import Context, Result
from pcrm.services.import_report import empty_report
from pcrm.store import contacts as cstore
from pcrm.store import exports as store
from pcrm.store import identity as idstore
from pcrm.store import vcards as vstore
from pcrm.store.backup import auto_backup
from pcrm.store.db import StoreError, write

FORMAT = "pcrm-export"
VERSION = 1
Exporter = Callable[..., Iterator[bytes]]  # (ctx, **options) -> chunks
EXPORTERS: dict[str, tuple[Exporter, str]] = {}
# how many contacts a format that writes only some of them (the calendar: those with an event) wrote
COUNTERS: dict[str, Callable[[Context], int]] = {}
# how many events a format of events (the calendar) wrote, beside its contacts [calendar-counts]
EVENT_COUNTERS: dict[str, Callable[[Context], int]] = {}


def register(
    name: str,
    fn: Exporter,
    suffix: str,
    *,
    count: Callable[[Context], int] | None = None,
    events: Callable[[Context], int] | None = None,
) -> None:
    """Add an export format; `count` for one that does not write every contact, so its summary says how
    many it did; `events` for one that writes events, so its summary says how many of those too."""
    EXPORTERS[name] = (fn, suffix)
    if count is not None:
        COUNTERS[name] = count
    if events is not None:
        EVENT_COUNTERS[name] = events


def _secret_settings() -> set[str]:
    return {k for k, s in REGISTRY.items() if s.secret}


# ---------------------------------------------------------------- JSON


def json_chunks(ctx: Context) -> Iterator[bytes]:
    conn = ctx.conn
    secret = _secret_settings()
    with store.snapshot(conn):  # one consistent read of every table
        yield (
            b'{"exported_at":'
            + dumps(ctx.now_iso())
            + b',"format":'
            + dumps(FORMAT)
            + b',"pcrm_version":'
            + dumps(__version__)
            + b',"tables":{'
        )
        for n, table in enumerate(store.tables(conn)):
            cols = store.export_columns(conn, table)
            yield (b"," if n else b"") + b"\n" + dumps(table) + b':{"columns":' + dumps(cols) + b',"rows":['
            first = True
            buf: list[bytes] = []
            for row in store.dump_rows(conn, table):
                if table == "settings" and row[cols.index("key")] in secret:
                    continue
                buf.append((b"\n" if first else b",\n") + dumps(row))
                first = False
                if len(buf) >= 5000:
                    yield b"".join(buf)
                    buf = []
            buf.append(b"]}")
            yield b"".join(buf)
        # the photos after the tables: at the head they pushed "format" past the bytes an import reads to
        # tell a pcrm export from other JSON [lossless-export]
        yield b'},"avatars":{'
        for n, item in enumerate(_avatar_items(conn)):  # one photo at a time, never all in memory
            yield (b",\n" if n else b"\n") + item
        yield b'},"version":' + dumps(VERSION) + b"}\n"


def _avatar_items(conn: Any) -> Iterator[bytes]:
    """The contacts' photos as `"<file name>":"<base64>"` members, sorted by name: the files in
    PCRM_HOME/avatars the contacts' avatar_url name (a file gone from the folder is left out)."""
    import base64

    names = sorted({n for url in store.avatar_urls(conn) if (p := paths.avatar_path(url)) and (n := p.name)})
    for name in names:
        try:
            blob = (paths.avatars_dir() / name).read_bytes()
        except OSError:
            continue
        yield dumps(name) + b":" + dumps(base64.b64encode(blob).decode("ascii"))


def _avatars_of(doc: dict[str, Any], filename: str) -> dict[str, bytes]:
    """The photos a JSON export carries (none in an export an older pcrm wrote), checked before anything is
    written: a name that is no plain file name, or a value that is no base64, refuses the file."""
    import base64
    import binascii

    avatars = doc.get("avatars") or {}
    if not isinstance(avatars, dict):
        raise BadRequest(f"{filename}: its avatars are not a list of files", hint="the export is damaged")
    out = {}
    for name, value in avatars.items():
        path = paths.avatar_path(paths.AVATAR_URL_PREFIX + str(name))
        try:
            blob = base64.b64decode(value, validate=True) if isinstance(value, str) else None
        except (binascii.Error, ValueError):
            blob = None
        if path is None or blob is None:
            raise BadRequest(f"{filename}: the photo {str(name)[:80]!r} is damaged", hint="export it again")
        out[path.name] = blob
    return out


def restore_json(ctx: Context, data: bytes, filename: str) -> Result:
    """Load a JSON export into an EMPTY store (backup first, [automatic-backups]), in one transaction."""
    # millions of freshly parsed rows are no garbage: keep the cyclic collector from rescanning them
    gc_was = gc.isenabled()
    gc.disable()
    try:
        return _restore(ctx, data, filename)
    finally:
        if gc_was:
            gc.enable()


# the tables that make a store not empty (store.exports.is_empty), as the refusal counts them
_HELD = {
    "contacts": ("contact", "contacts"),
    "organizations": ("organization", "organizations"),
    "interactions": ("interaction", "interactions"),
    "import_batches": ("import batch", "import batches"),
    "notifications": ("notification", "notifications"),
    "sync_runs": ("sync run", "sync runs"),
}


def listed_lines(data: bytes) -> bool:
    """Whether the file is a list's `--format nl`: one JSON object a line, the first with a pcrm `id`."""
    first = data.lstrip()[:100_000].split(b"\n", 1)[0]
    try:
        row = loads(first)
    except Exception:
        return False
    return isinstance(row, dict) and pcrm_id_of(str(row.get("id") or "")) is not None


def a_list(filename: str) -> BadRequest:
    """A list written with --format json or nl, given to the import (as --format json, or found as such
    without a --format) [list-csv]."""
    return BadRequest(
        f"{filename} is a pcrm list (--format json or nl), which pcrm does not import",
        hint="write contacts to import with `pcrm export csv`, or the whole store with `pcrm export json`",
    )


def _restore(ctx: Context, data: bytes, filename: str) -> Result:
    try:
        doc = loads(data)
    except Exception as exc:
        if listed_lines(data):
            raise a_list(filename) from None
        raise BadRequest(
            f"{filename} is not valid JSON ({exc})", hint="pick a file written by `pcrm export json`"
        ) from None
    if isinstance(doc, dict) and "format" not in doc and isinstance(doc.get("data"), list):
        raise a_list(filename)  # `--format json`'s envelope [list-csv]
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("tables"), dict):
        raise BadRequest(
            f"{filename} is not a pcrm JSON export", hint="pick a file written by `pcrm export json`"
        )
    if doc.get("version") != VERSION:
        raise BadRequest(
            f"{filename} is export format version {doc.get('version')}; this pcrm reads version {VERSION}",
            hint="upgrade pcrm to import it",
        )
    conn = ctx.conn
    busy = store.is_empty(conn)
    if busy:
        what = ", ".join(counted(n, *_HELD[t]) if t in _HELD else f"{n} {t}" for t, n in busy.items())
        raise Conflict(
            f"a JSON export only restores into an empty store; this one holds {what}",
            hint="point PCRM_HOME at an empty folder, e.g. PCRM_HOME=~/pcrm-restored pcrm import FILE",
        )
    known = set(store.tables(conn))
    unknown = sorted(set(doc["tables"]) - known)
    if unknown:
        raise BadRequest(
            f"{filename} has tables this pcrm does not know: {', '.join(unknown)}",
            hint="upgrade pcrm to import it",
        )
    for table, body in doc["tables"].items():
        cols = body.get("columns") if isinstance(body, dict) else None
        if not isinstance(cols, list) or not isinstance(body.get("rows"), list):
            raise BadRequest(f"{filename}: table {table} has no columns/rows", hint="the export is damaged")
        missing = sorted(set(cols) - set(store.export_columns(conn, table)))
        if missing:
            raise BadRequest(
                f"{filename}: table {table} has columns this pcrm does not know: {', '.join(missing)}",
                hint="upgrade pcrm to import it",
            )
        bad = next(
            (n for n, r in enumerate(body["rows"], 1) if not isinstance(r, list) or len(r) != len(cols)), 0
        )
        if bad:
            raise BadRequest(
                f"{filename}: row {bad} of table {table} is not a list of {len(cols)} values; "
                "nothing was imported",
                hint="the export is damaged: export it again from the store it came from",
            )
    avatars = _avatars_of(doc, filename)
    backup = auto_backup(conn, reason="before-import-json")
    try:
        counts = _load_tables(ctx, doc["tables"], filename)
    except BaseException:
        # refused or interrupted, the transaction rolled back: the store is as the backup has it, and a
        # backup of an import that never happened is only clutter in backups/ [automatic-backups]
        backup.unlink(missing_ok=True)
        raise
    for name, blob in avatars.items():  # the rows are in: their photos beside them [lossless-export]
        paths.write_private(paths.avatars_dir() / name, blob)
    report = empty_report("json")
    report["contacts_created"] = counts.get("contacts", 0)
    report["interactions_created"] = counts.get("interactions", 0)
    return Result(report, {"tables": counts, "avatars": len(avatars), "backup": str(backup)})


def _load_tables(ctx: Context, tables: dict[str, Any], filename: str) -> dict[str, int]:
    """Insert a checked export's tables in one transaction; the rows written per table. A row the store
    refuses rolls the whole restore back (BadRequest)."""
    conn = ctx.conn
    counts: dict[str, int] = {}
    maps: dict[str, dict[str, int]] = {}
    parents = store.referenced_tables(conn, list(tables))
    try:
        with write(conn):
            upkeep = store.DeferredUpkeep(conn)
            for table in store.restore_order(conn, list(tables)):
                body = tables[table]
                rows = body["rows"]
                store.insert_rows(conn, table, body["columns"], rows, maps)
                counts[table] = len(rows)
                if rows and table in parents:
                    maps[table] = store.uuid_map(conn, table)
            upkeep.finish()
            # an export written by an older pcrm holds phone values and tags in that release's form
            phones.normalise_all(ctx)
            tags.compose_all(ctx)
    except (StoreError, TypeError) as exc:  # TypeError: a value SQLite cannot store (a JSON object or list)
        raise BadRequest(
            f"{filename} does not fit the store ({exc}); nothing was imported",
            hint="the export is damaged or from another program",
        ) from None
    return counts


# ---------------------------------------------------------------- CSV

# The generic CSV dialect's own columns (what its import reads), framed by the id and the creation time
# and the contact's extra fields (contact_fields: the values imports and merges kept aside), one a line;
# before the creation time the identities no column holds and the fields typed by hand (own_columns)
# (`generic_csv.OWN_HEADER`: the header by which an import knows the file for pcrm's own [own-exports])
CSV_COLUMNS: tuple[str, ...] = generic_csv.OWN_HEADER
_PHOTO = CSV_COLUMNS.index("avatar_url")


def not_same_as_fields(ctx: Context) -> dict[str, list[ContactField]]:
    """contact uuid -> an `X-PCRM-NOT-SAME-AS` line for each contact the user said it is not, as the CSV's
    extra_fields cell and the vCard write them: a restore or a move from the file keeps the answers, where
    it asked them all again [kept-apart]."""
    return {c: [not_same_as_field(o) for o in others] for c, others in idstore.not_same_as(ctx.conn).items()}


def selected(ctx: Context, filters: Mapping[str, Any] | None) -> frozenset[str] | None:
    """The ids of the contacts an export's filters select (`--tag work`, the contact list's filters
    [contact-list]); None without filters: every contact."""
    if not filters:
        return None
    from pcrm.services import contacts

    found = contacts.contact_ids(ctx, filters)
    ids = found.data
    if not ids and (refused := contacts.no_tag_error(ctx, filters)):
        raise refused  # a tag nobody has writes no empty file [unknown-tags]
    if not ids and (hidden := found.meta.get("archived_matches")):
        # only archived contacts match: said as the contact list says it, and no empty file [archived-exports]
        raise NotFound(
            f"no contacts match, but {counted(hidden, 'archived contact')} {'does' if hidden == 1 else 'do'}",
            hint=f"add --include-archived to export {'it' if hidden == 1 else 'them'} (or --archived-only)",
            details={"archived_matches": hidden},
        )
    return frozenset(ids)


def archived_left_out(ctx: Context, filters: Mapping[str, Any] | None) -> int:
    """How many archived contacts an export's filters matched but left out, as the contact list leaves them
    out unless asked for (0 without filters: every contact is exported, archived ones too)
    [archived-exports]."""
    if not filters:
        return 0
    from pcrm.services import contacts

    return contacts.archived_matches(ctx, contacts.contact_filter(ctx, filters))


def archived_meta(hidden: int) -> dict[str, Any]:
    """An export's meta naming the archived contacts its filters left out (none: nothing)
    [archived-exports]."""
    return {"archived_left_out": hidden} if hidden else {}


def _photo_cell(url: object) -> str | None:
    """A photo as the CSV holds it [csv-photos]: its web address; none for a photo pcrm keeps as a file
    (`/static/avatars/...`), which no other store holds (the summary counts those: photos_left_out)."""
    return None if not isinstance(url, str) or paths.avatar_path(url) is not None else url


def photos_left_out(ctx: Context, only: frozenset[str] | None) -> int:
    """How many of the contacts a CSV export writes have a photo pcrm keeps as a file, which the CSV cannot
    hold [csv-photos]."""
    held = store.file_photos(ctx.conn, paths.AVATAR_URL_PREFIX)
    return len(held) if only is None else sum(1 for c in held if c in only)


def _cell(column: str, value: object) -> str:
    """One value of a CSV row. The emails are joined unquoted: an address holds no ';' nor '"' (a value stored
    before that rule, `"x@y.org"` or `<x@y.org>`, is written as stored), and the import splits an emails cell
    by split_addresses, which reads a quoted name as part of its value, not list_cell's quotes
    [not-an-address]. A stored value holding ',' or ';' (an older pcrm's `x;y@z.org`) is written in quotes,
    so the import keeps it whole (aside, as no address) instead of reading a made-up `y@z.org` out of it."""
    if isinstance(value, list):
        if column != "emails":
            return list_cell(value)
        return "; ".join(f'"{e}"' if ("," in e or ";" in e) and '"' not in e else e for e in value)
    return "" if value is None else str(value)


def _own_cells(c: Mapping[str, Any], identities: list[tuple[str, str]]) -> dict[str, str]:
    """A contact's `identities` and `edited_fields` cells [own-exports]: every platform identity it holds
    but the one a column of the file shows (a second Telegram id a merge brought included), and the fields
    the user typed by hand, which an import into another store keeps protected."""
    return {
        own_columns.IDENTITY_COLUMN: own_columns.identities_cell(identities, c, CSV_COLUMNS),
        own_columns.EDITED_COLUMN: own_columns.edited_cell(c),
    }


def csv_chunks(
    ctx: Context, *, escape_formulas: bool = True, only: frozenset[str] | None = None
) -> Iterator[bytes]:
    """One row per contact with the generic CSV import's column names (lists joined by '; ', a value holding
    ';' or '"' quoted: textio.list_cell; emails never: _cell); `only`: just these contact ids.

    escape_formulas: a cell a spreadsheet would run as a formula gets a leading apostrophe [csv-formulas]
    (the generic CSV import takes it off again); False writes every cell as stored, for machine use."""
    safe = generic_csv.spreadsheet_safe if escape_formulas else str
    conn = ctx.conn
    ids = cstore.ids_by_created(conn)
    apart = not_same_as_fields(ctx)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    # csv quotes a value holding the line terminator but not a lone carriage return, which readers take for
    # a row's end: such a row is written with every value quoted
    quoted = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL)
    w.writerow(CSV_COLUMNS)
    for i in range(0, len(ids), 1000):
        fields = vstore.fields_by_contact(conn, ids[i : i + 1000])
        identities = vstore.identities_by_contact(conn, ids[i : i + 1000])
        for c in cstore.fetch_contacts(conn, ids[i : i + 1000]):
            if only is not None and c["id"] not in only:
                continue
            extra = generic_csv.fields_cell([*fields.get(c["id"], []), *apart.get(c["id"], [])])
            own = _own_cells(c, identities.get(c["id"], []))
            values = [own[k] if k in own else c.get(k) for k in CSV_COLUMNS[:-1]] + [extra]
            values[_PHOTO] = _photo_cell(values[_PHOTO])
            row = [safe(_cell(k, v)) for k, v in zip(CSV_COLUMNS, values, strict=True)]
            (quoted if any("\r" in v for v in row) else w).writerow(row)
        yield buf.getvalue().encode("utf-8")
        buf.seek(0)
        buf.truncate()
    if buf.tell():
        yield buf.getvalue().encode("utf-8")


register("json", json_chunks, "json")
register("csv", csv_chunks, "csv")


# ---------------------------------------------------------------- the command


def output_file(ctx: Context, output: str, suffix: str, *, replace: bool = False) -> Path:
    """The file an export asked to go to `output` is written to: that file, or in an existing folder a new
    timestamped one. Never one of the store's own files (an export over `pcrm.db` replaced the whole CRM
    with it); an existing file only with `replace`, which the CLI sets once the user agreed or gave --yes
    [confirm-destructive]. A device or pipe (`/dev/stdout`) is written into, not replaced."""
    path = Path(output).expanduser()
    if path.is_dir():
        path = _fresh(path / f"pcrm-{ctx.now().strftime('%Y%m%d-%H%M%S')}.{suffix}")
    if paths.is_store_file(path):
        raise BadRequest(
            f"{path} is part of the pcrm store itself; writing an export there would destroy the store",
            hint=f"pick a file outside it, e.g. --output {paths.exports_dir() / ('pcrm.' + suffix)}",
        )
    if not path.parent.exists():
        raise NotFound(f"no folder {path.parent}", hint="create it first, or pick another --output")
    if path.is_file() and not replace:
        raise Conflict(f"{path} already exists", hint="add --yes to replace it, or pick another --output")
    return path


def _fresh(path: Path) -> Path:
    """`path`, or `NAME-2.suffix`, `NAME-3.suffix`, ... when it exists: two exports into one folder in the
    same second both stay."""
    n = 1
    candidate = path
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


def _stream(chunks: Iterable[bytes], out: IO[bytes]) -> int:
    """Write the chunks to an open stream; the bytes written."""
    written = 0
    # closed here, whatever happens: a reader that goes away (`| head`) raises BrokenPipeError in write(),
    # and the writer's read transaction must end before the store closes, not at some later garbage
    # collection (which printed a traceback)
    with contextlib.closing(iter(chunks)) as it:  # type: ignore[type-var]
        for chunk in it:
            out.write(chunk)
            written += len(chunk)
        out.flush()
    return written


def write_chunks(
    ctx: Context,
    chunks: Iterable[bytes],
    *,
    output: str | None,
    suffix: str,
    stream: IO[bytes] | None = None,
    replace: bool = False,
) -> tuple[Path | None, int]:
    """Write an export's chunks to `output` (see output_file) or to `stream` (default stdout); (the file
    written, bytes).

    A file is written beside itself as `NAME.part` and renamed when complete, so an interrupted export
    never leaves a truncated file under the real name."""
    if not output:
        return None, _stream(chunks, stream if stream is not None else sys.stdout.buffer)
    path = output_file(ctx, output, suffix, replace=replace)
    if path.exists() and not path.is_file():  # a device or a pipe
        with path.open("wb") as fh:
            return path, _stream(chunks, fh)
    written = 0
    tmp = path.with_name(path.name + ".part")
    try:
        with os.fdopen(paths.open_private(tmp), "wb") as fh:  # [private-files]: the whole store, 0600
            for chunk in chunks:
                fh.write(chunk)
                written += len(chunk)
        tmp.replace(path)
    except OSError as exc:
        raise cannot_write(path, exc) from None
    finally:
        tmp.unlink(missing_ok=True)
    return path, written


def cannot_write(path: Path, exc: OSError) -> BadRequest:
    """An export's file (or folder) the file system refused: a folder this user may not write, a full
    disk. Said as `pcrm db backup` says it, nothing left behind, instead of a traceback [store-failures]."""
    why = exc.strerror or str(exc)
    return BadRequest(
        f"cannot write the export to {path}: {why}",
        hint="choose a folder you can write to with --output, or leave --output out to print it",
    )


def export(
    ctx: Context,
    fmt: str,
    *,
    output: str | None = None,
    stream: IO[bytes] | None = None,
    filters: Mapping[str, Any] | None = None,
    replace: bool = False,
    **options: object,
) -> Result:
    """Write an export to `output` (a file, or a new one in a folder; an existing file only with
    `replace`) or to `stream` (stdout).
    `options` go to the format's writer (csv: escape_formulas). `filters` (csv only: JSON is the whole
    store, lossless) select contacts as the contact list does [daily-output], archived ones only when they
    ask for them; meta.archived_left_out counts the archived contacts they matched but left out
    [archived-exports]."""
    key = (fmt or "").strip().lower()
    if key not in EXPORTERS:
        raise ValidationError(
            f"unknown export format {fmt!r}",
            field="format",
            hint="use one of: " + ", ".join(sorted(EXPORTERS)),
        )
    fn, suffix = EXPORTERS[key]
    only = None
    if filters:
        if key != "csv":
            raise ValidationError(
                f"the {key} export is the whole store; filters work with csv and vcard",
                field="filters",
                hint="e.g. pcrm export csv --tag work, or pcrm contacts list --tag work --all --json",
            )
        only = selected(ctx, filters)
        options = {**options, "only": only}
    hidden = archived_left_out(ctx, filters)
    # the file and the count it reports are read in one snapshot [lossless-export]: a write landing during a
    # long export is in neither, never half in the file (the selection is made before: it may catch up scores)
    with store.snapshot(ctx.conn):
        path, written = write_chunks(
            ctx, fn(ctx, **options), output=output, suffix=suffix, stream=stream, replace=replace
        )
        count = _written_contacts(ctx, key, only)
        data = {"format": key, "path": str(path) if path else None, "bytes": written, "contacts": count}
        if key in EVENT_COUNTERS:
            data["events"] = EVENT_COUNTERS[key](ctx)
        if key == "csv":  # the photos the file cannot carry, said [csv-photos]
            data["photos_left_out"] = photos_left_out(ctx, only)
    return Result(data, archived_meta(hidden))


def _written_contacts(ctx: Context, key: str, only: frozenset[str] | None) -> int:
    """The contacts an export wrote: those selected, else those its format writes, else every contact."""
    if only is not None:
        return len(only)
    counter = COUNTERS.get(key)
    return counter(ctx) if counter is not None else cstore.count(ctx.conn)
