"""`pcrm contacts add | show | edit | rm | list | ids | tag | untag | overdue` and `pcrm tags list`, end to
end on a real store [write-time-resolver] [contact-list] [strict-validation] [contact-references]
[partial-edits] [contact-search]."""

from __future__ import annotations

import json
from datetime import UTC

import pytest

from tests.support.crm import NOW

# ------------------------------------------------------------------ add


def test_add_normalises_and_echoes_the_contact(crm):
    c = crm.add(
        "  Ada   Lovelace ",
        "--email",
        " ADA@Example.com ",
        "--email",
        "ada@example.com",
        "--phone",
        "+1 202-555-0123",
        "--tag",
        " Investor ",
        "--tag",
        "investor",
        "--tag",
        "Book  Club",
        "--twitter",
        "@AdaL",
        "--telegram",
        "@Ada_TG",
        "--company",
        "Analytical Engines",
        "--title",
        "Countess",
        "--priority",
        "HIGH",
        "--birthday",
        "12-10",
        "--location",
        "London",
        "--notes",
        "met at the Royal Society",
        "--linkedin",
        "https://www.linkedin.com/in/ada-l/",
    )
    assert c["full_name"] == "Ada Lovelace"
    assert c["emails"] == ["ada@example.com"]
    assert c["phones"] == ["+1 202-555-0123"]
    assert c["tags"] == ["investor", "book club"]
    assert c["twitter_handle"] == "adal"
    assert c["telegram_username"] == "ada_tg"
    assert c["linkedin_url"] == "https://www.linkedin.com/in/ada-l"
    assert c["linkedin_profile_id"] == "ada-l"
    assert c["priority_level"] == "high"
    assert c["birthday"] == "12-10"
    assert c["source"] == "manual"
    assert c["user_edited_fields"] == []
    assert c["relationship_score"] == 0 and c["interaction_count"] == 0 and c["last_interaction_at"] is None
    assert c["created_at"] == c["updated_at"] == NOW
    assert c["organization_id"] is not None
    assert len(c["id"]) == 36 and c["id"] == c["id"].lower()
    # the phone is findable by its E.164 form
    assert crm.names("--search", "+12025550123") == ["Ada Lovelace"]


def test_add_prints_a_line_for_people(crm):
    out = crm.cli("contacts", "add", "--name", "Grace Hopper").stdout
    assert out.startswith("added Grace Hopper ")


def test_add_links_the_same_organization_case_insensitively(crm):
    a = crm.add("Ada Lovelace", "--company", "Analytical Engines", "--email", "ada@analytical.io")
    b = crm.add("Charles Babbage", "--company", "analytical engines")
    c = crm.add("Grace Hopper", "--company", "Navy")
    assert a["organization_id"] == b["organization_id"] != c["organization_id"]


def test_add_needs_a_name_email_phone_or_handle(crm):
    crm.rejects("contacts", "add", "--company", "Nobody Inc", code="validation_error", says="needs a name")


@pytest.mark.parametrize(
    "args, field",
    [
        (("--email", "not-an-email"), "emails"),
        (("--phone", "call me"), "phones"),
        (("--birthday", "02-30"), "birthday"),
        (("--birthday", "1815/12/10"), "birthday"),
        (("--priority", "urgent"), "priority_level"),
        (("--latitude", "123"), "latitude"),
    ],
)
def test_add_refuses_bad_values(crm, args, field):
    err = crm.rejects("contacts", "add", "--name", "Ada", *args, code="validation_error")
    assert field in [f["field"] for f in err["details"]["fields"]]


def test_add_with_an_email_someone_has_is_a_conflict_naming_them(crm):
    ada = crm.add("Ada Lovelace", "--email", "ada@example.com")
    err = crm.rejects(
        "contacts",
        "add",
        "--name",
        "Impostor",
        "--email",
        "  ADA@example.COM",
        code="conflict",
        says="Ada Lovelace already has email ada@example.com",
    )
    assert err["details"]["conflicting_contact"] == {"id": ada["id"], "full_name": "Ada Lovelace"}
    assert ada["id"] in err["hint"]


@pytest.mark.parametrize(
    "flag, value, said, field",
    [
        ("--twitter", "@ADAL", "Ada Lovelace already has X handle @adal", "twitter_handle"),
        ("--telegram", "ada_tg", "Ada Lovelace already has Telegram username @ada_tg", "telegram_username"),
    ],
)
def test_add_with_a_handle_someone_has_is_a_conflict(crm, flag, value, said, field):
    """The message names the handle as people do (it said 'telegram_username ada_tg'); details keep the
    field's name."""
    ada = crm.add("Ada Lovelace", "--twitter", "adal", "--telegram", "@Ada_TG")
    err = crm.rejects("contacts", "add", "--name", "Impostor", flag, value, code="conflict", says=said)
    assert err["details"]["conflicting_contact"]["id"] == ada["id"]
    assert err["details"]["field"] == field


def test_a_conflict_names_a_nameless_holder_as_lists_do(crm):
    """`pcrm contacts add --name Bob --telegram solo_tg` said 'another contact already has telegram_username
    solo_tg' when a contact without a name held it; it names that contact as `pcrm contacts list` does
    (solo@example.com) [display-name], and says 'another contact' only where that would repeat the value."""
    solo = crm.add(None, "--email", "solo@example.com", "--telegram", "solo_tg")
    err = crm.rejects(
        "contacts",
        "add",
        "--name",
        "Bob",
        "--telegram",
        "@solo_tg",
        code="conflict",
        says="solo@example.com already has Telegram username @solo_tg",
    )
    # the name shown, as the message gives it: the reference's page says `full_name || "another contact"`
    assert err["details"]["conflicting_contact"] == {"id": solo["id"], "full_name": "solo@example.com"}
    crm.rejects(
        "contacts",
        "add",
        "--name",
        "Bob",
        "--email",
        "SOLO@example.com",
        code="conflict",
        says="another contact already has email solo@example.com",
    )


