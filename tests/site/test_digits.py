"""KHABAR_DIGITS: every date, time, count and page number the site writes uses one set of digits."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.template import Context, Template
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from khabar.arabic.numbers import localize_digits
from khabar.newsroom.demo.loader import load_demo
from khabar.newsroom.models import Agency, Article, Author, Entity, LiveEvent, Section, Story
from khabar.site import views
from khabar.site.people import agency_url
from khabar.site.templatetags.khabar import ago, digits, news_count, news_date, news_time

WESTERN = re.compile(r"[0-9]")
ARABIC_INDIC = re.compile(r"[\u0660-\u0669]")
OTHER = {"arabic": WESTERN, "western": ARABIC_INDIC}
OWN = {"arabic": ARABIC_INDIC, "western": WESTERN}
# What the site itself writes as numbers: dates and times, counts, page numbers.
WRITTEN_NUMBERS = "time, .count, .meta, .pagination span, .updated, .rank, .duration-badge"


@pytest.fixture
def demo(db: None, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    load_demo()


def written_numbers(client: Client, url: str) -> list[str]:
    """The visible text of every element on `url` that holds a number the site wrote."""
    # A cached page would show the digits of the setting it was rendered under.
    cache.clear()
    response = client.get(url)
    assert response.status_code == 200, url
    doc = lxml_html.fromstring(response.content.decode())
    found = [" ".join(e.text_content().split()) for e in doc.cssselect(WRITTEN_NUMBERS)]
    # Machines read the datetime attribute (a date, a moment or a duration in ISO 8601): it keeps
    # ASCII digits whatever readers see.
    for stamp in doc.cssselect("time[datetime]"):
        assert re.fullmatch(r"[0-9A-Z:.+\-]+", stamp.get("datetime")), url
    return [t for t in found if t]


def leaks(texts: list[str], setting: str) -> list[str]:
    """The texts that show digits of the other script, or a note if no number was written."""
    leaked = [t for t in texts if OTHER[setting].search(t)]
    # Not vacuous: the page did write numbers, in the digits asked for.
    if not any(OWN[setting].search(t) for t in texts):
        leaked.append("(no number written at all)")
    return leaked


def page_urls() -> list[str]:
    """One address of every page type that writes dates, counts or page numbers."""
    article = Article.objects.filter(story__isnull=False, updated_at__isnull=False).first()
    article = article or Article.objects.filter(story__isnull=False).first()
    section = Section.objects.filter(articles__isnull=False).first()
    story = Story.objects.filter(articles__isnull=False).first()
    entity = Entity.objects.filter(articles__isnull=False).first()
    author = Author.objects.filter(articles__isnull=False).first()
    agency = Agency.objects.filter(articles__isnull=False).first()
    live = LiveEvent.objects.first()
    assert article and section and story and entity and author and agency and live
    return [
        "/",
        article.get_absolute_url(),
        section.get_absolute_url(),
        section.get_absolute_url() + "?page=2",
        story.get_absolute_url(),
        reverse("site:tag", args=[entity.kind, entity.slug]),
        author.get_absolute_url(),
        agency_url(agency),
        f"/search/?q={story.title.split()[0]}",
        reverse("site:videos"),
        reverse("site:live-index"),
        live.get_absolute_url(),
    ]


@pytest.mark.parametrize("setting", ["arabic", "western"])
def test_pages_write_dates_and_counts_in_the_chosen_digits(
    client: Client, demo: None, monkeypatch: pytest.MonkeyPatch, setting: str
) -> None:
    # Small pages, so the section and story pages have page numbers to write.
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    section = Section.objects.filter(articles__isnull=False).first()
    assert section is not None
    found: dict[str, list[str]] = {}
    with override_settings(KHABAR_DIGITS=setting):
        for url in page_urls():
            leaked = leaks(written_numbers(client, url), setting)
            if leaked:
                found[url] = leaked
        paging = written_numbers(client, section.get_absolute_url() + "?page=2")
    assert found == {}, f"KHABAR_DIGITS={setting}: the other digits show on {found}"
    pager = [t for t in paging if t.startswith("صفحة")]
    expected = localize_digits(f"صفحة 2 من {-(-section.articles.count() // 2)}", setting)
    assert pager == [expected]


def test_article_page_writes_its_date_in_arabic_indic_digits(client: Client, demo: None) -> None:
    article = Article.objects.published().first()
    assert article is not None
    local = timezone.localtime(article.published_at)
    with override_settings(KHABAR_DIGITS="arabic"):
        texts = written_numbers(client, article.get_absolute_url())
    expected = localize_digits(f"{local.day}", "arabic")
    assert any(t.startswith(expected + " ") for t in texts), texts
    assert localize_digits(f"{local:%H:%M}", "arabic") in " ".join(texts)


@override_settings(KHABAR_DIGITS="arabic")
def test_filters_write_arabic_indic_digits() -> None:
    moment = timezone.make_aware(datetime(2013, 6, 3, 10, 30))
    assert news_date(moment) == "٣ يونيو/حزيران ٢٠١٣"
    assert news_time(moment) == "٣ يونيو/حزيران ٢٠١٣ | ١٠:٣٠"
    assert news_count(22) == "٢٢ خبرًا"
    assert news_count(1) == "خبر واحد"
    assert ago(timezone.now() - timedelta(minutes=5)) == "منذ ٥ دقائق"
    assert WESTERN.search(ago(timezone.now() - timedelta(hours=3))) is None
    assert digits(2026) == "٢٠٢٦"
    assert digits(3.5) == "٣٫٥"
    assert digits(Decimal("12.25")) == "١٢٫٢٥"
    assert digits(None) == ""


@override_settings(KHABAR_DIGITS="western")
def test_filters_write_western_digits_even_from_arabic_indic_input() -> None:
    moment = timezone.make_aware(datetime(2013, 6, 3, 10, 30))
    assert news_time(moment) == "3 يونيو/حزيران 2013 | 10:30"
    assert news_count(103) == "103 أخبار"
    assert digits("٤٥") == "45"
    assert digits(3.5) == "3.5"


@override_settings(KHABAR_DIGITS="arabic")
def test_digits_filter_in_a_template_escapes_what_it_is_given() -> None:
    rendered = Template("{% load khabar %}{{ n|digits }} {{ s|digits }}").render(
        Context({"n": 7, "s": "<b>9</b>"})
    )
    assert rendered == "٧ &lt;b&gt;٩&lt;/b&gt;"


@pytest.mark.parametrize(
    ("text", "setting", "expected"),
    [
        ("صفحة 2 من 10", "arabic", "صفحة ٢ من ١٠"),
        ("صفحة ٢ من ١٠", "western", "صفحة 2 من 10"),
        ("۱۲", "arabic", "١٢"),  # Persian digits follow too
        ("بلا أرقام", "arabic", "بلا أرقام"),
    ],
)
def test_localize_digits(text: str, setting: str, expected: str) -> None:
    assert localize_digits(text, setting) == expected  # type: ignore[arg-type]


def test_unknown_digits_setting_stops_start_up_with_what_to_do(tmp_path) -> None:
    env = {**os.environ, "KHABAR_DIGITS": "roman", "KHABAR_DATA": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", "import khabar.settings"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "KHABAR_DIGITS='roman'" in result.stderr
    assert "western" in result.stderr and "arabic" in result.stderr
