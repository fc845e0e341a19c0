"""`pcrm notifications [list] | read | read-all | unread-count` and `notify` [notification-inbox]."""

from __future__ import annotations

import pytest

from pcrm.errors import ValidationError


def _notify(crm, *items):
    """(type, title, body, link, at) items through the service other code calls."""
    from pcrm import clock
    from pcrm.domain.dates import parse_instant
    from pcrm.services import notifications
    from pcrm.services.context import open_context

    out = []
    with open_context() as ctx:
        for kind, title, body, link, at in items:
            clock.set_now(parse_instant(at, field="at"))
            out.append(notifications.notify(ctx, kind, title, body, link))
    clock.set_now(None)
    return out


def test_empty_inbox(crm, cli):
    assert cli.json("notifications") == {
        "data": [],
        "error": None,
        "meta": {"total": 0, "page": 1, "page_size": 20, "total_pages": 1},
    }
    assert cli.json("notifications", "unread-count")["data"] == {"count": 0}
    assert cli("notifications", "unread-count").stdout == "0\n"
    assert "no notifications" in cli("notifications", "list", "--format", "table").stdout
    assert cli("notifications", "list").stdout == ""  # a pipe gets rows only


def test_list_read_and_read_all(crm, cli):
    a, b, c = _notify(
        crm,
        ("sync", "Telegram sync completed", "12 new messages", "/settings", "2026-06-10T09:00:00Z"),
        ("suggestion", "3 new follow-up suggestions", None, "/suggestions", "2026-06-12T09:00:00Z"),
        (
            "bio_change",
            "@ada updated their Twitter bio",
            "Ada changed their bio to: ...",
            "/contacts/x",
            "2026-06-14T09:00:00Z",
        ),
    )
    assert set(a) == {"id", "notification_type", "title", "body", "read", "link", "created_at"}
    assert a["read"] is False and a["created_at"] == "2026-06-10T09:00:00.000Z"
    listed = cli.json("notifications", "list")
    assert [n["title"] for n in listed["data"]] == [c["title"], b["title"], a["title"]]  # newest first
    assert listed["data"][2] == a
    assert cli.json("notifications", "unread-count")["data"] == {"count": 3}

    read = cli.json("notifications", "read", b["id"][:8])
    assert read == {"data": {"id": b["id"], "read": True}, "error": None, "meta": {}}
    again = cli.json("notifications", "read", b["id"])  # idempotent: no change, and said so [no-op-edits]
    assert again == {"data": {"id": b["id"], "read": True}, "error": None, "meta": {"unchanged": True}}
    said = cli("notifications", "read", b["id"][:8])
    assert said.stdout == "" and said.stderr == f"{b['id']} was already read; nothing to change\n"
    assert cli.json("notifications", "unread-count")["data"] == {"count": 2}
    unread = cli.json("notifications", "--unread")
    assert [n["id"] for n in unread["data"]] == [c["id"], a["id"]] and unread["meta"]["total"] == 2
    assert "●" in cli("notifications", "list", "--format", "table").stdout

    assert cli.json("notifications", "read-all") == {
        "data": {"marked": True},
        "error": None,
        "meta": {"count": 2},
    }
    assert cli.json("notifications", "unread-count")["data"] == {"count": 0}
    assert cli.json("notifications", "list", "--unread")["data"] == []
    assert all(n["read"] for n in cli.json("notifications")["data"])


def test_paging_and_link_filter(crm, cli):
    _notify(
        crm,
        *[
            (
                "sync",
                f"run {i}",
                None,
                "/settings" if i % 2 else "/suggestions",
                f"2026-06-{i + 1:02d}T08:00:00Z",
            )
            for i in range(5)
        ],
    )
    page = cli.json("notifications", "list", "--page", "2", "--page-size", "2")
    assert [n["title"] for n in page["data"]] == ["run 2", "run 1"]
    assert page["meta"] == {"total": 5, "page": 2, "page_size": 2, "total_pages": 3}
    linked = cli.json("notifications", "--link", "/settings")
    assert [n["title"] for n in linked["data"]] == ["run 3", "run 1"]
    crm.rejects("notifications", "list", "--page-size", "101", code="validation_error")


def test_unknown_notification_is_not_found(crm, cli):
    _notify(crm, ("system", "Twitter connection expired", None, "/settings", "2026-06-01T00:00:00Z"))
    crm.rejects("notifications", "read", "00000000-0000-4000-8000-000000000000", code="not_found")
    crm.rejects("notifications", "read", "ffff", code="not_found")
    crm.rejects("notifications", "read", "ab", code="validation_error")


def test_notify_validates_its_input(crm):
    with pytest.raises(ValidationError):
        _notify(crm, ("gossip", "hello", None, None, "2026-06-01T00:00:00Z"))
    with pytest.raises(ValidationError):
        _notify(crm, ("sync", "   ", None, None, "2026-06-01T00:00:00Z"))
    assert crm.sql("SELECT count(*) FROM notifications")[0][0] == 0