# ------------------------------------------------------------------ references [contact-references]


@pytest.fixture
def people(crm):
    return {
        "ada": crm.add("Ada Lovelace", "--email", "ada@example.com", "--twitter", "countess"),
        "grace": crm.add("Grace Hopper", "--email", "grace@navy.mil", "--telegram", "amazing_grace"),
        "charles": crm.add("Charles Babbage"),
        "charles2": crm.add("Charles Darwin"),
    }


def test_reference_by_uuid_prefix_email_name_first_name_and_handle(crm, people):
    ada, grace = people["ada"], people["grace"]
    for ref in (
        ada["id"],
        ada["id"].upper(),
        ada["id"][:4],
        ada["id"][:13],
        "ADA@Example.com",
        "ada lovelace",
        "  ADA   LOVELACE ",
        "Ada",
        "@countess",
        "countess",
    ):
        assert crm.show(ref)["id"] == ada["id"], ref
    assert crm.show("@Amazing_Grace")["id"] == grace["id"]
    assert crm.show("grace")["id"] == grace["id"]


def test_exact_full_name_wins_over_a_first_name(crm):
    crm.add("Ada Lovelace")
    solo = crm.add("Ada")
    assert crm.show("ada")["id"] == solo["id"]


def test_email_wins_over_a_name(crm):
    a = crm.add("a@b.io")  # a contact whose name looks like an email
    b = crm.add("Bea", "--email", "a@b.io")
    assert a["id"] != b["id"]
    assert crm.show("a@b.io")["id"] == b["id"]


def test_ambiguous_reference_lists_the_candidates(crm, people):
    err = crm.rejects("contacts", "show", "charles", code="bad_request", says="matches 2 contacts")
    assert "Charles Babbage" in err["message"] and "Charles Darwin" in err["message"]
    assert sorted(c["full_name"] for c in err["details"]["candidates"]) == [
        "Charles Babbage",
        "Charles Darwin",
    ]
    assert {c["id"] for c in err["details"]["candidates"]} == {
        people["charles"]["id"],
        people["charles2"]["id"],
    }


def test_two_people_with_one_full_name_are_ambiguous(crm):
    crm.add("John Smith")
    crm.add("John Smith")
    crm.rejects("contacts", "show", "john smith", code="bad_request", says="matches 2 contacts")


def test_unknown_reference_is_not_found(crm, people):
    crm.rejects(
        "contacts",
        "show",
        "Nobody Atall",
        code="not_found",
        says="no contact matches",
        hint="pcrm contacts list --search",
    )
    crm.rejects("contacts", "show", "00000000-0000-4000-8000-000000000000", code="not_found")


def test_a_short_prefix_is_not_a_reference(crm, people):
    crm.rejects("contacts", "show", people["ada"]["id"][:3], code="not_found")


def test_show_renders_a_detail_view(crm, people):
    out = crm.cli("contacts", "show", "ada").stdout
    assert people["ada"]["id"] in out
    assert "Ada Lovelace" in out and "ada@example.com" in out and "countess" in out


# ------------------------------------------------------------------ edit [partial-edits] and identity at
# write time


def test_edit_is_partial_and_marks_user_edited_fields(crm):
    ada = crm.add(
        "Ada Lovelace",
        "--email",
        "ada@example.com",
        "--company",
        "Analytical Engines",
        "--location",
        "London",
        "--tag",
        "friend",
    )
    later = "2026-06-16T08:00:00.000Z"
    edited = crm.cli.json("contacts", "edit", "ada", "--title", "Countess", "--now", later)["data"]
    assert edited["title"] == "Countess"
    for key in ("full_name", "emails", "company", "location", "tags", "organization_id", "created_at"):
        assert edited[key] == ada[key], key
    assert edited["updated_at"] == later
    assert edited["user_edited_fields"] == ["title"]

    edited = crm.cli.json(
        "contacts", "edit", "ada", "--clear", "location", "--priority", "high", "--title", "Countess"
    )["data"]
    assert edited["location"] is None and edited["priority_level"] == "high"
    assert edited["user_edited_fields"] == ["title", "location"]  # priority is not protectable; no repeats
    assert crm.show("ada")["user_edited_fields"] == ["title", "location"]


def test_edit_clear_lists_and_aliases(crm):
    crm.add(
        "Ada Lovelace",
        "--email",
        "ada@example.com",
        "--phone",
        "+12025550123",
        "--tag",
        "friend",
        "--twitter",
        "adal",
    )
    c = crm.cli.json(
        "contacts",
        "edit",
        "ada@example.com",
        "--clear",
        "email",
        "--clear",
        "phone",
        "--clear",
        "tag",
        "--clear",
        "twitter",
    )["data"]
    assert c["emails"] == [] and c["phones"] == [] and c["tags"] == [] and c["twitter_handle"] is None
    assert {"tags", "twitter_handle"} <= set(c["user_edited_fields"])
    # the cleared handle is free for someone else
    crm.add("Someone Else", "--twitter", "adal")


def test_edit_replaces_list_fields(crm):
    crm.add("Ada Lovelace", "--email", "a@x.io", "--email", "b@x.io", "--tag", "one")
    c = crm.cli.json("contacts", "edit", "ada", "--email", "c@x.io", "--tag", "Two", "--tag", "three")["data"]
    assert c["emails"] == ["c@x.io"] and c["tags"] == ["two", "three"]
    assert crm.names("--search", "b@x.io") == []
    crm.add("Bea", "--email", "b@x.io")  # no longer taken


