"""The reader pages show what an Arabic news site shows, right to left."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from lxml import html as lxml_html

from khabar.newsroom.demo.loader import load_demo
from khabar.newsroom.models import Agency, Article, Block, Media, Section, Story

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    load_demo()


def page(client: Client, url: str) -> lxml_html.HtmlElement:
    response = client.get(url)
    assert response.status_code == 200, url
    doc = lxml_html.fromstring(response.content.decode())
    assert doc.get("lang") == "ar" and doc.get("dir") == "rtl"
    return doc


def text(doc: lxml_html.HtmlElement, css: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in doc.cssselect(css)]


def test_home_has_top_story_latest_strip_and_sections(client: Client, demo: None) -> None:
    doc = page(client, "/")
    featured = Article.objects.get(featured=True)
    assert text(doc, ".top-story .card-title") == [featured.title]
    assert len(doc.cssselect(".latest .headline-list li")) >= 10
    strip = text(doc, ".strip-list li")
    assert len(strip) >= 6
    assert all(re.search(r"(خبر|خبران|أخبار|خبرًا)", s) for s in strip)
    assert text(doc, ".live") == ["مباشر"]
    assert doc.cssselect('nav[aria-label="أين يمكنك متابعتنا"] a')
    assert len(doc.cssselect(".section-block")) >= 5


def test_article_page_is_laid_out_like_a_news_article(client: Client, demo: None) -> None:
    article = (
        Article.objects.filter(
            blocks__kind="subheading", hero__isnull=False, agencies__isnull=False
        )
        .distinct()
        .first()
    )
    assert article is not None
    doc = page(client, article.get_absolute_url())
    assert text(doc, "h1.headline") == [article.title]
    assert text(doc, "p.lead") == [" ".join(article.lead.split())]
    assert text(doc, "figure.hero .credit") == [article.hero.credit]
    subheads = [b.text for b in article.blocks.all() if b.kind == "subheading"]
    assert text(doc, ".article-body h2") == [" ".join(s.split()) for s in subheads]
    source = text(doc, ".source-line")
    assert source and source[0].startswith("المصدر")
    for agency in article.agencies.all():
        assert agency.name in source[0] or article.source_line
    assert text(doc, "#comments-title")[0].startswith("التعليقات")
    assert len(doc.cssselect(".others li")) >= 5
    assert article.title not in text(doc, ".others li")


def test_story_page_counts_and_lists_its_articles(client: Client, demo: None) -> None:
    story = Story.objects.filter(articles__isnull=False).distinct().first()
    assert story is not None
    n = story.articles.count()
    doc = page(client, story.get_absolute_url())
    assert text(doc, ".page-head h1") == [story.title]
    assert len(doc.cssselect(".timeline-item")) == min(n, 20)
    assert str(n) in text(doc, ".story-head .count")[0] or n <= 2


def test_section_page_lists_only_its_section(client: Client, demo: None) -> None:
    section = Section.objects.first()
    assert section is not None
    doc = page(client, section.get_absolute_url())
    titles = set(text(doc, ".card-title"))
    expected = set(
        Article.objects.published().filter(section=section).values_list("title", flat=True)
    )
    assert titles == {" ".join(t.split()) for t in expected}


def test_article_with_wrong_slug_redirects_to_the_canonical_address(
    client: Client, demo: None
) -> None:
    article = Article.objects.published().first()
    assert article is not None
    response = client.get(f"/article/{article.pk}/wrong-slug/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_drafts_and_future_articles_are_not_shown(client: Client) -> None:
    section = Section.objects.create(name="سياسة", slug="politics")
    draft = Article.objects.create(title="مسودة لم تنشر", section=section)
    future = Article.objects.create(
        title="خبر مجدول للغد",
        section=section,
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() + timedelta(days=1),
    )
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(future.get_absolute_url()).status_code == 404
    assert "مسودة لم تنشر" not in client.get("/").content.decode()


def test_source_line_is_built_from_agencies_when_absent(client: Client) -> None:
    article = Article.objects.create(
        title="خبر من وكالتين", status=Article.Status.PUBLISHED, lead="مقدمة قصيرة للخبر."
    )
    Block.objects.create(article=article, position=0, text="فقرة أولى من نص الخبر.")
    article.agencies.set(
        [
            Agency.objects.create(name="رويترز", slug="reuters"),
            Agency.objects.create(name="أ ف ب", slug="afp"),
        ]
    )
    article.hero = Media.objects.create(url="https://example.org/a.jpg", credit="AP")
    article.save()
    doc = page(client, article.get_absolute_url())
    line = text(doc, ".source-line")[0]
    assert line.startswith("المصدر:") and "رويترز" in line and "أ ف ب" in line
    assert text(doc, "figure.hero .credit") == ["AP"]
