"""A search with many matches takes its page tier by tier [contact-search]: the same pages a full ranking of
every match gives, whichever way each tier is read (the score index walked, or the tier's set sorted)."""

from __future__ import annotations

import pytest

from pcrm.services import contacts
from pcrm.services.context import open_reader, read_only
from pcrm.store import contact_query, memo
from tests.support.people import add_people

PEOPLE = [
    # (name, extra options, a message or None); tiers are for "ven"
    ("Vendela Ray", ["--priority", "high"], None),  # 1: the name starts with it
    ("Venla Koski", [], "see you"),  # 1
    ("Sven Olsen", [], None),  # 2: a name holds it
    ("Steven Ng", ["--priority", "archived"], None),  # 2, archived: left out
    ("Ada Kim", ["--company", "Venture Labs"], None),  # 3: company
    ("Bo Li", ["--title", "Event planner"], None),  # 3: title
    ("Cy Park", ["--telegram", "cyven"], None),  # 4: a handle
    ("Di Moss", ["--email", "ven.moss@example.com"], None),  # 5: an email
    ("Ed Fox", [], "an event at the venue"),  # 5: messages only
    ("Flo Wu", ["--notes", "met at a seven-day retreat"], None),  # 5: notes
    ("Gus Orr", ["--phone", "+1 202 555 0100"], None),  # none
    # for "sees x": Hal by his message alone ("x" starts no word of his), Ida by her name and notes
    ("Hal Sees", [], "he sees x-rays"),
    ("Ida Lund", ["--notes", "sees xavier"], "hello"),
    # for "ng": two documents match, one of them archived (Steven's): one contact, whatever the cap
    ("Ngozi Obi", [], None),
    # accents aside, a name starting with the term is in the first tier [plain-names]: for "emile", Émile
    # (1) before Jean (2), who is newer; for "zoe", Zoë (1, the newest) before Zoe (1), then Anna (2)
    ("Émile Zola", [], None),
    ("Jean Emile", ["--notes", "zen"], None),
    ("Zoe Adams", [], None),
    ("Anna Zoe", [], None),
    ("Zoë Kravitz", [], None),
]


@pytest.fixture
def pages(cli):
    add_people(cli, PEOPLE)

    def get(term: str, size: int, page: int, *filters: str) -> tuple[list[str], dict]:
        got = cli.json(
            "contacts", "list", "--search", term, "--page-size", str(size), "--page", str(page), *filters
        )
        return [c["full_name"] for c in got["data"]], got["meta"]

    return get


@pytest.fixture
def remembered(pages, pcrm_home):
    """The same pages from a connection that remembers (the daemon's readers): it keeps the archived
    contacts' ids and skips them while counting [search-walk]. Its memo is forgotten before each page."""
    ctx = open_reader(pcrm_home / "pcrm.db")

    def get(term: str, size: int, page: int, *filters: str) -> tuple[list[str], dict]:
        memo.forget(ctx.conn)
        wanted = {"search": term, **({"score": "dormant"} if filters else {})}
        r = read_only(ctx, lambda c: contacts.list_contacts(c, wanted, page=page, page_size=size))
        return [c["full_name"] for c in r.data], r.meta

    yield get
    ctx.close()


TERMS = ("ven", "ve", "v", "even", "e", "ent", "ng", "emile", "émile", "em", "zoe", "zoë", "zo", "z")
# searched word by word [search-words]: long words only, long and short, short only (word prefixes, or a
# scan when a word is not letters and digits), punctuation inside a word
WORD_TERMS = (
    *("ray ven", "ven e", "ven ev", "event ven", "v r", "e v", "ve la", "ve %"),
    *("seven-day", "vendela-ray", "gus +1", "g +1", "+1 +", "sees x"),
    *("emile z", "emile zola", "zoe k", "zoë kravitz", "kravitz zoe"),
)


