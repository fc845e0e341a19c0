"""`pcrm --help`, `pcrm -h` and a bare `pcrm` without importing Typer [fast-top-level-help].

Importing Typer (and the click it vendors) is most of a `pcrm --help` process. The top-level help is a
fixed text: the app's help, Typer's completion options and one line per entry of pcrm/cli's ENTRIES, laid
out by click's help formatter. `render` lays it out the same way click does (its HelpFormatter: usage
line, re-wrapped paragraphs, definition lists with a 30-column first column, short help cut at a word
with "..."), for the same terminal width (COLUMNS, else the terminal, else 80, at most the app's
max_content_width). tests/cli/test_help.py compares it byte for byte with Typer's own output of the full
app at several widths and colour settings, so the two cannot drift apart; any other argv goes to Typer.

Only `os` and `sys` are imported at module level (textwrap when rendering).
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # no typing at run time: it is most of what this module would import
if TYPE_CHECKING:
    import textwrap
    from collections.abc import Iterable, Sequence

    from pcrm.cli import Entry

PROG = "pcrm"
APP_HELP = (
    "A local-first personal CRM: your relationships in one SQLite file.\n\n"
    "Start with `pcrm demo` (in an empty PCRM_HOME) or `pcrm contacts add --name ...`."
)
# click wraps help at 80 columns unless told otherwise; pcrm lets examples stay on one line on a wide
# terminal (the app's context_settings use this)
MAX_CONTENT_WIDTH = 160
HELP_OPTIONS = ("-h", "--help")
# The root's options as Typer declares them (add_completion=True) and click lists them.
OPTIONS: tuple[tuple[str, str], ...] = (
    ("--install-completion", "Install completion for the current shell."),
    ("--show-completion", "Show completion for the current shell, to copy it or customize the installation."),
    (", ".join(HELP_OPTIONS), "Show this message and exit."),
)
USAGE_ARGS = "[OPTIONS] COMMAND [ARGS]..."


def terminal_columns() -> int:
    """shutil.get_terminal_size().columns (what click asks), without importing shutil."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
        columns = columns or 80
    return columns


def _wrapper(width: int, initial: str = "", subsequent: str = "") -> textwrap.TextWrapper:
    import textwrap

    class _Wrapper(textwrap.TextWrapper):
        # click's TextWrapper: a word longer than the line is cut to the space left
        def _handle_long_word(
            self, reversed_chunks: list[str], cur_line: list[str], cur_len: int, width: int
        ) -> None:
            space_left = max(width - cur_len, 1)
            last = reversed_chunks[-1]
            cur_line.append(last[:space_left])
            reversed_chunks[-1] = last[space_left:]

    return _Wrapper(width, initial_indent=initial, subsequent_indent=subsequent, replace_whitespace=False)


def _wrap(text: str, width: int, initial: str = "", subsequent: str = "", paragraphs: bool = False) -> str:
    """click.formatting.wrap_text (the help texts here have no \\b blocks and no ANSI codes)."""
    text = text.expandtabs()
    wrapper = _wrapper(width, initial, subsequent)
    if not paragraphs:
        return wrapper.fill(text)
    out: list[str] = []
    buf: list[str] = []
    indent: int | None = None

    def flush() -> None:
        if buf:
            pad = " " * (indent or 0)
            wrapper.initial_indent, wrapper.subsequent_indent = initial + pad, subsequent + pad
            out.append(wrapper.fill(" ".join(buf)))
            buf.clear()

    for line in text.splitlines():
        if not line:
            flush()
            indent = None
        else:
            if indent is None:
                stripped = line.lstrip()
                indent = len(line) - len(stripped)
                line = stripped
            buf.append(line)
    flush()
    return "\n\n".join(out)


def short_help(text: str, limit: int) -> str:
    """click.utils.make_default_short_help: the first sentence, or words up to `limit` then "..."."""
    end = text.find("\n\n")
    if end != -1:
        text = text[:end]
    words = text.split()
    if not words:
        return ""
    total = 0
    last = len(words) - 1
    for i, word in enumerate(words):
        total += len(word) + (i > 0)
        if total > limit:
            break
        if word[-1] == ".":
            return " ".join(words[: i + 1])
        if total == limit and i != last:
            break
    else:
        return " ".join(words)
    total += len("...")
    while i > 0:
        total -= len(words[i]) + (i > 0)
        if total <= limit:
            break
        i -= 1
    return " ".join(words[:i]) + "..."


def _definitions(rows: Sequence[tuple[str, str]], width: int, indent: int) -> str:
    """click's HelpFormatter.write_dl (col_max 30, col_spacing 2)."""
    first_col = min(max(len(first) for first, _ in rows), 30) + 2
    out: list[str] = []
    for first, second in rows:
        out.append(" " * indent + first)
        if not second:
            out.append("\n")
            continue
        if len(first) <= first_col - 2:
            out.append(" " * (first_col - len(first)))
        else:
            out.append("\n" + " " * (first_col + indent))
        lines = _wrap(second, max(width - first_col - 2, 10), paragraphs=True).splitlines()
        out.append(lines[0] + "\n" if lines else "\n")
        out.extend(" " * (first_col + indent) + line + "\n" for line in lines[1:])
    return "".join(out)


