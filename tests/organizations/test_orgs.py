"""`pcrm orgs list | add | show | edit | rm | stats | merge | logos` [company-orgs] and auto-creation from a
contact's company."""

from __future__ import annotations

ORG_KEYS = {
    "id",
    "contacts",  # null outside GET /organizations/{id} (the reference's shape)
    "name",
    "domain",
    "industry",
    "location",
    "website",
    "linkedin_url",
    "twitter_handle",
    "notes",
    "logo_url",
    "created_at",
    "updated_at",
    "contact_count",
    "archived_contact_count",  # pcrm's own: the archived contacts contact_count leaves out [org-counts]
    "avg_relationship_score",
    "total_interactions",
    "last_interaction_at",
}


def _org(cli, ref):
    return cli.json("orgs", "show", ref)["data"]


def test_contact_company_creates_the_org_with_a_work_domain(crm, cli):
    ada = crm.add(
        "Ada Lovelace",
        "--email",
        "ada@gmail.com",
        "--email",
        "ada@analytical.io",
        "--company",
        "Analytical Engines",
    )
    org = _org(cli, "analytical engines")
    assert ada["organization_id"] == org["id"]
    assert org["domain"] == "analytical.io"  # the first non-generic email domain
    grace = crm.add("Grace Hopper", "--email", "grace@yahoo.com", "--company", "Navy")
    assert _org(cli, "Navy")["domain"] is None  # generic domains are never an org's
    # the same company (any case) joins the same org, and backfills a missing domain
    crm.add("Grace Murray", "--email", "gm@navy.mil", "--company", "NAVY")
    navy = _org(cli, "navy")
    assert navy["domain"] == "navy.mil" and navy["contact_count"] == 2
    assert {c["full_name"] for c in navy["contacts"]} == {"Grace Hopper", "Grace Murray"}
    assert grace["organization_id"] == navy["id"]


def test_add_assigns_contacts_by_domain_and_refuses_duplicates(crm, cli):
    a = crm.add("Ada Lovelace", "--email", "ada@analytical.io")
    crm.add("Charles Babbage", "--email", "charles@analytical.io", "--company", "Difference Engines")
    env = cli.json(
        "orgs",
        "add",
        "Analytical Engines",
        "--domain",
        "https://www.Analytical.io/about",
        "--industry",
        "Computing",
        "--twitter",
        "@AnalyticalEng",
        "--linkedin-url",
        "https://www.linkedin.com/company/analytical/",
    )
    org = env["data"]
    assert set(org) == ORG_KEYS and org["contacts"] is None
    assert org["domain"] == "analytical.io" and org["twitter_handle"] == "analyticaleng"
    assert org["linkedin_url"] == "https://www.linkedin.com/company/analytical"
    # Charles already has an org, which took the domain from his email: the duplicates scan would merge them
    assert env["meta"]["contacts_assigned"] == 1
    assert [o["name"] for o in env["meta"]["same_domain"]] == ["Difference Engines"]
    assert org["contact_count"] == 1
    shown = crm.show(a["id"])
    assert shown["organization_id"] == org["id"] and shown["company"] == "Analytical Engines"
    err = crm.rejects("orgs", "add", "analytical  ENGINES", code="conflict")
    assert err["details"]["conflicting_organization"]["id"] == org["id"]
    crm.rejects("orgs", "add", "Webmail", "--domain", "gmail.com", code="validation_error")
    crm.rejects("orgs", "add", "Odd", "--domain", "not a domain", code="validation_error")
    crm.rejects("orgs", "add", "  ", code="validation_error")


