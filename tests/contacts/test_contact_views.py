"""`pcrm contacts stats | birthdays | overdue | map | related | bulk-update | reconcile | promote`,
`pcrm activity recent` and `pcrm second-tier count | rm` [followup-intervals] [upcoming-birthdays]
[dashboard-views] [map-viewport] [second-tier] [local-days] [hidden-contacts]."""

from __future__ import annotations

import json

import pytest

from tests.support.crm import NOW


def _ids(env):
    return [c["full_name"] for c in env["data"]]


# ------------------------------------------------------------------ stats


def test_stats_buckets_and_weeks(crm, cli):
    strong = crm.add("Strong One", "--priority", "high")
    crm.history(
        strong["id"],
        [
            ("email", d, f"2026-06-{day:02d}T09:00:00Z")
            for day in range(1, 15)
            for d in ("inbound", "outbound")
        ]
        + [("telegram", "inbound", "2026-06-14T10:00:00Z")],
    )
    week_before = crm.add("Last Week")
    crm.history(
        week_before["id"],
        [
            ("email", "inbound", "2026-06-05T09:00:00Z"),
            ("email", "outbound", "2026-06-07T09:00:00Z"),
            ("email", "outbound", "2026-06-30T09:00:00Z"),
        ],
    )  # future: not counted
    crm.add("Quiet")
    archived = crm.add("Gone", "--priority", "archived")
    crm.history(archived["id"], [("email", "inbound", "2026-06-14T09:00:00Z")])
    assert crm.show(strong["id"])["relationship_score"] >= 8
    env = cli.json("contacts", "stats")
    assert crm.show(week_before["id"])["relationship_score"] in range(4, 8)
    assert env == {
        "data": {
            "total": 3,
            "strong": 1,
            "active": 1,
            "dormant": 1,
            # last 7 days (from 06-08 12:00): strong 06-09..06-14 (12 + 1), archived 1
            "interactions_this_week": 14,
            # days 7-14 (06-01 12:00 to 06-08 12:00): strong 06-02..06-08 (14), last week 2
            "interactions_last_week": 16,
            "active_last_week": 2,
        },
        "error": None,
        "meta": {},
    }
    assert "1 strong" in cli("contacts", "stats").stdout


# ------------------------------------------------------------------ birthdays


def _birthdays(cli, now, *args):
    return cli.json("contacts", "birthdays", "--now", now, *args)


def test_birthdays_wrap_around_the_year_end(crm, cli):
    for name, bday in (
        ("Today", "12-28"),
        ("Eve", "12-31"),
        ("New Year", "01-01"),
        ("Third", "1990-01-03"),
        ("Too Far", "01-04"),
        ("Passed", "12-27"),
    ):
        crm.add(name, "--birthday", bday)
    crm.add("Archived", "--birthday", "12-29", "--priority", "archived")
    env = _birthdays(cli, "2026-12-28T12:00:00Z")
    assert [(c["full_name"], c["days_until_birthday"]) for c in env["data"]] == [
        ("Today", 0),
        ("Eve", 3),
        ("New Year", 4),
        ("Third", 6),
    ]
    assert env["meta"] == {"count": 4, "total": 4}
    assert "Eve" in cli("contacts", "birthdays", "--now", "2026-12-28T12:00:00Z").stdout


def test_feb_29_birthdays_show_on_feb_28_in_other_years(crm, cli):
    crm.add("Leap Day", "--birthday", "2000-02-29")
    crm.add("March First", "--birthday", "03-01")
    non_leap = _birthdays(cli, "2027-02-25T12:00:00Z")
    assert [(c["full_name"], c["days_until_birthday"]) for c in non_leap["data"]] == [
        ("Leap Day", 3),
        ("March First", 4),
    ]
    assert [
        (c["full_name"], c["days_until_birthday"]) for c in _birthdays(cli, "2027-02-28T08:00:00Z")["data"]
    ] == [("Leap Day", 0), ("March First", 1)]
    assert _ids(_birthdays(cli, "2027-03-01T08:00:00Z")) == ["March First"]  # celebrated yesterday
    leap = _birthdays(cli, "2028-02-25T12:00:00Z")
    assert [(c["full_name"], c["days_until_birthday"]) for c in leap["data"]] == [
        ("Leap Day", 4),
        ("March First", 5),
    ]


