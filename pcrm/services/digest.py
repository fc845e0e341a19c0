"""The weekly digest [weekly-digest]: up to N pending suggestions as plain text, Markdown or HTML.

Each row: the contact's name, a reason label, "Last contact: Mon DD, YYYY" and the draft cut to 117
characters plus "...". The data is GET /suggestions/digest's (archived and 2nd-tier contacts excluded).
"""

from __future__ import annotations

import html
from typing import Any

from pcrm.clock import parse_iso
from pcrm.domain.models import display_name
from pcrm.domain.suggestions import reason_label
from pcrm.errors import ValidationError
from pcrm.services.context import Context, Result
from pcrm.services.suggestions import digest

TITLE = "Your weekly networking digest"
FORMATS = ("text", "md", "html")
PREVIEW = 117


def preview(message: str) -> str:
    return message if len(message) <= PREVIEW else message[:PREVIEW] + "..."


def last_contact(ts: str | None, ctx: Context) -> str:
    if not ts:
        return "never"
    d = parse_iso(ts).astimezone(ctx.tz())
    return f"{d.strftime('%b')} {d.day:02d}, {d.year}"


def _rows(ctx: Context, items: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [
        {
            "id": s["id"],
            "name": display_name(s["contact"]),
            "reason": reason_label(s["trigger_type"]),
            "last": last_contact(s["contact"].get("last_interaction_at"), ctx),
            "channel": s["suggested_channel"],
            "preview": preview(s["suggested_message"]),
        }
        for s in items
    ]


def render(rows: list[dict[str, str]], fmt: str, total: int) -> str:
    if fmt == "text":
        lines = [TITLE, "=" * len(TITLE), ""]
        if not rows:
            lines.append("Nobody to follow up with this week.")
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
        lines = [f"# {TITLE}", ""]
        if not rows:
            lines.append("Nobody to follow up with this week.")
        for r in rows:
            lines += [
                f"## {r['name']}",
                "",
                f"*{r['reason']}* · Last contact: {r['last']} · via {r['channel']}",
                "",
                f"> {r['preview']}",
                "",
            ]
        if total > len(rows):
            lines.append(f"_... and {total - len(rows)} more (`pcrm suggestions list`)._")
        return "\n".join(lines).rstrip("\n") + "\n"
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Ping: {e(TITLE)}</title></head>",
        "<body>",
        f"<h1>{e(TITLE)}</h1>",
    ]
    if not rows:
        parts.append("<p>Nobody to follow up with this week.</p>")
    else:
        parts.append("<ul>")
        parts.extend(
            f"<li><h2>{e(r['name'])}</h2><p><strong>{e(r['reason'])}</strong> · "
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
        raise ValidationError("limit must be a whole number", field="limit") from None
    if n < 1:
        raise ValidationError("limit must be at least 1", field="limit")
    data = digest(ctx)
    rows = _rows(ctx, data.data[:n])
    return Result(
        {"format": fmt, "content": render(rows, fmt, len(data.data)), "count": len(rows)},
        {"total": len(data.data)},
    )