def test_list_only_orgs_with_active_contacts_alphabetical_search_and_paging(crm, cli):
    crm.add("Zed", "--company", "zeta labs")
    crm.add("Amy", "--company", "Alpha Labs")
    crm.add("Bob", "--company", "Beta Works", "--priority", "archived")  # only archived contacts
    cli("orgs", "add", "Empty Co")  # no contacts
    crm.add("Eve", "--company", "Écoute Labs")
    listed = cli.json("orgs", "list")
    assert [o["name"] for o in listed["data"]] == ["Alpha Labs", "Écoute Labs", "zeta labs"]
    assert listed["meta"] == {"total": 3, "page": 1, "page_size": 50, "total_pages": 1}
    assert [o["name"] for o in cli.json("orgs", "list", "--search", "LABS")["data"]] == [
        "Alpha Labs",
        "Écoute Labs",
        "zeta labs",
    ]
    assert [o["name"] for o in cli.json("orgs", "list", "--search", "écoute")["data"]] == ["Écoute Labs"]
    everything = cli.json("orgs", "list", "--all")
    assert [o["name"] for o in everything["data"]] == [
        "Alpha Labs",
        "Beta Works",
        "Écoute Labs",
        "Empty Co",
        "zeta labs",
    ]
    page = cli.json("orgs", "list", "--all", "--page", "2", "--page-size", "2")
    assert [o["name"] for o in page["data"]] == ["Écoute Labs", "Empty Co"]
    assert page["meta"] == {"total": 5, "page": 2, "page_size": 2, "total_pages": 3}
    beta = next(o for o in everything["data"] if o["name"] == "Beta Works")
    assert beta["contact_count"] == 0 and beta["avg_relationship_score"] == 0
    empty = cli("orgs", "list", "--search", "nothing-like-this", "--format", "table")
    assert "no organization with active contacts matches" in empty.stdout and "--all" in empty.stdout
    crm.rejects("orgs", "list", "--page-size", "201", code="validation_error")


def test_show_lists_archived_contacts_last_and_stats(crm, cli, monkeypatch):
    low = crm.add("Low Score", "--company", "Globex")
    crm.add("Gone Person", "--company", "Globex", "--priority", "archived")
    busy = crm.add("Busy Bee", "--company", "Globex", "--priority", "high")
    crm.history(
        busy["id"],
        [
            ("email", d, f"2026-06-{day:02d}T10:00:00Z")
            for day in range(1, 13)
            for d in ("inbound", "outbound")
        ],
    )
    crm.history(low["id"], [("email", "outbound", "2026-01-05T10:00:00Z")])
    org = _org(cli, "globex")
    assert [c["full_name"] for c in org["contacts"]] == ["Busy Bee", "Low Score", "Gone Person"]
    assert set(org["contacts"][0]) == {
        "id",
        "full_name",
        "given_name",
        "family_name",
        "title",
        "avatar_url",
        "relationship_score",
        "priority_level",
        "last_interaction_at",
        "display_name",  # how lists show it [display-name]
    }
    bee = crm.show(busy["id"])
    lo = crm.show(low["id"])
    stats = cli.json("orgs", "stats", org["id"][:8])["data"]
    assert stats == {
        "organization_id": org["id"],
        "contact_count": 2,
        "avg_relationship_score": round((bee["relationship_score"] + lo["relationship_score"]) / 2 + 1e-9),
        "total_interactions": 25,
        "last_interaction_at": "2026-06-12T10:00:00.000Z",
        "archived_contact_count": 1,  # Gone Person, whom the stats leave out [org-counts]
    }
    assert {k: org[k] for k in stats if k != "organization_id"} == {
        k: v for k, v in stats.items() if k != "organization_id"
    }


def test_rename_flows_into_contacts_company(crm, cli):
    a = crm.add("Ada Lovelace", "--company", "Analytical Engines")
    b = crm.add("Charles Babbage", "--company", "analytical engines")
    crm.add("Other", "--company", "Globex")
    env = cli.json(
        "orgs",
        "edit",
        "Analytical Engines",
        "--name",
        "Analytical Engines Ltd",
        "--industry",
        "Computing",
        "--domain",
        "analytical.io",
    )
    assert env["data"]["name"] == "Analytical Engines Ltd" and env["data"]["industry"] == "Computing"
    undo = env["meta"].pop("undo")  # [bulk-undo]: the edit says its undo
    assert undo == f"pcrm contacts bulk-undo {env['meta'].pop('bulk_update_id')[:8]}"
    assert env["meta"] == {"contacts_renamed": 2, "contacts_assigned": 0}
    assert crm.show(a["id"])["company"] == crm.show(b["id"])["company"] == "Analytical Engines Ltd"
    assert crm.names("--search", "engines ltd") == ["Ada Lovelace", "Charles Babbage"]  # search index follows
    cleared = cli.json("orgs", "edit", "Analytical Engines Ltd", "--clear", "industry")["data"]
    assert cleared["industry"] is None
    crm.rejects("orgs", "edit", "Analytical Engines Ltd", "--name", "GLOBEX", code="conflict")
    crm.rejects("orgs", "edit", "Analytical Engines Ltd", code="validation_error", says="nothing to change")
    crm.rejects("orgs", "edit", "Initech", "--industry", "x", code="not_found")
    # a domain set later brings in unlinked contacts with an email there
    c = crm.add("Lady Byron", "--email", "byron@analytical.io")
    d = crm.add("Somebody", "--email", "s@initech.com")
    env = cli.json("orgs", "edit", "Globex", "--domain", "initech.com")
    assert env["meta"]["contacts_assigned"] == 1
    assert crm.show(d["id"])["company"] == "Globex"
    assert crm.show(c["id"])["organization_id"] is None  # analytical.io was not a *new* domain


