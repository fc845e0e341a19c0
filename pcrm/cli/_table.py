"""Lists for people and for pipes [readable-tables].

A list is declared once as columns (`Col`): a name, how to read a cell from an item, whether the column
may be shortened (`flex`) and how early it is dropped when the terminal is narrow (`keep`, higher stays
longer). One declaration prints every `--format`:

- `table` (the default at a terminal): columns chosen by width, dropped rather than squeezed, every row on
  one line (long values end in `…`), headers never cut;
- `plain` (the default when stdout is not a terminal): tab-separated rows, no header, full values (a full id,
  never `…`), so `grep`, `cut` and `awk` see what the store holds;
- `csv`: a header and every value as stored, quoted as needed (a carriage return too); a list cell (tags) as
  `pcrm import` reads it, `a; b` as `pcrm export csv` writes it, so the file imports back [list-csv]; a
  cell a spreadsheet would run as a formula (`=HYPERLINK(...)`) with the apostrophe `pcrm export csv`
  gives it, which `pcrm import` takes off again [csv-formulas];
- `json` / `nl`: the API envelope / one object per line (handled by `run`, as --json and --nl).

`--fields a,b,c` picks and orders columns in every format.

A table's and a plain row's cells are `shown` [terminal-text]: one line each, control characters escaped, so a
value can neither break its row nor reach the terminal as an escape sequence; a table's cells also lose the
invisible format characters (a zero-width space in a name), which would push the rest of a row out of line.
csv and plain rows keep the exact text.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pcrm.cli._output import shown
from pcrm.domain.normalize import visible
from pcrm.errors import ValidationError

FORMATS = ("table", "plain", "csv", "json", "nl")


@dataclass(frozen=True)
class Col:
    name: str
    cell: Callable[[dict[str, Any]], str]  # the full value (plain, csv)
    keep: int = 5  # dropped first when lowest
    flex: bool = False  # may be shortened to `least` (with …) instead of dropped
    least: int = 0  # the narrowest a flex column gets (the header's width at least)
    most: int = 40  # the widest a flex column gets in a table
    short: Callable[[dict[str, Any]], str] | None = None  # the table's cell, when shorter than `cell`
    right: bool = False
    default: bool = True  # shown without --fields
    hide_empty: bool = False  # a table leaves it out when no row has a value (plain and csv keep it)
    # a table's colour for this cell, when it means something (priority, days overdue) [readable-tables];
    # none with NO_COLOR or off a terminal (the console decides)
    style: Callable[[dict[str, Any]], str | None] | None = None
    # the csv cell, when it differs from `cell`: a list written as `pcrm import` reads one [list-csv]
    csv: Callable[[dict[str, Any]], str] | None = None


def resolve_format(
    fmt: str | None, json_out: bool, nl: bool, also: tuple[str, ...] = ()
) -> tuple[str, bool, bool]:
    """(format, json_out, nl): --format json / nl are --json / --nl; without --format a terminal gets a
    table and a pipe plain rows. `also`: the command's own formats, which it answers before this (named
    in the refusal's hint with the others)."""
    if fmt is not None:
        fmt = fmt.strip().lower()
        if fmt not in FORMATS:
            raise ValidationError(
                f"unknown format {fmt!r}", field="format", hint=f"use one of: {', '.join((*FORMATS, *also))}"
            ).on_command_line("--format")
    if json_out or fmt == "json":
        return "json", True, False
    if nl or fmt == "nl":
        return "nl", False, True
    return fmt or ("table" if sys.stdout.isatty() else "plain"), False, False


def pick(cols: Sequence[Col], fields: str | None) -> list[Col]:
    """The columns --fields names, in its order (default: the default ones)."""
    if not fields:
        return [c for c in cols if c.default]
    by_name = {c.name: c for c in cols}
    wanted = [f.strip().lower() for f in fields.split(",") if f.strip()]
    unknown = [f for f in wanted if f not in by_name]
    if unknown or not wanted:
        raise ValidationError(
            f"unknown {'field' if len(unknown) == 1 else 'fields'}: {', '.join(unknown) or '(none given)'}",
            field="fields",
            hint=f"choose from: {', '.join(by_name)}",
        ).on_command_line("--fields")
    return [by_name[f] for f in wanted]


def one_line(text: str) -> str:
    """A cell as a table or a tab-separated row shows it: line breaks and tabs as spaces, every other
    control character escaped [terminal-text]."""
    return shown(" ".join(text.split()) if any(ch in text for ch in "\t\n\r") else text)


SQUEEZE_FROM = 6  # columns kept this much or more are shortened before they are dropped


