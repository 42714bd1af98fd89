"""The queries behind the reader pages, each in as few database round trips as possible."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone

from khabar.db.prepared import Prepared, PreparedPages
from khabar.newsroom.models import (
    Agency,
    Article,
    Author,
    Block,
    Comment,
    Entity,
    Section,
    Story,
)

PUBLISHED = Q(articles__status=Article.Status.PUBLISHED)


def published(now: datetime | None = None) -> QuerySet[Article]:
    """Published articles with what a card needs."""
    return Article.objects.published(now).for_listing()


# The article page's queries, compiled once (khabar.site.prepared): compiling them cost more than
# running them.
_ARTICLE = Prepared(
    lambda pk, now: (
        Article.objects.published(now)
        .select_related("section", "story", "hero", "video", "video__poster")
        .filter(pk=pk)
    )
)
_BLOCKS = Prepared(
    lambda pk: Block.objects.filter(article_id=pk).select_related("media").order_by("position")
)
_AUTHORS = Prepared(lambda pk: Author.objects.filter(articles__id=pk))
_AGENCIES = Prepared(lambda pk: Agency.objects.filter(articles__id=pk))
_TAGS = Prepared(lambda pk: Entity.objects.filter(articles__id=pk))
_STORY_COUNT = Prepared(
    lambda story: (
        Article.objects.filter(story_id=story, status=Article.Status.PUBLISHED)
        .order_by()
        .values("story_id")
        .annotate(n=Count("id"))
        .values_list("n", flat=True)
    )
)
# No ORDER BY: the caller orders. Asked to order 30 or more ids by date, SQLite walks the
# listing index of every published article instead of looking the ids up (6 ms against 0.8 ms
# at 20,000 articles).
_CARDS = Prepared(lambda ids, now: published(now).filter(pk__in=ids).order_by())
_LATEST = Prepared(lambda now, limit: published(now)[:limit])

# Paginated card lists, for Django's Paginator: `SECTION_CARDS(section.pk, now)`.
SECTION_CARDS = PreparedPages(lambda pk, now: published(now).filter(section_id=pk), "status")
STORY_CARDS = PreparedPages(lambda pk, now: published(now).filter(story_id=pk), "status")
TAG_CARDS = PreparedPages(lambda pk, now: published(now).filter(entities=pk), "status")
AUTHOR_CARDS = PreparedPages(lambda pk, now: published(now).filter(authors=pk), "status")
AGENCY_CARDS = PreparedPages(lambda pk, now: published(now).filter(agencies=pk), "status")


@dataclass
class ArticlePage:
    """An article and everything its page shows beside the card lists."""

    article: Article
    blocks: list[Block]
    authors: list[Author]
    agencies: list[Agency]
    tags: list[Entity]
    story_count: int


def article_page(pk: int) -> ArticlePage | None:
    """A published article with its blocks, authors, agencies, tags and story size."""
    found = _ARTICLE(pk, timezone.now())
    if not found:
        return None
    item = found[0]
    counted = _STORY_COUNT(item.story_id) if item.story_id else []
    return ArticlePage(
        article=item,
        blocks=_BLOCKS(pk),
        authors=_AUTHORS(pk),
        agencies=_AGENCIES(pk),
        tags=_TAGS(pk),
        story_count=counted[0] if counted else 0,
    )


def latest(limit: int) -> list[Article]:
    """The newest published articles, with what a card needs."""
    return _LATEST(timezone.now(), limit=limit)


def cards(ids: list[int]) -> dict[int, Article]:
    """Published articles by id, with what a card needs."""
    return {a.pk: a for a in _CARDS(ids, timezone.now())} if ids else {}


def stories_with_counts() -> QuerySet[Story]:
    """Stories annotated with their published-article count and first/last dates."""
    return Story.objects.annotate(
        n_articles=Count("articles", filter=PUBLISHED),
        first_at=Min("articles__published_at", filter=PUBLISHED),
        last_at=Max("articles__published_at", filter=PUBLISHED),
    ).filter(n_articles__gt=0)


def trending_stories(limit: int = 8) -> list[Story]:
    """Stories ranked by recent activity: pinned first, then the latest article's time."""
    # Ranking every story aggregates the whole article table (a quarter of a second at 20,000
    # articles, on every page through the stories strip). The `limit` stories with the latest
    # articles are the first `limit` distinct stories of the newest articles, read from the
    # published_at index; only those and the pinned ones are counted.
    recent: list[int] = []
    newest = (
        Article.objects.filter(status=Article.Status.PUBLISHED, story__isnull=False)
        .order_by("-published_at")
        .values_list("story_id", flat=True)
    )
    start, chunk = 0, 20 * limit
    while len(recent) < limit:
        ids = list(newest[start : start + chunk])
        recent += [i for i in dict.fromkeys(ids) if i not in recent]
        if len(ids) < chunk:
            break
        start += chunk
    candidates = Q(pk__in=recent[:limit]) | Q(pinned=True)
    return list(stories_with_counts().filter(candidates).order_by("-pinned", "-last_at")[:limit])