def test_edit_keeping_your_own_email_is_fine(crm):
    crm.add("Ada Lovelace", "--email", "ada@example.com")
    c = crm.cli.json(
        "contacts", "edit", "ada", "--email", "ADA@example.com", "--email", "countess@example.com"
    )
    assert c["data"]["emails"] == ["ada@example.com", "countess@example.com"]


def test_edit_to_another_contacts_email_is_a_conflict(crm):
    ada = crm.add("Ada Lovelace", "--email", "ada@example.com")
    crm.add("Grace Hopper", "--email", "grace@navy.mil")
    err = crm.rejects(
        "contacts",
        "edit",
        "grace",
        "--email",
        "grace@navy.mil",
        "--email",
        "Ada@Example.com",
        code="conflict",
        says="Ada Lovelace already has email ada@example.com",
    )
    assert err["details"]["conflicting_contact"] == {"id": ada["id"], "full_name": "Ada Lovelace"}


@pytest.mark.parametrize("flag", ["--twitter", "--telegram"])
def test_edit_to_another_contacts_handle_is_a_conflict(crm, flag):
    ada = crm.add("Ada Lovelace", flag, "taken")
    crm.add("Grace Hopper", flag, "grace")
    err = crm.rejects("contacts", "edit", "grace", flag, "@TAKEN", code="conflict", says="Ada Lovelace")
    assert err["details"]["conflicting_contact"]["id"] == ada["id"]
    # setting your own handle again (any spelling) is fine
    crm.cli("contacts", "edit", "ada", flag, "@Taken")


def test_changing_the_telegram_username_clears_the_telegram_user_id(crm):
    c = crm.service(
        "contacts.create_contact",
        {"full_name": "Pavel", "telegram_username": "pavel", "telegram_user_id": "1001"},
    ).data
    assert c["telegram_user_id"] == "1001"
    same = crm.cli.json("contacts", "edit", "pavel", "--telegram", "@PAVEL")["data"]
    assert same["telegram_username"] == "pavel" and same["telegram_user_id"] == "1001"
    moved = crm.cli.json("contacts", "edit", "pavel", "--telegram", "durov")["data"]
    assert moved["telegram_username"] == "durov" and moved["telegram_user_id"] is None
    # the old numeric id no longer points at anyone
    crm.service("contacts.create_contact", {"full_name": "Other", "telegram_user_id": "1001"})


def test_changing_the_twitter_handle_clears_the_twitter_user_id_and_bio(crm):
    c = crm.service(
        "contacts.create_contact",
        {
            "full_name": "Jack",
            "twitter_handle": "jack",
            "twitter_user_id": "12",
            "twitter_bio": "just setting up",
        },
    ).data
    assert c["twitter_user_id"] == "12"
    moved = crm.cli.json("contacts", "edit", "jack", "--twitter", "jack2")["data"]
    assert moved["twitter_handle"] == "jack2"
    assert moved["twitter_user_id"] is None and moved["twitter_bio"] is None


def test_edit_with_nothing_to_change_is_refused(crm, monkeypatch):
    # in a script with no editor set: at a terminal, or with $EDITOR, it opens the form [editor-form]
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    crm.add("Ada Lovelace")
    crm.rejects("contacts", "edit", "ada", code="validation_error", says="nothing to change")


@pytest.mark.parametrize(
    "args, says",
    [
        (("--clear", "priority"), "cannot be cleared"),
        (("--clear", "shoe_size"), "unknown field"),
        (("--birthday", "13-01"), "birthday"),
        (("--email", "nope"), "not an email"),
    ],
)
def test_edit_refuses_bad_values(crm, args, says):
    crm.add("Ada Lovelace", "--birthday", "12-10")
    crm.rejects("contacts", "edit", "ada", *args, code="validation_error", says=says)


def test_edit_of_an_unknown_or_ambiguous_contact_changes_nothing(crm):
    crm.add("Charles Babbage")
    crm.add("Charles Darwin")
    crm.rejects("contacts", "edit", "charles", "--title", "x", code="bad_request", says="matches 2 contacts")
    crm.rejects("contacts", "edit", "nobody", "--title", "x", code="not_found")


def test_changing_the_company_moves_the_organization(crm):
    a = crm.add("Ada Lovelace", "--company", "Analytical Engines")
    g = crm.add("Grace Hopper", "--company", "Navy")
    moved = crm.cli.json("contacts", "edit", "ada", "--company", "NAVY")["data"]
    assert moved["organization_id"] == g["organization_id"] != a["organization_id"]
    cleared = crm.cli.json("contacts", "edit", "ada", "--clear", "company")["data"]
    assert cleared["company"] is None and cleared["organization_id"] is None


# ------------------------------------------------------------------ rm, tag, untag, tags list


def test_rm_deletes_the_contact_and_its_timeline(crm):
    ada = crm.add("Ada Lovelace", "--email", "ada@example.com")
    crm.cli("note", "add", "ada", "lunch")
    out = crm.cli.json("contacts", "rm", "ada", "--yes")
    assert out["data"] == {  # nothing merged into her, no organization of hers
        "id": ada["id"],
        "deleted": True,
        "merged_contacts": [],
        "organization_removed": None,
    }
    assert crm.sql("SELECT count(*) FROM interactions") == [(0,)]
    crm.rejects("contacts", "show", ada["id"], code="not_found")
    assert crm.names("--search", "lunch") == []
    crm.add("Ada Again", "--email", "ada@example.com")  # the email is free again


def test_rm_of_unknown_or_ambiguous_contact_changes_nothing(crm):
    crm.add("Charles Babbage")
    crm.add("Charles Darwin")
    crm.rejects("contacts", "rm", "charles", "--yes", code="bad_request")
    crm.rejects("contacts", "rm", "nobody", "--yes", code="not_found")


def test_rm_prints_what_it_deleted(crm):
    ada = crm.add("Ada Lovelace")
    assert crm.cli("contacts", "rm", "ada", "--yes").stdout.strip() == f"deleted {ada['id']}"


