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
    indexed = me in index
    story = index.story_of(me) if indexed else None
    mine_original = index.original(me) if indexed else None
    when = _seconds(article, index)
    window = recent.total_seconds()
    kept: list[tuple[StoryArticle | str, str, bool, bool]] = []
    for candidate in candidates:
        other = _id(candidate)
        if other == me:
            continue
        held = other in index
        # Two indexed articles are copies when they have one original (`is_duplicate`'s test).
        if indexed and held:
            if index.original(other) == mine_original:
                continue
        elif index.is_duplicate(article, candidate):
            continue
        same = story is not None and held and index.story_of(other) == story
        if not same and abs(_seconds(candidate, index) - when) > window:
            continue
        kept.append((candidate, other, same, held))
    # Scored together: the article's vector once, the candidates' from the index's arrays.
    scores = index.similarities(article, [c for c, *_ in kept])
    found: dict[str, RelatedArticle] = {}
    for (_candidate, other, same, held), score in zip(kept, scores, strict=True):
        if same or score >= min_score:
            key = index.original(other) if held else other
            was = found.get(key)
            if was is None or (same, score) > (was.same_story, was.score):
                found[key] = RelatedArticle(other, score, same)
    ranked = sorted(found.values(), key=lambda r: (not r.same_story, -r.score, r.article_id))
    return ranked[:k]


def _id(article: StoryArticle | str) -> str:
    return article if isinstance(article, str) else article.id


def _seconds(article: StoryArticle | str, index: StoryIndex) -> float:
    return index.timestamp(article) if isinstance(article, str) else article.published.timestamp()
