"""Tool arguments of the wrong type, refused in pcrm's words [mcp-server].

The SDK checks a call's arguments against the tool's signature with pydantic, and its refusal is pydantic's
own text ("1 validation error for search_contactsArguments ... errors.pydantic.dev"), which names a model the
agent never saw. Worse, pydantic's lax mode takes `true` for the integer 1. Here a call's arguments are read
against the tool's published input schema before the SDK sees them (a boolean where a whole number goes is
refused), and a refusal the SDK still makes is said again naming the argument, what it takes and how to
give it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from pcrm.errors import ValidationError


def _branches(prop: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The non-null alternatives of a property's schema (`int | None` is anyOf [integer, null])."""
    options = prop.get("anyOf") or [prop]
    return [o for o in options if o.get("type") != "null"]


def _wants(prop: Mapping[str, Any]) -> str | None:
    types = {o.get("type") for o in _branches(prop)}
    return types.pop() if len(types) == 1 else None


def _what(prop: Mapping[str, Any]) -> str:
    """What an argument takes, in words: 'a whole number from 1 to 100', 'text', 'true or false'."""
    kind = _wants(prop)
    if kind == "integer":
        (o,) = _branches(prop)
        lo, hi = o.get("minimum"), o.get("maximum")
        return f"a whole number from {lo} to {hi}" if lo is not None and hi is not None else "a whole number"
    return {"string": "text", "boolean": "true or false", "number": "a number"}.get(
        kind or "", "another value"
    )


def _given(value: Any) -> str:
    """The value sent, as JSON for a short scalar; otherwise its JSON type."""
    if value is None or isinstance(value, bool | int | float):
        return json.dumps(value)
    if isinstance(value, str):
        return "text"
    return "an array" if isinstance(value, list) else "an object"


def _refusal(schema: Mapping[str, Any], problems: Iterable[tuple[str, Any, bool]]) -> ValidationError:
    """One error for the arguments that do not fit: (argument, value sent, missing)."""
    props = schema.get("properties") or {}
    required = set(schema.get("required") or ())
    fields = []
    for name, value, missing in problems:
        prop = props.get(name) or {}
        what = _what(prop)
        said = f"{name} is required" if missing else f"{name} must be {what}, not {_given(value)}"
        fields.append({"field": name, "message": said})
    first = fields[0]["field"]
    more = f" (and {len(fields) - 1} more)" if len(fields) > 1 else ""
    optional = "" if first in required else ", or leave it out"
    return ValidationError(
        f"{fields[0]['message']}{more}",
        hint=f"give {first} as {_what(props.get(first) or {})}{optional}",
        fields=fields,
    )


def check(schema: Mapping[str, Any], arguments: Mapping[str, Any]) -> ValidationError | None:
    """The refusal of what pydantic would let through wrongly: a boolean for a whole number (`true` is
    not 1). None when there is nothing to refuse here."""
    props = schema.get("properties") or {}
    bad = [
        (name, value, False)
        for name, value in arguments.items()
        if isinstance(value, bool) and _wants(props.get(name) or {}) in ("integer", "number")
    ]
    return _refusal(schema, bad) if bad else None


def refusal(schema: Mapping[str, Any], errors: list[Any], arguments: Mapping[str, Any]) -> ValidationError:
    """The SDK's pydantic errors (`ValidationError.errors()`) for a call of the tool whose input schema is
    `schema`, said naming its arguments."""
    seen: dict[str, tuple[str, Any, bool]] = {}
    for e in errors:
        loc = e.get("loc") or ()
        name = str(loc[0]) if loc else "arguments"
        seen.setdefault(name, (name, arguments.get(name), e.get("type") == "missing"))
    return _refusal(schema, seen.values())