def test_tag_untag_and_tags_list(crm):
    crm.add("Ada Lovelace", "--tag", "friend")
    crm.add("Grace Hopper")
    c = crm.cli.json("contacts", "tag", "ada", "Investor", "london", "FRIEND")["data"]
    assert c["tags"] == ["friend", "investor", "london"]
    assert "tags" in c["user_edited_fields"]
    crm.cli("contacts", "tag", "grace", "investor")
    tags = crm.cli.json("tags", "list")
    assert tags["data"] == ["friend", "investor", "london"]
    assert tags["meta"]["counts"] == {"friend": 1, "investor": 2, "london": 1}
    c = crm.cli.json("contacts", "untag", "ada", "LONDON", "friend", "--now", "2026-06-20T09:00:00Z")["data"]
    assert c["tags"] == ["investor"] and c["updated_at"] == "2026-06-20T09:00:00.000Z"
    assert crm.cli.json("tags", "list")["data"] == ["investor"]
    human = crm.cli("tags", "list").stdout
    assert "investor" in human and "2" in human
    lines = crm.cli("tags", "list", "--nl").stdout.splitlines()
    assert [json.loads(x) for x in lines] == ["investor"]


def test_untag_of_a_tag_the_contact_lacks_changes_nothing(crm):
    """It was `error: the contact has no tag enemy`, exit 1, where `tag` of a tag it has is a note, exit 0:
    `... | xargs -n1 pcrm contacts untag ...` stopped at the first contact without the tag."""
    crm.add("Ada Lovelace", "--tag", "friend", "--now", "2026-06-01T09:00:00Z")
    before = crm.dump()
    said = crm.cli("contacts", "untag", "ada", "enemy")
    assert said.exit_code == 0 and said.stdout == ""
    assert said.stderr == "Ada Lovelace has no tag enemy (its tags: friend); nothing to change\n"
    assert crm.dump() == before  # updated_at included
    body = crm.cli.json("contacts", "untag", "ada", "enemy")
    assert body["data"]["tags"] == ["friend"] and body["meta"]["not_tagged"] == ["enemy"]
    assert body["meta"]["unchanged"]
    # some it has, some not: those it has go, and the note names the others
    crm.cli("contacts", "tag", "ada", "mentor")
    mixed = crm.cli("contacts", "untag", "ada", "mentor", "enemy")
    assert mixed.exit_code == 0 and crm.show("ada")["tags"] == ["friend"]
    assert "Ada Lovelace has no tag enemy (its tags: friend)\n" in mixed.stderr
    crm.rejects("contacts", "tag", "nobody", "friend", code="not_found")


def test_tags_list_on_an_empty_store(crm):
    assert crm.cli.json("tags", "list")["data"] == []
    assert "no tags yet" in crm.cli("tags", "list", "--format", "table").stdout
    assert crm.cli("tags", "list").stdout == ""  # a pipe gets the rows alone [readable-tables]


# ------------------------------------------------------------------ list: paging, output shapes


def test_list_meta_paging_and_stable_ties(crm):
    made = [crm.add(f"Person {i:02d}")["id"] for i in range(7)]  # same score, same created_at: all tie
    first = crm.cli.json("contacts", "list", "--page-size", "3")
    assert first["meta"] == {
        "total": 7,
        "page": 1,
        "page_size": 3,
        "total_pages": 3,
        "total_is_estimate": False,
        "has_more": True,
    }
    seen = []
    for page in (1, 2, 3):
        seen += [
            c["id"] for c in crm.cli.json("contacts", "list", "--page-size", "3", "--page", str(page))["data"]
        ]
    assert sorted(seen) == sorted(made) and len(seen) == 7  # no duplicates, none missing
    again = []
    for page in (1, 2, 3):
        again += [
            c["id"] for c in crm.cli.json("contacts", "list", "--page-size", "3", "--page", str(page))["data"]
        ]
    assert again == seen
    beyond = crm.cli.json("contacts", "list", "--page-size", "3", "--page", "9")
    assert beyond["data"] == [] and beyond["meta"]["total"] == 7


def test_list_on_an_empty_store(crm):
    out = crm.cli.json("contacts", "list")
    assert out == {
        "data": [],
        "error": None,
        "meta": {
            "total": 0,
            "page": 1,
            "page_size": 20,
            "total_pages": 1,
            "total_is_estimate": False,
            "has_more": False,
        },
    }
    assert "no contacts" in crm.cli("contacts", "list", "--format", "table").stdout
    assert crm.cli("contacts", "list").stdout == ""  # a pipe gets no rows, not a sentence


def test_list_nl_and_human_output(crm):
    crm.add("Ada Lovelace", "--company", "Analytical Engines")
    crm.add("Grace Hopper")
    lines = crm.cli("contacts", "list", "--nl").stdout.splitlines()
    assert sorted(json.loads(x)["full_name"] for x in lines) == ["Ada Lovelace", "Grace Hopper"]
    human = crm.cli("contacts", "list")
    assert "Ada Lovelace" in human.stdout and "Analytical Engines" in human.stdout
    assert "showing 2 of 2" in human.stderr


@pytest.mark.parametrize(
    "args, code",
    [
        (("--sort", "name"), "validation_error"),
        (("--score", "lukewarm"), "validation_error"),
        (("--priority", "urgent"), "validation_error"),
        (("--date-from", "2026-13-01"), "validation_error"),
        (("--date-to", "yesterday"), "validation_error"),
        (("--interaction-from", "15/06/2026"), "validation_error"),
        (("--interaction-to", "2026-6-1"), "validation_error"),
        (("--interaction-days", "0"), "validation_error"),
        (("--interaction-days", "366"), "validation_error"),
        (("--has-interactions", "maybe"), "validation_error"),
        (("--has-birthday", "sometimes"), "validation_error"),
        (("--page-size", "101"), "validation_error"),
    ],
)
def test_list_refuses_bad_filters_and_sorts(crm, args, code):
    crm.add("Ada Lovelace")
    err = crm.rejects("contacts", "list", *args, code=code)
    assert err["details"]["fields"], err


