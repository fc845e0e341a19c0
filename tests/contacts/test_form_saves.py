"""A whole form saved without a change marked every protectable field it held as edited, blanks included
[no-op-edits]: `PUT /contacts/ID` of the name with null title, company, location and notes answered
`meta.unchanged` yet protected all five, and a later CSV import kept its title, company... aside instead of
filling the empty fields. An empty field sent empty again is no value given: it is never marked. A value sent
back as it is stays the user's (they saw it and kept it), and meta says which fields an edit made theirs."""

from __future__ import annotations

from typing import Any

from tests.support.crm import Crm

V = "/api/v1"
CSV = (
    "name,email,title,company,location,notes\n"
    "Form Saver,form.saver@example.com,Engineer,Saver Works,Lisbon,met at a fair\n"
)


def _saver(api: Any) -> dict[str, Any]:
    r = api.post(f"{V}/contacts", json={"full_name": "Form Saver", "emails": ["form.saver@example.com"]})
    assert r.status_code == 201, r.text
    return r.json()["data"]


def _import(api: Any) -> dict[str, Any]:
    r = api.post(f"{V}/contacts/import/csv", files={"file": ("people.csv", CSV.encode(), "text/csv")})
    assert r.status_code == 200, r.text
    return r.json()["data"]


def test_a_form_saved_with_its_blanks_protects_none_of_them(api: Any) -> None:
    saver = _saver(api)
    body = {"full_name": "Form Saver", "title": None, "company": None, "location": None, "notes": None}
    out = api.put(f"{V}/contacts/{saver['id']}", json=body).json()
    assert out["meta"] == {"unchanged": True, "protected": ["full_name"]}
    assert out["data"]["user_edited_fields"] == ["full_name"]
    _import(api)
    got = api.get(f"{V}/contacts/{saver['id']}").json()["data"]
    assert (got["title"], got["company"], got["location"], got["notes"]) == (
        "Engineer",
        "Saver Works",
        "Lisbon",
        "met at a fair",
    )


def test_a_contact_sent_back_as_get_gave_it_protects_only_its_values(api: Any) -> None:
    saver = _saver(api)
    from pcrm.api.schemas.contacts import ContactIn

    got = api.get(f"{V}/contacts/{saver['id']}").json()["data"]
    shown = {k: v for k, v in got.items() if k in ContactIn.model_fields}  # a whole form of what GET gave
    out = api.put(f"{V}/contacts/{saver['id']}", json=shown).json()
    assert out["meta"]["unchanged"] is True
    # its values, not its blanks: the name and its parts
    mine = ["full_name", "given_name", "family_name"]
    assert out["data"]["user_edited_fields"] == mine == out["meta"]["protected"]
    # sent again: nothing new is the user's, nothing said
    assert api.put(f"{V}/contacts/{saver['id']}", json=shown).json()["meta"] == {"unchanged": True}
    report = _import(api)
    assert report["values_kept"] == 0, report
    assert api.get(f"{V}/contacts/{saver['id']}").json()["data"]["title"] == "Engineer"


def test_an_edit_says_which_fields_it_made_the_users(api: Any) -> None:
    saver = _saver(api)
    url = f"{V}/contacts/{saver['id']}"
    out = api.put(url, json={"title": "Lead", "notes": "", "tags": []}).json()
    assert out["meta"] == {"protected": ["title"]} and out["data"]["user_edited_fields"] == ["title"]
    again = api.put(url, json={"title": "Lead Engineer"}).json()
    assert again["meta"] == {} and again["data"]["title"] == "Lead Engineer"


def test_clearing_a_field_the_contact_has_not_got_leaves_it_unprotected(crm: Crm) -> None:
    crm.add("Geo A", "--company", "Geo Works")
    r = crm.cli("contacts", "edit", "Geo A", "--clear", "title")
    assert r.stderr == "Geo A has no title; nothing to clear\n", r.stderr
    assert crm.show("Geo A")["user_edited_fields"] == []
    r = crm.cli("contacts", "edit", "Geo A", "--company", "Geo Works")
    assert r.stderr == (
        "nothing to change: Geo A already has the company given; company is yours from now on "
        "(imports keep theirs aside)\n"
    ), r.stderr
    assert crm.show("Geo A")["user_edited_fields"] == ["company"]
