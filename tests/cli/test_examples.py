"""Every `Example:` in every command's help runs as written on a fresh demo store (`pcrm demo`).

The examples are read from the Typer command tree (hidden aliases too), each paragraph of a command's help
that starts with `Example:`. Each one runs through the real CLI (CliRunner) on its own copy of one demo
store, built once per session with the clock pinned, so destructive examples are fine. A small shell
(`Shell`) stands in for bash: `&&`, pipes, `> FILE`, `"$(...)"`, `NAME=value` before a command, `~/`, and
the few programs examples pipe into (echo, xargs -n1, head, a jq that follows paths); anything else it
refuses, so an example cannot drift into something this test does not run.

What a shell user has that the test supplies (`_user_home`): `~` (and $HOME) is a folder of the test's
own, holding the files examples read (a LinkedIn Connections.csv, a Google client file); the working folder
is another; a path under /tmp/ is moved under the test's tmp_path. The few examples that cannot finish on a
demo store (a server, an outside account, an AI model) are listed below with the reason, and still have to
parse, or fail with a hint.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.support import paths
from tests.support.demo import copy_store

# the demo store's clock: its histories end here; examples that say `yesterday` mean the day before
NOW = "2026-03-20T12:00:00Z"

# Examples that cannot finish on a fresh demo store, and why. Keep these lists short.
# - They wait for someone else (a server runs until Ctrl-C, Google's consent page waits for a browser): their
#   words are parsed as the command would parse them (options, values, the files they name), not run.
WAITS = {
    "pcrm serve --port 8765",
    "pcrm auth google --client-file ~/Downloads/client_secret.json",
}
# - They need an account or a service pcrm talks to over the network, or an AI model, which a demo store
#   has not got: they must run to a clear error with a hint (exit 1, never a usage error or a traceback).
NOT_CONNECTED = {
    # Google, Telegram, X and the WhatsApp sidecar: connecting and syncing them
    "pcrm auth google rm ada@gmail.com --yes",
    "pcrm auth telegram --phone +12025550123",
    "pcrm auth whatsapp connect",
    "pcrm auth whatsapp qr --json",
    "pcrm auth x --open",
    "pcrm sync gmail",
    "pcrm sync google",
    "pcrm sync google-calendar",
    "pcrm sync google-contacts",
    "pcrm sync google_calendar",
    "pcrm sync google_contacts",
    "pcrm sync telegram",
    "pcrm sync twitter",
    "pcrm sync whatsapp",
    'pcrm sync emails "Ada Lovelace"',
    # sending goes through Telegram
    'pcrm send "Ada Lovelace" "Congrats on the launch! Coffee next week?"',
    'pcrm send "Ada Lovelace" "Happy birthday!" --at "tomorrow 09:00"',
    "pcrm send --cancel \"$(pcrm send --list --json | jq -r '.data[0].id')\"",
    # the pairing code comes from the browser extension
    "pcrm extension pair PING-7KQ2MX",
    # logos are fetched from the organizations' websites (off until allowed)
    'pcrm orgs logos "Analytical Engines" --force',
    # tagging needs a taxonomy, which an AI model drafts
    'pcrm contacts auto-tag "Ada Lovelace"',
    "pcrm tags approve",
    "pcrm tags apply --dry-run | head -40",
}

# Examples that ask at a terminal: they run as if at one, and each `pcrm` of the line gets what the user
# types, in order.
ANSWERS: dict[str, list[str]] = {
    'pcrm account create ada@example.com --name "Ada Lovelace"': ["correct horse\ncorrect horse\n"],
    "pcrm account create ada@example.com && pcrm account show": ["correct horse\ncorrect horse\n"],
    "pcrm account create ada@example.com && pcrm account password": [
        "correct horse\ncorrect horse\n",
        "correct horse\nbattery staple\nbattery staple\n",
    ],
    "pcrm ai key set openai": ["sk-example\n"],
    "pcrm secrets encrypt": ["a long passphrase\na long passphrase\n"],
    "pcrm secrets set apollo": ["apollo-key\n"],
}


def _examples() -> list[tuple[str, str]]:
    """(command, example) for each `Example:` paragraph of each command's help, hidden commands too; an
    example shared by several commands (an alias) once."""
    import typer.main

    from pcrm.cli import app

    found: dict[str, str] = {}

    def walk(cmd: Any, path: list[str]) -> None:
        text = cmd.help or ""
        paragraphs = [" ".join(p.split()) for p in text.split("\n\n")]
        ours = [p.removeprefix("Example: ") for p in paragraphs if p.startswith("Example: ")]
        # an `Example:` inside a paragraph would escape this test
        assert text.count("Example:") == len(ours), (path, text)
        for example in ours:
            found.setdefault(example, " ".join(path))
        for name, sub in sorted(getattr(cmd, "commands", {}).items()):
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), ["pcrm"])
    return [(command, example) for example, command in found.items()]


EXAMPLES = _examples()


@dataclass
class Ran:
    code: int
    stdout: str
    stderr: str


class Shell:
    """Runs one example line as bash would, each `pcrm` through CliRunner in this process."""

    def __init__(self, home: Path, tmp: Path, answers: list[str] | None = None) -> None:
        self.home = home  # what ~ means
        self.tmp = tmp
        self.answers = list(answers or [])  # stdin of each `pcrm` run, in order (then none)
        self.runner = CliRunner()
        self.log: list[str] = []

    def run(self, line: str) -> Ran:
        ran = Ran(0, "", "")
        for command in _top_level(line, "&&"):
            ran = self._pipeline(self._substitute(command))
            if ran.code != 0:
                break
        return ran

    def _substitute(self, command: str) -> str:
        """ "$(...)": the inner line's output (which must succeed), when the command runs."""
        while (start := command.find("$(")) != -1:
            depth, end = 0, start + 1
            for end in range(start + 1, len(command)):
                depth += {"(": 1, ")": -1}.get(command[end], 0)
                if depth == 0:
                    break
            got = self.run(command[start + 2 : end])
            assert got.code == 0, (command, got)
            command = command[:start] + got.stdout.strip() + command[end + 1 :]
        return command

    def _pipeline(self, command: str) -> Ran:
        lexer = shlex.shlex(command, posix=True, punctuation_chars="|>")
        lexer.whitespace_split = True
        words = list(lexer)
        out_file = None
        if ">" in words:
            at = words.index(">")
            assert at == len(words) - 2, words
            out_file, words = self._path(words[-1]), words[:at]
        data: str | None = None
        ran = Ran(0, "", "")
        for stage in _split(words, "|"):
            ran = self._stage(stage, data)
            if ran.code != 0:
                return ran
            data = ran.stdout
        if out_file is not None:
            Path(out_file).write_text(ran.stdout)
            ran = Ran(ran.code, "", ran.stderr)
        return ran

    def _stage(self, words: list[str], stdin: str | None) -> Ran:
        env: dict[str, str] = {}
        while words and re.fullmatch(r"[A-Z_]+=.*", words[0]):
            name, _, value = words[0].partition("=")
            env[name] = self._path(value)
            words = words[1:]
        program, *args = words
        args = [self._path(a) for a in args]
        if program == "pcrm":
            return self._pcrm(args, stdin, env)
        if program == "echo":
            return Ran(0, " ".join(args) + "\n", "")
        if program == "xargs" and args[:2] == ["-n1", "pcrm"]:
            outs = [self._pcrm([*args[2:], item], None, env) for item in (stdin or "").split()]
            failed = [r for r in outs if r.code != 0]
            return failed[0] if failed else Ran(0, "".join(r.stdout for r in outs), "")
        if program == "head" and re.fullmatch(r"-\d+", args[0]):
            return Ran(0, "".join((stdin or "").splitlines(keepends=True)[: int(args[0][1:])]), "")
        if program == "jq":
            return Ran(0, _jq(args, stdin or ""), "")
        raise AssertionError(f"the examples' shell does not run {program!r}")

    def _pcrm(self, args: list[str], stdin: str | None, env: dict[str, str]) -> Ran:
        from pcrm.cli import app

        self.log.append(shlex.join(["pcrm", *args]))
        if stdin is None and self.answers:
            stdin = self.answers.pop(0)
        r = self.runner.invoke(app, args, input=stdin, env=env or None)
        if r.exception is not None and not isinstance(r.exception, SystemExit):
            raise r.exception
        return Ran(r.exit_code, r.stdout, r.stderr)

    def _path(self, word: str) -> str:
        if word == "~" or word.startswith("~/"):
            return str(self.home) + word[1:]
        if word.startswith("/tmp/"):
            return str(self.tmp / "tmp" / word.removeprefix("/tmp/"))
        return word

    def parse(self, line: str) -> None:
        """Parse the line's one `pcrm` command as it would run: its options, their values, its arguments;
        nothing runs."""
        import typer.main

        from pcrm.cli import app

        ((program, *args),) = _split(shlex.split(line), "|")
        assert program == "pcrm", line
        cmd = typer.main.get_command(app)
        ctx = cmd.make_context("pcrm", [self._path(a) for a in args])
        while hasattr(ctx.command, "commands") and (rest := [*ctx._protected_args, *ctx.args]):
            name, sub, rest = ctx.command.resolve_command(ctx, rest)
            ctx = sub.make_context(name, rest, parent=ctx)
        assert not hasattr(ctx.command, "commands") or ctx.command.invoke_without_command, line