def test_bad_filters_do_not_even_run_the_daily_score_catch_up(crm):
    crm.add("Ada Lovelace")
    before = crm.dump()
    r = crm.cli("contacts", "list", "--sort", "bogus", "--now", "2026-07-01T00:00:00Z", ok=None)
    assert r.exit_code == 1
    assert crm.dump() == before


# ------------------------------------------------------------------ sorts


@pytest.fixture
def sortable(crm):
    """Five contacts whose sort keys all differ, created on different days."""

    def add(name, created, *args):
        return crm.cli.json("contacts", "add", "--name", name, "--now", created, *args)["data"]

    people = {
        "ada": add(
            "Ada", "2026-01-01T00:00:00Z", "--company", "zeta", "--priority", "low", "--birthday", "06-20"
        ),
        "bob": add(
            "Bob",
            "2026-02-01T00:00:00Z",
            "--company",
            "Alpha",
            "--priority",
            "high",
            "--birthday",
            "1990-01-05",
        ),
        "cy": add("Cy", "2026-03-01T00:00:00Z", "--priority", "medium", "--birthday", "06-15"),
        "dee": add("Dee", "2026-04-01T00:00:00Z", "--company", "beta", "--priority", "high"),
        "eve": add("Eve", "2026-05-01T00:00:00Z", "--priority", "archived"),
    }
    # Ada: strong and recent; Bob: one old outbound; Cy: a balanced pair 50 days ago; Dee: nothing
    crm.history(
        people["ada"]["id"],
        [("email", "inbound", "2026-06-14T10:00:00Z"), ("telegram", "outbound", "2026-06-13T10:00:00Z")] * 4,
    )
    crm.history(people["bob"]["id"], [("email", "outbound", "2025-01-01T10:00:00Z")])
    crm.history(
        people["cy"]["id"],
        [("email", "inbound", "2026-04-26T10:00:00Z"), ("email", "outbound", "2026-04-26T11:00:00Z")],
    )
    return people


@pytest.mark.parametrize(
    "sort, expected",
    [
        (None, ["Ada", "Cy", "Dee", "Bob"]),  # score desc (10, 5, 0, 0), then created desc
        ("score", ["Ada", "Cy", "Dee", "Bob"]),
        ("created", ["Dee", "Cy", "Bob", "Ada"]),
        ("interaction", ["Ada", "Cy", "Bob", "Dee"]),  # last interaction desc, never-contacted last
        ("activity", ["Ada", "Cy", "Bob", "Dee"]),  # interaction_count desc (8, 2, 1, 0), ties by id
        ("company", ["Bob", "Dee", "Ada", "Cy"]),  # case-insensitive, no company last
        ("birthday", ["Cy", "Ada", "Bob", "Dee"]),  # next one first (today is 06-15), none last
        ("overdue", ["Dee", "Bob", "Cy", "Ada"]),  # never-contacted first, then oldest last interaction
        ("priority", ["Bob", "Dee", "Cy", "Ada"]),  # high (by score), medium, low
    ],
)
def test_every_sort(crm, sortable, sort, expected):
    args = ("--sort", sort) if sort else ()
    assert crm.names(*args) == expected


def test_scores_behind_the_sorts(crm, sortable):
    got = {
        c["full_name"]: (c["relationship_score"], c["interaction_count"])
        for c in crm.cli.json("contacts", "list", "--include-archived")["data"]
    }
    assert got == {"Ada": (10, 8), "Bob": (0, 1), "Cy": (5, 2), "Dee": (0, 0), "Eve": (0, 0)}


# ------------------------------------------------------------------ filters


def test_archived_filters(crm, sortable):
    assert "Eve" not in crm.names()
    assert crm.names("--archived-only") == ["Eve"]
    assert sorted(crm.names("--include-archived")) == ["Ada", "Bob", "Cy", "Dee", "Eve"]
    assert crm.names("--archived-only", "--include-archived") == ["Eve"]  # archived_only wins


def test_score_priority_tag_source_filters(crm, sortable):
    assert crm.names("--score", "strong") == ["Ada"]
    assert crm.names("--score", "active") == ["Cy"]
    assert crm.names("--score", "DORMANT") == ["Dee", "Bob"]
    assert crm.names("--priority", "high") == ["Dee", "Bob"]
    assert crm.names("--priority", "high", "--score", "dormant", "--sort", "created") == ["Dee", "Bob"]
    crm.cli("contacts", "tag", "cy", "Investor")
    crm.service("contacts.create_contact", {"full_name": "Imported Ivy", "tags": ["investor"]}, source="csv")
    assert crm.names("--tag", " INVESTOR ") == ["Cy", "Imported Ivy"]
    assert crm.names("--source", "csv") == ["Imported Ivy"]
    assert crm.names("--source", "csv", "--tag", "friend") == []


def test_created_date_window_includes_the_end_day(crm, sortable):
    assert crm.names("--date-from", "2026-02-01", "--date-to", "2026-03-01", "--sort", "created") == [
        "Cy",
        "Bob",
    ]
    assert crm.names("--date-to", "2026-01-01") == ["Ada"]
    assert crm.names("--date-from", "2026-04-02") == []


