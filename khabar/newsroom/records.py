"""Map the pure packages' records to the newsroom's models: the one way an article is stored."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from khabar.arabic.normalize import normalize
from khabar.extract.record import ExtractedArticle, IncomingItem
from khabar.newsroom.models import (
    Agency,
    Article,
    ArticleRevision,
    Block,
    Media,
    Section,
    Source,
    Story,
    first_or_none,
    unicode_slug,
)


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


def keep_revision(article: Article) -> ArticleRevision:
    """Snapshot what an article says now, before it is replaced."""
    return ArticleRevision.objects.create(
        article=article,
        version=article.version,
        title=article.title,
        lead=article.lead,
        body=[{"kind": b.kind, "text": b.text} for b in article.blocks.all()],
    )


def _apply_item(article: Article, item: IncomingItem | None) -> None:
    if item is None:
        return
    article.version = item.version
    article.urgency = item.urgency
    article.subjects = list(item.subjects)
    article.embargo_until = item.embargo


def _apply_hero(article: Article, record: ExtractedArticle) -> None:
    if record.image is None:
        return
    hero = article.hero or Media()
    hero.caption = record.image.caption or ""
    hero.credit = record.image.credit or ""
    hero.alt = record.image.alt or ""
    hero.url = record.image.url or hero.url
    hero.save()
    article.hero = hero


@transaction.atomic
def save_extracted(
    record: ExtractedArticle,
    *,
    source_id: str | None = None,
    section: Section | None = None,
    story: Story | None = None,
    status: str = Article.Status.PUBLISHED,
    item: IncomingItem | None = None,
    origin: Source | None = None,
    agency: Agency | None = None,
    content_hash: str = "",
    signature: bytes | None = None,
    duplicate_of: Article | None = None,
) -> Article:
    """Store an extracted article, or update (keeping a revision) the one with its source id."""
    article = first_or_none(Article.objects.filter(source_id=source_id)) if source_id else None
    is_new = article is None
    if article is None:
        article = Article(source_id=source_id, duplicate_of=duplicate_of)
    else:
        keep_revision(article)
        article.updated_at = timezone.now()
    article.title = record.title
    article.slug = unicode_slug(record.title)
    article.lead = record.lead or ""
    article.byline = record.byline or ""
    article.dateline = record.dateline or ""
    article.source_line = record.source_line or ""
    article.language = record.language or "ar"
    if (
        record.url
        and not Article.objects.filter(canonical_url=record.url).exclude(pk=article.pk).exists()
    ):
        article.canonical_url = record.url
    article.section = section or article.section
    article.story = story or article.story
    article.origin = origin or article.origin
    article.status = status
    article.published_at = record.published or article.published_at or timezone.now()
    if item is not None and item.embargo and item.embargo > article.published_at:
        article.published_at = item.embargo
    article.content_hash = content_hash or article.content_hash
    article.signature = signature if signature is not None else article.signature
    _apply_item(article, item)
    _apply_hero(article, record)
    article.save()
    if not is_new:
        article.blocks.all().delete()
    Block.objects.bulk_create(
        Block(article=article, position=i, kind=b.kind, text=b.text)
        for i, b in enumerate(record.blocks)
        if b.kind != "image"
    )
    names = list(record.sources)
    if item is not None and item.agency:
        names.append(item.agency)
    agencies = resolve_agencies(names)
    if agency is not None and agency not in agencies:
        agencies.append(agency)
    if is_new:
        article.agencies.add(*agencies)
    else:
        article.agencies.set(agencies)
    return article
