"""The weekly digest [weekly-digest]: up to N pending suggestions as plain text, Markdown or HTML, under
"Suggested follow-ups", after a "Needs attention" section listing the most overdue high-priority contacts
(as the dashboard does) when there are any.

Each row: the contact's name, a reason label, "Last contact: Mon DD, YYYY" and the draft cut to 117
characters plus "...". The data is GET /suggestions/digest's (archived and 2nd-tier contacts excluded).
"""

from __future__ import annotations

import html
import re
from datetime import timedelta
from typing import Any

from pcrm.clock import parse_iso
from pcrm.domain.models import display_name
from pcrm.domain.suggestions import reason_label
from pcrm.errors import ValidationError
from pcrm.services.context import Context, Result
from pcrm.services.suggestions import digest
from pcrm.services.views import overdue

TITLE = "Your weekly networking digest"
FORMATS = ("text", "md", "html")
PREVIEW = 117


def preview(message: str) -> str:
    """The draft on one line (its line breaks and runs of spaces as one space, so a draft written over
    several lines stays inside its row in every format), cut to PREVIEW characters plus "..."."""
    flat = " ".join(message.split())
    return flat if len(flat) <= PREVIEW else flat[:PREVIEW] + "..."


_MD_MARKUP = re.compile(r"([\\`*_\[\]#|~])")


def md_text(value: str) -> str:
    """`value` as literal Markdown text: HTML and Markdown markup escaped, and a leading list marker
    too, so a name or a draft never turns into a heading, a list, a link or raw HTML."""
    text = _MD_MARKUP.sub(r"\\\1", html.escape(value, quote=False))
    text = re.sub(r"^([-+])(?=\s)", r"\\\1", text)
    return re.sub(r"^(\d+)([.)])(?=\s)", r"\1\\\2", text)


def last_contact(ts: str | None, ctx: Context) -> str:
    if not ts:
        return "never"
    d = parse_iso(ts).astimezone(ctx.tz())
    return f"{d.strftime('%b')} {d.day:02d}, {d.year}"


