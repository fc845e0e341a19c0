"""`pcrm identity matches --explain` says what happens to a pair [review-queue]: every pair it lists is
asked, so the explanation ends in review even where the score alone would ignore it (a key two people of
different names share, contacts changed since the pair was queued), and says why."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.support.seed import add
from tests.support.store import write

NOW = ("--now", "2026-06-01T12:00:00Z")


def test_a_pair_queued_on_a_shared_phone_is_explained_as_asked(cli: Any) -> None:
    cli("contacts", "add", "--name", "Tom Hardy", "--phone", "+44 20 7946 0001", *NOW)
    cli("contacts", "add", "--name", "Jane Kim", "--phone", "+44 20 7946 0001", *NOW)
    assert cli.json("identity", "scan", *NOW)["data"]["pending_review"] == 1
    ex = cli.json("identity", "matches", "--explain", *NOW)["data"][0]["explanation"]
    assert ex["band"] == "ignore"  # the score's own band, as before
    assert ex["outcome"] == "review"
    assert "they share phone +44 20 7946 0001 under names that do not agree" in ex["outcome_reason"]
    text = cli("identity", "matches", "--explain", *NOW).stdout
    assert "→ ignore" not in text
    assert "score 0.00 → review (the score alone: ignore)" in text
    assert "why: they share phone +44 20 7946 0001" in text


def test_a_pair_whose_contacts_changed_since_it_was_queued_says_it_stays_asked(cli: Any, ctx: Any) -> None:
    a = add(ctx, full_name="Alex Wearn", company=None)
    add(ctx, full_name="Alex Wearn", tags=["x"])
    cli.json("identity", "scan", *NOW)
    cli("contacts", "edit", a, "--name", "Mona Sterling", *NOW)
    (m,) = cli.json("identity", "matches", "--explain", *NOW)["data"]
    assert m["explanation"]["band"] == "ignore" and m["explanation"]["outcome"] == "review"
    assert "it stays asked until you merge or reject it" in m["explanation"]["outcome_reason"]
    assert "→ ignore" not in cli("identity", "matches", "--explain", *NOW).stdout


def test_a_pair_the_score_puts_in_review_says_so_once(cli: Any, ctx: Any) -> None:
    add(ctx, full_name="Alex Wearn", company=None)
    add(ctx, full_name="Alex Wearn", tags=["x"])
    cli.json("identity", "scan", *NOW)
    ex = cli.json("identity", "matches", "--explain", *NOW)["data"][0]["explanation"]
    assert (ex["band"], ex["outcome"], ex["outcome_reason"]) == ("review", "review", None)
    text = cli("identity", "matches", "--explain", *NOW).stdout
    assert "score 0.70 → review\n" in text and "why:" not in text


def test_a_contacts_duplicates_hint_queued_for_review_says_it_is_asked(cli: Any) -> None:
    """`pcrm contacts duplicates X --explain` said '→ auto merge' of a pair the queue asks about (a phone
    under names one nickname apart, the same company): no scan merges it."""
    cli("contacts", "add", "--name", "Chris Evans", "--phone", "+44 20 7946 0003", "--company", "Acme", *NOW)
    cli(
        "contacts",
        "add",
        "--name",
        "Christine Evans",
        "--phone",
        "+44 20 7946 0003",
        "--company",
        "Acme",
        *NOW,
    )
    assert cli.json("identity", "scan", *NOW)["data"]["pending_review"] == 1
    (hint,) = cli.json("contacts", "duplicates", "Chris Evans", "--explain", *NOW)["data"]
    ex = hint["explanation"]
    assert ex["band"] == "auto_merge" and ex["outcome"] == "review"
    text = cli("contacts", "duplicates", "Chris Evans", "--explain", *NOW).stdout
    assert "→ auto merge" not in text and "→ review (the score alone: auto merge)" in text
    # the scan leaves it asked, as said
    assert cli.json("identity", "scan", *NOW)["meta"]["deterministic_merged"] == 0
    assert len(cli.json("identity", "matches", *NOW)["data"]) == 1


def test_a_shared_phone_is_named_as_the_contacts_show_it(cli: Any, tmp_path: Any) -> None:
    """The review reason named a phone in its stored form (+442079460001) where `pcrm contacts show` says
    +44 20 7946 0001: the queue, its explanation and the duplicate hints now name it as typed on the
    contacts, whether tier 1 or an import queued the pair, and write it out once no contact holds it."""
    cli("contacts", "add", "--name", "Chris Evans", "--phone", "+44 20 7946 0003", "--company", "Acme", *NOW)
    card = tmp_path / "christine.vcf"
    card.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Christine Evans\nORG:Acme\nTEL:+44 20 7946 0003\nEND:VCARD\n",
        encoding="utf-8",
    )
    cli("import", str(card), *NOW)  # the import asks: one phone under names one nickname apart
    cli("contacts", "add", "--name", "Tom Hardy", "--phone", "+44 (0)20 7946 0001", *NOW)
    cli("contacts", "add", "--name", "Jane Kim", "--phone", "+44 20 7946 0001", *NOW)
    assert cli.json("identity", "scan", *NOW)["data"]["pending_review"] == 1  # tier 1 asks
    shown = cli("contacts", "show", "Tom Hardy", *NOW).stdout
    assert "+44 (0)20 7946 0001" in shown
    data = cli.json("identity", "matches", "--explain", *NOW)["data"]
    reasons = sorted(m["reason"] for m in data)
    assert reasons == ["they share phone +44 (0)20 7946 0001", "they share phone +44 20 7946 0003"]
    assert {m["shared_key"]["value"] for m in data} == {
        "+442079460001",
        "+442079460003",
    }  # the data as stored
    text = cli("identity", "matches", "--explain", *NOW).stdout
    assert "+4420794600" not in text
    assert "why: they share phone +44 (0)20 7946 0001 under names that do not agree" in text
    hint = cli("contacts", "duplicates", "Chris Evans", "--explain", *NOW).stdout
    assert "why: they share phone +44 20 7946 0003 under names" in hint and "+442079460003" not in hint
    # neither contact holds the number any more: written out, not in its stored form, and not said shared
    for name in ("Tom Hardy", "Jane Kim"):
        cli("contacts", "edit", name, "--clear", "phones", *NOW)
    text = cli("identity", "matches", *NOW).stdout
    assert "neither holds phone +44 20 7946 0001 now" in text and "+442079460001" not in text


def test_a_pair_asked_instead_of_merged_explains_the_score_the_queue_lists(cli: Any) -> None:
    """The queue listed 0.85 for a pair whose explanation scored 1.00 without a word: the scan asks a pair
    sure on its own at the top of the review band when the records around it disagree (a bare "Wei
    Dubois at Acme" next to two born decades apart). The explanation now says so and gives `listed_score`."""
    for born in ("1955-07-09", "1990-03-04"):
        cli("contacts", "add", "--name", "Wei Dubois", "--company", "Acme", "--birthday", born, *NOW)
    bare = cli.json("contacts", "add", "--name", "Wei Dubois", "--company", "Acme", *NOW)["data"]["id"]
    assert cli.json("identity", "scan", *NOW)["data"]["pending_review"] == 2
    data = cli.json("identity", "matches", "--explain", *NOW)["data"]
    for m in data:
        ex = m["explanation"]
        assert m["match_score"] == 0.85 and ex["score"] == 1.0 and ex["band"] == "auto_merge"
        assert ex["listed_score"] == m["match_score"]
        assert (
            "listed at 0.85: a pair asked instead of merged is listed at the top of the review band"
            in (ex["outcome_reason"])
        )
    text = cli("identity", "matches", "--explain", *NOW).stdout
    assert "score 1.00 → review (the score alone: auto merge)" in text
    assert (
        text.count("why: sure on its own, but the records around this pair do not all agree; listed at 0.85")
        == 2
    )
    hints = cli.json("contacts", "duplicates", bare, "--explain", *NOW)["data"]
    assert [h["explanation"]["listed_score"] for h in hints] == [0.85, 0.85]


def test_a_pair_whose_score_changed_since_it_was_queued_says_which_score_is_listed(cli: Any) -> None:
    ids = [cli.json("contacts", "add", "--name", "Peter Brown", *NOW)["data"]["id"] for _ in range(2)]
    assert cli.json("identity", "scan", *NOW)["data"]["pending_review"] == 1  # the name alone: 0.70
    for cid in ids:  # the same job title since: 0.80, still asked
        cli("contacts", "edit", cid, "--title", "Engineer", *NOW)
    (m,) = cli.json("identity", "matches", "--explain", *NOW)["data"]
    ex = m["explanation"]
    assert (m["match_score"], ex["score"], ex["band"]) == (0.70, 0.80, "review")
    assert ex["listed_score"] == 0.70
    assert "listed at 0.70, its score when it was queued; the contacts changed since" in ex["outcome_reason"]
    text = cli("identity", "matches", "--explain", *NOW).stdout
    assert "score 0.80 → review\n" in text and "why: listed at 0.70" in text


def test_a_scan_lists_a_waiting_pair_at_its_score_as_the_contacts_now_stand(cli: Any) -> None:
    """`pcrm identity scan` skipped a pair already asked: the queue kept listing the 0.70 it was queued
    with while the contacts scored 0.80 since (the same job title). A scan now scores every waiting pair
    again, capped as the queue stores any (`pending_rescored` counts them), and never answers one: a pair
    whose contacts drifted apart stays asked, at its lower score. A second scan changes nothing."""
    ids = [cli.json("contacts", "add", "--name", "Peter Brown", *NOW)["data"]["id"] for _ in range(2)]
    assert cli.json("identity", "scan", *NOW)["data"]["pending_review"] == 1  # the name alone: 0.70
    (before,) = cli.json("identity", "matches", *NOW)["data"]
    for cid in ids:
        cli("contacts", "edit", cid, "--title", "Engineer", *NOW)
    scan = cli.json("identity", "scan", *NOW)
    (m,) = cli.json("identity", "matches", "--explain", *NOW)["data"]
    assert (m["id"], m["status"], m["match_score"]) == (before["id"], "pending_review", 0.80)
    assert (scan["data"]["pending_review"], scan["meta"]["pending_rescored"]) == (0, 1)
    assert "listed_score" not in m["explanation"] and m["explanation"]["outcome_reason"] is None
    assert "0.80" in cli("identity", "matches", *NOW).stdout
    assert cli.json("identity", "scan", *NOW)["meta"]["pending_rescored"] == 0
    # apart since (one renamed): still asked, listed at what it scores now
    cli("contacts", "edit", ids[0], "--name", "Mona Sterling", *NOW)
    scan = cli.json("identity", "scan", *NOW)
    (m,) = cli.json("identity", "matches", "--explain", *NOW)["data"]
    assert (m["id"], m["status"]) == (before["id"], "pending_review")
    assert m["match_score"] == m["explanation"]["score"] < 0.70
    assert scan["meta"]["pending_rescored"] == 1


def test_a_shared_key_no_longer_shared_is_no_reason_after_a_scan(cli: Any) -> None:
    """A pair asked for a phone two differently named contacts shared kept saying "they share phone ..."
    after the number was taken off one of them; the next scan works the reason out from the contacts."""
    cli("contacts", "add", "--name", "Tom Hardy", "--phone", "+44 20 7946 0001", *NOW)
    cli("contacts", "add", "--name", "Jane Kim", "--phone", "+44 20 7946 0001", *NOW)
    assert cli.json("identity", "scan", *NOW)["data"]["pending_review"] == 1
    (m,) = cli.json("identity", "matches", *NOW)["data"]
    assert m["shared_key"]["key"] == "phone"
    cli("contacts", "edit", "Jane Kim", "--clear", "phones", *NOW)
    scan = cli.json("identity", "scan", *NOW)
    (after,) = cli.json("identity", "matches", *NOW)["data"]
    assert after["id"] == m["id"] and after["shared_key"] is None and "share phone" not in after["reason"]
    assert scan["meta"]["pending_rescored"] == 1


def test_an_import_asking_about_two_namesakes_lists_them_as_a_scan_would(cli: Any, tmp_path: Any) -> None:
    """A CSV row 'Wei Dubois, Acme' beside two stored Wei Dubois at Acme (born decades apart) picks neither
    and asks about both: the import stored each pair at its full score (1.00), while a scan asks such a
    pair at the top of the review band (0.85). Both paths store a waiting pair's score alike now."""
    for born in ("1955-07-09", "1990-03-04"):
        cli("contacts", "add", "--name", "Wei Dubois", "--company", "Acme", "--birthday", born, *NOW)
    row = tmp_path / "wei.csv"
    row.write_text("Name,Company\nWei Dubois,Acme\n", encoding="utf-8")
    assert cli.json("import", str(row), *NOW)["data"]["pending_review"] == 2
    data = cli.json("identity", "matches", "--explain", *NOW)["data"]
    assert [m["match_score"] for m in data] == [0.85, 0.85]
    assert all(m["explanation"]["listed_score"] == 0.85 for m in data)
    assert all(
        "listed at 0.85: a pair asked instead of merged" in m["explanation"]["outcome_reason"] for m in data
    )
    # a scan lists them the same (nothing to score again)
    assert cli.json("identity", "scan", *NOW)["meta"]["pending_rescored"] == 0
    assert [m["match_score"] for m in cli.json("identity", "matches", *NOW)["data"]] == [0.85, 0.85]


GREEK_CARDS = "".join(
    f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\nEMAIL:loukas@example.gr\r\nEND:VCARD\r\n"
    for uid, name in (("ABPerson-1", "Λουκάς Κωνσταντίνου"), ("ABPerson-2", "Loukas Konstantinou"))
)


def _greek_pair(cli: Any, imp: Any, tmp_path: Path) -> dict[str, Any]:
    f = tmp_path / "loukas.vcf"
    f.write_text(GREEK_CARDS, encoding="utf-8")
    assert imp(f)["data"]["pending_review"] == 1  # two cards of two UIDs: kept apart, asked [own-exports]
    (m,) = cli.json("identity", "matches", "--explain", *NOW)["data"]
    return dict(m)


def test_a_pair_whose_names_agree_across_scripts_says_how_and_what_happens(
    cli: Any, imp: Any, tmp_path: Path
) -> None:
    """`pcrm identity matches --explain` said "their names agree now (a contact was merged or renamed
    since it was asked): the next `pcrm identity scan` merges them" of "Λουκάς Κωνσταντίνου" and "Loukas
    Konstantinou", two cards of two UIDs sharing an email: neither contact had changed, and the scan left
    them asked, as it leaves every pair a file kept apart. It now says how the names agree and that the
    pair stays asked."""
    m = _greek_pair(cli, imp, tmp_path)
    reason = m["explanation"]["outcome_reason"]
    assert m["explanation"]["outcome"] == "review", reason
    assert "renamed since" not in reason
    assert "Λουκάς Κωνσταντίνου and Loukas Konstantinou are one name in Greek and in Latin letters" in reason
    assert "the file they came from kept them apart" in reason
    cli.json("identity", "scan", *NOW)
    assert len(cli.json("identity", "matches", *NOW)["data"]) == 1


def test_a_pair_queued_when_its_names_were_read_apart_says_how_they_agree_now(
    cli: Any, imp: Any, store: Any, tmp_path: Path
) -> None:
    """The same pair as an older pcrm queued it (it read "ου" as "oy", so the names were one letter apart
    and the shared email was asked about, with no mark of a file keeping them apart): the explanation says
    how the names agree now, not that a contact was merged or renamed, and the scan merges them as said."""
    _greek_pair(cli, imp, tmp_path)
    write(store, "UPDATE identity_matches SET explanation = json_remove(explanation, '$.shared_key.apart')")
    (m,) = cli.json("identity", "matches", "--explain", *NOW)["data"]
    reason = m["explanation"]["outcome_reason"]
    assert m["explanation"]["outcome"] == "auto_merge", reason
    assert "renamed since" not in reason
    assert (
        "they share email loukas@example.gr, and their names agree now (Λουκάς Κωνσταντίνου and Loukas "
        "Konstantinou are one name in Greek and in Latin letters): the next `pcrm identity scan` merges them"
    ) in reason
    assert cli.json("identity", "scan", *NOW)["meta"]["deterministic_merged"] == 1
    assert cli.json("identity", "matches", *NOW)["data"] == []
