"""Tool arguments of the wrong type, refused in pcrm's words [mcp-server].

The SDK checks a call's arguments against the tool's signature with pydantic, and its refusal is pydantic's
own text ("1 validation error for search_contactsArguments ... errors.pydantic.dev"), which names a model the
agent never saw. Worse, pydantic's lax mode converts what JSON did not say: `true` for the integer 1, the
text "5" for 5, "yes" for true. Here a call's arguments are read strictly against the tool's published
input schema before the SDK sees them (each value must be of a JSON type the schema names: text is no
number and no boolean, a boolean no whole number), and a refusal the SDK still makes is said again naming
the argument, what it takes and how to give it.

An argument the tool does not have is refused too, naming the tool's real ones: the SDK's pydantic model
ignores extra keys, so `search_contacts {"page": 3, "sort": "name"}` answered the first page in the usual
order and the agent believed it had paged and sorted.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping, Sequence
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
    if kind == "array":
        (o,) = _branches(prop)
        return "a list of text" if _wants(o.get("items") or {}) == "string" else "a list"
    return {"string": "text", "boolean": "true or false", "number": "a number"}.get(
        kind or "", "another value"
    )


QUOTED_MOST = 20  # a text sent for a number or a boolean is quoted up to this long, else called "text"


def _given(value: Any) -> str:
    """The value sent, as JSON for a short scalar (a short text in its quotes); otherwise its JSON type."""
    if value is None or isinstance(value, bool | int | float):
        return json.dumps(value)
    if isinstance(value, str):
        short = len(value) <= QUOTED_MOST and value.isprintable()
        return json.dumps(value, ensure_ascii=False) if short else "text"
    return "an array" if isinstance(value, list) else "an object"


def _is(value: Any, schema: Mapping[str, Any]) -> bool:
    """Whether `value`, as JSON gave it, is of a type `schema` names, strictly: a text is no number and no
    boolean, a boolean no number; 5.0 is a whole number, as JSON Schema reads it. A schema naming no
    type (an enum, a reference) is left to the SDK."""
    if "anyOf" in schema:
        return any(_is(value, o) for o in schema["anyOf"])
    kind = schema.get("type")
    if isinstance(kind, list):
        return any(_is(value, {**schema, "type": k}) for k in kind)
    if kind == "null":
        return value is None
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        whole = isinstance(value, float) and value.is_integer()
        return whole or (isinstance(value, int) and not isinstance(value, bool))
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "string":
        return isinstance(value, str)
    if kind == "array":
        items = schema.get("items") or {}
        return isinstance(value, list) and all(_is(v, items) for v in value)
    if kind == "object":
        return isinstance(value, dict)
    return True


def _how(name: str, prop: Mapping[str, Any], value: Any, optional: bool) -> str:
    """The hint: how to give the argument (a number or a boolean sent in quotes: without them)."""
    quoted = isinstance(value, str) and _wants(prop) in ("integer", "number", "boolean")
    bare = " (in JSON, without quotes)" if quoted else ""
    return f"give {name} as {_what(prop)}{bare}{', or leave it out' if optional else ''}"


def _refusal(schema: Mapping[str, Any], problems: Sequence[tuple[str, Any, bool]]) -> ValidationError:
    """One error for the arguments that do not fit: (argument, value sent, missing)."""
    props = schema.get("properties") or {}
    required = set(schema.get("required") or ())
    fields = []
    for name, value, missing in problems:
        prop = props.get(name) or {}
        what = _what(prop)
        said = f"{name} is required" if missing else f"{name} must be {what}, not {_given(value)}"
        fields.append({"field": name, "message": said})
    first, sent, _ = problems[0]
    more = f" (and {len(fields) - 1} more)" if len(fields) > 1 else ""
    return ValidationError(
        f"{fields[0]['message']}{more}",
        hint=_how(first, props.get(first) or {}, sent, first not in required),
        fields=fields,
    )


# what agents call the tools' arguments elsewhere (the services' and the API's names, other CRMs' tools):
# the first of the candidates the tool has
_ALSO_CALLED: dict[str, tuple[str, ...]] = {
    "page_size": ("limit",),
    "per_page": ("limit",),
    "max_results": ("limit",),
    "size": ("limit",),
    "count": ("limit",),
    "search": ("query",),
    "q": ("query",),
    "term": ("query",),
    "content_preview": ("text",),
    "content": ("text",),
    "body": ("text",),
    "note": ("text",),
    "occurred_at": ("at",),
    "date": ("at", "until"),
    "id": ("contact", "suggestion"),
    "contact_id": ("contact",),
    "suggestion_id": ("suggestion",),
}
_PAGING = {"page", "offset", "cursor", "skip", "start", "page_token", "next_cursor", "page_number"}
_SORTING = {"sort", "sort_by", "order", "order_by", "sort_order", "ascending", "descending", "reverse"}
NAMED_MOST = 40  # an unknown argument's name is quoted up to this long
LISTED_MOST = 5  # at most this many unknown arguments are named in the message


def _named(name: str) -> str:
    return name if len(name) <= NAMED_MOST and name.isprintable() else json.dumps(name[:NAMED_MOST] + "…")


def _and(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _meant(name: str, props: Mapping[str, Any]) -> str | None:
    """The tool's argument an unknown `name` most likely meant: another name for it, or a near spelling
    (`limt`, `Limit`, `contactId`)."""
    key = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower().replace("-", "_").strip()
    if key in props:
        return key
    other = next((one for one in _ALSO_CALLED.get(key, ()) if one in props), None)
    if other is not None:
        return other
    close = difflib.get_close_matches(key, list(props), n=1, cutoff=0.75)
    return close[0] if close else None


def _unknown(tool: str, props: Mapping[str, Any], names: Sequence[str]) -> ValidationError:
    """The refusal of arguments the tool does not have, naming those it has and what each unknown one
    likely meant (a close name, or that the tool neither pages nor sorts)."""
    shown = [_named(n) for n in names]
    if len(names) == 1:
        no = f"no argument {shown[0]}"
    elif len(names) <= LISTED_MOST:
        no = f"no arguments {_and(shown)}"
    else:
        no = f"no arguments {', '.join(shown[:LISTED_MOST])} and {len(names) - LISTED_MOST} more"
    takes = f"it takes {_and(list(props))}" if props else "it takes no arguments"
    hints: list[str] = []
    for name, said in zip(names[:LISTED_MOST], shown, strict=False):
        key = name.lower().strip()
        meant = _meant(name, props)
        if meant is not None:
            hints.append(f"did you mean {meant} instead of {said}?")
        elif key in _PAGING:
            cap = _branches(props["limit"])[0].get("maximum") if "limit" in props else None
            more = f"; give a larger limit (at most {cap}) for more" if cap else ""
            hints.append(f"{tool} has no paging: it answers the first results only{more}")
        elif key in _SORTING:
            hints.append(f"{tool} has no sorting: it answers in the order its description gives")
    hints = list(dict.fromkeys(hints)) or [f"leave out what {tool} does not list"]
    return ValidationError(
        f"{tool} has {no}; {takes}",
        hint="; ".join(hints),
        fields=[{"field": s, "message": f"{tool} has no argument {s}"} for s in shown],
    )


def check(
    schema: Mapping[str, Any], arguments: Mapping[str, Any], tool: str = "this tool"
) -> ValidationError | None:
    """The refusal of the arguments `tool` does not have (the SDK would ignore them), then of those not of a
    JSON type the tool's input schema names for them (pydantic's lax mode would take "5" for 5, "yes" or 1
    for true, true for 1), then of the required ones left out. None when all fit."""
    props = schema.get("properties") or {}
    unknown = [name for name in arguments if name not in props]
    if unknown:
        return _unknown(tool, props, unknown)
    bad: list[tuple[str, Any, bool]] = [
        (name, value, False)
        for name, value in arguments.items()
        if name in props and not _is(value, props[name])
    ]
    bad += [(name, None, True) for name in schema.get("required") or () if name not in arguments]
    return _refusal(schema, bad) if bad else None


def refusal(schema: Mapping[str, Any], errors: list[Any], arguments: Mapping[str, Any]) -> ValidationError:
    """The SDK's pydantic errors (`ValidationError.errors()`) for a call of the tool whose input schema is
    `schema`, said naming its arguments."""
    seen: dict[str, tuple[str, Any, bool]] = {}
    for e in errors:
        loc = e.get("loc") or ()
        name = str(loc[0]) if loc else "arguments"
        seen.setdefault(name, (name, arguments.get(name), e.get("type") == "missing"))
    return _refusal(schema, list(seen.values()))
