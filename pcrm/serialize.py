"""One JSON encoder for the whole project [canonical-json] and the envelope [one-envelope].

orjson with sorted keys: the CLI's --json and the API emit the same bytes for the same data.
Timestamps are already canonical strings when they reach here (see clock.py).
"""

from __future__ import annotations

from typing import Any

import orjson

_OPTS = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS


def dumps(obj: Any) -> bytes:
    return orjson.dumps(obj, option=_OPTS)


def loads(data: bytes | str) -> Any:
    return orjson.loads(data)


def envelope(data: Any, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"data": data, "error": None, "meta": meta or {}}


def error_envelope(err: Any, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    """The error envelope, with the reference's `detail` beside it [one-envelope]: clients written for the
    reference read FastAPI's `detail` (a string; a list of {loc, msg, type} for a validation error;
    {message, conflicting_contact} for a contact conflict)."""
    return {"data": None, "error": err.to_dict(), "meta": meta or {}, "detail": error_detail(err)}


def error_detail(err: Any) -> Any:
    """FastAPI's `detail` for an error: what reference clients show. A validation error's `loc` and `type`
    are FastAPI's where the error knows them (ValidationError.locs and kinds) [error-detail]; a wrong method
    is FastAPI's fixed text."""
    details = err.details or {}
    if err.code == "validation_error" and details.get("fields"):
        locs = getattr(err, "locs", None) or {}
        kinds = getattr(err, "kinds", None) or {}
        return [
            {
                "loc": locs.get(f["field"]) or (["body"] if f["field"] == "body" else ["body", f["field"]]),
                "msg": f["message"],
                "type": kinds.get(f["field"], "value_error"),
            }
            for f in details["fields"]
        ]
    if err.code == "conflict" and details.get("conflicting_contact"):
        return {"message": err.message, "conflicting_contact": details["conflicting_contact"]}
    return err.message


def encode_envelope(data: Any, meta: dict[str, Any] | None = None) -> bytes:
    return dumps(envelope(data, meta))
