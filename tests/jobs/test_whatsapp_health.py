"""The `whatsapp_health` job [whatsapp-health] against a fake sidecar on 127.0.0.1 (real HTTP through the
real client): a lost session, or a sidecar that does not answer, is recorded and notified once."""

from __future__ import annotations

from typing import Any

from tests.api.test_whatsapp import FakeSidecar
from tests.support.http_fake import serve


def _titles(cli: Any) -> list[str]:
    return [n["title"] for n in cli.json("notifications")["data"]]


def test_the_health_job_notifies_a_lost_session_once(cli: Any, pcrm_home: Any) -> None:
    cli("init")  # a command that only reads makes no store [opening-the-store]
    from pcrm.services import whatsapp
    from pcrm.services.context import open_context

    listed = {j["name"]: j for j in cli.json("jobs", "list")["data"]}["whatsapp_health"]
    assert listed["schedule"] == "manual" and "not connected" in listed["description"]
    cli("auth", "whatsapp", "secret")  # WhatsApp set up: the job runs on its schedule
    listed = {j["name"]: j for j in cli.json("jobs", "list")["data"]}["whatsapp_health"]
    assert listed["schedule"] == "daily at 01:00"

    fake = FakeSidecar()
    with serve(fake.routes()) as (url, seen):
        cli("settings", "set", "whatsapp.sidecar_url", url)
        # not linked here: nothing to ask the sidecar about
        assert cli.json("jobs", "run", "whatsapp_health")["data"]["result"]["checked"] is False
        assert seen == []
        with open_context() as ctx:
            whatsapp.save_state(ctx, connected=True, phone="+12025550199")
        fake.status = "connected"
        out = cli.json("jobs", "run", "whatsapp_health")["data"]["result"]
        assert out == {"checked": True, "status": "connected", "connected": True, "notified": False}
        assert _titles(cli) == []
        fake.status = "disconnected"  # logged out from the phone
        out = cli.json("jobs", "run", "whatsapp_health")["data"]["result"]
        assert (out["status"], out["connected"], out["notified"]) == ("disconnected", False, True)
        assert _titles(cli) == ["WhatsApp session disconnected"]
        with open_context() as ctx:
            assert whatsapp.state(ctx)["connected"] is False
        again = cli.json("jobs", "run", "whatsapp_health")["data"]
        assert again["result"]["checked"] is False and again["last_error"] is None
        assert _titles(cli) == ["WhatsApp session disconnected"]  # once, not every run
        assert [r["path"] for r in seen] == ["/sessions/pcrm/status"] * 2

    # linked again, then the sidecar stops answering: recorded and notified once more
    with open_context() as ctx:
        whatsapp.save_state(ctx, connected=True)
    cli("settings", "set", "whatsapp.sidecar_url", "http://127.0.0.1:9")  # nothing listens there
    out = cli.json("jobs", "run", "whatsapp_health")["data"]["result"]
    assert (out["status"], out["notified"]) == ("unreachable", True)
    notes = cli.json("notifications")["data"]
    assert [n["title"] for n in notes] == ["WhatsApp session disconnected"] * 2
    assert "not answering" in notes[0]["body"] and "pcrm auth whatsapp connect" in notes[0]["body"]
    assert cli.json("jobs", "run", "whatsapp_health")["data"]["result"]["notified"] is False
