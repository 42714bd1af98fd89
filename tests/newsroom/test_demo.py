"""The demo content loads, and loading it again duplicates nothing."""

from __future__ import annotations

import pytest

from khabar.newsroom.demo.loader import load_demo, read_content
from khabar.newsroom.models import Agency, Article, Section, Story

pytestmark = pytest.mark.django_db


def test_demo_content_is_big_enough_to_show_the_site() -> None:
    data = read_content()
    assert len(data["articles"]) >= 30
    assert len(data["sections"]) >= 5
    assert len(data["stories"]) >= 6
    assert all(a.get("image", {}).get("credit") for a in data["articles"])


def test_demo_loads_once_and_again_without_duplicates(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    first = load_demo()
    counts = (
        Article.objects.count(),
        Section.objects.count(),
        Story.objects.count(),
        Agency.objects.count(),
    )
    second = load_demo()
    assert first.articles_created == len(read_content()["articles"])
    assert second.articles_created == 0
    assert second.articles_updated == first.articles_created
    assert counts == (
        Article.objects.count(),
        Section.objects.count(),
        Story.objects.count(),
        Agency.objects.count(),
    )
    article = Article.objects.filter(hero__isnull=False).first()
    assert article is not None and (tmp_path / article.hero.image.name).is_file()
    assert article.blocks.count() >= 3
