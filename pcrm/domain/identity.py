"""Identity matching [match-scoring]: pure functions over `Person` records.

Tier 2 follows the reference's adaptive-weight scorer (signals, availability, renormalised weights,
guards, thresholds), improved where the labelled benchmark needs it [match-scoring]:
- names are compared after transliteration (diacritics, Cyrillic, Greek), with nicknames, initials and
  "Family, Given" order understood;
- a personal mailbox (gmail.com, ...) says nothing against a work address, so the email signal is only
  available when it can be evidence (a shared work domain, or two different work domains);
- handles are compared across platforms, and email local parts and handles can stand in for a name;
- birthday (strong) and location (weak) signals; a different birthday caps the score;
- compound blocking keys (first+last, initial+last, compact alias) keep big stores findable when the
  single-token blocks pass the size limit and are skipped.
Every score comes with an explanation: each signal, its weight, availability, the guards applied.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz.distance import Levenshtein

from pcrm.domain import models
from pcrm.domain.normalize import full_name

AUTO_MERGE = 0.85  # score > AUTO_MERGE: merged without review
# REVIEW <= score <= AUTO_MERGE: queued; the name-only cap of exactly 0.70 is queued [match-thresholds]
REVIEW = 0.70
HINT = 0.40  # per-contact duplicate hints [duplicate-hints]
MAX_BLOCK = 500  # blocks larger than this are skipped (e.g. a very common first name)

WEIGHTS = {
    "email": 0.40,
    "name": 0.20,
    "company": 0.20,
    "username": 0.10,
    "mutual": 0.10,
    "birthday": 0.15,
    "location": 0.05,
}

# Personal mailboxes: a shared one says nothing about a shared employer ([match-scoring], plus the generic
# list of [company-orgs]).
COMMON_DOMAINS = frozenset(
    [
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "yahoo.co.uk",
        "yahoo.co.jp",
        "hotmail.com",
        "outlook.com",
        "live.com",
        "msn.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "protonmail.com",
        "proton.me",
        "pm.me",
        "mail.ru",
        "yandex.ru",
        "yandex.com",
        "fastmail.com",
        "hey.com",
        "tutanota.com",
        "tutamail.com",
        "zoho.com",
        "gmx.com",
        "gmx.net",
        "gmx.de",
        "web.de",
        "inbox.com",
        "mail.com",
        "qq.com",
        "163.com",
        "126.com",
        "sina.com",
    ]
)

_TRANSLIT = {
    # Latin letters NFKD does not decompose
    "ß": "ss",
    "ø": "o",
    "æ": "ae",
    "œ": "oe",
    "ł": "l",
    "đ": "d",
    "ð": "d",
    "þ": "th",
    "ı": "i",
    "ħ": "h",
    # Cyrillic
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    "і": "i",
    "ї": "yi",
    "є": "ye",
    "ґ": "g",
    # Greek
    "α": "a",
    "β": "v",
    "γ": "g",
    "δ": "d",
    "ε": "e",
    "ζ": "z",
    "η": "i",
    "θ": "th",
    "ι": "i",
    "κ": "k",
    "λ": "l",
    "μ": "m",
    "ν": "n",
    "ξ": "x",
    "ο": "o",
    "π": "p",
    "ρ": "r",
    "σ": "s",
    "ς": "s",
    "τ": "t",
    "υ": "y",
    "φ": "f",
    "χ": "ch",
    "ψ": "ps",
    "ω": "o",
}
_TRANS_TABLE = str.maketrans(_TRANSLIT)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_HONORIFICS = frozenset(
    ["mr", "mrs", "ms", "miss", "dr", "prof", "sir", "jr", "sr", "ii", "iii", "iv", "phd", "md", "mba", "esq"]
)

# Nickname groups: every name in a group maps to the group's first (canonical) form.
_NICK_GROUPS = """
robert bob bobby rob robbie bert
william bill billy will willy liam
richard rick ricky dick rich richie
james jim jimmy jamie
john jack johnny jon
jonathan jon jonny
joseph joe joey jose
michael mike mikey mick mickey
christopher chris kit
christina chris tina christine
nicholas nick nicky nico
nikolaus niklaus nik klaus
alexander alex alec sasha alexandr aleksandr
alexandra alex sasha sandra lexi
elizabeth liz lizzie beth betty eliza elisabeth lisa
katherine kate katie kathy cathy catherine kathryn kat katharine
margaret maggie meg peggy marge margarita
thomas tom tommy
timothy tim timmy
daniel dan danny
david dave davy
edward ed eddie ted ned
charles charlie chuck chas
anthony tony antonio
steven steve stephen stevie
matthew matt matty
andrew andy drew andrei andrey
benjamin ben benny
samuel sam sammy
samantha sam sammy
jennifer jen jenny
jessica jess jessie
rebecca becky becca
patricia pat patty trish
patrick pat paddy
susan sue susie suzanne
deborah deb debbie
dorothy dot dottie
frances fran frannie
francis frank frankie
francesco frank franco
gregory greg
jeffrey jeff
kenneth ken kenny
lawrence larry laurence
leonard leo len lenny
peter pete
philip phil phillip
raymond ray
ronald ron ronnie
donald don donnie
douglas doug
gerald gerry jerry
harold harry hal
henry harry hank
barbara barb barbie babs
victoria vicky tori
abigail abby
amanda mandy
cynthia cindy
pamela pam
theodore theo ted teddy
zachary zach zack
nathaniel nate nat nathan
dmitri dmitry dima
ivan vanya
olga olya
pavel pasha paul
paul pavel pablo paolo
mikhail misha
ekaterina katya
yekaterina katya ekaterina
anastasia nastya
maria masha mary marie
mary molly polly
""".strip().splitlines()
NICKNAMES: dict[str, str] = {}
for _line in _NICK_GROUPS:
    _names = _line.split()
    for _n in _names:
        NICKNAMES.setdefault(_n, _names[0])


def strip_accents(text: str) -> str:
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_TRANS_TABLE))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_NON_ALPHA = re.compile(r"[^a-z]+")


def name_tokens(value: str | None) -> tuple[str, ...]:
    """A name as comparable tokens: casefolded, transliterated, punctuation and honorifics dropped,
    "Family, Given" turned round."""
    if not value or not value.strip():
        return ()
    v = value
    if v.count(",") == 1:
        family, given = v.split(",")
        if given.strip() and family.strip() and len(given.split()) <= 2:
            v = f"{given} {family}"
    toks = _NON_ALNUM.sub(" ", strip_accents(v)).split()
    return tuple(t for t in toks if t not in _HONORIFICS) or tuple(toks)


def canon(token: str) -> str:
    return NICKNAMES.get(token, token)


def compact(text: str) -> str:
    """Letters only: 'Ada.Lovelace_42' -> 'adalovelace' (handles and email local parts)."""
    folded = strip_accents(text)
    if folded.isascii():
        return _NON_ALPHA.sub("", folded)
    return "".join(ch for ch in folded if ch.isalpha())


def company_key(value: str | None) -> str:
    toks = _NON_ALNUM.sub(" ", strip_accents(value or "")).split()
    toks = [t for t in toks if t not in _COMPANY_SUFFIXES]
    return " ".join(toks)


_COMPANY_SUFFIXES = frozenset(
    [
        "inc",
        "ltd",
        "llc",
        "gmbh",
        "ag",
        "sa",
        "sas",
        "srl",
        "bv",
        "plc",
        "corp",
        "corporation",
        "co",
        "company",
        "limited",
        "the",
    ]
)


@dataclass(slots=True)
class Person:
    """What the matcher knows about a contact, with the derived forms it compares precomputed."""

    rowid: int
    uuid: str
    tokens: tuple[str, ...] = ()
    emails: frozenset[str] = frozenset()
    work_domains: frozenset[str] = frozenset()  # email domains that are not personal mailboxes
    locals: frozenset[str] = frozenset()  # compact email local parts
    phones: tuple[str, ...] = ()  # digits only
    company: str = ""
    handles: tuple[str, ...] = ()  # every platform's handle (compared across platforms)
    aliases: tuple[str, ...] = ()  # compact local parts and handles that may stand for a name
    forms: tuple[str, ...] = ()  # compact forms of the name an alias may spell
    tags: frozenset[str] = frozenset()
    birthday: str | None = None
    location: str = ""
    notes: str = ""
    platforms: frozenset[str] = frozenset()  # same-source flags
    archived: bool = False

    @property
    def name(self) -> str:
        return " ".join(self.tokens)


def person(row: dict[str, Any]) -> Person:
    """Build a Person from a contact dict (full response shape, or the store's light rows)."""
    tokens = name_tokens(full_name(row.get("full_name"), row.get("given_name"), row.get("family_name")))
    handles: list[str] = []
    flags: set[str] = set()
    for f, flag in (
        ("telegram_user_id", "tg_id"),
        ("telegram_username", "tg_user"),
        ("linkedin_profile_id", "li"),
        ("twitter_user_id", "tw_id"),
        ("twitter_handle", "tw_user"),
    ):
        if row.get(f):
            flags.add(flag)
    for f in ("twitter_handle", "telegram_username", "instagram_username"):
        if row.get(f) and str(row[f]).lower() not in handles:
            handles.append(str(row[f]).lower())
    for _p, h in row.get("extra_handles") or ():
        if h not in handles:
            handles.append(h)
    emails = frozenset(e.lower() for e in row.get("emails") or ())
    domains = {e.partition("@")[2] for e in emails}
    locals_ = frozenset(c for c in (compact(e.partition("@")[0]) for e in emails) if len(c) >= 4)
    aliases = tuple(sorted(locals_ | {c for c in (compact(h) for h in handles) if len(c) >= 4}))
    forms: set[str] = set()
    if tokens:
        forms.add("".join(tokens))
        if len(tokens) >= 2:
            forms.update((tokens[0] + tokens[-1], tokens[0][0] + tokens[-1], tokens[-1] + tokens[0]))
    return Person(
        rowid=row.get("_rowid") or 0,
        uuid=row.get("id") or row.get("uuid") or "",
        tokens=tokens,
        emails=emails,
        work_domains=frozenset(domains - COMMON_DOMAINS),
        locals=locals_,
        phones=tuple(d for d in (re.sub(r"\D", "", p) for p in row.get("phones") or ()) if d),
        company=company_key(row.get("company")),
        handles=tuple(handles),
        aliases=aliases,
        forms=tuple(sorted(forms)),
        tags=frozenset(t for t in row.get("tags") or () if t != "2nd tier"),
        birthday=row.get("birthday"),
        location=" ".join(strip_accents(row.get("location") or "").split()),
        notes=row.get("notes") or "",
        platforms=frozenset(flags),
        archived=row.get("priority_level") == "archived",
    )


def same_source(a: Person, b: Person) -> bool:
    """Two accounts on the same platform are different people [match-scoring]."""
    return not a.platforms.isdisjoint(b.platforms)


# ---------------------------------------------------------------- blocking

# The reference's keys (name prefix, name tokens, company, email domain, email-local tokens) are weak:
# at scale their blocks are large, so they get a smaller limit than the discriminating keys pcrm adds.
WEAK_BLOCK = 60
_WEAK = ("name:", "token:", "company:", "domain:")


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
    return keys


def candidate_pairs(
    people: list[Person], *, max_block: int = MAX_BLOCK, weak_block: int = WEAK_BLOCK
) -> tuple[set[tuple[int, int]], int]:
    """Index pairs (i < j) that share a blocking key. Blocks over `max_block` (weak keys: over
    `weak_block`) are skipped. Returns (pairs, number of skipped blocks)."""
    blocks: dict[str, list[int]] = {}
    for i, p in enumerate(people):
        for k in blocking_keys(p):
            blocks.setdefault(k, []).append(i)
    pairs: set[tuple[int, int]] = set()
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
                    pairs.update((min(i, j), max(i, j)) for j in others if j != i)
            continue
        if key.startswith("fi:"):
            # an initial block only pairs the records written with an initial against the others
            # ("J. Smith" with John and Jane Smith, never John with Jane)
            initials = [i for i in members if len(people[i].tokens[0]) == 1]
            for i in initials:
                pairs.update((min(i, j), max(i, j)) for j in members if j != i)
            continue
        for x in range(n):
            i = members[x]
            pairs.update((i, j) for j in members[x + 1 :])
    return pairs, skipped


# ---------------------------------------------------------------- signals

_sim = Levenshtein.normalized_similarity


def token_similarity(x: str, y: str) -> float:
    if x == y:
        return 1.0
    if len(x) == 1 or len(y) == 1:
        return 0.9 if x[0] == y[0] else 0.0
    if canon(x) == canon(y):
        return 0.95
    return _sim(x, y)


def name_similarity(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """1 − Levenshtein/max_len on the names [match-scoring], with nicknames, initials and swapped order
    understood; capped at 0.30 when two multi-token names differ in the first or the last token."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    sa, sb = " ".join(a), " ".join(b)
    base = _sim(sa, sb)
    if len(a) == 1 and len(b) == 1:
        return max(base, token_similarity(a[0], b[0]))
    if len(a) < 2 or len(b) < 2:
        return base
    best = 0.0
    variants = [b] + ([(b[-1], b[0])] if len(b) == 2 else [])
    for v in variants:
        f = token_similarity(a[0], v[0])
        last = token_similarity(a[-1], v[-1])
        if f < 0.6 or last < 0.6:
            best = max(best, min(base, 0.30))
            continue
        if 0.9 <= f < 1.0:  # nickname or initial: compare as if the given names agreed
            s = _sim(f"{a[0]} {a[-1]}", f"{a[0]} {v[-1]}") * f
        else:
            s = _sim(f"{a[0]} {a[-1]}", f"{v[0]} {v[-1]}")
        if v is not b:
            s *= 0.97  # swapped order is a little weaker
        best = max(best, s, base if v is b else 0.0)
    return min(best, 1.0)


COMPATIBLE = 0.8  # name_similarity at or above this: the same person's name as far as names can tell


def names_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two names may belong to one person, so that a key they share (an email, a phone, a
    platform id) may join them [shared-keys]: the same name up to nicknames, initials, transliteration,
    order and typos; or one of them missing, or shorter with nothing that contradicts the longer ("Ada"
    and "Ada Lovelace", "Maria Garcia" and "Maria Garcia Lopez"). "Anna Berg" and "Erik Berg" are not."""
    if not a or not b:
        return True
    if name_similarity(a, b) >= COMPATIBLE:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) == len(long_):
        return False
    # every token of the shorter name stands, in order, for a token of the longer one
    it = iter(long_)
    return all(any(token_similarity(t, u) >= 0.9 for u in it) for t in short)


def _alias_similarity(aliases: tuple[str, ...], forms: tuple[str, ...], tokens: tuple[str, ...]) -> float:
    """How well an email local part or handle spells a name: 'ada.lovelace', 'adalovelace' and
    'alovelace' all stand for Ada Lovelace."""
    if not aliases or not forms:
        return 0.0
    initial = tokens[0][0] + tokens[-1] if len(tokens) >= 2 else None
    best = 0.0
    for alias in aliases:
        for form in forms:
            s = _sim(alias, form)
            if form == initial:
                s *= 0.9
            best = max(best, s)
    return best


@dataclass
class Explanation:
    score: float
    signals: list[dict[str, Any]] = field(default_factory=list)
    guards: list[dict[str, Any]] = field(default_factory=list)

    @property
    def band(self) -> str:
        return band(self.score)

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": round(self.score, 4),
            "band": self.band,
            "signals": self.signals,
            "guards": self.guards,
        }


