"""From a service's Result to what a tool answers: Markdown for the agent to read and the structured
content of the tool's schema (pcrm/mcp/schemas.py). Presentation only: which fields, in what words.

Every renderer puts store text through `text.cell`/`text.clean` inside the one fence of `text.answer`
[untrusted-text]; the framing around it says only what pcrm itself knows (counts, ids, what to do next).
"""

from __future__ import annotations

from typing import Any

from pcrm.domain.models import display_name
from pcrm.domain.scoring import tier
from pcrm.domain.wording import counted, listed_tags
from pcrm.mcp import text
from pcrm.mcp.text import cell, day, minute
from pcrm.services.context import Result

Rendered = tuple[str, dict[str, Any]]

_HANDLES = {
    "twitter": "twitter_handle",
    "telegram": "telegram_username",
    "instagram": "instagram_username",
    "linkedin": "linkedin_url",
    "whatsapp": "whatsapp_phone",
}
_BIOS = {
    "twitter": "twitter_bio",
    "telegram": "telegram_bio",
    "linkedin_headline": "linkedin_headline",
    "linkedin": "linkedin_bio",
    "whatsapp": "whatsapp_about",
}


def summary(c: dict[str, Any]) -> dict[str, Any]:
    score = int(c.get("relationship_score") or 0)
    return {
        "id": c["id"],
        "full_name": c.get("full_name"),
        "company": c.get("company"),
        "title": c.get("title"),
        "score": score,
        "tier": tier(score),
        "priority_level": c["priority_level"],
        "last_interaction_at": c.get("last_interaction_at"),
        "tags": list(c.get("tags") or []),
    }


def _contact_rows(items: list[dict[str, Any]], shown: list[str], *extra: str) -> str:
    """`shown`: each contact's name as lists show it, by its address or number when it has none
    [display-name] (the summaries hold no addresses to work it out from)."""
    headers = ["Name", "Company", "Title", "Score", "Last interaction", "Tags", *extra, "id"]
    rows = [
        [
            cell(name),
            cell(c["company"]),
            cell(c["title"]),
            f"{c['score']}/10 ({c['tier']})",
            day(c["last_interaction_at"]),
            cell(listed_tags(c["tags"])),
            *[str(c[k]) for k in extra],
            c["id"],
        ]
        for c, name in zip(items, shown, strict=True)
    ]
    return text.table(headers, rows)


def contact_list(result: Result) -> Rendered:
    items = [summary(c) for c in result.data]
    total = int(result.meta.get("total", len(items)))
    if not items:
        return text.answer("No contacts found matching your criteria."), {"contacts": [], "total": total}
    verb = "matches" if total == 1 else "match"
    head = f"**{counted(total, 'contact')}** {verb}; {len(items)} shown, best score first."
    more = "Ask with a larger `limit` or narrower filters for others." if total > len(items) else None
    shown = [display_name(c) for c in result.data]
    return text.answer(head, _contact_rows(items, shown), more), {"contacts": items, "total": total}


def _labelled(values: list[str], labels: list[str | None]) -> list[str]:
    """Each value with its label, as `pcrm contacts show` says it: `+44 7700 900123 (mobile)`."""
    return [f"{v} ({label})" if label else v for v, label in zip(values, labels, strict=False)]


