"""Related articles: the rest of the article's story first, then the most similar recent news.

A reader at the end of an article wants what happened next and what else happened around it,
not the same wire item again under another outlet's name: copies of the article (and second
copies of one item) never appear.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from khabar.stories.grouping import StoryArticle, StoryIndex

__all__ = ["RelatedArticle", "related"]


@dataclass(frozen=True)
class RelatedArticle:
    """One related article, its similarity to the article, and whether it is the same story."""

    article_id: str
    score: float
    same_story: bool


def related(
    article: StoryArticle | str,
    candidates: Iterable[StoryArticle | str],
    k: int = 5,
    *,
    index: StoryIndex,
    recent: timedelta = timedelta(days=7),
    min_score: float = 0.05,
) -> list[RelatedArticle]:
    """Return up to `k` related articles: the same story first, then the most similar recent."""
    me = _id(article)
    story = index.story_of(me) if me in index else None
    when = _published(article, index)
    # The article's vector once, not once per candidate. The sum below is `index.similarity`'s
    # over the shared terms only, in the same order: the terms left out add exactly 0.0, so
    # the scores are the same to the last bit.
    mine = index.vector(article)
    order = {term: n for n, term in enumerate(mine)}
    found: dict[str, RelatedArticle] = {}
    for candidate in candidates:
        other = _id(candidate)
        if other == me or index.is_duplicate(article, candidate):
            continue
        same = story is not None and other in index and index.story_of(other) == story
        if not same and abs(_published(candidate, index) - when) > recent:
            continue
        theirs = index.vector(candidate)
        shared = sorted(mine.keys() & theirs.keys(), key=order.__getitem__)
        score = sum((mine[t] * theirs[t] for t in shared), 0.0)
        if same or score >= min_score:
            key = index.original(other) if other in index else other
            kept = found.get(key)
            if kept is None or (same, score) > (kept.same_story, kept.score):
                found[key] = RelatedArticle(other, score, same)
    ranked = sorted(found.values(), key=lambda r: (not r.same_story, -r.score, r.article_id))
    return ranked[:k]


def _id(article: StoryArticle | str) -> str:
    return article if isinstance(article, str) else article.id


def _published(article: StoryArticle | str, index: StoryIndex) -> timedelta:
    moment = index.published(article) if isinstance(article, str) else article.published
    return timedelta(seconds=moment.timestamp())
