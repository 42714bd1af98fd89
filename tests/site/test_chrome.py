"""The header and footer every reader page wears, and what they cost."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from khabar.arabic.dates import format_date, weekday_name
from khabar.newsroom.models import Article, Section, Story
from khabar.site.context import site_chrome, site_menu, strip_stories
from khabar.site.models import Channel

pytestmark = pytest.mark.django_db


def header_and_footer(client: Client) -> tuple[lxml_html.HtmlElement, lxml_html.HtmlElement]:
    response = client.get("/")
    assert response.status_code == 200
    doc = lxml_html.fromstring(response.content.decode())
    (header,) = doc.cssselect("header.site-header")
    (footer,) = doc.cssselect("footer.site-footer")
    return header, footer


def texts(el: lxml_html.HtmlElement, css: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in el.cssselect(css)]


@pytest.fixture
def site() -> None:
    """Sections (two important), channels and stories with published articles."""
    for i, (slug, name, important) in enumerate(
        [("politics", "سياسة", True), ("economy", "اقتصاد", True), ("culture", "ثقافة", False)]
    ):
        Section.objects.create(slug=slug, name=name, order=i, important=important)
    Channel.objects.create(name="تلغرام", url="https://t.me/example_news", order=2)
    Channel.objects.create(name="فيسبوك", url="https://www.facebook.com/example.news", order=1)
    now = timezone.now()
    for s, n in [("قصة كبيرة", 22), ("قصة صغيرة", 2)]:
        story = Story.objects.create(title=s, slug=s.replace(" ", "-"))
        for i in range(n):
            Article.objects.create(
                title=f"{s} {i}",
                status=Article.Status.PUBLISHED,
                story=story,
                published_at=now - timedelta(minutes=i + 1),
            )


def test_header_has_name_date_live_follow_important_and_strip(client: Client, site: None) -> None:
    header, _ = header_and_footer(client)
    assert texts(header, ".brand-mark")
    today = timezone.localdate()
    assert texts(header, ".date-line") == [f"{weekday_name(today)} {format_date(today)}"]
    assert texts(header, ".live") == ["مباشر"]
    assert texts(header, ".important a") == ["سياسة", "اقتصاد"]
    assert texts(header, ".sections-inner a")[:4] == ["الرئيسية", "سياسة", "اقتصاد", "ثقافة"]
    strip = dict(
        zip(texts(header, ".strip-name"), texts(header, ".strip-list .count"), strict=True)
    )
    assert strip == {"قصة كبيرة": "22 خبرًا", "قصة صغيرة": "خبران"}


def test_follow_us_lists_channels_and_the_sites_own_feeds(client: Client, site: None) -> None:
    header, _ = header_and_footer(client)
    (follow,) = header.cssselect('nav[aria-label="أين يمكنك متابعتنا"]')
    links = follow.cssselect("a")
    channels = [(a.get("href"), a.get("aria-label")) for a in links if "feed-link" not in a.classes]
    assert channels == [
        ("https://www.facebook.com/example.news", "خبر على فيسبوك"),
        ("https://t.me/example_news", "خبر على تلغرام"),
    ]
    feeds = [a for a in links if "feed-link" in a.classes]
    assert [a.get("href") for a in feeds] == ["/feed/rss/", "/feed/atom/", "/feed/json/"]
    for a in links:
        # Every link has a name a screen reader can say, which contains what is shown.
        name = a.get("aria-label") or a.text_content()
        assert a.text_content().strip() and a.text_content().strip() in name
    for a in feeds:
        assert client.get(a.get("href")).status_code == 200


def test_header_and_footer_link_the_videos_page(client: Client, site: None) -> None:
    header, footer = header_and_footer(client)
    url = reverse("site:videos")
    assert [a.get("href") for a in header.cssselect(".nav-videos")] == [url]
    assert texts(header, ".nav-videos") == ["فيديو"]
    assert url in [a.get("href") for a in footer.cssselect("a")]


def test_footer_has_sections_channels_feeds_and_sitemaps(client: Client, site: None) -> None:
    _, footer = header_and_footer(client)
    hrefs = [a.get("href") for a in footer.cssselect("a")]
    for slug in ["politics", "economy", "culture"]:
        assert f"/section/{slug}/" in hrefs
    for url in ["/feed/rss/", "/feed/atom/", "/feed/json/", "/sitemap.xml", "/sitemap-news.xml"]:
        assert url in hrefs
        assert client.get(url).status_code == 200, url
    assert "https://t.me/example_news" in hrefs
    headings = texts(footer, "h2")
    assert headings == ["الأقسام", "تابعنا", "الخلاصات وخريطة الموقع"]


def test_chrome_costs_a_few_queries_once_per_generation_however_big_the_site(site: None) -> None:
    request = RequestFactory().get("/")
    with CaptureQueriesContext(connection) as small:
        site_chrome(request)
    for i in range(10):
        Section.objects.create(slug=f"s{i}", name=f"قسم {i}", important=i % 2 == 0)
        Channel.objects.create(name=f"قناة {i}", url=f"https://example.org/{i}")
        story = Story.objects.create(title=f"قصة {i}", slug=f"story-{i}")
        Article.objects.create(
            title=f"خبر {i}",
            status=Article.Status.PUBLISHED,
            story=story,
            published_at=timezone.now() - timedelta(minutes=1),
        )
    with CaptureQueriesContext(connection) as big:
        chrome = site_chrome(request)
    # Menu, strip (two), live link, and the next scheduled publish that bounds the memo's life.
    assert len(small) <= 5, [q["sql"] for q in small.captured_queries]
    assert len(big) == len(small)
    # Until something is saved again, the chrome costs nothing.
    with CaptureQueriesContext(connection) as warm:
        assert site_chrome(request)["strip_stories"] == chrome["strip_stories"]
    assert len(warm) == 0
    assert len(chrome["nav_sections"]) == 13 and len(chrome["channels"]) == 12
    assert len(chrome["strip_stories"]) == 6


def test_menu_is_one_query_and_keeps_each_tables_order() -> None:
    Section.objects.create(slug="b", name="ب", order=2, important=True)
    Section.objects.create(slug="a", name="أ", order=1)
    Channel.objects.create(name="يوتيوب", url="https://www.youtube.com/@x", icon="youtube", order=5)
    Channel.objects.create(name="إكس", url="https://x.com/x", order=0)
    with CaptureQueriesContext(connection) as queries:
        menu = site_menu()
    assert len(queries) == 1
    assert [(s.slug, s.name, s.important) for s in menu.sections] == [
        ("a", "أ", False),
        ("b", "ب", True),
    ]
    assert [(c.name, c.url, c.icon) for c in menu.channels] == [
        ("إكس", "https://x.com/x", ""),
        ("يوتيوب", "https://www.youtube.com/@x", "youtube"),
    ]
    assert menu.sections[1].get_absolute_url() == "/section/b/"


def test_admin_pages_get_no_chrome() -> None:
    assert site_chrome(RequestFactory().get("/admin/")) == {}


def test_every_reader_page_wears_the_chrome(client: Client, site: None) -> None:
    article = Article.objects.first()
    for url in ["/", "/section/politics/", article.get_absolute_url(), "/search/?q=قصة"]:
        doc = lxml_html.fromstring(client.get(url).content.decode())
        assert doc.cssselect(".date-line") and doc.cssselect(".footer-cols"), url
        assert re.search(r"\d{4}", doc.cssselect(".date-line")[0].text_content())


def test_strip_ranks_pinned_first_then_the_newest_stories() -> None:
    now = timezone.now()
    stories = {}
    for title, minutes_ago, pinned in [("قديمة مثبتة", 900, True), ("حديثة", 5, False)]:
        story = Story.objects.create(title=title, slug=title.replace(" ", "-"), pinned=pinned)
        Article.objects.create(
            title=f"خبر {title}",
            status=Article.Status.PUBLISHED,
            story=story,
            published_at=now - timedelta(minutes=minutes_ago),
        )
        stories[title] = story
    middle = Story.objects.create(title="وسطى", slug="middle")
    for i in range(3):
        Article.objects.create(
            title=f"وسطى {i}",
            status=Article.Status.PUBLISHED,
            story=middle,
            published_at=now - timedelta(minutes=60 + i),
        )
    Story.objects.create(title="بلا أخبار", slug="empty")
    with CaptureQueriesContext(connection) as queries:
        strip = strip_stories(6)
    assert len(queries) <= 2
    assert [(s.title, s.n_articles) for s in strip] == [
        ("قديمة مثبتة", 1),
        ("حديثة", 1),
        ("وسطى", 3),
    ]
    assert strip_stories(2) == strip[:2]


def test_the_menu_marks_the_current_page_and_only_it(client: Client, site: None) -> None:
    # The header is written once per generation for each current entry: one page's mark must
    # not show on another (pages in an order that reuses each kept header).
    def current(path: str) -> list[str]:
        response = client.get(path)
        assert response.status_code == 200
        doc = lxml_html.fromstring(response.content.decode())
        return texts(doc, 'nav.sections a[aria-current="page"]')

    article = Article.objects.filter(status=Article.Status.PUBLISHED).first()
    assert article is not None
    for _ in range(2):
        assert current("/") == ["الرئيسية"]
        assert current("/section/politics/") == ["سياسة"]
        assert current(reverse("site:videos")) == ["فيديو"]
        assert current("/section/economy/") == ["اقتصاد"]
        assert current(article.get_absolute_url()) == []
