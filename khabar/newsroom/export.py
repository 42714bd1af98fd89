"""Every stored article as JSON lines: the user's way to get their data out."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch

from khabar.newsroom.models import Article


def _copy(copy: Article) -> dict[str, Any]:
    return {
        "source_id": copy.source_id,
        "url": copy.canonical_url,
        "agencies": [a.name for a in copy.agencies.all()],
    }


def article_record(article: Article) -> dict[str, Any]:
    """One article as the export writes it."""
    return {
        "id": article.pk,
        "source_id": article.source_id,
        "url": article.canonical_url,
        "title": article.title,
        "lead": article.lead,
        "body": [b.text for b in article.blocks.all()],
        "published": article.published_at.isoformat() if article.published_at else None,
        "updated": article.updated_at.isoformat() if article.updated_at else None,
        "section": article.section.slug if article.section else None,
        "agencies": [a.name for a in article.agencies.all()],
        "byline": article.byline or None,
        "language": article.language,
        "version": article.version,
        "urgency": article.urgency,
        "subjects": article.subjects,
        "duplicate_of": article.duplicate_of.source_id if article.duplicate_of else None,
        "also_reported_by": [_copy(c) for c in article.copies.all()],
        "status": article.status,
        "story": {"id": article.story.pk, "title": article.story.title} if article.story else None,
        "entities": _entities(article),
    }


def _entities(article: Article) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {"people": [], "places": [], "orgs": []}
    key = {"person": "people", "place": "places", "org": "orgs"}
    for entity in article.entities.all():
        found[key[entity.kind]].append(entity.name)
    return found


def iter_export() -> Iterator[dict[str, Any]]:
    """Every stored article, oldest first, in a bounded number of queries per chunk."""
    copies = Prefetch("copies", queryset=Article.objects.prefetch_related("agencies"))
    qs = (
        Article.objects.select_related("section", "duplicate_of", "story")
        .prefetch_related("blocks", "agencies", "entities", copies)
        .order_by("pk")
    )
    for article in qs.iterator(chunk_size=500):
        yield article_record(article)
