"""`pcrm daemon install|uninstall`: run `pcrm serve` at login, as a systemd user service (Linux) or a
launchd agent (macOS), for this PCRM_HOME.

The unit runs this very interpreter (`python -m pcrm serve`), so it keeps working inside a virtualenv.
Several stores can each have their own service: the unit's name carries a short hash of PCRM_HOME
unless it is the default one. No secret is ever written into the unit; when `PCRM_SECRET_KEY` is set
here, the result says how to give it to the service.

Installing writes the unit, then asks the service manager to load and start it; if that fails, the
previous unit (or none) is put back and the manager's own message is in the error. Installing again
replaces the unit (a new port, a moved venv) and restarts it.

The systemd unit gives the daemon a private /tmp unless the store, the interpreter or pcrm itself lives
under /tmp or /var/tmp, which a private one would hide [daemon-install].
"""

from __future__ import annotations

import hashlib
import os
import plistlib
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from pcrm import paths
from pcrm.daemon import grace
from pcrm.daemon.loopback import is_loopback
from pcrm.errors import BadRequest, PcrmError
from pcrm.services.context import Result

LABEL = "xyz.pcrm.daemon"
TIMEOUT_S = 60
# How long the service manager lets a stopping daemon run before it kills it [daemon-stop]: the daemon lets
# a running sync end the batch it is writing for its grace (15 s, or $PCRM_STOP_GRACE_SECONDS up to 600 s),
# then closes the store and its scheduler. launchd's default (20 s) and systemd's (90 s, unless the user's
# manager lowers it) left that margin to chance; set in the unit (30 s, or the grace and 15 s more), a kill
# never cuts a batch the daemon still waits for.
STOP_TIMEOUT_S = grace.STOP_TIMEOUT_S
# what systemd's PrivateTmp= replaces with an empty folder of the service's own
SHARED_TMP = (Path("/tmp"), Path("/var/tmp"))


def _system(system: str | None) -> str:
    s = system or sys.platform
    if s.startswith("linux"):
        return "linux"
    if s == "darwin":
        return "darwin"
    raise BadRequest(
        f"pcrm daemon install supports Linux (systemd) and macOS (launchd), not {s}",
        hint="run `pcrm serve` from your system's own start-up mechanism (e.g. Task Scheduler)",
    )


def _suffix(home: Path) -> str:
    """'' for the default PCRM_HOME, else '-' + 8 hex digits of the resolved path."""
    if home == paths.default_home().resolve():
        return ""
    return "-" + hashlib.sha256(str(home).encode()).hexdigest()[:8]


def _target(system: str, home: Path) -> tuple[str, Path]:
    """The service's name and the unit file's path."""
    suffix = _suffix(home)
    if system == "linux":
        config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
        name = f"pcrm{suffix}.service"
        return name, config / "systemd" / "user" / name
    name = f"{LABEL}{suffix}"
    return name, Path.home() / "Library" / "LaunchAgents" / f"{name}.plist"


def _command(host: str, port: int) -> list[str]:
    return [sys.executable, "-m", "pcrm", "serve", "--host", host, "--port", str(port)]


def _checked(path: str) -> str:
    """A path that goes into a unit file: no control characters (a newline would start a directive)."""
    if any(ord(c) < 32 or ord(c) == 127 for c in path):
        raise BadRequest(
            f"cannot install a service for a path with control characters: {path!r}",
            hint="move PCRM_HOME (or pcrm's installation) to a path without them",
        )
    return path


def _systemd_quoted(value: str, *, exec_arg: bool = False) -> str:
    """One double-quoted systemd value: backslash and quote escaped, `%` specifiers and (in ExecStart=)
    `$` variables kept literal."""
    v = value.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%")
    if exec_arg:
        v = v.replace("$", "$$")
    return f'"{v}"'


def in_shared_tmp(home: Path) -> list[Path]:
    """What the service needs that lives under /tmp or /var/tmp: PCRM_HOME (the store), the interpreter,
    pcrm's own code. A private /tmp would hide them: the daemon on an empty store [daemon-install]."""
    needed = (home, Path(sys.executable).absolute(), Path(paths.__file__).parent)
    tmps = {*SHARED_TMP, *(t.resolve() for t in SHARED_TMP)}  # macOS: /tmp is a link to /private/tmp
    # a path as given and as resolved: a venv's python under /tmp is often a link to /usr/bin/python3
    return [p for p in needed if any(q.is_relative_to(t) for q in (p, p.resolve()) for t in tmps)]


