"""The queries behind the reader pages, each in as few database round trips as possible."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Min, Q, QuerySet

from khabar.newsroom.models import Article, Comment, Entity, Section, Story

PUBLISHED = Q(articles__status=Article.Status.PUBLISHED)


def published() -> QuerySet[Article]:
    """Published articles with what a card needs."""
    return Article.objects.published().for_listing()


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


@dataclass
class SectionBlock:
    """A section with its latest articles, for the home page."""

    section: Section
    articles: list[Article]


def section_blocks(per_section: int = 4, exclude: set[int] | None = None) -> list[SectionBlock]:
    """Each section's latest articles (one query for sections, one per section)."""
    exclude = exclude or set()
    blocks = []
    for section in Section.objects.all():
        items = list(published().filter(section=section).exclude(pk__in=exclude)[:per_section])
        if items:
            blocks.append(SectionBlock(section, items))
    return blocks


def story_timeline(story: Story) -> list[Article]:
    """A story's published articles, newest first."""
    return list(published().filter(story=story))


def other_headlines(article: Article, limit: int = 10) -> list[Article]:
    """The latest headlines from elsewhere on the site, shown under an article."""
    return (
        list(published().exclude(pk=article.pk).exclude(story=article.story_id)[:limit])
        if (article.story_id)
        else list(published().exclude(pk=article.pk)[:limit])
    )


def related_articles(article: Article, limit: int = 4) -> list[Article]:
    """The related articles computed when the article was stored; else same story, then section."""
    if article.related_ids:
        found = {a.pk: a for a in published().filter(pk__in=article.related_ids)}
        chosen = [found[pk] for pk in article.related_ids if pk in found][:limit]
        if chosen:
            return chosen
    related: list[Article] = []
    if article.story_id:
        related = list(published().filter(story=article.story_id).exclude(pk=article.pk)[:limit])
    if len(related) < limit and article.section_id:
        seen = {a.pk for a in related} | {article.pk}
        more = published().filter(section=article.section_id).exclude(pk__in=seen)
        related += list(more[: limit - len(related)])
    return related


def story_span(story: Story) -> tuple[datetime | None, datetime | None]:
    """The first and last publication times of a story's articles."""
    agg = story.articles.filter(status=Article.Status.PUBLISHED).aggregate(
        first=Min("published_at"), last=Max("published_at")
    )
    return agg["first"], agg["last"]


def story_entities(story: Story, limit: int = 8) -> dict[str, list[Entity]]:
    """The people and places most named in a story's articles."""
    from django.db.models import Count

    ranked = (
        Entity.objects.filter(articles__story=story, articles__status=Article.Status.PUBLISHED)
        .annotate(n=Count("articles"))
        .order_by("-n", "name")
    )
    return {
        "people": list(ranked.filter(kind=Entity.Kind.PERSON)[:limit]),
        "places": list(ranked.filter(kind=Entity.Kind.PLACE)[:limit]),
    }


def approved_comments(article: Article) -> list[Comment]:
    """An article's approved comments, oldest first, in one query (the count is their length)."""
    return list(
        Comment.objects.filter(article=article, status=Comment.Status.APPROVED)
        .only("name", "body", "created_at")
        .order_by("created_at", "pk")
    )
