"""[company-orgs]: the company key that says two contacts share an employer reads names in every script.
It was empty for a name in Han, Kana, Hangul, Arabic or Hebrew (株式会社ソニー, 腾讯, 삼성전자), so two
spellings of one such company never counted as one employer while every two such companies agreed on the
empty key (腾讯 passed for the organization 삼성전자); Greek lost its accented letters ("Πετρέλαια" was
"petr laia") and the legal forms of those languages stayed in the key."""

from __future__ import annotations

from typing import Any

import pytest

from pcrm.domain.identity_names import company_key
from tests.support.api import fields, ok

ONE_COMPANY = [
    ("株式会社ソニー", "ソニー株式会社"),
    ("ソニー㈱", "（株）ソニー"),
    ("腾讯", "腾讯有限公司"),
    ("阿里巴巴集团", "阿里巴巴股份有限公司"),
    ("삼성전자 주식회사", "(주)삼성전자"),
    ("㈜삼성전자", "삼성전자"),
    ("ООО «Ромашка»", "Ромашка"),
    ("ПАО Газпром", "Gazprom"),
    ("Ελληνικά Πετρέλαια Α.Ε.", "ΕΛΛΗΝΙΚΑ ΠΕΤΡΕΛΑΙΑ"),
    ("شركة أرامكو السعودية", "ارامكو السعودية"),
    ('אל על בע"מ', "אֵל עַל"),
    ("Acme S.A.", "ACME"),
    ("Müller GmbH & Co. KG", "Müller"),
    ("Công ty TNHH Vinamilk", "Vinamilk"),
]

TWO_COMPANIES = [
    ("株式会社ソニー", "株式会社トヨタ"),
    ("腾讯", "삼성전자"),
    ("腾讯", "阿里巴巴"),
    ("ガス", "カス"),
    ("Газпром", "Роснефть"),
    ("אל על", "שופרסל"),
]


@pytest.mark.parametrize(("a", "b"), ONE_COMPANY)
def test_two_spellings_of_one_company_have_one_key(a: str, b: str) -> None:
    assert company_key(a) and company_key(a) == company_key(b)


@pytest.mark.parametrize(("a", "b"), TWO_COMPANIES)
def test_two_companies_have_two_keys(a: str, b: str) -> None:
    assert company_key(a) and company_key(b) and company_key(a) != company_key(b)


def test_a_name_of_legal_forms_alone_has_no_key() -> None:
    assert [company_key(x) for x in ("株式会社", "有限公司", "ООО", "The Company Ltd.")] == ["", "", "", ""]


def test_cjk_spellings_of_one_company_are_a_pair_for_review(cli: Any) -> None:
    """`pcrm orgs duplicates scan` asked about "Acme Inc." and "ACME" but never about 株式会社ソニー and
    ソニー株式会社 (no key); now it does, and about no two companies."""
    names = (
        "株式会社ソニー",
        "ソニー株式会社",
        "腾讯",
        "삼성전자 주식회사",
        "(주)삼성전자",
        "株式会社トヨタ",
    )
    for name in names:
        cli("orgs", "add", name)
    cli("orgs", "duplicates", "scan")
    pairs = cli.json("orgs", "duplicates")["data"]
    names = sorted(tuple(sorted((p["org_a"]["name"], p["org_b"]["name"]))) for p in pairs)
    assert names == [("(주)삼성전자", "삼성전자 주식회사"), ("ソニー株式会社", "株式会社ソニー")]


def test_two_people_at_one_cjk_company_stay_two(cli: Any, imp: Any, tmp_path: Any) -> None:
    """Colleagues at 株式会社ソニー (spelt two ways) are two people to `pcrm identity scan`: a shared
    employer is no reason to merge them."""
    f = tmp_path / "sony.csv"
    f.write_text(
        "Name,Email,Company\n山田太郎,taro@sony.co.jp,株式会社ソニー\n佐藤花子,hanako@sony.co.jp,ソニー株式会社\n",
        encoding="utf-8",
    )
    imp(f)
    cli("identity", "scan")
    names = sorted(c["full_name"] for c in cli.json("contacts", "list")["data"])
    assert names == ["佐藤花子", "山田太郎"]


@pytest.mark.anyio
async def test_a_cjk_company_naming_another_organization_is_refused(
    client: Any, script: dict[str, str]
) -> None:
    """PUT {"company": "腾讯", "organization_id": <삼성전자's id>} stored Tencent linked to Samsung (both keys
    were empty, so they "agreed"); now it is refused as for Latin names, and 삼성전자 주식회사 agrees."""
    org = ok(await client.post("/api/v1/organizations", headers=script, json={"name": "삼성전자"}), 201)
    made = ok(await client.post("/api/v1/contacts", headers=script, json={"full_name": "김민수"}), 201)
    org, made = org["data"], made["data"]
    url = f"/api/v1/contacts/{made['id']}"
    r = await client.put(url, headers=script, json={"company": "腾讯", "organization_id": org["id"]})
    assert sorted(fields(r)) == ["company", "organization_id"]
    same = {"company": "삼성전자 주식회사", "organization_id": org["id"]}
    assert ok(await client.put(url, headers=script, json=same))["data"]["organization_id"] == org["id"]
