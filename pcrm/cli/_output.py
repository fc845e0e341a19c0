"""Running a service from the CLI and printing its result: rich for people, the envelope for scripts.

stdout carries the result only; errors, hints and progress go to stderr. Every command goes through
`run`, so errors are translated once [error-codes]: `error: ...` / `hint: ...`, exit 1, and with --json the
error envelope on stdout too.

The call shape: `run(Opts(...), service_fn, *args, **kwargs)` calls `service_fn(ctx, *args, **kwargs)`.
`Opts` holds the command's own options (--json, --nl, --now) and its renderer, apart from the service's
arguments, and `run` takes both of its own parameters positionally only: no service keyword can collide
with an option of `run`. An argument that needs the open store (a contact named by email, an id prefix)
is passed as `Ref(resolver, text)`.

What people see goes through two helpers here: `moment` / `when` (and `_render.ago`) show a stored UTC
instant in the user's zone [local-days], and `shown` makes control characters in text visible but harmless
[terminal-text]. Every rich console of the CLI applies `shown` to whatever it prints.
"""

from __future__ import annotations

import errno
import os
import re
import sys
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Any

import typer

from pcrm import clock
from pcrm.cli._reads import import_dry_run, only_reads
from pcrm.domain.dates import parse_instant
from pcrm.domain.limits import UTF8_HINT, not_utf8
from pcrm.domain.models import display_name
from pcrm.errors import BadRequest, PcrmError, ValidationError
from pcrm.serialize import dumps, envelope, error_envelope
from pcrm.services.context import open_context

# C0 and C1 controls, DEL, the Unicode line separators and bidi overrides, but not newline and tab, which a
# terminal shows as layout [terminal-text]
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape_control(m: re.Match[str]) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def shown(text: str) -> str:
    """`text` safe to print to a terminal [terminal-text]: every control character but newline and tab
    written as `\\xNN` / `\\uNNNN` (as [safe-logs] writes them), so a message someone sent cannot move the
    cursor, recolour the screen, set the window title or ring the bell."""
    return _CONTROL.sub(_escape_control, text) if _CONTROL.search(text) else text


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    class SafeConsole(Console):
        """A console whose every string is made `shown` before rich reads its markup: print's arguments,
        table cells, titles. Controls are never markup, so the styles the code writes are kept. No emoji
        codes: a note saying `:thumbs_up:` prints as typed."""

        def render_str(self, text: str, **kwargs: Any) -> Any:
            return super().render_str(shown(text), **kwargs)

        def on_broken_pipe(self) -> None:
            # [pipe-friendly-output]: `pcrm paths | head -1` stops quietly with exit 0, as a table or
            # --json into a closed pipe does; rich's own handling exits 1, which fails a `set -o pipefail`
            # script. A closed stderr keeps rich's way: nothing more can be said anywhere.
            if self.stderr:
                super().on_broken_pipe()
            self.quiet = True
            closed_pipe()

    stream = sys.stderr if stderr else sys.stdout
    # [daily-output]: NO_COLOR (set and not empty, as no-color.org and rich read it) means plain text: no
    # colour and no bold or dim either. rich's own no_color drops only the colours, so the console gets no
    # colour system at all, which makes it write no escape codes, even under FORCE_COLOR.
    plain = os.environ.get("NO_COLOR", "") != ""
    return SafeConsole(
        stderr=stderr,
        no_color=plain or None,
        color_system=None if plain else "auto",
        highlight=False,
        # [pipe-friendly-output]: wrapping is for a reader at a terminal; into a pipe or a file a line
        # stays one line, so `pcrm paths | grep database` gets the whole path
        soft_wrap=not _is_terminal(stream),
        emoji=False,
    )