def test_birthdays_use_the_timezone_setting_and_cap_at_10(crm, cli):
    crm.add("Old Year", "--birthday", "12-31")
    crm.add("New Year", "--birthday", "01-01")
    at = "2026-12-31T23:30:00Z"
    assert [(c["full_name"], c["days_until_birthday"]) for c in _birthdays(cli, at)["data"]] == [
        ("Old Year", 0),
        ("New Year", 1),
    ]
    cli("settings", "set", "timezone", "Pacific/Auckland")  # already 1 January there
    assert [(c["full_name"], c["days_until_birthday"]) for c in _birthdays(cli, at)["data"]] == [
        ("New Year", 0)
    ]
    for i in range(11):
        crm.add(f"Twin {i:02d}", "--birthday", "01-02")
    env = _birthdays(cli, at)
    assert len(env["data"]) == 10 and env["data"][0]["full_name"] == "New Year"
    assert _ids(env)[1:] == [f"Twin {i:02d}" for i in range(9)]  # by name within a day
    assert len(_birthdays(cli, at, "--limit", "3")["data"]) == 3
    assert cli("contacts", "birthdays", "--limit", "11", ok=None).exit_code == 2
    from pcrm.errors import ValidationError

    with pytest.raises(ValidationError):
        crm.service("views.birthdays", limit=11)


# ------------------------------------------------------------------ overdue in a time zone


def test_overdue_counts_calendar_days_in_the_timezone_setting(crm, cli, monkeypatch):
    monkeypatch.setenv("PCRM_NOW", "2026-01-10T00:00:00Z")
    ada = crm.add("Ada", "--priority", "high")
    crm.history(ada["id"], [("email", "inbound", "2026-01-01T20:00:00Z")])  # Tokyo: 2 Jan, 05:00
    at = "2026-02-01T10:00:00Z"  # Tokyo: 1 Feb, 19:00
    utc = cli.json("contacts", "overdue", "--now", at)
    assert [(c["full_name"], c["days_overdue"]) for c in utc["data"]] == [("Ada", 1)]  # 31 days - 30
    cli("settings", "set", "timezone", "Asia/Tokyo")
    assert cli.json("contacts", "overdue", "--now", at)["data"] == []  # 30 days there: not yet
    later = "2026-02-02T05:00:00Z"  # UTC 2 Feb, Tokyo 2 Feb 14:00, Los Angeles 1 Feb 21:00
    assert cli.json("contacts", "overdue", "--now", later)["data"][0]["days_overdue"] == 1
    cli("settings", "set", "timezone", "America/Los_Angeles")  # last interaction: 1 Jan, 12:00 there
    assert cli.json("contacts", "overdue", "--now", later)["data"][0]["days_overdue"] == 1
    cli("settings", "set", "timezone", "UTC")
    assert cli.json("contacts", "overdue", "--now", later)["data"][0]["days_overdue"] == 2


# ------------------------------------------------------------------ map


def _located(records):
    from pcrm.services.context import open_context
    from pcrm.store import bulk
    from pcrm.store.db import write

    with open_context() as ctx, write(ctx.conn):
        bulk.insert_contacts(ctx.conn, records, NOW)


def test_map_returns_contacts_inside_the_box(crm, cli):
    sf = crm.add("San Francisco", "--latitude", "37.7749", "--longitude", "-122.4194")
    crm.add("London", "--latitude", "51.5072", "--longitude", "-0.1276")
    crm.add("Nowhere")
    crm.add("Archived SF", "--latitude", "37.7", "--longitude", "-122.4", "--priority", "archived")
    crm.add("Tier SF", "--latitude", "37.71", "--longitude", "-122.41", "--tag", "2nd tier")
    env = cli.json("contacts", "map", "--bbox=-123,37,-122,38")
    assert env == {
        "data": [
            {
                "id": sf["id"],
                "full_name": "San Francisco",
                "avatar_url": None,
                "latitude": 37.7749,
                "longitude": -122.4194,
                "relationship_score": 0,
                "display_name": "San Francisco",
            }
        ],
        "error": None,
        "meta": {"total_in_bounds": 1},
    }
    # no antimeridian case: the API answers a min above its max with nothing, the CLI names the mistake
    # (tests/contacts/test_contact_views.py::test_a_box_the_wrong_way_round_or_off_the_globe_is_refused)
    assert "showing 1 of 1" in cli("contacts", "map", "--bbox=-123,37,-122,38").stderr


