"""Identity matching [match-scoring]: pure functions over `Person` records.

Tier 2 follows the reference's adaptive-weight scorer (signals, availability, renormalised weights,
guards, thresholds), improved where the labelled benchmarks need it [match-scoring]:
- names are compared after transliteration (diacritics, Cyrillic, Greek), with nicknames, initials and
  "Family, Given" order understood (identity_names);
- a personal mailbox (gmail.com, ...) says nothing against a work address, so the email signal is only
  available when it can be evidence (a shared work domain, or two different work domains);
- handles are compared across platforms, and email local parts and handles can stand in for a name;
- person evidence: birthday (graded: a near-identical date is weak support, a clearly different one a
  veto [birthday-rule]), postal address (street and house number, postcode) and town, tolerant to typos,
  missing parts and transposed digits (identity_evidence);
- records with nothing that identifies them (no shared email, handle or company) merge only on two
  agreeing pieces of person evidence [person-evidence];
- compound and person blocking keys keep big stores findable (identity_blocking).
Every score comes with an explanation: each signal, its weight, availability, the guards applied, and
the deciding signals in words.

This module is the one scorer: the scan, the review queue, the duplicate hints and the write-time
resolver all call `score`/`explain`/`band` on `person(...)` records.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rapidfuzz.distance import Levenshtein

from pcrm.domain.identity_blocking import (
    MAX_BLOCK,
    WEAK_BLOCK,
    blocking_keys,
    candidate_pairs,
    namesakes_only,
    pair_codes,
)
from pcrm.domain.identity_evidence import (
    DIFFERENT,
    EXACT,
    NEAR,
    UNSURE,
    AddressMatch,
    best_address_match,
    compare_birthdays,
    name_part,
    person_verdict,
)
from pcrm.domain.identity_explain import Explanation, describe
from pcrm.domain.identity_names import (
    COMPATIBLE,
    NICKNAMES,
    alias_similarity,
    canon,
    compact,
    company_key,
    family_name_alone,
    markers_conflict,
    marks_differ,
    middle_names_differ,
    name_markers,
    name_similarity,
    name_tokens,
    names_compatible,
    other_given_name,
    parse_name,
    strip_accents,
    token_similarity,
)
from pcrm.domain.identity_person import (
    COMMON_DOMAINS,
    Person,
    data_weight,
    emails_in_text,
    person,
    same_source,
)
from pcrm.domain.normalize import phone_line_digits
from pcrm.domain.sources import source_label

__all__ = [
    "AUTO_MERGE",
    "COMMON_DOMAINS",
    "COMPATIBLE",
    "HINT",
    "MAX_BLOCK",
    "NICKNAMES",
    "REVIEW",
    "WEAK_BLOCK",
    "WEIGHTS",
    "Explanation",
    "Person",
    "band",
    "blocking_keys",
    "candidate_pairs",
    "canon",
    "compact",
    "company_key",
    "data_weight",
    "emails_in_text",
    "explain",
    "holds_key",
    "middle_names_differ",
    "name_markers",
    "name_similarity",
    "name_tokens",
    "names_compatible",
    "namesakes_only",
    "pair_codes",
    "parse_name",
    "person",
    "queued_score",
    "same_source",
    "score",
    "score_from",
    "strip_accents",
    "token_similarity",
]

name_sim = Levenshtein.normalized_similarity

AUTO_MERGE = 0.85  # score > AUTO_MERGE: merged without review
# REVIEW <= score <= AUTO_MERGE: queued; the name-only cap of exactly 0.70 is queued [match-thresholds]
REVIEW = 0.70
HINT = 0.40  # per-contact duplicate hints [duplicate-hints]

WEIGHTS = {
    "email": 0.40,
    "name": 0.20,
    "company": 0.20,
    "username": 0.10,
    "mutual": 0.10,
    "birthday": 0.15,
    "address": 0.20,
    "location": 0.05,
    "title": 0.05,
}


def band(score: float) -> str:
    """auto_merge above AUTO_MERGE; review from REVIEW up to AUTO_MERGE itself; else ignore."""
    if score > AUTO_MERGE:
        return "auto_merge"
    if score >= REVIEW:
        return "review"
    return "ignore"


def queued_score(score: float, *, shared_key: bool = False) -> float:
    """The score a pending pair is stored and listed with [review-queue], however it was queued (a scan, an
    import, a merge handing it over, a scan scoring it again): a scored pair is capped at the top of the
    review band (AUTO_MERGE), since it is asked, not merged; a pair asked for a key two contacts share
    keeps its score as it is, as tier 1 stores it."""
    return round(score if shared_key else min(score, AUTO_MERGE), 4)


def holds_key(p: Person, shared: dict[str, Any], gone: str = "") -> bool:
    """Whether a contact holds the key a pending pair was asked for [shared-keys]: an email or a phone
    (compared as tier 1 compares them); any other key is taken as held, unless it names `gone` (the uuid of
    a contact merged away: an exported row's id naming it is no key of anyone's now)."""
    key, value = shared.get("key"), str(shared.get("value") or "")
    if gone and value.lower() == gone:
        return False
    if key == "email":
        return value.lower() in p.emails
    if key == "phone":
        return phone_line_digits(value) in {phone_line_digits(x) for x in p.phones}
    return True


# signals that can carry a pair on their own besides the name; the others (shared tags, the town) only
# support it
_STRONG = ("email", "company", "username", "birthday", "address")
# what identifies a record beyond its name and person data: a pair with none of these on both sides is
# two "name-only" records [person-evidence]
_IDENTIFIERS = ("email", "company", "username")


class _Pair:
    """One comparison: each signal's value and availability, plus the raw comparisons the guards
    read (how the birthdays relate, how the addresses compare)."""

    __slots__ = ("address", "available", "birthday", "values")

    def __init__(self) -> None:
        self.values: dict[str, float] = {}
        self.available: dict[str, bool] = {}
        self.birthday: str | None = None  # EXACT, NEAR, UNSURE, DIFFERENT or None (not on both)
        self.address: AddressMatch | None = None


def _signals(a: Person, b: Person, floor: float | None = None) -> _Pair | None:
    """Each signal of a pair. With `floor` (the scan, which keeps only what reaches the review band):
    None when the pair cannot reach it even with the names agreeing fully, found before the names are
    compared, the costliest signal (`score_from`)."""
    pair = _Pair()
    values, available = pair.values, pair.available
    # email: a shared work domain (or address) is evidence; two different work domains count against
    shared = not a.work_domains.isdisjoint(b.work_domains) or not a.emails.isdisjoint(b.emails)
    available["email"] = bool(a.emails and b.emails) and (shared or bool(a.work_domains and b.work_domains))
    values["email"] = 1.0 if shared else 0.0

    available["company"] = bool(a.company and b.company)
    values["company"] = 0.0
    if available["company"]:
        c = 1.0 if a.company == b.company else name_sim(a.company, b.company)
        values["company"] = c if c >= 0.9 else 0.0

    available["username"] = bool(a.handles and b.handles)
    values["username"] = (
        max((_handle_similarity(x, y) for x in a.handles for y in b.handles), default=0.0)
        if available["username"]
        else 0.0
    )

    available["mutual"] = bool(a.tags and b.tags)
    values["mutual"] = len(a.tags & b.tags) / len(a.tags | b.tags) if available["mutual"] else 0.0

    available["birthday"] = bool(a.birthday and b.birthday)
    values["birthday"] = 0.0
    if available["birthday"]:
        pair.birthday = compare_birthdays(a.birthday or "", b.birthday or "")
        values["birthday"] = {EXACT: 1.0, NEAR: 0.5, UNSURE: 0.25}.get(pair.birthday, 0.0)

    m = best_address_match(a.addresses, b.addresses) if a.addresses and b.addresses else None
    pair.address = m
    parts = [(w, v) for w, v in ((0.65, m.street), (0.35, m.postcode)) if v is not None] if m else []
    available["address"] = bool(parts)
    values["address"] = sum(w * v for w, v in parts) / sum(w for w, _ in parts) if parts else 0.0

    # the job title: weak, like the town (many people are "Software Engineer"; titles change)
    available["title"] = bool(a.title and b.title)
    values["title"] = 1.0 if available["title"] and name_sim(a.title, b.title) >= 0.9 else 0.0

    if a.town and b.town:
        available["location"] = True
        values["location"] = name_part(a.town, b.town)
    else:
        available["location"] = bool(a.location and b.location)
        values["location"] = 1.0 if available["location"] and a.location == b.location else 0.0
    if floor is not None and a.tokens and b.tokens:
        # the best the names could do (1.0; the name signal is available, both sides having one): a pair
        # that stays below `floor` so, outside the person-evidence bands (which may lift a sum), stays
        # below it whatever the names say, since every guard after the sum only lowers it
        available["name"], values["name"] = True, 1.0
        if not _pure_person(pair) and round(_weighted(pair), 6) < floor:
            return None
    values["name"] = name = _name_signal(a, b)
    available["name"] = bool(a.tokens and b.tokens) or name > 0
    return pair


def _name_signal(a: Person, b: Person) -> float:
    """How far two records' names agree, an email local part or a handle standing in for one."""
    name = similarity = name_similarity(a.tokens, b.tokens)
    if name < 0.8 and (len(a.tokens) == 1) != (len(b.tokens) == 1) and (a.tokens and b.tokens):
        # a name with one part missing ("waller" and "lachlan waller"): the part given agrees, the
        # rest is unknown, so it supports the pair without settling it
        one, other = (a.tokens, b.tokens) if len(a.tokens) == 1 else (b.tokens, a.tokens)
        name = max(name, 0.75 * max(token_similarity(one[0], t) for t in other))
    if name < 0.8 and not _one_family(a.tokens, b.tokens, similarity):
        # an email local part or handle that spells the other's name stands in for it, when it is a
        # near spelling (not two names that merely share a given name), and when the two names do not
        # already tell two people of one family apart
        alias = max(
            alias_similarity(a.aliases, b.forms, b.tokens), alias_similarity(b.aliases, a.forms, a.tokens)
        )
        if alias >= 0.8:
            name = max(name, alias * 0.95)
    return name


