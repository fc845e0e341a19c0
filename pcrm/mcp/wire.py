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

import json
from dataclasses import dataclass
from typing import Any

from mcp_types import jsonrpc_message_adapter
from pydantic import ValidationError

PARSE_ERROR = -32700
INVALID_REQUEST = -32600


@dataclass(frozen=True)
class Refusal:
    """A JSON-RPC error answer for a body the transport will not pass on."""

    code: int
    message: str
    id: str | int | None = None

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
    return None
