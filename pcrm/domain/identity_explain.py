"""A score's explanation [match-scoring] [review-queue]: each signal with its weight and contribution,
each guard, and one sentence naming the deciding signals in words, which is what the review queue
shows beside a pair.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pcrm.domain.identity_evidence import EXACT, NEAR, UNSURE, AddressMatch
from pcrm.domain.identity_names import Name, agreement_words
from pcrm.domain.identity_person import Person
from pcrm.domain.models import IDENTITIES
from pcrm.domain.shared_keys import joins
from pcrm.domain.wording import value_words


@dataclass
class Explanation:
    score: float
    band: str  # identity.band(score): auto_merge, review or ignore
    signals: list[dict[str, Any]] = field(default_factory=list)
    guards: list[dict[str, Any]] = field(default_factory=list)
    summary: str = ""  # the deciding signals in words

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": round(self.score, 4),
            "band": self.band,
            "summary": self.summary,
            "signals": self.signals,
            "guards": self.guards,
        }


def _words(signal: str, value: float, birthday: str | None, address: AddressMatch | None) -> tuple[str, int]:
    """What one available signal says, and which way: 1 for the pair, 0 neutral, -1 against."""
    if signal == "name":
        if value >= 0.999:
            return "the same name", 1
        if value >= 0.8:
            return "similar names", 1
        if value >= 0.6:
            return "names that partly agree", 0
        return "different names", -1
    if signal == "birthday":
        if birthday == EXACT:
            return "the same birthday", 1
        if birthday == NEAR:
            return "birthdays one slip apart (a typo, swapped digits or a missing year)", 0
        if birthday == UNSURE:
            return "birthdays two slips apart", 0
        return "different birthdays", -1
    if signal == "address" and address is not None:
        street, postcode = address.street, address.postcode
        bits: list[tuple[str, int]] = []
        if street is not None:
            if street >= 0.85:
                bits.append(("the same street address", 1))
            elif street >= 0.5:
                bits.append(("similar street addresses", 0))
            else:
                bits.append(("different street addresses", -1))
        if postcode is not None:
            if postcode >= 1.0:
                bits.append(("the same postcode", 1))
            elif postcode > 0:
                bits.append(("postcodes one digit apart", 0))
            else:
                bits.append(("different postcodes", -1))
        return " and ".join(b for b, _ in bits), max((d for _, d in bits), default=0)
    agree = value >= 0.9
    text = {
        "email": ("a shared email or work domain", "different work email domains"),
        "company": ("the same company", "different companies"),
        "username": ("the same handle", "different handles"),
        "mutual": ("shared tags", "no tags in common"),
        "location": ("the same town", "different towns"),
        "title": ("the same job title", "different job titles"),
    }[signal]
    if signal == "mutual" and 0 < value < 0.9:
        return "some shared tags", 0
    if signal == "location" and 0.75 <= value < 0.9:
        return "similar town names", 0
    if signal == "username" and 0.6 <= value < 0.9:
        return "similar handles", 0
    return (text[0], 1) if agree else (text[1], -1)


def describe(
    signals: list[dict[str, Any]],
    guards: list[dict[str, Any]],
    birthday: str | None,
    address: AddressMatch | None,
) -> str:
    """'the same name and the same birthday; against: different postcodes; review at most: <rule>'."""
    pro: list[str] = []
    con: list[str] = []
    weak: list[str] = []
    ordered = sorted((s for s in signals if s["available"]), key=lambda s: -s["effective_weight"])
    for s in ordered:
        text, direction = _words(s["signal"], s["value"], birthday, address)
        if not text:
            continue
        (pro if direction > 0 else con if direction < 0 else weak).append(text)
    parts = [_join(x) for x in (pro, weak) if x]
    if con:
        parts.append("but " + _join(con))
    sentence = "; ".join(parts) or "nothing to compare"
    binding = [g for g in guards if g.get("applied", True)]
    if binding:
        sentence += f" ({min(binding, key=lambda g: g['cap'])['rule']})"
    return sentence


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# the keys tier 1 links two contacts on when their names agree [shared-keys]
_TIER1_KEYS = ("email", "phone", "email_in_notes")


# how one contact of a pair holds the value it was asked about for [shared-key-reasons]
HAS, IN_NOTES, NONE = "has", "notes", ""


def said_key(
    shared: dict[str, Any],
    held: tuple[str, str] | None = None,
    names: tuple[str, str] = ("one of them", "the other"),
) -> str:
    """The reason of a pair queued for a key, in words [review-queue] [shared-key-reasons]: "they share
    phone +44 20 7946 0001" only when both contacts hold it. `held` says how each contact of the pair
    (a, b), `names` those two, holds the value now: HAS, IN_NOTES (an email its notes name) or NONE; None
    when that is not told (a conversation both hold messages of, the name of a row kept apart). One side
    holding it says so: "only G. Hopper holds linkedin profile id ACo...; it came in a record of Grace
    Hopper too" (a profile of Grace's gave the member id G. Hopper holds), "Ada's email ada@x.com is in
    Ada L's notes". The caller gives the value as the user reads it (a phone as typed, not stored)."""
    key, value = shared["key"], shared["value"]
    if held is None or held == (HAS, HAS):
        return f"they share {key.replace('_', ' ')} {value}"
    words = (
        value_words(key, value)
        if key in IDENTITIES
        else f"{'email' if key == 'email_in_notes' else key.replace('_', ' ')} {value}"
    )
    if HAS in held:
        i = held.index(HAS)
        one, other = names[i], names[1 - i]
        if key == "exported_id":  # a row of an export that named the contact made the other
            return f"{other} came from an exported row with {one}'s id {value}"
        if held[1 - i] == IN_NOTES:
            return f"{one}'s {words} is in {other}'s notes"
        if key == "email_in_notes":  # asked since the other's notes named it: they were edited since
            return f"only {one} holds {words}; {other}'s notes no longer name it"
        return f"only {one} holds {words}; it came in a record of {other} too"
    if held == (IN_NOTES, IN_NOTES):
        return f"both name {words} in their notes; neither holds it"
    if IN_NOTES in held:
        return f"{names[held.index(IN_NOTES)]}'s notes name {words}; neither holds it now"
    return f"neither holds {words} now (they were asked about for it)"


