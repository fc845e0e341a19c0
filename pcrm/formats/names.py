"""Name helpers for imports: the messages.csv name normaliser [csv-imports] and "Name | Org" splitting
[csv-imports]."""

from __future__ import annotations

import unicodedata

from pcrm.domain.identity_names import GENERATION_WORDS, name_markers
from pcrm.domain.normalize import is_email

# Post-nominals dropped before comparing names [csv-imports].
POST_NOMINALS = frozenset(["mba", "phd", "md", "cpa", "cfa", "pmp", "esq", "pe", "rn", "bsc", "msc"])


def normalize_name(name: str | None) -> str:
    """Lowercase, without post-nominals (MBA, PhD, ...), emoji, symbols or punctuation, spaces collapsed;
    a generational suffix stays, last and in one form ("Jr.", "Jnr", "Junior" are "jr").

    'Jane Doe, MBA ★' and 'jane doe' normalise alike; dots vanish (so 'Ph.D.' is 'phd'), other
    punctuation separates words. 'John Smith Jr' and 'John Smith Sr' (or 'John Smith') do not: a son and
    his father are two people [shared-keys], and this name is what a message finds its sender by."""
    kept, generation, words = _words(name)
    if not kept:
        return " ".join(words)
    return " ".join([*kept, generation] if generation else kept)


def member_ref_name(name: str | None) -> str:
    """The name a group message's per-member reference holds: `normalize_name` without the generational
    suffix, as those references were first written. A stored reference never changes its form, or the
    next import of the same file adds the message again."""
    kept, _generation, words = _words(name)
    return " ".join(kept or words)


def _words(name: str | None) -> tuple[list[str], str, list[str]]:
    """A name's folded words without post-nominals and generational suffix, the suffix's one form ("" when
    none), and all its folded words."""
    if not name:
        return [], "", []
    text = unicodedata.normalize("NFKC", name).replace(".", "")
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat[0] in "LMN":
            out.append(ch)
        elif cat[0] in "PZ" or ch.isspace():
            out.append(" ")
        # symbols (S*) and other characters (emoji, variation selectors, ZWJ) are dropped
    words = "".join(out).casefold().split()
    generation = name_markers(name)[1]  # "" when none ("Junior Silva" is a name, not a suffix)
    kept = [
        w
        for w in words
        if w not in POST_NOMINALS and not (generation and GENERATION_WORDS.get(w) == generation)
    ]
    return kept, generation, words


def parse_name_org(text: str | None) -> tuple[str | None, str | None]:
    """Split 'Jane Doe | Acme', 'Jane Doe @ Acme' or 'Jane Doe / Acme' into name and organization.

    An email address is never split; a side left empty means there is nothing to split."""
    if not text or not text.strip():
        return None, None
    t = " ".join(text.split())
    if is_email(t.lower()):
        return t, None
    for sep in ("|", "@", "/"):
        if sep in t:
            left, right = (p.strip() for p in t.split(sep, 1))
            if left and right:
                return left, right
    return t, None
