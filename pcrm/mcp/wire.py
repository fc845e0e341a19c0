"""What pcrm's MCP transports take as a message: one JSON-RPC 2.0 object per POST to `/mcp` or per line
to `pcrm mcp`, the rest refused in pcrm's words [mcp-server].

The SDK's transport reads one message per body and answered anything else, a batch first of all, 400 with
pydantic's account of the model union it had tried ("4 validation errors for union[JSONRPCRequest, ...]",
with links to pydantic's site). Batches are refused: the SDK has no public way to answer one, the
2025-06-18 revision of MCP dropped them, and a client of 2025-03-26 (which allowed them) may send each
request on its own. A body that is no JSON-RPC message says what is wrong with it, naming the member.
Over stdio the SDK answered such a line nothing at all, and a script waited for an answer.
"""

from __future__ import annotations

import difflib
import functools
import json
from dataclasses import dataclass
from typing import Any

from mcp_types import jsonrpc_message_adapter
from pydantic import ValidationError

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
INVALID_PARAMS = -32602


@dataclass(frozen=True)
class Refusal:
    """A JSON-RPC error answer for a body the transport will not pass on."""

    code: int
    message: str
    id: str | int | None = None
    status: int = 400  # over HTTP: the status the SDK's transport answers such a body with

    def body(self) -> bytes:
        error = {"code": self.code, "message": self.message}
        return json.dumps({"jsonrpc": "2.0", "id": self.id, "error": error}, separators=(",", ":")).encode()


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:39] + "…"


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "null"


def _is_id(value: Any) -> bool:
    # MCP: a string or a whole number, never null (JSON-RPC also allows null and fractions; MCP does not)
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def refusal(body: bytes, *, unit: str = "POST", what: str = "body") -> Refusal | None:
    """Why `body` is no single JSON-RPC 2.0 message, or None when it is one. `unit` is what carries one
    message on the transport and `what` its name for `body`: a POST's body, or a line over stdio."""
    one_per = f"send one JSON-RPC request per {unit}"
    try:
        message = json.loads(body)
    except json.JSONDecodeError as e:
        if not body.strip():
            where = f" (the {what} is empty)"
        else:
            where = f" (column {e.colno})" if e.lineno == 1 else f" (line {e.lineno}, column {e.colno})"
        return Refusal(PARSE_ERROR, f"Parse error: the {what} is not valid JSON{where}; {one_per}")
    except (ValueError, RecursionError):  # not UTF-8, or nested past what the parser takes
        return Refusal(PARSE_ERROR, f"Parse error: the {what} is not valid JSON; {one_per}")
    if isinstance(message, list):
        return Refusal(INVALID_REQUEST, f"batches are not supported; send one request per {unit}")
    if not isinstance(message, dict):
        return Refusal(
            INVALID_REQUEST,
            f"the {what} must be a JSON-RPC request object, not {_kind(message)}; {one_per}",
        )
    mid = message.get("id")
    answer_id = mid if _is_id(mid) else None
    version = message.get("jsonrpc")
    if version != "2.0":
        said = "it is missing" if "jsonrpc" not in message else f"not {_shown(version)}"
        return Refusal(INVALID_REQUEST, f'jsonrpc must be "2.0", {said}', answer_id)
    if "id" in message and not _is_id(mid):
        return Refusal(INVALID_REQUEST, f"id must be a string or a whole number, not {_shown(mid)}")
    if "method" in message:
        method = message["method"]
        if not isinstance(method, str):
            return Refusal(
                INVALID_REQUEST,
                f"method must be a string such as tools/list, not {_shown(method)}",
                answer_id,
            )
        params = message.get("params")
        if params is not None and not isinstance(params, dict):
            return Refusal(
                INVALID_REQUEST,
                f"params must be an object of named values, not {_kind(params)}",
                answer_id,
            )
    elif "result" not in message and "error" not in message:
        return Refusal(INVALID_REQUEST, "a request needs a method (such as tools/list)", answer_id)
    try:  # whatever else the SDK's own reading refuses: said plainly, without its text
        jsonrpc_message_adapter.validate_python(message, by_name=False)
    except ValidationError:
        return Refusal(
            INVALID_REQUEST,
            f"the {what} is not a JSON-RPC 2.0 request, notification or response "
            '(members: jsonrpc "2.0", id, method, params)',
            answer_id,
        )
    if "method" in message and "id" in message:
        return params_refusal(message["method"], message.get("params"), answer_id)
    return None


