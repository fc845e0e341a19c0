"""Words shared by every shell's messages."""

from __future__ import annotations

from collections.abc import Sequence


def counted(n: int, one: str, many: str | None = None) -> str:
    """`1 contact`, `0 contacts`, `1,234 contacts`: a count with its noun in the number it takes, for every
    message that counts (imports, exports, syncs, undo), written by a command or by a service's error.
    `many` for a plural that is not `one` + s."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def listed_tags(tags: Sequence[str]) -> str:
    """Tags as one line of text, `book club, investor`, a tag holding a comma (or a double quote) in double
    quotes, `book club, "a,b"`, so that it never reads as two [tag-commas]. Every shell shows tags so."""
    return ", ".join(f'"{t}"' if "," in t or '"' in t else t for t in tags)
