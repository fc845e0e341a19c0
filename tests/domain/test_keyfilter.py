"""The import engine's Bloom filter of identity keys [streamed-imports]: a key added is always found (a
miss would skip the store look-up that finds its holder, and make a duplicate); a key never added is
found rarely (each such answer only costs the look-up the filter exists to spare)."""

from __future__ import annotations

from pcrm.domain.keyfilter import KeyFilter


def test_every_added_key_is_found_across_growing_layers() -> None:
    keys = [("email", f"p{i}@example.org") for i in range(150_000)]  # past two layers' capacity
    f = KeyFilter(keys[:1000])
    f.update(keys[1000:])
    assert len(f) == len(keys)
    assert all(k in f for k in keys)
    # a false positive is allowed, but rare
    absent = [("email", f"q{i}@example.org") for i in range(50_000)]
    false_positives = sum(k in f for k in absent)
    assert false_positives < len(absent) // 100, false_positives


def test_only_tuples_are_keys() -> None:
    f = KeyFilter([("email", "ada@example.com")])
    assert ("email", "ada@example.com") in f
    assert "ada@example.com" not in f
    assert ["email", "ada@example.com"] not in f