def outcome(
    band: str,
    shared: dict[str, Any] | None,
    pa: Person,
    pb: Person,
    *,
    score: float | None = None,
    listed: float | None = None,
    held: tuple[str, str] | None = None,
    names: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """What happens to a pending pair, and why when the score alone would merge or ignore it
    [review-queue]: the explanation's band is the score's, not the pair's fate. {outcome, outcome_reason}:
    review, with no reason when the score puts it there; auto_merge when it was asked for a key shared
    and the names agree now (a merge or a rename since, or names pcrm reads as one now: "Λουκάς
    Κωνσταντίνου", "Loukas Konstantinou"), saying how they agree: the next scan merges the two, as it
    merges any two contacts sharing that key under agreeing names; review when such a pair's file kept
    the two apart (its shared key marked `apart` [own-exports]), which no scan merges. Given the
    pair's `score` now and the score the queue `listed` it at, where the two differ it adds
    `listed_score` and says why in the reason: a pair sure on its own is asked at the top of the review
    band, and a pair whose contacts changed since keeps the score it was queued with. `held` and `names`:
    who of the two holds the shared key's value and their names, as said_key takes them."""
    fate = _fate(band, shared, pa, pb, held, names)
    if score is None or listed is None or round(listed, 2) == round(score, 2):
        return fate
    if band == "auto_merge" and listed < score:
        note = (
            f"listed at {listed:.2f}: a pair asked instead of merged is listed at the top of the review band"
        )
    else:
        note = f"listed at {listed:.2f}, its score when it was queued; the contacts changed since"
    said = fate["outcome_reason"]
    return dict(fate, listed_score=listed, outcome_reason=f"{said}; {note}" if said else note)


def _fate(
    band: str,
    shared: dict[str, Any] | None,
    pa: Person,
    pb: Person,
    held: tuple[str, str] | None = None,
    shown: tuple[str, str] | None = None,
) -> dict[str, Any]:
    if shared:
        key = shared["key"]
        said = said_key(shared, held, shown) if shown else said_key(shared, held)
        names = [Name(p.tokens, p.markers, p.family_only, p.label, p.marks) for p in (pa, pb)]
        # a key one side lacks (not even in its notes) links nobody in a scan
        linked = held is None or (HAS in held and NONE not in held)
        if linked and key in _TIER1_KEYS and all(names) and joins(names[0], names[1], key):
            how = agreement_words(*(shown or (pa.name, pb.name)))
            if shared.get("apart"):  # the file's own two records: no scan merges them [own-exports]
                return {
                    "outcome": "review",
                    "outcome_reason": f"{said}, and their names agree ({how}), but the file they came from "
                    "kept them apart as two records: asked, never merged by a scan",
                }
            # what agrees is said, not why it did not when asked: a merge, a rename, or names pcrm reads
            # better now (a Greek name and its Latin spelling) all end here
            return {
                "outcome": "auto_merge",
                "outcome_reason": f"{said}, and their names agree now ({how}): the next `pcrm identity scan` "
                "merges them, as it merges any two contacts sharing that key under agreeing names",
            }
        if not linked:  # the value stays with the contact that holds it: nothing links the two but asking
            return {"outcome": "review", "outcome_reason": f"{said}: asked, never merged and never ignored"}
        return {
            "outcome": "review",
            "outcome_reason": f"{said} under names that do not agree: a key two people may share is asked, "
            "never merged and never ignored",
        }
    if band == "auto_merge":
        why = "sure on its own, but the records around this pair do not all agree"
        return {"outcome": "review", "outcome_reason": why}
    if band == "ignore":
        why = (
            "queued when the two contacts held other data (they changed since); it stays asked until you "
            "merge or reject it"
        )
        return {"outcome": "review", "outcome_reason": why}
    return {"outcome": "review", "outcome_reason": None}