def test_map_bounds_are_inclusive(crm, cli):
    crm.add("Corner Max", "--latitude", "38", "--longitude", "-122")
    crm.add("Corner Min", "--latitude", "37", "--longitude", "-123")
    crm.add("Just East", "--latitude", "37.5", "--longitude", "-121.99999")
    crm.add("Just North", "--latitude", "38.00001", "--longitude", "-122.5")
    crm.add("Odd Float", "--latitude", "37.7749", "--longitude", "-122.4194")
    assert sorted(_ids(cli.json("contacts", "map", "--bbox=-123,37,-122,38"))) == [
        "Corner Max",
        "Corner Min",
        "Odd Float",
    ]
    # a box whose edge is exactly the point (a value a 32-bit R*Tree cannot hold exactly)
    assert _ids(cli.json("contacts", "map", "--bbox=-122.4194,37.7749,-122.4194,37.7749")) == ["Odd Float"]
    assert _ids(cli.json("contacts", "map", "--bbox=-122.4194,37.77489,-122.4193,37.77489999")) == []


@pytest.mark.parametrize("bbox", ["1,2,3", "a,b,c,d", "1,2,3,4,5", "nan,1,2,3", "1,,2,3", "inf,0,1,1"])
def test_malformed_bbox_is_a_bad_request(crm, bbox):
    err = crm.rejects("contacts", "map", f"--bbox={bbox}", code="bad_request")
    assert err["message"] == "bbox must be minLng,minLat,maxLng,maxLat"


def test_a_box_the_wrong_way_round_or_off_the_globe_is_refused(crm):
    """`--bbox=-122,38,-123,37` (min above max) answered an empty map and `--bbox=-500,-100,500,100` every
    point, both without a word: a box typed wrong looked like a place with nobody in it."""
    err = crm.rejects("contacts", "map", "--bbox=-122,38,-123,37", code="bad_request")
    assert err["message"] == (
        "bbox: minLng -122 is above maxLng -123 and minLat 38 is above maxLat 37, so the box holds nothing"
    )
    assert "bbox=-123,37,-122,38" in err["hint"]  # --json keeps the API's terms; stderr says the option
    said = crm.cli("contacts", "map", "--bbox=-122,38,-123,37", ok=False).stderr
    assert "--bbox=-123,37,-122,38" in said, said
    err = crm.rejects("contacts", "map", "--bbox=-122,37,-123,38", code="bad_request")
    assert err["message"].startswith("bbox: minLng -122 is above maxLng -123,")
    err = crm.rejects("contacts", "map", "--bbox=-500,-100,500,100", code="bad_request")
    assert err["message"] == (
        "bbox: longitude -500, longitude 500, latitude -100, latitude 100 are out of range (longitudes run "
        "from -180 to 180, latitudes from -90 to 90)"
    )
    assert "minLng,minLat,maxLng,maxLat" in err["hint"]
    assert crm.cli.json("contacts", "map", "--bbox=-180,-90,180,90")["data"] == []  # the whole globe is fine


def test_map_hard_cap_of_500_with_the_total(crm, cli):
    _located(
        [
            {"full_name": f"P{i:03d}", "latitude": 40 + i / 10000, "longitude": -74 + i / 10000}
            for i in range(510)
        ]
    )
    crm.sql("UPDATE contacts SET relationship_score = 7 WHERE full_name = 'P509'")
    env = cli.json("contacts", "map", "--bbox=-75,39,-73,41", "--limit", "2000")
    assert len(env["data"]) == 500 and env["meta"] == {"total_in_bounds": 510}
    assert env["data"][0]["full_name"] == "P509"  # best score first
    small = cli.json("contacts", "map", "--bbox=-75,39,-73,41", "--limit", "10")
    assert len(small["data"]) == 10 and small["meta"] == {"total_in_bounds": 510}
    assert "zoom in" in cli("contacts", "map", "--bbox=-75,39,-73,41").stderr
    assert cli("contacts", "map", "--bbox=-75,39,-73,41", "--limit", "2001", ok=None).exit_code == 2
    from pcrm.errors import ValidationError

    with pytest.raises(ValidationError):
        crm.service("views.contacts_map", "-75,39,-73,41", limit=2001)


# ------------------------------------------------------------------ related