def _is_terminal(stream: Any) -> bool:
    """Whether `stream` is a terminal; a stream without isatty (a test's capture) is not."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def out() -> Any:
    return _console()


def err() -> Any:
    return _console(stderr=True)


def write_json(obj: Any) -> None:
    sys.stdout.buffer.write(dumps(obj) + b"\n")
    sys.stdout.flush()


def fail(
    e: PcrmError,
    json_out: bool = False,
    *,
    options: tuple[tuple[str, str], ...] = (),
    words: Callable[[PcrmError], None] | None = None,
) -> None:
    """Say the error on stderr (with --json, its envelope on stdout first, in the API's terms), exit 1.
    `options`: the API fields the command's options fill, named as the options on stderr; `words`: the
    command's own wording of an error on stderr, after the envelope."""
    from rich.markup import escape

    if isinstance(e, ValidationError):
        _options_hint(e)
    if json_out:
        write_json(_encodable(error_envelope(e)))
    if words is not None:
        words(e)
    in_cli_terms(e, options)
    _typed_option(e, options)
    console = err()
    # one line each, whatever the terminal width: scripts grep these
    console.print(f"[bold red]error:[/] {escape(e.message)}", soft_wrap=True)
    if e.hint:
        console.print(f"[yellow]hint:[/] {escape(e.hint)}", soft_wrap=True)
    raise typer.Exit(1)


def _encodable(obj: Any) -> Any:
    """`obj` with every lone surrogate in its text written as `\\udcff`, as stderr shows it: an error may
    quote what the user typed (`no identity match with id ...`), and text that is not valid UTF-8 would
    make the JSON encoder fail on the error envelope itself [text-limits]."""
    if isinstance(obj, str):
        return obj.encode("utf-8", "backslashreplace").decode("utf-8") if not_utf8("", obj) else obj
    if isinstance(obj, dict):
        return {_encodable(k): _encodable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_encodable(v) for v in obj]
    return obj


def _options_hint(e: ValidationError) -> None:
    """A service's limit or page size past its maximum, said in the command's terms [cli-failures]: the
    option as typed (--limit, not limit) and what shows more rows (--all, --page) where the command has it."""
    from typer._click.globals import get_current_context

    ctx = get_current_context(silent=True)
    if ctx is None:
        return
    for f in e.details.get("fields") or []:
        field = f.get("field")
        if field not in ("limit", "page_size") or e.kinds.get(field) != "less_than_equal":
            continue
        from pcrm.cli._root import more_rows, option_names

        option = "--" + field.replace("_", "-")
        more = more_rows(option_names(ctx.command), field)
        e.hint = (e.hint or "").replace(f"give {field} from", f"give {option} from")
        e.hint = f"{e.hint}; {more}" if more else e.hint
        return


def _typed_option(e: PcrmError, options: tuple[tuple[str, str], ...] = ()) -> None:
    """An error about a value the user gave an option names the option as typed [cli-failures]: `unknown
    platform 'zzz'` from `pcrm log X --platform zzz` is `--platform: unknown platform 'zzz'` (the hint lists
    the choices); `limit must be ...` is `--limit must be ...`. Only for an option given on the command line
    whose name is the error's field (or that `options` pairs with it, as Opts declares them), and only when
    the message does not name an option already. An error that is no validation_error names its field by
    `about` (`cannot send through 'zzz'` from `pcrm send --channel zzz`)."""
    from typer._click.core import ParameterSource
    from typer._click.globals import get_current_context

    ctx = get_current_context(silent=True)
    if isinstance(e, ValidationError):
        fields = [f.get("field") for f in e.details.get("fields") or []]
    else:
        fields = [e.about] if getattr(e, "about", None) else []
    if ctx is None or not fields or e.message.startswith("-"):
        return
    from pcrm.cli._root import typed_argv

    argv = typed_argv(ctx)
    for p in getattr(ctx.command, "params", ()):
        if getattr(p, "param_type_name", "") != "option":
            continue
        # the field by the option's name in Python (page_size) or on the command line (`fmt` is --format)
        field = next(
            (
                f
                for f in fields
                if f == p.name
                or "--" + str(f).replace("_", "-") in p.opts
                or any(name == f and option in p.opts for name, option in options)
            ),
            None,
        )
        if field is None:
            continue
        if ctx.get_parameter_source(p.name) != ParameterSource.COMMANDLINE:
            continue
        longest = max(p.opts, key=len)
        typed = next((o for o in p.opts if any(a == o or a.startswith(o + "=") for a in argv)), longest)
        if typed in e.message:
            return
        # `limit must be ...` is `--limit must be ...`; `phone_region: 'ZZ' is not ...` is `--phone-region:
        # 'ZZ' is not ...`, not the option and then the field
        head = next((h for h in (f"{field} ", f"{field}:") if e.message.startswith(h)), None)
        e.message = typed + e.message[len(field) :] if head else f"{typed}: {e.message}"
        return


def at_terminal() -> bool:
    """Whether someone can answer a question: stdin is a terminal (tests replace this)."""
    return sys.stdin.isatty()


def confirm(yes: bool, question: str) -> None:
    """The gate of a destructive command [confirm-destructive]: --yes goes ahead; at a terminal the user is
    asked (on stderr, so --json keeps stdout clean) and a no is `nothing changed`, exit 1; anywhere else
    (a script, a pipe, cron) it refuses with a hint to add --yes, exit 1."""
    if yes:
        return
    if not at_terminal():
        raise BadRequest(
            f"not at a terminal, so nobody was asked: {question} Nothing changed.",
            hint="add --yes to go ahead",
            details={"confirmation": "required"},
        )
    if not typer.confirm(shown(question), default=False, err=True):
        raise BadRequest("nothing changed", details={"confirmation": "declined"})


def ask_at_terminal(yes: bool, question: str) -> None:
    """The question of a big change that can be taken back (a bulk update, its undo) [bulk-undo]: at a
    terminal without --yes the user is asked and a no is `nothing changed`, exit 1; a script, a pipe or
    cron is not asked (unlike `confirm`, it goes ahead as it always did)."""
    if yes or not at_terminal():
        return
    if not typer.confirm(shown(question), default=False, err=True):
        raise BadRequest("nothing changed", details={"confirmation": "declined"})


def set_clock(now: str | None) -> None:
    """Pin the clock to --now, which takes what --at takes [pinned-clock] [time-range]: a time without a
    zone is read in the store's zone (clock.Pin, read when a service asks the time), `yesterday` and
    `3d ago` are counted from the clock it replaces ($PCRM_NOW, else the real one). A bad --now (or a bad
    $PCRM_NOW, which Typer passes as --now) is refused here, before the store is opened."""
    clock.set_now(None)
    if not now:
        return
    if now == os.environ.get("PCRM_NOW"):
        clock.now()  # the clock reads $PCRM_NOW itself
        return
    real = datetime.now(UTC)

    def read(tz: tzinfo) -> datetime:
        try:  # one real moment for every zone's reading: `3d ago` is the same instant in all of them
            base = clock.unpinned(lambda: tz) if os.environ.get("PCRM_NOW") else real
        except PcrmError:
            # --now replaces $PCRM_NOW, so a bad one does not stop it: `3d ago` counts from the real clock
            base = real
        return parse_instant(now, field="--now", tz=tz, now=base)

    read(clock.SYSTEM_ZONE)
    clock.set_now(clock.Pin(now, read))


@dataclass(frozen=True)
class Opts:
    """A command's own options and how it prints: --json (the envelope), --nl (one JSON object per line),
    --now (the clock), `render` for people (default: the data as JSON), `create` (open a missing store),
    `migrate` (False: open the store as it is, even one a newer pcrm wrote [opening-the-store])."""

    json_out: bool = False
    nl: bool = False
    now: str | None = None
    render: Callable[[Any], None] | None = None
    create: bool = True
    migrate: bool = True
    # the API fields this command's options fill, (field, option): an error naming the field names the
    # option the user typed instead (`occurred_at must be ...` -> `--at must be ...`) [cli-failures]
    options: tuple[tuple[str, str], ...] = ()
    # the command's own words for an error on stderr, as `--where` names the filters it gives
    words: Callable[[PcrmError], None] | None = None


@dataclass(frozen=True)
class Ref:
    """An argument resolved in the open store just before the call: `resolve(ctx, text)`, e.g.
    `Ref(contacts.resolve_ref, "ada@example.com")` for a contact's id. Resolved in argument order, so
    the first reference that matches nothing is the one reported."""

    resolve: Callable[[Any, str], Any]
    text: str


def _value(ctx: Any, arg: Any) -> Any:
    return resolve(ctx, arg) if isinstance(arg, Ref) else arg


def resolve(ctx: Any, ref: Ref) -> Any:
    """Resolve a reference; when it fits several (details.candidates) and someone is at the terminal, ask
    which one with a numbered list on stderr [contact-references]. Anywhere else the error stands."""
    try:
        return ref.resolve(ctx, ref.text)
    except BadRequest as e:
        cands = e.details.get("candidates")
        if not cands or not at_terminal():
            raise
        return _pick(ref.text, cands, e)


def _pick(text: str, cands: list[dict[str, Any]], e: PcrmError) -> Any:
    from rich.markup import escape

    console = err()
    # the list below is the choice: the error's message, which names them all in one paragraph, is not said
    # again above it; where the reference fits more than are offered, the list says so and how to reach them
    count = int(e.details.get("count") or len(cands))
    first = f"; the first {len(cands)}" if count > len(cands) else ""
    console.print(f"{escape(text)!r} matches {count} contacts{first}:", soft_wrap=True)
    for n, c in enumerate(cands, 1):
        extra = "  ".join(str(x) for x in (c.get("company"), c.get("email")) if x)
        console.print(
            f"  [bold]{n}[/]  {escape(c.get('display_name') or c.get('name') or display_name(c))}  "
            f"[dim]{c['id'][:8]}[/]  {escape(extra)}",
            soft_wrap=True,
        )
    if count > len(cands):
        console.print(
            f"  and {count - len(cands):,} more: stop here and name one by its full name, email or id"
        )
        import shlex

        console.print(
            f"  (`pcrm contacts list --search {escape(shlex.quote(text))}` lists them all)", soft_wrap=True
        )
    choice = typer.prompt(
        f"which one (1-{len(cands)}, empty to stop)", default="", show_default=False, err=True
    )
    if choice.strip().isdigit() and 1 <= int(choice) <= len(cands):
        return cands[int(choice) - 1]["id"]
    raise BadRequest("nothing chosen, nothing changed", hint=e.hint, details=e.details)


def run(opts: Opts, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    """Open the store, call fn(ctx, *args, **kwargs) (each Ref resolved first), print its Result."""
    try:
        set_clock(opts.now)
        # a command that only reads makes no store where there is none [opening-the-store]
        create = opts.create and not only_reads()
        with open_context(
            create=create, migrate=opts.migrate, scratch=create and import_dry_run(), notice=say_updating
        ) as ctx:
            try:
                result = fn(
                    ctx, *[_value(ctx, a) for a in args], **{k: _value(ctx, v) for k, v in kwargs.items()}
                )
            except UnicodeEncodeError as exc:
                bad = _undecodable(fn, args, kwargs)
                if bad is None:
                    raise
                raise ValidationError(not_utf8(*bad) or "", field=bad[0], hint=UTF8_HINT) from exc
            except OSError as exc:  # a path the user typed that no file system takes
                if exc.errno != errno.ENAMETOOLONG:
                    raise
                raise BadRequest(
                    f"the file name is too long for the file system: {str(exc.filename)!r}",
                    hint="give a shorter path (most file systems take 255 bytes a name, 4,096 a path)",
                ) from exc
            # people see times in the zone their input is read in; --json and --nl stay the API's UTC
            zone = _zone_of(ctx) if opts.render is not None and not (opts.json_out or opts.nl) else None
    except PcrmError as e:  # a store that stays locked arrives here too, as a conflict (Context)
        fail(e, opts.json_out, options=opts.options, words=opts.words)
        return None
    except BrokenPipeError:
        closed_pipe()
    token = _ZONE.set(zone)
    try:
        if _not_connected(result):
            if opts.json_out or opts.nl:
                emit(result, json_out=opts.json_out, nl=opts.nl)
            _say_not_connected(result.data)
        emit(result, json_out=opts.json_out, nl=opts.nl, render=opts.render)
    except BrokenPipeError:
        closed_pipe()
    finally:
        _ZONE.reset(token)
    return result


def say_updating(line: str) -> None:
    """What a migration of a store holding data says before it runs and after [migration-notice]: on
    stderr, so `--json` and `--nl` keep stdout the envelope."""
    from rich.markup import escape

    err().print(escape(line), soft_wrap=True)


def _not_connected(result: Any) -> bool:
    """A per-contact refresh or sync whose source is not connected: the API answers its 200 skip so the
    reference's pages stay quiet, but here nothing the user asked for could be done [idle-answers]."""
    meta = getattr(result, "meta", None)
    return isinstance(meta, dict) and bool(meta.get("not_connected")) and isinstance(result.data, dict)


def _say_not_connected(data: dict[str, Any]) -> None:
    """Say it as a failure is said (`error:`, `hint:` on stderr, exit 1); stdout keeps the envelope of
    --json / --nl, the API's bytes."""
    from rich.markup import escape

    console = err()
    console.print(f"[bold red]error:[/] {escape(str(data.get('message') or data['reason']))}", soft_wrap=True)
    if data.get("hint"):
        console.print(f"[yellow]hint:[/] {escape(str(data['hint']))}", soft_wrap=True)
    raise typer.Exit(1)


def _undecodable(
    fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[str, str] | None:
    """The first text argument that is not valid UTF-8 (bytes typed or pasted in another encoding reach
    Python as lone surrogates), as (the service's parameter name, or a filter's key, and the text); None
    when there is none. Such text makes SQLite fail when a lookup or a filter reaches it, and `run` says
    so as the 422 of [text-limits] instead of a traceback. Looked for only after that failure: a file
    name may hold such bytes, and the file system takes them."""
    import inspect

    try:
        names = [p.name for p in inspect.signature(fn).parameters.values()][1:]  # after ctx
    except (TypeError, ValueError):
        names = []
    given = [(names[i] if i < len(names) else "argument", a) for i, a in enumerate(args)]
    given += list(kwargs.items())
    while given:
        name, value = given.pop(0)
        if isinstance(value, Ref):
            value = value.text
        if isinstance(value, str) and not_utf8(name, value):
            return name, value
        if isinstance(value, dict):  # a service's filters or body, named by their own keys
            given[:0] = [(str(k), v) for k, v in value.items()]
        elif isinstance(value, (list, tuple)):
            given[:0] = [(name, v) for v in value]
    return None


def in_cli_terms(e: PcrmError, options: tuple[tuple[str, str], ...]) -> PcrmError:
    """The error with the API fields the command's options fill named as those options, in its message and
    hint, for the words on stderr (the --json envelope keeps the API's terms)."""
    import re

    fields = e.details.get("fields") if isinstance(e, ValidationError) else None
    about = {f.get("field") for f in fields or []}
    for field, option in options:
        # not after --clear, which takes field names (`--clear emails`), nor inside a dotted name
        # (`high` in `priority.high`)
        word = re.compile(rf"(?<![\w.-])(?<!--clear ){re.escape(field)}(?![\w-])")
        # an argument (its help's name, OLD) has a field named by a common word (`old`, `tag`): said only in
        # an error about that field, where the field comes first (`tag must be a tag` -> `TAG must be a tag`)
        once = option.isupper()
        if once and field not in about:
            continue
        e.message = word.sub(option, e.message, count=int(once))
        if e.hint:
            e.hint = word.sub(option, e.hint, count=int(once))
    return e


def closed_pipe() -> None:
    """`pcrm ... | head`: the reader went away. Stop quietly with exit 0, as the reader asked for no more
    (typer's own handling would exit 1); stdout goes to /dev/null so the exit's flush cannot complain."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    raise typer.Exit(0)


def emit(
    result: Any, *, json_out: bool, nl: bool = False, render: Callable[[Any], None] | None = None
) -> None:
    if json_out:
        write_json(envelope(result.data, result.meta))
    elif nl:
        items = result.data if isinstance(result.data, list) else [result.data]
        for item in items:
            sys.stdout.buffer.write(dumps(item) + b"\n")
        sys.stdout.flush()
    elif render is not None:
        render(result)
    else:
        out().print_json(dumps(result.data).decode())


# the zone the command's store reads times in, set by `run` while it prints [local-days]
_ZONE: ContextVar[tzinfo | None] = ContextVar("pcrm_display_zone", default=None)


def display_zone() -> tzinfo:
    """The zone moments are shown in [local-days]: the one `--at` and every other input is read in
    (Context.tz(): the `timezone` setting, else the system's). `run` captures it from the open store; a
    renderer called without `run` reads it from the store, if there is one."""
    tz = _ZONE.get()
    if tz is not None:
        return tz
    try:
        with open_context(create=False) as ctx:
            return _zone_of(ctx)
    except PcrmError:  # no store yet
        from pcrm.domain.dates import local_zone

        return local_zone()


def _zone_of(ctx: Any) -> tzinfo:
    """The context's zone; the system's if the store can no longer say (the account was just deleted)."""
    try:
        return ctx.tz()
    except PcrmError:
        from pcrm.domain.dates import local_zone

        return local_zone()


def local_time(ts: str) -> datetime | None:
    """A stored instant in the display zone; None for a date without a time of day (a birthday, a due
    day: it names the same day everywhere and must not shift) and for anything that is not ISO 8601."""
    if "T" not in ts:
        return None
    try:
        return clock.parse_iso(ts).astimezone(display_zone())
    except ValueError:
        return None


def local_date(ts: str) -> date | None:
    """The calendar day of a stored instant in the display zone, or of a bare date as written."""
    dt = local_time(ts)
    if dt is not None:
        return dt.date()
    try:
        return date.fromisoformat(ts[:10])
    except ValueError:
        return None


def moment(ts: str | None) -> str:
    """An instant for people: `YYYY-MM-DD HH:MM` in the display zone [local-days]; '-' for none; a date
    alone (or anything unreadable) as it is."""
    if not ts:
        return "-"
    dt = local_time(ts)
    return ts if dt is None else f"{dt.date().isoformat()} {dt:%H:%M}"


def when(ts: str | None) -> str:
    """The day of an instant for people, in the display zone [local-days]; '-' for none."""
    if not ts:
        return "-"
    d = local_date(ts)
    return ts[:10] if d is None else d.isoformat()


def everything(all_: bool, nl: bool, **paging: Any) -> bool:
    """Whether a list command asks its service for every row: --all, or --nl without a paging option
    [complete-lists]. `paging`: the command's paging options by name (limit, offset, page, page_size);
    --all with one of them is a usage error: `interactions list Ada --all --limit 3` listed every one and
    dropped the limit without a word."""
    given = [f"--{name.replace('_', '-')}" for name, value in paging.items() if value is not None]
    if all_ and given:
        import typer

        raise typer.BadParameter(
            f"--all lists every one, so it takes no {' or '.join(given)}; give one or the other",
            param_hint="--all",
        )
    return all_ or (nl and not given)


EVERY_ONE = "--all for every one"


def footer_text(meta: dict[str, Any], shown: int, more: str = EVERY_ONE) -> str | None:
    """`showing N of M` for a list whose meta knows its total [complete-lists]: a cut list always says so,
    with the range, the page and, when rows follow, the option that shows them. None when there is no
    total."""
    total = meta.get("total")
    if not isinstance(total, int) or total <= 0:
        return None
    if "total_pages" in meta:
        start = (meta["page"] - 1) * meta["page_size"] + 1
    elif "offset" in meta:
        start = meta["offset"] + 1
    else:
        start = 1
    if shown == 0 and start > total:  # an empty page past the end: not an error, but say so
        if "total_pages" in meta:
            return f"page {meta['page']} is past the last page ({meta['total_pages']})"
        return f"offset {meta['offset']} is past the end ({total} in all)"
    end = start + shown - 1
    # a search with very many matches stopped counting [contact-search]: its total (and so its page count)
    # is a lower bound, not a rough figure ("about 1000" read as "some 1000" where 4,541 matched)
    estimate = bool(meta.get("total_is_estimate"))
    plus = "+" if estimate else ""
    text = f"showing {start}–{end} of {total}{plus}" if start > 1 else f"showing {shown} of {total}{plus}"
    if meta.get("total_pages", 1) > 1 or estimate:
        text += f" (page {meta['page']} of {meta['total_pages']}{plus})"
    # a list's own way forward ('--offset N or --limit N for more') only when rows follow: past the last row
    # ('--offset 1' of 2) nothing more comes; --all, which brings the rows before too, whenever some were
    # left out [complete-lists]
    if end < total or estimate or (start > 1 and more == EVERY_ONE):
        text += f" · {more}"
    return text


def page_footer(meta: dict[str, Any], shown: int | None = None, more: str = EVERY_ONE) -> None:
    """The footer of a list on stderr (stdout stays the rows alone): see footer_text."""
    if shown is None:
        shown = int(meta.get("count", 0) or 0)
    text = footer_text(meta, shown, more)
    if text is not None:
        err().print(f"[dim]{text}[/]", soft_wrap=True)