def test_merge_moves_contacts_and_fills_empty_fields(crm, cli):
    a = crm.add("Ada", "--company", "Globex Inc")
    b = crm.add("Bea", "--company", "Globex Corp")
    c = crm.add("Cid", "--company", "Globex")
    cli("orgs", "edit", "Globex Inc", "--website", "https://globex.com", "--industry", "Conglomerate")
    cli("orgs", "edit", "Globex Corp", "--industry", "Mining")
    target = _org(cli, "Globex")
    env = cli.json("orgs", "merge", "Globex Inc", "Globex Corp", "--into", "globex")
    assert env["data"] == {
        "target_id": target["id"],
        "target_name": "Globex",
        "contacts_updated": 2,
        "source_organizations_merged": 2,
        "values_kept": [{"organization": "Globex Corp", "field": "industry", "value": "Mining"}],
    }
    merged = _org(cli, "globex")
    assert merged["website"] == "https://globex.com" and merged["industry"] == "Conglomerate"
    assert merged["notes"] == "From Globex Corp (merged in):\nindustry: Mining"  # kept, in view
    assert merged["contact_count"] == 3
    for person in (a, b, c):
        shown = crm.show(person["id"])
        assert shown["organization_id"] == target["id"] and shown["company"] == "Globex"
    assert [o["name"] for o in cli.json("orgs", "list", "--all")["data"]] == ["Globex"]
    crm.rejects(
        "orgs", "merge", "Globex", "--into", "Globex", code="validation_error", says="other than the target"
    )
    crm.rejects("orgs", "merge", "Nope Inc", "--into", "Globex", code="not_found")


def test_merge_service_refuses_when_every_source_is_unknown(crm, cli):
    """Unknown sources were skipped without a word, and a merge of nothing but them answered success."""
    from pcrm.errors import NotFound, ValidationError

    crm.add("Ada", "--company", "Globex")
    crm.add("Bea", "--company", "Hooli")
    target = _org(cli, "Globex")["id"]
    hooli = _org(cli, "Hooli")["id"]
    unknown = "00000000-0000-4000-8000-000000000000"
    try:
        crm.service("organizations.merge_organizations", [unknown], target)
        raise AssertionError("a merge of unknown sources alone must fail")
    except NotFound as e:
        assert e.details["skipped"] == [
            {"id": unknown, "reason": "not_found", "message": f"no organization with id {unknown}"}
        ]
    result = crm.service("organizations.merge_organizations", [unknown, hooli, hooli], target)
    assert result.data["source_organizations_merged"] == 1
    assert [(s["id"], s["reason"]) for s in result.meta["skipped"]] == [
        (unknown, "not_found"),
        (hooli, "repeated"),
    ]
    try:
        crm.service("organizations.merge_organizations", [target], target)
        raise AssertionError("merging into itself must fail")
    except ValidationError:
        pass
    try:
        crm.service("organizations.merge_organizations", [target], unknown)
        raise AssertionError("an unknown target must fail")
    except NotFound:
        pass


def test_rm_unlinks_contacts(crm, cli):
    a = crm.add("Ada", "--company", "Globex")
    org = _org(cli, "Globex")
    env = cli.json("orgs", "rm", "Globex", "--yes")
    bid = env["data"]["bulk_update_id"]  # [bulk-undo]: the removal says its undo
    assert env == {
        "data": {"id": org["id"], "deleted": True, "bulk_update_id": bid},
        "error": None,
        "meta": {"contacts_unlinked": 1, "undo": f"pcrm contacts bulk-undo {bid[:8]}"},
    }
    shown = crm.show(a["id"])
    assert shown["organization_id"] is None and shown["company"] == "Globex"
    crm.rejects("orgs", "show", "Globex", code="not_found")
    assert "deleted" in cli("orgs", "rm", cli.json("orgs", "add", "Initech")["data"]["id"], "--yes").stdout


