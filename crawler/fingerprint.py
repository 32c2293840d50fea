"""Near-duplicate fingerprints: a 64-bit SimHash over word 3-shingles of normalised text.

Reprints of one story across outlets differ in the byline, the lead or the last paragraph; their
fingerprints stay a few bits apart while unrelated texts land near 32 bits apart. The distance grows
with the share of text that changed (about 64·√(2·share)/π bits), so a replaced paragraph that is a
large part of a short article moves the fingerprint further than the same paragraph in a long one.
"""

from __future__ import annotations

import re
from functools import lru_cache
from hashlib import blake2b

SHINGLE_WORDS = 3
BITS = 64

_WORD = re.compile(r"\w+")
_MASK = (1 << BITS) - 1
_GOLDEN = 0x9E3779B97F4A7C15  # odd 64-bit multiplier: mixes the three word hashes without collisions
# _BIT_SET[k] maps a byte to 1 when its bit k is set, so bytes.translate(...).count(1) counts one
# bit column across all shingle hashes at C speed.
_BIT_SET = [bytes((value >> k) & 1 for value in range(256)) for k in range(8)]


@lru_cache(maxsize=65536)
def _word_hash(word: str) -> int:
    # Python's hash() is salted per process; a stored fingerprint needs a stable hash.
    return int.from_bytes(blake2b(word.encode(), digest_size=8).digest(), "big")


def simhash(text: str) -> int:
    """SimHash of ``text`` as a signed 64-bit integer, so it fits an SQLite INTEGER column."""
    hashes = list(map(_word_hash, _WORD.findall(text.lower().replace("ё", "е"))))
    if len(hashes) >= SHINGLE_WORDS:
        triples = zip(hashes, hashes[1:], hashes[2:], strict=False)  # the shorter slices end it
        shingles = {((a * _GOLDEN + b) * _GOLDEN + c) & _MASK for a, b, c in triples}
    else:
        shingles = set(hashes[:1])  # fewer than three words: the text is too short to compare anyway
    if not shingles:
        return 0
    packed = b"".join(shingle.to_bytes(8, "big") for shingle in shingles)
    half = len(shingles) / 2
    value = 0
    for byte in range(8):
        column = packed[byte::8]
        for bit in range(7, -1, -1):
            value = (value << 1) | (column.translate(_BIT_SET[bit]).count(1) > half)
    return value - (1 << BITS) if value >> (BITS - 1) else value


def hamming(a: int, b: int) -> int:
    """Number of differing bits between two fingerprints (signed or unsigned)."""
    return ((a ^ b) & _MASK).bit_count()


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower().replace("ё", "е"))
    return {tuple(words[i : i + SHINGLE_WORDS]) for i in range(max(len(words) - SHINGLE_WORDS + 1, 0))}


def containment(a: str, b: str) -> float:
    """Share of the shorter text's word 3-shingles found in the other text (0 to 1).

    SimHash only pre-selects: on short articles a reprint with its own lead sits 9–15 bits away,
    as close as some unrelated pairs. Containment confirms: a reprint shares most of its shingles.
    """
    first, second = _shingles(a), _shingles(b)
    if not first or not second:
        return 0.0
    return len(first & second) / min(len(first), len(second))


# --- many fingerprints at once --------------------------------------------------------------------
# The reprint check compares a new article's fingerprint with every recent one. Packed side by side
# into one big integer, 64 bits each, they are XOR-ed and bit-counted lane by lane with a dozen
# whole-integer operations (a SWAR popcount) that CPython runs in C over the whole array: a few
# milliseconds at 100,000 fingerprints, where a Python loop takes tens. (numpy would be faster still,
# but sqlite-utils imports numpy whenever it is installed, which would slow every command's start.)

_LANE_BYTES = BITS // 8
_NEAR = [bytes(1 if value <= d else 0 for value in range(256)) for d in range(BITS + 1)]


def _lanes(byte: int, count: int) -> int:
    return int.from_bytes(bytes([byte]) * (_LANE_BYTES * count), "little")


class PackedFingerprints:
    """Fingerprints appended one by one (or in bulk); ``close`` lists the positions within a distance."""

    def __init__(self) -> None:
        self.count = 0
        self._packed = 0
        self._capacity = 0  # lanes the masks below cover: grown by an eighth, so they are rarely rebuilt
        self._masks = (0, 0, 0, 0)

    def extend(self, fingerprints: list[int]) -> None:
        chunk = b"".join((value & _MASK).to_bytes(_LANE_BYTES, "little") for value in fingerprints)
        self._packed |= int.from_bytes(chunk, "little") << (BITS * self.count)
        self.count += len(fingerprints)
        if self.count > self._capacity:
            self._capacity = self.count + max(1024, self.count // 8)
            self._masks = (
                int.from_bytes((b"\x01" + bytes(_LANE_BYTES - 1)) * self._capacity, "little"),
                _lanes(0x55, self._capacity),
                _lanes(0x33, self._capacity),
                _lanes(0x0F, self._capacity),
            )

    def close(self, fingerprint: int, max_distance: int) -> list[int]:
        """Positions (in the order added) of the fingerprints at most ``max_distance`` bits from ``fingerprint``."""
        if not self.count:
            return []
        ones, m1, m2, m4 = self._masks
        x = self._packed ^ (ones * (fingerprint & _MASK))  # the query repeated in every lane
        # the bit count of every 64-bit lane at once; no step carries from one lane into the next
        x -= (x >> 1) & m1
        x = (x & m2) + ((x >> 2) & m2)
        x = (x + (x >> 4)) & m4
        x += x >> 8
        x += x >> 16
        x += x >> 32  # each lane's lowest byte now holds its bit count (at most 64)
        counts = x.to_bytes(_LANE_BYTES * (self._capacity + 1), "little")[: _LANE_BYTES * self.count : _LANE_BYTES]
        near = counts.translate(_NEAR[max(0, min(max_distance, BITS))])
        positions = []
        at = near.find(1)
        while at >= 0:
            positions.append(at)
            at = near.find(1, at + 1)
        return positions