def profile(result: Result) -> Rendered:
    c = result.data
    data = {
        **summary(c),
        "given_name": c.get("given_name"),
        "family_name": c.get("family_name"),
        "emails": list(c.get("emails") or []),
        "phones": list(c.get("phones") or []),
        "email_labels": list(c.get("email_labels") or [None] * len(c.get("emails") or [])),
        "phone_labels": list(c.get("phone_labels") or [None] * len(c.get("phones") or [])),
        "location": c.get("location"),
        "birthday": c.get("birthday"),
        "notes": c.get("notes"),
        "handles": {k: c[f] for k, f in _HANDLES.items() if c.get(f)},
        "bios": {k: c[f] for k, f in _BIOS.items() if c.get(f)},
        "other_values": [
            {"what": o["what"], "value": o["value"], "kind": o["kind"], "label": o["label"]}
            for o in c.get("other_values") or []
        ],
        "interaction_count": int(c.get("interaction_count") or 0),
        "last_followup_at": c.get("last_followup_at"),
        "created_at": c["created_at"],
    }
    role = " at ".join(cell(v) for v in (data["title"], data["company"]) if v)
    lines = [f"## {cell(display_name(c))}", role or None]
    facts = [
        ("Emails", cell(_labelled(data["emails"], data["email_labels"]))),
        ("Phones", cell(_labelled(data["phones"], data["phone_labels"]))),
        ("Handles", cell([f"{k}: {v}" for k, v in data["handles"].items()])),
        ("Location", cell(data["location"])),
        ("Birthday", cell(data["birthday"])),
        ("Tags", cell(listed_tags(data["tags"]))),
        ("Notes", cell(data["notes"], 2000)),
    ]
    lines += [f"- **{k}:** {v}" for k, v in facts if v != "-"]
    if data["bios"]:
        lines += ["", "## Bios", *[f"- **{k}:** {cell(v, 1000)}" for k, v in data["bios"].items()]]
    if data["other_values"]:  # what `pcrm contacts show` lists under the contact's own fields [other-values]
        lines += [
            "",
            "## Other values",
            *[f"- **{cell(o['what'])}:** {cell(o['value'], 1000)}" for o in data["other_values"]],
        ]
    head = (
        f"Contact `{data['id']}`: score {data['score']}/10 ({data['tier']}), "
        f"priority {data['priority_level']}, {counted(data['interaction_count'], 'interaction')}, "
        f"last {day(data['last_interaction_at'])}."
    )
    return text.answer(head, "\n".join(x for x in lines if x is not None)), data


def interaction(i: dict[str, Any]) -> dict[str, Any]:
    extra = i.get("extra_data")
    return {
        "id": i["id"],
        "contact_id": i["contact_id"],
        "occurred_at": i["occurred_at"],
        "platform": i["platform"],
        "direction": i["direction"],
        "text": i.get("content_preview"),
        "read_by_recipient": i.get("is_read_by_recipient"),
        "recorded_by": extra.get("recorded_by") if isinstance(extra, dict) else None,
    }


def _ticks(i: dict[str, Any]) -> str:
    # the reference's read receipts: ✓ delivered, ✓✓ read
    read = i["read_by_recipient"]
    return "" if read is None else " ✓✓" if read else " ✓"


def _interaction_line(i: dict[str, Any]) -> str:
    via = f" via {i['recorded_by']}" if i["recorded_by"] else ""
    return (
        f"- **{minute(i['occurred_at'])}** [{i['platform']}] ({i['direction']}){_ticks(i)}{via}: "
        f"{cell(i['text'], 500)}"
    )


def interaction_list(result: Result) -> Rendered:
    """meta.contact_id: the contact the tool resolved (the list may be empty); meta.platform: the one
    platform asked for, if any; meta.upcoming / upcoming_total: the planned interactions (after now),
    soonest first, said apart from what happened, as `pcrm interactions list` shows them
    [future-interactions]."""
    contact_id = result.meta["contact_id"]
    only = result.meta.get("platform")
    items = [interaction(i) for i in result.data]
    ahead = [interaction(i) for i in result.meta.get("upcoming") or ()]
    total = int(result.meta.get("total", len(items)))
    ahead_total = int(result.meta.get("upcoming_total", len(ahead)))
    data = {
        "contact_id": contact_id,
        "interactions": items,
        "total": total,
        "upcoming": ahead,
        "upcoming_total": ahead_total,
    }
    kind = f"{only} interaction" if only else "interaction"
    # the planned ones after what happened, under their own heading, in the same fence: their text is the
    # store's (untrusted) as the others' is
    lines = [_interaction_line(i) for i in items]
    planned = ""
    if ahead:
        shown = "" if len(ahead) == ahead_total else f", the {len(ahead)} soonest listed"
        planned = (
            f" Upcoming, listed apart after them: {counted(ahead_total, 'planned ' + kind)}{shown}, soonest "
            "first; they count for nothing until their time comes."
        )
        lines += ["Upcoming (planned):", *(_interaction_line(i) for i in ahead)]
    if not items:
        others = " Ask without `platform` for the other platforms." if only else ""
        said = f"No {kind}s recorded for contact `{contact_id}`.{others}"
        if ahead:
            said = f"Nothing has happened yet: no {kind}s recorded for contact `{contact_id}`.{planned}"
        return text.answer(said, "\n".join(lines) or None), data
    head = f"**{counted(total, kind)}** with contact `{contact_id}`; the {len(items)} newest:{planned}"
    return text.answer(head, "\n".join(lines)), data