def _rows(ctx: Context, items: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [
        {
            "id": s["id"],
            "name": s["contact"]["display_name"],  # its service's: the contact here holds no address
            # a birthday says when, as of the digest's day ("Birthday in 2 days", "Birthday 4 days ago")
            "reason": (s["trigger_type"] == "birthday" and s.get("reason"))
            or reason_label(s["trigger_type"]),
            "last": last_contact(s["contact"].get("last_interaction_at"), ctx),
            "channel": s["suggested_channel"],
            "preview": preview(s["suggested_message"]),
        }
        for s in items
    ]


ATTENTION = "Needs attention"
# the heading of the suggestions' section, in every format, whether or not "Needs attention" comes first
FOLLOW_UPS = "Suggested follow-ups"


def _late(days: int) -> str:
    return f"{days} day{'s' if days != 1 else ''} overdue"


def _attention(late: list[dict[str, Any]], late_total: int, fmt: str) -> list[str]:
    """The overdue high-priority contacts, most overdue first, in `fmt` ([] when nobody is overdue)."""
    if not late:
        return []
    more = late_total - len(late)
    if fmt == "text":
        lines = [ATTENTION, "-" * len(ATTENTION)]
        lines += [f"- {c['name']}: {_late(c['days'])}, last contact {c['last']}" for c in late]
        if more > 0:
            lines.append(f"... and {more} more: pcrm contacts overdue --all")
        return [*lines, ""]
    if fmt == "md":
        lines = [f"## {ATTENTION}", ""]
        lines += [f"- **{md_text(c['name'])}**: {_late(c['days'])}, last contact {c['last']}" for c in late]
        if more > 0:
            lines.append(f"- _... and {more} more (`pcrm contacts overdue --all`)_")
        return [*lines, ""]
    e = html.escape
    items = "".join(
        f"<li><strong>{e(c['name'])}</strong>: {_late(c['days'])}, last contact {e(c['last'])}</li>"
        for c in late
    )
    tail = f"<p>... and {more} more.</p>" if more > 0 else ""
    return [f"<h2>{ATTENTION}</h2>", f"<ul>{items}</ul>{tail}"]


NOBODY = "Nobody to follow up with this week."
GENERATE = "pcrm suggestions generate"
WINDOW_DAYS = 7  # the digest's week: a generation older than this found nobody for another week


def _none_generated(last: str | None, ctx: Context) -> str | None:
    """Why the digest has no suggestion when none was generated within its week: never, or not since the
    last generation's day; None when one ran this week (and found nobody) [weekly-digest]."""
    if last is None:
        return "No suggestions have been generated yet"
    if parse_iso(last) < ctx.now() - timedelta(days=WINDOW_DAYS):
        return f"No suggestions generated since {last_contact(last, ctx)}"
    return None


def render(
    rows: list[dict[str, str]],
    fmt: str,
    total: int,
    late: list[dict[str, Any]] | None = None,
    late_total: int = 0,
    none_generated: str | None = None,
) -> str:
    """The digest in `fmt`. `none_generated`: with no row, why none was generated lately (_none_generated),
    said with the command that generates them instead of "Nobody to follow up"."""
    attention = _attention(late or [], late_total, fmt)
    if fmt == "text":
        lines = [TITLE, "=" * len(TITLE), "", *attention, FOLLOW_UPS, "-" * len(FOLLOW_UPS)]
        if not rows:
            lines.append(f"{none_generated}: run {GENERATE}" if none_generated else NOBODY)
        for i, r in enumerate(rows, 1):
            lines += [
                f"{i}. {r['name']} ({r['reason']})",
                f"   Last contact: {r['last']} · via {r['channel']}",
                f"   {r['preview']}",
                "",
            ]
        if total > len(rows):
            lines.append(f"... and {total - len(rows)} more: pcrm suggestions list")
        return "\n".join(lines).rstrip("\n") + "\n"
    if fmt == "md":
        lines = [f"# {TITLE}", "", *attention, f"## {FOLLOW_UPS}", ""]
        if not rows:
            lines.append(f"{none_generated}: run `{GENERATE}`." if none_generated else NOBODY)
        for r in rows:
            lines += [
                f"### {md_text(r['name'])}",  # one level below its section (## Suggested follow-ups)
                "",
                f"*{md_text(r['reason'])}* · Last contact: {r['last']} · via {md_text(r['channel'])}",
                "",
                f"> {md_text(r['preview'])}",
                "",
            ]
        if total > len(rows):
            lines.append(f"_... and {total - len(rows)} more (`pcrm suggestions list`)._")
        return "\n".join(lines).rstrip("\n") + "\n"
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>pcrm: {e(TITLE)}</title></head>",
        "<body>",
        f"<h1>{e(TITLE)}</h1>",
        *attention,
        f"<h2>{FOLLOW_UPS}</h2>",
    ]
    if not rows:
        said = f"{e(none_generated)}: run <code>{GENERATE}</code>." if none_generated else NOBODY
        parts.append(f"<p>{said}</p>")
    else:
        parts.append("<ul>")
        parts.extend(
            f"<li><h3>{e(r['name'])}</h3><p><strong>{e(r['reason'])}</strong> · "
            f"Last contact: {e(r['last'])} · via {e(r['channel'])}</p>"
            f"<blockquote>{e(r['preview'])}</blockquote></li>"
            for r in rows
        )
        parts.append("</ul>")
    if total > len(rows):
        parts.append(f"<p>... and {total - len(rows)} more.</p>")
    parts += ["</body></html>"]
    return "\n".join(parts) + "\n"


def digest_document(ctx: Context, fmt: str = "text", *, limit: Any = 5) -> Result:
    """`pcrm digest --format text|md|html --limit N`: the rendered digest. data = {format, content, count}."""
    if fmt not in FORMATS:
        raise ValidationError(f"unknown format {fmt!r}", field="format", hint="use text, md or html")
    try:
        n = int(limit)
    except (TypeError, ValueError):
        raise ValidationError("limit must be a whole number", field="limit", hint="e.g. --limit 5") from None
    if n < 1:
        raise ValidationError("limit must be at least 1", field="limit", hint="e.g. --limit 5")
    data = digest(ctx)
    rows = _rows(ctx, data.data[:n])
    due = overdue(ctx, limit=n)
    late = [
        {
            "name": display_name(c),
            "days": c["days_overdue"],
            "last": last_contact(c.get("last_interaction_at"), ctx),
        }
        for c in due.data
    ]
    last = data.meta["last_generated_at"]
    content = render(rows, fmt, len(data.data), late, due.meta["total"], _none_generated(last, ctx))
    return Result(
        {"format": fmt, "content": content, "count": len(rows), "overdue": len(late)},
        {"total": len(data.data), "overdue_total": due.meta["total"], "last_generated_at": last},
    )
