"""The plain records of search: what is indexed, how results are filtered, what comes back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from khabar.arabic import normalize

__all__ = ["Document", "Filters", "Hit", "SearchResult", "StoredDoc", "facet_key", "utc"]


def utc(moment: datetime) -> datetime:
    """Return `moment` in UTC; a naive datetime is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def facet_key(name: str) -> str:
    """Return the matching form of a section, agency, person or place name (الأردن = الاردن)."""
    return " ".join(normalize(name).casefold().split())


@dataclass(frozen=True)
class Document:
    """One article as search sees it; `id` is the article's primary key."""

    id: int
    title: str
    lead: str
    body: str
    published: datetime
    section: str | None = None
    story: int | None = None
    agencies: Sequence[str] = ()
    people: Sequence[str] = ()
    places: Sequence[str] = ()
    source_id: str | None = None
    url: str | None = None

    def facets(self) -> list[tuple[str, str]]:
        """Return the (kind, key) pairs that filters match: agency, person and place names."""
        pairs = {
            (kind, facet_key(name))
            for kind, names in (
                ("agency", self.agencies),
                ("person", self.people),
                ("place", self.places),
            )
            for name in names
            if facet_key(name)
        }
        return sorted(pairs)


@dataclass(frozen=True)
class Filters:
    """Restrict a search: every filter given must hold; dates are inclusive bounds."""

    section: str | None = None
    story: int | None = None
    agency: str | None = None
    person: str | None = None
    place: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def facets(self) -> list[tuple[str, str]]:
        """Return the (kind, key) pairs asked for, in the form `Document.facets` stores."""
        asked = (("agency", self.agency), ("person", self.person), ("place", self.place))
        return [(kind, facet_key(name)) for kind, name in asked if name is not None]

    def section_key(self) -> str | None:
        """Return the section filter in its stored form, or None."""
        return None if self.section is None else facet_key(self.section)


@dataclass(frozen=True)
class StoredDoc:
    """What an engine keeps of a document to show a hit."""

    id: int
    source_id: str | None
    url: str | None
    title: str
    lead: str
    body: str
    published: datetime


@dataclass(frozen=True)
class Hit:
    """One result: the article, its score and a snippet with the matched words marked."""

    id: int
    source_id: str | None
    url: str | None
    title: str
    snippet: str
    score: float
    published: datetime
    snippet_text: str = ""
    highlights: tuple[tuple[int, int], ...] = ()

    def to_json(self) -> dict[str, Any]:
        """Return the hit as JSON-ready data; `snippet` is HTML with <mark> around matches."""
        return {
            "id": self.id,
            "source_id": self.source_id,
            "url": self.url,
            "title": self.title,
            "snippet": self.snippet,
            "score": round(self.score, 6),
            "published": self.published.isoformat(),
        }


@dataclass(frozen=True)
class SearchResult:
    """One page of hits, best first, with the total and a suggestion when nothing matched."""

    hits: list[Hit]
    total: int
    page: int
    per_page: int
    suggestion: str | None = None
    notes: tuple[str, ...] = field(default=())
    # False when `total` is an estimate (PostgreSQL, for a word in very many articles).
    total_exact: bool = True

    @property
    def pages(self) -> int:
        """Return how many pages the total makes."""
        return -(-self.total // self.per_page)

    def to_json(self) -> dict[str, Any]:
        """Return the result as JSON-ready data."""
        return {
            "hits": [hit.to_json() for hit in self.hits],
            "total": self.total,
            "total_exact": self.total_exact,
            "page": self.page,
            "per_page": self.per_page,
            "pages": self.pages,
            "suggestion": self.suggestion,
        }
