"""`pcrm contacts related` tells colleagues by the company key [company-orgs], as organizations are told
apart: it compared the casefolded company names, so 株式会社ソニー and ソニー株式会社, or "Acme Inc." and
"ACME", were two companies there until the user merged their organizations (`pcrm contacts related ada`
answered "no related contacts"). A company whose key differs ("Acme Rockets") is still another one."""

from __future__ import annotations

from typing import Any


def test_colleagues_are_found_by_the_company_key(crm: Any, cli: Any) -> None:
    crm.add("Ada Sony", "--company", "ソニー株式会社")
    crm.add("Bob Sony", "--company", "株式会社ソニー")
    crm.add("Cy Acme", "--company", "Acme Inc.")
    crm.add("Dee Acme", "--company", "ACME")
    crm.add("Eve Acme", "--company", "Acme Rockets")
    crm.add("Fay Gazprom", "--company", "ПАО Газпром")
    crm.add("Gus Gazprom", "--company", "Gazprom")
    crm.add("Hal Nobody", "--company", "Inc.")  # no key: told by its folded name, as before
    crm.add("Ivy Nobody", "--company", "inc.")

    def related(who: str) -> list[tuple[str, list[str]]]:
        return [(c["full_name"], c["reasons"]) for c in cli.json("contacts", "related", who)["data"]]

    assert related("Ada Sony") == [("Bob Sony", ["Same company"])]
    assert related("Cy Acme") == [("Dee Acme", ["Same company"])]
    assert related("Eve Acme") == []
    assert related("Gus Gazprom") == [("Fay Gazprom", ["Same company"])]
    assert related("Hal Nobody") == [("Ivy Nobody", ["Same org"])]
    table = cli("contacts", "related", "Dee Acme", "--format", "table").stdout
    assert "Cy Acme" in table and "Same company" in table
