"""Sitemaps: an index for the archive, and a Google News sitemap of the last two days."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from khabar.newsroom.models import Article, Section
from khabar.site.queries import stories_with_counts

NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000


class ArticleSitemap(Sitemap):  # type: ignore[type-arg]
    """Every published article; Django splits it into pages of 50,000 under the index."""

    changefreq = "never"
    limit = 5000

    def items(self) -> Any:
        return (
            Article.objects.published()
            .order_by("-published_at")
            .only("pk", "slug", "published_at", "updated_at")
        )

    def lastmod(self, item: Article) -> datetime | None:
        return item.updated_at or item.published_at


class SectionSitemap(Sitemap):  # type: ignore[type-arg]
    """Section pages."""

    changefreq = "hourly"

    def items(self) -> Any:
        return Section.objects.all()


class StorySitemap(Sitemap):  # type: ignore[type-arg]
    """Story hubs, by their latest article."""

    changefreq = "hourly"

    def items(self) -> Any:
        return stories_with_counts().order_by("-last_at")

    def lastmod(self, item: Any) -> datetime | None:
        return item.last_at  # type: ignore[no-any-return]


SITEMAPS = {"articles": ArticleSitemap, "sections": SectionSitemap, "stories": StorySitemap}


def news_sitemap(request: HttpRequest) -> HttpResponse:
    """The Google News sitemap: articles of the last two days, at most 1,000."""
    since = timezone.now() - NEWS_WINDOW
    articles = (
        Article.objects.published()
        .filter(published_at__gte=since)
        .order_by("-published_at")
        .only("pk", "slug", "title", "published_at", "language")[:NEWS_LIMIT]
    )
    base = request.build_absolute_uri("/").rstrip("/")
    body = render_to_string(
        "site/sitemap_news.xml",
        {"articles": articles, "base": base, "site_name": settings.SITE_NAME},
    )
    return HttpResponse(body, content_type="application/xml; charset=utf-8")


def robots_txt(request: HttpRequest) -> HttpResponse:
    """robots.txt: everything open but the newsroom, with the sitemaps named."""
    base = request.build_absolute_uri("/").rstrip("/")
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Allow: /",
        f"Sitemap: {base}{reverse('sitemap-index')}",
        f"Sitemap: {base}{reverse('sitemap-news')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
