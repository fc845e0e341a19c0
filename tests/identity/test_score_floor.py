"""The scan scores a pair only as far as it needs to know whether it reaches the review band
(`identity.score_from`) [match-scoring]: the names are not compared when the other signals keep a pair
below it with any name, and the guards are not run over a sum already below it. That must keep exactly
the pairs, and the scores, `score` gives: checked on every candidate pair of a generated store (names,
emails, companies, birthdays, addresses and planted duplicates) and on pairs the person-evidence bands
lift above their weighted sum."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Any

from pcrm.domain import identity as dom
from pcrm.services import demo
from pcrm.store import identity as istore


def _exact(a: dom.Person, b: dom.Person) -> float | None:
    s = dom.score(a, b)
    return s if s >= dom.REVIEW else None


def test_score_from_keeps_exactly_the_pairs_and_scores_of_the_review_band(ctx: Any) -> None:
    data = demo.generate(5, 600, 0, datetime(2026, 6, 1, 12, tzinfo=UTC), duplicates=40)
    demo.load(ctx, data)
    people = [dom.person(r) for r in istore.load_people(ctx.conn)]
    codes, _ = dom.pair_codes(people)
    n = len(people)
    pairs = [(people[i], people[j]) for i, j in (divmod(c, n) for c in codes)]
    reached = [(a.uuid, b.uuid) for a, b in pairs if _exact(a, b) is not None]
    assert len(pairs) > 5_000 and len(reached) >= 20  # a real mix of both
    for a, b in pairs:
        assert dom.score_from(a, b, dom.REVIEW) == _exact(a, b), (a.name, b.name)
        assert dom.score_from(a, b, dom.AUTO_MERGE) == (
            dom.score(a, b) if dom.score(a, b) >= dom.AUTO_MERGE else None
        )


def test_person_evidence_lifting_a_low_sum_is_still_scored() -> None:
    # two different names with one full birthday at one street address are asked by [person-evidence]
    # (review band), though their weighted sum (the names disagree) is below it
    row = {"birthday": "1980-04-02", "addresses": [";;10 Blacket St;;;2600;"]}
    a = dom.person({**row, "id": "a", "full_name": "Anna Kowalski"})
    b = dom.person({**row, "id": "b", "full_name": "Erik Berg"})
    (lifted,) = [g for g in dom.explain(a, b).guards if g["guard"] == "person_evidence"]
    assert lifted["before"] < dom.REVIEW <= dom.score(a, b)
    assert dom.score_from(a, b, dom.REVIEW) == dom.score(a, b)
    # a shorter name, a birthday a day off and another street at the same postcode: asked, though the
    # sum stays below the band even with the names taken as agreeing fully
    c = dom.person(
        {
            "id": "c",
            "full_name": "John Richter James Doe",
            "birthday": "1980-03-22",
            "addresses": [";;15 Crescent Moon Drive;Albaney;New York;12345;"],
        }
    )
    d = dom.person(
        {
            "id": "d",
            "full_name": "John Doe",
            "birthday": "1980-03-21",
            "addresses": [";;123 Main Street;Austin;TX;12345;"],
        }
    )
    assert dom.score_from(c, d, dom.REVIEW) == dom.score(c, d) >= dom.REVIEW
    far = dom.person({**row, "id": "e", "full_name": "Erik Berg", "birthday": "1950-01-01"})
    assert dom.score_from(a, far, dom.REVIEW) is None and dom.score(a, far) < dom.REVIEW


def _row(r: random.Random, i: int) -> dict[str, Any]:
    """A record drawing on every signal and guard the scorer reads: one-word, initialled, titled, numbered,
    emoji and other-script names, shared and numbered mailboxes at work and personal domains, handles,
    tags, companies, titles, towns, birthdays (full, near, yearless), addresses and namesake counts."""
    given = [
        "Ada",
        "Anna",
        "Ana",
        "Dan",
        "Dana",
        "Maria",
        "Mario",
        "Tom",
        "J.",
        "E.",
        "Elif",
        "Bob",
        "Robert",
    ]
    family = ["Lovelace", "Berg", "Knuth", "Smith", "Smyth", "Garcia Lopez", "Hardy Jr", "Unit 100", "Phone2"]
    alone = ["Ada", "Alex", "🙂", "Grace 🧤", "lovelace", "Unit 200", "adalovelace", "", "山田太郎", "Иван"]
    name = (
        r.choice(alone)
        if r.random() < 0.2
        else f"{r.choice(['Mr', 'Dr.', ''])} {r.choice(given)} {r.choice(family)}"
    )
    row: dict[str, Any] = {"id": f"u{i}", "_rowid": i, "full_name": name.strip()}
    words = name.lower().replace(".", "").split() or ["x"]
    if r.random() < 0.6:
        local = r.choice([".".join(words), "".join(words), words[0], "anna.k", "dan", "dana"])
        domain = r.choice(["acme.com", "gmail.com", "proton.me", "family.net"])
        row["emails"] = [f"{local}{r.choice(['', '', str(r.randint(1, 99))])}@{domain}"]
    optional: dict[str, list[Any]] = {
        "company": ["Acme", "Acme Inc", "Hooli"],
        "twitter_handle": ["ada", "adalovelace", "kath2701", "kath2930", "mario"],
        "telegram_username": ["ada_l", "lovelace", "danb"],
        "tags": [["work"], ["family", "club"], ["2nd tier"]],
        "birthday": ["1980-04-02", "1980-04-03", "1980-02-04", "04-02", "1950-01-01"],
        "addresses": [
            [";;10 Blacket St;Canberra;;2600;"],
            [";;12 Blacket St;Canberra;;2600;"],
            [";;;;;2600;"],
        ],
        "title": ["Engineer", "Software Engineer", "CEO"],
        "location": ["Canberra", "Austin, TX", "London"],
        "name_count": [1, 2, 3, 5],
        "source": ["telegram", "whatsapp", "vcard", "manual"],
    }
    for field, values in optional.items():
        if r.random() < 0.3:
            row[field] = r.choice(values)
    if r.random() < 0.3:  # a name with a birthday and an address alone [person-evidence]
        row = {k: v for k, v in row.items() if k not in ("emails", "company", "twitter_handle")}
        row.pop("telegram_username", None)
        row["birthday"], row["addresses"] = r.choice(optional["birthday"]), r.choice(optional["addresses"])
    return row


def test_score_from_agrees_with_score_over_every_signal_and_guard() -> None:
    r = random.Random(47)
    people = [dom.person(_row(r, i)) for i in range(160)]
    reached = 0
    for k, a in enumerate(people):
        for b in people[k + 1 :]:
            s = dom.score(a, b)
            reached += s >= dom.REVIEW
            for floor in (dom.HINT, dom.REVIEW, dom.AUTO_MERGE):
                assert dom.score_from(a, b, floor) == (s if s >= floor else None), (a.name, b.name, floor)
    assert reached >= 50
