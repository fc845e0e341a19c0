"""`pcrm daemon install|uninstall` against fake `systemctl` / `launchctl` executables on PATH: the unit file
written, the exact service-manager commands, and nothing left behind when the manager refuses."""

from __future__ import annotations

import json
import os
import plistlib
import shlex
import sys
from pathlib import Path

import pytest

FAKE = """#!/bin/sh
echo "$(basename "$0") $*" >> "{log}"
case " $* " in *" {fail} "*) echo "Failed to connect to bus: No medium found" >&2; exit 1;; esac
exit 0
"""


@pytest.fixture
def manager(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Fake systemctl and launchctl that log their arguments; FAKE_FAIL=word makes a call with it fail."""
    bin_dir, log = tmp_path / "bin", tmp_path / "manager.log"
    bin_dir.mkdir()
    for name in ("systemctl", "launchctl"):
        exe = bin_dir / name
        exe.write_text(FAKE.format(log=log, fail=os.environ.get("FAKE_FAIL", "never-matches")))
        exe.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "user" / ".config"))
    monkeypatch.delenv("PCRM_SECRET_KEY", raising=False)
    monkeypatch.delenv("PCRM_STOP_GRACE_SECONDS", raising=False)
    return {"bin": bin_dir, "log": log, "user": tmp_path / "user"}


def calls(manager: dict[str, Path]) -> list[str]:
    return manager["log"].read_text().splitlines() if manager["log"].exists() else []


def failing(manager: dict[str, Path], word: str) -> None:
    exe = manager["bin"] / "systemctl"
    exe.write_text(FAKE.format(log=manager["log"], fail=word))


def test_install_writes_a_user_unit_and_starts_it(cli, manager, pcrm_home: Path) -> None:
    out = cli.json("daemon", "install", "--port", "8799")
    d = out["data"]
    unit = Path(d["path"])
    assert unit.parent == manager["user"] / ".config" / "systemd" / "user"
    assert d["name"] == unit.name and unit.name.startswith("pcrm-") and unit.suffix == ".service"
    assert d["installed"] is True and (out["meta"]["dry_run"], out["meta"]["replaced"]) == (False, False)
    text = unit.read_text()
    assert f'Environment="PCRM_HOME={pcrm_home.resolve()}"' in text
    exec_line = next(line for line in text.splitlines() if line.startswith("ExecStart="))
    assert shlex.split(exec_line.removeprefix("ExecStart=")) == [
        sys.executable,
        "-m",
        "pcrm",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        "8799",
    ]
    assert "WantedBy=default.target" in text
    assert calls(manager) == [
        "systemctl --user daemon-reload",
        f"systemctl --user enable {unit.name}",
        f"systemctl --user restart {unit.name}",
    ]

    again = cli.json("daemon", "install", "--port", "8800")  # a new port replaces the unit
    assert again["meta"]["replaced"] is True and '"--port" "8800"' in unit.read_text()

    status = cli.json("daemon", "status")
    assert status["data"]["running"] is False and status["meta"]["service"] == str(unit)
    assert "starts at login" in cli("daemon", "status").stdout

    gone = cli.json("daemon", "uninstall")
    assert gone["data"]["removed"] is True and not unit.exists()
    assert calls(manager)[-2:] == [
        f"systemctl --user disable --now {unit.name}",
        "systemctl --user daemon-reload",
    ]
    nothing = cli.json("daemon", "uninstall")
    assert nothing["data"]["removed"] is False and "no pcrm service is installed" in nothing["meta"]["note"]


def test_uninstall_dry_run_says_what_it_would_do(cli, manager) -> None:
    """Nothing installed: the dry run says so and lists no file or command; installed: it names the unit it
    would remove (not one it would write) and the commands, and changes nothing."""
    nothing = cli("daemon", "uninstall", "--dry-run")
    assert "no pcrm service is installed" in nothing.stdout
    assert "would" not in nothing.stdout and "systemctl" not in nothing.stdout
    assert cli.json("daemon", "uninstall", "--dry-run")["data"]["commands"] == []
    unit = Path(cli.json("daemon", "install")["data"]["path"])
    before = calls(manager)
    planned = cli("daemon", "uninstall", "--dry-run").stdout
    assert f"would stop {unit.name} and remove" in planned and "would write" not in planned
    assert f"systemctl --user disable --now {unit.name}" in planned
    assert unit.exists() and calls(manager) == before


def _systemd_unquote(value: str) -> str:
    assert value.startswith('"') and value.endswith('"'), value
    return value[1:-1].replace('\\"', '"').replace("\\\\", "\\").replace("%%", "%")


def test_odd_characters_in_paths_stay_literal(cli, manager, tmp_path, monkeypatch) -> None:
    """A PCRM_HOME with quotes, `%` specifiers and `$` must reach the service as written; one with a control
    character (a newline would start a new directive) is refused, and nothing is written."""
    home = tmp_path / "O'Brien's \"CRM\" 100% $HOME"
    monkeypatch.setenv("PCRM_HOME", str(home))
    unit = Path(cli.json("daemon", "install")["data"]["path"])
    lines = dict(line.split("=", 1) for line in unit.read_text().splitlines() if "=" in line)
    assert _systemd_unquote(lines["Environment"]) == f"PCRM_HOME={home.resolve()}"
    assert lines["Description"].endswith("100%% $HOME)")
    cli("daemon", "uninstall")

    monkeypatch.setenv("PCRM_HOME", str(tmp_path / "evil\nExecStartPre=/bin/touch /tmp/pwned"))
    r = cli("daemon", "install", ok=False)
    assert "control characters" in r.stderr
    assert not list((manager["user"] / ".config" / "systemd" / "user").glob("*.service"))


def test_dry_run_shows_the_unit_and_changes_nothing(cli, manager) -> None:
    r = cli("daemon", "install", "--dry-run")
    assert "would write" in r.stdout and "ExecStart=" in r.stdout and "systemctl --user enable" in r.stdout
    assert calls(manager) == []
    assert not (manager["user"] / ".config" / "systemd").exists()


def test_a_refusing_service_manager_leaves_no_unit_behind(cli, manager) -> None:
    failing(manager, "daemon-reload")
    r = cli("daemon", "install", ok=False)
    assert "failed (exit 1): Failed to connect to bus" in r.stderr and "hint:" in r.stderr
    assert not list((manager["user"] / ".config" / "systemd" / "user").glob("*.service"))

    failing(manager, "never-matches")
    unit = Path(cli.json("daemon", "install", "--port", "8801")["data"]["path"])
    failing(manager, "restart")
    body = json.loads(cli("daemon", "install", "--port", "9000", "--json", ok=False).stdout)
    assert body["error"]["details"]["exit"] == 1
    assert '"--port" "8801"' in unit.read_text()  # the working unit is put back


def test_bad_input_is_refused(cli, manager) -> None:
    r = cli("daemon", "install", "--host", "0.0.0.0", ok=False)
    assert "loopback only" in r.stderr
    assert cli("daemon", "install", "--port", "0", ok=False).exit_code != 0
    assert calls(manager) == []


def test_the_secret_key_is_never_written_into_the_unit(cli, manager, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PCRM_SECRET_KEY", "correct horse battery staple")
    out = cli.json("daemon", "install")
    assert "correct horse" not in Path(out["data"]["path"]).read_text()
    assert "PCRM_SECRET_KEY" in out["meta"]["note"]


def test_macos_launch_agent(manager, pcrm_home: Path) -> None:
    from pcrm.daemon import install

    d = install.install(port=8765, system="darwin").data
    plist = plistlib.loads(Path(d["path"]).read_bytes())
    assert Path(d["path"]).parent == manager["user"] / "Library" / "LaunchAgents"
    assert plist["Label"] == d["name"]
    assert plist["ProgramArguments"][1:] == ["-m", "pcrm", "serve", "--host", "127.0.0.1", "--port", "8765"]
    assert plist["EnvironmentVariables"] == {"PCRM_HOME": str(pcrm_home.resolve())}
    uid = os.getuid()
    assert calls(manager) == [
        f"launchctl bootout gui/{uid}/{d['name']}",
        f"launchctl bootstrap gui/{uid} {d['path']}",
    ]
    assert install.uninstall(system="darwin").data["removed"] is True
    assert not Path(d["path"]).exists()


def test_the_service_creates_private_files_only(cli, manager, pcrm_home: Path) -> None:
    """The daemon's umask is 0077 under either manager, and launchd's log file (which launchd, not pcrm,
    writes) exists 0600 before the agent starts, whatever the installing shell's umask [private-files]."""
    from pcrm.daemon import install

    unit = Path(cli.json("daemon", "install")["data"]["path"]).read_text()
    assert "UMask=0077" in unit.splitlines()
    old = os.umask(0)
    try:
        d = install.install(system="darwin").data
    finally:
        os.umask(old)
    assert plistlib.loads(Path(d["path"]).read_bytes())["Umask"] == 0o077
    log = pcrm_home / "run" / "daemon.log"
    assert (log.stat().st_mode & 0o777, log.parent.stat().st_mode & 0o777) == (0o600, 0o700)


def test_the_service_gives_a_stop_time_to_let_a_sync_end_its_batch(cli, manager) -> None:
    """[daemon-stop]: a stopping daemon lets a running sync end its batch for up to 15 s; neither unit set
    how long the manager waits before a kill (launchd's default 20 s, a systemd user manager's own), so
    both now say 30 s."""
    from pcrm.daemon import install, server

    unit = Path(cli.json("daemon", "install")["data"]["path"]).read_text().splitlines()
    assert "TimeoutStopSec=30" in unit
    assert unit[unit.index("TimeoutStopSec=30") - 1].startswith("# a stop lets a running sync end its batch")
    assert unit.index("TimeoutStopSec=30") < unit.index("[Install]")  # in [Service]
    d = install.install(system="darwin", dry_run=True).data
    assert plistlib.loads(d["unit"].encode())["ExitTimeOut"] == 30
    assert server.STOP_GRACE_SECONDS + 10 <= install.STOP_TIMEOUT_S  # the grace, and time to close after it


def test_a_longer_stop_grace_gets_a_longer_stop_timeout_in_the_unit(
    cli, manager, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PCRM_STOP_GRACE_SECONDS can let a stopping daemon wait up to 600 s for a sync's batch, but the unit
    `pcrm daemon install` wrote gave a stop 30 s before the kill (and did not pass the grace on: a service
    does not get the installing shell's environment). The unit now gives the daemon the grace set here and
    a stop timeout above it, with time to close; a grace the daemon would not take is refused."""
    from pcrm.daemon import install, server

    monkeypatch.setenv("PCRM_STOP_GRACE_SECONDS", "120")
    d = cli.json("daemon", "install")
    unit = Path(d["data"]["path"]).read_text().splitlines()
    assert 'Environment="PCRM_STOP_GRACE_SECONDS=120"' in unit
    assert "TimeoutStopSec=135" in unit and "TimeoutStopSec=30" not in unit
    assert unit[unit.index("TimeoutStopSec=135") - 1].endswith("(up to 120 s) before the daemon exits")
    assert (d["data"]["stop_grace"], d["data"]["stop_timeout"]) == (120, 135)
    assert "PCRM_STOP_GRACE_SECONDS=120 is written into the unit" in d["meta"]["note"]
    assert "the service waits 135 s before it kills the daemon" in d["meta"]["note"]

    monkeypatch.setenv("PCRM_STOP_GRACE_SECONDS", "600")  # the most the daemon takes
    plist = plistlib.loads(install.install(system="darwin", dry_run=True).data["unit"].encode())
    assert plist["ExitTimeOut"] == 615 and plist["EnvironmentVariables"]["PCRM_STOP_GRACE_SECONDS"] == "600"
    assert server.stop_grace() == 600 < 615  # the daemon, given the unit's environment, waits less than that

    monkeypatch.setenv("PCRM_STOP_GRACE_SECONDS", "900")  # the daemon would fall back to 15 s
    r = cli("daemon", "install", ok=False)
    assert (
        r.exit_code != 0
        and "PCRM_STOP_GRACE_SECONDS='900' is not a number of seconds from 0 to 600" in r.stderr
    )
    assert "TimeoutStopSec=135" in Path(d["data"]["path"]).read_text()  # the installed unit is left as it was

    monkeypatch.delenv("PCRM_STOP_GRACE_SECONDS")  # unset: the default grace, 30 s, no line for it
    text = cli.json("daemon", "install", "--dry-run")["data"]["unit"]
    assert "TimeoutStopSec=30" in text and "PCRM_STOP_GRACE_SECONDS" not in text


def test_a_daemon_started_by_its_service_warns_when_its_grace_outlasts_the_stop_timeout(
    cli, manager, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A grace given to the service after the install (`systemctl --user edit`, a unit an older pcrm wrote)
    is above the 30 s the unit gives a stop: the daemon, started by the service, says so at start, with the
    command that fixes it; with a grace that fits, or run by hand, it says nothing."""
    import logging

    import uvicorn

    from pcrm.daemon import server

    cli("daemon", "install")  # the default grace: TimeoutStopSec=30
    monkeypatch.setattr(uvicorn.Server, "run", lambda self: None)
    monkeypatch.setattr(server, "_configure_logging", lambda *a, **k: None)
    caplog.set_level(logging.WARNING, logger="pcrm.daemon")

    def said() -> list[str]:
        caplog.clear()
        cli("serve", "--port", "9", ok=None)
        return [r.getMessage() for r in caplog.records if "kills the daemon" in r.getMessage()]

    monkeypatch.setenv("INVOCATION_ID", "0123abcd")  # systemd started it
    monkeypatch.setenv("PCRM_STOP_GRACE_SECONDS", "120")
    [warning] = said()
    assert warning.startswith("a stop waits up to 120 s for a running sync to end its batch")
    assert "kills the daemon 30 s into a stop" in warning
    assert warning.endswith("run `PCRM_STOP_GRACE_SECONDS=120 pcrm daemon install` to give the service 135 s")
    monkeypatch.setenv("PCRM_STOP_GRACE_SECONDS", "15")
    assert said() == []
    monkeypatch.setenv("PCRM_STOP_GRACE_SECONDS", "120")
    monkeypatch.delenv("INVOCATION_ID")  # `pcrm serve` by hand: the unit's timeout is not this process's
    assert said() == []
    cli("daemon", "install")  # the unit now carries the grace, and a timeout above it
    monkeypatch.setenv("INVOCATION_ID", "0123abcd")
    assert said() == []


def test_other_systems_get_a_clear_refusal(manager) -> None:
    from pcrm.daemon import install
    from pcrm.errors import PcrmError

    with pytest.raises(PcrmError, match="supports Linux"):
        install.install(system="win32")


def _private_tmp(unit: str) -> list[str]:
    return [line for line in unit.splitlines() if "PrivateTmp" in line]


def test_a_store_under_tmp_is_not_hidden_by_a_private_tmp(cli, manager, monkeypatch) -> None:
    """PrivateTmp=yes gives the service an empty /tmp of its own: a PCRM_HOME under /tmp or /var/tmp would
    be replaced by an empty store. Such a unit leaves it out, and the install says the folder is temporary
    [daemon-install]."""
    from pcrm.daemon import install
    from tests.support.paths import REPO

    for home in (Path("/tmp/pcrm-test-store"), Path("/var/tmp/x/pcrm")):
        monkeypatch.setenv("PCRM_HOME", str(home))
        out = cli.json("daemon", "install", "--dry-run")
        # the store first, then the interpreter and pcrm's code when they live under /tmp too (a CI clone)
        hidden = ", ".join(str(p) for p in install.in_shared_tmp(home))
        assert hidden.startswith(str(home))
        assert _private_tmp(out["data"]["unit"]) == [f"# no PrivateTmp=yes: it would hide {hidden}"]
        assert f"PCRM_HOME {home} is under a temporary folder" in out["meta"]["note"]
        assert cli("daemon", "install", "--dry-run").stdout.count("PrivateTmp") == 1
        assert install.install(system="darwin", dry_run=True).meta["note"].startswith(f"PCRM_HOME {home}")
    assert not home.exists() and calls(manager) == []  # a dry run creates nothing

    if install.in_shared_tmp(Path("/home")):  # this interpreter or checkout is itself under /tmp
        pytest.skip(
            f"python ({sys.executable}) or pcrm ({REPO}) lives under /tmp: a private /tmp would hide it"
        )
    monkeypatch.setenv("PCRM_HOME", "/home/someone/.local/share/pcrm")
    out = cli.json("daemon", "install", "--dry-run")
    assert _private_tmp(out["data"]["unit"]) == ["PrivateTmp=yes"] and "note" not in out["meta"]
    # a virtualenv under /tmp would be hidden as well: the store is safe, the service could not start
    monkeypatch.setattr(sys, "executable", "/tmp/venv/bin/python")
    out = cli.json("daemon", "install", "--dry-run")
    assert _private_tmp(out["data"]["unit"]) == ["# no PrivateTmp=yes: it would hide /tmp/venv/bin/python"]
    assert "note" not in out["meta"]