_SECTIONS = Prepared(lambda: Section.objects.all())
_NEWEST_BY_SECTION = Prepared(
    lambda shown, now, window: (
        Article.objects.published(now)
        .filter(section__isnull=False)
        .exclude(pk__in=shown)
        .order_by("-published_at")
        .values_list("pk", "section_id")[:window]
    )
)


@dataclass
class SectionBlock:
    """A section with its latest articles, for the home page."""

    section: Section
    articles: list[Article]


def section_blocks(per_section: int = 4, exclude: set[int] | None = None) -> list[SectionBlock]:
    """Each section's latest articles, in three queries however many sections there are.

    The newest articles, read as (id, section) pairs from the listing index, fill most sections;
    a section with nothing among them (rarely updated) is asked for on its own. Then one query
    reads every chosen article with what its card needs.
    """
    sections = _SECTIONS()
    chosen: dict[int, list[int]] = {s.pk: [] for s in sections}
    window = 10 * per_section * max(len(sections), 1)
    # 0 stands for "nothing to leave out": no article has id 0.
    rows = _NEWEST_BY_SECTION(sorted(exclude or ()) or [0], timezone.now(), window=window)
    for pk, section_id in rows:
        if len(chosen.get(section_id, ())) < per_section:
            chosen[section_id].append(pk)
    if len(rows) == window:  # not every article was seen: ask for the sections still short
        for section_id, pks in chosen.items():
            if len(pks) < per_section:
                more = (
                    Article.objects.published()
                    .filter(section_id=section_id)
                    .exclude(pk__in=[*pks, *(exclude or ())])
                    .order_by("-published_at")
                    .values_list("pk", flat=True)
                )
                pks += more[: per_section - len(pks)]
    ids = [pk for pks in chosen.values() for pk in pks]
    found = cards(ids)
    blocks = []
    for section in sections:
        items = [found[pk] for pk in chosen[section.pk] if pk in found]
        if items:
            blocks.append(SectionBlock(section, items))
    return blocks


_OTHER_HEADLINES = 10


def _others(pk: int, now: datetime, story: int | None = None) -> QuerySet[Article]:
    others = Article.objects.published(now).exclude(pk=pk)
    if story is not None:
        others = others.exclude(story=story)
    return others.order_by("-published_at").only("slug", "title")[:_OTHER_HEADLINES]


_OTHERS = Prepared(lambda pk, now: _others(pk, now))
_OTHERS_OUTSIDE_STORY = Prepared(lambda pk, story, now: _others(pk, now, story))


def other_headlines(article: Article) -> list[Article]:
    """The latest headlines from elsewhere on the site, shown under an article: title and link."""
    # Only what a headline link shows: no joins, a third of the cost of a card query.
    now = timezone.now()
    if article.story_id:
        return _OTHERS_OUTSIDE_STORY(article.pk, article.story_id, now)
    return _OTHERS(article.pk, now)


_SAME_STORY = Prepared(
    lambda story, pk, now, limit: published(now).filter(story_id=story).exclude(pk=pk)[:limit]
)
_SAME_SECTION = Prepared(
    lambda section, seen, now, limit: (
        published(now).filter(section_id=section).exclude(pk__in=seen)[:limit]
    )
)


def related_articles(article: Article, limit: int = 4) -> list[Article]:
    """The related articles computed when the article was stored; else same story, then section."""
    if article.related_ids:
        found = cards(list(article.related_ids))
        chosen = [found[pk] for pk in article.related_ids if pk in found][:limit]
        if chosen:
            return chosen
    now = timezone.now()
    related: list[Article] = []
    if article.story_id:
        related = _SAME_STORY(article.story_id, article.pk, now, limit=limit)
    if len(related) < limit and article.section_id:
        seen = [a.pk for a in related] + [article.pk]
        related += _SAME_SECTION(article.section_id, seen, now, limit=limit - len(related))
    return related


def story_entities(story: Story, limit: int = 8) -> dict[str, list[Entity]]:
    """The people and places most named in a story's articles."""
    return {
        "people": _STORY_ENTITIES(story.pk, Entity.Kind.PERSON.value, limit=limit),
        "places": _STORY_ENTITIES(story.pk, Entity.Kind.PLACE.value, limit=limit),
    }


_STORY_ENTITIES = Prepared(
    lambda story, kind, limit: (
        Entity.objects.filter(
            kind=kind, articles__story=story, articles__status=Article.Status.PUBLISHED
        )
        .annotate(n=Count("articles"))
        .order_by("-n", "name")[:limit]
    )
)
_STORY = Prepared(lambda slug: stories_with_counts().filter(slug=slug))


def story_by_slug(slug: str) -> Story | None:
    """A story with published articles, with their count and first and last dates."""
    found = _STORY(slug)
    return found[0] if found else None


def approved_comments(article: Article) -> list[Comment]:
    """An article's approved comments, oldest first, in one query (the count is their length)."""
    return _COMMENTS(article.pk)


_COMMENTS = Prepared(
    lambda pk: (
        Comment.objects.filter(article_id=pk, status=Comment.Status.APPROVED)
        .only("name", "body", "created_at")
        .order_by("created_at", "pk")
    )
)
