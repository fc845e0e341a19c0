"""Person evidence in the scorer [person-evidence] [birthday-rule]: birthdays compared slip by slip,
postal addresses tolerant to typos, missing parts and transposed digits, and the band two records get
when only a name, a birthday and an address describe them."""

from __future__ import annotations

import pytest

from pcrm.domain import identity as dom
from pcrm.domain.identity_evidence import (
    DIFFERENT,
    EXACT,
    NEAR,
    UNSURE,
    compare_addresses,
    compare_birthdays,
    parse_address,
    person_verdict,
)


def P(**kw: object) -> dom.Person:
    return dom.person(kw)


def adr(number: str, street: str, town: str, postcode: str, extended: str = "") -> str:
    return f";{extended};{number} {street};{town};nsw;{postcode};"


@pytest.mark.parametrize(
    ("a", "b", "relation"),
    [
        ("1980-03-14", "1980-03-14", EXACT),
        ("03-14", "03-14", EXACT),
        ("1980-03-14", "1980-03-15", NEAR),  # one digit wrong
        ("1980-03-14", "1908-03-14", NEAR),  # two adjacent digits swapped
        ("1980-03-14", "1980-03-41", NEAR),  # swapped inside the day (not a real date, still a slip)
        ("1980-04-03", "1980-03-04", NEAR),  # day and month swapped
        ("1980-03-14", "03-14", NEAR),  # a year on one side only
        ("1941-02-23", "2941-02-26", UNSURE),  # two slips: no evidence either way
        ("1980-03-14", "1975-11-22", DIFFERENT),
        ("10-27", "03-14", DIFFERENT),
        ("10-27", "10-72", NEAR),
    ],
)
def test_birthdays_are_compared_slip_by_slip(a: str, b: str, relation: str) -> None:
    assert compare_birthdays(a, b) == relation
    assert compare_birthdays(b, a) == relation


def test_addresses_are_read_from_adr_values_and_from_one_line() -> None:
    a = parse_address(adr("6", "Tullaroop Street", "St James", "4011", "Willaroo"))
    assert a is not None
    assert (a.number, a.street, a.extended, a.town, a.postcode) == (
        "6",
        "tullaroop street",
        "willaroo",
        "st james",
        "4011",
    )
    b = parse_address("12 Main St, Springfield, 62701")
    assert b is not None and (b.number, b.street, b.town, b.postcode) == (
        "12",
        "main street",
        "springfield",
        "62701",
    )
    c = parse_address(";;Hauptstraße 5;Berlin;;10115;Germany")
    assert c is not None and (c.number, c.street, c.postcode) == ("5", "hauptstrasse", "10115")
    assert parse_address("") is None and parse_address(";;;;;;") is None


def test_street_typos_transposed_numbers_and_missing_parts() -> None:
    home = parse_address(adr("48", "Goldfinch Circuit", "Canterbury", "2776"))
    typo = parse_address(
        adr("48", "goldfinch cct", "canterbuyr", "2767")
    )  # abbreviated, typo, swapped digits
    moved_number = parse_address(adr("84", "Goldfinch Circuit", "Canterbury", "2776"))
    no_number = parse_address(";;goldfinchcircuit;canterbury;;2776;")  # a lost space, no number
    elsewhere = parse_address(adr("3", "Giblin Street", "Bittern", "4814"))
    assert home and typo and moved_number and no_number and elsewhere
    m = compare_addresses(home, typo)
    assert (m.street or 0) >= 0.85 and m.postcode == 0.5 and (m.town or 0) >= 0.75
    assert 0.7 <= (compare_addresses(home, moved_number).street or 0) < 0.85  # a transposed house number
    assert 0.7 <= (compare_addresses(home, no_number).street or 0) < 0.85
    far = compare_addresses(home, elsewhere)
    assert (far.street or 0) < 0.5 and far.postcode == 0.0 and far.town == 0.0


