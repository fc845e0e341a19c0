"""A contact reference with a typo [near-names]: `pcrm note add lovelase ...` is still refused and changes
nothing, but the hint names the contacts a letter or two off (`did you mean Ada Lovelace (5f45431e)?`) instead
of only a search for the typo, which finds nothing either."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
        ("lovelace adda", ["Ada Lovelace"]),  # either order (without the typo it is Ada: by its words)
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
        err = crm.rejects("import", "--format", typed, str(fx / "contacts30.vcf"), code="validation_error")
        # said in the message, which the reference's detail[0].msg shows too [error-detail]
        assert err["message"].endswith(f"; did you mean {meant}?"), err
        assert err["hint"].startswith("use one of: "), err
        assert err["details"]["near"] == [meant]
    err = crm.rejects("import", "--format", "zzz", str(fx / "contacts30.vcf"), code="validation_error")
    assert err["hint"].startswith("use one of: ") and err["details"]["near"] == []


def test_a_search_that_finds_nobody_names_the_people_meant(crm: Crm, people: dict[str, str]) -> None:
    """`pcrm contacts search lovelase` said only that nothing matched; it now offers the same near names as a
    reference with the typo, in its empty message and in meta.did_you_mean (--json)."""
    meant = [
        f"Ada Lovelace ({people['Ada Lovelace'][:8]})",
        f"Louis Lovelace ({people['Louis Lovelace'][:8]})",
    ]
    said = f"no contacts match; did you mean {' or '.join(meant)}?"
    for args in (("contacts", "search", "lovelase"), ("contacts", "list", "--search", "lovelase")):
        table = crm.cli(*args, "--format", "table")
        assert said in " ".join(table.stdout.split()), table.stdout
        piped = crm.cli(*args)  # a pipe: no rows on stdout, the sentence on stderr
        assert piped.stdout == "" and said in " ".join(piped.stderr.split()), piped.stderr
        got = crm.cli.json(*args)
        assert got["data"] == [] and got["meta"]["total"] == 0
        assert got["meta"]["did_you_mean"] == [
            {"id": people["Ada Lovelace"], "full_name": "Ada Lovelace"},
            {"id": people["Louis Lovelace"], "full_name": "Louis Lovelace"},
        ]
    got = crm.cli.json("contacts", "search", "grace", "hoper")["meta"]["did_you_mean"]
    assert got == [{"id": people["Grace Hopper"], "full_name": "Grace Hopper"}]


def test_only_an_empty_search_names_people_and_only_those_the_list_shows(
    crm: Crm, people: dict[str, str]
) -> None:
    found = crm.cli.json("contacts", "list", "--search", "lovelace")
    assert found["meta"]["total"] == 2 and "did_you_mean" not in found["meta"]
    for term in ("edsger dijkstra", "adx"):  # nothing close, too short to guess from
        got = crm.cli.json("contacts", "list", "--search", term)
        assert got["meta"]["total"] == 0 and "did_you_mean" not in got["meta"], term
        piped = crm.cli("contacts", "list", "--search", term)
        assert "did you mean" not in piped.stderr and "without filters lists every one" in piped.stderr
    # the other filters hold: an archived contact only with --include-archived, a tag the list asks for
    crm.cli("contacts", "edit", people["Louis Lovelace"], "--priority", "archived")
    crm.cli("contacts", "tag", people["Ada Lovelace"], "mathematics")

    def meant(*args: str) -> list[str]:
        got = crm.cli.json("contacts", "list", "--search", "lovelase", *args)["meta"]
        return [c["full_name"] for c in got.get("did_you_mean", [])]

    assert meant() == ["Ada Lovelace"]
    assert meant("--include-archived") == ["Ada Lovelace", "Louis Lovelace"]
    assert meant("--archived-only") == ["Louis Lovelace"]
    assert meant("--tag", "mathematics") == ["Ada Lovelace"]
    assert meant("--tag", "chess") == []


def test_the_api_names_them_in_meta(empty_api: Any) -> None:
    """GET /contacts?search= that finds nobody: meta.did_you_mean, additive (absent otherwise), and the
    response still matches the documented schema (the checked client)."""
    ids = {}
    for name in ("Ada Lovelace", "Grace Hopper"):
        r = empty_api.post("/api/v1/contacts", json={"full_name": name})
        assert r.status_code == 201, r.text
        ids[name] = r.json()["data"]["id"]
    meta = empty_api.get("/api/v1/contacts", params={"search": "lovelase"}).json()["meta"]
    assert meta["total"] == 0
    assert meta["did_you_mean"] == [{"id": ids["Ada Lovelace"], "full_name": "Ada Lovelace"}]
    meta = empty_api.get("/api/v1/contacts", params={"search": "lovelace"}).json()["meta"]
    assert set(meta) == {"total", "page", "page_size", "total_pages", "total_is_estimate", "has_more"}
    meta = empty_api.get("/api/v1/contacts", params={"search": "nobody-has-this-name"}).json()["meta"]
    assert set(meta) == {"total", "page", "page_size", "total_pages", "total_is_estimate", "has_more"}


def test_the_search_hint_is_a_command_the_shell_runs(crm: Crm, people: dict[str, str]) -> None:
    """`pcrm contacts show "(no name)"` hinted `pcrm contacts list --search (no`, which a shell refuses."""
    err = crm.rejects("contacts", "show", "(no name)", code="not_found")
    assert err["hint"] == "search with `pcrm contacts list --search '(no'`", err
    err = crm.rejects("contacts", "show", "Edsger Dijkstra", code="not_found")
    assert err["hint"] == "search with `pcrm contacts list --search Edsger`", err
