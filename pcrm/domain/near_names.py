"""Names close to one a user typed, for a reference that fits nobody [near-names]: `lovelase` is a letter off
`Lovelace`, `grace hoper` one off `Grace Hopper`."""

from __future__ import annotations

import difflib
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

K = TypeVar("K", bound=Hashable)

CUTOFF = 0.8  # difflib's ratio: one letter wrong in an 8-letter word is 0.875, two in a 6-letter one 0.67
SHORTEST = 4  # a shorter reference is close to too many names to help
MOST = 5000  # the most names compared (~40 ms a thousand); a store with more candidates gets no guess
TAG_CUTOFF = 0.7  # tags are short words: `friends` is 0.92 off `friend`, `famly` 0.91 off `family`
START = 2  # a close name has a word starting as one typed word does: the typo is rarely in the first letters


def word_starts(typed: str) -> list[str]:
    """The starts a close name's words are looked up by: the first START letters of each typed word, the
    words that begin with a letter or digit only (the rest could not be matched in a GLOB as typed)."""
    out: list[str] = []
    for word in typed.split():
        start = word[:START]
        if len(start) == START and start.isalnum() and start not in out:
            out.append(start)
    return out


def listing(people: Sequence[Mapping[str, Any]]) -> str:
    """The close contacts ({id, full_name}) as a hint names them: "Ada Lovelace (5f45431e), Louis Lovelace
    (ce48d9ce) or Guido Lovelace (8a940172)"."""
    named = [f"{p['full_name']} ({p['id'][:8]})" for p in people]
    return named[0] if len(named) == 1 else f"{', '.join(named[:-1])} or {named[-1]}"


def near(typed: str, names: Iterable[tuple[K, str]], *, limit: int = 3) -> list[K]:
    """The keys of the names (key, folded name) closest to `typed` (folded), best first, at most `limit`,
    none under CUTOFF. One typed word is compared with each word of a name as well as the whole name (a
    first or family name alone); several words with the whole name in either order ("lovelace ada")."""
    typed = " ".join(typed.split())
    if len(typed) < SHORTEST:
        return []
    several = " " in typed
    m = difflib.SequenceMatcher(autojunk=False)
    m.set_seq2(typed)  # difflib caches what it learns of seq2: the typed name is compared with every name
    found: list[tuple[float, int, K]] = []
    ratios: dict[str, float] = {}  # namesakes are compared once (a big store holds many of each name)
    for n, (key, name) in enumerate(names):
        best = ratios.get(name, -1.0)
        if best < 0:
            words = name.split()
            forms = [name, " ".join(reversed(words))] if several else [name, *words]
            best = 0.0
            for form in forms:
                m.set_seq1(form)
                # the cheap upper bounds first, as difflib.get_close_matches does
                if m.real_quick_ratio() >= CUTOFF and m.quick_ratio() >= CUTOFF:
                    best = max(best, m.ratio())
            ratios[name] = best
        if best >= CUTOFF:
            found.append((-best, n, key))
    found.sort()
    return [key for _, _, key in found[:limit]]


def near_tags(typed: str, tags: Iterable[str], *, limit: int = 3) -> list[str]:
    """The tags in use closest to a tag nobody has, best first, at most `limit` [unknown-tags]: difflib's
    ratio against each tag as written and with its spaces and hyphens taken out (`bookclub` is `book club`),
    or a tag that contains the typed one whole (`invest` finds `investor`)."""
    squeezed = "".join(c for c in typed if c not in " -_")
    if not squeezed:
        return []
    m = difflib.SequenceMatcher(autojunk=False)
    found: list[tuple[float, str]] = []
    for tag in tags:
        flat = "".join(c for c in tag if c not in " -_")
        best = 0.0
        for a, b in ((typed, tag), (squeezed, flat)):
            m.set_seqs(a, b)
            best = max(best, m.ratio())
        if len(squeezed) >= 3 and squeezed in flat:
            best = max(best, CUTOFF)
        if best >= TAG_CUTOFF:
            found.append((-best, tag))
    found.sort()
    return [tag for _, tag in found[:limit]]
