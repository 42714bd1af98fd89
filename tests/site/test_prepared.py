"""Prepared queries give what the queryset they stand for gives, for any arguments."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from khabar.db.prepared import MAX_SHAPES, Prepared, PreparedPages
from khabar.newsroom.models import Article, Media, Section, Story

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles() -> list[Article]:
    """Twelve articles in two sections and two stories, some in the future, one draft."""
    now = timezone.now()
    news = Section.objects.create(name="أخبار", slug="news")
    sport = Section.objects.create(name="رياضة", slug="sport")
    rain = Story.objects.create(title="الأمطار", slug="rain")
    final = Story.objects.create(title="النهائي", slug="final")
    hero = Media.objects.create(url="https://example.org/p.jpg", credit="أ ف ب")
    made = []
    for i in range(12):
        made.append(
            Article.objects.create(
                title=f"خبر {i}",
                slug=f"khabar-{i}",
                section=news if i % 2 else sport,
                story=rain if i % 3 else final,
                hero=hero if i % 4 == 0 else None,
                status=Article.Status.DRAFT if i == 5 else Article.Status.PUBLISHED,
                published_at=now + timedelta(hours=1 if i == 7 else -i),
            )
        )
    return made


def ids(rows: list[Article]) -> list[int]:
    return [a.pk for a in rows]


def test_ids_and_times_give_the_querysets_rows(articles: list[Article]) -> None:
    by_section = Prepared(
        lambda section, now: (
            Article.objects.published(now)
            .filter(section_id=section)
            .select_related("section", "story", "hero")
            .order_by("-published_at")
        )
    )
    now = timezone.now()
    for section in Section.objects.all():
        for moment in (now, now + timedelta(hours=2), now - timedelta(hours=5)):
            expected = (
                Article.objects.published(moment)
                .filter(section_id=section.pk)
                .order_by("-published_at")
            )
            assert ids(by_section(section.pk, moment)) == ids(list(expected))
    # the future article appears once its time has come
    future = articles[7]
    later = now + timedelta(hours=2)
    assert future.pk in ids(by_section(future.section_id, later))
    assert future.pk not in ids(by_section(future.section_id, now))


def test_related_rows_come_with_the_query(articles: list[Article]) -> None:
    with_hero = Prepared(
        lambda pk: Article.objects.select_related("section", "story", "hero").filter(pk=pk)
    )
    (got,) = with_hero(articles[4].pk)
    with CaptureQueriesContext(connection) as queries:
        assert (got.section.slug, got.story.slug, got.hero.credit) == ("sport", "rain", "أ ف ب")
    assert len(queries) == 0


def test_lists_of_any_length_are_padded_not_wrong(articles: list[Article]) -> None:
    by_ids = Prepared(lambda pks: Article.objects.filter(pk__in=pks).order_by("pk"))
    pks = ids(articles)
    for n in (1, 2, 3, 5, 8, 9, 12):
        assert ids(by_ids(pks[:n])) == pks[:n]
    assert ids(by_ids([pks[3], pks[3], pks[1]])) == sorted([pks[3], pks[1]])
    with pytest.raises(ValueError):
        by_ids([])
    by_slugs = Prepared(lambda slugs: Article.objects.filter(slug__in=slugs).order_by("pk"))
    slugs = [a.slug for a in articles]
    for n in (1, 3, 5):
        assert ids(by_slugs(slugs[:n])) == ids(Article.objects.filter(slug__in=slugs[:n]))
    assert by_slugs(["لا يوجد"]) == []


def test_strings_values_lists_and_slices(articles: list[Article]) -> None:
    titles = Prepared(
        lambda slug, start, stop: (
            Article.objects.filter(story__slug=slug)
            .order_by("pk")
            .values_list("title", flat=True)[start:stop]
        ),
    )
    everything = list(Article.objects.filter(story__slug="rain").order_by("pk"))
    assert titles("rain", start=0, stop=3) == [a.title for a in everything[:3]]
    assert titles("rain", start=3, stop=6) == [a.title for a in everything[3:6]]
    assert titles("final", start=0, stop=100) == list(
        Article.objects.filter(story__slug="final").order_by("pk").values_list("title", flat=True)
    )
    assert titles("لا يوجد", start=0, stop=3) == []


def test_a_query_compiles_once_per_shape(articles: list[Article]) -> None:
    built = []

    def build(pk: int) -> object:
        built.append(pk)
        return Article.objects.filter(pk=pk)

    one = Prepared(build)  # type: ignore[arg-type]
    one(articles[0].pk)
    compiled = len(built)
    for a in articles:
        assert ids(one(a.pk)) == [a.pk]
    assert len(built) == compiled  # no more builds after the first


def test_shapes_kept_are_bounded(articles: list[Article]) -> None:
    window = Prepared(lambda start, stop: Article.objects.order_by("pk")[start:stop])
    for start in range(MAX_SHAPES + 5):
        window(start=start, stop=start + 1)
    assert len(window._compiled) == MAX_SHAPES


def test_an_argument_that_never_reaches_the_sql_is_refused(articles: list[Article]) -> None:
    ignores = Prepared(lambda pk: Article.objects.all())
    with pytest.raises(RuntimeError, match="does not reach"):
        ignores(articles[0].pk)


def test_a_value_of_another_kind_is_refused(articles: list[Article]) -> None:
    by_pk = Prepared(lambda pk: Article.objects.filter(pk=pk))
    by_pk(articles[0].pk)
    with pytest.raises(TypeError):
        by_pk(timezone.now())


def test_pages_match_djangos_paginator_over_the_queryset(articles: list[Article]) -> None:
    listing = PreparedPages(
        lambda story, now: (
            Article.objects.published(now).filter(story_id=story).order_by("-published_at")
        ),
        shared="status",
    )
    now = timezone.now()
    for story in [*Story.objects.all(), Story.objects.create(title="فارغة", slug="empty")]:
        queryset = Article.objects.published(now).filter(story=story).order_by("-published_at")
        for per_page in (2, 3, 20):
            ours = Paginator(listing(story.pk, now), per_page)
            theirs = Paginator(queryset, per_page)
            assert ours.count == theirs.count
            assert ours.num_pages == theirs.num_pages
            for number in ours.page_range:
                assert ids(list(ours.page(number))) == ids(list(theirs.page(number)))


def test_the_article_page_counts_its_story(client, articles: list[Article]) -> None:
    from khabar.site.templatetags.khabar import news_count

    rain = Story.objects.get(slug="rain")
    expected = Article.objects.filter(story=rain, status=Article.Status.PUBLISHED).count()
    page = client.get(articles[1].get_absolute_url())
    assert page.status_code == 200
    box = page.content.decode().split('class="story-box"', 1)[1].split("</aside>", 1)[0]
    assert news_count(expected) in box


def test_a_build_that_reads_the_clock_itself_is_refused(articles: list[Article]) -> None:
    # The time would be frozen at the first call: it must come in as an argument.
    reads_clock = Prepared(
        lambda pk: Article.objects.filter(pk=pk, published_at__lte=timezone.now())
    )
    with pytest.raises(RuntimeError, match="compiled two ways"):
        reads_clock(articles[0].pk)