def render(entries: Iterable[Entry], columns: int | None = None) -> str:
    """The top-level help as click prints it (without the final newline that echo adds)."""
    cols = terminal_columns() if columns is None else columns
    width = max(min(cols, MAX_CONTENT_WIDTH) - 2, 50)
    prefix = f"Usage: {PROG} "
    out = [_wrap(USAGE_ARGS, width, prefix, " " * len(prefix)), "\n"]
    out += ["\n", _wrap(APP_HELP, width, "  ", "  ", paragraphs=True), "\n"]
    out += ["\n", "Options:\n", _definitions(OPTIONS, width, 2)]
    names = [(e.name, e.help) for e in entries]
    limit = width - 6 - max(len(n) for n, _ in names)
    rows = [(n, short_help(h, limit).strip()) for n, h in names]
    out += ["\n", "Commands:\n", _definitions(rows, width, 2)]
    return "".join(out).rstrip("\n")


def answer(args: Sequence[str], entries: Iterable[Entry]) -> bool:
    """Print the top-level help if argv asks for it, as Typer would: `--help`/`-h` on stdout (exit 0), no
    arguments on stderr (exit 2, click's no_args_is_help). False: anything else, for Typer to run."""
    if not args:
        sys.stderr.write(render(entries) + "\n")
        sys.stderr.flush()
        sys.exit(2)
    if len(args) == 1 and args[0] in HELP_OPTIONS:
        sys.stdout.write(render(entries) + "\n")
        sys.stdout.flush()
        return True
    return False


def example_lines(text: str) -> str:
    """`text` (a command's help, cleaned) with each `Example:` paragraph on one line that click will not
    re-wrap (a `\\b` paragraph): re-wrapped at the terminal's width, `pcrm token revoke laptop-scripts --yes`
    came out as `pcrm token revoke laptop-` / `scripts --yes`, which does not paste back as one command."""
    out = []
    for paragraph in text.split("\n\n"):
        stripped = paragraph.lstrip()
        if stripped.startswith("Example:"):
            indent = paragraph[: len(paragraph) - len(stripped)]
            paragraph = f"{indent}\b\n{indent}{' '.join(stripped.split())}"
        out.append(paragraph)
    return "\n\n".join(out)


def install_example_lines() -> None:
    """Have every command's help (click's plain help, which pcrm uses) print its examples through
    `example_lines` (idempotent). The command's own help text is left as it is."""
    import inspect

    from typer._click import core

    original = core.Command.format_help_text
    if getattr(original, "_pcrm_examples", False):
        return

    def format_help_text(self: core.Command, ctx: core.Context, formatter: core.HelpFormatter) -> None:
        given = self.help
        if not given or "Example:" not in given:
            original(self, ctx, formatter)
            return
        self.help = example_lines(inspect.cleandoc(given))
        try:
            original(self, ctx, formatter)
        finally:
            self.help = given

    format_help_text._pcrm_examples = True  # type: ignore[attr-defined]
    core.Command.format_help_text = format_help_text  # type: ignore[method-assign]


def install_usage_names() -> None:
    """Have every usage line name its arguments as click and other command-line tools do: `CONTACT` when
    required, `[CONTACT]` when not, `FILES...` for several (idempotent). Typer 0.29 writes a required one
    `{contact}` (`Usage: pcrm interactions list [OPTIONS] {contact}`), which reads as a placeholder to fill
    with braces, or as shell brace syntax [cli-usage-names]. A missing argument's error names it the same
    way; the list of arguments under `-h` keeps the name with its type (`contact <str>`)."""
    from typer import core

    original = core.TyperArgument._usage_display_name
    if getattr(original, "_pcrm_usage", False):
        return

    def usage_name(self: core.TyperArgument) -> str:
        if self.metavar is not None and (self.metavar.startswith("[") or self.metavar.endswith("...")):
            return (
                self.metavar
            )  # spelled whole by its command (`[CONTACT]...`); Typer made it [[CONTACT]...]...
        name = self.metavar if self.metavar is not None else (self.name or "").upper()
        if not self.required:
            name = f"[{name}]"
        return name + ("..." if self.nargs != 1 else "")

    def error_hint(self: core.TyperArgument) -> str:  # "Missing argument 'CONTACT'.", as the usage line
        return f"'{self.metavar if self.metavar is not None else (self.name or '').upper()}'"

    usage_name._pcrm_usage = True  # type: ignore[attr-defined]
    core.TyperArgument._usage_display_name = usage_name  # type: ignore[method-assign]
    core.TyperArgument.get_error_hint = error_hint  # type: ignore[method-assign,assignment]
