"""An organization's domain is its own [company-orgs]: taken from its contacts' work emails only when no
organization of another company holds it and the import did not see it for several companies. One CSV
import created 300 organizations, every one with the domain bulk.example from its contacts' addresses,
and `orgs duplicates scan` would then have merged them all into one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.crm import Crm


def _csv(tmp_path: Path, rows: list[tuple[str, str, str]], name: str = "people.csv") -> Path:
    f = tmp_path / name
    f.write_text(
        "full_name,email,company\n" + "".join(f"{n},{e},{c}\n" for n, e, c in rows), encoding="utf-8"
    )
    return f


def _domains(crm: Crm) -> dict[str, str | None]:
    orgs = [json.loads(line) for line in crm.cli("orgs", "list", "--all", "--nl").stdout.splitlines()]
    return {o["name"]: o["domain"] for o in orgs}


def test_a_mail_host_many_companies_share_is_none_of_theirs(crm: Crm, tmp_path: Path) -> None:
    rows = [(f"Person {k:03d}", f"p{k}@bulk.example", f"Company {k:03d}") for k in range(40)]
    rows += [
        ("Ada Lovelace", "ada@acme.io", "Acme"),
        ("Bea Acme", "bea@acme.io", "ACME Inc."),  # the same company, written another way
        ("Cy Gmail", "cy@gmail.com", "Solo Works"),  # a personal mailbox names no employer
    ]
    crm.cli.json("import", str(_csv(tmp_path, rows)))
    domains = _domains(crm)
    assert len(domains) == 43
    assert "bulk.example" not in domains.values()
    assert domains["Company 000"] is None and domains["Company 039"] is None
    assert domains["Acme"] == "acme.io" and domains["ACME Inc."] == "acme.io"
    assert domains["Solo Works"] is None
    # so the scan merges the one company's two spellings, and none of the 40 companies
    scan = crm.cli.json("orgs", "duplicates", "scan")
    assert [(m["kept"], m["merged_away"]) for m in scan["meta"]["merges"]] == [("Acme", "ACME Inc.")]
    assert len(_domains(crm)) == 42


def test_a_domain_another_company_holds_is_not_taken(crm: Crm, tmp_path: Path) -> None:
    """An organization of another company holding the domain (typed by the user, or taken earlier) keeps it
    alone; an organization keeps the domain it has, whatever its contacts' emails."""
    crm.cli("orgs", "add", "Umbrella", "--domain", "umbrella.example")
    crm.cli("orgs", "add", "Hooli", "--domain", "hooli.example")
    crm.add("Ann Agency", "--email", "ann@umbrella.example", "--company", "Initech")
    crm.cli.json(
        "import",
        str(
            _csv(
                tmp_path,
                [
                    ("Bob Reseller", "bob@umbrella.example", "Globex"),
                    ("Cat Hooli", "cat@elsewhere.example", "Hooli"),
                ],
            )
        ),
    )
    domains = _domains(crm)
    assert domains == {
        "Umbrella": "umbrella.example",
        "Hooli": "hooli.example",
        "Initech": None,
        "Globex": None,
    }
    # the next work domain of a contact can still be the organization's own
    crm.add(
        "Dee Initech",
        "--email",
        "dee@umbrella.example",
        "--email",
        "dee@initech.example",
        "--company",
        "Initech",
    )
    assert _domains(crm)["Initech"] == "initech.example"


def test_a_later_batch_takes_back_a_domain_it_shows_is_shared(
    crm: Crm, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A streamed file is written batch by batch: a domain one company had alone in the first batch and a
    second company shows up with in a later one is taken back from the organization this import gave it;
    a domain the user typed stays."""
    from pcrm.formats import base

    monkeypatch.setattr(base, "BATCH", 3)
    crm.cli("orgs", "add", "Delta")  # no domain yet
    crm.cli("orgs", "add", "Zeta", "--domain", "zeta.example")
    rows = [
        ("Al One", "al@shared.example", "Acme"),
        ("Bo Two", "bo@shared.example", "Acme"),
        ("Di Three", "di@d-mail.example", "Delta"),
        # the second batch
        ("Ed Four", "ed@shared.example", "Beta"),
        ("Fe Five", "fe@d-mail.example", "Epsilon"),
        ("Gi Six", "gi@gamma.example", "Gamma"),
        # the third
        ("Ha Seven", "ha@zeta.example", "Eta"),
        ("Io Eight", "io@zeta.example", "Zeta"),
    ]
    batch = crm.cli.json("import", str(_csv(tmp_path, rows)))["data"]["batch_id"]
    assert _domains(crm) == {
        "Acme": None,
        "Beta": None,
        "Delta": None,
        "Epsilon": None,
        "Gamma": "gamma.example",
        "Eta": None,
        "Zeta": "zeta.example",
    }
    crm.cli("import", "undo", batch, "--yes")
    assert _domains(crm) == {"Delta": None, "Zeta": "zeta.example"}


def test_one_company_alone_on_its_domain_still_gets_it(crm: Crm, tmp_path: Path) -> None:
    rows = [("Al One", "al@initech.example", "Initech"), ("Bo Two", "bo@initech.example", "Initech")]
    crm.cli.json("import", str(_csv(tmp_path, rows)))
    assert _domains(crm) == {"Initech": "initech.example"}
