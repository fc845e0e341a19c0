"""X (Twitter) archive: direct messages, from the archive ZIP, its unzipped folder, or data/*.js files.

The archive's data files are JavaScript: `window.YTD.direct_messages.part0 = [ ... ]`; the part after
the first `=` is JSON. Read:

- `account.js`: your account id, username and display name: the `me` of this archive (it also fills
  the `me` setting when that is empty);
- `direct-messages.js` (and `direct-messages-partN.js`): `dmConversation.messages[].messageCreate`
  `{id, senderId, recipientId, text, urls, createdAt}` (a t.co link of the text read as its `expanded`
  address; a message of a photo or video alone, whose text is empty or the media's own t.co link, is
  kept as `[photo]` / `[video]` with `extra_data.media` (and that link as `extra_data.link`), as chat
  exports keep theirs; its `reactions` are kept on it as `extra_data.reactions`, each `{reactor_id, by,
  type, at}`, never as messages of their own). Each one-to-one conversation becomes a contact keyed
  by the other person's twitter_user_id (the archive holds no names for them) and interactions,
  platform `twitter`, refs `twitter_dm:{id}` as the X sync writes them [import-rerun-safety];
- `direct-messages-group.js`: group conversations are skipped (counted as skipped).

An archive (its ZIP or folder) without direct-messages.js is refused, saying so: its other files hold no
messages pcrm reads.

Without account.js, your id is `--me-id`, else the one every conversation id (`a-b`) shares, else a
numeric handle of the `me` setting found in the conversation ids; with a single conversation and none of
these it is ambiguous, and the import asks for `--me-id` or the archive's account.js [x-archive-me].
`--me-id` also overrides account.js (it must then be the same account, or the import is refused).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from pcrm.clock import iso
from pcrm.domain.records import ContactRecord, InteractionRecord, Me
from pcrm.errors import BadRequest
from pcrm.formats import archive, textio
from pcrm.formats.base import Input, Options, Parsed, read_regular

NAME = "x-archive"
SOURCE = "twitter"
LABEL = "an X (Twitter) archive"
DIRECTORY = True
_DM = re.compile(r"^direct-messages(?:-part\d+)?\.js$")
_GROUP = re.compile(r"^direct-messages-group(?:-part\d+)?\.js$")
_WANTED = re.compile(r"^(?:account\.js|direct-messages(?:-group)?(?:-part\d+)?\.js)$")


def detect(inp: Input) -> bool:
    if inp.path is not None and inp.path.is_dir():
        return bool(_dir_members(inp.path, names_only=True))
    if inp.head.startswith(b"PK\x03\x04"):
        names = archive.names(inp.data)
        return any(_DM.match(n.rsplit("/", 1)[-1]) for n in names)
    return inp.suffix == "js" and b"window.YTD." in textio.json_head(inp.head[:800])[:200]


def _dir_members(folder: Path, names_only: bool = False) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for sub in (folder, folder / "data"):
        if not sub.is_dir():
            continue
        for p in sorted(sub.iterdir()):
            if p.is_file() and _WANTED.match(p.name) and p.name not in found:
                found[p.name] = b"" if names_only else read_regular(p)
    return found  # account.js alone still makes it an X archive: `parse` says what it lacks


def _zip_members(inp: Input) -> dict[str, bytes]:
    def wanted(name: str) -> str | None:
        base = name.rsplit("/", 1)[-1]
        return base if _WANTED.match(base) else None

    got = archive.read_members(
        inp.data, inp.filename, wanted, hint="unzip the archive and import its data folder"
    )
    return {k: data for k, (_name, data) in got.items()}


def _member_name(data: bytes, filename: str) -> str:
    """A single data file, named by its `window.YTD.<name>.partN` variable (the file may be renamed)."""
    m = re.match(rb"\s*window\.YTD\.([a-z_]+)\.part(\d+)", textio.json_head(data[:800])[:200])
    if not m:
        return filename.rsplit("/", 1)[-1]
    base = m.group(1).decode().replace("_", "-")
    return f"{base}.js" if m.group(2) == b"0" else f"{base}-part{int(m.group(2))}.js"


def load_js(data: bytes, name: str) -> Any:
    """The JSON inside `window.YTD.<x>.partN = [...]`, whatever UTF the file was saved in (an archive file
    opened and saved again by an editor may be UTF-16)."""
    text = textio.json_utf8(data, name)
    eq = text.find(b"=")
    body = text[eq + 1 :] if text.lstrip().startswith(b"window.") and eq >= 0 else text
    body = body.strip().rstrip(b";")
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise BadRequest(
            f"{name}: not the JSON an X archive holds ({exc}); the file looks damaged or cut short",
            hint="download your archive again (Settings → Your account → Download an archive)",
        ) from None


def parse(inp: Input, opts: Options) -> Parsed:
    whole = (inp.path is not None and inp.path.is_dir()) or inp.head.startswith(b"PK\x03\x04")
    if inp.path is not None and inp.path.is_dir():
        members = _dir_members(inp.path)
    elif whole:
        members = _zip_members(inp)
    else:
        members = {_member_name(inp.data, inp.filename): inp.data}
        if inp.path is not None:  # a data/*.js file: look beside it for account.js
            sib = inp.path.parent / "account.js"
            if sib.is_file() and "account.js" not in members:
                members["account.js"] = read_regular(sib)
    dm_files = sorted(k for k in members if _DM.match(k))
    groups = sorted(k for k in members if _GROUP.match(k))
    if whole and members and not dm_files and not groups:
        raise BadRequest(
            f"{inp.filename}: this X archive has no data/direct-messages.js (it holds "
            + ", ".join(sorted(members))
            + "); pcrm imports an archive's direct messages",
            hint="download the full archive (Settings → Your account → Download an archive) and "
            "import its ZIP or folder, or data/direct-messages.js itself",
        )
    if not dm_files and not groups and "account.js" not in members:
        raise BadRequest(
            f"{inp.filename} holds no direct-messages.js or account.js",
            hint="import the archive ZIP, its folder, or data/direct-messages.js",
        )
    out = Parsed()
    me_id = None
    if "account.js" in members:
        acc = load_js(members["account.js"], "account.js")
        entry = acc[0].get("account") if isinstance(acc, list) and acc and isinstance(acc[0], dict) else None
        if isinstance(entry, dict) and entry.get("accountId"):
            me_id = str(entry["accountId"])
            out.me = Me(
                names=[entry["accountDisplayName"]] if entry.get("accountDisplayName") else [],
                emails=[entry["email"]] if entry.get("email") else [],
                phones=[entry["phoneNumber"]] if entry.get("phoneNumber") else [],
                handles=[entry["username"]] if entry.get("username") else [],
            )
    conversations: list[tuple[str, dict[str, Any]]] = []
    for name in dm_files:
        doc = load_js(members[name], name)
        for item in doc if isinstance(doc, list) else []:
            conv = item.get("dmConversation") if isinstance(item, dict) else None
            if isinstance(conv, dict):
                conversations.append((name, conv))
    for name in groups:
        doc = load_js(members[name], name)
        for item in doc if isinstance(doc, list) else []:
            conv = item.get("dmConversation") if isinstance(item, dict) else None
            if isinstance(conv, dict):
                out.interactions_skipped += sum(1 for m in conv.get("messages") or [] if "messageCreate" in m)
    conv_ids = [str(c.get("conversationId", "")) for _n, c in conversations]
    if opts.me_id is not None:
        if me_id is not None and me_id != opts.me_id:
            raise BadRequest(
                f"{inp.filename}: --me-id {opts.me_id} is not the archive's own account "
                f"({me_id}, account.js)",
                hint="leave --me-id out: the archive's account.js already says who you are",
            )
        ids = {p for cid in conv_ids for p in cid.split("-") if p}
        if conv_ids and opts.me_id not in ids:
            raise BadRequest(
                f"{inp.filename}: --me-id {opts.me_id} is in none of the archive's conversations",
                hint="your id is one of the numbers in the conversation ids, e.g. "
                + ", ".join(sorted(ids)[:4]),
            )
        me_id = opts.me_id
    if me_id is None and conversations:
        me_id = _me_from_ids(conv_ids) or _me_from_setting(conv_ids, opts.me)
        if me_id is None:
            seen = sorted({p for cid in conv_ids for p in cid.split("-") if p})
            raise BadRequest(
                f"{inp.filename}: pcrm cannot tell which side of the conversation is you "
                f"(no account.js, and the conversation ids name {', '.join(seen[:4])})",
                hint="pass --me-id with your X account id (one of "
                + ", ".join(seen[:4])
                + "), or import the whole archive (ZIP or folder), which holds data/account.js",
            )
    index: dict[str, int] = {}
    for where, conv in conversations:
        parts = str(conv.get("conversationId", "")).split("-")
        for m in conv.get("messages") or []:
            mc = m.get("messageCreate") if isinstance(m, dict) else None
            if not isinstance(mc, dict) or not mc.get("id"):
                continue
            sender, recipient = str(mc.get("senderId") or ""), str(mc.get("recipientId") or "")
            outbound = sender == me_id
            other = recipient if outbound else sender
            if not other or other == me_id:
                other = next((p for p in parts if p and p != me_id), "")
            when = _when(mc.get("createdAt"))
            if not other or when is None:
                out.errors.append(
                    f"{where}: Row {len(out.interactions) + 1}: message {mc.get('id')} has no "
                    "counterpart or date; skipped"
                )
                continue
            if other not in index:
                index[other] = len(out.contacts)
                out.contacts.append(
                    ContactRecord(row=len(out.contacts) + 1, data={"twitter_user_id": other}, where=where)
                )
            text = _expanded(str(mc.get("text") or ""), mc.get("urls"))
            media = _media_kind(mc.get("mediaUrls"))
            extra: dict[str, Any] | None = {"media": media} if media else None
            if extra and _TCO.fullmatch(text.strip()):  # X writes a photo sent alone as its own t.co link
                extra["link"], text = text.strip(), ""
            if not text.strip() and media:  # a photo or video alone: its kind, as chat exports keep it
                text = f"[{media}]"
            # an earlier reader kept the message without its reactions, or with those it had then: a re-import
            # gives it those it has now
            readings = [{"content_preview": text or None, "extra_data": extra, "except": ["reactions"]}]
            if reactions := _reactions(mc.get("reactions"), me_id):
                extra = {**(extra or {}), "reactions": reactions}
            out.interactions.append(
                InteractionRecord(
                    row=len(out.interactions) + 1,
                    contact=index[other],
                    platform="twitter",
                    direction="outbound" if outbound else "inbound",
                    occurred_at=iso(when),
                    raw_reference_id=f"twitter_dm:{mc['id']}",
                    content_preview=text or None,
                    extra_data=extra,
                    where=where,
                    earlier_readings=readings,
                )
            )
    return out


def _reactions(items: Any, me_id: str | None) -> list[dict[str, str]]:
    """A message's reactions (`reactions: [{senderId, reactionKey, eventId, createdAt}]`) as the message
    keeps them: who reacted (`reactor_id`, and `by`: you or them), how (`type`: X's key, `like`, `funny`...;
    `emoji` too when the archive gives one) and when (`at`, UTC). A reaction is no message of its own."""
    out: list[dict[str, str]] = []
    for r in items if isinstance(items, list) else []:
        if not isinstance(r, dict) or not (r.get("reactionKey") or r.get("emoji")):
            continue
        who = str(r.get("senderId") or "")
        entry = {"reactor_id": who, "by": "you" if who and who == me_id else "them"}
        entry["type"] = str(r.get("reactionKey") or "emoji")
        if r.get("emoji"):
            entry["emoji"] = str(r["emoji"])
        when = _when(r.get("createdAt"))
        if when is not None:
            entry["at"] = iso(when)
        out.append(entry)
    return out


# a t.co link: the text X gives a DM of a photo or video sent without words (`urls` does not expand it)
_TCO = re.compile(r"https?://t\.co/[0-9A-Za-z]+")


def _media_kind(urls: Any) -> str | None:
    """What a message's `mediaUrls` carry: a photo, a video, else media (None when there are none)."""
    found = [str(u) for u in urls if u] if isinstance(urls, list) else []
    if not found:
        return None
    ext = found[0].rsplit("?", 1)[0].rsplit(".", 1)[-1].lower()
    return "photo" if ext in ("jpg", "jpeg", "png", "webp") else "video" if ext in ("mp4", "mov") else "media"