# what a member of a request's params is for, where its name alone does not say it
_MEANING = {
    ("tools/call", "name"): "the tool's name, as tools/list gives it",
    ("tools/call", "arguments"): "the tool's arguments by name",
    ("prompts/get", "name"): "the prompt's name",
    ("resources/read", "uri"): "the resource's address",
}


def params_refusal(method: str, params: Any, answer_id: str | int | None) -> Refusal | None:
    """Why a request's params do not fit its method (a member missing, or of another kind), naming the
    member and what it takes, or None. The SDK answered each such request "Invalid request parameters"
    and nothing else [mcp-server]. A method MCP does not define is the SDK's to answer (Method not found);
    a tool's own arguments are the tool's to check (pcrm/mcp/arguments.py)."""
    model = _request_models().get(method)
    if model is None:
        return None
    body: dict[str, Any] = {"method": method}
    if params is not None:
        body["params"] = params
    try:
        model.model_validate(body, by_name=False)
    except ValidationError as e:
        errors = e.errors()
    else:
        return _misspelt(method, params, answer_id)
    schema = _schema(method)
    # a union's member names its choice in the path (params.ref.PromptReference.name): said of the union
    located = []
    for x in errors:
        loc = _known(schema, tuple(x["loc"]))
        located.append((loc, x["type"] if loc == tuple(x["loc"]) else "union"))
    torn = next((loc for loc, kind in located if loc != () and kind == "union"), None)
    if torn is not None:
        return Refusal(
            INVALID_PARAMS,
            f"{_dotted(torn)} of {method} is none of the forms MCP defines for it, "
            f"not {_shown(_value_at(body, torn))}",
            answer_id,
            200,
        )
    missing = [loc for loc, kind in located if kind == "missing"]
    if missing == [("params",)]:
        node = _node(schema, ("params",))
        needed = [n for n in (node or {}).get("required", []) if isinstance(n, str)]
        what = "an object with " + _listed(
            [f"{n} ({_needed(schema, ('params', n), method)})" for n in needed]
        )
        return Refusal(
            INVALID_PARAMS, f"{method} needs params: {what if needed else 'an object'}", answer_id, 200
        )
    if missing:
        named = [f"{_dotted(loc)} ({_needed(schema, loc, method)})" for loc in missing]
        return Refusal(INVALID_PARAMS, f"{method} needs {_listed(named)}", answer_id, 200)
    loc = located[0][0]
    kind, meaning = _expected(schema, loc, method)
    return Refusal(
        INVALID_PARAMS,
        f"{_dotted(loc)} of {method} must be {kind}{f' ({meaning})' if meaning else ''}, "
        f"not {_shown(_value_at(body, loc))}",
        answer_id,
        200,
    )


def before_handshake(method: str, answer_id: Any) -> Refusal | None:
    """The answer to a request a stdio session received before its handshake, or None for one the SDK
    serves then (initialize, ping) or a method MCP does not define (the SDK's Method not found). The SDK
    answered it "Invalid request parameters", as if its params were wrong [mcp-server]."""
    if method in ("initialize", "ping") or method not in _request_models():
        return None
    return Refusal(
        INVALID_PARAMS,
        f"{method} came before initialize: begin with the MCP handshake, an initialize request and then "
        "the notifications/initialized notification",
        answer_id if _is_id(answer_id) else None,
    )


