"""The {% card %} tag: the card HTML a page of articles repeats, escaped like a template."""

from __future__ import annotations

from datetime import UTC, datetime

import lxml.html
import pytest
from django.template import Context, Template

from khabar.newsroom.models import Article, Section, Story

pytestmark = pytest.mark.django_db


def render(article: Article, args: str = "") -> lxml.html.HtmlElement:
    html = Template("{% load cards %}{% card a " + args + " %}").render(Context({"a": article}))
    return lxml.html.fragment_fromstring(html)


def make(**fields: object) -> Article:
    section = Section.objects.create(name="سياسة <b>", slug="politics")
    story = Story.objects.create(title='قمة "المياه"', slug="قمة-المياه")
    return Article.objects.create(
        title="<script>alert(1)</script> & عنوان",
        slug="خبر",
        lead="مقدمة <i>الخبر</i>",
        status=Article.Status.PUBLISHED,
        published_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        section=section,
        story=story,
        **fields,
    )


def test_card_escapes_every_value_and_links_the_article() -> None:
    article = make()
    card = render(article, "big=True")
    assert card.get("class") == "card card-big"
    title = card.cssselect(".card-title a")[0]
    assert title.text == "<script>alert(1)</script> & عنوان"  # text, not markup
    assert title.get("href") == article.get_absolute_url()
    kicker = card.cssselect(".kicker")[0]
    assert (kicker.text, kicker.get("href")) == ('قمة "المياه"', article.story.get_absolute_url())
    assert card.cssselect(".card-lead")[0].text == "مقدمة <i>الخبر</i>"
    # The template's date:'c' in the site's time zone (Asia/Riyadh by default).
    assert card.cssselect("time")[0].get("datetime") == "2026-01-02T06:04:05+03:00"
    assert not card.cssselect(".card-media")  # no picture, no empty link


def test_card_without_its_story_shows_the_section_and_small_cards_no_lead() -> None:
    article = make()
    card = render(article, "show_story=False")
    kicker = card.cssselect(".kicker")[0]
    assert (kicker.text, kicker.get("href")) == ("سياسة <b>", article.section.get_absolute_url())
    assert card.get("class") == "card"
    assert not card.cssselect(".card-lead")
