"""Stories as articles arrive: named entities, the story each article joins, related articles.

The pure work (recognition, similarity, grouping) is `khabar.stories`; this module keeps one
`StoryIndex` per process, loaded from the database on first use, and writes its decisions back.
What an editor decided (an article moved by hand, a renamed story, stories kept apart) is loaded
as a lock the algorithm never undoes.
"""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from khabar.newsroom.models import Article, Entity, Story, unicode_slug
from khabar.pipeline import entities_of
from khabar.stories.grouping import GroupingConfig, StoryArticle, StoryIndex
from khabar.stories.related import related

RELATED = 6
RELATED_POOL = 50

_lock = threading.RLock()
_index: StoryIndex | None = None


def _text(article: Article) -> str:
    return "\n".join(b.text for b in article.blocks.all() if b.text)


def story_article(article: Article) -> StoryArticle:
    """An article as grouping sees it, with its stored entities."""
    names = tuple(f"{e.kind}:{e.name}" for e in article.entities.all())
    return StoryArticle(
        id=str(article.pk),
        title=article.title,
        lead=article.lead,
        body=_text(article),
        published=article.published_at or article.created_at,
        entities=names or None,
    )


def _new_story() -> str:
    """A story row for a story the index starts; it gets its title once its article is in."""
    temp = f"new-{uuid.uuid4().hex[:12]}"
    return str(Story.objects.create(title=temp, slug=temp).pk)


def _load() -> StoryIndex:
    index = StoryIndex(GroupingConfig(), new_id=_new_story)
    since = timezone.now() - timedelta(days=index.config.window_days)
    rows = (
        Article.objects.filter(story__isnull=False, published_at__gte=since)
        .prefetch_related("blocks", "entities")
        .order_by("published_at", "pk")
    )
    for article in rows.iterator(chunk_size=500):
        dup = str(article.duplicate_of_id) if article.duplicate_of_id else None
        index.add(
            story_article(article),
            story_id=str(article.story_id),
            duplicate_of=dup if dup in index else None,
            locked=article.story_locked,
        )
    for story in Story.objects.prefetch_related("kept_apart"):
        for other in story.kept_apart.all():
            index.keep_apart(str(story.pk), str(other.pk))
        if story.title_locked:
            index.rename(str(story.pk), story.title)
    return index


def story_index() -> StoryIndex:
    """This process's story index, loaded from the database on first use."""
    global _index
    with _lock:
        if _index is None:
            _index = _load()
        return _index


def forget_index() -> None:
    """Drop the in-memory index (tests, or after editors changed many stories at once)."""
    global _index
    with _lock:
        _index = None


def tag_entities(
    article: Article, found: list[tuple[str, str, tuple[str, ...]]] | None = None
) -> list[Entity]:
    """Tag an article with the people, places and organizations it names (recognised here
    unless the ingest workers already did)."""
    if found is None:
        found = entities_of("\n".join([article.title, article.lead, _text(article)]))
    wanted = {(kind, unicode_slug(name)): (name, aliases) for kind, name, aliases in found}
    Entity.objects.bulk_create(
        [
            Entity(kind=kind, slug=slug, name=name, aliases=list(aliases))
            for (kind, slug), (name, aliases) in wanted.items()
        ],
        ignore_conflicts=True,  # the (kind, slug) ones already known stay as editors left them
    )
    slugs = {slug for _kind, slug in wanted}
    known = {(e.kind, e.slug): e for e in Entity.objects.filter(slug__in=slugs)}
    tags = [known[key] for key in wanted if key in known]
    article.entities.add(*tags)
    return tags


def _title_story(story_id: int, index: StoryIndex) -> None:
    story = Story.objects.get(pk=story_id)
    if story.title_locked:
        return
    title = index.story(str(story_id)).title
    if title and title != story.title:
        story.title = title[:200]
        story.slug = f"{unicode_slug(title, 150)}-{story.pk}"
        story.save(update_fields=["title", "slug"])


def group(article: Article, item: StoryArticle | None = None) -> int | None:
    """Put a stored article in its story (or a new one); return the story id."""
    if article.story_locked and article.story_id:
        return article.story_id
    index = story_index()
    key = str(article.pk)
    with _lock, transaction.atomic():
        if key in index:
            return int(index.story_of(key))
        item = item or story_article(article)
        original = str(article.duplicate_of_id) if article.duplicate_of_id else None
        if original and original in index:
            sid = index.add(item, story_id=index.story_of(original), duplicate_of=original)
        else:
            sid = index.place(item).story_id or ""
        Article.objects.filter(pk=article.pk).update(story_id=int(sid))
        article.story_id = int(sid)
        _title_story(int(sid), index)
        article.related_ids = related_for(article, index)
        Article.objects.filter(pk=article.pk).update(related_ids=article.related_ids)
    return article.story_id


def related_for(article: Article, index: StoryIndex) -> list[int]:
    """The related articles of an article: its story first, then similar recent ones."""
    pool: list[Any] = list(
        Article.objects.filter(story_id=article.story_id)
        .exclude(pk=article.pk)
        .values_list("pk", flat=True)[:RELATED_POOL]
    )
    pool += list(
        Article.objects.filter(duplicate_of__isnull=True)
        .exclude(pk=article.pk)
        .order_by("-published_at")
        .values_list("pk", flat=True)[:RELATED_POOL]
    )
    candidates = [str(pk) for pk in dict.fromkeys(pool) if str(pk) in index]
    found = related(str(article.pk), candidates, RELATED, index=index)
    return [int(r.article_id) for r in found]


def merge_pass() -> int:
    """Merge stories that turned out to be one (never against an editor); return how many."""
    index = story_index()
    with _lock, transaction.atomic():
        applied = index.apply_merges(index.merge_pass(timezone.now()))
        for proposal in applied:
            keep, absorb = int(proposal.keep), int(proposal.absorb)
            Article.objects.filter(story_id=absorb, story_locked=False).update(story_id=keep)
            if not Article.objects.filter(story_id=absorb).exists():
                Story.objects.filter(pk=absorb, pinned=False, title_locked=False).delete()
            _title_story(keep, index)
    return len(applied)