@pytest.mark.parametrize(
    ("names", "birthday", "street", "band"),
    [
        ("same", EXACT, None, "auto_merge"),  # the name and the full birthday
        ("same", None, "48", "auto_merge"),  # the name and the street address
        ("same", NEAR, "48", "auto_merge"),  # a slip in the birthday, the same street address
        ("same", NEAR, None, "review"),
        ("same", DIFFERENT, "48", "ignore"),  # [birthday-rule]: a veto, even at the same address
        ("compatible", EXACT, None, "review"),  # "Brooks" and "Joshua Brooks": a household shares more
        ("compatible", EXACT, "48", "auto_merge"),
        ("different", EXACT, "48", "review"),  # twins look like this
        ("different", EXACT, None, "ignore"),
        ("different", None, "48", "ignore"),  # a family at one address
    ],
)
def test_the_band_of_two_person_records(
    names: str, birthday: str | None, street: str | None, band: str
) -> None:
    home = parse_address(adr("48", "Goldfinch Circuit", "Canterbury", "2776"))
    there = parse_address(
        adr(street or "3", "Goldfinch Circuit" if street else "Giblin St", "Elsewhere", "4814")
    )
    assert home and there
    verdict, reason = person_verdict(names, birthday, True, compare_addresses(home, there), None)
    assert verdict == band and reason


@pytest.mark.parametrize(
    ("names", "birthday", "postcode", "band"),
    [
        # the house number one slip off (48, 46) at the same postcode: the same street address
        ("same", None, "2776", "auto_merge"),
        ("same", None, "2777", "review"),  # the postcode one slip off as well: only the same street
        ("compatible", EXACT, "2776", "auto_merge"),  # "Boulter", "Alexandra Boulter", one birthday
        ("compatible", EXACT, "2777", "review"),
        ("compatible", None, "2776", "review"),  # a household: the address alone never settles it
        ("given", EXACT, "2776", "auto_merge"),  # a married name
        ("given", EXACT, "2777", "review"),
        ("different", EXACT, "2776", "review"),  # twins: different names never merge
    ],
)
def test_a_street_one_slip_off_at_the_same_postcode_counts_as_the_street_address(
    names: str, birthday: str | None, postcode: str, band: str
) -> None:
    home = parse_address(adr("48", "Goldfinch Circuit", "Canterbury", "2776"))
    slip = parse_address(adr("46", "Goldfinch Circuit", "Canterbury", postcode))
    assert home and slip
    m = compare_addresses(home, slip)
    assert 0.7 <= (m.street or 0) < 0.85  # one slip: not the same street address on its own
    verdict, reason = person_verdict(names, birthday, True, m, None)
    assert verdict == band, reason


def test_a_shorter_name_with_the_birthday_and_a_slipped_house_number_merges() -> None:
    a = P(
        full_name="alexandra boulter",
        birthday="1942-07-22",
        addresses=[adr("22", "tazewell circuit", "potts point", "2450", "berkeley vlge")],
    )
    b = P(
        full_name="boulter",
        birthday="1942-07-22",
        addresses=[adr("20", "tazewell circuit", "potts point", "2450", "berkeley vlge")],
    )
    ex = dom.explain(a, b)
    assert ex.band == "auto_merge", ex.to_dict()
    moved = P(
        full_name="boulter",
        birthday="1942-07-22",
        addresses=[adr("20", "tazewell circuit", "potts point", "2540", "berkeley vlge")],
    )
    assert dom.band(dom.score(a, moved)) == "review"


def test_two_john_smiths_with_different_birthdays_are_never_merged_nor_queued() -> None:
    a = P(
        full_name="John Smith",
        birthday="1980-03-04",
        addresses=[adr("6", "Tullaroop St", "St James", "4011")],
    )
    b = P(
        full_name="John Smith",
        birthday="1952-11-20",
        addresses=[adr("6", "Tullaroop St", "St James", "4011")],
    )
    ex = dom.explain(a, b)
    assert ex.band == "ignore" and ex.score <= 0.50
    assert "different birthdays" in ex.summary
    # with a company and emails to compare as well (not only person data): still the veto
    c = P(full_name="John Smith", company="Acme", birthday="1980-03-04")
    d = P(full_name="John Smith", company="Acme", birthday="1952-11-20")
    assert dom.score(c, d) <= 0.50