def test_related_by_org_company_and_tags(crm, cli):
    ada = crm.add(
        "Ada", "--company", "Analytical Engines", "--tag", "math", "--tag", "poetry", "--tag", "2nd tier"
    )
    charles = crm.add("Charles", "--company", "Analytical Engines", "--tag", "math")
    crm.add("Byron", "--tag", "poetry")
    mary = crm.add("Mary", "--company", "ANALYTICAL engines")
    crm.sql("UPDATE contacts SET organization_id = NULL WHERE uuid = ?", (mary["id"],))
    crm.add("Archived Ann", "--company", "Analytical Engines", "--priority", "archived")
    crm.add("Tiered Tom", "--tag", "2nd tier")
    crm.add("Stranger", "--company", "Globex", "--tag", "chess")
    crm.history(
        charles["id"],
        [
            ("email", d, f"2026-06-{day:02d}T09:00:00Z")
            for day in range(1, 11)
            for d in ("inbound", "outbound")
        ],
    )
    env = cli.json("contacts", "related", "ada")
    assert [(c["full_name"], c["reasons"]) for c in env["data"]] == [
        ("Charles", ["Same org", "Shared tag: math"]),
        ("Byron", ["Shared tag: poetry"]),  # same score and as many reasons: by name
        ("Mary", ["Same company"]),
    ]
    assert set(env["data"][0]) == {
        "id",
        "full_name",
        "title",
        "company",
        "avatar_url",
        "relationship_score",
        "reasons",
        "display_name",
    }
    for i in range(6):
        crm.add(f"Poet {i}", "--tag", "poetry")
    assert len(cli.json("contacts", "related", ada["id"])["data"]) == 5
    assert cli.json("contacts", "related", "Stranger")["data"] == []
    assert "no related contacts" in cli("contacts", "related", "Stranger", "--format", "table").stdout
    crm.rejects("contacts", "related", "nobody-at-all", code="not_found")


# ------------------------------------------------------------------ bulk-update


def _suggestion(crm, contact_id, status):
    crm.sql(
        "INSERT INTO follow_up_suggestions(uuid, contact_id, trigger_type, suggested_message, "
        "suggested_channel, status, created_at, updated_at) SELECT lower(hex(randomblob(16))), id, "
        "'time_based', 'Hey', 'email', ?, ?, ? FROM contacts WHERE uuid = ?",
        (status, NOW, NOW, contact_id),
    )


def test_bulk_update_by_reference(crm, cli):
    a = crm.add("Ada", "--tag", "old", "--tag", "keep")
    b = crm.add("Bea", "--tag", "old")
    c = crm.add("Cid", "--tag", "old")
    env = cli.json(
        "contacts",
        "bulk-update",
        "ada",
        "bea",
        "--add-tag",
        "Investor",
        "--remove-tag",
        "old",
        "--priority",
        "high",
    )
    bid = env["data"].pop("bulk_update_id")  # [bulk-undo]
    assert env["meta"].pop("undo") == f"pcrm contacts bulk-undo {bid[:8]}"
    assert env == {"data": {"updated": 2}, "error": None, "meta": {"changed": 2, "suggestions_dismissed": 0}}
    ada, bea, cid = crm.show(a["id"]), crm.show(b["id"]), crm.show(c["id"])
    assert ada["tags"] == ["keep", "investor"] and bea["tags"] == ["investor"] and cid["tags"] == ["old"]
    assert ada["priority_level"] == bea["priority_level"] == "high" and cid["priority_level"] == "medium"
    assert "tags" in ada["user_edited_fields"] and "tags" not in cid["user_edited_fields"]
    assert "updated 1 contact" in cli("contacts", "bulk-update", "cid", "--priority", "low").stdout


def test_bulk_update_with_where_filters_and_dry_run(crm, cli):
    for name, tag in (("Ada", "conference"), ("Bea", "conference"), ("Cid", "friend")):
        crm.add(name, "--tag", tag)
    before = crm.dump()
    dry = cli.json("contacts", "bulk-update", "--where", "tag=conference", "--priority", "low", "--dry-run")
    assert dry["meta"] == {"changed": 2, "dry_run": True} and dry["data"]["updated"] == 2
    assert [c["full_name"] for c in dry["data"]["contacts"]] == ["Ada", "Bea"]  # who would change
    assert crm.dump() == before
    env = cli.json(
        "contacts", "bulk-update", "--where", "tag=conference", "--where", "search=ada", "--company", "Globex"
    )
    assert env["data"]["updated"] == 1  # only Ada has both
    ada = crm.show("Ada")
    org = cli.json("orgs", "show", "Globex")["data"]
    assert ada["company"] == "Globex" and ada["organization_id"] == org["id"]
    cleared = cli.json("contacts", "bulk-update", "Ada", "--company", "")
    assert cleared["data"]["updated"] == 1
    assert crm.show("Ada")["company"] is None and crm.show("Ada")["organization_id"] is None
    # through the API shape, a null company means "leave it"
    bea = crm.show("Bea")
    crm.service("bulk.bulk_update", {"contact_ids": [bea["id"]], "company": "Initech"})
    crm.service("bulk.bulk_update", {"contact_ids": [bea["id"]], "company": None, "priority_level": "low"})
    assert crm.show("Bea")["company"] == "Initech" and crm.show("Bea")["priority_level"] == "low"


