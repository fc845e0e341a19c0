"""A merge the user makes hands the merged contact's other pending pairs to the survivor [review-queue]:
of the question 'which of these 3 are one person?', merging one pair dropped the other (its contact was
merged away), so the third contact was asked about no more until another scan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

CARDS = ("ez-vcard__fullcontact.vcf", "ez-vcard__gmail-single2.vcf", "vcard4android__allfields-vcard3.vcf")
AMI = "Ämi Display"


def _pairs(cli: Any) -> list[tuple[str, frozenset[str]]]:
    return [
        (m["id"], frozenset((m["contact_a"]["full_name"], m["contact_b"]["full_name"])))
        for m in cli.json("identity", "matches")["data"]
    ]


def _one_question_of_three(cli: Any, imp: Any, corpus: Path) -> tuple[str, str, str]:
    """The three cards: two pairs queued around one contact (a shared phone and a shared email under
    other names). Returns the id of the pair without Ämi, and its two names."""
    for card in CARDS:
        imp(corpus / "vcard" / card)
    pairs = _pairs(cli)
    assert len(pairs) == 2 and all(AMI in p or len(p & pairs[0][1]) for _, p in pairs)
    ((mid, names),) = [(i, p) for i, p in pairs if AMI not in p]
    a, b = sorted(names)
    return mid, a, b


@pytest.mark.parametrize("how", ["identity merge", "contacts merge"])
def test_the_rest_of_the_question_stays_asked_and_an_unmerge_takes_it_back(
    cli: Any, imp: Any, corpus: Path, how: str
) -> None:
    mid, a, b = _one_question_of_three(cli, imp, corpus)
    before = _pairs(cli)
    if how == "identity merge":
        merged = cli.json("identity", "merge", mid)["data"]
    else:
        ids = {c["full_name"]: c["id"] for c in cli.json("contacts", "list", "--page-size", "100")["data"]}
        merged = cli.json("contacts", "merge", ids[a], ids[b])["data"]
    survivor = cli.json("contacts", "show", merged["survivor_id" if "survivor_id" in merged else "id"])
    name = survivor["data"]["full_name"]
    # the survivor now holds both the phone and the email the third contact was asked about for
    assert [p for _, p in _pairs(cli)] == [frozenset((name, AMI))]
    shown = cli("identity", "matches").stdout
    assert name in shown and AMI in shown

    cli.json("contacts", "unmerge", merged["merge_id"])
    # the pair of the contact merged away is back as it was; the survivor's copy is gone
    assert sorted(p for _, p in _pairs(cli)) == sorted(p for _, p in before if AMI in p)
    assert {i for i, _ in _pairs(cli)} == {i for i, p in before if AMI in p}
