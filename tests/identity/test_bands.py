"""The identity bands end to end: a pair just above, at and below each threshold is merged, queued for
review, shown as a duplicate hint, or left alone, through `pcrm identity scan` and
`pcrm contacts duplicates`.

The scores are pinned too (the pairs are chosen to sit on the edges), so moving a threshold, turning a
`>` into `>=`, or changing the scorer so these pairs drift off their edges fails here.
"""

from __future__ import annotations

from typing import Any

import pytest

from pcrm.domain import identity as dom

# (label, contact A, contact B, the pair's score, what the scan does, shown as a duplicate hint)
EDGES = [
    (
        "just above auto-merge",
        ["--name", "Katherine Johnson", "--company", "Globex", "--tag", "a", "--tag", "b"],
        ["--name", "Katherine Johnson", "--company", "Globex", "--tag", "a", "--tag", "c"],
        0.8667,
        "merged",
        True,
    ),
    (
        "exactly auto-merge (0.85 is review, not merge)",
        ["--name", "Dorothy Vaughan", "--company", "Langley", "--tag", "a", "--tag", "b"],
        ["--name", "Dorothy Vaughan", "--company", "Langley", "--tag", "a", "--tag", "c", "--tag", "d"],
        0.85,
        "review",
        True,
    ),
    (
        "below auto-merge: a name with weak support",
        ["--name", "Mary Jackson", "--tag", "nasa"],
        ["--name", "Mary Jackson", "--tag", "nasa"],
        0.80,
        "review",
        True,
    ),
    (
        "just above review",
        # one letter doubled in the handle (handles that differ only in digits are two accounts)
        ["--name", "Annie Easley", "--twitter", "aeasley", "--tag", "a"],
        ["--name", "Annie Easley", "--telegram", "aeasleyy", "--tag", "b"],
        0.7188,
        "review",
        True,
    ),
    (
        "exactly review: the name-only cap",
        ["--name", "Christine Darden"],
        ["--name", "Christine Darden"],
        0.70,
        "review",
        True,
    ),
    (
        "below review: clearly different birthdays",
        ["--name", "Gladys West", "--birthday", "10-27"],
        ["--name", "Gladys West", "--birthday", "03-14"],
        0.50,
        "nothing",
        True,
    ),
    (
        "exactly the hint threshold: one word and nothing else",
        ["--name", "Euphemia"],
        ["--name", "Euphemia"],
        0.40,
        "nothing",
        True,
    ),
    (
        "below the hint threshold: two people at one company",
        ["--name", "Melba Mouton", "--company", "Goddard"],
        ["--name", "Miriam Mann", "--company", "Goddard"],
        0.35,
        "nothing",
        False,
    ),
]


def test_the_edges_sit_on_the_thresholds() -> None:
    """The table covers each threshold from both sides and exactly on it."""
    scores = {e[3] for e in EDGES}
    for t in (dom.AUTO_MERGE, dom.REVIEW, dom.HINT):
        assert t in scores
        assert any(s > t for s in scores) and any(s < t for s in scores)


@pytest.mark.parametrize(("label", "a", "b", "score", "outcome", "hint"), EDGES, ids=[e[0] for e in EDGES])
def test_a_pair_on_an_edge_lands_in_its_band(
    cli: Any, label: str, a: list[str], b: list[str], score: float, outcome: str, hint: bool
) -> None:
    first = cli.json("contacts", "add", *a)["data"]["id"]
    second = cli.json("contacts", "add", *b)["data"]["id"]

    hints = cli.json("contacts", "duplicates", first, "--explain")["data"]
    shown = {h["id"]: h for h in hints}
    assert (second in shown) is hint
    if hint:
        assert shown[second]["explanation"]["score"] == pytest.approx(score, abs=5e-5)

    dry = cli.json("identity", "scan", "--dry-run")["data"]
    scan = cli.json("identity", "scan")["data"]
    assert dry == scan
    expected = {"merged": (1, 0), "review": (0, 1), "nothing": (0, 0)}[outcome]
    assert (scan["auto_merged"], scan["pending_review"]) == expected
    left = {c["id"] for c in cli.json("contacts", "list")["data"]}
    assert len(left) == (1 if outcome == "merged" else 2)
    queued = cli.json("identity", "matches")["data"]
    assert len(queued) == (1 if outcome == "review" else 0)
    if outcome == "review":
        assert queued[0]["match_score"] == pytest.approx(score, abs=5e-5)