def _sums(pair: _Pair) -> tuple[float, float]:
    """The available signals' weighted sum and their weights' sum."""
    total_w = 0.0
    total = 0.0
    for k, w in WEIGHTS.items():
        if pair.available[k]:
            total_w += w
            total += w * pair.values[k]
    return total, total_w


def _weighted(pair: _Pair) -> float:
    """The weighted sum rescaled over the available signals, as `_score` starts from; 0.0 when none is."""
    total, total_w = _sums(pair)
    return total / total_w if total_w else 0.0


BELOW = -1.0  # `_score` with a floor: the pair stays below it (its score was not worked out)


def _score(
    a: Person, b: Person, guards: list[dict[str, Any]] | None, floor: float | None = None
) -> tuple[float, _Pair | None]:
    pair = _signals(a, b, floor)
    if pair is None:
        return BELOW, None
    values, available = pair.values, pair.available
    total, total_w = _sums(pair)
    if not total_w:
        if guards is not None:
            guards.append(
                {
                    "guard": "no_signal",
                    "rule": "nothing to compare",
                    "cap": 0.0,
                    "before": 0.0,
                    "applied": True,
                }
            )
        return 0.0, pair
    total /= total_w

    def cap(limit: float, guard: str, rule: str) -> None:
        nonlocal total
        if guards is not None:
            guards.append(
                {
                    "guard": guard,
                    "rule": rule,
                    "cap": limit,
                    "before": round(total, 4),
                    "applied": total > limit,
                }
            )
        total = min(total, limit)

    markers = markers_conflict(a.markers, b.markers) if a.tokens and b.tokens else ""
    if not markers and family_name_alone(a, b):
        markers = "family_name"
    if not markers and middle_names_differ(a.tokens, b.tokens):
        markers = "middle_names"
    apart = _told_apart(a, b)
    if _pure_person(pair):
        total = _person_score(a, b, pair, total, guards)
        if markers:
            _cap_markers(markers, cap)
        if apart:
            _cap_apart(apart, cap)
        return total, pair
    if floor is not None and round(total, 6) < floor:
        return BELOW, pair  # every guard below only lowers the sum: the pair stays below `floor`

    name = values["name"]
    company_match = available["company"] and values["company"] >= 0.9
    email_match = available["email"] and values["email"] == 1.0
    if available["name"] and name < 0.5 and company_match and email_match:
        cap(0.35, "colleague", "different names at the same company and email domain")
    elif name < 0.5 and company_match and not email_match:
        cap(0.35, "colleague_company", "different names at the same company")
    if email_match and name < 0.7:
        cap(0.35, "shared_domain_other_name", "same email domain but the names differ")
    if (len(a.tokens) == 1) or (len(b.tokens) == 1):
        if not (available["email"] or available["company"] or available["username"]):
            twins = _distinctive_twins(a, b)
            if twins:
                # the same rare name marked by an emoji or a symbol, from two apps: asked, never merged
                cap(REVIEW, "distinctive_name", twins)
            else:
                total = _lone_word(total, guards)
        elif available["company"] and not company_match:
            cap(0.35, "single_token_other_company", "a one-word name at another company")
        elif available["username"] and values["username"] < 0.3:
            cap(0.45, "single_token_other_handle", "a one-word name with unlike handles")
    if pair.birthday == DIFFERENT:
        cap(0.50, "birthday_differs", "different birthdays")  # [birthday-rule]
    mailboxes = _two_mailboxes(a, b) if email_match else None
    if mailboxes == "numbered":
        # john.smith@x.com and john.smith2@x.com: the employer numbered two people of one name
        cap(0.60, "numbered_mailboxes", "one name numbered twice at one work domain: two people")
    elif mailboxes == "two_names":
        # soren.keller@ and soren.muller3@ at one work domain: each record's own mailbox, spelling
        # two different names (an employer spells a person's name one way)
        cap(0.60, "two_colleagues", "two mailboxes of two names at one work domain: two people")
    elif mailboxes == "given_names":
        # dan@ and dana@ at a family's domain: each record's own given name, and the two differ
        cap(0.60, "two_given_names", "two mailboxes of two given names at one domain: two people")
    elif mailboxes == "spellings":
        # ada.lovelace@ and alovelace@ (one person's aliases) or nadia.novak@ and radia.novak@ (two)
        cap(0.80, "two_mailboxes", "two mailboxes of the name at one work domain: review at most")
    elif mailboxes == "other" and not any(
        available[k] and values[k] >= 0.9 for k in ("username", "birthday", "address")
    ):
        # anna.k@ and jan.k@ at one domain: the domain is all the addresses share, and a family or a
        # small firm holds many people's mailboxes; without a handle, a birthday or an address that
        # agrees, that is for the user to decide
        cap(0.80, "other_mailboxes", "two other mailboxes at one domain, no address shared: review at most")
    if markers:
        _cap_markers(markers, cap)
    if apart:
        _cap_apart(apart, cap)
    if not email_match and _numbered_personal(a, b):
        # adalovelace123@gmail.com and adalovelace456@proton.me: the number a mail service hands out
        # when the name is taken tells two people of one name apart, as an employer's does
        cap(0.60, "numbered_personal_mailboxes", "one name numbered twice at mail services: two people")
    elif _mailbox_names_differ(a, b) and not any(
        available[k] and values[k] >= 0.9 for k in ("username", "birthday", "address")
    ):
        # "E. Knuth" <elifknuth645@proton.me> and Elizabeth Knuth: the mailbox writes out the given name
        # the initial (or nickname) stands for, and it is another name than the other record's
        cap(0.60, "mailbox_other_given_name", "a mailbox spells another given name: two people")
    if not available["name"]:
        cap(0.80, "no_name", "no names to compare: review at most")
    strong = [k for k in _STRONG if available[k]]
    others = [k for k in WEIGHTS if k != "name" and available[k]]
    backed = any(values[k] >= 0.9 for k in strong)  # a strong signal agrees
    common = max(a.name_count, b.name_count)
    if available["name"]:
        if others and all(values[k] < 0.5 for k in others):
            # the name is all that agrees and something else disagrees: weaker than a name alone
            # (renormalised, a lone disagreeing town would otherwise lift the pair above it)
            cap(0.60, "only_the_name_agrees", "nothing but the name agrees")
        elif common > 2 and not backed:
            # [match-thresholds]: when three or more contacts have that name, the name (with shared
            # tags or a town at most) does not say which of them belong together: a hint, not asked
            cap(0.60, "common_name", f"{common} contacts have this name and nothing stronger agrees")
        elif not others:
            cap(0.70, "name_only", "the name is the only signal")
        elif not strong or (not backed and name < 1.0):
            # a name with only weak support (shared tags or city), or strong signals that do not agree
            cap(0.80, "weak_support", "nothing but the name and weak signals agree: review at most")
    # rounded, so a weighted sum that is 0.85 on paper (0.8500000000000001 in floating point) lands in
    # the band it names on paper: a score is shown to 4 places and compared to thresholds as shown
    return round(max(0.0, min(1.0, total)), 6), pair