def test_ambiguous_reference_lists_candidates(crm, cli):
    # two orgs can share a name when created by imports (assign_for_company picks the oldest)
    crm.sql(
        "INSERT INTO organizations(uuid, name, name_fold, created_at, updated_at) VALUES "
        "('aaaaaaaa-0000-4000-8000-000000000001', 'Twin', 'twin', 'x', 'x'), "
        "('bbbbbbbb-0000-4000-8000-000000000002', 'Twin', 'twin', 'x', 'x')"
    )
    err = crm.rejects("orgs", "show", "twin", code="bad_request", says="matches 2 organizations")
    assert len(err["details"]["candidates"]) == 2
    assert _org(cli, "aaaa")["id"] == "aaaaaaaa-0000-4000-8000-000000000001"


def test_logos_answer_feature_disabled_naming_the_setting(crm, cli):
    cli("orgs", "add", "Globex", "--domain", "globex.com")
    for args in (("orgs", "logos"), ("orgs", "logos", "Globex", "--force")):
        err = crm.rejects(*args, code="feature_disabled", hint="logos.enabled")
        assert err["details"] == {"setting": "logos.enabled"}
    # with logos on, fetching is tested against local servers in tests/ai/test_logos.py [safe-fetch]


def _org_rows(crm):
    return crm.sql(
        "SELECT uuid, name, name_fold, domain, industry, location, website, linkedin_url, twitter_handle, "
        "notes, logo_url, created_at FROM organizations ORDER BY uuid"
    )


def _members(crm):
    return crm.sql(
        "SELECT c.uuid, c.company, o.uuid FROM contacts c LEFT JOIN organizations o "
        "ON o.id = c.organization_id ORDER BY c.uuid"
    )


def test_unmerge_brings_an_organization_and_its_contacts_back(crm, cli):
    crm.add("Ada", "--company", "Globex Inc")
    crm.add("Bea", "--company", "Globex Inc")
    crm.add("Cid", "--company", "Globex")
    cli("orgs", "edit", "Globex Inc", "--website", "https://globex.com", "--industry", "Conglomerate")
    orgs_before, members_before = _org_rows(crm), _members(crm)
    env = cli.json("orgs", "merge", "Globex Inc", "--into", "Globex")
    merge_id = env["meta"]["merge_ids"][0]
    assert _org(cli, "Globex")["website"] == "https://globex.com"
    history = cli.json("orgs", "merges")["data"]
    assert [(h["id"], h["target_name"], h["source_name"], h["contacts"]) for h in history] == [
        (merge_id, "Globex", "Globex Inc", 2)
    ]
    out = cli.json("orgs", "unmerge", merge_id[:8])["data"]
    assert out["contacts_returned"] == 2 and out["contacts_kept_on_target"] == []
    assert set(out["target_fields_cleared"]) == {"website", "industry"}
    assert _org_rows(crm) == orgs_before and _members(crm) == members_before
    assert cli.json("orgs", "merges")["data"][0]["unmerged_at"]
    crm.rejects("orgs", "unmerge", merge_id, code="bad_request")  # twice
    crm.rejects("orgs", "unmerge", "0000dead", code="not_found")


def test_unmerge_twice_names_the_local_day_it_was_undone(crm, cli):
    """[local-days]: the error for an undo already done gives that day as `pcrm orgs merges` shows it,
    in the user's zone, not the UTC date (Auckland is a day ahead at 20:00 UTC)."""
    crm.add("Ada", "--company", "Globex Inc")
    crm.add("Cid", "--company", "Globex")
    cli("settings", "set", "timezone", "Pacific/Auckland")
    merge_id = cli.json("orgs", "merge", "Globex Inc", "--into", "Globex")["meta"]["merge_ids"][0]
    cli("orgs", "unmerge", merge_id)
    crm.sql("UPDATE org_merges SET unmerged_at = '2026-06-01T20:00:00.000Z'")
    assert "2026-06-02" in cli("orgs", "merges").stdout
    crm.rejects("orgs", "unmerge", merge_id, code="bad_request", says="already undone on 2026-06-02")


