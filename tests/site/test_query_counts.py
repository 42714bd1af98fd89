"""Each page type runs a fixed number of queries: the same with 3 articles as with 30 (no N+1).

Counts are taken with the page cache off, on the second request of a page (the first may apply
pending search-index updates and fill per-process caches, which readers do not pay each time):
the chrome (menu, stories strip, live link) is computed once per page-cache generation, so it is
not in these counts; tests/site/test_chrome.py counts it.
A changed count is a decision: when a page needs one more query by design, update EXPECTED.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from khabar.newsroom.models import (
    Agency,
    Article,
    Author,
    Block,
    Comment,
    Entity,
    LiveEntry,
    LiveEvent,
    Media,
    Section,
    Story,
    Video,
)
from khabar.site import pagecache
from khabar.site.models import Channel

pytestmark = pytest.mark.django_db

PAGES = {
    "home": "/",
    "section": "/section/politics/",
    "story": "/story/water-summit/",
    "tag": "/tag/person/ahmad/",
    "article": None,  # the newest article, filled in by the test
    "search": "/search/?q=المياه",
    "author": "/author/samir/",
    "agency": "/agency/reuters/",
    "videos": "/videos/",
    "live-index": "/live/",
    "live": "/live/final/",
    "feed-rss": "/feed/rss/",
    "feed-atom": "/feed/atom/",
    "feed-json": "/feed/json/",
    "section-rss": "/section/politics/rss/",
    "story-json": "/story/water-summit/json/",
    "tag-atom": "/tag/person/ahmad/atom/",
    "sitemap-index": "/sitemap.xml",
    "sitemap-section": "/sitemap-articles.xml",
    "sitemap-news": "/sitemap-news.xml",
    "robots": "/robots.txt",
}

EXPECTED: dict[str, int] = {
    "home": 5,  # trending stories are computed once per generation, like the stories strip
    "section": 3,
    "story": 5,
    "tag": 3,
    "article": 9,
    "search": 4,
    "author": 3,
    "agency": 3,
    "videos": 2,
    "live-index": 2,  # the events and their count, for the pages
    "live": 4,  # the event, pinned entries, entries, and the newest change (for the stream)
    "feed-rss": 2,
    "feed-atom": 2,
    "feed-json": 2,
    "section-rss": 3,
    "story-json": 3,
    "tag-atom": 3,
    "sitemap-index": 5,
    "sitemap-section": 2,
    "sitemap-news": 1,
    "robots": 0,
}
# With 3 articles the story holds too few for the related list, which then also asks the section:
# one query more, by design, and fewer articles, so it is not an N+1. And the home page shows all
# 3 at the top, so no article is left for the section blocks: their card query is skipped.
# (The home's section blocks take three queries however many sections there are: with these two
# sections that is the one-per-section count it had before; test_section_blocks_... counts more.)
EXPECTED_SMALL = {**EXPECTED, "article": 10, "home": 4}


def build(n: int) -> Article:
    """n published articles with everything a page shows; the newest one."""
    sections = [
        Section.objects.create(name="سياسة", slug="politics", important=True),
        Section.objects.create(name="اقتصاد", slug="economy"),
    ]
    story = Story.objects.create(title="قمة المياه", slug="water-summit")
    person = Entity.objects.create(kind="person", name="أحمد", slug="ahmad")
    place = Entity.objects.create(kind="place", name="القاهرة", slug="cairo")
    agencies = [
        Agency.objects.create(name="رويترز", slug="reuters"),
        Agency.objects.create(name="فرانس برس", slug="afp"),
    ]
    author = Author.objects.create(name="سمير", slug="samir")
    Channel.objects.create(name="إكس", url="https://example.org/x")
    now = timezone.now()
    newest = None
    for i in range(n):
        hero = Media.objects.create(url=f"https://example.org/{i}.jpg", caption="صورة", credit="ر")
        video = None
        if i % 3 == 0:
            video = Video.objects.create(url=f"https://example.org/{i}.mp4", duration=90)
        article = Article.objects.create(
            title=f"خبر رقم {i} عن المياه",
            slug=f"news-{i}",
            lead="مقدمة الخبر عن قمة المياه.",
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(minutes=10 * i + 1),
            section=sections[i % 2],
            story=story,
            hero=hero,
            video=video,
            byline="سمير",
            source_line="المصدر: رويترز",
        )
        Block.objects.create(article=article, position=0, text="فقرة أولى.")
        Block.objects.create(article=article, position=1, kind="subheading", text="عنوان فرعي")
        Block.objects.create(article=article, position=2, kind="image", media=hero)
        article.agencies.add(*agencies)
        article.entities.add(person, place)
        article.authors.add(author)
        for name in ("قارئ", "قارئة"):
            Comment.objects.create(
                article=article, name=name, body="تعليق", status=Comment.Status.APPROVED
            )
        newest = newest or article
    event = LiveEvent.objects.create(title="النهائي", slug="final", story=story)
    for i in range(n):
        LiveEntry.objects.create(event=event, body=f"تحديث {i}")
    assert newest is not None
    return newest


def count_queries(client: Client, url: str) -> tuple[int, list[str]]:
    """Queries of the second request of a page."""
    assert client.get(url).status_code == 200, url
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def page_counts(n: int) -> dict[str, tuple[int, list[str]]]:
    """Query counts of every page type with n articles."""
    newest = build(n)
    client = Client()
    urls = {**PAGES, "article": newest.get_absolute_url()}
    return {name: count_queries(client, url) for name, url in urls.items()}


@pytest.fixture(autouse=True)
def no_page_cache(settings: Any) -> None:
    settings.KHABAR_PAGE_CACHE = False
    pagecache.reset()


@pytest.mark.parametrize("n", [3, 30])
def test_query_count_of_each_page(n: int) -> None:
    counts = page_counts(n)
    got = {name: c for name, (c, _) in counts.items()}
    expected = EXPECTED_SMALL if n == 3 else EXPECTED
    diff = {k: (got.get(k), v) for k, v in expected.items() if got.get(k) != v}
    detail = "\n".join(
        f"--- {name}\n" + "\n".join(counts[name][1]) for name in diff if name in counts
    )
    assert not diff, f"(got, expected): {diff}\n{detail}"
    assert set(got) == set(EXPECTED)


def test_trending_stories_pinned_first_then_latest_article() -> None:
    from khabar.site.queries import trending_stories

    now = timezone.now()
    stories = [Story.objects.create(title=f"قصة {i}", slug=f"s{i}") for i in range(12)]
    for i, story in enumerate(stories):
        for k in range(3):  # story i's latest article is i hours old
            Article.objects.create(
                title=f"{i}-{k}",
                slug=f"a{i}-{k}",
                status=Article.Status.PUBLISHED,
                published_at=now - timedelta(hours=i, minutes=k),
                story=story,
            )
    stories[11].pinned = True  # the oldest story, pinned by an editor
    stories[11].save()
    Story.objects.create(title="بلا أخبار", slug="empty", pinned=True)
    ranked = trending_stories(5)
    assert [s.slug for s in ranked] == ["s11", "s0", "s1", "s2", "s3"]
    assert all(s.n_articles == 3 for s in ranked)


def test_section_blocks_take_three_queries_for_any_number_of_sections() -> None:
    from khabar.site.queries import section_blocks

    now = timezone.now()
    sections = [Section.objects.create(name=f"قسم {i}", slug=f"s{i}", order=i) for i in range(6)]
    for i in range(60):
        Article.objects.create(
            title=f"خبر {i}",
            slug=f"a{i}",
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(minutes=i + 1),
            section=sections[i % 5],  # the sixth section has nothing
        )
    with CaptureQueriesContext(connection) as ctx:
        blocks = section_blocks(4)
    assert len(ctx.captured_queries) == 3
    assert [b.section.slug for b in blocks] == ["s0", "s1", "s2", "s3", "s4"]
    for block in blocks:
        assert len(block.articles) == 4
        assert all(a.section_id == block.section.pk for a in block.articles)
        times = [a.published_at for a in block.articles]
        assert times == sorted(times, reverse=True)


def test_a_rarely_updated_section_still_gets_its_block() -> None:
    from khabar.site.queries import section_blocks

    now = timezone.now()
    busy = Section.objects.create(name="عاجل", slug="busy", order=0)
    quiet = Section.objects.create(name="ثقافة", slug="quiet", order=1)
    Article.objects.create(
        title="قديم",
        slug="old",
        status=Article.Status.PUBLISHED,
        published_at=now - timedelta(days=30),
        section=quiet,
    )
    Article.objects.bulk_create(
        Article(
            title=f"خبر {i}",
            slug=f"b{i}",
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(minutes=i + 1),
            section=busy,
        )
        for i in range(100)  # more than the window of newest articles read at first
    )
    blocks = {b.section.slug: [a.title for a in b.articles] for b in section_blocks(4)}
    assert blocks["quiet"] == ["قديم"]
    assert blocks["busy"] == ["خبر 0", "خبر 1", "خبر 2", "خبر 3"]
