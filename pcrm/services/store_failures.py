"""A store pcrm cannot use as it is: damaged, or read-only [store-failures]. What the shells call; the
work is the store's (pcrm.store.failures), which reads SQLite's errors."""

from __future__ import annotations

from pcrm.store.failures import damaged_hint, not_writable, read_only_hint, unusable

__all__ = ["damaged_hint", "not_writable", "read_only_hint", "unusable"]
