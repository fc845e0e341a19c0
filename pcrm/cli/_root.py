"""The root command's failures, the same for every command below it [cli-failures]:

- a usage error (an unknown option, a missing argument, a value of the wrong type) keeps click's message on
  stderr and exit 2; with `--json` on the command line stdout also gets the API's `validation_error` envelope,
  so a script reading stdout is never left with nothing;
- an unknown option names the closest one (`--JSON`: did you mean --json?), which click's own suggestion,
  case-sensitive and blind to `-json`, often misses;
- Ctrl-C at a question (a confirmation, a password) says `interrupted` and exits 130, as Ctrl-C anywhere
  else does; a question whose stdin is closed (Ctrl-D, nothing left in a pipe) is an error with a hint
  naming the option that answers it, instead of click's bare "Aborted!".

Everything here runs only when something went wrong; the happy path pays for one subclass.
"""

from __future__ import annotations

import sys
from typing import Any, NoReturn

from typer import core
from typer._click import exceptions as click_errors
from typer.exceptions import Abort, Exit

# where a usage error's value came from, in the reference's `detail` loc [error-detail]: the command line
ARGV = "argv"
_META = "pcrm.argv"


class Root(core.TyperGroup):
    """`pcrm` itself: every usage error, interruption and unanswered question of a command passes here."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        argv = list(args)
        try:
            ctx = super().make_context(info_name, args, parent=parent, **extra)
        except click_errors.UsageError as e:
            usage_error(e, self, argv)
            raise
        ctx.meta[_META] = argv
        return ctx

    def invoke(self, ctx: Any) -> Any:
        argv: list[str] = ctx.meta.get(_META, [])
        try:
            once_each(self, argv, ctx.help_option_names)
            return super().invoke(ctx)
        except click_errors.UsageError as e:
            usage_error(e, self, argv)
            raise
        except KeyboardInterrupt:
            interrupted()
        except EOFError:
            unanswered(self, argv)
        except Abort as e:  # click's prompts turn Ctrl-C and a closed stdin into Abort
            if isinstance(e.__context__, (KeyboardInterrupt, EOFError)):
                sys.stderr.write("\n")  # the cursor is still after the question
                if isinstance(e.__context__, KeyboardInterrupt):
                    interrupted()
                unanswered(self, argv)
            raise
        except Exception as e:
            store_failed(e, argv)
            raise


def store_failed(e: Exception, argv: list[str]) -> None:
    """A store whose file is damaged or read-only, found by any command: said as an error with what to do
    (with --json, the envelope on stdout too), exit 1, instead of a traceback [store-failures]. Anything
    else returns, to be raised as it was."""
    from pcrm.services import store_failures

    said = store_failures.unusable(e)
    if said is None:
        return
    from pcrm.cli._output import fail

    fail(said, _wants_json(argv))


def interrupted() -> NoReturn:
    """Ctrl-C: one line, exit 130 (pcrm.cli.main says the same for a Ctrl-C outside a command)."""
    sys.stderr.write("interrupted\n")
    sys.stderr.flush()
    raise Exit(130) from None


def _wants_json(argv: list[str]) -> bool:
    words = argv[: argv.index("--")] if "--" in argv else argv
    return "--json" in words


def unanswered(root: Any, argv: list[str]) -> NoReturn:
    """A question found stdin closed: say so, with the option that answers it, exit 1 (with --json, the
    error envelope on stdout too)."""
    from pcrm.cli._output import fail
    from pcrm.errors import BadRequest

    names = option_names(_command_of(root, argv)[0])
    ways = []
    if "--yes" in names:
        ways.append("add --yes to go ahead without the question")
    if "--password-stdin" in names:
        ways.append("pipe the password in with --password-stdin")
    hint = "; or ".join(ways) or "answer it at a terminal, or pipe the answer in on stdin"
    fail(
        BadRequest(
            "a question got no answer: stdin was closed (Ctrl-D, or nothing more in the pipe)",
            hint=hint,
            details={"answer": "missing"},
        ),
        _wants_json(argv),
    )
    raise Exit(1)  # fail() has raised it already


def _command_of(root: Any, argv: list[str]) -> tuple[Any, list[str]]:
    """The command argv names (the deepest group or command its words reach) and its path, found without
    parsing."""
    cmd, path = root, ["pcrm"]
    for word in argv:
        commands = getattr(cmd, "commands", None)
        if commands is None:
            break
        if word.startswith("-"):
            continue
        sub = commands.get(word)
        if sub is None:
            break
        cmd = sub
        path.append(word)
    return cmd, path


def once_each(root: Any, argv: list[str], help_names: list[str]) -> None:
    """Refuse an option that takes one value given twice (`pcrm contacts list --tag investor --tag
    friend`): click keeps the last and drops the other without a word, so the list came back for `friend`
    alone and looked like the answer [cli-failures]. Repeatable options (`--email`, `--where`) and flags
    are not concerned. Parsing is click's own parser, run without callbacks; a command line it cannot read
    is left to click's usual error.

    `help_names`: the root's help options. The command caches its help option the first time a context
    asks for it, so this context must name them all, or `-h` would then be refused as an unknown option."""
    from typer._click.core import Context

    cmd, path = _command_of(root, argv)
    if getattr(cmd, "commands", None) is not None or len(path) < 2:
        return
    at = 0
    for word in path[1:]:  # the words after the command's own name are its arguments
        at = argv.index(word, at) + 1
    ctx = Context(cmd, info_name=path[-1], help_option_names=help_names)
    try:
        _opts, _args, order = cmd.make_parser(ctx).parse_args(list(argv[at:]))
    except click_errors.UsageError:
        return
    seen: set[str] = set()
    for param in order:
        if param.param_type_name != "option" or param.multiple or getattr(param, "is_flag", False):
            continue
        if param.name in seen:
            name = max(param.opts, key=len)
            parent = None
            for depth, word in enumerate(path[:-1]):  # `pcrm contacts list` in the usage line
                parent = Context(
                    _command_of(root, path[1 : depth + 1])[0],
                    info_name=word,
                    parent=parent,
                    help_option_names=help_names,
                )
            raise click_errors.UsageError(
                f"{name} was given more than once; {' '.join(path)} takes one {name} (the last one "
                "given would have been used alone)",
                ctx=Context(cmd, info_name=path[-1], parent=parent),
            )
        seen.add(str(param.name))


def typed_argv(ctx: Any) -> list[str]:
    """The command line as typed (after `pcrm`), as the root command kept it."""
    return list(ctx.meta.get(_META, []))


def option_names(cmd: Any) -> list[str]:
    names: list[str] = []
    for p in getattr(cmd, "params", ()):
        if getattr(p, "param_type_name", "") == "option":
            names += [*p.opts, *p.secondary_opts]
    return names


def usage_error(e: Any, root: Any, argv: list[str]) -> None:
    """Add the closest option to an unknown one's message, and with --json print the envelope on stdout;
    click then prints its message on stderr and exits 2 as usual."""
    if isinstance(e, click_errors.NoArgsIsHelpError):
        return  # a bare group: its help, not an error
    from pcrm.errors import bounded

    e.message = bounded(e.message) or ""  # `No such command 'aaa…'` [error-quotes]
    if isinstance(e, click_errors.NoSuchOption):
        _suggest(e, argv)
    elif isinstance(e, click_errors.BadParameter) and e.param is not None and e.ctx is not None:
        _out_of_range(e)
    if _wants_json(argv):
        from pcrm.cli._output import write_json
        from pcrm.serialize import error_envelope

        if e.ctx is not None:
            path = e.ctx.command_path
        else:  # click raised it without a context (an option missing its value)
            path = " ".join(_command_of(root, argv)[1])
        write_json(error_envelope(_as_validation_error(e, path)))


def _suggest(e: Any, argv: list[str]) -> None:
    """`--JSON`, `--Json`, `-json`, `--jsn`: did you mean --json? Case-insensitive, and a long option typed
    with one dash (click reads `-json` as `-j` plus more)."""
    import difflib

    ctx = e.ctx
    if ctx is None:
        return
    names = [
        n for p in ctx.command.get_params(ctx) for n in (*p.opts, *p.secondary_opts) if n.startswith("-")
    ]
    typed = e.option_name
    if not typed.startswith("--"):  # `-json` fails as `-j`: take the word as typed
        typed = next(
            (w.split("=", 1)[0] for w in argv if w.startswith(typed) and not w.startswith("--")), typed
        )
    low = typed.lower()
    folded = {n.lower(): n for n in names}
    if low in folded:
        best = [folded[low]]
    elif "-" + low in folded:
        best = [folded["-" + low]]
    elif any(n in folded for n in _SAME_AS.get(low, ())):  # --limit on a paged list: --page-size
        best = [folded[n] for n in _SAME_AS[low] if n in folded][:1]
    else:  # the best matches, and only those nearly as close as the best
        scored = sorted(((difflib.SequenceMatcher(None, low, n).ratio(), n) for n in folded), reverse=True)
        best = [folded[n] for r, n in scored if r >= 0.6 and r >= scored[0][0] - 0.1][:3]
        # a slip in another tool's name for one this command has (`--limt` on a paged list: --page-size),
        # closer than any of its own (it said "did you mean --nl?")
        near = [
            (difflib.SequenceMatcher(None, low, alias).ratio(), alias)
            for alias, same in _SAME_AS.items()
            if any(n in folded for n in same)
        ]
        ratio, alias = max(near, default=(0.0, ""))
        if ratio >= 0.8 and ratio > (scored[0][0] if scored else 0.0):
            best = [folded[n] for n in _SAME_AS[alias] if n in folded][:1]
    if not best:
        return
    e.option_name = typed
    e.possibilities = None
    choices = best[0] if len(best) == 1 else "one of " + ", ".join(best)
    e.message = f"No such option: {typed}. Did you mean {choices}?"


# how many rows, as people type it in other tools, and this command's own name for it
_SAME_AS = {
    "--limit": ("--page-size",),
    "-n": ("--limit", "--page-size"),
    "--count": ("--limit", "--page-size"),
    "--max": ("--limit", "--page-size"),
    "--page-size": ("--limit",),
    "--per-page": ("--page-size", "--limit"),
}


def _out_of_range(e: Any) -> None:
    """`--limit 100` past an option's maximum: say the maximum and the way to the rest (--all, --page) the
    command has [cli-failures]; pydantic's "Input should be less than or equal to 50" said neither."""
    errors = getattr(e.__cause__, "errors", None)
    found = errors() if callable(errors) else []
    if not found or found[0].get("type") not in ("less_than_equal", "greater_than_equal"):
        return
    ctx = found[0].get("ctx") or {}
    if found[0]["type"] == "greater_than_equal":
        e.message = f"at least {ctx.get('ge')}, not {found[0].get('input')}"
        return
    e.message = f"at most {ctx.get('le')}, not {found[0].get('input')}"
    more = more_rows(option_names(e.ctx.command), str(e.param.name))
    if more:
        e.message += f"; {more}"


