"""Fingerprints of article text: word shingles, MinHash signatures and content hashes.

Everything works on the index form of the text (`khabar.arabic.normalize`), so diacritics, hamza
and alef spellings, Arabic-Indic digits, tatweel and Latin case do not tell two copies apart.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Set
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt
from datasketch import MinHash

from khabar.arabic import normalize, words

__all__ = [
    "DEFAULT_K",
    "DEFAULT_NUM_PERM",
    "DROP_FUNCTION_WORDS",
    "FUNCTION_WORDS",
    "SEED",
    "Fingerprint",
    "content_hash",
    "fingerprint",
    "from_signature_bytes",
    "jaccard",
    "minhash",
    "shingle_hashes",
    "shingles",
    "signature_bytes",
    "text_words",
    "words_fingerprint",
]

Hashes = npt.NDArray[np.uint32]

# Measured by `python -m bench.duplicates` on tests/fixtures/duplicates/pairs.jsonl (70 copies,
# 48 different-news pairs; grid k=2..5 x threshold 0.30..0.90 x function words kept/dropped):
# word 3-grams with function words dropped, threshold 0.40, P=1.000 R=1.000 F1=1.000. Tied on F1
# and precision: k=3 kept at 0.45 and k=2 dropped at 0.50; the tie went to the widest gap between
# the lowest copy and the highest different-news Jaccard (0.045, against 0.043 and 0.010). Without
# particles, two reports cut from one agency template share fewer shingles (highest
# different-news pairs 0.39, 0.30 against 0.44, 0.36 with them). k=4 and k=5 lose a heavily
# edited copy or merge two provinces' election results at every threshold.
DEFAULT_K = 3
DROP_FUNCTION_WORDS = True
DEFAULT_NUM_PERM = 128

# Fixed so that signatures stored in a database stay comparable after a restart or an upgrade.
SEED = 1447

_SCHEME = "affine32"
_MAGIC = b"K"
_FORMAT = 1
_HEADER = struct.Struct("<cBHI")  # magic, format, num_perm, seed: 8 bytes

# The commonest Arabic particles, prepositions, pronouns and auxiliaries.
_FUNCTION_WORDS = (
    "في من إلى على عن أن إن أو ثم قد لا ما لم لن هل بل كما لكن مع بين حتى إذا إلا "
    "منذ خلال عند بعد قبل حول ضد دون لدى نحو عبر وفق "
    "هذا هذه ذلك تلك هؤلاء الذي التي الذين اللذين اللتين هو هي هم هن أنه أنها "
    "كان كانت يكون تكون كل بعض غير أي أيضا "
    "و ف ب ل وفي ومن وإلى وعلى وعن وأن وإن وأو وقد ولا وما ولم ولن ومع وبين وهذا وهذه "
    "وذلك والتي والذي والذين وهو وهي وهم وكان وكانت وكل وبعد وقبل وخلال فيما بما كذلك"
)
FUNCTION_WORDS: frozenset[str] = frozenset(normalize(w) for w in _FUNCTION_WORDS.split())

# Multiplier of the rolling combination of word hashes into a shingle hash: odd, so the map
# from one word hash to the combined hash is a bijection modulo 2^64.
_ROLL = np.uint64(0x9E3779B97F4A7C15)
_FMIX = (np.uint64(33), np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53))


def text_words(text: str, *, drop_function_words: bool = False) -> list[str]:
    """Return the normalized words and numbers of `text`, Latin lowercased, punctuation dropped."""
    text = normalize(text)
    # Arabic decimal and thousands separators, so that ٧٫٧٥ and 7.75 are the same number.
    if "\u066b" in text or "\u066c" in text:
        text = text.replace("\u066b", ".").replace("\u066c", ",")
    found = [word.lower() for word in words(text)]
    if drop_function_words:
        return [word for word in found if word not in FUNCTION_WORDS]
    return found


def _grams(found: list[str], k: int) -> list[tuple[str, ...]]:
    if not found:
        return []
    # A text shorter than one shingle is one shingle, so it still has a fingerprint.
    size = min(k, len(found))
    return [tuple(found[i : i + size]) for i in range(len(found) - size + 1)]


def shingles(
    text: str, k: int = DEFAULT_K, *, drop_function_words: bool = DROP_FUNCTION_WORDS
) -> set[str]:
    """Return the word k-grams of the normalized `text`, each as its words joined by spaces."""
    _check_k(k)
    found = text_words(text, drop_function_words=drop_function_words)
    return {" ".join(gram) for gram in _grams(found, k)}


# News vocabulary repeats, so word hashes are cached; the cache starts over when it is full.
_WORD_HASHES: dict[str, int] = {}
_WORD_CACHE_SIZE = 1 << 18


def _word_hash(word: str) -> int:
    value = int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")
    if len(_WORD_HASHES) >= _WORD_CACHE_SIZE:
        _WORD_HASHES.clear()
    _WORD_HASHES[word] = value
    return value


def _fmix64(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    shift, first, second = _FMIX
    values = values ^ (values >> shift)
    values = values * first
    values = values ^ (values >> shift)
    values = values * second
    return values ^ (values >> shift)


def _hash_words(found: list[str], k: int) -> Hashes:
    if not found:
        return np.empty(0, dtype=np.uint32)
    size = min(k, len(found))
    cached = _WORD_HASHES.get
    values = [cached(w) or _word_hash(w) for w in found]
    word_hashes = np.array(values, dtype=np.uint64)
    count = len(found) - size + 1
    rolled = word_hashes[:count].copy()
    for offset in range(1, size):
        # uint64 array arithmetic wraps, which is the modulo 2^64 the rolling hash wants.
        rolled = rolled * _ROLL + word_hashes[offset : offset + count]
    top = _fmix64(rolled) >> np.uint64(32)
    return np.unique(top.astype(np.uint32))


def shingle_hashes(
    text: str, k: int = DEFAULT_K, *, drop_function_words: bool = DROP_FUNCTION_WORDS
) -> Hashes:
    """Return a 32-bit hash of each shingle of `text`, sorted and without repeats."""
    _check_k(k)
    return _hash_words(text_words(text, drop_function_words=drop_function_words), k)


@cache
def _template(num_perm: int) -> MinHash:
    # Building the permutations costs more than hashing a whole article; share them.
    return MinHash(num_perm=num_perm, seed=SEED, hashfunc=int, scheme=_SCHEME)


def _minhash_of(hashes: Hashes, num_perm: int) -> MinHash:
    signature = _template(num_perm).copy()
    if hashes.size:
        signature.update_batch(hashes)
    return signature


def minhash(
    text: str,
    num_perm: int = DEFAULT_NUM_PERM,
    k: int = DEFAULT_K,
    *,
    drop_function_words: bool = DROP_FUNCTION_WORDS,
) -> MinHash:
    """Return the MinHash of the shingles of `text`; the same text always gives the same one."""
    return _minhash_of(shingle_hashes(text, k, drop_function_words=drop_function_words), num_perm)


def signature_bytes(signature: MinHash) -> bytes:
    """Return `signature` as compact bytes for a database column: 8 bytes + 4 per permutation."""
    if getattr(signature, "scheme", None) != _SCHEME or signature.seed != SEED:
        raise ValueError(
            "only signatures made by khabar.stories.fingerprint.minhash can be stored; "
            "compute the signature with minhash(text)"
        )
    values = np.asarray(signature.hashvalues, dtype="<u4")
    return _HEADER.pack(_MAGIC, _FORMAT, len(values), SEED) + values.tobytes()


def from_signature_bytes(data: bytes) -> MinHash:
    """Return the MinHash stored by `signature_bytes`."""
    if len(data) < _HEADER.size:
        raise ValueError("not a stored signature: too short; store it with signature_bytes()")
    magic, version, num_perm, seed = _HEADER.unpack_from(data)
    if magic != _MAGIC or version != _FORMAT or seed != SEED:
        raise ValueError(
            "not a signature stored by this version of Khabar; recompute it with minhash(text)"
        )
    if len(data) != _HEADER.size + 4 * num_perm:
        raise ValueError("stored signature is truncated; recompute it with minhash(text)")
    values = np.frombuffer(data, dtype="<u4", offset=_HEADER.size).astype(np.uint32)
    template = _template(num_perm)
    return MinHash(
        seed=SEED,
        hashfunc=int,
        hashvalues=values,
        permutations=template.permutations,
        scheme=_SCHEME,
    )


def content_hash(text: str) -> str:
    """Return the sha256 hex digest of the normalized words of `text`, for exact duplicates."""
    return _digest(text_words(text))


def _digest(found: list[str]) -> str:
    # Words joined by single spaces: copies that differ only in spacing or punctuation are exact.
    return hashlib.sha256(" ".join(found).encode("utf-8")).hexdigest()


def jaccard(a: Set[Any] | Hashes, b: Set[Any] | Hashes) -> float:
    """Return the exact Jaccard similarity of two shingle sets (or two `shingle_hashes` arrays)."""
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        both = int(np.intersect1d(a, b, assume_unique=True).size)
        either = int(a.size) + int(b.size) - both
    elif isinstance(a, Set) and isinstance(b, Set):
        both = len(a & b)
        either = len(a) + len(b) - both
    else:
        raise TypeError("jaccard() takes two sets or two shingle_hashes() arrays, not a mix")
    return both / either if either else 0.0


@dataclass(frozen=True, eq=False)
class Fingerprint:
    """Everything the duplicate index needs to know about one text, computed in one pass."""

    words: int
    digest: str
    hashes: Hashes
    signature: MinHash
    k: int
    drop_function_words: bool


def fingerprint(
    text: str,
    k: int = DEFAULT_K,
    num_perm: int = DEFAULT_NUM_PERM,
    *,
    drop_function_words: bool = DROP_FUNCTION_WORDS,
) -> Fingerprint:
    """Return the word count, content hash, shingle hashes and MinHash of `text`."""
    return words_fingerprint(text_words(text), k, num_perm, drop_function_words=drop_function_words)


def words_fingerprint(
    found: list[str],
    k: int = DEFAULT_K,
    num_perm: int = DEFAULT_NUM_PERM,
    *,
    drop_function_words: bool = DROP_FUNCTION_WORDS,
) -> Fingerprint:
    """`fingerprint(text)` from `text_words(text)`, for a caller that has the words already."""
    _check_k(k)
    kept = [w for w in found if w not in FUNCTION_WORDS] if drop_function_words else found
    hashes = _hash_words(kept, k)
    signature = _minhash_of(hashes, num_perm)
    return Fingerprint(len(found), _digest(found), hashes, signature, k, drop_function_words)


def _check_k(k: int) -> None:
    if k < 1:
        raise ValueError(f"shingle size k must be at least 1, got {k}")
