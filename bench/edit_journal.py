"""What an edit by hand costs once a big import has journaled the contact [hand-edits]. Not a test: figures.

    PYTHONPATH=. .venv/bin/python bench/edit_journal.py /tmp/pcrm-edits            # 100k contacts, 300 edits
    PYTHONPATH=. .venv/bin/python bench/edit_journal.py /tmp/pcrm-edits --contacts 20000 --edits 90
    PYTHONPATH=/work/other-checkout .venv/bin/python bench/edit_journal.py /tmp/pcrm-edits-before   # compare

1. A fresh store of N contacts (+ 2 x edits contacts no import touches), loaded by bench/generate.py (no
   interactions); skipped when HOME already holds a store this script built (the edits of a second run
   then fall on contacts the first one edited, so give a fresh HOME to compare figures).
2. Edits of `--edits` contacts outside the import before it (the baseline: no journal anywhere).
3. A CSV of N rows (each contact's name and email, a second email and a tag), imported in process as
   `pcrm import FILE` does: one batch whose journal names all N contacts.
4. The same edits of `--edits` contacts the import changed, and of as many contacts outside it, each one
   service call in its own transaction as `pcrm contacts edit` / `contacts tag` / PUT /contacts/{id} make it:
   the imported email typed again with the contact's own (`emails`), a tag (`contacts tag X vip`), a title.
5. With --undo: `pcrm import undo BATCH --dry-run` of the whole batch, timed.

Printed per kind and phase: median and 90th percentile wall ms, and the CPU ms of this process per edit
(user+sys: steadier on a busy machine). "adds" is the journaled contacts' median minus the baseline's.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-06-01T12:00:00Z"
KINDS = ("emails", "tag", "title")


def _build(home: Path, n: int) -> None:
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "generate.py"),
            str(home),
            "--contacts",
            str(n),
            "--interactions",
            "0",
            "--now",
            NOW,
            "--no-check",
        ],
        check=True,
        env=dict(os.environ, PYTHONPATH=os.environ.get("PYTHONPATH", str(ROOT))),
    )


def _people(ctx: Any) -> list[tuple[str, str, str]]:
    """(uuid, full name, first email) of every contact with an email, in rowid order."""
    return [
        (u, name, email)
        for u, name, email in ctx.conn.execute(
            "SELECT c.uuid, c.full_name, (SELECT e.email FROM contact_emails e WHERE e.contact_id = c.id "
            "ORDER BY e.position LIMIT 1) FROM contacts c ORDER BY c.id"
        )
        if email
    ]


def _edit(ctx: Any, kind: str, uuid: str, email: str) -> Callable[[], Any]:
    from pcrm.services import contacts

    if kind == "emails":  # the import's address typed again with the contact's own
        return lambda: contacts.update_contact(ctx, uuid, {"emails": [email, _extra(email)]})
    if kind == "tag":
        return lambda: contacts.tag_contact(ctx, uuid, ["vip"])
    return lambda: contacts.update_contact(ctx, uuid, {"title": "Typed by hand"})


def _extra(email: str) -> str:
    return "second." + email


def _time(ctx: Any, people: list[tuple[str, str, str]]) -> dict[str, list[tuple[float, float]]]:
    out: dict[str, list[tuple[float, float]]] = {k: [] for k in KINDS}
    for i, (uuid, _name, email) in enumerate(people):
        kind = KINDS[i % len(KINDS)]
        call = _edit(ctx, kind, uuid, email)
        w, c = time.perf_counter(), time.process_time()
        call()
        out[kind].append(((time.perf_counter() - w) * 1000, (time.process_time() - c) * 1000))
    return out


def _row(label: str, figures: list[tuple[float, float]]) -> tuple[str, float]:
    walls = sorted(f[0] for f in figures)
    cpus = [f[1] for f in figures]
    p90 = walls[min(len(walls) - 1, int(len(walls) * 0.9))]
    med = statistics.median(walls)
    cpu = statistics.mean(cpus)
    shown = f"  {label:<34} median {med:7.2f} ms  p90 {p90:7.2f} ms  cpu {cpu:7.2f} ms  ({len(walls)} edits)"
    return shown, med


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("home", help="PCRM_HOME (an empty folder, or one this script filled)")
    ap.add_argument("--contacts", "-n", type=int, default=100_000)
    ap.add_argument("--edits", type=int, default=300, help="edits per phase (spread over the three kinds)")
    ap.add_argument("--undo", action="store_true", help="also time `import undo --dry-run` of the batch")
    a = ap.parse_args()
    home = Path(a.home).expanduser()
    os.environ["PCRM_HOME"] = str(home)
    if not (home / "pcrm.db").exists():
        t = time.perf_counter()
        _build(home, a.contacts + 2 * a.edits)
        print(f"store: {a.contacts + 2 * a.edits:,} generated contacts in {time.perf_counter() - t:.1f} s")

    from pcrm.services import imports
    from pcrm.services.context import open_context

    ctx = open_context(home / "pcrm.db")
    people = _people(ctx)
    inside, outside = people[: a.contacts], people[a.contacts :]
    before, after_out = outside[: a.edits], outside[a.edits : 2 * a.edits]
    print(f"checkout {os.environ.get('PYTHONPATH', ROOT)}, load average {os.getloadavg()[0]:.1f}")

    base = _time(ctx, before)

    path = home / "bench-import.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["full_name", "email", "tags"])
        for _uuid, name, email in inside:
            w.writerow([name, f"{email};{_extra(email)}", "imported"])
    t, c = time.perf_counter(), time.process_time()
    res = imports.import_path(ctx, str(path))
    took, cpu = time.perf_counter() - t, time.process_time() - c
    batch = res.data["batch_id"]
    size, named = ctx.conn.execute(
        "SELECT length(changes), (SELECT count(*) FROM json_each(changes, '$.contacts')) FROM import_batches "
        "WHERE uuid = ?",
        (batch,),
    ).fetchone()
    print(
        f"import: {len(inside):,} rows in {took:.1f} s ({cpu:.1f} s cpu), batch {batch[:8]}: journal of "
        f"{named:,} contacts, {size / 1e6:.1f} MB"
    )

    step = max(1, len(inside) // a.edits)
    journaled = _time(ctx, inside[::step][: a.edits])
    outside_after = _time(ctx, after_out)
    for kind in KINDS:
        print(f"{kind}:")
        line, b = _row("before the import (baseline)", base[kind])
        print(line)
        line, j = _row("a contact the import journaled", journaled[kind])
        print(line + f"  adds {j - b:+.2f} ms")
        line, o = _row("a contact outside it", outside_after[kind])
        print(line + f"  adds {o - b:+.2f} ms")
    if a.undo:
        t, c = time.perf_counter(), time.process_time()
        undo = imports.undo(ctx, batch, dry_run=True).data
        print(
            f"import undo --dry-run: {time.perf_counter() - t:.1f} s ({time.process_time() - c:.1f} s cpu), "
            f"{undo['contacts_reverted']:,} reverted, {len(undo['kept_later_edits'])} kept later edits"
        )
    ctx.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