def test_a_febrl_like_pair_with_a_transposed_date_and_a_typo_in_the_street() -> None:
    org = P(
        given_name="deakin",
        family_name="sondergeld",
        birthday="1960-02-10",
        addresses=[adr("48", "goldfinch circuit", "canterbury", "2776", "kooltuo")],
        location="canterbury, vic",
    )
    dup = P(
        given_name="deakin",
        family_name="sondregeld",
        birthday="1960-02-01",
        addresses=[adr("48", "goldfinch crcuit", "canterbury", "2776", "kooltuo")],
        location="canterbury, vic",
    )
    ex = dom.explain(org, dup)
    # the same name up to a slip, the same street address, a birthday one slip apart: merged
    assert ex.band == "auto_merge", ex.to_dict()
    assert "the same street address" in ex.summary and "birthdays one slip apart" in ex.summary
    # moved elsewhere, the name and a birthday one slip apart are only asked about
    dup_moved = P(
        given_name="deakin",
        family_name="sondregeld",
        birthday="1960-02-01",
        addresses=[adr("3", "giblin street", "bittern", "4814")],
    )
    assert dom.band(dom.score(org, dup_moved)) == "review"


def test_names_with_split_joined_or_rotated_parts_and_short_names() -> None:
    t = dom.name_tokens
    assert dom.name_similarity(t("jacqueline newb ofund"), t("jacqueline newbound")) >= 0.8
    assert dom.name_similarity(t("macgo wan darcie"), t("darcie macgowan")) >= 0.8
    assert dom.name_similarity(t("van groesen chelsea"), t("chelsea van groesen")) >= 0.9
    assert dom.name_similarity(t("aym dudlley"), t("amy dudley")) >= 0.8  # swapped letters are one slip
    assert dom.name_similarity(t("ada farouk"), t("radia farouk")) < 0.5  # two edits in a short name
    assert not dom.names_compatible(t("ada farouk"), t("radia farouk"))


def test_skipped_namesakes_never_hide_a_pair_the_scorer_would_ask_about() -> None:
    """`namesakes_only` lets the scan skip crowds of namesakes; every pair it skips scores below review."""
    import itertools
    import random

    rng = random.Random(5)
    people = []
    for i in range(60):
        row: dict[str, object] = {"id": str(i), "full_name": "Wei Dubois", "name_count": 60}
        if rng.random() < 0.5:
            row["company"] = rng.choice(["Acme", "Globex", "Initech"])
        if rng.random() < 0.5:
            row["birthday"] = rng.choice(["1980-03-04", "1980-03-05", "03-04", "1975-11-22"])
        if rng.random() < 0.3:
            row["emails"] = [rng.choice(["w@acme.io", "wei@gmail.com", "wd@globex.com"])]
        if rng.random() < 0.2:
            row["location"] = rng.choice(["London", "Paris"])
        if rng.random() < 0.2:
            row["tags"] = ["friend"]
        people.append(dom.person(row))
    skipped = [(a, b) for a, b in itertools.combinations(people, 2) if dom.namesakes_only(a, b)]
    assert skipped
    assert all(dom.score(a, b) < dom.REVIEW for a, b in skipped)


def test_the_job_title_is_weak_support() -> None:
    same = dom.explain(P(full_name="Alex Wearn", title="CTO"), P(full_name="Alex Wearn", title="cto"))
    assert same.band == "review" and same.score == 0.80 and "the same job title" in same.summary
    other = dom.explain(P(full_name="Alex Wearn", title="CTO"), P(full_name="Alex Wearn", title="Designer"))
    assert other.band == "ignore" and other.score <= 0.60 and "different job titles" in other.summary
