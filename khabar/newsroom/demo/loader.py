"""Load the demo content into the database; running it again updates, never duplicates."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from khabar.newsroom.demo.images import ensure_placeholder
from khabar.newsroom.demo.live import load_live_demo
from khabar.newsroom.demo.people import load_people
from khabar.newsroom.demo.videos import load_videos
from khabar.newsroom.models import (
    Agency,
    Article,
    Block,
    Entity,
    Media,
    Section,
    Story,
    unicode_slug,
)
from khabar.site.images import ensure_renditions

CONTENT = Path(__file__).with_name("content.json")
Progress = Callable[[int, int, str], None]


@dataclass
class DemoResult:
    """What a demo load stored."""

    sections: int = 0
    stories: int = 0
    agencies: int = 0
    articles_created: int = 0
    articles_updated: int = 0
    videos: int = 0


def read_content(path: Path = CONTENT) -> dict[str, Any]:
    """Read the demo content file."""
    with path.open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def _load_site(site: dict[str, Any]) -> None:
    from khabar.site.models import Channel

    for order, ch in enumerate(site.get("social", [])):
        Channel.objects.update_or_create(
            name=ch["name"], defaults={"url": ch["url"], "order": order}
        )


def _load_hero(item: dict[str, Any], article: Article) -> Media | None:
    image = item.get("image")
    if not image:
        return None
    folder = Path(settings.MEDIA_ROOT) / "demo"
    path, width, height = ensure_placeholder(folder, item["slug"], image.get("palette", "slate"))
    media = article.hero or Media()
    media.image.name = str(path.relative_to(settings.MEDIA_ROOT))
    media.caption = image.get("caption", "")
    media.credit = image.get("credit", "")
    media.alt = image.get("alt", "")
    media.width, media.height = width, height
    media.save()
    ensure_renditions(media)
    return media


def _load_entities(tags: list[dict[str, str]]) -> list[Entity]:
    entities = []
    for tag in tags:
        entity, _ = Entity.objects.get_or_create(
            kind=tag["kind"], slug=unicode_slug(tag["name"]), defaults={"name": tag["name"]}
        )
        entities.append(entity)
    return entities


def _load_article(item: dict[str, Any], now: datetime) -> bool:
    """Store one demo article; return True when it was new."""
    source_id = f"demo:{item['slug']}"
    article = Article.objects.filter(source_id=source_id).first()
    created = article is None
    if article is None:
        article = Article(source_id=source_id)
    published = now - timedelta(minutes=int(item.get("age_minutes", 60)))
    updated_after = item.get("updated_minutes_after")
    article.title = item["title"]
    article.slug = unicode_slug(item["title"])
    article.lead = item.get("lead", "")
    article.byline = item.get("byline") or ""
    article.dateline = item.get("dateline") or ""
    article.source_line = item.get("source_line") or ""
    article.section = Section.objects.get(slug=item["section"])
    article.story = Story.objects.get(slug=item["story"]) if item.get("story") else None
    article.story_locked = article.story is not None  # the demo's stories are editors' choices
    article.featured = bool(item.get("featured"))
    article.status = Article.Status.PUBLISHED
    article.published_at = published
    article.updated_at = (
        published + timedelta(minutes=int(updated_after)) if updated_after else None
    )
    article.hero = _load_hero(item, article)
    article.save()
    article.blocks.all().delete()
    Block.objects.bulk_create(
        Block(article=article, position=i, kind=b.get("kind", "paragraph"), text=b["text"])
        for i, b in enumerate(item.get("body", []))
    )
    article.agencies.set(Agency.objects.filter(slug__in=item.get("agencies", [])))
    article.entities.set(_load_entities(item.get("tags", [])))
    return created


def load_demo(
    path: Path = CONTENT, *, now: datetime | None = None, progress: Progress | None = None
) -> DemoResult:
    """Load sections, agencies, stories and articles; publication times are relative to now."""
    data = read_content(path)
    now = now or timezone.now()
    result = DemoResult()
    with transaction.atomic():
        for s in data["sections"]:
            Section.objects.update_or_create(
                slug=s["slug"],
                defaults={
                    "name": s["name"],
                    "order": s.get("order", 0),
                    "important": bool(s.get("important")),
                },
            )
            result.sections += 1
        for a in data["agencies"]:
            Agency.objects.update_or_create(
                slug=a["slug"], defaults={"name": a["name"], "aliases": a.get("aliases", [])}
            )
            result.agencies += 1
        for st in data["stories"]:
            Story.objects.update_or_create(
                slug=st["slug"],
                defaults={"title": st["title"], "description": st.get("description", "")},
            )
            result.stories += 1
        _load_site(data.get("site", {}))
    articles = data["articles"]
    for i, item in enumerate(articles, 1):
        with transaction.atomic():
            if _load_article(item, now):
                result.articles_created += 1
            else:
                result.articles_updated += 1
        if progress:
            progress(i, len(articles), item["slug"])
    with transaction.atomic():
        result.videos = sum(load_videos(now))  # video articles, counted apart from content.json
    load_live_demo(now)
    load_people(now)
    return result
