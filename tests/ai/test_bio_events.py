"""Bios and headlines a source replaces become detected events [ai-events]: through the events model when
one is set, else by keywords; a failing model never fails the push."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pcrm.domain.bio_events import keyword_event
from pcrm.services import linkedin_push
from pcrm.services.context import Context
from tests.support.llm_fake import MODEL_ID, Scripted, scripted_fixture


@pytest.fixture
def scripted(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Scripted]:
    yield from scripted_fixture(monkeypatch, tmp_path)


def _push(ctx: Context, headline: str, company: str = "Acme") -> dict[str, Any]:
    profile = {
        "profile_id": "ada-l",
        "profile_url": "https://www.linkedin.com/in/ada-l/",
        "full_name": "Ada Lovelace",
        "headline": headline,
        "company": company,
    }
    return linkedin_push.linkedin_push(ctx, {"profiles": [profile]}).data


def _events(ctx: Context) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in ctx.conn.execute("SELECT event_type, summary, details FROM detected_events")]


def test_without_a_model_keywords_classify_a_changed_headline(ctx: Context) -> None:
    _push(ctx, "Engineer at Acme")
    assert _events(ctx) == []
    _push(ctx, "Engineer at Acme | we just raised our Series A")
    (ev,) = _events(ctx)
    assert ev[0] == "fundraising" and "raised" in ev[1]
    details = json.loads(ev[2])
    assert details["source"] == "keywords" and details["field"] == "linkedin_headline"
    assert details["old"] == "Engineer at Acme"
    _push(ctx, "Engineer at Acme | we just raised our Series A | hiring")  # "raised" is not new: no event
    assert len(_events(ctx)) == 1


def test_a_job_change_is_not_announced_twice(ctx: Context) -> None:
    _push(ctx, "Engineer at Acme")
    _push(ctx, "Engineer at Globex, just joined!", company="Globex")
    assert [e[0] for e in _events(ctx)] == ["job_change"]  # the ingest engine's own, not a second one


def test_with_a_model_the_model_classifies(ctx: Context, scripted: Scripted) -> None:
    from pcrm.services import settings

    settings.set_setting(ctx, "ai.events_model", MODEL_ID)
    ctx.invalidate_settings()
    scripted.reply = lambda p: json.dumps(
        {"event_type": "milestone", "confidence": 0.8, "summary": "10 years"}
    )
    _push(ctx, "Engineer at Acme")
    _push(ctx, "Engineer at Acme, ten years today")
    (ev,) = _events(ctx)
    assert ev[:2] == ("milestone", "10 years") and json.loads(ev[2])["source"] == "ai"
    assert "New LinkedIn headline: <value>Engineer at Acme, ten years today</value>" in scripted.prompts[0]


def test_a_failing_model_leaves_the_push_intact(ctx: Context, scripted: Scripted) -> None:
    from pcrm.services import settings

    settings.set_setting(ctx, "ai.events_model", MODEL_ID)
    ctx.invalidate_settings()

    def boom(p: str) -> str:
        raise RuntimeError("model down")

    scripted.reply = boom
    _push(ctx, "Engineer at Acme")
    got = _push(ctx, "Engineer at Acme | joined the board")
    assert got["contacts_updated"] == 1 and _events(ctx) == []
    row = ctx.conn.execute("SELECT linkedin_headline FROM contacts").fetchone()
    assert row[0] == "Engineer at Acme | joined the board"


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        ("Founder", "Founder. Backed by YC", "fundraising"),
        ("PM at X", "Just promoted to Director at X", "promotion"),
        ("Designer", "Designer, launching Orbit on Product Hunt today", "product_launch"),
        ("Dev", "Dev. Speaking at PyCon 2025", "event_attendance"),
        ("CEO at Y", "CEO at Y (acquired by Z)", "milestone"),
        ("Writer", "Writer and reader", None),
        ("Building the craised thing", "Building the craised thing again", None),
        ("", "Engineer who joined Acme", "job_change"),
    ],
)
def test_keyword_rules(old: str, new: str, kind: str | None) -> None:
    got = keyword_event(old, new)
    assert (got[0] if got else None) == kind
