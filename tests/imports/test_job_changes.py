"""Job changes [job-changes], end to end through the CLI, on the shared tekjobs Connections.csv and copies of
it with Sam Lee's row changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.imports import NOW

SAM = "Sam Lee"
ROW = "Contoso,Staff Engineer"


@pytest.fixture
def connections(corpus: Path) -> Path:
    return corpus / "linkedin" / "tekjobs__Connections.csv"


@pytest.fixture
def moved(connections: Path, tmp_path: Path) -> Any:
    """moved(company_and_title) -> a copy of the file with Sam Lee's `Contoso,Staff Engineer` replaced."""

    def make(cells: str) -> Path:
        text = connections.read_text(encoding="utf-8")
        assert text.count(ROW) == 1
        out = tmp_path / "copy" / "Connections.csv"
        out.parent.mkdir(exist_ok=True)
        out.write_text(text.replace(ROW, cells), encoding="utf-8")
        return out

    return make


def test_contacts_show_and_activity_list_the_job_change(cli, imp, connections, moved):
    imp(connections)
    imp(moved("Fabrikam,Principal Engineer"))
    said = "Now Principal Engineer at Fabrikam (was Staff Engineer at Contoso)"
    lines = cli("contacts", "show", SAM, "--now", NOW).stdout.splitlines()
    at = lines.index("events")
    assert f"today job change {said}" in " ".join(" ".join(line.split()) for line in lines[at + 1 : at + 4])
    assert "events" in cli("contacts", "activity", SAM).stdout.splitlines()
    events = cli.json("contacts", "activity", SAM)["data"]["events"]
    assert [(e["event_type"], e["summary"], e["source_url"]) for e in events] == [
        ("job_change", said, "https://www.linkedin.com/in/sam-lee-example")
    ]
    # a contact without events shows no such section
    assert "events" not in cli("contacts", "show", "Mina Park").stdout.splitlines()