def test_bulk_archive_dismisses_pending_and_snoozed_suggestions(crm, cli):
    a = crm.add("Ada")
    b = crm.add("Bea")
    for status in ("pending", "snoozed", "sent"):
        _suggestion(crm, a["id"], status)
    _suggestion(crm, b["id"], "pending")
    env = cli.json("contacts", "bulk-update", "ada", "--priority", "archived")
    assert env["data"]["updated"] == 1 and env["meta"]["changed"] == 1
    assert env["meta"]["suggestions_dismissed"] == 2
    rows = crm.sql(
        "SELECT c.full_name, s.status, s.dismissed_by FROM follow_up_suggestions s "
        "JOIN contacts c ON c.id = s.contact_id ORDER BY c.full_name, s.id"
    )
    assert rows == [
        ("Ada", "dismissed", "system"),
        ("Ada", "dismissed", "system"),
        ("Ada", "sent", None),
        ("Bea", "pending", None),
    ]
    assert crm.show(a["id"])["priority_level"] == "archived"


def test_bulk_update_bad_input_changes_nothing(crm, cli):
    crm.add("Ada")
    crm.rejects("contacts", "bulk-update", "ada", "--priority", "urgent", code="validation_error")
    crm.rejects("contacts", "bulk-update", "ada", code="validation_error", says="nothing to change")
    crm.rejects("contacts", "bulk-update", "--priority", "low", code="validation_error")
    crm.rejects(
        "contacts", "bulk-update", "ada", "--where", "tag=x", "--priority", "low", code="validation_error"
    )
    crm.rejects(
        "contacts", "bulk-update", "--where", "colour=red", "--priority", "low", code="validation_error"
    )
    crm.rejects(
        "contacts", "bulk-update", "ada", "--add-tag", "x", "--remove-tag", "X", code="validation_error"
    )
    crm.rejects("contacts", "bulk-update", "nobody", "--priority", "low", code="not_found")
    # a search filter that is nothing once trimmed selected everyone
    for blank in ("search=@", "search= ", "search="):
        crm.rejects(
            "contacts",
            "bulk-update",
            "--where",
            blank,
            "--add-tag",
            "zz",
            code="validation_error",
            says="would select every contact",
        )
    from pcrm.errors import NotFound, ValidationError

    with pytest.raises(NotFound):
        crm.service(
            "bulk.bulk_update",
            {"contact_ids": ["00000000-0000-4000-8000-000000000000"], "priority_level": "low"},
        )
    with pytest.raises(ValidationError):
        crm.service(
            "bulk.bulk_update",
            {
                "contact_ids": [f"{i:08d}-0000-4000-8000-000000000000" for i in range(501)],
                "priority_level": "low",
            },
        )
    with pytest.raises(ValidationError):
        crm.service("bulk.bulk_update", {"contact_ids": [crm.show("Ada")["id"]], "add_tags": ["t"] * 51})


# ------------------------------------------------------------------ reconcile