def _seconds(stop_grace: str | None) -> str:
    return f"{grace.parse(stop_grace) or 0:g}"


def _stop_timeout(stop_grace: str | None) -> int:
    """What the unit lets a stop take: above the daemon's grace, with time to close after it."""
    return grace.stop_timeout(grace.parse(stop_grace) or 0)


def _grace_to_write() -> str | None:
    """$PCRM_STOP_GRACE_SECONDS as the unit is to give it to the daemon (a service does not get this
    shell's environment), or None when it is not set; refused when the daemon would not take it (it would
    fall back to its default, and the unit's timeout would be set for a grace that never applies)."""
    text = grace.grace_set()
    if text is None:
        return None
    value = grace.parse(text)
    if value is None:
        raise BadRequest(
            f"{grace.GRACE_ENV}={text[:40]!r} is not a number of seconds from 0 to {grace.GRACE_MOST:g}",
            hint=f"set it to how long a stop may let a running sync end its batch (default "
            f"{grace.STOP_GRACE_SECONDS:g}), or unset it, then install again",
        )
    return f"{value:g}"


def systemd_unit(home: Path, host: str, port: int, stop_grace: str | None = None) -> str:
    """The systemd user unit; `stop_grace`: the $PCRM_STOP_GRACE_SECONDS the daemon is to get (None: its
    default), its stop timeout set above it."""
    where = _checked(str(home))
    command = [_checked(a) for a in _command(host, port)]
    hidden = [_checked(str(p)) for p in in_shared_tmp(home)]
    # a comment is not expanded: no `%` specifiers to escape; a control character is refused above
    private_tmp = "# no PrivateTmp=yes: it would hide " + ", ".join(hidden) if hidden else "PrivateTmp=yes"
    wait = (
        f"# a stop lets a running sync end its batch (up to {_seconds(stop_grace)} s) before the daemon exits"
    )
    return "\n".join(
        [
            "[Unit]",
            f"Description=pcrm personal CRM daemon ({where.replace('%', '%%')})",
            "",
            "[Service]",
            "Type=simple",
            f"Environment={_systemd_quoted('PCRM_HOME=' + where)}",
            *([f"Environment={_systemd_quoted(f'{grace.GRACE_ENV}={stop_grace}')}"] if stop_grace else []),
            "ExecStart=" + " ".join(_systemd_quoted(a, exec_arg=True) for a in command),
            "Restart=on-failure",
            "RestartSec=5",
            "NoNewPrivileges=yes",
            "UMask=0077",  # [private-files]: whatever the daemon creates is the owner's alone
            private_tmp,
            wait,
            f"TimeoutStopSec={_stop_timeout(stop_grace)}",
            "",
            "[Install]",
            "WantedBy=default.target",
            "",
        ]
    )


def launchd_plist(name: str, home: Path, host: str, port: int, stop_grace: str | None = None) -> str:
    """The launchd agent; `stop_grace` as for systemd_unit."""
    _checked(str(home))  # plistlib escapes XML; a control character is still no path to run from
    logs = home / "run"
    env = {"PCRM_HOME": str(home), **({grace.GRACE_ENV: stop_grace} if stop_grace else {})}
    return plistlib.dumps(
        {
            "Label": name,
            "ProgramArguments": _command(host, port),
            "EnvironmentVariables": env,
            "RunAtLoad": True,
            "KeepAlive": {"SuccessfulExit": False},
            "Umask": 0o077,  # [private-files]
            # SIGKILL after this many seconds of a stop (default 20): see STOP_TIMEOUT_S
            "ExitTimeOut": _stop_timeout(stop_grace),
            "StandardOutPath": str(logs / "daemon.log"),
            "StandardErrorPath": str(logs / "daemon.log"),
        }
    ).decode()


def _manager_commands(system: str, name: str, unit: Path, *, install: bool) -> list[list[str]]:
    if system == "linux":
        if install:
            return [
                ["systemctl", "--user", "daemon-reload"],
                ["systemctl", "--user", "enable", name],
                ["systemctl", "--user", "restart", name],
            ]
        return [["systemctl", "--user", "disable", "--now", name]]  # then the file goes, then a daemon-reload
    domain = f"gui/{os.getuid()}"
    if install:
        return [["launchctl", "bootout", f"{domain}/{name}"], ["launchctl", "bootstrap", domain, str(unit)]]
    return [["launchctl", "bootout", f"{domain}/{name}"]]


