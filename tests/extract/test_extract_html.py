"""HTML pages: our own fixtures, each in the markup style of a kind of Arabic news site.

Every fixture `NAME.html` has `NAME.expected.json`: the reading a person makes of the page.
Pages are read as bytes through `extract_bytes`, as a saved page would be.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from khabar.extract import ExtractedArticle, extract_bytes
from khabar.extract.html_score import token_scores

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "html"
NAMES = sorted(p.stem for p in FIXTURES.glob("*.html"))
REQUIRED = ("title", "body", "subheadings", "published", "image", "sources", "byline", "language")


def squeeze(value: Any) -> Any:
    """Collapse the whitespace of every string in a JSON value."""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, list):
        return [squeeze(v) for v in value]
    if isinstance(value, dict):
        return {k: squeeze(v) for k, v in value.items()}
    return value


def expected(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.expected.json").read_text("utf-8"))
    return data


_READ: dict[str, ExtractedArticle] = {}


def read(name: str) -> ExtractedArticle:
    """Extract a fixture once per test session."""
    if name not in _READ:
        path = FIXTURES / f"{name}.html"
        _READ[name] = extract_bytes(path.read_bytes(), filename=path.name)
    return _READ[name]


def reading(article: ExtractedArticle) -> list[str]:
    """The lead (when the page sets one apart) and the body, as the expected body lists them."""
    return ([article.lead] if article.lead else []) + article.body


def test_there_are_enough_fixtures_and_each_is_complete() -> None:
    assert len(NAMES) >= 20
    for name in NAMES:
        data = expected(name)
        assert all(key in data for key in REQUIRED), name
        assert data["_about"], name


def test_the_legacy_fixture_is_really_windows_1256() -> None:
    data = (FIXTURES / "windows1256.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert b"windows-1256" in data


@pytest.mark.parametrize("name", NAMES)
def test_body_reads_as_expected(name: str) -> None:
    got, want = reading(read(name)), expected(name)["body"]
    assert token_scores(got, want).f1 >= 0.99
    assert squeeze(got) == squeeze(want)


@pytest.mark.parametrize("name", NAMES)
def test_title_and_date(name: str) -> None:
    article, want = read(name), expected(name)
    assert article.title == want["title"]
    published = article.published.isoformat() if article.published else None
    assert published == want["published"]


@pytest.mark.parametrize("name", NAMES)
def test_subheadings_image_sources_byline_language(name: str) -> None:
    got, want = read(name).to_json(), expected(name)
    assert squeeze(got["subheadings"]) == squeeze(want["subheadings"])
    image = got["image"]
    assert (None if image is None else {k: image[k] for k in ("caption", "credit")}) == want[
        "image"
    ]
    assert got["sources"] == want["sources"]
    assert got["byline"] == want["byline"]
    assert got["language"] == want["language"]


@pytest.mark.parametrize("name", NAMES)
def test_optional_fields(name: str) -> None:
    article, want = read(name), expected(name)
    for key in ("lead", "dateline", "source_line", "url"):
        if key in want:
            assert getattr(article, key) == want[key], key
    for headline in want.get("related_includes", []):
        assert headline in article.related_headlines
    quotes = [b.text for b in article.blocks if b.kind == "quote"]
    for quote in want.get("quotes", []):
        assert quote in quotes


@pytest.mark.parametrize("name", NAMES)
def test_no_widget_or_label_text_in_the_body(name: str) -> None:
    """Nothing of the chrome around the article reads as a paragraph of it."""
    markers = ("اقرأ أيضا", "اقرأ أيضًا", "شارك", "تعليقات", "إعلان", "الوسوم", "صدر الصورة")
    for text in read(name).body:
        assert not text.startswith(markers), text


def test_photos_stand_in_the_body_before_the_paragraph_they_precede() -> None:
    blocks = read("bbc_like").blocks
    images = [i for i, b in enumerate(blocks) if b.kind == "image"]
    assert images == [0, 5]
    second = blocks[5].image
    assert second is not None
    assert second.credit == "سامي الحوراني"
    assert blocks[6].text.startswith("ويضيف أن كلفة")
