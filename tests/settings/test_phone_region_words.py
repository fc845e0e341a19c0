"""`pcrm settings set phone_region` counts the stored numbers it checked in the right number: "1 stored
number checked", never "1 stored numbers" (whether some changed or none did)."""

from __future__ import annotations

from tests.support.crm import Crm


def _said(crm: Crm, *args: str) -> str:
    return " ".join(crm.cli("settings", "set", *args).stderr.split())


def test_one_number_is_one_stored_number(crm: Crm) -> None:
    crm.add("Ada Lovelace", "--phone", "+44 20 7946 0958")
    assert "1 stored number checked under region GB: none changed" in _said(crm, "phone_region", "GB")
    assert "stored numbers" not in _said(crm, "phone_region", "DE")


def test_one_number_changed_is_said_in_the_singular(crm: Crm) -> None:
    crm.add("Ada Lovelace", "--phone", "020 7946 0958")
    said = _said(crm, "phone_region", "GB")
    assert "1 stored number checked under region GB: 1 changed" in said


def test_several_numbers_keep_the_plural(crm: Crm) -> None:
    crm.add("Ada Lovelace", "--phone", "+44 20 7946 0958", "--phone", "+44 20 7946 0959")
    assert "2 stored numbers checked under region GB: none changed" in _said(crm, "phone_region", "GB")
