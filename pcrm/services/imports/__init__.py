"""Imports [import-report]: one entry point for every format, plus history and undo.

`import_file(ctx, data, filename, ...)` is what the API's upload routes call with the uploaded bytes;
`import_path` is the CLI's `pcrm import FILE`. Both return the one ImportReport of [import-report]. The
parsers and the contract they fulfil are in `pcrm.formats`; the registry and the steps of an import are
described in `framework.py`, the run itself is `run.py`, history and undo are `batches.py`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from pcrm.services.context import Context, Result
from pcrm.services.imports.batches import history, undo, undo_target

if TYPE_CHECKING:
    from pcrm.formats.base import ProgressFn

__all__ = ["history", "import_file", "import_path", "undo", "undo_target"]


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
) -> Result:
    """Import one file's bytes (CLI and API uploads alike). Returns the ImportReport [import-report]."""
    # lazy: `pcrm import history`/`undo` load this package too; parsers and engine would add ~100 ms
    from pcrm.services.imports import run

    return run.import_file(
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
    )


def import_path(ctx: Context, path: str, **kwargs: Any) -> Result:
    """`pcrm import FILE`: read the file (or a folder a format reads) and import it; the report carries
    the reference fields of the upload route that takes its format, as the API's answer does."""
    # lazy: as in import_file
    from pcrm.services.imports import run, upload

    return upload.with_reference_fields(ctx, run.import_path(ctx, path, **kwargs))
