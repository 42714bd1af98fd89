"""Author and agency pages, and the byline and source line that link to them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import html as lxml_html

from khabar.newsroom.demo.loader import load_demo
from khabar.newsroom.demo.people import AUTHORS
from khabar.newsroom.models import Agency, Article, Author, Comment, Section
from khabar.site.people import Segment, link_names

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    load_demo()


def page(client: Client, url: str) -> lxml_html.HtmlElement:
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml_html.fromstring(response.content.decode())


def texts(doc: lxml_html.HtmlElement, css: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in doc.cssselect(css)]


def make_articles(n: int, **links: object) -> list[Article]:
    """n published articles, newest first, each tied to the given authors/agencies."""
    section, _ = Section.objects.get_or_create(slug="s", defaults={"name": "قسم"})
    now = timezone.now()
    made = []
    for i in range(n):
        a = Article.objects.create(
            title=f"خبر رقم {i}",
            status=Article.Status.PUBLISHED,
            section=section,
            published_at=now - timedelta(minutes=i + 1),
        )
        for field, items in links.items():
            getattr(a, field).set(items)
        made.append(a)
    return made


def test_author_page_shows_name_bio_count_and_articles(client: Client, demo: None) -> None:
    author = Author.objects.get(name="وليد القاسم")
    doc = page(client, author.get_absolute_url())
    assert texts(doc, ".page-head h1") == ["وليد القاسم"]
    assert texts(doc, ".person-bio") == [author.bio]
    assert texts(doc, ".page-head .meta") == ["3 أخبار"]
    titles = texts(doc, ".card-title")
    expected = list(author.articles.order_by("-published_at").values_list("title", flat=True))
    assert titles == expected


def test_author_page_is_paginated_like_a_section(client: Client) -> None:
    author = Author.objects.create(name="كاتبة تجريبية", bio="")
    make_articles(23, authors=[author])
    first = page(client, author.get_absolute_url())
    assert len(first.cssselect(".card")) == 20
    assert texts(first, ".page-head .meta") == ["23 خبرًا"]
    assert first.cssselect('.pagination a[rel="next"]')
    second = page(client, author.get_absolute_url() + "?page=2")
    assert len(second.cssselect(".card")) == 3
    assert second.cssselect('.pagination a[rel="prev"]')


def test_author_page_queries_do_not_grow_with_articles(client: Client, settings) -> None:
    few, many = Author.objects.create(name="أ"), Author.objects.create(name="ب")
    make_articles(2, authors=[few])
    make_articles(20, authors=[many])
    # A session cookie keeps the page cache out of the way: every request renders the page.
    client.cookies[settings.SESSION_COOKIE_NAME] = "reader"
    client.get(few.get_absolute_url())  # the first request of a process loads a few things once
    with CaptureQueriesContext(connection) as small:
        client.get(few.get_absolute_url())
    with CaptureQueriesContext(connection) as big:
        client.get(many.get_absolute_url())
    assert len(big) == len(small), "\n".join(q["sql"][:150] for q in big.captured_queries)


def test_unknown_author_and_agency_are_404(client: Client) -> None:
    assert client.get("/author/لا-أحد/").status_code == 404
    assert client.get("/agency/no-such-agency/").status_code == 404


def test_agency_page_shows_name_site_count_and_articles(client: Client) -> None:
    agency = Agency.objects.create(
        name="وكالة الشمال",
        slug="north",
        aliases=["North Wire", "وكالة الشمال"],
        url="https://north.example",
    )
    make_articles(2, agencies=[agency])
    make_articles(1)  # not from this agency
    doc = page(client, "/agency/north/")
    assert texts(doc, ".page-head h1") == ["وكالة الشمال"]
    assert texts(doc, ".page-head .meta") == ["خبران"]
    assert [a.get("href") for a in doc.cssselect(".agency-site a")] == ["https://north.example"]
    assert texts(doc, ".person-bio") == ["تُعرف أيضًا باسم: North Wire"]
    assert len(doc.cssselect(".card")) == 2


def test_article_byline_links_each_author_and_keeps_its_words(client: Client) -> None:
    (article,) = make_articles(1)
    a1 = Author.objects.create(name="سامر الحلبي")
    a2 = Author.objects.create(name="لينا يوسف")
    article.byline = "كتب: سامر الحلبي"
    article.save()
    article.authors.set([a1, a2])
    doc = page(client, article.get_absolute_url())
    (byline,) = doc.cssselect(".byline")
    assert " ".join(byline.text_content().split()) == "كتب: سامر الحلبي، لينا يوسف"
    links = [(a.text_content(), a.get("href")) for a in byline.cssselect("a")]
    assert links == [("سامر الحلبي", a1.get_absolute_url()), ("لينا يوسف", a2.get_absolute_url())]


def test_article_without_authors_keeps_the_plain_byline(client: Client) -> None:
    (article,) = make_articles(1)
    article.byline = "كتبت: مراسلة خاصة"
    article.save()
    doc = page(client, article.get_absolute_url())
    assert texts(doc, ".byline") == ["كتبت: مراسلة خاصة"]
    assert not doc.cssselect(".byline a")


def test_source_line_links_each_agency(client: Client, demo: None) -> None:
    article = Article.objects.get(source_id="demo:amman-water-declaration-signed")
    doc = page(client, article.get_absolute_url())
    (line,) = doc.cssselect(".source-line")
    assert " ".join(line.text_content().split()).startswith('المصدر: "')
    hrefs = sorted(a.get("href") for a in line.cssselect("a"))
    assert hrefs == sorted(f"/agency/{a.slug}/" for a in article.agencies.all())
    for href in hrefs:
        assert client.get(href).status_code == 200


def test_written_source_line_links_agency_names_and_aliases(client: Client) -> None:
    agency = Agency.objects.create(name="فرانس برس", slug="afp", aliases=["أ ف ب"])
    (article,) = make_articles(1, agencies=[agency])
    article.source_line = "المصدر: أ ف ب + مراسلنا"
    article.save()
    doc = page(client, article.get_absolute_url())
    (line,) = doc.cssselect(".source-line")
    assert " ".join(line.text_content().split()) == "المصدر: أ ف ب + مراسلنا"
    assert [(a.text_content(), a.get("href")) for a in line.cssselect("a")] == [
        ("أ ف ب", "/agency/afp/")
    ]


def test_demo_bylines_link_to_authors(client: Client, demo: None) -> None:
    article = Article.objects.filter(byline__contains="نادية الرحماني").first()
    assert article is not None
    doc = page(client, article.get_absolute_url())
    (link,) = doc.cssselect(".byline a")
    assert link.text_content() == "نادية الرحماني"
    assert page(client, link.get("href")).cssselect(".page-head h1")


def test_link_names_prefers_longest_and_whole_words() -> None:
    targets = [(["بترا", "وكالة الأنباء الأردنية (بترا)"], "/p/"), (["وكالات"], "/w/")]
    parts = link_names("المصدر: وكالة الأنباء الأردنية (بترا) + الوكالات", targets)
    assert parts == [
        Segment("المصدر: "),
        Segment("وكالة الأنباء الأردنية (بترا)", "/p/"),
        Segment(" + الوكالات"),
    ]
    assert link_names("", targets) == []
    assert link_names("نص بلا أسماء", []) == [Segment("نص بلا أسماء")]


def test_demo_has_authors_comments_and_nothing_in_the_future(demo: None) -> None:
    assert Author.objects.count() >= 10
    for name in AUTHORS:
        bylined = Article.objects.filter(byline__contains=name)
        assert bylined.exists(), name
        assert all(a.authors.filter(name=name).exists() for a in bylined), name
    approved = Comment.objects.filter(status=Comment.Status.APPROVED)
    assert approved.count() >= 5
    assert Comment.objects.exclude(status=Comment.Status.APPROVED).exists()
    assert not Comment.objects.filter(created_at__gt=timezone.now()).exists()
    for c in approved.select_related("article"):
        assert c.created_at >= c.article.published_at
