"""The contacts generator of the identity quality benchmark [bench-targets]: people and the records
several sources hold about them, with emails and handles (typos, nicknames, initials, case,
diacritics and transliteration, other emails, cross-platform handles, the same address twice), plus
hard negatives (colleagues at one company and domain, namesakes with the same name elsewhere).
Deterministic for the seed. Loaded through the bulk path, as the records carry identities.
"""

from __future__ import annotations

import itertools
import random
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
