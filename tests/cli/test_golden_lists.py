"""Golden tables at 80 and 200 columns for the everyday lists beyond `contacts list` (test_tables.py):
`contacts overdue` (relative times, days overdue), `tags list`, `activity recent` [readable-tables]."""

from __future__ import annotations

import pytest

from tests.support.crm import Crm


@pytest.fixture
def week(crm: Crm) -> Crm:
    """Three people with histories against the pinned clock (2026-06-15 12:00 UTC)."""
    ada = crm.add(
        "Ada Lovelace", "--priority", "high", "--company", "Analytical Engines", "--tag", "mathematics"
    )
    max_ = crm.add(
        "Maximilian Alexander von Hohenzollern-Sigmaringen",
        "--priority",
        "high",
        "--company",
        "Hohenzollern Trading and Shipping Company",
        "--tag",
        "history",
        "--tag",
        "mathematics",
    )
    grace = crm.add("Grace Hopper", "--tag", "navy")
    crm.history(ada["id"], [("email", "inbound", "2026-03-01T09:00:00.000Z", "the engine notes")])
    crm.history(max_["id"], [("call", "outbound", "2026-01-10T09:00:00.000Z")])
    crm.history(
        grace["id"], [("telegram", "inbound", "2026-06-14T10:00:00.000Z", "COBOL draft attached, see page 3")]
    )
    return crm


def _at(crm: Crm, monkeypatch: pytest.MonkeyPatch, columns: int, *args: str) -> str:
    monkeypatch.setenv("COLUMNS", str(columns))
    out = crm.cli(*args, "--format", "table").stdout
    assert all(len(line) <= columns for line in out.splitlines())
    return "\n".join(line.rstrip() for line in out.splitlines())


# at 80 columns the company gives way (…) before anything is dropped; flex columns stop at their `most`; the
# days overdue say their unit, as the digest does ("126 days overdue")
OVERDUE_80 = """\
name                          company            score  last           overdue
Maximilian Alexander von Ho…  Hohenzollern Tra…      0  5 months ago  126 days
Ada Lovelace                  Analytical Engin…      0  3 months ago   76 days"""

OVERDUE_200 = "\n".join(
    (
        "name                          company                   score  priority  last           overdue  tags",  # noqa: E501
        "Maximilian Alexander von Ho…  Hohenzollern Trading an…      0  high      5 months ago  126 days  history, mathematics",  # noqa: E501
        "Ada Lovelace                  Analytical Engines            0  high      3 months ago   76 days  mathematics",  # noqa: E501
    )
)


def test_overdue_golden(week: Crm, monkeypatch: pytest.MonkeyPatch) -> None:
    fields = ("--fields", "name,company,score,last,overdue")
    assert _at(week, monkeypatch, 80, "contacts", "overdue", *fields) == OVERDUE_80
    wide = "name,company,score,priority,last,overdue,tags"
    assert _at(week, monkeypatch, 200, "contacts", "overdue", "--fields", wide) == OVERDUE_200


TAGS = """\
tag          contacts
history             1
mathematics         2
navy                1"""


@pytest.mark.parametrize("columns", [80, 200])
def test_tags_golden(week: Crm, monkeypatch: pytest.MonkeyPatch, columns: int) -> None:
    assert _at(week, monkeypatch, columns, "tags", "list") == TAGS


ACTIVITY_80 = """\
when       who           platform  dir      content
yesterday  Grace Hopper  telegram  inbound  COBOL draft attached, see page 3"""


@pytest.mark.parametrize("columns", [80, 200])
def test_activity_golden(week: Crm, monkeypatch: pytest.MonkeyPatch, columns: int) -> None:
    assert _at(week, monkeypatch, columns, "activity", "recent") == ACTIVITY_80