def one_interaction(result: Result) -> Rendered:
    i = interaction(result.data)
    head = f"Recorded {i['platform']} {i['direction']} `{i['id']}` on contact `{i['contact_id']}`."
    # the service's warning, as the CLI prints it (a date far ahead is "kept as planned"): pcrm's own words
    # (a date, a direction), said outside the fence
    note = result.meta.get("note")
    return text.answer(head, _interaction_line(i), f"Note: {note}" if note else None), i


def suggestion(s: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": s["id"],
        "contact_id": s["contact_id"],
        "contact_name": (s.get("contact") or {}).get("full_name"),
        "trigger_type": s["trigger_type"],
        "reason": s.get("reason"),
        "suggested_message": s["suggested_message"],
        "suggested_channel": s["suggested_channel"],
        "status": s["status"],
        "scheduled_for": s.get("scheduled_for"),
        "created_at": s["created_at"],
    }


def _suggestion_line(s: dict[str, Any], shown: str) -> str:
    """`shown`: the contact as lists show it, by its address or number when it has no name [display-name]."""
    return (
        f"- **{cell(shown)}** ({s['trigger_type']}, {day(s['created_at'])}, "
        f"via {s['suggested_channel']}, id `{s['id']}`): {cell(s['suggested_message'], 600)}"
    )


def suggestion_list(result: Result) -> Rendered:
    items = [suggestion(s) for s in result.data]
    total = int(result.meta.get("total", len(items)))
    data = {"suggestions": items, "total": total}
    if not items:
        return text.answer("No pending suggestions. (`pcrm suggestions generate` makes new ones.)"), data
    head = f"**{counted(total, 'pending suggestion')}**; {len(items)} shown, newest first."
    lines = [_suggestion_line(s, _shown_contact(raw)) for s, raw in zip(items, result.data, strict=True)]
    return text.answer(head, "\n".join(lines)), data


def _shown_contact(s: dict[str, Any]) -> str:
    """A suggestion's contact as its service names it [display-name]."""
    return str((s.get("contact") or {}).get("display_name") or "(no name)")


# what the CLI says of a suggestion already in the status asked for
_ALREADY = {
    "dismissed": "was already dismissed",
    "sent": "was already marked sent",
    "snoozed": "is already snoozed",
    "pending": "is already in the queue (pending)",
}


def one_suggestion(result: Result) -> Rendered:
    s = suggestion(result.data)
    until = f" until {minute(s['scheduled_for'])} UTC" if s["status"] == "snoozed" else ""
    said = f"Suggestion `{s['id']}` is now {s['status']}{until}."
    if result.meta.get("unchanged"):  # asked for what it is already: nothing written [no-op-edits]
        already = _ALREADY.get(s["status"], "is already " + s["status"])
        said = f"Suggestion `{s['id']}` {already}{until}; nothing to change."
    line = _suggestion_line(s, _shown_contact(result.data))
    # the service's note (a snooze ended on the birthday, a channel the contact cannot be reached on) names
    # the contact: said inside the fenced block, as the contact's other text is
    note = result.meta.get("note")
    return text.answer(said, f"{line}\nNote: {note}" if note else line), s