@pytest.mark.parametrize("terms", [TERMS, WORD_TERMS], ids=["whole", "words"])
def test_tiered_pages_equal_the_full_ranking(pages, remembered, monkeypatch, terms) -> None:
    full = {(t, n, p): pages(t, n, p) for t in terms for n in (1, 3, 7) for p in (1, 2, 3)}
    if terms == TERMS:
        # tier by tier, each in score order (Venla's message gives her a score)
        assert full["ven", 7, 1][0] + full["ven", 7, 2][0] == [
            *("Venla Koski", "Vendela Ray", "Sven Olsen", "Bo Li", "Ada Kim", "Cy Park"),
            *("Flo Wu", "Ed Fox", "Di Moss"),
        ]
        assert full["ven", 7, 1][1]["total"] == 9  # Steven is archived, Gus matches nothing
        assert full["emile", 7, 1][0] == full["émile", 7, 1][0] == ["Émile Zola", "Jean Emile"]
        assert full["zoe", 7, 1][0] == full["zoë", 7, 1][0] == ["Zoë Kravitz", "Zoe Adams", "Anna Zoe"]
        assert full["zo", 7, 1][0] == ["Zoë Kravitz", "Zoe Adams", "Anna Zoe", "Émile Zola"]
    else:
        # "ven" in the names, the title (Bo's "event"), an e-mail ("ven.moss@"), a note ("seven-day"); a
        # word starting with "e": "event", "example.com"; Ed's message holds "ven" and his name starts with
        # "e": words split between a message and the fields, last [search-words]
        assert full["ven e", 7, 1][0] == ["Bo Li", "Di Moss", "Ed Fox"]
        assert full["ray ven", 7, 1][0] == ["Vendela Ray"]
        assert full["v r", 7, 1][0] == ["Vendela Ray"]
        assert full["seven-day", 7, 1][0] == ["Flo Wu"]
        assert full["vendela-ray", 7, 1][0] == ["Vendela Ray"]
        # both in the last tier (Hal's name holds "sees" but his documents do not match), newest first
        assert full["sees x", 7, 1][0] == ["Ida Lund", "Hal Sees"]
        assert full["gus +1", 7, 1][0] == full["g +1", 7, 1][0] == full["+1 +", 7, 1][0] == ["Gus Orr"]
        # the whole term starts Émile's name, accents aside; Jean's holds "emile" and his notes "zen"
        assert full["emile z", 7, 1][0] == ["Émile Zola", "Jean Emile"]
        assert full["zoe k", 7, 1][0] == full["zoë kravitz", 7, 1][0] == ["Zoë Kravitz"]
    # with a filter besides the plain one (every contact here is dormant: the same rows), tiers are walked
    # with a row look-up per contact walked past: another path
    dormant = ("--score", "dormant")
    full.update({(t, n, p, *dormant): pages(t, n, p, *dormant) for t, n, p in list(full)})
    monkeypatch.setattr(contact_query, "COUNT_CAP", 2)
    ways = {  # [search-walk]: (WALK_RATIO, WALK_SLACK, WALK_FLOOR, WALK_MIN)
        "every tier walked": (0, 4, 64, 1),
        "every tier sorted": (float("inf"), 4, 64, 10**6),
        # walks stopped after 1 or 3 contacts (the plain filter's): the tiers they did not fill are sorted
        **{f"walks cut at {n}": (0, 0, n, 1) for n in (1, 3)},
    }
    for way, knobs in ways.items():
        for name, value in zip(("WALK_RATIO", "WALK_SLACK", "WALK_FLOOR", "WALK_MIN"), knobs, strict=True):
            monkeypatch.setattr(contact_query, name, value)
        for (term, size, page, *filters), (names, meta) in full.items():
            if filters and way.startswith("walks cut"):
                continue
            for ask in (pages, remembered) if not filters else (pages,):
                got, got_meta = ask(term, size, page, *filters)
                assert got == names, (term, size, page, filters, way, ask)
                if got_meta.get("total_is_estimate"):
                    assert got_meta["total"] <= meta["total"], (term, size, page, filters, ask)
                else:
                    assert got_meta["total"] == meta["total"], (term, size, page, filters, ask)
    # an estimate is only given when the page is full and more matches may follow
    got, meta = pages("ven" if terms == TERMS else "ve %", 2, 1)
    assert meta["total_is_estimate"] is True and meta["total"] == 2
