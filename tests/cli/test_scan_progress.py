"""The progress bar of `pcrm identity scan` at a terminal says what each stage does: a dry run's said
"merging 0/3", as if it merged, where it makes the merges to count them and keeps none."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

import pcrm.cli.identity as identity_cli
from tests.support.crm import Crm


@pytest.fixture
def twins(crm: Crm, monkeypatch: pytest.MonkeyPatch) -> Crm:
    """Two records of one person that the scan merges by score, and stderr a terminal (rich draws the bar)."""
    same = ("--birthday", "1815-12-10", "--company", "Analytical Engines")
    crm.add("Augusta Ada Lovelace", *same, "--email", "ada@example.com")
    crm.add("Augusta Ada Lovelace", *same, "--phone", "+44 20 7946 0018")
    monkeypatch.setattr(identity_cli, "sys", SimpleNamespace(stderr=SimpleNamespace(isatty=lambda: True)))
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    return crm


def test_a_dry_run_s_bar_does_not_say_merging(twins: Crm) -> None:
    before = twins.dump()
    r = twins.cli("identity", "scan", "--dry-run")
    assert "trying merges (dry run: none kept)" in r.stderr, r.stderr
    assert "merging" not in r.stderr, r.stderr
    assert r.stdout.startswith("would merge 1 (0 by email/phone, 1 by score)"), r.stdout
    assert twins.dump() == before


def test_a_scan_s_bar_says_merging(twins: Crm) -> None:
    r = twins.cli("identity", "scan")
    assert "merging" in r.stderr and "dry run" not in r.stderr, r.stderr
    assert r.stdout.startswith("merged 1 (0 by email/phone, 1 by score)"), r.stdout
