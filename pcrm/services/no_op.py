"""An edit that changes no value is no update [no-op-edits]: what the edits of contacts, organizations and
notes share to tell one apart and undo its write (updated_at stays as it was)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

# what a write moves without any value changing
BOOKKEEPING = frozenset({"updated_at"})


class Unchanged(Exception):
    """Raised inside an edit's write transaction to roll the write back: it changed no value. `before`: the
    record as it was, which is what the edit answers."""

    def __init__(self, before: Mapping[str, Any]) -> None:
        super().__init__("unchanged")
        self.before = before


def same_values(
    before: Mapping[str, Any], after: Mapping[str, Any], bookkeeping: Collection[str] = BOOKKEEPING
) -> bool:
    """Whether a record read before and after a write holds the same values, `bookkeeping` aside."""
    return all(before.get(k) == after.get(k) for k in {*before, *after} if k not in bookkeeping)


def undo_if_same(before: Mapping[str, Any], after: Mapping[str, Any]) -> None:
    """Raise Unchanged (which rolls back the write transaction it leaves) when the write between `before`
    and `after` changed no value."""
    if same_values(before, after):
        raise Unchanged(before)
