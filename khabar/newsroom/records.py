"""Map the pure packages' records to the newsroom's models: the one way an article is stored."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from khabar.arabic.normalize import normalize
from khabar.extract.record import ExtractedArticle
from khabar.newsroom.models import Agency, Article, Block, Media, Section, Story, unicode_slug


def _key(name: str) -> str:
    return " ".join(normalize(name).casefold().replace('"', " ").split())


def resolve_agencies(names: list[str]) -> list[Agency]:
    """Find each named agency by its name or an alias, creating the ones not known yet."""
    known: dict[str, Agency] = {}
    for agency in Agency.objects.all():
        for alias in agency.names():
            known.setdefault(_key(alias), agency)
    found: list[Agency] = []
    for name in names:
        name = name.strip()
        if not name:
            continue
        agency = known.get(_key(name))
        if agency is None:
            slug = unicode_slug(name, 80)
            agency, _created = Agency.objects.get_or_create(slug=slug, defaults={"name": name})
            known[_key(name)] = agency
        if agency not in found:
            found.append(agency)
    return found


@transaction.atomic
def save_extracted(
    record: ExtractedArticle,
    *,
    source_id: str | None = None,
    section: Section | None = None,
    story: Story | None = None,
    status: str = Article.Status.PUBLISHED,
) -> Article:
    """Store an extracted article, or update the one with the same source id; return it."""
    article = Article.objects.filter(source_id=source_id).first() if source_id else None
    if article is None:
        article = Article(source_id=source_id)
    article.title = record.title
    article.slug = unicode_slug(record.title)
    article.lead = record.lead or ""
    article.byline = record.byline or ""
    article.dateline = record.dateline or ""
    article.source_line = record.source_line or ""
    article.language = record.language or "ar"
    article.canonical_url = record.url or article.canonical_url
    article.section = section or article.section
    article.story = story or article.story
    article.status = status
    article.published_at = record.published or article.published_at or timezone.now()
    if record.image is not None:
        hero = article.hero or Media()
        hero.caption = record.image.caption or ""
        hero.credit = record.image.credit or ""
        hero.alt = record.image.alt or ""
        hero.url = record.image.url or hero.url
        hero.save()
        article.hero = hero
    article.save()
    article.blocks.all().delete()
    Block.objects.bulk_create(
        Block(article=article, position=i, kind=b.kind, text=b.text)
        for i, b in enumerate(record.blocks)
        if b.kind != "image"
    )
    article.agencies.set(resolve_agencies(record.sources))
    return article