def _expanded(text: str, urls: Any) -> str:
    """A message's text with each t.co link as the address it stands for: the archive keeps both
    (`urls: [{url, expanded, display}]`), and the t.co one says nothing once read away from X."""
    for u in urls if isinstance(urls, list) else []:
        if isinstance(u, dict) and u.get("url") and u.get("expanded"):
            text = text.replace(str(u["url"]), str(u["expanded"]))
    return text


def _me_from_setting(conv_ids: list[str], me: Me) -> str | None:
    """A numeric handle of the `me` setting (your X id kept there) that is in the conversation ids."""
    ids = {p for cid in conv_ids for p in cid.split("-") if p}
    found = [h.lstrip("@") for h in me.handles if h.lstrip("@") in ids]
    return found[0] if len(found) == 1 else None


def _me_from_ids(conv_ids: list[str]) -> str | None:
    common: set[str] | None = None
    for cid in conv_ids:
        parts = {p for p in str(cid).split("-") if p}
        common = parts if common is None else common & parts
    if common and len(common) == 1:
        return next(iter(common))
    return None


def _when(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    v = value.strip()
    try:
        dt = datetime.fromisoformat(v[:-1] + "+00:00" if v.endswith("Z") else v)
    except ValueError:
        try:
            dt = datetime.strptime(v, "%a %b %d %H:%M:%S %z %Y")
        except ValueError:
            return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)
