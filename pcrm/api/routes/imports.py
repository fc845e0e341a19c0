"""File imports over the API [import-report]: multipart uploads answering the CLI's ImportReport; the CLI's
`pcrm import FILE` covers every format. Bodies over the daemon's limit (10 MB) are 413 before this runs."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import UploadFile

from pcrm.api import responses
from pcrm.api import schemas as s
from pcrm.api.declare import Call, op, target_name
from pcrm.domain.query import truth
from pcrm.errors import BadRequest
from pcrm.services.imports.upload import import_upload

T = "imports"
FORM_HELP = (
    "multipart/form-data with the file in `file` (a part with a filename) and, optionally, dry_run, "
    "strict, tz, me (repeatable), date_order, map (repeatable, COLUMN=FIELD) and format (one of the "
    "route's formats; default: found from the file) as `pcrm import FILE` takes them. A file of another kind "
    "is 400."
)


def upload(route: str) -> Any:
    """A handler for POST /contacts/import/<route>: read the upload, call imports.upload.import_upload."""

    async def handler(request: Any, call: Call) -> Any:
        form = await request.form()  # parsed (and its text fields validated) by the dispatcher already
        files = [v for k, v in form.multi_items() if k == "file" and isinstance(v, UploadFile)]
        if len(files) != 1:
            raise BadRequest(
                "send exactly one file, as multipart/form-data in the field `file`",
                hint="e.g. curl -F file=@Connections.csv -H 'Authorization: Bearer TOKEN' URL",
            )
        data = await files[0].read()
        filename = files[0].filename or ""
        fields = call.body or {}
        # form fields: an error's loc is ["body", field] [error-detail]
        dry_run = bool(truth(fields.get("dry_run"), "dry_run"))
        strict = bool(truth(fields.get("strict"), "strict"))
        me = [v for k, v in form.multi_items() if k == "me" and isinstance(v, str) and v.strip()] or None
        columns = [
            v for k, v in form.multi_items() if k == "map" and isinstance(v, str) and v.strip()
        ] or None
        date_order = fields.get("date_order") or None

        def run(ctx: Any) -> Any:
            return import_upload(
                ctx,
                route,
                data,
                filename,
                dry_run=dry_run,
                strict=strict,
                tz=fields.get("tz") or None,
                me=me,
                date_order=date_order,
                columns=columns,
                format=fields.get("format") or None,
            )

        result = await request.app.state.pcrm.run(run)
        return responses.ok(result.data, result.meta)

    handler.target = target_name(import_upload)  # type: ignore[attr-defined]
    return handler


def _op(route: str, summary: str, response: Any) -> Any:
    return op(
        "POST",
        f"/contacts/import/{route}",
        summary,
        T,
        raw=upload(route),
        body=s.ImportUploadIn,
        form=True,
        response=response,
        meta=s.ImportMeta,
        description=FORM_HELP,
        extra_statuses=(400, 413),
    )


OPS = [
    _op("csv", "Import from a CSV file", s.CsvImportReport),
    _op("linkedin", "Import a LinkedIn Connections.csv export", s.LinkedInImportReport),
    _op("linkedin-messages", "Import a LinkedIn message export", s.MessagesImportReport),
]