def test_interaction_window_is_inclusive_and_ignores_created_at(crm, sortable):
    # Cy's last interaction is 2026-04-26 11:00; Ada's 2026-06-14; Bob's 2025-01-01; Dee has none
    assert crm.names("--interaction-from", "2026-04-26", "--interaction-to", "2026-04-26") == ["Cy"]
    assert crm.names("--interaction-to", "2026-04-26") == ["Cy", "Bob"]
    assert crm.names("--interaction-from", "2025-01-01") == ["Ada", "Cy", "Bob"]  # never-contacted excluded
    assert crm.names("--interaction-from", "2026-06-15") == []
    assert crm.names("--interaction-days", "7") == ["Ada"]
    assert crm.names("--interaction-days", "60") == ["Ada", "Cy"]
    assert crm.names("--has-interactions", "true") == ["Ada", "Cy", "Bob"]
    assert crm.names("--has-interactions", "false") == ["Dee"]


def test_has_birthday(crm, sortable):
    assert crm.names("--has-birthday", "true") == ["Ada", "Cy", "Bob"]
    assert crm.names("--has-birthday", "false") == ["Dee"]


@pytest.fixture
def ghosts(crm):
    def person(name, items=(), *args):
        c = crm.add(name, *args)
        crm.history(c["id"], items)
        return c

    day = "2026-06-{:02d}T10:00:00Z".format
    person("Three Out", [("email", "outbound", day(d)) for d in (1, 2, 3)])
    person("Old Inbound", [("email", "inbound", day(1))] + [("email", "outbound", day(d)) for d in (2, 3, 4)])
    person(
        "Recent Inbound", [("email", "outbound", day(d)) for d in (1, 2, 3)] + [("email", "inbound", day(4))]
    )
    person("Two Out", [("email", "outbound", day(d)) for d in (1, 2)])
    person(
        "Events Ignored",
        [
            ("email", "outbound", day(1)),
            ("twitter", "event", day(2)),
            ("email", "outbound", day(3)),
            ("meeting", "mutual", day(4)),
            ("manual", "note", day(5), "a note"),
            ("email", "outbound", day(6)),
        ],
    )
    person(
        "Across Platforms",
        [("email", "outbound", day(1)), ("telegram", "outbound", day(2)), ("linkedin", "outbound", day(3))],
    )
    person(
        "Inbound Then Event",
        [
            ("email", "outbound", day(1)),
            ("email", "outbound", day(2)),
            ("email", "inbound", day(3)),
            ("twitter", "event", day(4)),
        ],
    )
    person("Archived Ghost", [("email", "outbound", day(d)) for d in (1, 2, 3)], "--priority", "archived")
    person("High Ghost", [("email", "outbound", day(d)) for d in (1, 2, 3)], "--priority", "high")
    person("Nobody Spoke")
    # an inbound reply dated in the future does not count yet [future-interactions]
    person(
        "Future Reply",
        [("email", "outbound", day(d)) for d in (1, 2, 3)] + [("email", "inbound", "2026-07-01T10:00:00Z")],
    )


def test_ghosted_filter(crm, ghosts):
    assert sorted(crm.names("--ghosted")) == [
        "Across Platforms",
        "Events Ignored",
        "Future Reply",
        "High Ghost",
        "Old Inbound",
        "Three Out",
    ]
    assert crm.names("--ghosted", "--priority", "high") == ["High Ghost"]
    assert crm.names("--ghosted", "--archived-only") == ["Archived Ghost"]
    assert len(crm.names("--page-size", "100")) == 10  # without --ghosted: no filter at all


# ------------------------------------------------------------------ search [contact-search]


@pytest.fixture
def searchable(crm):
    ada = crm.add(
        "Ada Lovelace",
        "--email",
        "ada@analytical.io",
        "--company",
        "Analytical Engines",
        "--title",
        "Countess",
        "--twitter",
        "enchantress",
        "--phone",
        "+44 20 7946 0958",
    )
    grace = crm.add(
        "Grace Hopper",
        "--telegram",
        "amazinggrace",
        "--company",
        "US Navy",
        "--notes",
        "invented the compiler",
    )
    crm.add("Jürgen Müller", "--company", "Straße GmbH")
    crm.add("Li Wu")
    crm.history(ada["id"], [("email", "inbound", "2026-06-01T10:00:00Z", "Notes on the Bernoulli numbers")])
    crm.history(grace["id"], [("email", "outbound", "2026-06-01T10:00:00Z", "found a moth in the relay")])
    return crm


@pytest.mark.parametrize(
    "term, expected",
    [
        ("lovel", ["Ada Lovelace"]),  # part of a full name
        ("HOPPER", ["Grace Hopper"]),  # family name, any case
        ("ada@analytical", ["Ada Lovelace"]),  # email
        ("@enchantress", ["Ada Lovelace"]),  # @handle (twitter)
        ("@AmazingGrace", ["Grace Hopper"]),  # @handle (telegram)
        ("amazing", ["Grace Hopper"]),
        ("navy", ["Grace Hopper"]),  # company
        ("countess", ["Ada Lovelace"]),  # title
        ("compiler", ["Grace Hopper"]),  # notes
        ("bernoulli", ["Ada Lovelace"]),  # interaction text
        ("MOTH IN", ["Grace Hopper"]),
        ("7946", ["Ada Lovelace"]),  # phone
        ("müller", ["Jürgen Müller"]),  # Unicode case folding
        ("MÜLLER", ["Jürgen Müller"]),
        ("strasse", ["Jürgen Müller"]),  # casefold: ß = ss
        ("Straße", ["Jürgen Müller"]),
        ("wu", ["Li Wu"]),  # a 2-character term: words that start with it (the word-prefix index)
        ("Li", ["Li Wu"]),  # not "Bernoulli" in one of Ada's messages: short terms skip messages
        ("lo", ["Ada Lovelace"]),
        ("MÜ", ["Jürgen Müller"]),
        ("muller", ["Jürgen Müller"]),  # Latin letters match with or without their diacritics
        ("JURGEN MU", ["Jürgen Müller"]),
        ("mu", ["Jürgen Müller"]),
        ("ü", ["Grace Hopper"]),  # 1 character: the words that start with u ("US Navy")
        ("ö", []),  # nobody has a word that starts with o
        ("%", []),  # wildcards are literal
        ("_", []),
        ("%%%", []),
        ('"', []),
        ("zzz", []),
    ],
)
def test_search(searchable, term, expected):
    got = searchable.names("--search", term)
    assert sorted(got) == sorted(expected), term