def more_rows(options: list[str], param: str) -> str | None:
    """How a command whose limit was passed shows more rows, by the options it has: --all, else --page."""
    if param not in ("limit", "page_size"):
        return None
    if "--all" in options:
        return "--all lists every one"
    if "--page" in options and param == "page_size":
        return "--page N shows the next ones"
    if "--offset" in options:
        return "--offset N shows the next ones"
    return None


def _as_validation_error(e: Any, path: str) -> Any:
    """The usage error as the API's 422: field, message and the reference's `type` [error-detail]."""
    from pcrm.errors import ValidationError

    field, kind = "argv", "value_error"
    if isinstance(e, click_errors.NoSuchOption):
        field, kind = e.option_name, "extra_forbidden"
    elif isinstance(e, click_errors.BadOptionUsage):  # an option without its value, a flag given one
        field, kind = e.option_name, "missing" if " requires " in e.message else "value_error"
    elif isinstance(e, click_errors.BadParameter) and (e.param is not None or isinstance(e.param_hint, str)):
        field = _param_name(e.param) if e.param is not None else str(e.param_hint)
        if isinstance(e, click_errors.MissingParameter):
            kind = "missing"
        else:
            errors = getattr(e.__cause__, "errors", None)  # Typer's coercion: pydantic's error type
            found = errors() if callable(errors) else []
            kind = str(found[0].get("type") or kind) if found else kind
    err = ValidationError(
        e.format_message(), field=field, kind=kind, hint=f"`{path} --help` lists what it takes"
    )
    if field == ARGV:  # the command line as a whole, as ["body"] is the whole body
        err.locs[ARGV] = [ARGV]
    return err.at(ARGV)


def _param_name(param: Any) -> str:
    """An option by its long name (--limit), an argument by its name (contact)."""
    opts = [o for o in getattr(param, "opts", ()) if o.startswith("--")] or list(getattr(param, "opts", ()))
    if getattr(param, "param_type_name", "") == "option" and opts:
        return str(opts[0])
    return str(param.name)
