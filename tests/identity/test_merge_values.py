"""A merge drops none of the absorbed contact's values [merge-rules]: an empty field of the survivor is
filled, a differing one is kept as an extra field (the shapes of [import-matching]), and an unmerge gives
both contacts back exactly [reversible-merges]."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pcrm.services.contacts import rowid
from pcrm.store import imports as istore
from tests.support.seed import add
from tests.support.store import dump_contact


def _kept(result: dict[str, Any]) -> set[tuple[str, str]]:
    return {(v["kind"], v["value"]) for v in result["values_kept"]}


def _fields(ctx: Any, contact: str) -> list[tuple[str, str | None, str]]:
    return [(f["kind"], f["label"], f["value"]) for f in dump_contact(ctx, contact)["contact_fields"]]


def test_a_merge_keeps_every_value_of_the_other_contact_and_an_unmerge_restores_both(cli: Any) -> None:
    katie = cli.json(
        "contacts", "add", "--name", "Katie Lee", "--phone", "+447700900555", "--company", "Old Co",
        "--notes", "likes tea", "--birthday", "1990-04-01", "--location", "London",
    )["data"]["id"]  # fmt: skip
    katherine = cli.json(
        "contacts", "add", "--name", "Katherine Lee", "--phone", "+447700900555", "--email",
        "katherine.lee@corp.com", "--company", "Corp", "--title", "Engineer", "--notes", "met at conf",
        "--tag", "work",
    )["data"]["id"]  # fmt: skip
    before = (cli.json("contacts", "show", katie)["data"], cli.json("contacts", "show", katherine)["data"])

    d = cli.json("contacts", "merge", katie, katherine)["data"]
    assert d["id"] == katherine and d["merged_contact_id"] == katie
    assert d["fields_filled"] == ["birthday", "location"]
    assert _kept(d) == {("nickname", "Katie Lee"), ("org", "Old Co"), ("x", "X-PCRM-NOTE:likes tea")}
    survivor = cli.json("contacts", "show", katherine)["data"]
    assert (survivor["birthday"], survivor["location"]) == ("1990-04-01", "London")
    # people see the kept values where they look for the contact
    shown = [" ".join(line.split()) for line in cli("contacts", "show", katherine).stdout.splitlines()]
    assert {"also known as Katie Lee", "other company Old Co", "other notes likes tea"} <= set(shown)
    assert (survivor["company"], survivor["notes"], survivor["title"]) == ("Corp", "met at conf", "Engineer")
    # every value of both is on the survivor, and the vCard export carries the kept ones
    card = cli("export", "vcard", "--search", "Katherine").stdout
    for line in ("NICKNAME:Katie Lee", "X-PCRM-ORG:Old Co", "X-PCRM-NOTE:likes tea", "BDAY:1990-04-01"):
        assert line in card

    undone = cli.json("contacts", "unmerge", d["merge_id"])["data"]
    # the kept rows were the merge's own work, not an edit made to the survivor after it
    assert undone["edits_kept_on_survivor"] == []
    # both come back exactly, timestamps included: the journal restores the rows as they were
    after = (cli.json("contacts", "show", katie)["data"], cli.json("contacts", "show", katherine)["data"])
    assert after == before
    card = cli("export", "vcard", "--search", "Katherine").stdout
    # the values kept aside went back with Katie; the unmerge's answer (two people) travels [kept-apart]
    assert "NICKNAME" not in card and "X-PCRM-ORG" not in card and "X-PCRM-NOTE" not in card
    assert f"X-PCRM-NOT-SAME-AS:{katie}" in card


def test_companion_columns_travel_with_their_field_and_platform_texts_are_kept(cli: Any, ctx: Any) -> None:
    a = add(
        ctx,
        full_name="Ada Lovelace",
        emails=["ada@x.io"],
        company="Analytical",
        title="Countess",
        tags=["math"],
        location="Paris",
        twitter_bio="poetical science",
    )
    b = add(
        ctx,
        full_name="Ada Lovelace",
        emails=["ada@y.io"],
        location="London",
        latitude=51.5,
        longitude=-0.12,
        twitter_bio="numbers & poems",
        priority_level="high",
        avatar_url="https://example.com/ada.png",
    )
    before = (dump_contact(ctx, a), dump_contact(ctx, b))
    d = cli.json("contacts", "merge", a, b)["data"]
    assert d["id"] == a
    s = cli.json("contacts", "show", a)["data"]
    # London's coordinates do not land on Paris; London itself is kept as an address
    assert (s["location"], s["latitude"], s["longitude"]) == ("Paris", None, None)
    assert ("address", ";;;London;;;") in _kept(d)
    assert ("x", "X-PCRM-TWITTER-BIO:numbers & poems") in _kept(d)
    # the priority the user chose on the other contact, over the default; an empty avatar is filled
    assert (s["priority_level"], s["avatar_url"]) == ("high", "https://example.com/ada.png")
    assert "avatar_url" in d["fields_filled"] and "latitude" not in d["fields_filled"]
    cli("contacts", "unmerge", d["merge_id"])
    assert (dump_contact(ctx, a), dump_contact(ctx, b)) == before


def test_an_empty_location_takes_the_other_contacts_coordinates_with_it(cli: Any, ctx: Any) -> None:
    a = add(ctx, full_name="Ada Lovelace", emails=["ada@x.io"], company="Analytical", title="Countess")
    b = add(ctx, full_name="Ada L", location="London", latitude=51.5, longitude=-0.12)
    cli.json("contacts", "merge", a, b)
    s = cli.json("contacts", "show", a)["data"]
    assert (s["location"], s["latitude"], s["longitude"]) == ("London", 51.5, -0.12)


def test_a_value_the_survivor_already_holds_aside_is_not_added_twice(cli: Any, ctx: Any) -> None:
    a = add(ctx, full_name="Katherine Lee", emails=["k@corp.com"], company="Corp", title="Engineer")
    b = add(ctx, full_name="Katie Lee", emails=["katie@home.net"])
    c = add(ctx, full_name="Katie Lee", emails=["katie@old.net"], company="Old Co")
    cli.json("contacts", "merge", a, b)
    d = cli.json("contacts", "merge", a, c)["data"]
    assert _kept(d) == {("org", "Old Co")}  # the nickname came with the first merge
    assert _fields(ctx, a) == [("nickname", None, "Katie Lee"), ("org", None, "Old Co")]


def test_the_merge_line_and_its_dry_run_say_what_was_filled_and_kept(cli: Any, ctx: Any) -> None:
    a = add(ctx, full_name="Katherine Lee", emails=["k@corp.com"], company="Corp", title="Engineer")
    b = add(ctx, full_name="Katie Lee", birthday="1990-04-01", notes="likes tea")
    before = (dump_contact(ctx, a), dump_contact(ctx, b))
    dry = cli("contacts", "merge", a, b, "--dry-run").stdout
    assert "2 empty fields filled, 1 differing value kept" in " ".join(dry.split())
    assert (dump_contact(ctx, a), dump_contact(ctx, b)) == before
    assert cli.json("contacts", "merge", a, b, "--dry-run")["data"]["values_kept"] == [
        {"kind": "nickname", "label": None, "value": "Katie Lee"}
    ]
    done = " ".join(cli("contacts", "merge", a, b).stdout.split())
    assert "2 empty fields filled, 1 differing value kept as an extra field" in done


def test_a_merge_with_a_group_member_is_no_longer_2nd_tier_and_an_unmerge_puts_the_tag_back(cli: Any) -> None:
    ann = cli.json(
        "contacts", "add", "--name", "Ann Lee", "--email", "ann@lee.example", "--priority", "high"
    )["data"]["id"]
    member = cli.json(
        "contacts", "add", "--name", "Ann Lee", "--telegram", "annlee", "--tag", "2nd tier", "--tag", "choir"
    )["data"]["id"]
    cli("note", "add", ann, "important")
    d = cli.json("contacts", "merge", ann, member)["data"]
    assert cli.json("contacts", "show", d["id"])["data"]["tags"] == ["choir"]
    assert cli.json("second-tier", "rm", "--yes")["data"]["deleted_count"] == 0
    cli("contacts", "unmerge", d["merge_id"])
    assert "2nd tier" in cli.json("contacts", "show", member)["data"]["tags"]
    assert cli.json("contacts", "show", ann)["data"]["tags"] == []


def test_an_address_both_hold_in_two_shapes_is_kept_once_and_an_unmerge_restores_both(
    cli: Any, ctx: Any, imp: Any, tmp_path: Path
) -> None:
    card = tmp_path / "ann.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Smith\r\nN:Smith;Ann;;;\r\nEMAIL:ann@example.com\r\n"
        "ADR;TYPE=HOME:;;12 Main St;Springfield;IL;62701;USA\r\nEND:VCARD\r\n"
    )
    imp(card)
    (ann,) = [c["id"] for c in cli.json("contacts", "list")["data"]]
    annie = add(ctx, full_name="Annie Smith", emails=["annie@example.org"])
    # the same address as one flat text, labelled as written: what older imports kept
    flat = {"kind": "address", "label": "Home", "value": "12 Main St\nSpringfield, IL 62701\nUSA"}
    istore.append_fields(ctx.conn, rowid(ctx, annie), [flat])
    before = (dump_contact(ctx, ann), dump_contact(ctx, annie))

    d = cli.json("contacts", "merge", ann, annie)["data"]
    assert not any(v["kind"] == "address" for v in d["values_kept"])
    addresses = [f for f in _fields(ctx, d["id"]) if f[0] == "address"]
    assert len(addresses) == 1 and "12 Main St" in addresses[0][2]

    cli("contacts", "unmerge", d["merge_id"])
    assert (dump_contact(ctx, ann), dump_contact(ctx, annie)) == before


def test_the_other_contacts_handles_are_seen_and_exported_and_an_unmerge_takes_them_back(
    cli: Any, ctx: Any
) -> None:
    """Both X (and Telegram) identities move to the survivor, but a contact shows one handle a platform:
    the other's went unseen by `contacts show` and the vCard export, and the merge said 0 values kept."""
    one = cli.json(
        "contacts", "add", "--name", "Tess Twin", "-e", "tess@a.example", "--twitter", "tess_one",
        "--telegram", "tg_a",
    )["data"]["id"]  # fmt: skip
    two = cli.json(
        "contacts", "add", "--name", "Tess Twin", "-e", "tess@b.example", "--twitter", "Tess_Two",
    )["data"]["id"]  # fmt: skip
    before = (dump_contact(ctx, one), dump_contact(ctx, two))
    d = cli.json("contacts", "merge", one, two)["data"]
    other = two if d["id"] == one else one
    theirs = "tess_two" if other == two else "tess_one"
    # a handle only one of them has is no second handle
    assert _kept(d) == {("social", f"X-SOCIALPROFILE;TYPE=twitter:https://twitter.com/{theirs}")}
    shown = [" ".join(line.split()) for line in cli("contacts", "show", d["id"]).stdout.splitlines()]
    assert f"profile (twitter) https://twitter.com/{theirs}" in shown
    card = cli("export", "vcard", "--search", "Tess").stdout
    assert f"X-SOCIALPROFILE;TYPE=twitter:https://twitter.com/{theirs}" in card
    assert cli.json("contacts", "show", f"@{theirs}")["data"]["id"] == d["id"]  # still found by it

    cli.json("contacts", "unmerge", d["merge_id"])
    assert (dump_contact(ctx, one), dump_contact(ctx, two)) == before