def _top_level(line: str, sep: str) -> list[str]:
    """`line` cut at each `sep` outside quotes and outside $(...)."""
    parts, start, depth, quote, i = [], 0, 0, "", 0
    while i < len(line):
        c = line[i]
        if quote:
            quote = "" if c == quote and depth == 0 else quote
            if c == "$" and line[i + 1 : i + 2] == "(":
                depth += 1
            elif c == ")" and depth:
                depth -= 1
        elif c in "'\"":
            quote = c
        elif c == "$" and line[i + 1 : i + 2] == "(":
            depth += 1
        elif c == ")" and depth:
            depth -= 1
        elif depth == 0 and line.startswith(sep, i):
            parts.append(line[start:i].strip())
            start = i + len(sep)
        i += 1
    return [*parts, line[start:].strip()]


def _split(words: list[str], sep: str) -> list[list[str]]:
    out: list[list[str]] = [[]]
    for w in words:
        if w == sep:
            out.append([])
        else:
            out[-1].append(w)
    assert all(out), words
    return out


def _jq(args: list[str], stdin: str) -> str:
    """jq [-r] PATH for paths like `.data[].emails[0]`, as jq answers them (null for a missing key or
    index); a path jq could not follow fails."""
    raw = args[0] == "-r"
    (program,) = args[1:] if raw else args
    steps = re.findall(r"\.(\w+)|\[(\d*)\]", program)
    assert "".join(f".{k}" if k else f"[{i}]" for k, i in steps) == program, program
    values = [json.loads(line) for line in stdin.splitlines() if line.strip()]
    for key, index in steps:
        nxt: list[Any] = []
        for v in values:
            if key:
                assert v is None or isinstance(v, dict), (program, v)
                nxt.append(None if v is None else v.get(key))
            elif index == "":
                assert isinstance(v, list), (program, v)
                nxt.extend(v)
            else:
                assert v is None or isinstance(v, list), (program, v)
                nxt.append(v[int(index)] if v is not None and len(v) > int(index) else None)
        values = nxt
    return "".join((v if raw and isinstance(v, str) else json.dumps(v)) + "\n" for v in values)


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store as `pcrm demo` makes it, once per session, the clock at NOW."""
    from pcrm.cli import app

    home = tmp_path_factory.mktemp("examples") / "home"
    r = CliRunner().invoke(app, ["demo"], env={"PCRM_HOME": str(home), "PCRM_NOW": NOW})
    assert r.exit_code == 0, r.output
    return home


def _user_home(tmp_path: Path) -> Path:
    """The user's home folder as the examples expect it: the files they read in ~/Downloads."""
    home = tmp_path / "user"
    (home / "Downloads").mkdir(parents=True)
    shutil.copy(paths.IMPORT_FILES / "Connections.csv", home / "Downloads" / "Connections.csv")
    client = {"installed": {"client_id": "example.apps.googleusercontent.com", "client_secret": "example"}}
    (home / "Downloads" / "client_secret.json").write_text(json.dumps(client))
    return home