def band(score: float) -> str:
    """auto_merge above AUTO_MERGE; review from REVIEW up to AUTO_MERGE itself; else ignore."""
    if score > AUTO_MERGE:
        return "auto_merge"
    if score >= REVIEW:
        return "review"
    return "ignore"


_STRONG = ("email", "company", "username", "birthday")


def _signals(a: Person, b: Person) -> tuple[dict[str, float], dict[str, bool]]:
    values: dict[str, float] = {}
    available: dict[str, bool] = {}
    # email: a shared work domain (or address) is evidence; two different work domains count against
    shared = not a.work_domains.isdisjoint(b.work_domains) or not a.emails.isdisjoint(b.emails)
    available["email"] = bool(a.emails and b.emails) and (shared or bool(a.work_domains and b.work_domains))
    values["email"] = 1.0 if shared else 0.0

    name = name_similarity(a.tokens, b.tokens)
    if name < 0.8:
        alias = max(
            _alias_similarity(a.aliases, b.forms, b.tokens), _alias_similarity(b.aliases, a.forms, a.tokens)
        )
        name = max(name, alias * 0.95)
    values["name"] = name
    available["name"] = bool(a.tokens and b.tokens) or name > 0

    available["company"] = bool(a.company and b.company)
    if available["company"]:
        c = 1.0 if a.company == b.company else _sim(a.company, b.company)
        values["company"] = c if c >= 0.9 else 0.0
    else:
        values["company"] = 0.0

    available["username"] = bool(a.handles and b.handles)
    values["username"] = (
        max((_sim(x, y) for x in a.handles for y in b.handles), default=0.0) if available["username"] else 0.0
    )

    available["mutual"] = bool(a.tags and b.tags)
    values["mutual"] = len(a.tags & b.tags) / len(a.tags | b.tags) if available["mutual"] else 0.0

    available["birthday"] = bool(a.birthday and b.birthday)
    if available["birthday"]:
        ba, bb = a.birthday or "", b.birthday or ""
        same_year = len(ba) < 10 or len(bb) < 10 or ba[:4] == bb[:4]
        values["birthday"] = 1.0 if ba[-5:] == bb[-5:] and same_year else 0.0
    else:
        values["birthday"] = 0.0

    available["location"] = bool(a.location and b.location)
    values["location"] = 1.0 if available["location"] and a.location == b.location else 0.0
    return values, available