def _misspelt(method: str, params: Any, answer_id: str | int | None) -> Refusal | None:
    """A tools/call whose params name no `arguments` but a member spelt close to it (`args`, `argument`):
    the SDK leaves a member it does not know aside, so the tool ran without the arguments the agent sent
    and answered that one was required. MCP lets params carry members of later revisions, so only such a
    near spelling is refused."""
    if method != "tools/call" or not isinstance(params, dict) or "arguments" in params:
        return None
    known = set(_schema(method).get("$defs", {}).get("CallToolRequestParams", {}).get("properties", {}))
    for member in params:
        if member in known or not isinstance(member, str):
            continue
        if difflib.get_close_matches(member.lower(), ["arguments"], n=1, cutoff=0.6):
            return Refusal(
                INVALID_PARAMS,
                f"tools/call has no params.{member}; the tool's arguments go in params.arguments "
                "(an object of the tool's arguments by name)",
                answer_id,
                200,
            )
    return None


@functools.cache
def _request_models() -> dict[str, Any]:
    """The request model of each method a client may send a server, by its name."""
    from mcp_types import methods

    return {m: model for m, model in methods.MONOLITH_REQUESTS.items() if m in methods.SPEC_CLIENT_METHODS}


_SCHEMAS: dict[str, dict[str, Any]] = {}


def _schema(method: str) -> dict[str, Any]:
    if method not in _SCHEMAS:
        try:
            _SCHEMAS[method] = _request_models()[method].model_json_schema(by_alias=True)
        except Exception:  # a model pydantic cannot describe: its members are named without their kinds
            _SCHEMAS[method] = {}
    return _SCHEMAS[method]


def _resolved(schema: dict[str, Any], node: Any) -> dict[str, Any] | None:
    """`node` with its $ref followed and a nullable anyOf taken as its non-null choice."""
    for _ in range(20):
        if not isinstance(node, dict):
            return None
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            node = schema.get("$defs", {}).get(ref.rsplit("/", 1)[1])
            continue
        choices = [c for c in node.get("anyOf", []) if isinstance(c, dict) and c.get("type") != "null"]
        if len(choices) == 1:
            node = choices[0]
            continue
        return node
    return None


def _node(schema: dict[str, Any], loc: tuple[Any, ...]) -> dict[str, Any] | None:
    node = _resolved(schema, schema)
    for part in loc:
        if node is None:
            return None
        props = node.get("properties") or {}
        if isinstance(part, str) and part in props:
            node = _resolved(schema, props[part])
        elif isinstance(part, int) and isinstance(node.get("items"), dict):
            node = _resolved(schema, node["items"])
        elif isinstance(node.get("additionalProperties"), dict):
            node = _resolved(schema, node["additionalProperties"])
        else:
            return None
    return node


_KINDS = {
    "string": "a string",
    "object": "an object",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "a boolean",
    "array": "an array",
}


def _expected(schema: dict[str, Any], loc: tuple[Any, ...], method: str) -> tuple[str, str | None]:
    """What the member at `loc` takes, in words: its kind (or its choices), and what it is for."""
    node = _node(schema, loc) or {}
    if "enum" in node:
        kind = "one of " + _listed([json.dumps(v) for v in node["enum"]], "or")
    elif "const" in node:
        kind = json.dumps(node["const"])
    else:
        kind = _KINDS.get(str(node.get("type")), "a value")
    return kind, _MEANING.get((method, loc[-1])) if len(loc) == 2 else None


def _needed(schema: dict[str, Any], loc: tuple[Any, ...], method: str) -> str:
    """A missing member's kind and what it is for: `a string: the tool's name, ...`."""
    kind, meaning = _expected(schema, loc, method)
    return f"{kind}: {meaning}" if meaning else kind


def _known(schema: dict[str, Any], loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """`loc` up to the first part the schema does not name (a union's member), that part dropped with the
    rest; the type of such an error is then the union's."""
    for i in range(1, len(loc) + 1):
        if _node(schema, loc[:i]) is None:
            return loc[: i - 1]
    return loc


def _value_at(body: Any, loc: tuple[Any, ...]) -> Any:
    for part in loc:
        inside = isinstance(body, dict) and part in body
        if inside or (isinstance(body, list) and isinstance(part, int) and 0 <= part < len(body)):
            body = body[part]
        else:
            return body
    return body


def _dotted(loc: tuple[Any, ...]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else str(p)) for i, p in enumerate(loc))


def _listed(items: list[str], last: str = "and") -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {last} " + items[-1]
