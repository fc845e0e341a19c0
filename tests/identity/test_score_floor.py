"""The scan scores a pair only as far as it needs to know whether it reaches the review band
(`identity.score_from`) [match-scoring]: the names are not compared when the other signals keep a pair
below it with any name, and the guards are not run over a sum already below it. That must keep exactly
the pairs, and the scores, `score` gives: checked on every candidate pair of a generated store (names,
emails, companies, birthdays, addresses and planted duplicates) and on pairs the person-evidence bands
lift above their weighted sum."""

from __future__ import annotations

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
