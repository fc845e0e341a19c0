"""What whole-tag edits and Unicode folding do to the tag taxonomy [tag-edits] [ai-taxonomy].

A taxonomy is `{category: [tag, ...]}` in the casing it was written in; each of its tags names the contacts'
tag that `normalize.tag` makes of it (trimmed, lowercased, composed), which is how these functions match them.
A category left with no tag is dropped, as `prompts.taxonomy_of` never keeps an empty one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

from pcrm.domain.normalize import tag as norm_tag

Categories = dict[str, list[str]]


def _once(tags: Sequence[str]) -> list[str]:
    """Each tag once (the first of those naming the same contacts' tag), in order."""
    seen: set[str] = set()
    out: list[str] = []
    for t in tags:
        key = norm_tag(t)
        if key not in seen:
            seen.add(key)
            out.append(t)
    return out


def _edited(
    categories: Mapping[str, Sequence[str]], edit: dict[str, str | None]
) -> tuple[Categories, list[str]]:
    """Each tag whose normalised name is a key of `edit` replaced by its value (None: removed) -> (the
    taxonomy, the categories that changed, in order)."""
    out: Categories = {}
    changed: list[str] = []
    for cat, tags in categories.items():
        kept = _once([t if (n := norm_tag(t)) not in edit else edit[n] or "" for t in tags])
        kept = [t for t in kept if t]
        if kept != list(tags):
            changed.append(cat)
        if kept:
            out[cat] = kept
    return out, changed


def renamed(categories: Mapping[str, Sequence[str]], old: str, new: str) -> tuple[Categories, list[str]]:
    """The taxonomy after `pcrm tags rename OLD NEW` (both normalised) -> (taxonomy, categories changed).

    When the taxonomy has no NEW, NEW takes OLD's place in each category listing it. When it has NEW
    already, the two merge as on the contacts: NEW keeps the category or categories it is in and OLD leaves
    its own (the tag's contacts all carry NEW now, so nothing the taxonomy points at is lost)."""
    has_new = any(norm_tag(t) == new for tags in categories.values() for t in tags)
    return _edited(categories, {old: None if has_new else new})


def deleted(categories: Mapping[str, Sequence[str]], name: str) -> tuple[Categories, list[str]]:
    """The taxonomy after `pcrm tags delete TAG` -> (taxonomy, categories changed)."""
    return _edited(categories, {name: None})


def composed(categories: Mapping[str, Sequence[str]]) -> Categories:
    """Category names and tags in Unicode's composed form (NFC) [value-normalisation], casing kept; two
    categories whose names become one are joined, and a tag listed twice in a category is kept once."""
    out: Categories = {}
    for cat, tags in categories.items():
        name = unicodedata.normalize("NFC", cat)
        out[name] = _once([*out.get(name, []), *(unicodedata.normalize("NFC", t) for t in tags)])
    return out