def _lone_word(total: float, guards: list[dict[str, Any]] | None) -> float:
    """A one-word name with no email, company or handle to compare says little ("Alex"): ×0.4, at most
    0.50."""
    if guards is not None:
        guards.append(
            {
                "guard": "single_token_name",
                "rule": "a one-word name with nothing else to compare: ×0.4, at most 0.50",
                "cap": 0.50,
                "before": round(total, 4),
                "applied": True,
            }
        )
    return min(total * 0.4, 0.50)


def _distinctive_twins(a: Person, b: Person) -> str:
    """[distinctive-names]: the rule in words when two contacts carry one display name marked by an emoji
    or a symbol ("Grace 🧤"), no third contact has it, they came from two different sources (two apps
    holding one chat partner each), and nothing they both hold disagrees: emails, phones; else ""."""
    if not a.display or a.display != b.display or max(a.name_count, b.name_count) > 2:
        return ""
    if not a.source or not b.source or a.source == b.source:
        return ""
    if a.emails and b.emails and a.emails.isdisjoint(b.emails):
        return ""
    if a.phones and b.phones:
        lines = {phone_line_digits(p) for p in a.phones}
        if lines.isdisjoint(phone_line_digits(p) for p in b.phones):
            return ""
    first, second = sorted((source_label(a.source), source_label(b.source)))
    return (
        f"an uncommon name written alike, emoji or symbols included, on {first} and on {second}; no other "
        "contact has it and nothing they both hold disagrees: asked, never merged"
    )


