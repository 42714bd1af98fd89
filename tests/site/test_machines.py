"""Feeds, sitemaps, robots.txt and structured data: what machines read, parsed back."""

from __future__ import annotations

import json
from datetime import timedelta

import feedparser
import pytest
from django.test import Client
from django.utils import timezone
from lxml import etree
from lxml import html as lxml_html

from khabar.newsroom.demo.loader import load_demo
from khabar.newsroom.models import Article, Entity, Section, Story

pytestmark = pytest.mark.django_db
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture
def demo(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    load_demo()


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_site_feeds_parse_back_with_feedparser(client: Client, demo: None, fmt: str) -> None:
    response = client.get(f"/feed/{fmt}/")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    newest = Article.objects.published().order_by("-published_at")[:30]
    assert [e.title for e in feed.entries] == [a.title for a in newest]
    assert feed.feed.get("language", "ar").startswith("ar") or fmt == "atom"


def test_json_feed_lists_latest_articles(client: Client, demo: None) -> None:
    data = json.loads(client.get("/feed/json/").content)
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    newest = Article.objects.published().order_by("-published_at").first()
    assert newest is not None
    assert data["items"][0]["title"] == newest.title
    assert data["items"][0]["url"].endswith(newest.get_absolute_url())


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_section_story_and_tag_feeds_hold_only_their_articles(
    client: Client, demo: None, fmt: str
) -> None:
    section = Section.objects.first()
    story = Story.objects.filter(articles__isnull=False).first()
    entity = Entity.objects.filter(articles__isnull=False).first()
    assert section and story and entity
    cases = [
        (f"/section/{section.slug}/{fmt}/", Article.objects.published().filter(section=section)),
        (f"/story/{story.slug}/{fmt}/", Article.objects.published().filter(story=story)),
        (
            f"/tag/{entity.kind}/{entity.slug}/{fmt}/",
            Article.objects.published().filter(entities=entity),
        ),
    ]
    for url, expected in cases:
        response = client.get(url)
        assert response.status_code == 200, url
        if fmt == "json":
            titles = {i["title"] for i in json.loads(response.content)["items"]}
        else:
            titles = {e.title for e in feedparser.parse(response.content).entries}
        assert titles == set(expected.values_list("title", flat=True)), url


def test_news_sitemap_has_only_the_last_two_days(client: Client, demo: None) -> None:
    old = Article.objects.published().order_by("published_at").first()
    assert old is not None
    Article.objects.filter(pk=old.pk).update(published_at=timezone.now() - timedelta(days=5))
    root = etree.fromstring(client.get("/sitemap-news.xml").content)
    titles = [u.find(f"{NEWS}news/{NEWS}title").text for u in root.iter(f"{SM}url")]
    recent = Article.objects.published().filter(
        published_at__gte=timezone.now() - timedelta(days=2)
    )
    assert sorted(titles) == sorted(recent.values_list("title", flat=True))
    assert old.title not in titles


def test_sitemap_index_points_to_archive_sitemaps(client: Client, demo: None) -> None:
    root = etree.fromstring(client.get("/sitemap.xml").content)
    locs = [e.text for e in root.iter(f"{SM}loc")]
    assert any("sitemap-articles.xml" in loc for loc in locs)
    articles = etree.fromstring(client.get("/sitemap-articles.xml").content)
    assert len(list(articles.iter(f"{SM}url"))) == Article.objects.published().count()


def test_robots_txt_names_the_sitemaps_and_hides_the_newsroom(client: Client) -> None:
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in text
    assert "sitemap.xml" in text and "sitemap-news.xml" in text


def test_article_has_news_article_json_ld_and_open_graph(client: Client, demo: None) -> None:
    article = Article.objects.published().filter(hero__isnull=False).first()
    assert article is not None
    doc = lxml_html.fromstring(client.get(article.get_absolute_url()).content.decode())
    data = json.loads(doc.cssselect('script[type="application/ld+json"]')[0].text)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == article.title[:110]
    assert data["image"][0]["creditText"] == article.hero.credit
    og = {m.get("property"): m.get("content") for m in doc.cssselect("meta[property]")}
    assert og["og:title"] == article.title
    assert og["og:image"].startswith("http")
    assert (
        doc.cssselect('link[rel="canonical"]')[0].get("href").endswith(article.get_absolute_url())
    )


def test_json_ld_cannot_break_out_of_its_script(client: Client) -> None:
    article = Article.objects.create(
        title="عنوان فيه </script><script>alert(1)</script>",
        lead="مقدمة",
        status=Article.Status.PUBLISHED,
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html


def test_every_listing_page_names_one_canonical_address(client: Client, demo: None) -> None:

    section = Section.objects.first()
    article = Article.objects.published().first()
    assert section is not None and article is not None
    cases = {
        "/": "http://testserver/",
        f"{section.get_absolute_url()}?page=2&utm_source=x": (
            f"http://testserver{section.get_absolute_url()}?page=2"
        ),
        f"{section.get_absolute_url()}?page=1": f"http://testserver{section.get_absolute_url()}",
        article.get_absolute_url() + "?utm_medium=social": (
            f"http://testserver{article.get_absolute_url()}"
        ),
    }
    for url, expected in cases.items():
        doc = lxml_html.fromstring(client.get(url).content)
        assert doc.xpath("//link[@rel='canonical']/@href") == [expected], url
        assert doc.xpath("//meta[@property='og:url']/@content") == [expected], url