def _score(
    a: Person, b: Person, guards: list[dict[str, Any]] | None
) -> tuple[float, dict[str, float], dict[str, bool]]:
    values, available = _signals(a, b)
    total_w = 0.0
    total = 0.0
    for k, w in WEIGHTS.items():
        if available[k]:
            total_w += w
            total += w * values[k]
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
        return 0.0, values, available
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
            before = total
            total = min(total * 0.4, 0.50)
            if guards is not None:
                guards.append(
                    {
                        "guard": "single_token_name",
                        "rule": "a one-word name with nothing else to compare: ×0.4, at most 0.50",
                        "cap": 0.50,
                        "before": round(before, 4),
                        "applied": True,
                    }
                )
        elif available["company"] and not company_match:
            cap(0.35, "single_token_other_company", "a one-word name at another company")
        elif available["username"] and values["username"] < 0.3:
            cap(0.45, "single_token_other_handle", "a one-word name with unlike handles")
    if available["birthday"] and values["birthday"] == 0.0:
        cap(0.50, "birthday_differs", "different birthdays")
    if email_match and _numbered_mailboxes(a, b):
        # john.smith@x.com and john.smith2@x.com: the employer numbered two people of one name
        cap(0.80, "numbered_mailboxes", "two personal mailboxes at one work domain: review at most")
    if not available["name"]:
        cap(0.80, "no_name", "no names to compare: review at most")
    strong = [k for k in _STRONG if available[k]]
    if available["name"]:
        if not strong and not (available["mutual"] or available["location"]):
            cap(0.70, "name_only", "the name is the only signal")
        elif not strong or (not any(values[k] >= 0.9 for k in strong) and name < 1.0):
            # a name with only weak support (shared tags or city), or strong signals that do not agree
            cap(0.80, "weak_support", "nothing but the name and weak signals agree: review at most")
    # rounded, so a weighted sum that is 0.85 on paper (0.8500000000000001 in floating point) lands in
    # the band it names on paper: a score is shown to 4 places and compared to thresholds as shown
    return round(max(0.0, min(1.0, total)), 6), values, available