def _cap_markers(conflict: str, cap: Callable[[float, str, str], None]) -> None:
    """[shared-keys]: names whose honorifics (Mr, Mrs) or generational suffixes (Jr, Sr) disagree, and a
    title with a family name alone against a name with a given name ("Mr Kim", "Jane Kim"), and two full
    middle names that differ ("John Albert Smith", "John Robert Smith": `middle_names_differ`), are never
    merged without the user: review at most."""
    if conflict == "honorific":
        cap(0.80, "honorifics_differ", "Mr against Mrs, Ms or Miss: review at most")
    elif conflict == "family_name":
        cap(0.80, "family_name_alone", "a title and a family name against a full name: review at most")
    elif conflict == "middle_names":
        cap(0.80, "middle_names_differ", "two different middle names: review at most")
    else:
        cap(0.80, "generations_differ", "Jr, Sr or II on one name only, or two of them: review at most")


def _told_apart(a: Person, b: Person) -> str:
    """What the user wrote into two names to tell them apart [shared-keys]: "numbers" when both carry a
    number and the numbers differ ("Flat 1", "Flat 12"), "number" when one carries a number and the
    other none (`numbered_once`: "John Smith 2", "John Smith"), "marks" when their emoji or symbols tell
    them apart (`marks_differ`: "Anna 🙂", "Anna 😀"; "Anna", "Anna 🙂"), else ""."""
    if not a.tokens or not b.tokens:
        return ""
    if a.number != b.number:  # `numbers_differ` or `numbered_once`, read once per contact
        return "numbers" if a.number and b.number else "number"
    return "marks" if marks_differ(a.marks, b.marks, min(len(a.tokens), len(b.tokens))) else ""