def notification_list(result: Result) -> Rendered:
    items = [
        {
            "id": n["id"],
            "type": n["notification_type"],
            "title": n["title"],
            "body": n.get("body"),
            "read": bool(n["read"]),
            "created_at": n["created_at"],
        }
        for n in result.data
    ]
    total = int(result.meta.get("total", len(items)))
    data = {"notifications": items, "total": total}
    if not items:
        return text.answer("No notifications."), data
    # 🔵 marks an unread one, as the reference did
    lines = [
        f"- **{cell(n['title'])}**: {cell(n['body'], 500)} ({day(n['created_at'])})"
        + ("" if n["read"] else " 🔵")
        for n in items
    ]
    return text.answer(
        f"**{counted(total, 'notification')}**; {len(items)} shown, newest first.", "\n".join(lines)
    ), data


def dashboard(result: Result) -> Rendered:
    d = result.data
    keys = ("total", "strong", "active", "dormant", "pending_suggestions")
    platforms: dict[str, int] = dict(d["interactions_7d_by_platform"])
    data: dict[str, Any] = {k: int(d[k]) for k in (*keys, "interactions_this_week", "interactions_last_week")}
    data["interactions_7d_by_platform"] = platforms
    by_platform = ", ".join(f"{p} {n}" for p, n in platforms.items()) or "none"
    md = text.answer(
        "## pcrm dashboard\n"
        f"- **Contacts:** {data['total']} (archived left out)\n"
        f"- **Strong (8-10):** {data['strong']} · **Active (4-7):** {data['active']} · "
        f"**Dormant (0-3):** {data['dormant']}\n"
        f"- **Pending suggestions:** {data['pending_suggestions']}\n"
        f"- **Interactions, last 7 days:** {data['interactions_this_week']} "
        f"(the week before: {data['interactions_last_week']})",
        f"By platform, last 7 days: {cell(by_platform, 1000)}",
    )
    return md, data


def _shown_of(total: int, shown: int) -> str:
    """`; the 10 shown` when the list stopped short of the total, else nothing."""
    return f"; {shown} shown" if shown < total else ""


def overdue(result: Result) -> Rendered:
    items = [{**summary(c), "days_overdue": int(c["days_overdue"])} for c in result.data]
    total = int(result.meta.get("total", len(items)))
    data = {"contacts": items, "interval_days": int(result.meta["interval_days"]), "total": total}
    if not items:
        return text.answer("Nobody is overdue: every high-priority contact was reached in time."), data
    verb = "is" if total == 1 else "are"
    head = (
        f"**{counted(total, 'high-priority contact')}** {verb} past the {data['interval_days']}-day "
        f"follow-up interval{_shown_of(total, len(items))}, most overdue first:"
    )
    more = "Ask with a larger `limit` for the others." if total > len(items) else None
    shown = [display_name(c) for c in result.data]
    return text.answer(head, _contact_rows(items, shown, "days_overdue"), more), data


def birthdays(result: Result) -> Rendered:
    items = [
        {**summary(c), "birthday": c.get("birthday"), "days_until_birthday": int(c["days_until_birthday"])}
        for c in result.data
    ]
    total = int(result.meta.get("total", len(items)))
    data = {"contacts": items, "total": total}
    if not items:
        return text.answer("No birthdays today or in the next 6 days."), data
    head = (
        f"**{counted(total, 'birthday')}** today or in the next 6 days{_shown_of(total, len(items))}, "
        "soonest first:"
    )
    shown = [display_name(c) for c in result.data]
    return text.answer(head, _contact_rows(items, shown, "days_until_birthday")), data


def score_explanation(result: Result) -> Rendered:
    d = result.data
    data = {
        "contact_id": d["contact"]["id"],
        "full_name": d["contact"]["full_name"],
        "score": int(d["score"]),
        "capped": bool(d["capped"]),
        "dimensions": d["dimensions"],
        "as_of": d["now"],
    }
    # the rules and facts are pcrm's own (counts, dates, platform names): outside the fence
    rows = [
        [name, f"{dim['value']}/{dim['max']}", dim["rule"].replace("|", "/"), _facts(dim["facts"])]
        for name, dim in d["dimensions"].items()
    ]
    head = (
        f"Contact `{data['contact_id']}` scores **{data['score']}/10**"
        f"{' (capped at 10)' if data['capped'] else ''} as of {minute(data['as_of'])} UTC:\n\n"
        + text.table(["dimension", "points", "rule", "facts"], rows)
    )
    return text.answer(head, f"Name: {cell(d['contact']['display_name'])}"), data


