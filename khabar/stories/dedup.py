"""Near-duplicate detection of wire copies: one article, "also reported by" the other outlets.

An agency's story is republished by many outlets with small edits: another headline and
dateline, a sentence dropped or added, a "read also" line. `DuplicateIndex` finds those copies
with MinHash LSH over word shingles of the normalized text, then verifies every LSH candidate
by Jaccard similarity, because LSH alone lets through pairs below the threshold.
"""

from __future__ import annotations

import itertools
import math
import threading
from dataclasses import dataclass, replace
from functools import cache
from typing import TypeAlias

from datasketch import MinHash, MinHashLSH

from khabar.stories.fingerprint import (
    DEFAULT_K,
    DEFAULT_NUM_PERM,
    DROP_FUNCTION_WORDS,
    Fingerprint,
    Hashes,
    fingerprint,
    jaccard,
)

__all__ = ["DEFAULT_THRESHOLD", "MIN_WORDS", "DuplicateIndex", "Item", "Match"]

# What the index takes: a text, its fingerprint, or a MinHash restored from the database.
Item: TypeAlias = "str | Fingerprint | MinHash"

# Measured with DEFAULT_K by `python -m bench.duplicates` (see the note on DEFAULT_K): at 0.40,
# P=1.000 R=1.000 on the fixture pairs; 0.35 merges two provinces' election results cut from one
# template (P=0.986), 0.45 misses two heavily edited copies (R=0.971).
DEFAULT_THRESHOLD = 0.4

# Below this many words a text is matched by its content hash only. A short flash has a handful
# of shingles, so changing one number or name moves its Jaccard similarity by more than the gap
# between a copy and different news: "3 killed in X" and "5 killed in X" would merge.
MIN_WORDS = 25

# LSH band layout: the most rows per band (fewest stray candidates), then the fewest bands (each
# band costs a lookup), that make a pair exactly at the threshold a candidate with this
# probability; pairs above it are likelier still. datasketch's own optimiser balances misses
# against extra candidates and at 0.45 would miss half the pairs at 0.49; verification makes
# extra candidates cheap, and a miss shows the same news twice.
_CANDIDATE_RECALL = 0.98


@dataclass(frozen=True)
class Match:
    """An indexed text that the query duplicates, with their Jaccard similarity."""

    key: str
    similarity: float


@dataclass(frozen=True, eq=False)
class _Entry:
    signature: MinHash | None
    hashes: Hashes | None
    digest: str | None
    # Insertion order, set when the entry is indexed: the earliest copy is the original.
    order: int = -1


