"""Related articles come from the story index in memory, and are the ones the database query
of earlier versions chose: checked article by article against that query, kept here."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from khabar.extract.record import Block, ExtractedArticle
from khabar.newsroom import storyline
from khabar.newsroom.models import Article
from khabar.newsroom.records import save_extracted
from khabar.stories.grouping import StoryIndex
from khabar.stories.related import RelatedArticle

pytestmark = pytest.mark.django_db

FLOOD_TEXT = (
    "فيضانات تغمر قرى في دلتا النيل بعد أمطار غزيرة وفرق الدفاع المدني تجلي السكان "
    "وتفتح مراكز إيواء مؤقتة للعائلات المتضررة من ارتفاع منسوب المياه في الحقول والطرق"
)
FLOOD = FLOOD_TEXT.split()
WORDS_TEXT = (
    "الحكومة البرلمان المدينة الوزير المدرسة السوق الطاقة المياه القطار المستشفى المصنع "
    "الميناء الجامعة المطار الملعب الشركة المزارعون الطلاب الأسعار الرواتب الضرائب الصادرات "
    "الحدود الانتخابات المحكمة الشرطة الجيش الصحة التعليم النقل السياحة الزراعة الصناعة"
)
WORDS = WORDS_TEXT.split()


def old_related(me: str, candidates: list[str], k: int, index: StoryIndex) -> list[str]:
    """`stories.related.related` as it was: `index.similarity` per candidate."""
    story = index.story_of(me)
    when = index.published(me)
    found: dict[str, RelatedArticle] = {}
    for other in candidates:
        if other == me or index.is_duplicate(me, other):
            continue
        same = index.story_of(other) == story
        if not same and abs(index.published(other) - when) > timedelta(days=7):
            continue
        score = index.similarity(me, other)
        if same or score >= 0.05:
            key = index.original(other)
            kept = found.get(key)
            if kept is None or (same, score) > (kept.same_story, kept.score):
                found[key] = RelatedArticle(other, score, same)
    ranked = sorted(found.values(), key=lambda r: (not r.same_story, -r.score, r.article_id))
    return [r.article_id for r in ranked[:k]]


def old_related_for(article: Article, index: StoryIndex) -> list[int]:
    """The database pool of earlier versions: 50 newest of the story, 50 newest originals."""
    pool = list(
        Article.objects.filter(story_id=article.story_id)
        .exclude(pk=article.pk)
        .values_list("pk", flat=True)[: storyline.RELATED_POOL]
    )
    pool += list(
        Article.objects.filter(duplicate_of__isnull=True)
        .exclude(pk=article.pk)
        .order_by("-published_at")
        .values_list("pk", flat=True)[: storyline.RELATED_POOL]
    )
    candidates = [str(pk) for pk in dict.fromkeys(pool) if str(pk) in index]
    return [int(i) for i in old_related(str(article.pk), candidates, storyline.RELATED, index)]


def record(rng: random.Random, n: int, start: datetime) -> ExtractedArticle:
    """Most articles are about one flood (one big story); the rest mix everyday words."""
    base = FLOOD if n % 4 else WORDS
    words = [rng.choice(base if rng.random() < 0.8 else WORDS) for _ in range(60)]
    title = " ".join(rng.sample(base, 8))
    return ExtractedArticle(
        title=title,
        lead=" ".join(words[:20]),
        blocks=[Block("paragraph", " ".join(words[20:]))],
        published=start + timedelta(hours=n),
    )


def test_related_articles_match_the_database_pool_of_earlier_versions() -> None:
    rng = random.Random(5)
    start = datetime(2026, 11, 1, 8, tzinfo=UTC)
    index = storyline.story_index()
    checked = 0
    for n in range(120):
        article = save_extracted(record(rng, n, start), source_id=f"test:{n}")
        storyline.group(article)
        assert article.related_ids == old_related_for(article, index), f"article {n}"
        checked += bool(article.related_ids)
    sizes = sorted(
        (
            len(index.members(str(s)))
            for s in set(Article.objects.values_list("story_id", flat=True))
        ),
        reverse=True,
    )
    # The pools were truncated (a story and the news both beyond 50), and most had results.
    assert sizes[0] > storyline.RELATED_POOL
    assert checked > 100
