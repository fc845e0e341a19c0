"""Blocking for tier 2 [match-scoring]: the keys two contacts must share before they are compared, and
the candidate pairs of a whole store.

The reference's keys (name prefix, name tokens, company, email domain, email-local tokens) are weak: at
scale their blocks are large, so they get a smaller limit than the discriminating keys pcrm adds
(first name + family-name prefix, given-name prefix + family name, initial + family name, compact
aliases, handles, and the person keys: a full birthday, a house number with its street or postcode).
"""

from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein

from pcrm.domain.identity_evidence import DIFFERENT, compare_birthdays
from pcrm.domain.identity_names import canon
from pcrm.domain.identity_person import COMMON_DOMAINS, Person

_sim = Levenshtein.normalized_similarity
MAX_BLOCK = 500  # blocks larger than this are skipped (e.g. a very common first name)
WEAK_BLOCK = 60  # the limit of the weak keys and the person keys
_WEAK = ("name:", "token:", "company:", "domain:", "dob:", "street:", "pc:")


def _local_tokens(email: str) -> list[str]:
    local = email.split("@", 1)[0]
    return [t for t in re.split(r"[._+\-]", local) if len(t) >= 3 and not t.isdigit()]


def blocking_keys(p: Person) -> set[str]:
    keys: set[str] = set()
    toks = p.tokens
    if toks:
        keys.add("name:" + p.name[:3])
        for t in toks:
            if len(t) >= 3:
                keys.add("token:" + canon(t))
        if len(toks) >= 2:
            first, last = canon(toks[0]), toks[-1]
            keys.add(f"fp:{first}|{last[:3]}")  # a typo late in the family name
            keys.add(f"pl:{toks[0][:3]}|{last}")  # a typo in the given name
            keys.add(f"fi:{toks[0][0]}|{last}")  # an initial
        for f in p.forms:
            if len(f) >= 4:
                keys.add("form:" + f)  # meets "alias:" blocks only (see candidate_pairs)
    if p.company:
        keys.add("company:" + p.company)
    for e in p.emails:
        domain = e.partition("@")[2]
        if domain and domain not in COMMON_DOMAINS:
            keys.add("domain:" + domain)
        for t in _local_tokens(e):
            keys.add("token:" + canon(t.lower()))
    for a in p.aliases:
        keys.add("alias:" + a)
    for h in p.handles:
        keys.add("handle:" + h)
    # person keys: the same person with a name too garbled for the name keys (a replaced given name,
    # a surname typo in a crowded family name) still meets their other record here
    if p.birthday and len(p.birthday) == 10:
        keys.add("dob:" + p.birthday)
    for ad in p.addresses:
        if ad.number and ad.street:
            keys.add(f"street:{ad.number}|{ad.street}")
        if ad.number and ad.postcode:
            keys.add(f"pc:{ad.postcode}|{ad.number}")
    return keys


def candidate_pairs(
    people: list[Person], *, max_block: int = MAX_BLOCK, weak_block: int = WEAK_BLOCK
) -> tuple[set[tuple[int, int]], int]:
    """Index pairs (i < j) that share a blocking key. Blocks over `max_block` (weak keys: over
    `weak_block`) are skipped. Returns (pairs, number of skipped blocks)."""
    codes, skipped = pair_codes(people, max_block=max_block, weak_block=weak_block)
    n = len(people)
    return {divmod(c, n) for c in codes}, skipped


def pair_codes(
    people: list[Person], *, max_block: int = MAX_BLOCK, weak_block: int = WEAK_BLOCK
) -> tuple[list[int], int]:
    """`candidate_pairs` as sorted codes i * len(people) + j (i < j): what the scan iterates, built
    without a million tuples (`divmod(code, len(people))` gives the pair back)."""
    blocks: dict[str, list[int]] = {}
    for i, p in enumerate(people):
        for k in blocking_keys(p):
            blocks.setdefault(k, []).append(i)
    n_people = len(people)
    pairs: set[int] = set()
    skipped = 0
    for key, members in blocks.items():
        n = len(members)
        if n < 2:
            continue
        if n > max_block or (n > weak_block and key.startswith(_WEAK)):
            skipped += 1
            continue
        if key.startswith("form:"):
            # a name's spellings only meet email local parts and handles ("adalovelace@..." and
            # @alovelace with Ada Lovelace); two names are compared through the name keys
            others = blocks.get("alias:" + key[5:])
            if others and len(others) <= max_block:
                for i in members:
                    pairs.update(min(i, j) * n_people + max(i, j) for j in others if j != i)
            continue
        if key.startswith("fi:"):
            # an initial block only pairs the records written with an initial against the others
            # ("J. Smith" with John and Jane Smith, never John with Jane)
            initials = [i for i in members if len(people[i].tokens[0]) == 1]
            for i in initials:
                pairs.update(min(i, j) * n_people + max(i, j) for j in members if j != i)
            continue
        # members are in index order, so i < j
        for x in range(n - 1):
            base = members[x] * n_people
            pairs.update([base + j for j in members[x + 1 :]])
    return sorted(pairs), skipped


def namesakes_only(a: Person, b: Person) -> bool:
    """A quick test for the scan: True when two contacts share a name that three or more contacts
    have and nothing that could back it (a company, a work domain or address, handles, postal
    addresses, birthdays that are not clearly different). `score` then always stays below REVIEW
    (the common-name and only-the-name guards, or the birthday veto), so the scan may skip the pair;
    a big store's crowds of namesakes cost no scoring."""
    if a.tokens != b.tokens or max(a.name_count, b.name_count) <= 2 or not a.tokens:
        return False
    if a.company and b.company and (a.company == b.company or _sim(a.company, b.company) >= 0.9):
        return False
    if not a.work_domains.isdisjoint(b.work_domains) or not a.emails.isdisjoint(b.emails):
        return False
    if (a.handles and b.handles) or (a.addresses and b.addresses):
        return False
    return not (a.birthday and b.birthday and compare_birthdays(a.birthday, b.birthday) != DIFFERENT)
