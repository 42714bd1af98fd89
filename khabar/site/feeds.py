"""RSS 2.0, Atom and JSON Feed 1.1 for the site, each section, story and tag.

Django's syndication framework writes RSS and Atom; JSON Feed follows the same class so a user
overrides one method (`items`, `item_title`, …) for all three formats.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from khabar.newsroom.models import Article, Entity, Section, Story

FEED_SIZE = 30


class LatestFeed(Feed):  # type: ignore[type-arg]
    """The site's latest articles (RSS 2.0)."""

    language = "ar"

    def title(self, obj: Any = None) -> str:
        return str(settings.SITE_NAME)

    def link(self, obj: Any = None) -> str:
        return reverse("site:home")

    def description(self, obj: Any = None) -> str:
        return f"آخر الأخبار من {settings.SITE_NAME}"

    def get_queryset(self, obj: Any) -> Any:
        return Article.objects.published().for_listing().prefetch_related("agencies")

    def items(self, obj: Any = None) -> list[Article]:
        return list(self.get_queryset(obj)[:FEED_SIZE])

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.lead

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Article) -> str:
        return f"khabar:article:{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Article) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Article) -> datetime | None:
        return item.updated_at or item.published_at

    def item_author_name(self, item: Article) -> str | None:
        return item.byline or None

    def item_categories(self, item: Article) -> list[str]:
        return [item.section.name] if item.section else []


class SectionFeed(LatestFeed):
    """One section's latest articles."""

    def get_object(self, request: HttpRequest, slug: str) -> Section:  # type: ignore[override]
        return get_object_or_404(Section, slug=slug)

    def title(self, obj: Any = None) -> str:
        return f"{obj.name} | {settings.SITE_NAME}"

    def link(self, obj: Any = None) -> str:
        return str(obj.get_absolute_url())

    def get_queryset(self, obj: Any) -> Any:
        return super().get_queryset(obj).filter(section=obj)


class StoryFeed(SectionFeed):
    """One story's articles."""

    def get_object(self, request: HttpRequest, slug: str) -> Story:  # type: ignore[override]
        return get_object_or_404(Story, slug=slug)

    def title(self, obj: Any = None) -> str:
        return f"{obj.title} | {settings.SITE_NAME}"

    def get_queryset(self, obj: Any) -> Any:
        return LatestFeed.get_queryset(self, obj).filter(story=obj)


class TagFeed(SectionFeed):
    """Articles naming one person, place or organization."""

    def get_object(self, request: HttpRequest, kind: str, slug: str) -> Entity:  # type: ignore[override]
        return get_object_or_404(Entity, kind=kind, slug=slug)

    def link(self, obj: Any = None) -> str:
        return reverse("site:tag", args=[obj.kind, obj.slug])

    def get_queryset(self, obj: Any) -> Any:
        return LatestFeed.get_queryset(self, obj).filter(entities=obj)


def atom(feed_class: type[LatestFeed]) -> type[LatestFeed]:
    """The Atom 1.0 twin of an RSS feed class."""
    return type(f"Atom{feed_class.__name__}", (feed_class,), {"feed_type": Atom1Feed})


def json_feed(feed_class: type[LatestFeed]) -> Any:
    """A view that writes JSON Feed 1.1 from the same feed class."""

    def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        feed = feed_class()
        obj = feed.get_object(request, **kwargs)
        base = request.build_absolute_uri("/").rstrip("/")
        data = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": feed.title(obj),
            "home_page_url": base + feed.link(obj),
            "feed_url": request.build_absolute_uri(),
            "language": "ar",
            "items": [_json_item(feed, item, base) for item in feed.items(obj)],
        }
        return HttpResponse(
            json.dumps(data, ensure_ascii=False),
            content_type="application/feed+json; charset=utf-8",
        )

    return view


def _json_item(feed: LatestFeed, item: Article, base: str) -> dict[str, Any]:
    published = feed.item_pubdate(item)
    updated = feed.item_updateddate(item)
    data: dict[str, Any] = {
        "id": feed.item_guid(item),
        "url": base + feed.item_link(item),
        "title": feed.item_title(item),
        "summary": feed.item_description(item),
        "content_text": feed.item_description(item),
        "date_published": published.isoformat() if published else None,
        "date_modified": updated.isoformat() if updated else None,
        "tags": feed.item_categories(item),
        "language": item.language,
    }
    if item.byline:
        data["authors"] = [{"name": item.byline}]
    if item.hero and item.hero.src:
        data["image"] = base + item.hero.src if item.hero.src.startswith("/") else item.hero.src
    return data
