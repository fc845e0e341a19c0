"""The contact model (pcrm.domain.models): its specs agree with each other and with what is derived from
them, and importing it stays cheap (the CLI does at start-up)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import get_type_hints

from pcrm.domain import models
from pcrm.domain.models import Contact


def test_every_field_has_one_spec_and_the_derived_tuples_follow_declaration_order() -> None:
    assert tuple(Contact.__annotations__) == models.FIELDS
    assert models.FIELDS[0] == "id" and models.FIELDS[-2:] == ("created_at", "updated_at")
    for name, annotation in Contact.__annotations__.items():
        assert [m for m in annotation.__metadata__ if isinstance(m, models.Spec)] == [models.SPECS[name]]
    for derived in (models.COLUMNS, models.CHILD_LISTS, models.EDITABLE, models.WEIGHT_FIELDS):
        assert list(derived) == [f for f in models.FIELDS if f in derived]
    assert models.CHILD_LISTS == ("emails", "phones", "tags")


def test_specs_are_consistent() -> None:
    for name, spec in models.SPECS.items():
        assert (spec.store == "identity") == (spec.platform is not None) == (spec.id_column is not None), name
        if spec.numeric_id:
            assert spec.store == "identity" and spec.id_column == "external_id", name
            assert get_type_hints(Contact)[name] == str | None, name
        if spec.store in ("key", "stamp", "child"):
            assert name not in models.COLUMNS
    assert set(models.PROTECTABLE) <= set(models.EDITABLE)
    assert len(set(models.PROTECTABLE)) == len(models.PROTECTABLE)
    assert set(models.COLUMNS) >= models.JSON_COLUMNS
    assert set(models.IDENTITIES) == {f for f, s in models.SPECS.items() if s.store == "identity"}
    assert models.PRIORITIES == ("high", "medium", "low", "archived")


def test_consumers_cover_exactly_the_model() -> None:
    from pcrm.domain.contact_input import ALL_FIELDS, OTHER_FIELDS
    from pcrm.services.resolver import AXES

    # the input parser takes every editable field once; its own-rule fields are editable ones
    assert sorted(ALL_FIELDS) == sorted(models.EDITABLE)
    assert set(OTHER_FIELDS) <= set(models.EDITABLE)
    # the resolver asks about every identity, each once, with the model's platform and column
    assert sorted(f for f, _, _ in AXES) == sorted(models.IDENTITIES)
    assert all(models.IDENTITIES[f] == (p, c) for f, p, c in AXES)


def test_extended_contacts_add_one_field_each() -> None:
    assert set(models.OverdueContact.__annotations__) - set(models.FIELDS) == {"days_overdue"}
    assert set(models.BirthdayContact.__annotations__) - set(models.FIELDS) == {"days_until_birthday"}


def test_importing_the_model_loads_neither_pydantic_nor_apsw() -> None:
    code = (
        "import json, sys; import pcrm.domain.models, pcrm.domain.contact_input; "
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & {'pydantic', 'apsw'})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []
