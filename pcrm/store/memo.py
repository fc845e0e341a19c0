"""Answers a long-lived connection remembers until the store changes (the daemon's connections).

The daemon is asked the same things again and again: the same page of a search (paging back, a UI
refreshing, the browser extension looking up the handle of each profile it shows) and the same
contacts. Ranking a search costs ~0.5 ms + 2 us per matching contact and building 20 full contacts
~0.4 ms; remembering them makes a repeat ~10x cheaper.

Correctness rests on one rule: every remembered answer is dropped as soon as the store may have
changed. The state compared before each use is the connection's own change counter
(`total_changes`: any row this connection inserted, updated or deleted, even in a transaction later
rolled back) and `PRAGMA data_version` (which moves when another connection, such as a `pcrm` CLI
process or the daemon's other connection, commits). Inside a write transaction nothing is remembered
or reused. Only connections opened for it (`enable`) remember; a CLI process, which answers one
command and exits, never does.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar, cast

import apsw

from pcrm.store.rows import integer


class Memo:
    # per connection, and the daemon has one per reader thread plus the writer. A page is a list of ids
    # (small); a contact is its JSON (~1 KB), and a run of first-time searches (20 new contacts each) filled
    # every reader's 4,096 of them (most of the ~25 MB the daemon grew by). 1,280 still holds the pages a
    # user goes back to (and the bench's 62 repeated searches of 20), not a loop over many more
    # "settings": every setting, resolved (services.context.Context.settings); "rows": single rows every
    # request reads (the account, a token by its hash) and small facts (the day's score catch-up is done)
    # "ids": contacts' rowids by public id (a by-id request's first look-up)
    LIMITS: ClassVar[dict[str, int]] = {
        "pages": 256,
        "contacts": 1280,
        "settings": 1,
        "rows": 64,
        "ids": 1280,
    }

    def __init__(self) -> None:
        self.state: tuple[int, int] | None = None
        self.snapshot: int | None = None  # the snapshot (_SNAPSHOTS) the state was checked in
        self.maps: dict[str, OrderedDict[Any, Any]] = {name: OrderedDict() for name in self.LIMITS}

    def get(self, name: str, key: Any) -> Any:
        m = self.maps[name]
        value = m.get(key)
        if value is not None:
            m.move_to_end(key)
        return value

    def put(self, name: str, key: Any, value: Any) -> None:
        m = self.maps[name]
        m[key] = value
        if len(m) > self.LIMITS[name]:
            m.popitem(last=False)

    def clear(self) -> None:
        for m in self.maps.values():
            m.clear()


T = TypeVar("T")

_MEMOS: weakref.WeakKeyDictionary[apsw.Connection, Memo] = weakref.WeakKeyDictionary()


def enable(conn: apsw.Connection) -> None:
    """Let this connection remember answers (store.contact_query pages, store.contacts.fetch_contacts)."""
    _MEMOS.setdefault(conn, Memo())


def forget(conn: apsw.Connection) -> None:
    """Drop what the connection remembers (after a change the state cannot see, e.g. a restore)."""
    m = _MEMOS.get(conn)
    if m is not None:
        m.clear()
        m.state = None
        m.snapshot = None


# a number per connection that moves as each snapshot (store.db.snapshot) begins and ends: the state is
# checked once per snapshot, since nothing another connection commits is seen inside one
_SNAPSHOTS: weakref.WeakKeyDictionary[apsw.Connection, int] = weakref.WeakKeyDictionary()


def next_snapshot(conn: apsw.Connection) -> None:
    """A snapshot begins or ends on this connection (store.db.snapshot): odd numbers are inside one."""
    _SNAPSHOTS[conn] = _SNAPSHOTS.get(conn, 0) + 1


def current(conn: apsw.Connection) -> Memo | None:
    """The connection's memo, emptied if the store changed since it was last used; None when this
    connection does not remember, or is inside a write transaction. Inside a snapshot whose reads have begun
    (store.db.snapshot) the state is checked once: nothing committed elsewhere is seen until it ends."""
    m = _MEMOS.get(conn)
    if m is None:
        return None
    txn = conn.txn_state("main")
    if txn == apsw.SQLITE_TXN_WRITE:
        return None
    number = _SNAPSHOTS.get(conn)
    if number is not None and number % 2 == 0:
        number = None  # between snapshots (a statement left open in autocommit also reads): no pinning
    if txn == apsw.SQLITE_TXN_READ and number is not None and number == m.snapshot:
        return m
    state = (integer(conn, "PRAGMA data_version"), conn.total_changes())
    if state != m.state:
        m.clear()
        m.state = state
    # inside BEGIN, the pragma itself begins the snapshot's reads: the state it gave is the snapshot's
    m.snapshot = number if conn.txn_state("main") == apsw.SQLITE_TXN_READ else None
    return m


_NONE = object()  # a remembered "no such row"


def row(
    conn: apsw.Connection, key: Any, read: Callable[[], T], *, kind: str = "rows", missing: bool = True
) -> T:
    """read(), remembered under `key` (in the map `kind`) until the store changes, when the connection
    remembers. A row (a dict) is handed out as a copy, so a caller may change it. missing=False: a None
    (no such row) is not remembered (keys anyone can make up, which would push out the useful ones)."""
    m = current(conn)
    if m is None:
        return read()
    value = m.get(kind, key)
    if value is None:
        value = read()
        if value is not None or missing:
            m.put(kind, key, _NONE if value is None else value)
    elif value is _NONE:
        return cast(T, None)
    return cast(T, dict(value)) if isinstance(value, dict) else value
