"""Search in the site and the command line: the index follows every edit, bad queries are safe."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from lxml import html as lxml_html

from khabar.newsroom.models import Article, Block, SearchDirty, Section
from khabar.newsroom.search_index import clear, flush_dirty, get_engine
from khabar.search import Filters
from khabar.site.search import run_search

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def empty_index() -> None:
    """Transactional tests flush the models' tables; the index's own tables are emptied here."""
    clear()


def make(title: str, body: str, section: Section | None = None, **kw) -> Article:
    with transaction.atomic():
        article = Article.objects.create(
            title=title, lead="", section=section, status=Article.Status.PUBLISHED, **kw
        )
        Block.objects.create(article=article, position=0, text=body)
    return article


def ids(text: str, **filters) -> list[int]:
    return [h.id for h in run_search(text, Filters(**filters)).hits]


def test_index_follows_publish_edit_and_unpublish() -> None:
    article = make(
        "افتتاح مستشفى جديد في المدينة", "افتتحت وزارة الصحة مستشفى للأطفال بسعة مئتي سرير."
    )
    assert ids("مستشفى") == [article.pk]
    with transaction.atomic():
        block = article.blocks.get()
        block.text = "افتتحت الوزارة مركزا للأبحاث الزراعية في الريف."
        block.save()
    assert ids("الزراعية") == [article.pk]
    assert ids("سرير") == []
    with transaction.atomic():
        article.status = Article.Status.DRAFT
        article.save()
    assert ids("الزراعية") == []
    assert not SearchDirty.objects.exists()


def test_change_marked_dirty_survives_until_indexed() -> None:
    article = make("مهرجان للمسرح في تونس", "انطلق مهرجان المسرح بمشاركة عشرين فرقة عربية.")
    # Simulate a process that died after the commit but before the index caught up.
    SearchDirty.objects.create(article_id=article.pk)
    get_engine().delete([article.pk])
    assert SearchDirty.objects.filter(article_id=article.pk).exists()
    assert ids("المسرح") == [article.pk]  # a search first applies what is still waiting
    assert not SearchDirty.objects.exists()


def test_filters_by_section() -> None:
    sport = Section.objects.create(name="رياضة", slug="sport")
    economy = Section.objects.create(name="اقتصاد", slug="economy")
    a = make("الفريق يفوز بالكأس", "فاز الفريق بالكأس بعد مباراة قوية في العاصمة.", sport)
    b = make("الكأس الذهبية للاستثمار", "منحت جائزة الكأس الذهبية لأفضل شركة ناشئة.", economy)
    assert set(ids("الكأس")) == {a.pk, b.pk}
    assert ids("الكأس", section="sport") == [a.pk]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "*",
        "NEAR(",
        "^",
        ":",
        "' OR 1=1 --",
        "\u202e\u200f",
        "😀😀",
        "،؛؟!",
        "ال",
        "x" * 10_000,
        "َُِّ",
    ],
)
def test_hostile_queries_never_error(client: Client, query: str) -> None:
    make("خبر عن الطقس", "توقعت الأرصاد أمطارا غزيرة على المناطق الساحلية.")
    response = client.get("/search/", {"q": query})
    assert response.status_code in (200, 400)
    doc = lxml_html.fromstring(response.content.decode())
    assert doc.get("dir") == "rtl"


def test_search_page_highlights_and_suggests(client: Client) -> None:
    make("سورية تستضيف مؤتمرا للطاقة", "تستضيف سورية مؤتمرا إقليميا للطاقة المتجددة الشهر المقبل.")
    doc = lxml_html.fromstring(client.get("/search/", {"q": "سوريه"}).content.decode())
    assert doc.cssselect(".search-hit mark"), "the matched word is highlighted"
    empty = lxml_html.fromstring(client.get("/search/", {"q": "سورياا"}).content.decode())
    assert empty.cssselect(".empty") or empty.cssselect(".search-hit")


def test_search_command_json(capsys) -> None:
    article = make("ارتفاع أسعار الذهب عالميا", "ارتفعت أسعار الذهب ٣ بالمئة في تعاملات الأمس.")
    call_command("search", "الذهب", "3", "--json", "--limit", "5")
    hits = json.loads(capsys.readouterr().out)
    assert [h["id"] for h in hits] == [article.pk]
    assert set(hits[0]) >= {"id", "source_id", "url", "title", "snippet", "score", "published"}


def test_reindex_rebuilds_everything() -> None:
    article = make("سباق للدراجات في الصحراء", "شارك مئة متسابق في سباق الدراجات الصحراوي.")
    get_engine().delete([article.pk])
    assert ids("الدراجات") == []
    call_command("reindex")
    assert ids("الدراجات") == [article.pk]
    flush_dirty()