def test_reconcile_fixes_missing_stale_and_future_values(crm, cli):
    a, b, c, d = (crm.add(n) for n in ("Ada", "Bea", "Cid", "Dee"))
    crm.history(a["id"], [("email", "inbound", "2026-06-01T09:00:00Z")])
    crm.history(
        b["id"], [("email", "inbound", "2026-05-01T09:00:00Z"), ("email", "inbound", "2026-06-02T09:00:00Z")]
    )
    crm.history(c["id"], [("email", "inbound", "2026-06-03T09:00:00Z")])
    # a meeting tomorrow, written straight into the table, and three broken running maxima
    crm.sql(
        "INSERT INTO interactions(uuid, contact_id, platform, direction, occurred_at, created_at) "
        "SELECT 'future-meeting', id, 'meeting', 'mutual', '2026-06-16T09:00:00.000Z', ? FROM contacts "
        "WHERE uuid = ?",
        (NOW, c["id"]),
    )
    crm.sql("UPDATE contacts SET last_interaction_at = NULL WHERE uuid = ?", (a["id"],))
    crm.sql("UPDATE contacts SET last_interaction_at = '2026-05-01T09:00:00.000Z' WHERE uuid = ?", (b["id"],))
    crm.sql("UPDATE contacts SET last_interaction_at = '2026-06-16T09:00:00.000Z' WHERE uuid = ?", (c["id"],))
    crm.sql("UPDATE contacts SET last_interaction_at = '2026-06-04T09:00:00.000Z' WHERE uuid = ?", (d["id"],))
    assert cli.json("contacts", "reconcile") == {"data": {"updated_count": 4}, "error": None, "meta": {}}
    assert [crm.show(x["id"])["last_interaction_at"] for x in (a, b, c, d)] == [
        "2026-06-01T09:00:00.000Z",
        "2026-06-02T09:00:00.000Z",
        "2026-06-03T09:00:00.000Z",
        None,
    ]
    assert cli.json("contacts", "reconcile")["data"] == {"updated_count": 0}
    # once the meeting has happened, it counts
    assert cli.json("contacts", "reconcile", "--now", "2026-06-17T00:00:00Z")["data"] == {"updated_count": 1}
    assert crm.show(c["id"])["last_interaction_at"] == "2026-06-16T09:00:00.000Z"
    assert "updated 0 contacts" in cli("contacts", "reconcile", "--now", "2026-06-17T00:00:00Z").stdout


# ------------------------------------------------------------------ activity


def test_activity_recent_one_per_contact_newest_first(crm, cli):
    a, b, c, d = crm.add("Ada"), crm.add("Bea"), crm.add("Cid", "--priority", "archived"), crm.add("Dee")
    crm.history(
        a["id"],
        [
            ("email", "inbound", "2026-06-10T09:00:00Z", "older"),
            ("telegram", "outbound", "2026-06-14T09:00:00Z", "newest from ada"),
            ("email", "inbound", "2026-06-20T09:00:00Z", "in the future"),
        ],
    )
    crm.history(b["id"], [("email", "inbound", "2026-06-13T09:00:00Z", "from bea")])
    crm.history(c["id"], [("email", "inbound", "2026-06-14T10:00:00Z", "archived")])
    crm.history(d["id"], [("email", "inbound", "2026-06-08T11:00:00Z", "eight days ago")])
    env = cli.json("activity", "recent")
    assert env["data"] == [
        {
            "type": "message",
            "contact_name": "Ada",
            "contact_id": a["id"],
            "contact_avatar_url": None,
            "platform": "telegram",
            "direction": "outbound",
            "content_preview": "newest from ada",
            "timestamp": "2026-06-14T09:00:00.000Z",
        },
        {
            "type": "message",
            "contact_name": "Bea",
            "contact_id": b["id"],
            "contact_avatar_url": None,
            "platform": "email",
            "direction": "inbound",
            "content_preview": "from bea",
            "timestamp": "2026-06-13T09:00:00.000Z",
        },
    ]
    assert env["meta"] == {"count": 2, "total": 2}
    cut = cli.json("activity", "recent", "--limit", "1")
    assert [x["contact_name"] for x in cut["data"]] == ["Ada"] and cut["meta"] == {"count": 1, "total": 2}
    assert "newest from ada" in cli("activity", "recent").stdout
    assert cli("activity", "recent", "--limit", "101", ok=None).exit_code == 2


# ------------------------------------------------------------------ 2nd tier