def test_a_merge_with_an_archived_card_hides_nobody(cli: Any) -> None:
    """The richer contact survives with its priority: an active contact merged with its richer archived
    card was archived with it, and left every list without a word."""
    old = cli.json(
        "contacts", "add", "--name", "Arch Ive", "-e", "arch@old.example", "-e", "arch2@old.example",
        "--company", "Globex", "--title", "CEO", "--tag", "x", "--priority", "archived",
    )["data"]["id"]  # fmt: skip
    new = cli.json("contacts", "add", "--name", "Arch Ive", "-e", "arch@new.example", "--priority", "high")[
        "data"
    ]["id"]
    d = cli.json("contacts", "merge", old, new)["data"]
    assert d["id"] == old  # the richer one
    assert cli.json("contacts", "show", old)["data"]["priority_level"] == "high"
    assert [c["id"] for c in cli.json("contacts", "list", "--search", "Arch Ive")["data"]] == [old]
    cli("contacts", "unmerge", d["merge_id"])
    assert cli.json("contacts", "show", old)["data"]["priority_level"] == "archived"
    assert cli.json("contacts", "show", new)["data"]["priority_level"] == "high"
    # two archived cards stay archived
    other = cli.json("contacts", "add", "--name", "Arch Ive", "-e", "a3@x.example", "--priority", "archived")
    d = cli.json("contacts", "merge", old, other["data"]["id"])["data"]
    assert cli.json("contacts", "show", d["id"])["data"]["priority_level"] == "archived"


