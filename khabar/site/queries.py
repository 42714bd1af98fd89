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
    """Each section's latest articles, in three queries however many sections there are.

    The newest articles, read as (id, section) pairs from the listing index, fill most sections;
    a section with nothing among them (rarely updated) is asked for on its own. Then one query
    reads every chosen article with what its card needs.
    """
    sections = list(Section.objects.all())
    chosen: dict[int, list[int]] = {s.pk: [] for s in sections}
    candidates = (
        Article.objects.published()
        .filter(section__isnull=False)
        .exclude(pk__in=exclude or ())
        .order_by("-published_at")
        .values_list("pk", "section_id")
    )
    window = 10 * per_section * max(len(sections), 1)
    rows = list(candidates[:window])
    for pk, section_id in rows:
        if len(chosen.get(section_id, ())) < per_section:
            chosen[section_id].append(pk)
    if len(rows) == window:  # not every article was seen: ask for the sections still short
        for section_id, pks in chosen.items():
            if len(pks) < per_section:
                more = candidates.filter(section_id=section_id).exclude(pk__in=pks)
                pks += [pk for pk, _ in more[: per_section - len(pks)]]
    ids = [pk for pks in chosen.values() for pk in pks]
    cards = {a.pk: a for a in published().filter(pk__in=ids)} if ids else {}
    blocks = []
    for section in sections:
        items = [cards[pk] for pk in chosen[section.pk] if pk in cards]
        if items:
            blocks.append(SectionBlock(section, items))
    return blocks


def story_timeline(story: Story) -> list[Article]:
    """A story's published articles, newest first."""
    return list(published().filter(story=story))


def other_headlines(article: Article, limit: int = 10) -> list[Article]:
    """The latest headlines from elsewhere on the site, shown under an article: title and link."""
    # Only what a headline link shows: no joins, a third of the cost of a card query.
    others = Article.objects.published().exclude(pk=article.pk).order_by("-published_at")
    if article.story_id:
        others = others.exclude(story=article.story_id)
    return list(others.only("slug", "title")[:limit])


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
