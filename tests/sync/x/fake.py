"""A fake X API v2 on 127.0.0.1 (a real HTTP server in a thread): the real client code talks to it over
real HTTP. It serves an `XWorld`: users, DM events, mentions and the user's tweets, newest first, paged by
`max_results` with opaque `next_token`s; `since_id` filters as X does, and an unknown `since_id` of the DM
listing is a 400 (as X answers a cursor it forgot). OAuth: `/2/oauth2/token` trades codes and rotating
refresh tokens; every API call needs the current access token (401 otherwise).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

ME = "1000"
ME_NAME = "ada"
CODE = "the-code"


@dataclass
class XWorld:
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    dms: list[dict[str, Any]] = field(default_factory=list)  # newest first
    mentions: list[dict[str, Any]] = field(default_factory=list)
    tweets: list[dict[str, Any]] = field(default_factory=list)
    page_size: int = 100
    fail_page_at: int | None = None  # the n-th page request (0-based, any listing) answers 500
    rate_limit_at: int | None = None  # the n-th page request answers 429
    forget_since: bool = False  # a since_id on /2/dm_events is refused (400)
    forget_tokens: set[str] = field(default_factory=set)  # pagination_tokens refused (400: expired)
    # OAuth
    access: str = "access-0"
    refresh: str = "refresh-0"
    access_expires_in: int = 7200
    refresh_count: int = 0
    refuse_refresh: bool = False
    verifiers: list[str] = field(default_factory=list)
    page_requests: int = 0
    requests: list[str] = field(default_factory=list)
    next_id: int = 5000
    lock: threading.Lock = field(default_factory=threading.Lock)

    def new_id(self) -> str:
        self.next_id += 1
        return str(self.next_id)

    def user(self, uid: str, username: str, name: str = "", bio: str = "", location: str = "") -> None:
        self.users[uid] = {
            "id": uid,
            "username": username,
            "name": name or username,
            "description": bio,
            "location": location,
        }

    def dm(self, other: str, text: str, *, out: bool = False, at: str = "2025-03-01T10:00:00.000Z") -> str:
        eid = self.new_id()
        a, b = sorted([ME, other], key=int)
        self.dms.insert(
            0,
            {
                "id": eid,
                "event_type": "MessageCreate",
                "text": text,
                "sender_id": ME if out else other,
                "dm_conversation_id": f"{a}-{b}",
                "created_at": at,
                **({"participant_ids": [ME, other]} if out else {}),
            },
        )
        return eid

    def mention(self, author: str, text: str) -> str:
        tid = self.new_id()
        self.mentions.insert(
            0, {"id": tid, "author_id": author, "text": text, "created_at": "2025-03-02T10:00:00.000Z"}
        )
        return tid

    def reply(self, to: str, text: str) -> str:
        tid = self.new_id()
        self.tweets.insert(
            0,
            {
                "id": tid,
                "author_id": ME,
                "text": text,
                "in_reply_to_user_id": to,
                "referenced_tweets": [{"type": "replied_to", "id": "1"}],
                "created_at": "2025-03-03T10:00:00.000Z",
            },
        )
        return tid


def _json(h: BaseHTTPRequestHandler, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
    data = json.dumps(body).encode()
    h.send_response(status)
    h.send_header("Content-Type", "application/json")
    h.send_header("Content-Length", str(len(data)))
    for k, v in (headers or {}).items():
        h.send_header(k, v)
    h.end_headers()
    h.wfile.write(data)


def _handler(world: XWorld) -> type[BaseHTTPRequestHandler]:
    class H(BaseHTTPRequestHandler):
        def log_message(self, *a: Any) -> None:
            pass

        def do_POST(self) -> None:
            n = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(n).decode()).items()}
            with world.lock:
                world.requests.append("POST " + self.path)
                if self.path != "/2/oauth2/token":
                    return _json(self, 404, {"title": "Not Found"})
                grant = form.get("grant_type")
                if grant == "authorization_code":
                    if form.get("code") != CODE or not form.get("code_verifier"):
                        return _json(self, 400, {"error": "invalid_request", "error_description": "bad code"})
                    world.verifiers.append(form["code_verifier"])
                elif grant == "refresh_token":
                    if world.refuse_refresh or form.get("refresh_token") != world.refresh:
                        return _json(
                            self,
                            400,
                            {
                                "error": "invalid_request",
                                "error_description": "Value passed for the token was invalid.",
                            },
                        )
                    world.refresh_count += 1
                    time.sleep(0.05)  # long enough for a racing second refresh to show
                    world.access = f"access-{world.refresh_count}"
                    world.refresh = f"refresh-{world.refresh_count}"
                else:
                    return _json(self, 400, {"error": "unsupported_grant_type"})
                return _json(
                    self,
                    200,
                    {
                        "token_type": "bearer",
                        "expires_in": world.access_expires_in,
                        "access_token": world.access,
                        "refresh_token": world.refresh,
                        "scope": "tweet.read users.read dm.read offline.access",
                    },
                )

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            q = {k: v[0] for k, v in parse_qs(parts.query).items()}
            path = parts.path
            with world.lock:
                world.requests.append("GET " + self.path)
                if self.headers.get("Authorization") != f"Bearer {world.access}":
                    return _json(self, 401, {"title": "Unauthorized", "status": 401})
                if path == "/2/users/me":
                    return _json(self, 200, {"data": {"id": ME, "username": ME_NAME, "name": "Ada"}})
                if path == "/2/users":
                    ids = q.get("ids", "").split(",")
                    return _json(self, 200, {"data": [world.users[i] for i in ids if i in world.users]})
                if path == "/2/users/by":
                    names = {n.lower() for n in q.get("usernames", "").split(",")}
                    return _json(
                        self,
                        200,
                        {"data": [u for u in world.users.values() if u["username"].lower() in names]},
                    )
                if path == "/2/dm_events":
                    return self.page(world.dms, q, dm=True)
                if path.startswith("/2/dm_conversations/with/"):
                    other = path.rsplit("/", 2)[-2]
                    items = [e for e in world.dms if other in e["dm_conversation_id"].split("-")]
                    return self.page(items, q, dm=True)
                if path == f"/2/users/{ME}/mentions":
                    return self.page(world.mentions, q)
                if path == f"/2/users/{ME}/tweets":
                    return self.page(world.tweets, q)
                return _json(self, 404, {"title": "Not Found"})

        def page(self, items: list[dict[str, Any]], q: dict[str, str], dm: bool = False) -> None:
            k = world.page_requests
            world.page_requests += 1
            if world.fail_page_at is not None and k == world.fail_page_at:
                return _json(self, 500, {"title": "Internal Error"})
            if world.rate_limit_at is not None and k == world.rate_limit_at:
                return _json(
                    self,
                    429,
                    {"title": "Too Many Requests"},
                    {"x-rate-limit-reset": str(int(time.time()) + 120)},
                )
            since = q.get("since_id")
            if since:
                if dm and (world.forget_since or all(e["id"] != since for e in items)):
                    return _json(self, 400, {"title": "Invalid Request", "detail": "since_id is invalid"})
                items = [e for e in items if int(e["id"]) > int(since)]
            # a token names the next page's first item (as X's, it stays valid when newer items arrive)
            token = q.get("pagination_token")
            if token in world.forget_tokens:
                return _json(self, 400, {"title": "Invalid Request", "detail": "pagination_token is invalid"})
            start = (
                next((n for n, e in enumerate(items) if e["id"] == token[1:].partition(".")[0]), len(items))
                if token
                else 0
            )
            size = min(world.page_size, int(q.get("max_results") or 100))
            chunk = items[start : start + size]
            meta: dict[str, Any] = {"result_count": len(chunk)}
            if start + size < len(items):
                meta["next_token"] = f"t{items[start + size]['id']}.{k}"  # each one new
            who = set()
            for e in chunk:
                who.update(
                    str(x)
                    for x in (e.get("sender_id"), e.get("author_id"), e.get("in_reply_to_user_id"))
                    if x
                )
            users = [world.users[u] for u in sorted(who) if u in world.users and u != ME]
            body: dict[str, Any] = {"meta": meta}
            if chunk:
                body["data"] = chunk
                body["includes"] = {"users": users}
            return _json(self, 200, body)

    return H


class FakeX:
    """The server: `FakeX(world)` listens on 127.0.0.1 at a free port; `.url` is its base URL."""

    def __init__(self, world: XWorld | None = None) -> None:
        self.world = world or XWorld()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.world))
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def sample(world: XWorld, people: int = 6, per_person: int = 5, *, stranger: bool = False) -> XWorld:
    """`people` DM partners (ids 2001...), each with `per_person` messages (every third one sent), one
    mention by each of the first two, a reply to the third, a plain tweet and a self-thread reply (both
    left out) and, with `stranger`, a mention by someone who is no contact."""
    for i in range(people):
        uid = str(2001 + i)
        world.user(uid, f"friend{i}", f"Friend {i}", bio=f"bio of friend {i}", location="Berlin")
    for m in range(per_person):
        for i in range(people):
            world.dm(
                str(2001 + i),
                f"message {m} with {i}",
                out=(m % 3 == 2),
                at=f"2025-03-01T10:{m:02d}:{i:02d}.000Z",
            )
    if stranger:
        world.user("9999", "stranger", "A Stranger")
        world.mention("9999", "@ada who are you")
    world.mention("2001", "@ada hello there")
    world.mention("2002", "@ada nice talk")
    world.reply("2003", "@friend2 agreed")
    world.tweets.insert(
        0,
        {
            "id": world.new_id(),
            "author_id": ME,
            "text": "a plain tweet",
            "created_at": "2025-03-03T11:00:00.000Z",
        },
    )
    world.tweets.insert(
        0,
        {
            "id": world.new_id(),
            "author_id": ME,
            "text": "a self-thread",
            "in_reply_to_user_id": ME,
            "referenced_tweets": [{"type": "replied_to", "id": "2"}],
            "created_at": "2025-03-03T12:00:00.000Z",
        },
    )
    return world
