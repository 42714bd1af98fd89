"""What editors do to stories: merge, split, move. Their decisions become locks the grouping
algorithm respects (articles stay where an editor put them; split stories are kept apart)."""

from __future__ import annotations

import uuid

from django.db import transaction

from khabar.newsroom import storyline
from khabar.newsroom.models import Article, Story, unicode_slug
from khabar.newsroom.signals import content_changed


@transaction.atomic
def move(article: Article, story: Story) -> None:
    """Put an article in a story for good."""
    Article.objects.filter(pk=article.pk).update(story=story, story_locked=True)
    storyline.stories_edited()
    content_changed.send(sender=Article)


@transaction.atomic
def merge(stories: list[Story]) -> Story:
    """Merge stories into the first; its articles are locked there."""
    kept, absorbed = stories[0], stories[1:]
    Article.objects.filter(story__in=absorbed).update(story=kept, story_locked=True)
    Article.objects.filter(story=kept).update(story_locked=True)
    for story in absorbed:
        story.delete()
    storyline.stories_edited()
    content_changed.send(sender=Article)
    return kept


@transaction.atomic
def split(articles: list[Article]) -> Story:
    """Move articles to a new story titled by the earliest; it is kept apart from their old ones."""
    articles.sort(key=lambda a: (a.published_at or a.created_at, a.pk))
    title = articles[0].title[:200]
    temp = uuid.uuid4().hex[:8]
    story = Story.objects.create(title=title, slug=f"{unicode_slug(title, 150)}-{temp}")
    old = Story.objects.filter(pk__in={a.story_id for a in articles if a.story_id})
    story.kept_apart.add(*old)
    Article.objects.filter(pk__in=[a.pk for a in articles]).update(story=story, story_locked=True)
    storyline.stories_edited()
    content_changed.send(sender=Article)
    return story
