"""A Bloom filter over identity keys [streamed-imports]: the import engine's pre-filter that spares a store
look-up for a key nobody holds, in a few bytes a key instead of a set of tuples (~150 bytes a key).

`key in f` is never False for a key that was added; it is True for a key that was not with a small
chance (about 0.1% per layer), which only costs the look-up the filter exists to spare: the store
answers. Past its capacity the filter grows a new layer twice as big (a scalable Bloom filter), so it
never forgets a key and never reads the store again.
"""

from __future__ import annotations

from collections.abc import Iterable

Key = tuple[str, ...]

_BITS_PER_KEY = 16  # with 6 probes: ~0.1% false positives at capacity
_PROBES = 6
_MIN_CAPACITY = 1 << 16


class _Layer:
    def __init__(self, capacity: int) -> None:
        bits = 1 << (capacity * _BITS_PER_KEY - 1).bit_length()
        self.mask = bits - 1
        self.bits = bytearray(bits >> 3)
        self.capacity = capacity
        self.count = 0


def _probes(key: Key, mask: int) -> list[int]:
    h = hash(key) & 0xFFFFFFFFFFFFFFFF
    h1, h2 = h & 0xFFFFFFFF, (h >> 32) | 1
    return [(((h1 + i * h2) * 0x9E3779B97F4A7C15) >> 11) & mask for i in range(_PROBES)]


class KeyFilter:
    def __init__(self, keys: Iterable[Key] = (), capacity: int = _MIN_CAPACITY) -> None:
        self._layers = [_Layer(max(capacity, _MIN_CAPACITY))]
        self.update(keys)

    def add(self, key: Key) -> None:
        layer = self._layers[-1]
        if layer.count >= layer.capacity:
            layer = _Layer(layer.capacity * 2)
            self._layers.append(layer)
        for p in _probes(key, layer.mask):
            layer.bits[p >> 3] |= 1 << (p & 7)
        layer.count += 1

    def update(self, keys: Iterable[Key]) -> None:
        for k in keys:
            self.add(k)

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, tuple):
            return False
        for layer in self._layers:
            bits = layer.bits
            if all(bits[p >> 3] & (1 << (p & 7)) for p in _probes(key, layer.mask)):
                return True
        return False

    def __len__(self) -> int:
        return sum(layer.count for layer in self._layers)
