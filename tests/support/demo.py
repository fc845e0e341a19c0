"""The demo store the API tests read (the `demo_base`, `demo` and `api` fixtures): `pcrm demo` at NOW plus
what the demo lacks, built once per session and copied for each test that uses it.

The clock of these tests is NOW; WEEK_AGO is when the store's manual note and older sync runs happened.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

NOW = "2025-06-01T12:00:00.000Z"
WEEK_AGO = "2025-05-25T12:00:00.000Z"


def build_demo_store(home: Path) -> dict[str, Any]:
    """The demo store at NOW, plus what the demo lacks: notifications, sync history, 2nd-tier contacts, a
    manual note, a map token and a script token. Returns references to some of its rows."""
    from pcrm import clock
    from pcrm.domain.dates import parse_instant
    from pcrm.services import demo, interactions, notifications, settings, tokens
    from pcrm.services.context import open_context
    from pcrm.store import contact_bulk, sync_runs
    from pcrm.store.db import write
    from pcrm.store.rows import rows

    home.mkdir(parents=True, exist_ok=True)
    clock.set_now(parse_instant(NOW, field="now"))
    try:
        with open_context(home / "pcrm.db") as ctx:
            demo.build_demo(ctx)
            token = tokens.create_script_token(ctx, "api-b").data["token"]
            settings.set_setting(ctx, "map.mapbox_public_token", "pk.test-public-token")
            n1 = notifications.notify(ctx, "sync", "Telegram sync completed", "12 new messages", "/settings")
            notifications.notify(ctx, "suggestion", "3 new follow-up suggestions", None, "/suggestions")
            notifications.notify(
                ctx, "bio_change", "@ada updated their Twitter bio", "Ada changed their bio", "/contacts/x"
            )
            with write(ctx.conn):
                run = sync_runs.start(ctx.conn, "gmail", "scheduled", WEEK_AGO)
                sync_runs.finish(
                    ctx.conn,
                    run,
                    "success",
                    NOW,
                    created=4,
                    updated=2,
                    duration_ms=812,
                    details='{"threads": 6}',
                )
                run = sync_runs.start(ctx.conn, "telegram", "manual", WEEK_AGO)
                sync_runs.finish(ctx.conn, run, "failed", NOW, failed=1, error_message="flood wait")
                sync_runs.start(ctx.conn, "gmail", "manual", NOW)
            people = rows(
                ctx.conn,
                "SELECT uuid, full_name, company, organization_id FROM contacts "
                "WHERE priority_level != 'archived' AND organization_id IS NOT NULL "
                "ORDER BY id LIMIT 6",
            )
            second = [p["uuid"] for p in people[3:5]]
            with write(ctx.conn):
                contact_bulk.add_tags(
                    ctx.conn, list(contact_bulk.rowids_for_uuids(ctx.conn, second).values()), ["2nd tier"]
                )
            note = interactions.add_interaction(
                ctx, people[0]["uuid"], {"content_preview": "Lunch at the docks", "occurred_at": WEEK_AGO}
            ).data
            orgs = rows(ctx.conn, "SELECT uuid, name FROM organizations ORDER BY name_fold LIMIT 3")
            located = rows(
                ctx.conn, "SELECT uuid FROM contacts WHERE latitude IS NOT NULL ORDER BY id LIMIT 1"
            )
    finally:
        clock.set_now(None)
    return {
        "token": token,
        "contact": people[0]["uuid"],
        "contact_name": people[0]["full_name"],
        "other": people[1]["uuid"],
        "third": people[2]["uuid"],
        "second_tier": second[0],
        "note": note["id"],
        "notification": n1["id"],
        "org": orgs[0]["uuid"],
        "org_name": orgs[0]["name"],
        "org2": orgs[1]["uuid"],
        "org3": orgs[2]["uuid"],
        "located": located[0]["uuid"],
    }


def copy_store(src: Path, dst: Path) -> Path:
    """Copy the store (its database files and its secrets) of home SRC into home DST; returns DST."""
    dst.mkdir(parents=True, exist_ok=True)
    dst.chmod(0o700)  # as pcrm makes a home ([private-files]; `pcrm db check` reports anything looser)
    for f in src.iterdir():
        if f.is_file() and f.name.startswith("pcrm.db"):
            shutil.copy2(f, dst / f.name)
    secrets = src / "secrets.bin"
    if secrets.exists():
        shutil.copy2(secrets, dst / secrets.name)
    return dst