def test_unmerge_leaves_contacts_edited_since_and_fields_changed_since(crm, cli):
    ada = crm.add("Ada", "--company", "Globex Inc")
    bea = crm.add("Bea", "--company", "Globex Inc")
    cli("orgs", "edit", "Globex Inc", "--website", "https://globex.com")
    crm.add("Cid", "--company", "Globex")
    merge_id = cli.json("orgs", "merge", "Globex Inc", "--into", "Globex")["meta"]["merge_ids"][0]
    cli("contacts", "edit", bea["id"][:8], "--company", "Initech")  # she moved on after the merge
    cli("orgs", "edit", "Globex", "--website", "https://globex.example")  # edited since: stays
    out = cli.json("orgs", "unmerge", merge_id)["data"]
    assert out["contacts_returned"] == 1 and out["contacts_kept_on_target"] == [bea["id"]]
    assert out["target_fields_cleared"] == []
    assert crm.show(ada["id"])["company"] == "Globex Inc"
    assert crm.show(bea["id"])["company"] == "Initech"
    assert _org(cli, "Globex")["website"] == "https://globex.example"
    assert _org(cli, "Globex Inc")["website"] == "https://globex.com"


def test_chained_org_merges_undo_newest_first(crm, cli):
    crm.add("Ada", "--company", "Globex Inc")
    crm.add("Bea", "--company", "Globex")
    crm.add("Cid", "--company", "Globex Holdings")
    before = (_org_rows(crm), _members(crm))
    first = cli.json("orgs", "merge", "Globex Inc", "--into", "Globex")["meta"]["merge_ids"][0]
    second = cli.json("orgs", "merge", "Globex", "--into", "Globex Holdings")["meta"]["merge_ids"][0]
    err = cli.json("orgs", "unmerge", first, ok=False)["error"]
    assert err["code"] == "conflict" and second[:8] in err["hint"]
    cli("orgs", "unmerge", second)
    cli("orgs", "unmerge", first)
    assert (_org_rows(crm), _members(crm)) == before


def test_an_unmerged_pair_is_never_merged_again_by_the_scan(crm, cli):
    crm.add("Ada", "--company", "Globex", "--email", "ada@globex.com")
    crm.add("Bea", "--company", "Globex Corp", "--email", "bea@globex.com")
    scan = cli.json("orgs", "duplicates", "scan")["data"]
    assert scan["auto_merged"] == 1  # the same domain: merged at once
    merge_id = cli.json("orgs", "merges")["data"][0]["id"]
    cli("orgs", "unmerge", merge_id)
    assert cli.json("orgs", "duplicates", "scan")["data"]["auto_merged"] == 0
    assert sorted(o["name"] for o in cli.json("orgs", "list", "--all")["data"]) == ["Globex", "Globex Corp"]


def test_unmerge_after_the_kept_organization_was_renamed(crm, cli):
    ada = crm.add("Ada", "--company", "Globex Inc")
    crm.add("Cid", "--company", "Globex")
    merge_id = cli.json("orgs", "merge", "Globex Inc", "--into", "Globex")["meta"]["merge_ids"][0]
    cli("orgs", "edit", "Globex", "--name", "Globex Ltd")  # renames its contacts' company too
    assert crm.show(ada["id"])["company"] == "Globex Ltd"
    out = cli.json("orgs", "unmerge", merge_id)["data"]
    assert out["contacts_returned"] == 1 and out["contacts_kept_on_target"] == []
    assert crm.show(ada["id"])["company"] == "Globex Inc"


def test_unmerging_one_of_two_sources_keeps_a_field_the_other_brought_too(crm, cli):
    crm.add("Ada", "--company", "Globex Inc")
    crm.add("Bea", "--company", "Globex Corp")
    crm.add("Cid", "--company", "Globex")
    for name in ("Globex Inc", "Globex Corp"):
        cli("orgs", "edit", name, "--website", "https://globex.com")
    ids = cli.json("orgs", "merge", "Globex Inc", "Globex Corp", "--into", "Globex")["meta"]["merge_ids"]
    out = cli.json("orgs", "unmerge", ids[0])["data"]
    assert out["target_fields_cleared"] == []  # Globex Corp, still merged in, had the same website
    assert _org(cli, "Globex")["website"] == "https://globex.com"
    assert cli.json("orgs", "unmerge", ids[1])["data"]["target_fields_cleared"] == ["website"]


def test_show_says_when_its_contact_list_is_cut(crm, cli, monkeypatch):
    from pcrm.services import organizations

    monkeypatch.setattr(organizations, "_MEMBERS_SHOWN", 2)  # the 200-row cap, made small
    for name in ("Ada Lovelace", "Grace Hopper"):
        crm.add(name, "--company", "Globex")
    assert cli.json("orgs", "show", "globex")["meta"] == {"contacts_total": 2}
    assert "the first" not in cli("orgs", "show", "globex").stdout
    crm.add("Gone Person", "--company", "Globex", "--priority", "archived")
    body = cli.json("orgs", "show", "globex")
    assert len(body["data"]["contacts"]) == 2 and body["meta"] == {"contacts_total": 3}
    assert "contacts (the first 2 of 3)" in cli("orgs", "show", "globex").stdout