def _facts(facts: dict[str, Any]) -> str:
    return ", ".join(
        f"{k}={'none' if v is None else ', '.join(map(str, v)) if isinstance(v, list) else v}"
        for k, v in facts.items()
    )


def _person(c: dict[str, Any] | None) -> dict[str, Any] | None:
    if not c:
        return None
    keys = ("id", "full_name", "company")
    return {
        **{k: c.get(k) for k in keys},
        "emails": list(c.get("emails") or []),
        "phones": list(c.get("phones") or []),
    }


def duplicates_of(result: Result) -> Rendered:
    """meta.contact_id: the contact the tool resolved."""
    contact_id = result.meta["contact_id"]
    found = [{**(_person(c) or {}), "score": float(c["score"])} for c in result.data]
    data = {"contact_id": contact_id, "candidates": found, "pairs": [], "total": len(found)}
    if not found:
        return text.answer(f"No likely duplicates of contact `{contact_id}`."), data
    rows = [
        [
            cell(display_name(raw)),  # by its address or number when it has no name [display-name]
            cell(c["emails"]),
            cell(c["phones"]),
            cell(c["company"]),
            f"{c['score']:.2f}",
            c["id"],
        ]
        for c, raw in zip(found, result.data, strict=True)
    ]
    head = (
        f"**{counted(len(found), 'contact')}** may be the same person as `{contact_id}`, most alike first. "
        "Merging is for the user: `pcrm contacts merge A B --dry-run` shows what would happen."
    )
    return text.answer(head, text.table(["Name", "Emails", "Phones", "Company", "Alike", "id"], rows)), data


def review_queue(result: Result) -> Rendered:
    pairs = [
        {
            "match_id": m["id"],
            "score": float(m["match_score"]),
            "contact_a": _person(m.get("contact_a")),
            "contact_b": _person(m.get("contact_b")),
        }
        for m in result.data
    ]
    total = int(result.meta.get("total_pairs", len(pairs)))
    data = {"contact_id": None, "candidates": [], "pairs": pairs, "total": total}
    if not pairs:
        return text.answer(
            "No pairs wait for review. (`pcrm identity scan` looks for duplicates across the whole store; "
            "give a contact to check one person now.)"
        ), data

    def who(c: dict[str, Any] | None) -> str:  # by its address or number when it has no name [display-name]
        return f"{cell(display_name(c))} (`{c['id']}`)" if c else "(gone)"

    lines = [
        f"- {who(m.get('contact_a'))} ↔ {who(m.get('contact_b'))}: {p['score']:.2f}, match `{p['match_id']}`"
        for p, m in zip(pairs, result.data, strict=True)
    ]
    verb = "waits" if total == 1 else "wait"
    groups, shown = int(result.meta.get("total_clusters", 0)), int(result.meta.get("clusters", 0))
    head = f"**{counted(total, 'pair')}** {verb} for review (`pcrm identity matches`), best first"
    if shown < groups:
        head += f"; the first {counted(shown, 'group')} of {groups} ({counted(len(pairs), 'pair')}) shown:"
        more = "Ask with a larger `limit` for the others."
        return text.answer(head, "\n".join(lines), more), data
    return text.answer(head + ".", "\n".join(lines)), data


def tagged(result: Result) -> Rendered:
    c = result.data
    data = {"contact_id": c["id"], "full_name": c.get("full_name"), "tags": list(c.get("tags") or [])}
    body = f"{cell(display_name(c))}: {cell(listed_tags(data['tags']))}"  # [display-name]
    if result.meta.get("unchanged"):  # every tag asked for it had already: nothing written [no-op-edits]
        head = f"Contact `{data['contact_id']}` already has every tag asked for; nothing to change. Its tags:"
        return text.answer(head, body), data
    # the service's note (a `2nd tier` marker given to someone the user talked with) names the contact: said
    # inside the fenced block, as its other text is
    note = result.meta.get("note")
    return text.answer(
        f"Contact `{data['contact_id']}` now has these tags:", f"{body}\nNote: {note}" if note else body
    ), data
