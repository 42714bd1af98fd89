"""Names, numbers and Latin credits are isolated (bdi / dir=auto), so mixed Arabic and Latin text
keeps its order on a right-to-left page."""

from __future__ import annotations

import pytest
from django.test import Client
from lxml import html as lxml_html

from khabar.newsroom.demo.loader import load_demo
from khabar.newsroom.models import Article

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    load_demo()


def isolated(element: lxml_html.HtmlElement) -> bool:
    """True when the element's text is a bidi isolate: a <bdi>, or dir="auto" on it or inside."""
    if element.tag == "bdi" or element.get("dir") == "auto":
        return True
    return bool(element.cssselect("bdi, [dir=auto]"))


def test_article_isolates_names_dates_and_credits(client: Client, demo: None) -> None:
    article = (
        Article.objects.published()
        .filter(entities__isnull=False, agencies__isnull=False, hero__isnull=False)
        .distinct()
        .first()
    )
    assert article is not None
    doc = lxml_html.fromstring(client.get(article.get_absolute_url()).content.decode())
    names = [
        *doc.cssselect(".byline"),
        *doc.cssselect(".source-line a"),
        *doc.cssselect(".tags a"),
        *doc.cssselect("figure.hero .credit"),
        *doc.cssselect(".byline-row time, .story-box .count, .card time"),
    ]
    assert len(doc.cssselect(".tags a")) == article.entities.count()
    assert doc.cssselect(".source-line a") and doc.cssselect(".byline-row time")
    assert [e.text_content() for e in names if not isolated(e)] == []


def test_home_cards_isolate_their_times(client: Client, demo: None) -> None:
    doc = lxml_html.fromstring(client.get("/").content.decode())
    times = doc.cssselect(".card time")
    assert times
    assert all(t.get("dir") == "auto" for t in times)