@cache
def _lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """Return (bands, rows) for `threshold`: see _CANDIDATE_RECALL."""
    for rows in range(num_perm // 2, 0, -1):
        hit = threshold**rows
        if hit >= 1.0:
            return 2, rows
        if hit <= 0.0:
            continue
        bands = max(2, math.ceil(math.log1p(-_CANDIDATE_RECALL) / math.log1p(-hit)))
        if bands * rows <= num_perm:
            return bands, rows
    return num_perm, 1


class DuplicateIndex:
    """Index of article texts that answers "which indexed text is this a copy of?".

    Texts of `min_words` words or more are matched by MinHash LSH over word `k`-shingles, each
    candidate verified by Jaccard similarity >= `threshold`: exact Jaccard when both sides were
    added as text, the MinHash estimate (about +-0.04 at 128 permutations) when one side was
    added as a stored signature. Shorter texts are matched by content hash only.

    To rebuild the index at start-up without re-reading texts, store `signature_bytes` and
    `content_hash` of each article and call `add(key, from_signature_bytes(sig), digest=digest)`;
    add texts under `min_words` words again as text, they are cheap to fingerprint.

    Thread-safe: a lock guards the index, so `check_and_add` is atomic; fingerprinting, the
    expensive part, runs outside it.
    """

    def __init__(
        self,
        threshold: float = DEFAULT_THRESHOLD,
        num_perm: int = DEFAULT_NUM_PERM,
        k: int = DEFAULT_K,
        *,
        min_words: int = MIN_WORDS,
        drop_function_words: bool = DROP_FUNCTION_WORDS,
    ) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {threshold}")
        self.threshold = threshold
        self.num_perm = num_perm
        self.k = k
        self.min_words = max(min_words, k)
        self.drop_function_words = drop_function_words
        self._lsh = MinHashLSH(num_perm=num_perm, params=_lsh_params(threshold, num_perm))
        self._entries: dict[str, _Entry] = {}
        self._by_digest: dict[str, list[str]] = {}
        self._order = itertools.count()
        self._lock = threading.RLock()

    def fingerprint(self, text: str) -> Fingerprint:
        """Return the fingerprint of `text` with this index's settings."""
        return fingerprint(
            text, self.k, self.num_perm, drop_function_words=self.drop_function_words
        )

    def add(self, key: str, item: Item, *, digest: str | None = None) -> None:
        """Index a text, its fingerprint, or a stored signature (and its content hash) as `key`."""
        if isinstance(item, MinHash):
            entry = _Entry(None if item.is_empty() else item, None, digest)
        else:
            entry = self._query(item)
        with self._lock:
            self._insert(key, entry)

    def find(self, item: Item) -> list[Match]:
        """Return the indexed texts that `item` duplicates, most similar first."""
        query = self._query(item)
        with self._lock:
            return self._find(query)

    def check_and_add(self, key: str, text: str | Fingerprint) -> str | None:
        """Return the key of the earliest indexed text that `text` duplicates, else index it."""
        query = self._query(text)
        with self._lock:
            matches = self._find(query)
            if matches:
                return min(matches, key=lambda m: self._entries[m.key].order).key
            self._insert(key, query)
            return None

    def remove(self, key: str) -> None:
        """Remove `key` from the index; KeyError if it is not there."""
        with self._lock:
            if key not in self._entries:
                raise KeyError(f"{key!r} is not in the duplicate index")
            entry = self._entries.pop(key)
            if entry.signature is not None:
                self._lsh.remove(key)
            if entry.digest is not None:
                keys = self._by_digest[entry.digest]
                keys.remove(key)
                if not keys:
                    del self._by_digest[entry.digest]

    def __len__(self) -> int:
        """Return the number of indexed texts."""
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        """Return whether `key` is indexed."""
        return key in self._entries

    def _query(self, item: Item) -> _Entry:
        if isinstance(item, MinHash):
            return _Entry(None if item.is_empty() else item, None, None)
        fp = self.fingerprint(item) if isinstance(item, str) else self._check(item)
        if fp.words == 0:
            return _Entry(None, None, None)
        if fp.words < self.min_words or fp.hashes.size == 0:
            return _Entry(None, None, fp.digest)
        return _Entry(fp.signature, fp.hashes, fp.digest)

    def _check(self, fp: Fingerprint) -> Fingerprint:
        if (fp.k, fp.drop_function_words) != (self.k, self.drop_function_words):
            raise ValueError(
                f"fingerprint made with k={fp.k}, drop_function_words={fp.drop_function_words}; "
                "this index needs index.fingerprint(text)"
            )
        return fp

    def _insert(self, key: str, entry: _Entry) -> None:
        if key in self._entries:
            raise ValueError(f"key {key!r} is already indexed; remove() it first to replace it")
        entry = replace(entry, order=next(self._order))
        if entry.signature is not None:
            self._lsh.insert(key, entry.signature, check_duplication=False)
        if entry.digest is not None:
            self._by_digest.setdefault(entry.digest, []).append(key)
        self._entries[key] = entry

    def _find(self, query: _Entry) -> list[Match]:
        found: dict[str, float] = {}
        if query.digest is not None:
            found.update(dict.fromkeys(self._by_digest.get(query.digest, ()), 1.0))
        if query.signature is not None:
            for key in self._lsh.query(query.signature):
                if key not in found:
                    similarity = self._similarity(query, self._entries[key])
                    if similarity >= self.threshold:
                        found[key] = similarity
        order = {key: self._entries[key].order for key in found}
        ranked = sorted(found.items(), key=lambda kv: (-kv[1], order[kv[0]]))
        return [Match(key, similarity) for key, similarity in ranked]

    @staticmethod
    def _similarity(query: _Entry, entry: _Entry) -> float:
        if query.hashes is not None and entry.hashes is not None:
            return jaccard(query.hashes, entry.hashes)
        assert query.signature is not None and entry.signature is not None
        return float(query.signature.jaccard(entry.signature))