def test_search_and_names_ignore_accents_as_contact_search_does(crm, cli):
    crm.add("Ada Lovelace", "--company", "Société Générale")
    soc = _org(cli, "Société Générale")
    cli.json("orgs", "add", "Ecole Polytechnique")
    found = cli.json("orgs", "list", "--search", "SOCIETE gen")["data"]
    assert [o["id"] for o in found] == [soc["id"]]
    assert [o["name"] for o in cli.json("orgs", "list", "--all", "--search", "école")["data"]] == [
        "Ecole Polytechnique"
    ]
    assert _org(cli, "societe generale")["id"] == soc["id"]
    crm.rejects("orgs", "show", "societe", code="not_found")


def test_edit_clear_takes_option_names_as_typed(crm, cli):
    org = cli.json(
        "orgs", "add", "Hooli", "--website", "hooli.xyz", "--linkedin-url", "linkedin.com/company/hooli"
    )["data"]
    assert org["website"] and org["linkedin_url"] and org["name"] == "Hooli"
    done = cli.json("orgs", "edit", "hooli", "--clear", "--website", "--clear", "LinkedIn-URL")["data"]
    assert done["website"] is None and done["linkedin_url"] is None
    crm.rejects(
        "orgs", "edit", "hooli", "--clear", "bogus", code="validation_error", hint="linkedin-url, twitter"
    )
    crm.rejects("orgs", "edit", "hooli", "--clear", "name", code="validation_error", hint="--name")


def test_adding_or_renaming_an_org_links_the_contacts_that_name_it(crm, cli):
    ada = crm.add("Ada Lovelace", "--company", "Globex Inc")
    crm.add("Grace Hopper", "--company", "Initech")
    first = _org(cli, "globex inc")
    cli("orgs", "rm", first["id"], "--yes")
    assert crm.show(ada["id"])["organization_id"] is None  # unlinked, company kept
    body = cli.json("orgs", "add", "GLOBEX  inc")
    assert body["meta"]["contacts_assigned"] == 1 and body["data"]["contact_count"] == 1
    assert body["meta"]["undo"] == f"pcrm contacts bulk-undo {body['meta']['bulk_update_id'][:8]}"
    assert crm.show(ada["id"])["organization_id"] == body["data"]["id"]
    assert crm.show(ada["id"])["company"] == "Globex Inc"  # as typed
    cli("orgs", "rm", "initech", "--yes")
    other = cli.json("orgs", "add", "Initrode")["data"]
    renamed = cli.json("orgs", "edit", other["id"], "--name", "Initech")
    assert {k: renamed["meta"][k] for k in ("contacts_renamed", "contacts_assigned")} == {
        "contacts_renamed": 0,
        "contacts_assigned": 1,
    }
    assert [c["full_name"] for c in _org(cli, "initech")["contacts"]] == ["Grace Hopper"]


def test_a_company_named_like_a_merged_away_org_joins_the_org_it_went_into(crm, cli, tmp_path):
    # merging "Globex Inc" into "Globex" says they are one organization: a later contact or import naming
    # "Globex Inc" joins Globex instead of bringing the merged-away org back [org-dedupe]
    crm.add("Ada", "--company", "Globex Inc")
    crm.add("Cid", "--company", "Globex")
    cli.json("orgs", "merge", "Globex Inc", "--into", "Globex")
    target = _org(cli, "Globex")
    dee = crm.add("Dee", "--company", "globex inc")
    assert crm.show(dee["id"])["organization_id"] == target["id"]
    people = tmp_path / "people.csv"
    people.write_text("full_name,email,company\nEve Stone,eve@example.org,Globex Inc\n")
    cli.json("import", str(people))
    eve = next(c for c in cli.json("contacts", "list", "--search", "eve stone")["data"])
    assert eve["organization_id"] == target["id"]
    assert [o["name"] for o in cli.json("orgs", "list", "--all")["data"]] == ["Globex"]
    # once unmerged, the name is its own organization's again
    merge_id = cli.json("orgs", "merges")["data"][0]["id"]
    cli.json("orgs", "unmerge", merge_id)
    fay = crm.add("Fay", "--company", "Globex Inc")
    assert crm.show(fay["id"])["organization_id"] == _org(cli, "Globex Inc")["id"] != target["id"]
