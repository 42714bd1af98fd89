"""`StoryIndex.newest` reads a story's newest articles from a timeline kept in order through
adds, copies, moves, splits, merges and removals: the same answer as sorting all members."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from khabar.stories.grouping import StoryArticle, StoryIndex

T0 = datetime(2031, 5, 1, 6, 0, tzinfo=UTC)
# Three topics with no word in common, so the articles form several stories.
TOPICS = [
    topic.split()
    for topic in (
        "فيضانات أمطار سيول الدفاع المدني إجلاء قرى الدلتا منسوب المياه إيواء",
        "انتخابات البرلمان مرشحين صناديق الاقتراع نسبة المشاركة اللجنة العليا فرز",
        "مباراة الدوري هدف الفريق المدرب الملعب الجمهور البطولة ركلة جزاء",
    )
]


def by_sorting(index: StoryIndex, story: str, k: int) -> list[str]:
    """The newest k the slow way: every member, by time then numeric id, newest first."""
    members = sorted(((when, int(m)) for when, m in index.members(story)), reverse=True)
    return [str(m) for _when, m in members[:k]]


def article(rng: random.Random, n: int, texts: dict[int, tuple[str, str, str]]) -> StoryArticle:
    """Article n: fresh words, or (every ninth) the text of a recent one, a copy of it. Hours
    are drawn from a few values, so many articles share a publication time (ties by id)."""
    if n % 9 == 0:
        text = texts[n - rng.randint(1, 5)]
    else:
        words = rng.choices(TOPICS[n % 3], k=40)
        text = (" ".join(words[:8]), " ".join(words[8:20]), " ".join(words))
    texts[n] = text
    when = T0 + timedelta(hours=rng.choice([0, 1, 2, 5, 9]))
    return StoryArticle(str(n), *text, when)


def check(index: StoryIndex) -> int:
    stories = {index.story_of(a) for a in index.assignments()}
    for story in stories:
        for k in (1, 3, 50):
            assert index.newest(story, k) == by_sorting(index, story, k), story
    return len(stories)


def test_newest_matches_sorting_all_members_through_every_change() -> None:
    rng = random.Random(11)
    index = StoryIndex()
    texts: dict[int, tuple[str, str, str]] = {}
    # Ids 1..120, so that "9" before "10" (numeric order) matters.
    for n in range(1, 121):
        index.place(article(rng, n, texts))
    assert check(index) > 1
    ids = sorted(index.assignments(), key=int)
    stories = sorted({index.story_of(a) for a in ids})
    index.move(ids[3], stories[-1])
    index.split(index.story_of(ids[10]), [ids[10]])
    index.merge(stories[0], stories[1])
    for gone in ids[20:30]:
        if gone in index:
            index.remove(gone)
    check(index)
    assert index.newest("no such story", 5) == []