def test_second_tier_count_promote_and_rm(crm, cli):
    a = crm.add("Ada", "--tag", "2nd tier", "--tag", "group")
    crm.add("Bea", "--tag", "2nd Tier")
    c = crm.add("Cid")
    assert cli.json("second-tier", "count") == {"data": {"count": 2}, "error": None, "meta": {}}
    assert cli("second-tier", "count").stdout == "2\n"
    assert cli.json("contacts", "promote", "ada")["data"] == {"promoted": True, "id": a["id"]}
    assert crm.show(a["id"])["tags"] == ["group"]
    assert cli.json("second-tier", "count")["data"] == {"count": 1}
    crm.rejects("contacts", "promote", "ada", code="bad_request", says="not 2nd tier")
    before = crm.dump()
    dry = cli.json("second-tier", "rm", "--dry-run")["data"]
    assert dry["deleted_count"] == 1 and [c["full_name"] for c in dry["contacts"]] == ["Bea"]
    assert crm.dump() == before
    done = cli.json("second-tier", "rm", "--yes")
    assert done["data"] == {"deleted_count": 1} and set(done["meta"]) == {"backup"}
    assert sorted(_ids(cli.json("contacts", "list"))) == ["Ada", "Cid"]
    assert crm.show(c["id"])["id"] == c["id"]
    assert cli.json("second-tier", "rm", "--yes")["data"] == {"deleted_count": 0}


# ------------------------------------------------------------------ the demo store

DEMO_NOW = "2026-06-15T12:00:00Z"


def test_every_new_command_works_on_the_demo_store(cli):
    cli("demo", "--now", DEMO_NOW)
    first = cli.json("contacts", "list", "--now", DEMO_NOW)["data"][0]
    org = cli.json("orgs", "list", "--now", DEMO_NOW)["data"][0]
    commands = [
        ("contacts", "stats"),
        ("contacts", "birthdays"),
        ("contacts", "overdue"),
        ("contacts", "map", "--bbox=-0.5,51.2,0.3,51.8"),
        ("contacts", "related", first["id"], "--format", "table"),
        ("contacts", "reconcile"),
        ("activity", "recent"),
        ("second-tier", "count"),
        ("orgs", "list"),
        ("orgs", "show", org["id"]),
        ("orgs", "stats", org["id"]),
        ("settings", "show"),
        ("settings", "show", "sync"),
        ("notifications", "--format", "table"),  # empty lists say so in a table; a pipe gets no rows
        ("notifications", "unread-count"),
        ("sync", "history", "--format", "table"),
        ("sync", "stats", "--format", "table"),
    ]
    for args in commands:
        with_clock = (*args, "--now", DEMO_NOW) if args[0] in ("contacts", "activity") else args
        human = cli(*with_clock)
        assert human.stdout.strip() or human.stderr.strip(), args
        env = json.loads(cli(*with_clock, "--json").stdout)
        assert env["error"] is None and isinstance(env["meta"], dict), args
    stats = cli.json("contacts", "stats", "--now", DEMO_NOW)["data"]
    assert stats["total"] > 250 and stats["interactions_this_week"] > 0
    assert cli.json("contacts", "birthdays", "--now", DEMO_NOW)["data"], "the demo plants birthdays this week"
    london = cli.json("contacts", "map", "--bbox=-0.5,51.2,0.3,51.8", "--now", DEMO_NOW)
    assert london["meta"]["total_in_bounds"] > 0
    assert org["contact_count"] > 0
    assert cli.json("activity", "recent", "--now", DEMO_NOW)["data"]
    changed = cli.json(
        "contacts", "bulk-update", "--where", "tag=conference", "--add-tag", "met-2026", "--now", DEMO_NOW
    )
    assert changed["data"]["updated"] > 0
    assert cli.json("orgs", "edit", org["id"], "--industry", "Demo")["data"]["industry"] == "Demo"


def test_the_map_and_related_contacts_name_a_nameless_contact_by_its_number(crm, cli):
    """`pcrm contacts map` and `pcrm contacts related` showed a contact without a name as '(no name)' (their
    rows hold no address to show it by); the service now gives each row its display_name, a nameless one
    by its number as `pcrm contacts list` shows it [display-name]."""
    crm.add("Ada Lovelace", "--company", "Acme")
    crm.add(None, "--phone", "+14155550100", "--company", "Acme", "--latitude", "51.5", "--longitude", "-0.1")
    (point,) = cli.json("contacts", "map", "--bbox=-1,51,1,52")["data"]
    assert point["full_name"] is None and point["display_name"] == "+14155550100"
    assert "+14155550100" in cli("contacts", "map", "--bbox=-1,51,1,52").stdout
    (near,) = cli.json("contacts", "related", "Ada Lovelace")["data"]
    assert near["display_name"] == "+14155550100"
    shown = cli("contacts", "related", "Ada Lovelace").stdout
    assert "+14155550100" in shown and "(no name)" not in shown, shown
