"""The JSON API: published articles for machines."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404

from khabar.newsroom.models import Article


def article_json(article: Article, *, full: bool = False) -> dict[str, Any]:
    """An article as JSON-ready data."""
    data: dict[str, Any] = {
        "id": article.pk,
        "url": article.get_absolute_url(),
        "title": article.title,
        "lead": article.lead,
        "section": article.section.slug if article.section else None,
        "story": {"id": article.story.pk, "title": article.story.title} if article.story else None,
        "published": article.published_at.isoformat() if article.published_at else None,
        "updated": article.updated_at.isoformat() if article.updated_at else None,
    }
    if full:
        data["body"] = [{"kind": b.kind, "text": b.text} for b in article.blocks.all()]
        data["agencies"] = [a.name for a in article.agencies.all()]
        data["source_line"] = article.source_line
        data["byline"] = article.byline
    return data


def articles(request: HttpRequest) -> JsonResponse:
    """Published articles, newest first, 20 a page (?page=N)."""
    qs = Article.objects.published().for_listing()
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return JsonResponse(
        {
            "page": page.number,
            "pages": page.paginator.num_pages,
            "count": page.paginator.count,
            "results": [article_json(a) for a in page],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def article(request: HttpRequest, pk: int) -> JsonResponse:
    """One published article with its body."""
    qs = Article.objects.published().select_related("section", "story")
    item = get_object_or_404(qs.prefetch_related("blocks", "agencies"), pk=pk)
    return JsonResponse(article_json(item, full=True), json_dumps_params={"ensure_ascii": False})
