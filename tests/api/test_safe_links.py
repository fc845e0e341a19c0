"""LinkedIn URLs and the other fields a UI shows as links [linkedin-urls] [safe-links]: http(s) addresses (or
no scheme) and bare profile slugs only. Another scheme (`javascript:`, `data:`, `vbscript:`), a space or
another host is refused with a 422 and a hint on every path that sets them (API create and update, CLI add and
edit, organizations), and reported per row by an import, which goes on with the good rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import Cli

V = "/api/v1"
BAD_LINKEDIN = [
    "vbscript:msgbox",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,hi",
    "ftp://www.linkedin.com/in/ada",
    "https://evil.example/in/ada",
    "https://www.linkedin.com.evil.example/in/ada",
    "https://www.linkedin.com@evil.example/in/ada",
    "https://www.linkedin.com/in/ada lovelace",
    "two words",
    "<script>",
]
GOOD_LINKEDIN = [
    ("https://www.linkedin.com/in/Ada-Lovelace/", "ada-lovelace"),
    ("http://linkedin.com/in/ada_l?trk=public", "ada_l"),
    ("www.linkedin.com/in/ada-l2/", "ada-l2"),
    ("uk.linkedin.com/in/j%C3%BCrgen", "jürgen"),
    ("ada-lovelace-12", "ada-lovelace-12"),
    ("ACoAABcdEF", "ACoAABcdEF"),
]


@pytest.mark.parametrize("bad", BAD_LINKEDIN)
def test_api_refuses_a_linkedin_url_that_is_not_linkedin(api: Any, bad: str) -> None:
    before = api.get(f"{V}/contacts").json()["meta"]["total"]
    r = api.post(f"{V}/contacts", json={"full_name": "X", "linkedin_url": bad})
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert err["code"] == "validation_error" and "linkedin_url" in err["message"]
    assert "linkedin.com/in/" in err["hint"]
    assert api.get(f"{V}/contacts").json()["meta"]["total"] == before  # nothing created

    cid = api.post(f"{V}/contacts", json={"full_name": "Y", "linkedin_url": "ada-y"}).json()["data"]["id"]
    assert api.put(f"{V}/contacts/{cid}", json={"linkedin_url": bad}).status_code == 422
    got = api.get(f"{V}/contacts/{cid}").json()["data"]
    assert (got["linkedin_url"], got["linkedin_profile_id"]) == ("ada-y", "ada-y")


@pytest.mark.parametrize(("url", "slug"), GOOD_LINKEDIN)
def test_api_takes_linkedin_addresses_and_slugs(api: Any, url: str, slug: str) -> None:
    r = api.post(f"{V}/contacts", json={"full_name": "X", "linkedin_url": url})
    assert r.status_code == 201, r.text
    assert r.json()["data"]["linkedin_profile_id"] == slug


@pytest.mark.parametrize("field", ["avatar_url", "whatsapp_avatar_url"])
@pytest.mark.parametrize(
    "bad", ["javascript:alert(1)", "data:text/html,<b>hi</b>", "vbscript:x", "file:///etc"]
)
def test_api_refuses_other_schemes_in_link_fields(api: Any, field: str, bad: str) -> None:
    r = api.post(f"{V}/contacts", json={"full_name": "X", field: bad})
    assert r.status_code == 422, r.text
    assert r.json()["error"]["hint"].startswith("give an http(s) address")
    ok = {"full_name": "X", field: "https://example.com/a.jpg"}
    assert api.post(f"{V}/contacts", json=ok).status_code == 201


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("website", "javascript:alert(1)"),
        ("website", "data:text/html,hi"),
        ("website", "notaurl"),  # a word: no site a logo or a link reaches
        ("website", "https://localhost/x"),
        ("website", "/static/logo.png"),
        ("linkedin_url", "javascript:alert(1)"),
        ("linkedin_url", "https://evil.example/company/acme"),
    ],
)
def test_api_refuses_bad_organization_links(api: Any, field: str, bad: str) -> None:
    r = api.post(f"{V}/organizations", json={"name": "Acme", field: bad})
    assert r.status_code == 422, r.text
    assert r.json()["error"]["hint"]
    good = {"name": "Acme", "website": "acme.test", "linkedin_url": "https://www.linkedin.com/company/acme/"}
    org = api.post(f"{V}/organizations", json=good).json()["data"]
    assert (org["website"], org["linkedin_url"]) == ("acme.test", "https://www.linkedin.com/company/acme")
    assert api.patch(f"{V}/organizations/{org['id']}", json={field: bad}).status_code == 422


def test_cli_add_and_edit_refuse_a_bad_linkedin_url(cli: Cli) -> None:
    cli("init")
    err = cli.json("contacts", "add", "--name", "Ada", "--linkedin", "javascript:alert(1)", ok=False)["error"]
    assert err["code"] == "validation_error" and "linkedin.com/in/" in err["hint"]
    added = cli.json("contacts", "add", "--name", "Ada", "--linkedin", "linkedin.com/in/ada")["data"]
    assert added["linkedin_profile_id"] == "ada"
    cli.json("contacts", "edit", added["id"], "--linkedin", "data:text/html,hi", ok=False)
    shown = cli.json("contacts", "show", added["id"])["data"]
    assert shown["linkedin_url"] == "linkedin.com/in/ada"


def test_an_import_reports_a_bad_linkedin_url_per_row(cli: Cli, tmp_path: Path) -> None:
    cli("init")
    f = tmp_path / "people.csv"
    f.write_text(
        "full_name,email,linkedin_url\n"
        "Good One,one@x.test,https://www.linkedin.com/in/good-one\n"
        "Bad Two,two@x.test,javascript:alert(1)\n"
    )
    rep = cli.json("import", str(f))["data"]
    assert rep["contacts_created"] == 2
    assert len(rep["errors"]) == 1 and rep["errors"][0].startswith("Row 3: ignored linkedin_url")
    people = {c["full_name"]: c for c in cli.json("contacts", "list", "--all")["data"]}
    assert people["Good One"]["linkedin_profile_id"] == "good-one"
    assert people["Bad Two"]["linkedin_url"] is None and people["Bad Two"]["emails"] == ["two@x.test"]


def test_an_older_website_no_longer_taken_does_not_block_an_edit(api: Any, pcrm_home: Path) -> None:
    """An older pcrm took a website such as 'notaurl': a client sending the organization's whole form back
    keeps it; typed anew (here or on another organization) it is refused."""
    import apsw

    org = api.post(f"{V}/organizations", json={"name": "Oldsite", "website": "oldsite.test"}).json()["data"]
    conn = apsw.Connection(str(pcrm_home / "pcrm.db"))
    conn.execute("UPDATE organizations SET website = 'notaurl' WHERE uuid = ?", (org["id"],))
    conn.close()
    r = api.patch(f"{V}/organizations/{org['id']}", json={"website": "notaurl", "industry": "Fintech"})
    assert r.status_code == 200, r.text
    assert (r.json()["data"]["website"], r.json()["data"]["industry"]) == ("notaurl", "Fintech")
    other = api.post(f"{V}/organizations", json={"name": "Newsite"}).json()["data"]
    assert api.patch(f"{V}/organizations/{other['id']}", json={"website": "notaurl"}).status_code == 422
    assert api.patch(f"{V}/organizations/{org['id']}", json={"website": "javascript:x"}).status_code == 422
