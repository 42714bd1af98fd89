"""The one analyzer: normalize -> tokenize -> stop words -> stem, at index and at query time.

`Analyzer.terms` is the fast path used to index: it normalizes the whole text once, finds spans
with one regex over the normalized text, and maps each distinct token to its term through a
cache, so a million articles are analyzed in minutes rather than hours. `Analyzer.spans` gives
the same terms with offsets into the original text (through `normalize_mapped`), for snippets.
A property test checks that its tokens agree with `khabar.arabic.tokenize` on ordinary text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate
from typing import Literal

from khabar.arabic import (
    MappedText,
    light_stem,
    normalize,
    normalize_mapped,
    parse_number,
    snowball_stem,
)
from khabar.arabic.tokenize import ARABIC_LETTERS
from khabar.search.stopwords import STOP_WORDS

__all__ = ["DEFAULT_ANALYZER", "Analyzer", "Scan", "Span", "StemmerName"]

StemmerName = Literal["light", "snowball", "none"]

# The default stemmer, from bench/search_quality.py (98 queries over 100 articles, MRR@10 /
# Recall@10 on SQLite): normalization alone 0.776 / 0.674, + Snowball 0.867 / 0.782, + light10
# 0.918 / 0.859, light10 + stop words + spelling folds 0.949 / 0.904 (the shipped analyzer;
# Snowball with the same extras 0.898 / 0.826: it cuts names, بغداد -> غداد, الأردن -> ارد,
# and stems one plural two ways, انتخابات -> انتخابا but الانتخابات -> انتخاب).
DEFAULT_STEMMER: StemmerName = "light"

_LATIN = (
    "A-Za-z\u00aa\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0250-\u02af"
    "\u1e00-\u1eff\u2c60-\u2c7f\ua720-\ua7ff\uab30-\uab6f\uff21-\uff3a\uff41-\uff5a"
)
_LATIN_MARKS = "\u0300-\u036f"
_ARABIC_INNER = "\u06e5\u06e6"
# Over normalized text: diacritics, tatweel and joiners are gone, digits are ASCII.
_TOKEN = re.compile(
    f"[{ARABIC_LETTERS}][{ARABIC_LETTERS}{_ARABIC_INNER}]*"
    f"|[{_LATIN}][{_LATIN}{_LATIN_MARKS}]*(?:['\u2019][{_LATIN}][{_LATIN}{_LATIN_MARKS}]*)*"
    r"|\d+(?:[.,\u066b\u066c]\d+)*"
    f"|[^\\W\\d_{ARABIC_LETTERS}{_LATIN}]+"
)
_SPLIT = re.compile(f"({_TOKEN.pattern})")
_WHITESPACE_SPLIT = re.compile(r"(\S+)")
_ARABIC_START = re.compile(f"[{ARABIC_LETTERS}]")
_EDGE_PUNCTUATION = re.compile(r"^\W+|\W+$")
_CACHE_LIMIT = 2_000_000
# Spellings of one word that normalization keeps apart (after it: ؤ is و, ئ is ي, ة is ه).
# أمريكي/أميركي, مسؤول/مسئول, شؤون/شئون; and a final يا reads as ية, so سوريا, سورية and
# السوري share a stem (so do ألمانيا/الألمانية, روسيا/الروسية).
_FOLDS = (("اميرك", "امريك"), ("مسيول", "مسوول"), ("شيون", "شوون"))
_FOLD_FINAL = ("يا", "يه")
_FOLD_MIN = 4
_PREFIXED_STOP = ("و", "ف")


@dataclass(frozen=True, slots=True)
class Span:
    """One token of a text: its term (None for a stop word) and its offsets in the original."""

    term: str | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Scan:
    """Tokens of a text (or of a region of it) with their terms ("" for stop words).

    `starts_text` and `ends_text` say whether the region reaches the text's start and end;
    offsets are mapped back to the original text on demand.
    """

    tokens: list[str]
    terms: list[str]
    # Cumulative lengths of re.split's parts: token k spans base + ends[2k]..base + ends[2k+1].
    ends: list[int]
    mapped: MappedText | None
    base: int = 0
    starts_text: bool = True
    ends_text: bool = True

    def offsets(self, first: int, last: int) -> list[tuple[int, int]]:
        """Return the original offsets of tokens first..last-1."""
        ends, base = self.ends, self.base
        spans = [
            (base + ends[2 * k], base + ends[2 * k + 1])
            for k in range(first, min(last, len(self.tokens)))
        ]
        if self.mapped is None:
            return spans
        return [self.mapped.original_span(a, b) for a, b in spans]


def _number_term(token: str) -> str:
    value = parse_number(token)
    if value is None:
        return re.sub(r"[,\u066b\u066c]", ".", token)
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


def _latin_term(token: str) -> str:
    decomposed = unicodedata.normalize("NFKD", token.replace("'", "").replace("\u2019", ""))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _fold(token: str) -> str:
    for old, new in _FOLDS:
        if old in token:
            token = token.replace(old, new)
    old, new = _FOLD_FINAL
    if token.endswith(old) and len(token) >= _FOLD_MIN:
        token = token[: -len(old)] + new
    return token


def _stemmer(name: StemmerName) -> Callable[[str], str]:
    if name == "light":
        return light_stem
    if name == "snowball":
        return snowball_stem
    return lambda token: token


class Analyzer:
    """Turns text into index terms; the same instance must index and query one index."""

    def __init__(
        self,
        *,
        stemmer: StemmerName = DEFAULT_STEMMER,
        stop_words: bool = True,
        folds: bool = True,
        normalized: bool = True,
    ) -> None:
        self.stemmer: StemmerName = stemmer
        self.stop_words = stop_words
        self.folds = folds
        self.normalized = normalized
        self._stem = _stemmer(stemmer)
        self._cache: dict[str, str] = {}

    @property
    def signature(self) -> str:
        """Return a short string naming this analyzer, stored with an index to detect changes."""
        return (
            f"khabar-analyzer/1 stemmer={self.stemmer} stop={int(self.stop_words)} "
            f"folds={int(self.folds)} normalized={int(self.normalized)}"
        )

    def terms(self, text: str) -> list[str]:
        """Return the index terms of `text`, in order, without stop words."""
        if not self.normalized:
            return [t for t in map(self._raw_term, text.split()) if t]
        return list(filter(None, self._lookup(_TOKEN.findall(normalize(text)))))

    def _lookup(self, tokens: list[str]) -> list[str]:
        cache = self._cache
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        # The cache holds "" for stop words, so None means "not analyzed yet".
        found = list(map(cache.get, tokens))
        if None in found:
            for token in set(tokens).difference(cache):
                cache[token] = self._analyze_token(token) or ""
            found = list(map(cache.__getitem__, tokens))
        return found  # type: ignore[return-value]

    def scan(self, text: str) -> Scan:
        """Return every token of `text` with its term; offsets are mapped on demand."""
        mapped = self.mapped(text)
        return self.scan_region(mapped, 0, len(mapped.text if mapped else text), text)

    def mapped(self, text: str) -> MappedText | None:
        """Return `text` in the form tokens are found in, mapped to the original (None: as is)."""
        return normalize_mapped(text) if self.normalized else None

    def scan_region(self, mapped: MappedText | None, start: int, end: int, text: str) -> Scan:
        """Return the tokens of the region start..end of the mapped (or plain) text."""
        full = mapped.text if mapped else text
        parts = (_SPLIT if self.normalized else _WHITESPACE_SPLIT).split(full[start:end])
        tokens = parts[1::2]
        terms = self._lookup(tokens) if mapped else [self._raw_term(t) for t in tokens]
        ends = list(accumulate(map(len, parts)))
        return Scan(tokens, terms, ends, mapped, start, start == 0, end >= len(full))

    def spans(self, text: str) -> list[Span]:
        """Return every token of `text` with its term and its offsets in `text` itself."""
        scan = self.scan(text)
        offsets = scan.offsets(0, len(scan.tokens))
        return [Span(term or None, a, b) for term, (a, b) in zip(scan.terms, offsets, strict=True)]

    def term(self, token: str) -> str | None:
        """Return the term of one normalized token, or None if it is a stop word."""
        term = self._cache.get(token)
        if term is None:
            term = self._cache[token] = self._analyze_token(token) or ""
        return term or None

    def _analyze_token(self, token: str) -> str | None:
        first = token[0]
        if first.isdigit():
            return _number_term(token)
        if not _ARABIC_START.match(first):
            return _latin_term(token)
        if self.stop_words and self._is_stop(token):
            return None
        return self._stem(_fold(token) if self.folds else token)

    @staticmethod
    def _is_stop(token: str) -> bool:
        if token in STOP_WORDS:
            return True
        return token[0] in _PREFIXED_STOP and token[1:] in STOP_WORDS

    @staticmethod
    def _raw_term(token: str) -> str:
        return _EDGE_PUNCTUATION.sub("", token).lower()


DEFAULT_ANALYZER = Analyzer()
