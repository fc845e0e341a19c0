"""pydantic field definitions built from pcrm.domain.models.Contact: the response and the request body.

The response has every field of the model, required, with the model's type. The request body has the
fields a user may set (models.EDITABLE), in the order the input parser lists them, each optional and
nullable (on PUT, keys present change and null clears); platform user numbers may come as JSON numbers.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_origin, get_type_hints

from pydantic import Field

from pcrm.api.schemas.common import AnyCase
from pcrm.domain import models
from pcrm.domain.contact_input import ALL_FIELDS

CONTACT_IN_DOC = (
    "A contact's editable fields. On PUT every key is optional: keys present change, null clears."
)
# what the request body documents beyond a field's type
_INPUT_DESCRIPTIONS = {"birthday": "MM-DD or YYYY-MM-DD"}


def contact_fields() -> dict[str, Any]:
    """name -> (type, required) for each field of the contact, in the model's order."""
    return {name: (t, ...) for name, t in get_type_hints(models.Contact).items()}


def contact_input_fields() -> dict[str, Any]:
    """name -> (type, Field(default=None)) for each editable field, in the input parser's order."""
    hints = get_type_hints(models.Contact)
    out: dict[str, Any] = {}
    for name in ALL_FIELDS:
        hint = hints[name]
        if get_origin(hint) is Literal:  # a named choice (priority_level): any case, as the parser takes it
            hint = Annotated[hint, AnyCase]
        t = str | int | None if name in models.NUMERIC_IDS else hint | None
        desc = _INPUT_DESCRIPTIONS.get(name)
        out[name] = (t, Field(default=None, description=desc) if desc else None)
    return out
