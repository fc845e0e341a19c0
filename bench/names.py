"""Person names with a realistic distribution, for the bench stores (`generate.py --names realistic`).

The demo's pools (~80 first names, ~80 last names) make every real search term match thousands of
contacts, which no real address book does. Real names are heavy-tailed: a few very common surnames
(Smith is ~1% of the US population) and a long tail of rare ones. This draws them from Faker's name
tables (a bench-only dependency: `pip install -e '.[bench]'`):

- 60%: en_US first and last names, weighted by the US census frequencies Faker ships (~700 first
  names, 1,000 surnames);
- 40%: one of eight other locales (de_DE, fr_FR, es_ES, it_IT, nl_NL, pt_BR, sv_SE, da_DK), Zipf
  weights (1/rank) over each locale's list after a fixed shuffle, so the common names are not all the
  alphabetically first ones.

Deterministic for the seed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from itertools import accumulate

_OTHER = ("de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pt_BR", "sv_SE", "da_DK")


class _Pool:
    def __init__(self, names: list[str], weights: list[float]) -> None:
        self.names = names
        self.cum = list(accumulate(weights))

    def draw(self, rng: random.Random) -> str:
        return rng.choices(self.names, cum_weights=self.cum)[0]


def _zipf(names: list[str] | tuple[str, ...], seed: int) -> _Pool:
    shuffled = sorted(set(names))
    random.Random(seed).shuffle(shuffled)
    return _Pool(shuffled, [1.0 / (rank + 1) for rank in range(len(shuffled))])


def _weighted(table: object) -> _Pool:
    if isinstance(table, dict):
        return _Pool(list(table), [float(w) for w in table.values()])
    return _zipf(list(table), 0)  # type: ignore[call-overload]


def _providers() -> dict[str, object]:
    try:
        from faker.providers.person import da_DK, de_DE, en_US, es_ES, fr_FR, it_IT, nl_NL, pt_BR, sv_SE
    except ImportError as e:
        raise SystemExit("realistic names need Faker (bench only): pip install -e '.[bench]'") from e
    mods = (da_DK, de_DE, en_US, es_ES, fr_FR, it_IT, nl_NL, pt_BR, sv_SE)
    return {m.__name__.rsplit(".", 1)[1]: m.Provider for m in mods}


def names(seed: int) -> Iterator[tuple[str, str]]:
    """An endless stream of (first, last) names."""
    rng = random.Random(seed)
    providers = _providers()
    us = providers["en_US"]
    us_first = _weighted({**us.first_names_female, **us.first_names_male})  # type: ignore[attr-defined]
    us_last = _weighted(us.last_names)  # type: ignore[attr-defined]
    others = []
    for i, loc in enumerate(_OTHER):
        p = providers[loc]
        others.append((_zipf(p.first_names, i), _zipf(p.last_names, 100 + i)))  # type: ignore[attr-defined]
    while True:
        if rng.random() < 0.6:
            yield us_first.draw(rng), us_last.draw(rng)
        else:
            first, last = rng.choice(others)
            yield first.draw(rng), last.draw(rng)
