"""A contact reference with a typo [near-names]: `pcrm note add lovelase ...` is still refused and changes
nothing, but the hint names the contacts a letter or two off (`did you mean Ada Lovelace (5f45431e)?`) instead
of only a search for the typo, which finds nothing either."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.crm import Crm


@pytest.fixture
def people(crm: Crm) -> dict[str, str]:
    ids = {}
    for name in ("Ada Lovelace", "Louis Lovelace", "Grace Hopper", "Alan Turing", "Zoë Ångström"):
        ids[name] = crm.add(name)["id"]
    return ids


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Ada Lovelase", ["Ada Lovelace"]),
        ("lovelace ada", ["Ada Lovelace"]),  # either order
        ("Grace Hoper", ["Grace Hopper"]),
        ("GRACE HOPER", ["Grace Hopper"]),
        ("lovelase", ["Ada Lovelace", "Louis Lovelace"]),  # one word: a word of each name
        ("Turnig", ["Alan Turing"]),
        ("zoe angstrom", []),  # accent-blind: it is Zoë Ångström herself, nothing to guess
    ],
)
def test_a_typo_names_the_people_meant(
    crm: Crm, people: dict[str, str], typed: str, meant: list[str]
) -> None:
    if not meant:
        assert crm.show(typed)["full_name"] == "Zoë Ångström"
        return
    err = crm.rejects("note", "add", typed, "lunch", code="not_found", says=f"no contact matches {typed!r}")
    assert [c["full_name"] for c in err["details"]["near"]] == meant, err
    assert [c["id"] for c in err["details"]["near"]] == [people[n] for n in meant]
    listed = [f"{n} ({people[n][:8]})" for n in meant]
    assert err["hint"].startswith(f"did you mean {' or '.join(listed)}?"), err
    assert "pcrm contacts list --search" in err["hint"]


def test_nothing_close_keeps_the_search_hint(crm: Crm, people: dict[str, str]) -> None:
    for typed in ("Edsger Dijkstra", "Adx"):  # a name far from all, and one too short to guess from
        err = crm.rejects("contacts", "show", typed, code="not_found")
        assert err["details"] == {} and err["hint"].startswith("search with `pcrm contacts list --search"), (
            err
        )


def test_too_many_candidates_get_no_guess(
    crm: Crm, people: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Names are compared one by one only when few enough start as a typed word does."""
    from pcrm.domain import near_names

    monkeypatch.setattr(near_names, "MOST", 1)  # the two Lovelaces are too many
    err = crm.rejects("contacts", "show", "lovelase", code="not_found")
    assert err["details"] == {} and "did you mean" not in err["hint"], err
    monkeypatch.setattr(near_names, "MOST", 2)
    err = crm.rejects("contacts", "show", "lovelase", code="not_found")
    assert len(err["details"]["near"]) == 2, err


def test_an_organization_typed_with_a_typo_gets_did_you_mean(crm: Crm) -> None:
    """`pcrm orgs show Hoolie` offered only a search for the typo [near-names]."""
    hooli = crm.cli.json("orgs", "add", "Hooli")["data"]["id"]
    piper = crm.cli.json("orgs", "add", "Pied Piper")["data"]["id"]
    err = crm.rejects("orgs", "show", "Hoolie", code="not_found", says="no organization matches 'Hoolie'")
    assert err["hint"].startswith(f"did you mean Hooli ({hooli[:8]})? or search with"), err
    assert err["details"]["near"] == [{"id": hooli, "name": "Hooli"}]
    err = crm.rejects("orgs", "show", "piedpiper", code="not_found")
    assert [o["id"] for o in err["details"]["near"]] == [piper]
    err = crm.rejects("orgs", "show", "Zyxwvut", code="not_found")
    assert err["hint"].startswith("search with `pcrm orgs list") and err["details"] == {}, err


def test_an_import_format_by_another_name_gets_did_you_mean(crm: Crm, fx: Path) -> None:
    """`pcrm import --format vcf` listed every format but did not say that vcf is vcard."""
    for typed, meant in (("vcf", "vcard"), ("VCF", "vcard"), ("linkdin", "linkedin")):
        err = crm.rejects("import", "--format", typed, str(fx / "contacts30.vcf"), code="bad_request")
        assert err["hint"].startswith(f"did you mean {meant}? use one of: "), err
        assert err["details"]["near"] == [meant]
    err = crm.rejects("import", "--format", "zzz", str(fx / "contacts30.vcf"), code="bad_request")
    assert err["hint"].startswith("use one of: ") and err["details"]["near"] == []
