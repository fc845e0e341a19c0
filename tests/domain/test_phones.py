"""Re-normalising stored numbers (pcrm.domain.phones) and the phone_region setting's validation and locale
guess [value-normalisation] [settings-registry]."""

from __future__ import annotations

import pytest

from pcrm.domain import phones as dom
from pcrm.domain import settings as reg
from pcrm.errors import ValidationError


def _rows(*items: tuple[int, str, str | None]) -> list[dom.PhoneRow]:
    """(contact, typed, region it was stored under) -> rows stored as pcrm would have stored them."""
    from pcrm.domain import normalize as n

    out = []
    position: dict[int, int] = {}
    for i, (cid, typed, region) in enumerate(items, start=1):
        pos = position.get(cid, 0)
        position[cid] = pos + 1
        out.append(dom.PhoneRow(i, cid, typed, n.phone(typed, region) or "", pos))
    return out


def test_only_numbers_typed_without_a_country_code_follow_the_region():
    rows = _rows((1, "07700 900123", None), (2, "+44 7700 900123", None), (3, "0044 7700 900124", None))
    plan = dom.plan(rows, "GB")
    assert [(r.typed, v) for r, v in plan.changed] == [
        ("07700 900123", "+447700900123"),
        ("0044 7700 900124", "+447700900124"),  # 00 is an international prefix only with a region
    ]
    assert plan.dropped == []
    # and back: under DE the same national text is a German number; the international one never moves
    back = dom.plan([dom.PhoneRow(r.id, r.contact_id, r.typed, v, r.position) for r, v in plan.final()], "DE")
    assert [(r.typed, v) for r, v in back.changed] == [("07700 900123", "+497700900123")]


def test_the_same_region_again_changes_nothing():
    rows = _rows((1, "07700 900123", "GB"), (1, "020 7946 0958 x9", "GB"))
    plan = dom.plan(rows, "GB")
    assert plan.changed == [] and plan.dropped == [] and dom.new_duplicates(plan) == []


def test_a_contact_holding_one_number_twice_keeps_the_first():
    rows = _rows((1, "07700 900123", None), (1, "+44 7700 900123", None), (1, "+44 20 7946 0958", None))
    plan = dom.plan(rows, "GB")
    assert [(r.typed, v) for r, v in plan.changed] == [("07700 900123", "+447700900123")]
    assert [(r.typed, v) for r, v in plan.dropped] == [("+44 7700 900123", "+447700900123")]
    assert [v for _r, v in plan.final()] == ["+447700900123", "+442079460958"]
    assert dom.new_duplicates(plan) == []  # one contact is no duplicate


def test_every_row_parses_international_numbers_again_too():
    stale = [dom.PhoneRow(1, 1, "+44 20 7946 0958 ext 9", "+442079460958", 0)]  # stored by an older rule
    assert dom.plan(stale, None).changed == []
    assert [v for _r, v in dom.plan(stale, None, every_row=True).changed] == ["+442079460958;ext=9"]


def test_new_duplicates_are_numbers_joining_contacts_that_shared_none():
    rows = _rows(
        (1, "07700 900123", None),  # becomes Ann Uno's number
        (2, "+44 7700 900123", None),
        (3, "020 7946 0958 x9", None),  # desk 9
        (4, "+44 20 7946 0958 ext 7", None),  # desk 7: another phone
        (5, "01632 960001", None),
        (6, "01632 960001", None),  # shared already before: not new
    )
    plan = dom.plan(rows, "GB")
    assert dom.new_duplicates(plan) == [("+447700900123", [1, 2])]


def test_a_bare_line_joins_the_extensions_it_reaches():
    rows = _rows(
        (1, "020 7946 0958", None), (2, "+44 20 7946 0958 ext 7", None), (3, "+44 20 7946 0958 x8", None)
    )
    assert dom.new_duplicates(dom.plan(rows, "GB")) == [("+442079460958", [1, 2, 3])]


def test_short_numbers_are_never_reported_as_shared():
    rows = [dom.PhoneRow(1, 1, "12 34 56", "stale", 0), dom.PhoneRow(2, 2, "123456", "123456", 0)]
    plan = dom.plan(rows, None, every_row=True)
    assert [v for _r, v in plan.changed] == ["123456"]
    assert dom.new_duplicates(plan) == []  # six digits: an internal extension, not a key


@pytest.mark.parametrize(
    "typed, depends", [("07700 900123", True), ("+44 7700", False), ("tel:+44", False), ("0044 7700", True)]
)
def test_depends_on_region(typed, depends):
    assert dom.depends_on_region(typed) is depends


# ------------------------------------------------------------------ the setting


@pytest.mark.parametrize(
    "value, stored", [("GB", "GB"), ("gb", "GB"), (" de ", "DE"), ("none", None), ("", None)]
)
def test_phone_region_accepts_known_regions_in_any_case(value, stored):
    assert reg.validate("phone_region", value) == stored


@pytest.mark.parametrize(
    "value, hint", [("UK", "did you mean GB?"), ("XX", "ISO 3166"), ("GBR", "ISO 3166"), ("4", "ISO 3166")]
)
def test_phone_region_refuses_unknown_codes_with_a_hint(value, hint):
    with pytest.raises(ValidationError) as e:
        reg.validate("phone_region", value)
    assert hint in (e.value.hint or "") and e.value.details["fields"][0]["field"] == "phone_region"


@pytest.mark.parametrize(
    "env, region",
    [
        ({"LANG": "en_GB.UTF-8"}, "GB"),
        ({"LANG": "de_DE@euro"}, "DE"),
        ({"LANG": "pt_BR"}, "BR"),
        ({"LANG": "en_GB.UTF-8", "LC_ALL": "fr_FR.UTF-8"}, "FR"),  # LC_ALL wins
        ({"LANG": "en_US.UTF-8", "LC_TELEPHONE": "en_IE.UTF-8"}, "IE"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": ""}, "US"),  # an empty variable does not count
        ({"LANG": "C.UTF-8"}, None),
        ({"LANG": "POSIX"}, None),
        ({"LANG": "en"}, None),
        ({"LANG": "en_ZZ.UTF-8"}, None),  # no such region
        ({}, None),
    ],
)
def test_region_from_locale(env, region):
    assert reg.region_from_locale(env) == region
