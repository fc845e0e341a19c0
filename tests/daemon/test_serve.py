"""`pcrm daemon status|stop` when no daemon runs, and what `pcrm serve` refuses before it starts."""

from __future__ import annotations

from typing import Any


def test_daemon_status_when_nothing_runs(cli: Any) -> None:
    assert cli.json("daemon", "status")["data"]["running"] is False
    assert cli.json("daemon", "stop")["data"] == {"running": False, "stopped": False}
    assert "not running" in cli("daemon", "status").stdout


def test_daemon_status_cleans_a_stale_run_file(cli: Any) -> None:
    from pcrm.daemon import runstate

    runstate.path().parent.mkdir(parents=True, exist_ok=True)
    runstate.path().write_text(
        '{"pid": 999999999, "host": "127.0.0.1", "port": 1, "url": "x", "started_at": "y"}'
    )
    out = cli.json("daemon", "status")
    assert out["data"]["running"] is False and out["meta"] == {"stale_state_removed": True}
    assert not runstate.path().exists()


def test_serve_refuses_a_non_loopback_host_without_the_flag(cli: Any, monkeypatch: Any) -> None:
    import uvicorn

    def must_not_run(self: Any) -> None:
        raise AssertionError("the daemon started")

    monkeypatch.setattr(uvicorn.Server, "run", must_not_run)
    r = cli("serve", "--host", "0.0.0.0", "--port", "9", ok=False)
    assert r.exit_code == 1 and "--allow-remote" in r.stderr
    r = cli("serve", "--allowed-host", "crm.lan", ok=False)
    assert r.exit_code == 2  # usage: --allowed-host needs --allow-remote


def test_serve_refuses_to_start_twice(cli: Any, monkeypatch: Any) -> None:
    import os

    import uvicorn

    from pcrm.daemon import runstate, server

    def must_not_run(self: Any) -> None:
        raise AssertionError("the second daemon started")

    monkeypatch.setattr(uvicorn.Server, "run", must_not_run)
    # pretend this test process is the daemon running for this PCRM_HOME
    monkeypatch.setattr(server, "_looks_like_pcrm", lambda pid: True)
    runstate.write("127.0.0.1", 8765, "2026-01-01T00:00:00.000Z")
    try:
        r = cli("serve", ok=False)
        assert r.exit_code == 1 and "pcrm daemon stop" in r.stderr and str(os.getpid()) in r.stderr
    finally:
        runstate.remove()


def test_serve_on_a_busy_port_names_it_and_suggests_another(cli: Any, monkeypatch: Any) -> None:
    import socket

    import uvicorn

    def must_not_run(self: Any) -> None:
        raise AssertionError("the daemon started")

    monkeypatch.setattr(uvicorn.Server, "run", must_not_run)
    with socket.socket() as other:  # another program listening on a port
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        r = cli("serve", "--port", str(port), ok=False)
    assert r.exit_code == 1
    assert f"port {port} on 127.0.0.1 is busy" in r.stderr and f"--port {port + 1}" in r.stderr


def test_serve_on_a_file_that_is_not_a_database_says_so_before_starting(
    cli: Any, monkeypatch: Any, pcrm_home: Any
) -> None:
    import uvicorn

    def must_not_run(self: Any) -> None:
        raise AssertionError("the daemon started")

    monkeypatch.setattr(uvicorn.Server, "run", must_not_run)
    pcrm_home.mkdir(parents=True, exist_ok=True)
    (pcrm_home / "pcrm.db").write_bytes(b"not a database\n" * 400)
    r = cli("serve", "--port", "9", ok=False)
    assert r.exit_code == 1
    # [store-failures]: a file that is no database where the store should be is a damaged store
    assert "is damaged: file is not a database" in r.stderr and "hint: `pcrm db check`" in r.stderr
    assert "Traceback" not in r.stderr + r.stdout


def test_daemon_status_and_stop_clean_up_a_damaged_run_file(cli: Any) -> None:
    from pcrm.daemon import runstate

    runstate.path().parent.mkdir(parents=True, exist_ok=True)
    for damaged in ('{"pid": "abc", "url": "x"}', "12345", '{"pid": 99999999999999999999}', "{not json"):
        runstate.path().write_text(damaged)
        assert cli.json("daemon", "stop")["data"] == {"running": False, "stopped": False}
        assert not runstate.path().exists(), damaged
        runstate.path().write_text(damaged)
        out = cli.json("daemon", "status")
        assert out["data"]["running"] is False and out["meta"] == {"stale_state_removed": True}
        assert not runstate.path().exists(), damaged


def test_serve_on_another_loopback_address_answers_requests_made_to_it(cli: Any, monkeypatch: Any) -> None:
    import socket

    import anyio
    import uvicorn
    from asgi_lifespan import LifespanManager

    from tests.support.api import client_for

    apps: list[Any] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self: apps.append(self.config.app))
    with socket.socket() as s:
        s.bind(("127.0.0.2", 0))
        port = s.getsockname()[1]
    cli("serve", "--host", "127.0.0.2", "--port", str(port), ok=False)  # run() returned at once

    async def health() -> list[int]:
        async with LifespanManager(apps[0]):
            codes = []
            for base in (f"http://127.0.0.2:{port}", "http://evil.example"):
                async with client_for(apps[0], base) as c:
                    codes.append((await c.get("/api/health")).status_code)
            return codes

    assert anyio.run(health) == [200, 400]  # its own address is served; other names are still refused


def test_a_run_state_whose_pid_another_process_took_since_is_no_daemon(cli: Any) -> None:
    """The run file names the daemon by pid and start time: a live process with that pid that started at
    another time (the daemon died, its pid was given to a shell, an editor, or another pcrm) is no daemon,
    so `pcrm daemon status` says none runs and `pcrm serve` starts, not "already running"."""
    import json
    import os

    from pcrm import processes
    from pcrm.daemon import runstate

    parent = os.getppid()  # a live process that is not this one, whatever its command line
    started = processes.started(parent)
    assert started is not None  # Linux: /proc gives the start time
    runstate.write("127.0.0.1", 8765, "2026-01-01T00:00:00.000Z")
    try:
        state = json.loads(runstate.path().read_text())
        assert state["pid_started"] == processes.started(os.getpid())
        runstate.path().write_text(json.dumps({**state, "pid": parent, "pid_started": str(int(started) + 1)}))
        r = cli("daemon", "status", "--json")
        assert json.loads(r.stdout)["data"]["state"] == "stopped", r.stdout
        # the same pid with its own start time is the daemon, whatever its command line says
        runstate.path().write_text(json.dumps({**state, "pid": parent, "pid_started": started}))
        r = cli("daemon", "status", "--json")
        assert json.loads(r.stdout)["data"]["state"] == "running", r.stdout
    finally:
        runstate.remove()