def _run(cmd: list[str], *, may_fail: bool = False) -> None:
    exe = shutil.which(cmd[0])
    if exe is None:
        raise PcrmError(
            f"{cmd[0]} was not found on PATH",
            code="bad_request",
            hint="is this a systemd (Linux) or launchd (macOS) session? "
            "Start the daemon by hand with `pcrm serve` instead",
        )
    try:
        done = subprocess.run([exe, *cmd[1:]], capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        raise PcrmError(
            f"`{' '.join(cmd)}` did not answer within {TIMEOUT_S} s",
            code="internal",
            hint="check the service manager, then try again",
        ) from None
    if done.returncode != 0 and not may_fail:
        said = (done.stderr or done.stdout).strip().splitlines()
        raise PcrmError(
            f"`{' '.join(cmd)}` failed (exit {done.returncode})" + (f": {said[-1]}" if said else ""),
            code="bad_request",
            hint="on Linux a user session with systemd is needed (`loginctl enable-linger` lets it "
            "run without a login); else start the daemon with `pcrm serve`",
            details={"command": cmd, "exit": done.returncode, "output": "\n".join(said[-5:])},
        )


def installed_unit(system: str | None = None) -> str | None:
    """The path of this PCRM_HOME's installed service unit, or None (none, or an unsupported system)."""
    try:
        s = _system(system)
    except PcrmError:
        return None
    _name, unit = _target(s, paths.home().resolve())
    return str(unit) if unit.exists() else None


def unit_stop_timeout(system: str | None = None) -> int | None:
    """The seconds the installed unit of this PCRM_HOME lets a stop take before a kill (TimeoutStopSec=,
    ExitTimeOut), or None: no unit, or none set there (the manager's default)."""
    path = installed_unit(system)
    if path is None:
        return None
    try:
        if path.endswith(".plist"):
            value = plistlib.loads(Path(path).read_bytes()).get("ExitTimeOut")
            return value if isinstance(value, int) else None
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            key, _, value = line.strip().partition("=")
            if key == "TimeoutStopSec" and value.strip().isdigit():
                return int(value)
    except (OSError, ValueError, plistlib.InvalidFileException):
        return None
    return None


def _under_the_service() -> bool:
    """Whether this process was started by a service manager: systemd sets INVOCATION_ID, launchd
    XPC_SERVICE_NAME (the agent's label)."""
    return bool(os.environ.get("INVOCATION_ID")) or os.environ.get("XPC_SERVICE_NAME", "").startswith(LABEL)


def stop_cut_short(stop_grace: float, system: str | None = None) -> str | None:
    """The daemon's warning, at start, when it runs under the installed unit and its stop grace does not
    fit in the stop timeout the unit gives (a grace set after the install, a unit an older pcrm wrote): the
    service would kill it while a sync still ends its batch. None when it fits."""
    if not _under_the_service():
        return None
    timeout = unit_stop_timeout(system)
    if timeout is None or grace.stop_timeout(stop_grace) <= timeout:
        return None
    return (
        f"a stop waits up to {stop_grace:g} s for a running sync to end its batch ({grace.GRACE_ENV}), but "
        f"the service {installed_unit(system)} kills the daemon {timeout} s into a stop: a sync may be cut "
        f"mid-batch; run `{grace.GRACE_ENV}={stop_grace:g} pcrm daemon install` to give the service "
        f"{grace.stop_timeout(stop_grace)} s"
    )


def _notes(system: str, name: str, home: Path) -> list[str]:
    """What the user should know about the service installed: a secret key the unit does not get, a store
    the system may empty."""
    notes = []
    if os.environ.get("PCRM_SECRET_KEY"):
        notes.append(
            "PCRM_SECRET_KEY is set here but is not written into the unit; give it to the service "
            + (
                "with `systemctl --user edit " + name + "` (an Environment= line)"
                if system == "linux"
                else "through launchd's environment"
            )
            + ", or use the OS keyring"
        )
    if home in in_shared_tmp(home):
        notes.append(
            f"PCRM_HOME {home} is under a temporary folder the system may empty (at boot, or of old files); "
            "the daemon would then start on an empty store: keep a lasting store elsewhere"
        )
    return notes


def install(
    *, host: str = "127.0.0.1", port: int = 8765, dry_run: bool = False, system: str | None = None
) -> Result:
    """Write the unit for this PCRM_HOME and start it (or, with dry_run, only show it)."""
    if not is_loopback(host):
        raise BadRequest(
            f"the installed daemon listens on loopback only, not {host}",
            hint="use --host 127.0.0.1 (the default); run `pcrm serve --allow-remote` by hand "
            "if you really mean it",
        )
    if not 1 <= port <= 65535:
        raise BadRequest(f"port {port} is out of range", hint="use 1-65535")
    s = _system(system)
    home = paths.home().resolve()
    name, unit = _target(s, home)
    stop_grace = _grace_to_write()
    text = (
        systemd_unit(home, host, port, stop_grace)
        if s == "linux"
        else launchd_plist(name, home, host, port, stop_grace)
    )
    commands = _manager_commands(s, name, unit, install=True)
    data: dict[str, Any] = {
        "system": "systemd" if s == "linux" else "launchd",
        "name": name,
        "path": str(unit),
        "home": str(home),
        "url": f"http://{host}:{port}",
        "unit": text,
        "commands": [" ".join(c) for c in commands],
        "installed": False,
        # how long a stop may let a sync end its batch, and what the unit lets a stop take [daemon-stop]
        "stop_grace": grace.parse(stop_grace),
        "stop_timeout": _stop_timeout(stop_grace),
    }
    meta: dict[str, Any] = {"dry_run": dry_run}
    notes = _notes(s, name, home)
    if stop_grace is not None:
        notes.append(
            f"{grace.GRACE_ENV}={stop_grace} is written into the unit: a stop lets a running sync end its "
            f"batch for up to {stop_grace} s, and the service waits {data['stop_timeout']} s before it kills "
            "the daemon"
        )
    if notes:
        meta["note"] = "; ".join(notes)
    if dry_run:
        return Result(data, meta)
    previous = unit.read_text(encoding="utf-8") if unit.exists() else None
    unit.parent.mkdir(parents=True, exist_ok=True)
    if s == "darwin":  # launchd appends to the log file as it finds it: one made 0600 [private-files]
        paths.create_private(home / "run" / "daemon.log")
    tmp = unit.with_suffix(unit.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, unit)
    try:
        for i, cmd in enumerate(commands):
            _run(cmd, may_fail=(s == "darwin" and i == 0))  # bootout of an agent not loaded yet fails
    except PcrmError:
        # put the service manager back as it was, as far as it lets us (each step may fail in turn)
        if previous is None:
            if s == "linux":
                _run(["systemctl", "--user", "disable", name], may_fail=True)
            unit.unlink(missing_ok=True)
        else:
            unit.write_text(previous, encoding="utf-8")
        if s == "linux":
            _run(["systemctl", "--user", "daemon-reload"], may_fail=True)
        elif previous is not None:
            _run(["launchctl", "bootstrap", f"gui/{os.getuid()}", str(unit)], may_fail=True)
        raise
    data["installed"] = True
    meta["replaced"] = previous is not None
    return Result(data, meta)


def uninstall(*, dry_run: bool = False, system: str | None = None) -> Result:
    """Stop the service of this PCRM_HOME and remove its unit. Nothing installed: says so, exit 0."""
    s = _system(system)
    home = paths.home().resolve()
    name, unit = _target(s, home)
    commands = _manager_commands(s, name, unit, install=False)
    after = [["systemctl", "--user", "daemon-reload"]] if s == "linux" else []
    data: dict[str, Any] = {
        "system": "systemd" if s == "linux" else "launchd",
        "name": name,
        "path": str(unit),
        "commands": [" ".join(c) for c in commands + after],
        "removed": False,
    }
    if not unit.exists():  # nothing to stop or remove: no commands, dry run or not
        data["commands"] = []
        return Result(data, {"dry_run": dry_run, "note": f"no pcrm service is installed for {home}"})
    if dry_run:
        return Result(data, {"dry_run": True})
    for cmd in commands:
        _run(cmd, may_fail=True)  # an already stopped or never loaded unit is fine: the file goes anyway
    unit.unlink()
    for cmd in after:
        _run(cmd, may_fail=True)
    data["removed"] = True
    return Result(data, {"dry_run": False})