def test_a_merge_fills_no_title_of_another_employer_and_an_unmerge_restores_it(cli: Any) -> None:
    """[job-changes]: the other contact's title is its company's; beside another employer it is kept aside
    with that company, never filled ("Principal Engineer at Contoso" was a job that never was)."""
    sam = cli.json(
        "contacts", "add", "--name", "Sam Lee", "--email", "sam@contoso.example", "--company", "Contoso",
        "--phone", "+447700900556", "--tag", "work",
    )["data"]["id"]  # fmt: skip
    other = cli.json(
        "contacts", "add", "--name", "Sam Lee", "--email", "sam@fabrikam.example", "--company", "Fabrikam",
        "--title", "Principal Engineer",
    )["data"]["id"]  # fmt: skip
    before = cli.json("contacts", "show", other)["data"]
    d = cli.json("contacts", "merge", sam, other)["data"]
    assert d["id"] == sam and d["fields_filled"] == []
    assert _kept(d) == {("org", "Fabrikam"), ("prop", "TITLE:Principal Engineer")}
    survivor = cli.json("contacts", "show", sam)["data"]
    assert (survivor["company"], survivor["title"]) == ("Contoso", None)
    cli("contacts", "unmerge", d["merge_id"])
    back = cli.json("contacts", "show", other)["data"]
    assert (back["company"], back["title"]) == (before["company"], before["title"])
    assert cli.json("contacts", "show", sam)["data"]["title"] is None


def test_a_merge_at_the_same_employer_fills_the_title(cli: Any) -> None:
    sam = cli.json(
        "contacts", "add", "--name", "Sam Lee", "--email", "sam@contoso.example", "--company", "Contoso",
        "--phone", "+447700900556", "--tag", "work",
    )["data"]["id"]  # fmt: skip
    other = cli.json(
        "contacts", "add", "--name", "Sam Lee", "--email", "sam@home.example", "--company", "Contoso Ltd",
        "--title", "Staff Engineer",
    )["data"]["id"]  # fmt: skip
    d = cli.json("contacts", "merge", sam, other)["data"]
    assert d["id"] == sam and d["fields_filled"] == ["title"]
    assert cli.json("contacts", "show", sam)["data"]["title"] == "Staff Engineer"
