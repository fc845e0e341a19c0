"""The closed list of error codes [error-codes]. Services raise these; each shell translates them once."""

from __future__ import annotations

import re
from typing import Any

STATUS = {
    "validation_error": 422,
    "bad_request": 400,
    "unauthorized": 401,
    "forbidden": 403,
    "not_found": 404,
    "method_not_allowed": 405,
    "conflict": 409,
    "gone": 410,
    "payload_too_large": 413,
    "rate_limited": 429,
    "unavailable": 503,
    "feature_disabled": 409,
    "not_connected": 400,
    "not_implemented": 501,
    "upstream_error": 502,
    "internal": 500,
}


# [error-quotes]: how much of what the user typed an error repeats. A quote longer than QUOTE_MOST
# characters keeps its first QUOTE_KEPT and an ellipsis, with its length; a message or hint still longer
# than MESSAGE_MOST (a long text without quotes) keeps its start and its end.
QUOTE_MOST = 200
QUOTE_KEPT = 80
MESSAGE_MOST = 2_000
# a quoted text as repr() writes it ('...' or "...", escapes inside), opening after no letter and closing
# before none (the apostrophes of O'Brien and Ada's open and close nothing); a `command` in backquotes is
# left whole but for a word over QUOTE_MOST characters (_RUN)
_QUOTE = re.compile(
    r"(?<!\w)(?:'(?:[^'\\]|\\.){{{n},}}'|\"(?:[^\"\\]|\\.){{{n},}}\")(?!\w)".format(n=QUOTE_MOST + 1),
    re.DOTALL,
)
_CLOSING = "`'\")]}.,;:"
_RUN = re.compile(r"\S{" + str(QUOTE_MOST + 1) + ",}")


def bounded(text: str | None) -> str | None:
    """An error's message or hint with what it quotes of the user's input kept to a readable length
    [error-quotes]: `pcrm score explain` with a 100,000-character argument repeated it whole, twice, on
    stderr and in the --json envelope. Text of QUOTE_MOST characters or fewer comes back as it is."""
    if text is None or len(text) <= QUOTE_MOST:
        return text

    def quote(m: re.Match[str]) -> str:
        q = m[0]
        return f"{q[: QUOTE_KEPT + 1]}…{q[-1]} ({len(q) - 2:,} characters)"

    out = _QUOTE.sub(quote, text)
    out = _RUN.sub(lambda m: f"{m[0][:QUOTE_KEPT]}…{m[0][-1] if m[0][-1] in _CLOSING else ''}", out)
    if len(out) > MESSAGE_MOST:
        out = f"{out[: MESSAGE_MOST * 3 // 4]} … {out[-(MESSAGE_MOST // 4) :]}"
    return out


class PcrmError(Exception):
    code = "internal"

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        details: dict[str, Any] | None = None,
        code: str | None = None,
        about: str | None = None,
    ) -> None:
        super().__init__(bounded(message))
        # the request field a refusal that is no validation_error is about (a send's `channel`, the map's
        # `bbox`): not in the envelope, which stays as it was; the CLI names the option that filled it
        # [cli-failures]
        self.about = about
        if code is not None:
            if code not in STATUS:
                raise ValueError(f"unknown error code {code!r}")
            self.code = code
        self.message = message
        self.hint = hint
        self.details = details or {}

    # every message and hint, also one a shell rewrites later, is kept to a readable length [error-quotes]
    @property
    def message(self) -> str:
        return self._message

    @message.setter
    def message(self, value: str) -> None:
        self._message = bounded(value) or ""

    @property
    def hint(self) -> str | None:
        return self._hint

    @hint.setter
    def hint(self, value: str | None) -> None:
        self._hint = bounded(value)

    @property
    def status(self) -> int:
        return STATUS[self.code]

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "hint": self.hint, "details": self.details}


FIELDS_LISTED = 50  # a 422 lists this many bad fields at most, and says how many more there were


class ValidationError(PcrmError):
    """422 with details.fields = [{field, message}].

    For the reference's `detail` list [error-detail] (not part of the envelope): `kinds` maps a field to
    the pydantic-like error type pcrm knows for it (`kind=` for `field`: "missing", "int_parsing", ...;
    "value_error" otherwise), and `locs` a field to its FastAPI `loc` (["query", "page"], ["body", "tags",
    0]), set where the field's source is known (`at`); else ["body", field]."""

    code = "validation_error"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        hint: str | None = None,
        fields: list[dict[str, str]] | None = None,
        kind: str | None = None,
    ) -> None:
        items = [dict(f, message=bounded(f["message"])) if "message" in f else f for f in fields or []]
        if field is not None:
            items.append({"field": field, "message": bounded(message) or ""})
        details: dict[str, Any] = {"fields": items[:FIELDS_LISTED]}
        if len(items) > FIELDS_LISTED:  # [error-quotes]: 5,000 bad emails listed each (768 KB)
            details["fields_omitted"] = len(items) - FIELDS_LISTED
        super().__init__(message, hint=hint, details=details)
        self.kinds: dict[str, str] = {field: kind} if field is not None and kind else {}
        self.locs: dict[str, list[str | int]] = {}

    def on_command_line(self, option: str) -> ValidationError:
        """This error, about a value only the command line gives (`pcrm import --format`, a list's
        `--fields`: no API field takes it), placed as the CLI's usage errors are: loc ["argv", option]
        [error-detail]."""
        for f in self.details["fields"]:
            self.locs[f["field"]] = ["argv", option]
        return self

    def at(self, where: str) -> ValidationError:
        """This error, its fields not placed yet placed in `where` ("query", "path"): loc [where, field]."""
        for f in self.details["fields"]:
            self.locs.setdefault(f["field"], [where, f["field"]])
        return self


class BadRequest(PcrmError):
    code = "bad_request"


class Unauthorized(PcrmError):
    code = "unauthorized"


class Forbidden(PcrmError):
    code = "forbidden"


class NotFound(PcrmError):
    code = "not_found"

    @classmethod
    def contact_ids(cls, missing: list[str], hint: str) -> NotFound:
        """The error for ids given that are no contact's: the first named, how many more, the first 50 in
        `details.missing` (a bulk request, a tagging run)."""
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        return cls(f"no contact with id {missing[0]!r}{more}", hint=hint, details={"missing": missing[:50]})


class MethodNotAllowed(PcrmError):
    """A path that exists asked with a method it does not have; `details.allowed` lists those it has (the
    response's `Allow` header)."""

    code = "method_not_allowed"

    @classmethod
    def on(cls, path: str, method: str, allowed: list[str]) -> MethodNotAllowed:
        hint = f"it allows {', '.join(allowed)}"
        return cls(f"{path} has no {method} operation", hint=hint, details={"allowed": allowed})


class Conflict(PcrmError):
    code = "conflict"


class FeatureDisabled(PcrmError):
    code = "feature_disabled"


class NotImplementedYet(PcrmError):
    code = "not_implemented"
