"""A realistic demo store, generated deterministically from a seed relative to `now`.

`generate` is pure and fast enough for the benchmarks (100k contacts / 1M interactions); `build_demo`
loads a small one through the bulk path and refuses a store that already holds contacts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pcrm.clock import iso
from pcrm.domain.wording import counted
from pcrm.errors import Conflict
from pcrm.services import scores, views
from pcrm.services.context import Context, Result
from pcrm.store import bulk
from pcrm.store.contacts import count
from pcrm.store.db import write

FIRST = [
    "Ada",
    "Grace",
    "Alan",
    "Katherine",
    "Margaret",
    "Linus",
    "Barbara",
    "Dennis",
    "Frances",
    "Ken",
    "Radia",
    "Edsger",
    "Hedy",
    "Tim",
    "Donald",
    "Sophie",
    "Yukihiro",
    "Guido",
    "Anita",
    "Leslie",
    "Shafi",
    "Jean",
    "Carol",
    "Niklaus",
    "Lynn",
    "Joan",
    "Vint",
    "Mary",
    "Bjarne",
    "Marissa",
    "Hiro",
    "Amara",
    "Tariq",
    "Ines",
    "Mateo",
    "Chiara",
    "Lars",
    "Priya",
    "Ravi",
    "Wei",
    "Mei",
    "Olu",
    "Nadia",
    "Omar",
    "Elif",
    "Jonas",
    "Freya",
    "Sven",
    "Aiko",
    "Kenji",
    "Lucia",
    "Diego",
    "Zara",
    "Kwame",
    "Ayesha",
    "Malik",
    "Noor",
    "Leila",
    "Pavel",
    "Irina",
    "Dmitri",
    "Olga",
    "Henrik",
    "Astrid",
    "Finn",
    "Maeve",
    "Sean",
    "Aoife",
    "Rosa",
    "Pablo",
    "Camille",
    "Louis",
    "Amelie",
    "Felix",
    "Greta",
    "Emil",
    "Clara",
    "Hugo",
    "Ana",
    "Thiago",
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
    "Berners-Lee",
    "Knuth",
    "Wilson",
    "Matsumoto",
    "Rossum",
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
    "Aziz",
    "Yılmaz",
    "Becker",
    "Larsen",
    "Andersson",
    "Sato",
    "Suzuki",
    "Fernández",
    "López",
    "Mensah",
    "Khan",
    "Siddiqui",
    "Farouk",
    "Novak",
    "Petrova",
    "Ivanov",
    "Sokolova",
    "Hansen",
    "Lindqvist",
    "Murphy",
    "O'Brien",
    "Kelly",
    "Ruiz",
    "Martín",
    "Dubois",
    "Laurent",
    "Schmidt",
    "Müller",
    "Weber",
    "Costa",
    "Silva",
]
COMPANIES = (
    ("Analytical Engines", "analytical.io"),
    ("Northwind Labs", "northwind.dev"),
    ("Globex", "globex.com"),
    ("Initech", "initech.com"),
    ("Umbrella Health", "umbrella.health"),
    ("Hooli", "hooli.xyz"),
    ("Pied Piper", "piedpiper.com"),
    ("Stark Industries", "stark.com"),
    ("Wayne Foundation", "wayne.org"),
    ("Tyrell Systems", "tyrell.ai"),
    ("Cyberdyne", "cyberdyne.io"),
    ("Soylent Foods", "soylent.co"),
    ("Acme Ventures", "acme.vc"),
    ("Blue Sun", "bluesun.com"),
    ("Oscorp", "oscorp.com"),
    ("Wonka Industries", "wonka.com"),
    ("Massive Dynamic", "massivedynamic.com"),
    ("Aperture Science", "aperture.science"),
    ("Black Mesa", "blackmesa.org"),
    ("Vandelay Import", "vandelay.com"),
    ("Dunder Mifflin", "dundermifflin.com"),
    ("Sterling Cooper", "sterlingcooper.com"),
    ("Gringotts", "gringotts.bank"),
    ("Monarch Solutions", "monarch.dev"),
)
TITLES = (
    "Founder",
    "CEO",
    "CTO",
    "Engineer",
    "Staff Engineer",
    "Designer",
    "Product Manager",
    "Investor",
    "Partner",
    "Researcher",
    "Head of Sales",
    "Recruiter",
    "Writer",
    "Data Scientist",
    "VP Engineering",
)
TAGS = (
    "friend",
    "investor",
    "founder",
    "family",
    "climbing",
    "college",
    "mentor",
    "recruiter",
    "conference",
    "neighbour",
    "book club",
    "ex-colleague",
)
CITIES = (
    ("London", 51.5072, -0.1276),
    ("Berlin", 52.52, 13.405),
    ("Lisbon", 38.7223, -9.1393),
    ("New York", 40.7128, -74.006),
    ("San Francisco", 37.7749, -122.4194),
    ("Tokyo", 35.6762, 139.6503),
    ("Lagos", 6.5244, 3.3792),
    ("Bangalore", 12.9716, 77.5946),
    ("Paris", 48.8566, 2.3522),
    ("Stockholm", 59.3293, 18.0686),
    ("Toronto", 43.6532, -79.3832),
    ("São Paulo", -23.5505, -46.6333),
)
PLATFORMS = ("email", "email", "telegram", "whatsapp", "linkedin", "twitter", "meeting")
SNIPPETS = {
    "inbound": (
        "Thanks for the intro!",
        "Are you around next week?",
        "Loved the article you shared.",
        "Quick question about the proposal.",
        "Congrats on the launch!",
        "Can we move our call?",
        "Sending over the deck now.",
        "Great seeing you yesterday.",
    ),
    "outbound": (
        "Happy to help. When works for you?",
        "Here's the link I mentioned.",
        "Following up on our chat.",
        "Coffee on Thursday?",
        "Congrats on the new role!",
        "Just checking in, how are things?",
        "Sharing the notes from today.",
        "Let me know what you think.",
    ),
    "mutual": (
        "Coffee catch-up",
        "Project sync",
        "Dinner",
        "Conference panel",
        "Quarterly review",
        "Climbing session",
    ),
    "note": (
        "Mentioned they are hiring.",
        "Kids: two, both at school.",
        "Moving to Lisbon in spring.",
        "Prefers Signal for quick things.",
        "Training for a marathon.",
    ),
}
NICKNAMES = {
    "Katherine": "Kate",
    "Margaret": "Maggie",
    "Donald": "Don",
    "Frances": "Fran",
    "Dennis": "Den",
    "Timothy": "Tim",
    "Niklaus": "Nik",
    "Barbara": "Barb",
}


@dataclass
class DemoData:
    organizations: list[tuple[str, str | None]] = field(default_factory=list)
    contacts: list[dict[str, Any]] = field(default_factory=list)
    # interactions[i] belong to contacts[i]
    interactions: list[list[dict[str, Any]]] = field(default_factory=list)


def _ascii(s: str) -> str:
    import unicodedata

    return (
        "".join(ch for ch in unicodedata.normalize("NFKD", s) if ch.isascii() and (ch.isalnum() or ch == "-"))
        .lower()
        .replace("-", "")
    )


def generate(
    seed: int, n_contacts: int, n_interactions: int, now: datetime, *, duplicates: int = 0
) -> DemoData:
    """Contacts and their two-year histories. Deterministic for (seed, sizes, now)."""
    rng = random.Random(seed)
    data = DemoData(organizations=[(name, domain) for name, domain in COMPANIES])
    seen_emails: set[str] = set()
    # activity weights: a few heavy relationships, many light ones, some silent contacts
    levels = [
        rng.choices((0.0, 0.3, 1.0, 4.0, 16.0), weights=(25, 30, 25, 15, 5))[0] for _ in range(n_contacts)
    ]
    total_w = sum(levels) or 1.0
    today = now.date()
    for i in range(n_contacts):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        company, domain = rng.choice(COMPANIES) if rng.random() < 0.75 else (None, None)
        local = f"{_ascii(first)}.{_ascii(last)}"
        mail_domain = (
            domain
            if domain and rng.random() < 0.7
            else rng.choice(("gmail.com", "proton.me", "fastmail.com"))
        )
        email = f"{local}@{mail_domain}"
        if email in seen_emails:
            email = f"{local}{i}@{mail_domain}"
        seen_emails.add(email)
        city, lat, lng = rng.choice(CITIES)
        rec: dict[str, Any] = {
            "full_name": f"{first} {last}",
            "given_name": first,
            "family_name": last,
            "company": company,
            "title": rng.choice(TITLES) if company else None,
            "emails": [email],
            "phones": [],
            "tags": sorted(set(rng.sample(TAGS, rng.choice((0, 0, 1, 1, 2, 3))))),
            "priority_level": rng.choices(("high", "medium", "low", "archived"), weights=(12, 60, 22, 6))[0],
            "source": rng.choice(("manual", "csv", "linkedin", "google")),
            "location": city if rng.random() < 0.7 else None,
            "identities": [],
            "bcc_hash": f"{rng.getrandbits(28):07x}",
            "created_at": iso(now - timedelta(days=rng.randint(30, 900), minutes=rng.randint(0, 1440))),
        }
        if rec["location"]:
            rec["latitude"] = round(lat + rng.uniform(-0.08, 0.08), 5)
            rec["longitude"] = round(lng + rng.uniform(-0.08, 0.08), 5)
        if rng.random() < 0.6:
            digits = f"{rng.randint(200, 989)}{rng.randint(200, 999)}{rng.randint(0, 9999):04d}"
            rec["phones"] = [(f"+1 ({digits[:3]}) {digits[3:6]}-{digits[6:]}", f"+1{digits}")]
        if rng.random() < 0.6:
            if rng.random() < 0.08:  # birthdays in the coming week, so the demo shows some
                d = today + timedelta(days=rng.randint(0, 6))
            else:
                d = today + timedelta(days=rng.randint(0, 365))
            md = f"{d.month:02d}-{d.day:02d}"
            rec["birthday"] = f"{rng.randint(1960, 2000)}-{md}" if rng.random() < 0.5 else md
        handle = f"{_ascii(first)}{_ascii(last)[:6]}{i}"
        if rng.random() < 0.3:
            rec["identities"].append(("telegram", str(10_000_000 + i), handle))
        if rng.random() < 0.25:
            rec["identities"].append(("twitter", None, handle))
        if rng.random() < 0.4:
            rec["identities"].append(("linkedin", f"{_ascii(first)}-{_ascii(last)}-{i}", None))
            rec["linkedin_url"] = f"https://www.linkedin.com/in/{_ascii(first)}-{_ascii(last)}-{i}"
        data.contacts.append(rec)
        data.interactions.append(_history(rng, i, round(n_interactions * levels[i] / total_w), now, rec))
    for k in range(min(duplicates, n_contacts // 2)):
        data.contacts.append(_duplicate_of(rng, data.contacts[k * 2], k))
        data.interactions.append([])
    return data


def _history(
    rng: random.Random, i: int, count: int, now: datetime, rec: dict[str, Any]
) -> list[dict[str, Any]]:
    if count == 0:
        return []
    platforms = rng.sample(PLATFORMS, rng.choice((1, 1, 2, 3)))
    reply_rate = rng.choice((0.15, 0.4, 0.5, 0.6, 0.9))
    # how long ago it went quiet: most are recent, some lapsed (overdue), a few long dormant
    gap = rng.choices(
        (rng.randint(0, 20), rng.randint(21, 120), rng.randint(121, 500)), weights=(55, 30, 15)
    )[0]
    if rec["priority_level"] == "high" and rng.random() < 0.45:
        gap = rng.randint(35, 200)  # the overdue list should have people on it
    span = rng.randint(60, 730)
    out = []
    for k in range(count):
        age_days = gap + rng.random() ** 1.6 * max(1, span - gap)
        when = now - timedelta(days=age_days, minutes=rng.randint(0, 600))
        platform = rng.choice(platforms)
        if platform == "meeting":
            direction = "mutual"
        elif rng.random() < 0.04:
            platform, direction = "manual", "note"
        else:
            direction = "inbound" if rng.random() < reply_rate else "outbound"
        out.append(
            {
                "platform": platform,
                "direction": direction,
                "content_preview": rng.choice(SNIPPETS[direction]),
                "raw_reference_id": f"demo:{i}:{k}",
                "occurred_at": iso(when),
            }
        )
    return out


def _duplicate_of(rng: random.Random, rec: dict[str, Any], k: int) -> dict[str, Any]:
    """The same person again, as another source would write them: a nickname and another email."""
    first = NICKNAMES.get(rec["given_name"], rec["given_name"])
    return {
        "full_name": f"{first} {rec['family_name']}",
        "given_name": first,
        "family_name": rec["family_name"],
        "company": rec["company"],
        "title": None,
        "emails": [f"{_ascii(first)}{_ascii(rec['family_name'])}.{k}@gmail.com"],
        "phones": [],
        "tags": [],
        "priority_level": "medium",
        "source": "csv",
        "identities": [],
        "bcc_hash": f"{rng.getrandbits(28):07x}",
        "created_at": rec["created_at"],
    }


def load(ctx: Context, data: DemoData) -> dict[str, int]:
    """Write generated data through the bulk path in one transaction, then score everyone."""
    now = ctx.now_iso()
    with write(ctx.conn):
        orgs = bulk.insert_organizations(ctx.conn, data.organizations, now)
        for rec in data.contacts:
            rec["organization_id"] = orgs.get(rec.get("company") or "")
        ids = bulk.insert_contacts(ctx.conn, data.contacts, now)
        n = bulk.insert_interactions(
            ctx.conn,
            ((cid, it) for cid, items in zip(ids, data.interactions, strict=False) for it in items),
            now,
        )
        scores.refresh(ctx)
    return {"contacts": len(ids), "interactions": n, "organizations": len(orgs)}


ADA: dict[str, Any] = {  # a demo contact record, as DemoData.contacts holds them
    "full_name": "Ada Lovelace",
    "given_name": "Ada",
    "family_name": "Lovelace",
    "emails": ["ada.lovelace@analytical.io"],
    "priority_level": "high",
    "tags": ["founder", "mentor"],
    "location": "London",
    "latitude": 51.5072,
    "longitude": -0.1276,
    "birthday": "12-10",
}


def _feature_ada(data: DemoData) -> None:
    """The first demo contact is always Ada Lovelace (keeping the generated company and history), so
    the README's examples have someone to find."""
    taken = {e for rec in data.contacts[1:] for e in rec.get("emails") or []}
    if not data.contacts or set(ADA["emails"]) & taken:
        return
    rec = data.contacts[0]
    rec.update(ADA)
    rec["identities"] = [(p, ext, h) for p, ext, h in rec.get("identities") or [] if p != "linkedin"]
    rec.pop("linkedin_url", None)


def build_demo(ctx: Context, *, seed: int = 7, contacts: int = 300) -> Result:
    """`pcrm demo`: refuse a store that has contacts; otherwise fill it and show who is overdue."""
    existing = count(ctx.conn)
    if existing:
        raise Conflict(
            f"the store already holds {counted(existing, 'contact')}; the demo only fills an empty one",
            hint="point PCRM_HOME at an empty folder, e.g. PCRM_HOME=/tmp/pcrm-demo pcrm demo",
        )
    data = generate(seed, contacts, contacts * 25, ctx.now(), duplicates=max(1, contacts // 60))
    _feature_ada(data)
    counts = load(ctx, data)
    overdue = views.overdue(ctx, limit=10)
    return Result({**counts, "overdue": overdue.data}, {"database": str(ctx.path)})