def _cap_apart(apart: str, cap: Callable[[float, str, str], None]) -> None:
    """[match-scoring]: two names numbered otherwise are two people (or flats, or desks): a hint at most,
    never asked on the score alone; a name numbered against the same name plain ("John Smith 2", "John
    Smith": the second John Smith the user saved) and two names whose words agree and whose emoji or
    symbols differ are two entries the user kept apart: review at most, never merged."""
    if apart == "numbers":
        cap(0.60, "numbers_differ", "names that differ in a number: two people")
    elif apart == "number":
        cap(0.80, "numbered_once", "one name numbered, the other not: review at most")
    else:
        cap(0.80, "marks_differ", "the same name marked by other emoji or symbols: review at most")


def _one_family(a: tuple[str, ...], b: tuple[str, ...], similarity: float | None = None) -> bool:
    """Two names of two parts or more that share a part but are not one person's name ("Elif Bartik",
    "Elizabeth Bartik"; "J. Perlman", "Zoe Perlman"): two people of one family, as far as names tell.
    `similarity`: their `name_similarity`, when worked out already."""
    if len(a) < 2 or len(b) < 2 or names_compatible(a, b, similarity):
        return False
    return any(token_similarity(x, y) >= 0.9 for x in a for y in b)


_DIGITS = str.maketrans("", "", "0123456789")
_LETTERS = {c: None for c in range(128) if not chr(c).isdigit()}  # keeps only the digits (ASCII)