@pytest.mark.parametrize(
    "term",
    ["020 7946 0958", "020-7946-0958", "(020) 7946 0958", "02079460958", "0044 20 7946 0958", "7946-0958"],
)
def test_search_finds_a_phone_number_in_any_written_form(searchable, term):
    # stored as typed ("+44 20 7946 0958") and normalised ("+442079460958"): national, dashed or
    # bracketed spellings hold neither as a substring [contact-search]
    assert searchable.names("--search", term) == ["Ada Lovelace"]


def test_search_finds_numbers_stored_without_a_region_in_international_form(crm):
    crm.add("Bob Local", "--phone", "020 7946 0000")  # no region: stored as its digits, "02079460000"
    crm.add("Cy Dash", "--phone", "202-555-0123")
    assert crm.names("--search", "+44 20 7946 0000") == ["Bob Local"]
    assert crm.names("--search", "+1 (202) 555 0123") == ["Cy Dash"]
    assert crm.names("--search", "202.555.0123") == ["Cy Dash"]
    assert crm.names("--search", "+44 20 7946 0001") == []


def test_search_finds_literal_percent_and_underscore(searchable):
    searchable.add("Percy Cent", "--notes", "gives 100% always", "--telegram", "per_cy")
    assert searchable.names("--search", "100%") == ["Percy Cent"]
    assert searchable.names("--search", "%") == ["Percy Cent"]
    assert searchable.names("--search", "r_c") == ["Percy Cent"]
    assert searchable.names("--search", "_") == ["Percy Cent"]
    assert searchable.names("--search", "10_%") == []


def test_search_relevance_tiers(crm):
    # each contact matches "ada" in a different way; the default sort would put them in the reverse order
    def add(name, *args, score_items=()):
        c = crm.add(name, *args)
        if score_items:
            crm.history(c["id"], score_items)
        return c

    recent = [
        ("email", "inbound", "2026-06-14T10:00:00Z"),
        ("telegram", "outbound", "2026-06-14T11:00:00Z"),
    ] * 4
    add("Zed Other", score_items=recent)  # 5: matches only through a message
    crm.history(crm.show("zed")["id"], [("email", "inbound", "2026-06-10T10:00:00Z", "met Ada's cousin")])
    add("Yan Handle", "--twitter", "adalover", score_items=recent[:6])  # 4: handle
    add("Xi Company", "--company", "Canada Dry", score_items=recent[:4])  # 3: company
    add("Wendy Adams", score_items=recent[:2])  # 2: name contains
    add("Adaline Bell")  # 1: full name starts with
    add("Vic Notes", "--notes", "knows ada")  # 5: notes
    assert crm.names("--search", "ada") == [
        "Adaline Bell",
        "Wendy Adams",
        "Xi Company",
        "Yan Handle",
        "Zed Other",
        "Vic Notes",
    ]
    # within a tier the chosen sort applies (overdue: never-contacted first)
    assert crm.names("--search", "ada", "--sort", "overdue") == [
        "Adaline Bell",
        "Wendy Adams",
        "Xi Company",
        "Yan Handle",
        "Vic Notes",
        "Zed Other",
    ]


def test_search_follows_edits_and_deletes(crm):
    crm.add("Ada Lovelace", "--company", "Analytical Engines")
    assert crm.names("--search", "analytical") == ["Ada Lovelace"]
    crm.cli("contacts", "edit", "ada", "--company", "Difference Engines", "--email", "countess@x.io")
    assert crm.names("--search", "analytical") == []
    assert crm.names("--search", "difference") == ["Ada Lovelace"]
    assert crm.names("--search", "countess@") == ["Ada Lovelace"]
    crm.cli("contacts", "edit", "ada", "--name", "Augusta King")
    assert crm.names("--search", "lovelace") == []
    assert crm.names("--search", "augusta") == ["Augusta King"]


def test_search_combines_with_filters(searchable):
    searchable.cli("contacts", "tag", "grace", "navy")
    assert searchable.names("--search", "a", "--tag", "navy") == ["Grace Hopper"]
    assert searchable.names("--search", "grace", "--score", "strong") == []


# ------------------------------------------------------------------ ids


def test_ids_takes_the_same_filters(crm, sortable):
    got = crm.cli.json("contacts", "ids", "--priority", "high")
    assert sorted(got["data"]) == sorted([sortable["bob"]["id"], sortable["dee"]["id"]])
    assert got["meta"] == {"total": 2}
    lines = crm.cli("contacts", "ids", "--archived-only").stdout.splitlines()
    assert lines == [sortable["eve"]["id"]]
    assert crm.cli.json("contacts", "ids", "--search", "zzz")["data"] == []
    assert sorted(
        crm.cli.json("contacts", "ids", "--has-interactions", "true", "--interaction-days", "60")["data"]
    ) == sorted([sortable["ada"]["id"], sortable["cy"]["id"]])
    assert crm.cli.json("contacts", "ids", "--ghosted")["data"] == []
    crm.rejects("contacts", "ids", "--score", "hot", code="validation_error")


# ------------------------------------------------------------------ overdue [followup-intervals]


