"""The API's contact schemas come from pcrm.domain.models.Contact: the response has every field of the
model, the request body every editable one, and the models that show part of a contact (matches,
hints, suggestions, members, map points) give those fields the model's types."""

from __future__ import annotations

from typing import Any, get_type_hints

import pytest

from pcrm.api import schemas as s
from pcrm.domain import models
from pcrm.domain.contact_input import ALL_FIELDS


def _schema(model: Any) -> dict[str, Any]:
    return model.model_json_schema(mode="serialization")


def test_contact_and_contact_in_follow_the_model() -> None:
    assert tuple(s.Contact.model_fields) == models.FIELDS
    assert _schema(s.Contact)["required"] == list(models.FIELDS)
    assert _schema(s.Contact)["additionalProperties"] is False
    assert tuple(s.ContactIn.model_fields) == ALL_FIELDS
    body = s.ContactIn.model_json_schema()
    assert "required" not in body and body["additionalProperties"] is False
    assert body["properties"]["twitter_user_id"]["anyOf"] == [
        {"type": "string"},
        {"type": "integer"},
        {"type": "null"},
    ]
    assert body["properties"]["birthday"]["description"] == "MM-DD or YYYY-MM-DD"
    assert body["properties"]["priority_level"]["anyOf"][0]["enum"] == list(models.PRIORITIES)


def test_extended_contacts_add_their_field_to_the_generated_contact() -> None:
    for model, extra in ((s.OverdueContact, "days_overdue"), (s.BirthdayContact, "days_until_birthday")):
        assert issubclass(model, s.Contact)
        assert tuple(model.model_fields) == (*models.FIELDS, extra)


@pytest.mark.parametrize(
    "model",
    [
        s.MatchContact,
        s.DuplicateHint,
        s.SuggestionContact,
        s.OrganizationMember,
        s.MapPoint,
        s.RelatedContact,
    ],
)
def test_contact_projections_use_the_model_types(model: Any) -> None:
    contact = _schema(s.Contact)["properties"]
    hints = get_type_hints(models.Contact)
    shared = [f for f in model.model_fields if f in hints]
    assert len(shared) >= 2
    for field in shared:
        mine, theirs = _schema(model)["properties"][field], contact[field]
        mine.pop("title"), theirs.pop("title")
        # a projection may promise more than the model (a map point always has coordinates)
        assert mine == theirs or {"anyOf": [mine, {"type": "null"}]} == theirs, (model.__name__, field)