def test_the_examples_are_found() -> None:
    """A guard: the walk reads the whole tree (commands of every group, hidden ones included), and every
    exempt example is still one of them."""
    commands = {command for command, _ in EXAMPLES}
    examples = {example for _, example in EXAMPLES}
    assert len(EXAMPLES) > 150
    assert {"pcrm contacts list", "pcrm orgs duplicates merge", "pcrm auth google rm"} <= commands
    assert (WAITS | NOT_CONNECTED | set(ANSWERS)) <= examples


def test_no_example_is_wrapped_at_80_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each example prints on one line of its command's --help at 80 columns (CliRunner's width), so it
    pastes back as one command: 36 of them came out cut at the width (`pcrm token revoke laptop-` /
    `scripts --yes`)."""
    from pcrm.cli import app

    monkeypatch.setenv("COLUMNS", "80")
    runner = CliRunner()
    cut = []
    for command, example in EXAMPLES:
        shown = runner.invoke(app, [*command.split()[1:], "--help"])
        assert shown.exit_code == 0, (command, shown.output)
        lines = [line.strip() for line in shown.stdout.splitlines()]
        if f"Example: {example}" not in lines:
            cut.append(example)
    assert not cut, cut
    assert any(len(f"  Example: {e}") > 80 for _, e in EXAMPLES)  # the check has long ones to see


@pytest.mark.parametrize(("command", "example"), EXAMPLES, ids=[e for _, e in EXAMPLES])
def test_every_example_runs_on_a_fresh_demo_store(
    command: str,
    example: str,
    demo_home: Path,
    pcrm_home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    copy_store(demo_home, pcrm_home)
    monkeypatch.setenv("PCRM_NOW", NOW)
    home = _user_home(tmp_path)
    # what the daemon's install and uninstall would touch stays in the test's home
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    if example in ANSWERS:
        from pcrm.cli import _output

        monkeypatch.setattr(_output, "at_terminal", lambda: True)
    shell = Shell(home, tmp_path, ANSWERS.get(example))
    if example in WAITS:
        shell.parse(example)
        return
    ran = shell.run(example)
    trail = "\n".join(shell.log)
    if example in NOT_CONNECTED:
        assert ran.code == 1 and "\nhint: " in "\n" + ran.stderr, (trail, ran)
    else:
        assert ran.code == 0, (trail, ran)
