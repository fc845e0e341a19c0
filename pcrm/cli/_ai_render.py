"""Printing AI results: the exact prompts of a --dry-run [ai-prompts], drafts, fields and tags."""

from __future__ import annotations

import sys
from typing import Any

from pcrm.cli._output import err, out, shown
from pcrm.cli._render import undo_line
from pcrm.domain.wording import counted, listed_tags


def dry_run(result: Any) -> None:
    """Each prompt on stdout (what would leave the machine; control characters escaped [terminal-text],
    --json has them as they are), the framing on stderr."""
    d = result.data
    console = err()
    n = len(d["prompts"])
    if d["would_send"]:
        from rich.markup import escape

        console.print(
            f"[dim]dry run: {counted(n, 'prompt')} for model {escape(d['model'])} (from {d['setting']}); "
            "nothing sent[/]"
        )
    else:
        console.print(
            "[dim]dry run: no AI model is set, so nothing would leave the machine; "
            f"{counted(n, 'prompt')}:[/]"
        )
    for i, p in enumerate(d["prompts"], 1):
        if n > 1:
            console.print(f"[dim]--- prompt {i} of {n} ---[/]")
        sys.stdout.write(shown(p) + "\n")
    sys.stdout.flush()
    if d.get("then"):
        console.print(f"[dim]then: {d['then']}[/]")


def either(render: Any) -> Any:
    def show(result: Any) -> None:
        if result.meta.get("dry_run"):
            dry_run(result)
        else:
            render(result)

    return show


def fields(result: Any) -> None:
    got = result.data["fields_updated"]
    out().print(f"updated: {', '.join(got)}" if got else "nothing to update")


def tags_added(result: Any) -> None:
    d = result.data
    out().print(
        f"added: {listed_tags(d['tags_added']) or '(none)'} · tags now: {listed_tags(d['all_tags']) or '-'}",
        markup=False,  # tags are the user's (or the model's) words
    )
    undo_line(result)  # [bulk-undo]: the model's tags can be taken off again
    if result.meta.get("note"):  # `2nd tier` given to someone you talked with: kept, said [second-tier]
        err().print(f"note: {result.meta['note']}", markup=False, soft_wrap=True)
