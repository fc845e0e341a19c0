"""Labelled duplicate benchmark for identity resolution [bench-targets].

Generates, with a fixed seed, people and the records several sources would hold about them (typos,
nicknames, initials, case, diacritics and transliteration, other emails, cross-platform handles, the
same address twice), plus hard negatives (colleagues at the same company and domain, namesakes with
the same name elsewhere). Loads them into a throwaway store, runs the real `identity.scan`, and prints
pair-level precision and recall of the auto-merge band and of auto-merge + review.

Targets: auto-merge precision >= 0.99; auto-merge + review recall >= 0.90.

    .venv/bin/python bench/identity_quality.py [--people 3000] [--seed 11]
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import sys
import tempfile
import time
from collections import defaultdict
from typing import Any

FIRST = [
    ("Katherine", "Kate"),
    ("Robert", "Bob"),
    ("William", "Bill"),
    ("Elizabeth", "Liz"),
    ("Michael", "Mike"),
    ("Alexander", "Alex"),
    ("Margaret", "Maggie"),
    ("Thomas", "Tom"),
    ("Jennifer", "Jen"),
    ("Daniel", "Dan"),
    ("Christopher", "Chris"),
    ("Patricia", "Pat"),
    ("Richard", "Rick"),
    ("Samantha", "Sam"),
    ("Nicholas", "Nick"),
    ("Ada", None),
    ("Grace", None),
    ("Linus", None),
    ("Hedy", None),
    ("Radia", None),
    ("Priya", None),
    ("Ravi", None),
    ("Wei", None),
    ("Olu", None),
    ("Nadia", None),
    ("Omar", None),
    ("Elif", None),
    ("Jonas", None),
    ("Freya", None),
    ("Aiko", None),
    ("Kenji", None),
    ("Lucía", "Lucia"),
    ("José", "Jose"),
    ("Zoë", "Zoe"),
    ("Søren", "Soren"),
    ("Dmitri", "Dima"),
    ("Sergey", None),
    ("Chiara", None),
    ("Mateo", None),
]
LAST = [
    "Lovelace",
    "Hopper",
    "Turing",
    "Johnson",
    "Hamilton",
    "Torvalds",
    "Liskov",
    "Ritchie",
    "Allen",
    "Thompson",
    "Perlman",
    "Dijkstra",
    "Lamarr",
    "Knuth",
    "Wilson",
    "Matsumoto",
    "Borg",
    "Lamport",
    "Goldwasser",
    "Bartik",
    "Shaw",
    "Wirth",
    "Conway",
    "Clarke",
    "Cerf",
    "Keller",
    "Stroustrup",
    "Mayer",
    "Tanaka",
    "Okafor",
    "Haddad",
    "Moreau",
    "García",
    "Rossi",
    "Nilsson",
    "Patel",
    "Sharma",
    "Chen",
    "Wang",
    "Adeyemi",
    "Karimi",
    "Yılmaz",
    "Becker",
    "Larsen",
    "Sato",
    "Mensah",
    "Novak",
    "Petrova",
    "Ivanov",
    "Müller",
    "Weber",
    "Costa",
    "Silva",
    "O'Brien",
    "Fernández",
    "Lindqvist",
    "Kowalski",
    "Nakamura",
    "Dubois",
    "Jansen",
]
CYRILLIC = {
    "Sergey Ivanov": "Сергей Иванов",
    "Dmitri Petrova": "Дмитрий Петрова",
    "Olga Novak": "Ольга Новак",
}
COMPANIES = [
    (f"{a} {b}", f"{a.lower()}{b.lower()}.com")
    for a, b in itertools.product(
        [
            "Northwind",
            "Globex",
            "Initech",
            "Hooli",
            "Umbrella",
            "Stark",
            "Wayne",
            "Tyrell",
            "Cyberdyne",
            "Soylent",
            "Acme",
            "Oscorp",
            "Wonka",
            "Aperture",
            "Vandelay",
            "Monarch",
        ],
        ["Labs", "Systems", "Health", "Capital"],
    )
]
CITIES = ["London", "Berlin", "Lisbon", "New York", "San Francisco", "Tokyo", "Lagos", "Paris", "Toronto"]


def _ascii(s: str) -> str:
    from pcrm.domain.identity import compact

    return compact(s)


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.choice(("swap", "drop", "double", "replace"))
    if op == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if op == "drop":
        return word[:i] + word[i + 1 :]
    if op == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice("aeiou") + word[i + 1 :]


def generate(seed: int, n_people: int) -> tuple[list[dict[str, Any]], list[int]]:
    """Records and, for each record, the id of the person it describes."""
    rng = random.Random(seed)
    people = []
    used_names: dict[str, int] = defaultdict(int)
    for pid in range(n_people):
        if pid and rng.random() < 0.06:  # a namesake: someone else's exact name, elsewhere
            other = people[rng.randrange(len(people))]
            first, nick, last = other["first"], other["nick"], other["last"]
        else:
            first, nick = rng.choice(FIRST)
            last = rng.choice(LAST)
        company, domain = rng.choice(COMPANIES) if rng.random() < 0.8 else (None, None)
        used_names[f"{first} {last}"] += 1
        k = used_names[f"{first} {last}"]
        local = f"{_ascii(first)}.{_ascii(last)}" + (str(k) if k > 1 else "")
        people.append(
            {
                "pid": pid,
                "first": first,
                "nick": nick,
                "last": last,
                "company": company,
                "domain": domain,
                "work": f"{local}@{domain}" if domain else None,
                "personal": (
                    f"{_ascii(first)}{_ascii(last)}{rng.randint(1, 999)}@"
                    f"{rng.choice(['gmail.com', 'proton.me', 'icloud.com'])}"
                ),
                "handle": f"{_ascii(first)[:4]}{_ascii(last)}{pid}",
                "city": rng.choice(CITIES),
                "birthday": f"{rng.randint(1960, 2000)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            }
        )
    records: list[dict[str, Any]] = []
    labels: list[int] = []
    for p in people:
        base = {
            "full_name": f"{p['first']} {p['last']}",
            "company": p["company"],
            "emails": [p["work"] or p["personal"]],
            "location": p["city"] if rng.random() < 0.5 else None,
            "birthday": p["birthday"] if rng.random() < 0.3 else None,
            "source": "google",
            "tags": rng.sample(
                ["friend", "investor", "founder", "climbing", "college"], rng.choice((0, 1, 2))
            ),
        }
        records.append(base)
        labels.append(p["pid"])
        if rng.random() < 0.55:  # this person has a duplicate somewhere
            kind = rng.choice(
                (
                    "typo",
                    "nickname",
                    "initial",
                    "case",
                    "other_email",
                    "handle",
                    "same_email",
                    "translit",
                    "linkedin_only",
                )
            )
            dup: dict[str, Any] = {"source": "csv", "company": p["company"] if rng.random() < 0.8 else None}
            first, last = p["first"], p["last"]
            if kind == "typo":
                dup["full_name"] = f"{first} {_typo(rng, last)}"
                dup["emails"] = [p["personal"]]
            elif kind == "nickname":
                dup["full_name"] = f"{p['nick'] or first} {last}"
                dup["emails"] = [p["personal"]]
            elif kind == "initial":
                dup["full_name"] = f"{first[0]}. {last}"
                dup["emails"] = [p["personal"]]
            elif kind == "case":
                dup["full_name"] = f"{first} {last}".upper() if rng.random() < 0.5 else f"{last}, {first}"
                dup["emails"] = [p["personal"]]
            elif kind == "other_email":
                dup["full_name"] = f"{first} {last}"
                dup["emails"] = [p["personal"]]
            elif kind == "handle":  # a social-network record: a handle, maybe a display name, no email
                dup = {
                    "source": "twitter",
                    "full_name": f"{first} {last}" if rng.random() < 0.7 else None,
                    "identities": [(rng.choice(("twitter", "telegram")), None, p["handle"].lower())],
                }
                base.setdefault("identities", []).append(
                    (
                        "telegram" if dup["identities"][0][0] == "twitter" else "twitter",
                        None,
                        p["handle"].lower(),
                    )
                )
                if dup["full_name"] is None:
                    dup["full_name"] = None
            elif kind == "same_email":
                dup["full_name"] = f"{first} {last}" if rng.random() < 0.5 else first
                dup["emails"] = [base["emails"][0].upper().lower()]
            elif kind == "translit":
                name = f"{first} {last}"
                dup["full_name"] = CYRILLIC.get(name) or _ascii_name(name)
                dup["emails"] = [p["personal"]]
            else:  # linkedin_only: name and company, nothing else
                dup = {
                    "source": "linkedin",
                    "full_name": f"{first} {last}",
                    "company": p["company"],
                    "identities": [("linkedin", f"{_ascii(first)}-{_ascii(last)}-{p['pid']}", None)],
                }
            if rng.random() < 0.25 and p["birthday"]:
                dup["birthday"] = p["birthday"]
            records.append(dup)
            labels.append(p["pid"])
    return records, labels


def _ascii_name(name: str) -> str:
    import unicodedata

    return "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))


def evaluate(seed: int, n_people: int, verbose: bool = False) -> dict[str, float]:
    records, labels = generate(seed, n_people)
    home = tempfile.mkdtemp(prefix="pcrm-idq-")
    os.environ["PCRM_HOME"] = home
    from pcrm.domain.normalize import full_name
    from pcrm.services import identity
    from pcrm.services.context import open_context
    from pcrm.store import bulk
    from pcrm.store.db import write

    ctx = open_context()
    for r in records:
        r["full_name"] = full_name(r.get("full_name"), None, None)
    with write(ctx.conn):
        ids = bulk.insert_contacts(ctx.conn, records, ctx.now_iso())
    uuid_of = dict(ctx.conn.execute("SELECT id, uuid FROM contacts").fetchall())
    person = {uuid_of[cid]: labels[i] for i, cid in enumerate(ids)}
    t0 = time.perf_counter()
    res = identity.scan(ctx, backup_first=False)
    elapsed = time.perf_counter() - t0
    # clusters: follow the merge journal (merged -> survivor)
    parent: dict[str, str] = {u: u for u in person}

    def root(u: str) -> str:
        while parent[u] != u:
            u = parent[u]
        return u

    for primary, merged in ctx.conn.execute(
        "SELECT primary_uuid, merged_uuid FROM contact_merges ORDER BY id"
    ):
        parent[root(merged)] = root(primary)
    clusters: dict[str, list[str]] = defaultdict(list)
    for u in person:
        clusters[root(u)].append(u)
    auto_pairs = {frozenset(p) for members in clusters.values() for p in itertools.combinations(members, 2)}
    review_pairs = set()
    for a, b in ctx.conn.execute(
        "SELECT contact_a_uuid, contact_b_uuid FROM identity_matches WHERE status = 'pending_review'"
    ):
        for x in clusters[root(a)]:
            for y in clusters[root(b)]:
                review_pairs.add(frozenset((x, y)))
    by_person: dict[int, list[str]] = defaultdict(list)
    for u, pid in person.items():
        by_person[pid].append(u)
    true_pairs = {frozenset(p) for members in by_person.values() for p in itertools.combinations(members, 2)}
    tp_auto = len(auto_pairs & true_pairs)
    both = auto_pairs | review_pairs
    out = {
        "records": len(records),
        "people": n_people,
        "true_pairs": len(true_pairs),
        "auto_pairs": len(auto_pairs),
        "review_pairs": len(review_pairs),
        "auto_precision": tp_auto / len(auto_pairs) if auto_pairs else 1.0,
        "auto_recall": tp_auto / len(true_pairs) if true_pairs else 1.0,
        "auto_review_precision": len(both & true_pairs) / len(both) if both else 1.0,
        "auto_review_recall": len(both & true_pairs) / len(true_pairs) if true_pairs else 1.0,
        "scan_seconds": round(elapsed, 2),
        **dict(res.data.items()),
    }
    if verbose:
        name = dict(ctx.conn.execute("SELECT uuid, full_name FROM contacts"))
        journal = {m: p for p, m in ctx.conn.execute("SELECT primary_uuid, merged_uuid FROM contact_merges")}
        wrong = list(auto_pairs - true_pairs)[:15]
        missed = list(true_pairs - both)[:25]
        rec_of = {uuid_of[cid]: records[i] for i, cid in enumerate(ids)}
        print("false auto-merges:", file=sys.stderr)
        for p in wrong:
            print(
                "  ",
                [(rec_of[u].get("full_name"), rec_of[u].get("company"), rec_of[u].get("emails")) for u in p],
                file=sys.stderr,
            )
        print("missed pairs:", file=sys.stderr)
        for p in missed:
            print(
                "  ",
                [
                    (
                        rec_of[u].get("full_name"),
                        rec_of[u].get("company"),
                        rec_of[u].get("emails"),
                        rec_of[u].get("identities"),
                    )
                    for u in p
                ],
                file=sys.stderr,
            )
        del name, journal
    ctx.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--verbose", action="store_true", help="list false merges and missed pairs on stderr")
    args = ap.parse_args()
    r = evaluate(args.seed, args.people, verbose=args.verbose)
    print(f"records {r['records']} ({r['people']} people), true duplicate pairs {r['true_pairs']}")
    print(
        f"auto-merge:          precision {r['auto_precision']:.4f}  recall {r['auto_recall']:.4f}  "
        f"({r['auto_pairs']} pairs)"
    )
    print(
        f"auto-merge + review: precision {r['auto_review_precision']:.4f}  "
        f"recall {r['auto_review_recall']:.4f}  (+{r['review_pairs']} review pairs)"
    )
    print(f"scan {r['scan_seconds']} s; targets: auto precision >= 0.99, auto+review recall >= 0.90")
    ok = r["auto_precision"] >= 0.99 and r["auto_review_recall"] >= 0.90
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