def _handle_similarity(x: str, y: str) -> float:
    """Two handles: their spelling's similarity, except that two handles that differ only in their
    digits ("kathtorvalds2701", "kathtorvalds2930") are two accounts: a number is what a platform
    adds to tell two people of one name apart."""
    if x != y and x.translate(_DIGITS) == y.translate(_DIGITS):
        return 0.0
    return float(name_sim(x, y))


def _pure_person(pair: _Pair) -> bool:
    """Two records with names and person data (a birthday or an address on both sides) and nothing
    else that identifies them: no email, company or handle to compare [person-evidence]."""
    av = pair.available
    return av["name"] and not any(av[k] for k in _IDENTIFIERS) and (av["birthday"] or av["address"])


# the score range of each band: a pure person pair's agreement (the weighted sum) is placed inside the
# band its evidence decides, so the pairs of one band stay ranked by how much of their data agrees
_RANGES = {"auto_merge": (AUTO_MERGE + 0.01, 1.0), "review": (REVIEW, AUTO_MERGE)}


def _person_score(
    a: Person, b: Person, pair: _Pair, total: float, guards: list[dict[str, Any]] | None
) -> float:
    """[person-evidence]: the band of a pure person pair comes from which evidence agrees
    (`person_verdict`), the score inside it from the weighted sum."""
    if pair.values["name"] >= COMPATIBLE:
        names = "same"
    elif names_compatible(a.tokens, b.tokens):
        names = "compatible"
    elif len(a.tokens) >= 2 and len(b.tokens) >= 2 and token_similarity(a.tokens[0], b.tokens[0]) >= 0.9:
        names = "given"
    else:
        names = "different"
    town = pair.values["location"] if pair.available["location"] else None
    full = len(a.birthday or "") == 10 and len(b.birthday or "") == 10
    common = max(a.name_count, b.name_count) > 2
    verdict, why = person_verdict(names, pair.birthday, full, pair.address, town, common=common)
    if verdict in _RANGES:
        lo, hi = _RANGES[verdict]
        score = lo + (hi - lo) * total
    else:
        hi = 0.50 if pair.birthday == DIFFERENT else 0.60
        score = min(total, hi)
    if guards is not None:
        guards.append(
            {"guard": "person_evidence", "rule": why, "cap": hi, "before": round(total, 4), "applied": True}
        )
    return round(max(0.0, min(1.0, score)), 6)