def _numbered_mailboxes(a: Person, b: Person) -> bool:
    """Two different addresses at one work domain that are each a mailbox of a name: numbered
    namesakes (john.smith, john.smith2) or two colleagues (nadia.novak, radia.novak)."""
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
            if cx == cy or (cx in a.forms and cy in b.forms):
                return True
    return False


def explain(a: Person, b: Person) -> Explanation:
    """The adaptive-weight score of a pair with everything that went into it."""
    guards: list[dict[str, Any]] = []
    total, values, available = _score(a, b, guards)
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
    return Explanation(total, signals, guards)


def score(a: Person, b: Person) -> float:
    return _score(a, b, None)[0]


# ---------------------------------------------------------------- data weight [merge-rules]

# the fields the model marks as counting towards the data weight
RICHNESS_FIELDS = models.WEIGHT_FIELDS


def data_weight(c: Mapping[str, Any]) -> int:
    """Non-empty fields plus the number of emails, phones and tags."""
    return (
        sum(1 for f in RICHNESS_FIELDS if c.get(f) not in (None, ""))
        + len(c.get("emails") or ())
        + len(c.get("phones") or ())
        + len(c.get("tags") or ())
    )


_EMAIL_IN_TEXT = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")


def emails_in_text(text: str | None) -> list[str]:
    return [m.lower() for m in _EMAIL_IN_TEXT.findall(text or "")]
