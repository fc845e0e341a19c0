"""Keeping `relationship_score`, `interaction_count` and `last_interaction_at` right [score-freshness].

Every interaction write recomputes the touched contacts; the first command of a new day recomputes
every contact whose numbers may have moved (windows slide with the clock), so scores are never stale
even for users who never run the daemon.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from pcrm.clock import iso, parse_iso
from pcrm.services import store_failures
from pcrm.services.context import Context
from pcrm.store import interactions as istore
from pcrm.store import memo
from pcrm.store import settings as sstore
from pcrm.store.db import Connection, write, write_if_free

_DAY_KEY = "_internal.scores_day"
_AT_KEY = "_internal.scores_at"  # when the last catch-up ran (its `now`)
INCREMENTAL_MAX_DAYS = 60
REFRESH_CHUNK = 2000  # contacts scored per query and write


def refresh(ctx: Context, contact_ids: Sequence[int] | None = None) -> tuple[int, int]:
    """Recompute the score of these contacts (every contact that can change when None), in grouped queries
    and the pure [score-formula] functions. Call inside a write transaction or standalone. Returns
    (rescored, written): only rows whose score, count or last interaction changed are written."""
    with write(ctx.conn):
        return _rescore(ctx, contact_ids)


def _rescore(ctx: Context, contact_ids: Sequence[int] | None) -> tuple[int, int]:
    """refresh's work, inside the caller's write transaction."""
    # imported here: every read command calls catch_up, which on most days only compares a date (CLI start-up)
    from pcrm.domain.scoring import total

    now = ctx.now()
    conn = ctx.conn
    ids = list(contact_ids) if contact_ids is not None else istore.contacts_with_stale_scores(conn)
    if not ids:
        return 0, 0
    _note_past_clock(conn, now)
    written = 0
    # a chunk at a time: the Python objects alive at once stay few whatever the store's size (100k contacts
    # at once peaked at ~60 MB, which a long-lived daemon then kept [daemon-memory])
    for start in range(0, len(ids), REFRESH_CHUNK):
        chunk = ids[start : start + REFRESH_CHUNK]
        inputs = istore.score_inputs(conn, now, chunk)
        updates: list[tuple[int, int, str | None, int]] = []
        for cid in chunk:
            inp = inputs.get(cid)
            if inp is None:
                updates.append((0, 0, None, cid))
            else:
                # score_inputs only has contacts with an interaction up to now, so last_any is set
                last = iso(inp.last_any) if inp.last_any is not None else None
                updates.append((total(inp, now), inp.lifetime_count, last, cid))
        written += istore.write_scores(conn, updates, iso(now))
    return len(ids), written


def _note_past_clock(conn: Connection, now: datetime) -> None:
    """The incremental catch-up assumes every stored score was computed at or after the last catch-up
    (_AT_KEY). A score computed for an earlier `now` (`--now` in the past) moves that mark back, so the
    next catch-up also covers the boundaries in between."""
    last = sstore.get(conn, _AT_KEY)
    if isinstance(last, str) and iso(now) < last:
        sstore.put(conn, _AT_KEY, iso(now), iso(now))


def catch_up(ctx: Context) -> bool:
    """Bring every score up to the day, once per calendar day (in the user's zone). True when it ran.

    Only contacts with an interaction near a boundary of the [score-freshness] windows since the last catch-up
    can have moved (domain.scoring.crossing_ranges): those are recomputed. The first catch-up, one after more
    than INCREMENTAL_MAX_DAYS or with the clock set back, recomputes every contact.

    While another process holds the write lock (a long `pcrm import`), the catch-up waits for a later
    command or request instead of for the lock: the read that asked answers with the scores as they are
    (yesterday's at worst); it waited out the busy timeout and failed "the store is busy" [busy-reads]."""
    today = ctx.now().astimezone(ctx.tz()).date().isoformat()
    conn = ctx.conn
    # every read the daemon answers asks: its connections remember the answer until the store changes
    if memo.row(conn, ("scores caught up", today), lambda: sstore.get(conn, _DAY_KEY) == today):
        return False
    ran = [False]

    def run(conn: Connection) -> None:
        if sstore.get(conn, _DAY_KEY) == today:  # another process did it while we waited
            return
        now = ctx.now()
        last = sstore.get(conn, _AT_KEY)
        t0 = parse_iso(last) if isinstance(last, str) else None
        from pcrm.domain.scoring import crossing_ranges  # here: see refresh

        # in this transaction, not a savepoint of its own: a savepoint keeps every page it changes in a memory
        # journal until it ends, ~17 MB for 100k contacts [daemon-memory]
        if t0 is not None and timedelta(0) <= now - t0 <= timedelta(days=INCREMENTAL_MAX_DAYS):
            _rescore(ctx, istore.contacts_with_interactions_in(conn, crossing_ranges(t0, now)))
        else:
            _rescore(ctx, None)
        sstore.put(conn, _DAY_KEY, today, iso(now))
        sstore.put(conn, _AT_KEY, iso(now), iso(now))
        ran[0] = True

    if store_failures.not_writable(ctx.path) is not None:
        return False  # a read-only store is read as it is: no read fails on this write [store-failures]
    write_if_free(conn, run)
    return ran[0]
