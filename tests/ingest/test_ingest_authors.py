"""Bylines become Author rows linked to the article: labels stripped, clear lists split,
desks left out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from khabar.newsroom.ingest import Ingestor
from khabar.newsroom.models import Article, Author
from khabar.newsroom.records import Authors, byline_names

WIRES = Path(__file__).resolve().parents[1] / "fixtures" / "wires"


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("كتب: محمود الشاذلي", ["محمود الشاذلي"]),
        ("بقلم: د. نادية الشريف", ["نادية الشريف"]),
        ("كتبت - ليلى قاسم", ["ليلى قاسم"]),
        ("By John Smith and Jane Doe", ["John Smith", "Jane Doe"]),
        ("Par La Rédaction", ["La Rédaction"]),
        ("كتب: أحمد علي ومحمد حسن", ["أحمد علي", "محمد حسن"]),
        ("سارة منصور، أحمد علي و محمد حسن", ["سارة منصور", "أحمد علي", "محمد حسن"]),
        # Names that start with و are not split: one person, not a list.
        ("محمد عبد الله وليد حسن", ["محمد عبد الله وليد حسن"]),
        ("وليد حسن", ["وليد حسن"]),
        ("أحمد وائل", ["أحمد وائل"]),
        ("رنا العمري، رنا العمري", ["رنا العمري"]),
        ("", []),
        ("Updated 2024", []),
        # Desks, teams and unnamed reporters are not people: no Author for them.
        ("وحدة الأخبار", []),
        ("قسم الأخبار الدولية", []),
        ("كتب: فريق التحرير", []),
        ("مراسلنا في القاهرة", []),
        ("By News Desk", []),
        ("Reuters staff", []),
        ("كتب: أحمد علي ووحدة الأخبار", ["أحمد علي"]),
        ("سلمى حداد، الأفق نيوز", ["سلمى حداد"]),
    ],
)
def test_byline_names(byline: str, names: list[str]) -> None:
    assert byline_names(byline) == names


def ninjs(tmp_path: Path, name: str, **changes: object) -> str:
    item = json.loads((WIRES / "ninjs_v1.json").read_text(encoding="utf-8"))
    item.update(changes)
    path = tmp_path / name
    path.write_text(json.dumps(item, ensure_ascii=False), encoding="utf-8")
    return str(path)


@pytest.mark.django_db
def test_ingest_links_the_article_to_its_authors(tmp_path: Path) -> None:
    Ingestor().run([ninjs(tmp_path, "a.json", by="كتب: أحمد علي ومحمد حسن")])
    first = Article.objects.get()
    assert sorted(a.name for a in first.authors.all()) == ["أحمد علي", "محمد حسن"]
    assert all(a.slug for a in Author.objects.all())

    other = ninjs(tmp_path, "b.json", uri="urn:other:1", by="بقلم: محمد حسن")
    Ingestor().run([other])
    second = Article.objects.get(source_id="urn:other:1")
    assert [a.name for a in second.authors.all()] == ["محمد حسن"]
    assert Author.objects.count() == 2, "a known author is reused, not created again"

    # A later version with another byline replaces the links.
    Ingestor().run([ninjs(tmp_path, "a2.json", version="2", by="كتبت: ليلى قاسم")])
    first.refresh_from_db()
    assert [a.name for a in first.authors.all()] == ["ليلى قاسم"]


@pytest.mark.django_db
def test_article_without_byline_has_no_authors(tmp_path: Path) -> None:
    Ingestor().run([ninjs(tmp_path, "a.json", by="")])
    assert not Article.objects.get().authors.exists()
    assert not Author.objects.exists()


@pytest.mark.django_db
def test_names_with_the_same_slug_get_distinct_slugs() -> None:
    first, second = Authors().resolve(["محمد حسن", "محمد-حسن"])
    assert first.name != second.name
    assert first.slug != second.slug


@pytest.mark.django_db
def test_a_desk_byline_is_kept_as_text_without_an_author(tmp_path: Path) -> None:
    Ingestor().run([ninjs(tmp_path, "a.json", by="قسم الأخبار الدولية")])
    article = Article.objects.get()
    assert article.byline == "قسم الأخبار الدولية"
    assert not Author.objects.exists()
