"""OpenAPI 3.1 generated from the operation declarations, and a self-contained docs page.

Every declared operation appears, wired or not: unbuilt ones carry `x-pcrm-not-implemented` (the
capability) and a 501 response; pcrm's own routes carry `x-pcrm: true` [pcrm-routes]. The docs page is
rendered on the server from the same declarations: no script, nothing loaded from the network.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

from pcrm.api.declare import Op
from pcrm.api.schemas import ErrorBody

_REF = "#/components/schemas/{model}"
_ENVELOPE_DOC = "Every response is {data, error, meta}."


class _Schemas:
    def __init__(self) -> None:
        self.components: dict[str, Any] = {}

    def of(self, t: Any, mode: str) -> dict[str, Any]:
        from pydantic import BaseModel, TypeAdapter

        schema = TypeAdapter(t).json_schema(ref_template=_REF, mode=mode)  # type: ignore[arg-type]
        self.components.update(schema.pop("$defs", {}))
        if isinstance(t, type) and issubclass(t, BaseModel):
            self.components[t.__name__] = schema
            return {"$ref": _REF.format(model=t.__name__)}
        return schema


def operation_id(o: Op) -> str:
    tail = re.sub(r"[^a-z0-9]+", "_", o.full_path.replace("/api/v1", "").lower()).strip("_")
    return f"{o.method.lower()}_{tail or 'root'}"


def _envelope(data: dict[str, Any], meta: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["data", "error", "meta"],
        "additionalProperties": False,
        "properties": {"data": data, "error": {"type": "null"}, "meta": meta or {"type": "object"}},
    }


def document(ops: Iterable[Op], *, version: str) -> dict[str, Any]:
    s = _Schemas()
    error_ref = s.of(ErrorBody, "serialization")
    s.components["ErrorEnvelope"] = {
        "type": "object",
        "required": ["data", "error", "meta", "detail"],
        "additionalProperties": False,
        "properties": {
            "data": {"type": "null"},
            "error": error_ref,
            "meta": {"type": "object", "description": "retry_after (seconds) on 429 and 503"},
            "detail": {
                "description": "The reference's (FastAPI's) detail, for clients written for it: the message; "
                "a list of {loc, msg, type} for validation_error; {message, conflicting_contact} for a "
                "contact conflict.",
                "anyOf": [
                    {"type": "string"},
                    {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["loc", "msg", "type"],
                            "properties": {
                                "loc": {"type": "array", "items": {"type": ["string", "integer"]}},
                                "msg": {"type": "string"},
                                "type": {"type": "string"},
                            },
                        },
                    },
                    {
                        "type": "object",
                        "required": ["message", "conflicting_contact"],
                        "properties": {
                            "message": {"type": "string"},
                            "conflicting_contact": {"type": "object"},
                        },
                    },
                ],
            },
        },
    }
    error = {
        "description": "An error envelope.",
        "content": {"application/json": {"schema": {"$ref": _REF.format(model="ErrorEnvelope")}}},
    }
    paths: dict[str, Any] = {}
    for o in ops:
        item = paths.setdefault(o.full_path, {})
        d: dict[str, Any] = {"operationId": operation_id(o), "summary": o.summary, "tags": [o.tag]}
        if o.description:
            d["description"] = o.description
        params = [
            {"name": p, "in": "path", "required": True, "schema": {"type": "string"}} for p in o.path_params()
        ]
        for q in o.query:
            schema: dict[str, Any] = {"type": q.type}
            if q.enum:
                schema["enum"] = list(q.enum)
            params.append(
                {
                    "name": q.name,
                    "in": "query",
                    "required": q.required,
                    "schema": schema,
                    **({"description": q.description} if q.description else {}),
                }
            )
        if params:
            d["parameters"] = params
        if o.public:
            d["security"] = []
        else:
            d["security"] = [{"bearer": []}]
            d["x-pcrm-accepts"] = sorted(o.audiences)
        if o.pcrm:
            d["x-pcrm"] = True
        responses: dict[str, Any] = {}
        if o.todo is not None:
            d["x-pcrm-not-implemented"] = o.todo
            responses["501"] = {**error, "description": f"Not built yet: {o.todo}."}
        else:
            if o.body is not None:
                body_schema = s.of(o.body, "validation")
                content = {"application/json": {"schema": body_schema}}
                if o.form:
                    content["application/x-www-form-urlencoded"] = {"schema": body_schema}
                    content["multipart/form-data"] = {"schema": body_schema}
                d["requestBody"] = {"required": True, "content": content}
            if o.raw is not None and o.response is None:
                responses[str(o.status)] = {"description": "See the summary."}
            else:
                data = s.of(o.response, "serialization") if o.response is not None else {}
                meta = s.of(o.meta, "serialization") if o.meta is not None else None
                responses[str(o.status)] = {
                    "description": _ENVELOPE_DOC,
                    "content": {"application/json": {"schema": _envelope(data, meta)}},
                }
        if not o.public:
            responses["401"] = {**error, "description": "Missing, invalid, expired or revoked token."}
        responses["default"] = error
        d["responses"] = responses
        item[o.method.lower()] = d
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "pcrm",
            "version": version,
            "description": "The localhost API of pcrm, a local-first personal CRM. " + _ENVELOPE_DOC,
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": dict(sorted(s.components.items())),
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A web JWT from POST /api/v1/auth/login, or a script token from "
                    "`pcrm token create NAME`.",
                }
            },
        },
    }


_CSS = """body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#222}
h2{margin-top:2rem;border-bottom:1px solid #ddd}table{border-collapse:collapse;width:100%}
td{padding:.2rem .5rem;vertical-align:top;border-bottom:1px solid #eee}code{font-size:13px}
.m{font-weight:bold;width:4.5rem}.todo{color:#a40}.pub{color:#06a}.own{color:#070}
details pre{background:#f6f6f6;padding:.5rem;overflow:auto;max-height:24rem}"""


def docs_page(ops: list[Op], doc: dict[str, Any]) -> str:
    """The /api/docs page: every operation, grouped by tag, with its schemas folded away."""
    import json

    esc = html.escape
    built = sum(1 for o in ops if o.implemented)
    out = [
        "<!doctype html><html lang=en><meta charset=utf-8><title>pcrm API</title>",
        f"<style>{_CSS}</style><h1>pcrm API</h1>",
        (
            f"<p>{len(ops)} operations; {built} built, {len(ops) - built} answer 501 until their capability "
            "lands. Every response is <code>{data, error, meta}</code>. Send <code>Authorization: Bearer "
            "TOKEN</code> (a login JWT or a token from <code>pcrm token create NAME</code>) except on "
            "routes marked public. The machine-readable schema is at "
            "<a href=/api/v1/openapi.json>/api/v1/openapi.json</a>.</p>"
        ),
    ]
    tags: dict[str, list[Op]] = {}
    for o in ops:
        tags.setdefault(o.tag, []).append(o)
    for tag in tags:
        out.append(f"<h2>{esc(tag)}</h2><table>")
        for o in tags[tag]:
            marks = []
            if o.public:
                marks.append("<span class=pub>public</span>")
            if o.pcrm:
                marks.append("<span class=own>pcrm</span>")
            if o.todo is not None:
                marks.append(f"<span class=todo>501: {esc(o.todo)}</span>")
            spec = doc["paths"][o.full_path][o.method.lower()]
            detail = esc(json.dumps(spec, indent=2, sort_keys=True))
            out.append(
                f"<tr><td class=m>{o.method}</td><td><code>{esc(o.full_path)}</code> {' '.join(marks)}"
                f"<br>{esc(o.summary)}<details><summary>schema</summary><pre>{detail}</pre></details>"
                "</td></tr>"
            )
        out.append("</table>")
    out.append(
        "<details><summary>components</summary><pre>"
        + esc(json.dumps(doc["components"], indent=2, sort_keys=True))
        + "</pre></details></html>"
    )
    return "".join(out)