def _two_mailboxes(a: Person, b: Person) -> str | None:
    """Two different addresses at one work domain: "numbered" when they differ only in digits or
    punctuation (john.smith, john.smith2: the employer told two people of one name apart), "spellings"
    when they spell one name two ways (ada.lovelace and alovelace), "two_names" when each spells its own
    record's name and the names differ (nadia.novak and radia.novak, soren.keller and soren.muller3),
    "given_names" when each is its own record's given name and the given names differ (dan and dana at
    a family's domain), "other" for any other two mailboxes when the records share no address; else
    None."""
    found: set[str] = set()
    for x in a.emails:
        lx, _, dx = x.partition("@")
        if dx not in b.work_domains:
            continue
        cx = compact(lx)
        for y in b.emails:
            ly, _, dy = y.partition("@")
            if dy != dx or lx == ly:
                continue
            cy = compact(ly)
            if cx == cy:
                return "numbered"
            if cx in a.forms and cy in b.forms:
                found.add("spellings" if cx in b.forms or cy in a.forms else "two_names")
            elif _given_mailboxes(cx, cy, a.tokens, b.tokens):
                found.add("given_names")
            elif a.emails.isdisjoint(b.emails):
                found.add("other")
    return next((k for k in ("spellings", "two_names", "given_names", "other") if k in found), None)


