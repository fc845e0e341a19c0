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
_PROBES = 6  # (update has them unrolled)
_MIN_CAPACITY = 1 << 16


class _Layer:
    def __init__(self, capacity: int) -> None:
        bits = 1 << (capacity * _BITS_PER_KEY - 1).bit_length()
        self.mask = bits - 1
        self.bits = bytearray(bits >> 3)
        self.capacity = capacity
        self.count = 0


class KeyFilter:
    def __init__(self, keys: Iterable[Key] = (), capacity: int = _MIN_CAPACITY) -> None:
        self._layers = [_Layer(max(capacity, _MIN_CAPACITY))]
        self.update(keys)

    def add(self, key: Key) -> None:
        self.update((key,))

    def update(self, keys: Iterable[Key]) -> None:
        layer = self._layers[-1]
        bits, mask, room = layer.bits, layer.mask, layer.capacity - layer.count
        for key in keys:
            if not room:
                layer.count = layer.capacity
                layer = _Layer(layer.capacity * 2)
                self._layers.append(layer)
                bits, mask, room = layer.bits, layer.mask, layer.capacity
            h = hash(key)
            # the _PROBES (6) probes of __contains__, unrolled: bit (h1 + i * h2) & mask for i in 0..5
            p, h2 = h & 0xFFFFFFFF, ((h >> 32) & 0xFFFFFFFF) | 1
            q = p & mask
            bits[q >> 3] |= 1 << (q & 7)
            p += h2
            q = p & mask
            bits[q >> 3] |= 1 << (q & 7)
            p += h2
            q = p & mask
            bits[q >> 3] |= 1 << (q & 7)
            p += h2
            q = p & mask
            bits[q >> 3] |= 1 << (q & 7)
            p += h2
            q = p & mask
            bits[q >> 3] |= 1 << (q & 7)
            p += h2
            q = p & mask
            bits[q >> 3] |= 1 << (q & 7)
            room -= 1
        layer.count = layer.capacity - room

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, tuple):
            return False
        h = hash(key)
        h1, h2 = h & 0xFFFFFFFF, ((h >> 32) & 0xFFFFFFFF) | 1
        for layer in self._layers:
            bits, mask = layer.bits, layer.mask
            # double hashing from the two halves of one 64-bit hash (Python's string hash is SipHash, well
            # mixed in every bit: no multiply is needed, and the numbers stay small); stop at the first bit
            # not set (most absent keys: one)
            for i in range(_PROBES):
                p = (h1 + i * h2) & mask
                if not bits[p >> 3] & (1 << (p & 7)):
                    break
            else:
                return True
        return False

    def __len__(self) -> int:
        return sum(layer.count for layer in self._layers)
