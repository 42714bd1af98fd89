"""Responsive images and video articles in Debian's chromium: the right rendition loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from khabar.newsroom.demo.loader import load_demo
from khabar.newsroom.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def served_media(settings, tmp_path) -> Path:
    """Pictures and videos of this test, stored and served from its own MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


# sizes says the article column is the viewport less 32 px on a phone and 850 px on a desktop;
# at a device pixel ratio of 1 the browser must pick the first rendition at least that wide.
EXPECTED = {390: "-640.webp", 1366: "-960.webp"}


def hero_image(page) -> dict:
    return page.evaluate(
        """() => { const img = document.querySelector('figure.hero img');
        return {current: img.currentSrc, natural: img.naturalWidth, complete: img.complete}; }"""
    )


def test_hero_loads_a_rendition_and_video_article_plays(live_server, browser, shoot, served_media):
    load_demo()
    article = Article.objects.filter(video__isnull=True, hero__isnull=False).first()
    with_video = Article.objects.filter(video__isnull=False).first()
    errors: list[str] = []
    for width, name in [(1366, "desktop"), (390, "phone")]:
        page = browser.new_page(viewport={"width": width, "height": 900}, locale="ar")
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(live_server.url + article.get_absolute_url())
        page.wait_for_load_state("networkidle")
        hero = hero_image(page)
        assert "/media/renditions/" in hero["current"], hero
        assert hero["current"].endswith(EXPECTED[width]), hero
        assert hero["complete"] and hero["natural"] > 0

        page.goto(live_server.url + with_video.get_absolute_url())
        page.wait_for_load_state("networkidle")
        player = page.locator("figure.video-player")
        assert player.count() == 1
        if with_video.video.file:
            poster = page.locator("video").get_attribute("poster")
            assert "/media/renditions/" in poster
            assert page.locator("video track[kind=captions]").count() == 1
        else:
            assert page.locator(".video-note").is_visible()
        # The player fills the article column, as the hero picture does.
        box, column = player.bounding_box(), page.locator("article.article").bounding_box()
        assert box is not None and column is not None
        assert abs(box["width"] - column["width"]) < 2 and box["height"] > box["width"] / 2
        shoot(page, f"video-article-{name}.png")

        page.goto(live_server.url + "/videos/")
        page.wait_for_load_state("networkidle")
        assert page.locator(".video-card").count() == Article.objects.exclude(video=None).count()
        shoot(page, f"videos-{name}.png")
        page.close()
    assert errors == []
