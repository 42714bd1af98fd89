"""A reader walks home → story → article in Debian's chromium; screenshots are kept to look at."""

from __future__ import annotations

import pytest

from khabar.newsroom.demo.loader import load_demo
from khabar.newsroom.models import Story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_story_article_walk(live_server, browser, shoot, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    load_demo()
    errors: list[str] = []
    for width, name in [(1366, "desktop"), (390, "phone")]:
        page = browser.new_page(viewport={"width": width, "height": 900}, locale="ar")
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(live_server.url + "/")
        assert page.locator("html").get_attribute("dir") == "rtl"
        shoot(page, f"home-{name}.png")

        strip_link = page.locator(".strip-list a").first
        story_title = strip_link.locator(".strip-name").inner_text().strip()
        strip_link.click()
        page.wait_for_load_state()
        assert page.locator(".page-head h1").inner_text().strip() == story_title
        story = Story.objects.get(title=story_title)
        assert page.locator(".timeline-item").count() == story.articles.count()
        shoot(page, f"story-{name}.png")

        first = page.locator(".timeline-item .card-title a").first
        headline = first.inner_text().strip()
        first.click()
        page.wait_for_load_state()
        assert page.locator("h1.headline").inner_text().strip() == headline
        assert page.locator("figure.hero .credit").inner_text().strip()
        assert page.locator(".source-line").inner_text().startswith("المصدر")
        # Right to left for real: the headline's right edge sits near the page's right edge.
        box = page.locator("h1.headline").bounding_box()
        assert box is not None and box["x"] + box["width"] > width * 0.5
        shoot(page, f"article-{name}.png")

        # Search from the header: the matched words are marked in the snippets.
        page.fill("#header-q", story_title.split()[0])
        page.press("#header-q", "Enter")
        page.wait_for_load_state()
        assert page.locator(".search-hit").count() >= 1
        assert page.locator(".search-hit mark").count() >= 1
        shoot(page, f"search-{name}.png")
        page.close()
    assert errors == []


def test_every_page_type_opens_by_its_links(
    live_server, browser, shoot, settings, tmp_path
) -> None:
    """From an article, a reader reaches the section, tag, author, agency, videos and live pages."""
    from khabar.newsroom.models import Article

    settings.MEDIA_ROOT = tmp_path
    load_demo()
    published = Article.objects.published().exclude(section=None).order_by("-published_at")
    # Signed articles and wire copies are different articles: each link starts from one that has it.
    starts = {
        "author": published.filter(authors__isnull=False).first(),
        "agency": published.filter(agencies__isnull=False).first(),
        "any": published.filter(entities__isnull=False).first(),
    }
    assert all(starts.values()), "the demo has signed, wire and tagged articles"
    errors: list[str] = []
    links = {
        "section": ".crumbs a[href^='/section/']",
        "tag": ".tags a",
        "author": ".byline a[rel=author]",
        "agency": ".source-line a[href^='/agency/']",
        "videos": "nav.sections a.nav-videos",
        "live": "a.live",
    }
    for width, name in [(1366, "desktop"), (390, "phone")]:
        page = browser.new_page(viewport={"width": width, "height": 900}, locale="ar")
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        for kind, selector in links.items():
            article = starts.get(kind) or starts["any"]
            page.goto(live_server.url + article.get_absolute_url())
            # Every picture of the article names whose it is.
            for figure in page.locator("article figure").all():
                assert figure.locator(".credit").count() == 1
            if kind == "videos" and width < 600:
                # The phone's section bar scrolls sideways; follow the link's address instead.
                page.goto(live_server.url + page.locator(selector).get_attribute("href"))
            else:
                page.locator(selector).first.click()
                page.wait_for_load_state()
            assert page.locator("html").get_attribute("dir") == "rtl", kind
            assert page.locator("main h1").count() >= 1, kind
            shoot(page, f"{kind}-{name}.png")
        response = page.goto(live_server.url + "/no-such-page/")
        assert response is not None and response.status == 404
        assert "الصفحة" in page.locator("main").inner_text()
        shoot(page, f"not-found-{name}.png")
        page.close()
    # The 404 page's own status line is the one console error a browser reports for it.
    assert [e for e in errors if "404" not in e] == []