def _given_mailboxes(cx: str, cy: str, a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two mailboxes are each their own record's given name, and the given names are not one
    name (up to a nickname): "dan" for Dan Brown and "dana" for Dana Brown."""
    if not a or not b or len(a[0]) < 2 or len(b[0]) < 2:
        return False
    return cx == compact(a[0]) and cy == compact(b[0]) and token_similarity(a[0], b[0]) < 0.9


def _spells_a_name(local: str, a: Person, b: Person) -> bool:
    """Whether a compact mailbox spells the name of one of two records, or stands in for it as the name
    signal lets one (0.8 or more)."""
    if local in a.forms or local in b.forms:
        return True
    return (
        max(alias_similarity((local,), a.forms, a.tokens), alias_similarity((local,), b.forms, b.tokens))
        >= 0.8
    )


def _mailbox_names_differ(a: Person, b: Person) -> bool:
    """Whether a mailbox of one record spells, before a family name of the pair, its own given name
    written out (an initial's, a nickname's or a slip's full name) and that given name is another than
    the other record's (`other_given_name`): "E. Knuth" <elifknuth645@> against Elizabeth Knuth, "S.
    Lamarr" <sergeylamarr165@> against Samantha Lamarr. Where each record's mailbox spells the record's own
    given name as its name does, a slip of letters between the two is no typo either: Priya Novak
    <priya.novak@> and Freya Novak <freyanovak562@>. No two records sharing an address."""
    if not a.emails.isdisjoint(b.emails) or len(a.tokens) < 2 or len(b.tokens) < 2:
        return False
    own_a, own_b = compact(a.tokens[0]), compact(b.tokens[0])
    spelled_a, spelled_b = _mailbox_given(a, b), _mailbox_given(b, a)
    if (spelled_a and other_given_name(spelled_a, own_b)) or (
        spelled_b and other_given_name(spelled_b, own_a)
    ):
        return True
    return spelled_a == own_a and spelled_b == own_b and other_given_name(own_a, own_b, slips=False)


def _mailbox_given(p: Person, q: Person) -> str:
    """The given name a mailbox of `p` spells in full before a family name of the pair ("elif" of
    elifknuth645@proton.me on "E. Knuth"), when it is p's own given name written out; else ""."""
    if not p.tokens:
        return ""
    own = compact(p.tokens[0])
    # the family name whole ("O'Brien" is the tokens "o" and "brien"), else its last part; longest first
    families = {
        f for t in (p.tokens, q.tokens) if len(t) >= 2 for f in (compact("".join(t[1:])), compact(t[-1]))
    }
    for local in sorted(p.locals):
        for family in sorted((f for f in families if len(f) >= 2), key=lambda f: (-len(f), f)):
            given = local[: -len(family)] if local.endswith(family) else ""
            if len(given) >= 2 and not other_given_name(given, own):
                return given
    return ""


def _numbered_personal(a: Person, b: Person) -> bool:
    """Two personal mailboxes (gmail.com, ...) that spell one name, each with a number, and the numbers
    differ (omarallen901@icloud.com, omar.allen12@gmail.com): one on each side, neither on both. The name
    is either record's, or one the letters stand in for (`alias_similarity`): a record with an initial or
    a typo ("G. Karimi" <gracekarimi433@>, "Hedy Bcker" <hedybecker564@>) holds the name's mailbox too. A
    mailbox without a number next to a numbered one (wei.dubois@, weidubois.1@) says nothing."""
    if not a.emails.isdisjoint(b.emails):
        return False
    for x in a.emails:
        lx, _, dx = x.partition("@")
        nx = lx.translate(_LETTERS)
        if dx not in COMMON_DOMAINS or not nx or not _spells_a_name(cx := compact(lx), a, b):
            continue
        for y in b.emails:
            ly, _, dy = y.partition("@")
            ny = ly.translate(_LETTERS)
            if dy in COMMON_DOMAINS and ny and ny != nx and compact(ly) == cx:
                return True
    return False


def explain(a: Person, b: Person) -> Explanation:
    """The adaptive-weight score of a pair with everything that went into it."""
    guards: list[dict[str, Any]] = []
    total, pair = _score(a, b, guards)
    assert pair is not None  # no floor: every signal is worked out
    values, available = pair.values, pair.available
    total_w = sum(WEIGHTS[k] for k in WEIGHTS if available[k])
    signals = []
    for k, w in WEIGHTS.items():
        eff = w / total_w if available[k] and total_w else 0.0
        signals.append(
            {
                "signal": k,
                "value": round(values[k], 4),
                "weight": w,
                "available": available[k],
                "effective_weight": round(eff, 4),
                "contribution": round(values[k] * eff, 4),
            }
        )
    summary = describe(signals, guards, pair.birthday, pair.address)
    return Explanation(total, band(total), signals, guards, summary)


def score(a: Person, b: Person) -> float:
    return _score(a, b, None)[0]


def score_from(a: Person, b: Person, floor: float) -> float | None:
    """`score` of a pair that scores `floor` or more, else None, at a fraction of the cost for most pairs
    of a scan, which keeps only those reaching the review band [match-scoring]: a pair whose signals,
    the names taken as agreeing fully, stay below `floor` is not compared by name, and one whose sum
    stays below it is not put through the guards, which only lower a sum (the person-evidence bands,
    which may lift one, are always worked out). Exact: the same pairs reach `floor`, with the same
    scores, as `score` gives them."""
    s = _score(a, b, None, floor)[0]
    return s if s >= floor else None
