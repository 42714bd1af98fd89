"""The engine protocol and the search flow both engines share.

An engine stores documents and answers four questions: which documents match a query (ranked),
what it stored of some documents, how many documents hold some terms, and whether anything
matches at all. `BaseEngine.search` turns those answers into a page of hits with snippets,
and into a suggestion when nothing matched.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from itertools import islice
from typing import Protocol, TypeVar

from khabar.search.analyzer import DEFAULT_ANALYZER, Analyzer
from khabar.search.errors import QueryError, SearchError
from khabar.search.expand import expand
from khabar.search.models import Document, Filters, Hit, SearchResult, StoredDoc
from khabar.search.query import Query, parse_query
from khabar.search.snippets import make_snippet
from khabar.search.suggest import suggest

__all__ = [
    "CANDIDATES",
    "MAX_PER_PAGE",
    "MAX_RESULTS",
    "BaseEngine",
    "Ranked",
    "SearchEngine",
    "batched",
]

MAX_PER_PAGE = 100
MAX_RESULTS = 10_000
BATCH = 500
# A query matching more articles than this ranks the newest CANDIDATES of them (by id, which
# follows the order articles were indexed in); `total` is then estimated. It keeps a query for
# a very common word near 100 ms at a million articles. With `head_candidates` an engine also
# ranks that many of the newest matches in headline or lead among the older articles, so a
# strong older article still competes; it is off by default, as at a million articles it
# costs up to 100 ms more on a common word (bench/search_speed.py).
CANDIDATES = 2_000

# One page of (id, score), best first; the number of matches; whether that number is exact.
Ranked = tuple[list[tuple[int, float]], int, bool]
T = TypeVar("T")


def batched(items: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    """Yield lists of at most `size` items."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class SearchEngine(Protocol):
    """What the site and the API need of a search backend."""

    analyzer: Analyzer

    def setup(self) -> None:
        """Create the tables and indexes if they do not exist."""

    def index(self, docs: Iterable[Document]) -> int:
        """Add or replace documents; return how many were indexed."""

    def delete(self, ids: Iterable[int]) -> int:
        """Remove documents by id; return how many were removed."""

    def search(
        self,
        query: Query | str,
        filters: Filters | None = None,
        page: int = 1,
        per_page: int = 10,
        *,
        now: datetime | None = None,
    ) -> SearchResult:
        """Return one page of hits for `query`, best first."""

    def count(self) -> int:
        """Return how many documents are indexed."""

    def optimize(self) -> None:
        """Compact the index after a bulk load or many changes."""


def table_names(prefix: str, names: Iterable[str]) -> dict[str, str]:
    """The engine's table names under `prefix`, which goes into SQL unquoted: checked here."""
    if not prefix.replace("_", "").isalnum():
        raise SearchError(f"table prefix {prefix!r} must be letters, digits and _")
    return {name: f"{prefix}_{name}" for name in names}


def _check_page(page: int, per_page: int) -> None:
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise QueryError(
            f"per_page must be between 1 and {MAX_PER_PAGE}, not {per_page}",
            "عدد النتائج في الصفحة غير صالح",
        )
    if page < 1 or page * per_page > MAX_RESULTS:
        raise QueryError(
            f"page must be between 1 and {MAX_RESULTS // per_page}, not {page}: "
            "narrow the search with a filter instead",
            "رقم الصفحة غير صالح: ضيّق البحث بتحديد قسم أو تاريخ",
        )


class BaseEngine(ABC):
    """The search flow; subclasses store, match and rank."""

    def __init__(
        self,
        analyzer: Analyzer = DEFAULT_ANALYZER,
        *,
        commit: bool = True,
        candidates: int = CANDIDATES,
        head_candidates: int = 0,
        expand_prefixes: bool = True,
    ) -> None:
        self.analyzer = analyzer
        self.commit = commit
        self.candidates = candidates
        self.head_candidates = head_candidates
        self.expand_prefixes = expand_prefixes

    @abstractmethod
    def setup(self) -> None:
        """Create the tables and indexes if they do not exist."""

    @abstractmethod
    def index(self, docs: Iterable[Document]) -> int:
        """Add or replace documents; return how many were indexed."""

    @abstractmethod
    def delete(self, ids: Iterable[int]) -> int:
        """Remove documents by id; return how many were removed."""

    @abstractmethod
    def optimize(self) -> None:
        """Compact the index after a bulk load or many changes (nightly is plenty)."""

    @abstractmethod
    def count(self) -> int:
        """Return how many documents are indexed."""

    @abstractmethod
    def rank(
        self, query: Query, filters: Filters, offset: int, limit: int, now: datetime
    ) -> Ranked:
        """Return (id, score) of one page of matches, best first, the number of matches, and
        whether that number is exact (False: estimated, for a very common word)."""

    @abstractmethod
    def fetch(self, ids: Sequence[int]) -> dict[int, StoredDoc]:
        """Return what is stored of the documents `ids`."""

    @abstractmethod
    def doc_freqs(self, terms: Collection[str]) -> dict[str, int]:
        """Return how many documents hold each of `terms` (absent terms may be left out)."""

    @abstractmethod
    def matches(self, query: Query, filters: Filters) -> bool:
        """Return True if at least one document matches."""

    def parse(self, query: Query | str) -> Query:
        """Return `query` parsed with this engine's analyzer."""
        if isinstance(query, Query) and query.analyzer == self.analyzer.signature:
            return query
        text = query.text if isinstance(query, Query) else query
        return parse_query(text, self.analyzer)

    def search(
        self,
        query: Query | str,
        filters: Filters | None = None,
        page: int = 1,
        per_page: int = 10,
        *,
        now: datetime | None = None,
    ) -> SearchResult:
        """Return one page of hits for `query`, best first; QueryError says what is wrong."""
        parsed = self.parse(query)
        _check_page(page, per_page)
        if self.expand_prefixes:
            parsed = expand(parsed, self.doc_freqs)
        wanted = filters or Filters()
        ranked, total, exact = self.rank(
            parsed, wanted, (page - 1) * per_page, per_page, now or datetime.now(UTC)
        )
        hits = self._hits(parsed, ranked)
        suggestion = None
        if total == 0:
            suggestion = suggest(
                parsed, self.analyzer, self.doc_freqs, lambda q: self.matches(q, wanted)
            )
        return SearchResult(hits, total, page, per_page, suggestion, parsed.notes, exact)

    def _hits(self, query: Query, ranked: list[tuple[int, float]]) -> list[Hit]:
        stored = self.fetch([doc_id for doc_id, _ in ranked])
        terms = query.all_terms()
        hits = []
        for doc_id, score in ranked:
            doc = stored.get(doc_id)
            if doc is None:
                continue
            snippet = make_snippet(self.analyzer, (doc.lead, doc.body), terms)
            hits.append(
                Hit(
                    doc.id,
                    doc.source_id,
                    doc.url,
                    doc.title,
                    snippet.html(),
                    score,
                    doc.published,
                    snippet.text,
                    snippet.highlights,
                )
            )
        return hits
