"""What a week of daily use of the CLI on a demo-sized store turned up, each end to end through the CLI."""

from __future__ import annotations

import json

from tests.support.crm import Crm


def test_export_ics_json_without_output_says_where_the_calendar_in_the_envelope_is(crm: Crm) -> None:
    """`pcrm export ics --json` refuses, as every export does, since its --json is the summary of a written
    file; the refusal now names `pcrm calendar export --json`, which does put the calendar in the
    envelope, and each export's --help says its --json needs --output (it said "Print the API envelope")."""
    crm.add("Ann Lee", "--birthday", "1990-04-02")
    before = crm.dump()
    got = crm.cli("export", "ics", "--json", ok=False)
    assert got.exit_code == 1 and "\nhint: " in got.stderr
    err = json.loads(got.stdout)["error"]
    assert err["code"] == "bad_request" and "give --output FILE" in err["message"]
    assert crm.dump() == before
    assert "pcrm export ics --output pcrm.ics --json" in err["hint"]
    assert "pcrm calendar export --json" in err["hint"]
    inside = json.loads(crm.cli("calendar", "export", "--json").stdout)["data"]
    assert inside["ics"].startswith("BEGIN:VCALENDAR")
    for fmt in ("json", "csv", "vcard", "ics"):
        shown = " ".join(crm.cli("export", fmt, "--help").stdout.split())
        assert "--json Print the summary of the written file as the API envelope (needs --output)." in shown