def test_overdue_lists_high_priority_contacts_past_the_interval(crm):
    def person(name, last_days_ago, *args):
        c = crm.add(name, *args)
        if last_days_ago is not None:
            crm.history(c["id"], [("email", "outbound", _days_ago(last_days_ago))])
        return c

    person("Forty", 40, "--priority", "high")
    person("Ninety", 90, "--priority", "high")
    person("Thirty", 30, "--priority", "high")  # exactly the interval: not overdue yet
    person("Twenty", 20, "--priority", "high")
    person("Medium", 200, "--priority", "medium")
    person("Silent", None, "--priority", "high")
    person("Tier Two", 100, "--priority", "high")
    crm.cli("contacts", "tag", "tier", "2nd tier")  # after the interaction, which would promote them
    got = crm.cli.json("contacts", "overdue")
    assert [(c["full_name"], c["days_overdue"]) for c in got["data"]] == [("Ninety", 60), ("Forty", 10)]
    assert got["meta"] == {"count": 2, "total": 2, "interval_days": 30}
    assert [c["full_name"] for c in crm.cli.json("contacts", "overdue", "--limit", "1")["data"]] == ["Ninety"]
    human = crm.cli("contacts", "overdue").stdout
    assert "Ninety" in human and "60" in human
    assert crm.cli("contacts", "overdue", "--limit", "0", ok=None).exit_code == 2


def _days_ago(n: int) -> str:
    from datetime import datetime, timedelta

    return (datetime(2026, 6, 15, 12, tzinfo=UTC) - timedelta(days=n)).strftime("%Y-%m-%dT%H:%M:%SZ")


# ------------------------------------------------------------------ more identity and edit cases


def test_linkedin_profiles_are_identities(crm):
    ada = crm.add("Ada Lovelace", "--linkedin", "https://www.linkedin.com/in/ada-l/")
    err = crm.rejects(
        "contacts",
        "add",
        "--name",
        "Impostor",
        "--linkedin",
        "https://linkedin.com/in/ADA-L",
        code="conflict",
        says="Ada Lovelace already has LinkedIn profile ada-l",
    )
    assert err["details"]["conflicting_contact"]["id"] == ada["id"]
    cleared = crm.cli.json("contacts", "edit", "ada", "--clear", "linkedin")["data"]
    assert cleared["linkedin_url"] is None and cleared["linkedin_profile_id"] is None
    crm.add("Ada Two", "--linkedin", "https://www.linkedin.com/in/ada-l")


def test_a_renamed_contact_is_found_by_the_new_name(crm):
    crm.add("Ada Lovelace")
    crm.cli("contacts", "edit", "ada lovelace", "--name", "Augusta King")
    assert crm.show("augusta king")["full_name"] == "Augusta King"
    assert crm.show("augusta")["full_name"] == "Augusta King"
    crm.rejects("contacts", "show", "ada lovelace", code="not_found")


def test_given_and_family_names_make_the_full_name(crm):
    c = crm.add(None, "--given-name", "Ada", "--family-name", "Lovelace")
    assert (c["full_name"], c["given_name"], c["family_name"]) == ("Ada Lovelace", "Ada", "Lovelace")
    assert crm.show("ada lovelace")["id"] == c["id"]
    by_email = crm.add(None, "--email", "anon@example.com")
    assert by_email["full_name"] is None
    assert crm.show("anon@example.com")["id"] == by_email["id"]


def test_archiving_dismisses_open_suggestions(crm):
    ada = crm.add("Ada Lovelace")
    for status in ("pending", "snoozed", "sent"):
        crm.sql(
            "INSERT INTO follow_up_suggestions(uuid, contact_id, trigger_type, suggested_message, "
            "suggested_channel, status, created_at, updated_at) "
            "SELECT ?, id, 'time_based', 'hi', 'email', ?, ?, ? FROM contacts WHERE uuid = ?",
            (f"s-{status}", status, NOW, NOW, ada["id"]),
        )
    crm.cli("contacts", "edit", "ada", "--priority", "archived")
    assert sorted(crm.sql("SELECT uuid, status, dismissed_by FROM follow_up_suggestions")) == [
        ("s-pending", "dismissed", "system"),
        ("s-sent", "sent", None),
        ("s-snoozed", "dismissed", "system"),
    ]
    assert crm.names() == [] and crm.names("--archived-only") == ["Ada Lovelace"]


def test_a_bad_now_is_an_error(crm):
    crm.rejects("contacts", "list", "--now", "someday", code="validation_error", says="--now")


def test_errors_stay_on_one_line_in_a_narrow_terminal(crm, monkeypatch):
    crm.add("Ada Lovelace", "--email", "ada@example.com")
    monkeypatch.setenv("COLUMNS", "40")
    r = crm.cli(
        "contacts", "add", "--name", "Someone With A Long Name", "--email", "ada@example.com", ok=None
    )
    lines = r.stderr.splitlines()
    assert len(lines) == 2 and lines[0].startswith("error: ") and lines[1].startswith("hint: ")


def test_an_ambiguous_id_prefix_lists_the_candidates(crm):
    crm.add("Ada Lovelace")
    crm.add("Grace Hopper")
    crm.sql("UPDATE contacts SET uuid = 'beef' || substr(uuid, 5)")
    err = crm.rejects("contacts", "show", "beef", code="bad_request", says="matches 2 contacts")
    assert sorted(c["full_name"] for c in err["details"]["candidates"]) == ["Ada Lovelace", "Grace Hopper"]
    ada = crm.cli.json("contacts", "list", "--search", "ada")["data"][0]
    assert crm.show(ada["id"][:9])["full_name"] == "Ada Lovelace"  # a longer prefix is unique again


def test_a_first_name_and_someone_elses_handle_are_ambiguous(crm):
    crm.add("Grace Hopper")
    crm.add("Ada Lovelace", "--twitter", "grace")
    crm.rejects("contacts", "show", "grace", code="bad_request", says="matches 2 contacts")
    assert crm.show("@grace")["full_name"] == "Ada Lovelace"  # a leading @ says: a handle
    assert crm.show("grace hopper")["full_name"] == "Grace Hopper"