def fit(
    cols: Sequence[Col], rows: Sequence[Sequence[str]], width: int, gap: int = 2
) -> list[tuple[int, int]]:
    """Which columns a table of this width shows and how wide each is: (index, width) in display order.

    Each column wants its widest cell (flex ones at most `most`); a flex column can give way down to
    `least`, never below its header. Columns kept less than SQUEEZE_FROM are dropped (lowest `keep`
    first) until every column shown has the width it wants; if that is still too wide, flex columns give
    way, and if even their narrowest does not fit, more columns go (the first column always stays). The
    space left goes to the flex columns, left to right."""
    from rich.cells import cell_len  # terminal cells: a CJK character takes two

    want: list[int] = []
    least: list[int] = []
    for i, c in enumerate(cols):
        longest = max([len(c.name), *(cell_len(r[i]) for r in rows)])
        w = min(longest, max(c.most, len(c.name))) if c.flex else longest
        want.append(w)
        least.append(min(w, max(c.least, len(c.name))) if c.flex else w)
    shown = list(range(len(cols)))

    def need(idx: list[int], sizes: list[int]) -> int:  # every column is followed by its gap
        return sum(sizes[i] for i in idx) + gap * len(idx)

    def lowest(idx: list[int]) -> int:
        return min(idx[1:], key=lambda i: (cols[i].keep, -i))

    while len(shown) > 1 and need(shown, want) > width and cols[lowest(shown)].keep < SQUEEZE_FROM:
        shown.remove(lowest(shown))
    while len(shown) > 1 and need(shown, least) > width:
        shown.remove(lowest(shown))
    widths = {i: least[i] for i in shown}
    spare = width - need(shown, least)
    for i in shown:
        if spare <= 0:
            break
        more = min(want[i] - widths[i], spare)
        widths[i] += more
        spare -= more
    return [(i, widths[i]) for i in shown]


def print_rows(
    items: Sequence[dict[str, Any]],
    cols: Sequence[Col],
    fmt: str,
    *,
    title: str | None = None,
    empty: str | None = "nothing to show",
    pager: bool = True,
    asked: bool = False,
) -> None:
    """Print items in `fmt` (table, plain or csv) with these columns. A table taller than the terminal goes
    through $PAGER (less -FRX by default, as git does) unless `pager` is off (--no-pager) or stdout is not a
    terminal. No items: `empty` is said instead (see `nothing`); None says nothing (the caller speaks).
    `asked`: the columns are the ones --fields named, so a table too narrow for some says on stderr which it
    left out [readable-tables]."""
    if not items and fmt != "csv":  # csv still writes its header
        if empty is not None:
            nothing(empty, fmt)
        return
    if fmt == "plain":
        sys.stdout.write("".join("\t".join(one_line(c.cell(it)) for c in cols) + "\n" for it in items))
        sys.stdout.flush()
        return
    if fmt == "csv":
        import csv

        from pcrm.formats.generic_csv import spreadsheet_safe

        writer = csv.writer(sys.stdout, lineterminator="\n")
        # csv quotes a value holding the line terminator, not a lone carriage return, which readers
        # take for the end of a row: such a row is written with every value quoted
        quoted = csv.writer(sys.stdout, lineterminator="\n", quoting=csv.QUOTE_ALL)
        writer.writerow([c.name for c in cols])
        for it in items:
            # a cell a spreadsheet would run gets the apostrophe `pcrm export csv` gives it [csv-formulas]
            row = [spreadsheet_safe((c.csv or c.cell)(it)) for c in cols]
            (quoted if any("\r" in v for v in row) else writer).writerow(row)
        sys.stdout.flush()
        if not items and empty is not None:
            nothing(empty, fmt)
        return
    from rich.table import Table

    from pcrm.cli._output import out

    console = out()
    cols = [c for c in cols if not c.hide_empty or any(c.cell(it) for it in items)]
    # without invisible format characters, whose width a terminal and rich count apart [terminal-text]
    rows = [[visible(one_line((c.short or c.cell)(it))) for c in cols] for it in items]
    layout = fit(cols, rows, console.width)
    table = Table(
        title=title, box=None, show_edge=False, pad_edge=False, padding=(0, 2, 0, 0), header_style="bold"
    )
    for i, w in layout:
        table.add_column(
            cols[i].name,
            width=w,
            no_wrap=True,
            overflow="ellipsis",
            justify="right" if cols[i].right else "left",
        )
    for it, r in zip(items, rows, strict=True):
        table.add_row(*(_cell(cols[i], it, r[i]) for i, _ in layout))
    if pager and wants_pager(len(rows) + 1 + (1 if title else 0), console.height):
        import os

        os.environ.setdefault("LESS", "-FRX")  # colours through, quit when it fits, keep the screen
        with console.pager(styles=True):
            console.print(table)
    else:
        console.print(table)
    left_out = [c.name for i, c in enumerate(cols) if i not in {j for j, _ in layout}]
    if asked and left_out:
        from pcrm.cli._output import err

        err().print(
            f"left out to fit {console.width} columns: {', '.join(left_out)} "
            "(a wider terminal, or --format plain or csv, shows every one)",
            style="dim",
            markup=False,
            soft_wrap=True,
        )


def nothing(message: str, fmt: str) -> None:
    """An empty list says so in words, with the next step to take [readable-tables]: where the table would
    be at a terminal; on stderr in a pipe (plain, csv), so stdout keeps the rows alone (none) and a script
    reading them sees no line that is not a row."""
    from rich.markup import escape

    from pcrm.cli._output import err, out

    (out() if fmt == "table" else err()).print(f"[dim]{escape(message)}[/]")


def _cell(col: Col, item: dict[str, Any], text: str) -> str:
    from rich.markup import escape

    style = col.style(item) if col.style is not None else None
    return f"[{style}]{escape(text)}[/]" if style and text else escape(text)


def wants_pager(lines: int, height: int) -> bool:
    """Whether a table of `lines` lines should be paged: stdout is a terminal and it would scroll away."""
    return sys.stdout.isatty() and lines > height - 1
