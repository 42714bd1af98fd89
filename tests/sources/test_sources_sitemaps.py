"""Sitemaps: Google News sitemaps, sitemap indexes, gzipped sitemaps, and what is refused."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path

import pytest

from khabar.errors import EmptyInputError, ExtractionError
from khabar.extract.sitemaps import (
    SitemapError,
    SitemapTooLargeError,
    SitemapUrl,
    gunzip,
    parse_sitemap,
    sitemap_items,
)

SITEMAPS = Path(__file__).resolve().parents[1] / "fixtures" / "sitemaps"


def read(name: str) -> bytes:
    return (SITEMAPS / name).read_bytes()


def test_news_sitemap_urls() -> None:
    result = parse_sitemap(read("news_sitemap.xml"))
    assert result.sitemaps == []
    assert result.urls == [
        SitemapUrl(
            loc="https://akhbar.example.com/economy/2024/11/05/desalination",
            lastmod=datetime(2024, 11, 5, 7, 0, tzinfo=UTC),
            news_title="افتتاح محطة لتحلية المياه تعمل بالطاقة الشمسية في العقبة",
            news_publication_date=datetime(2024, 11, 5, 6, 30, tzinfo=UTC),
            news_language="ar",
            news_publication_name="الخبر اليومي",
        ),
        SitemapUrl(
            loc="https://akhbar.example.com/sport/2024/11/04/juniors-final?utm_source=sitemap&page=2",
            news_title="منتخب الناشئين يتأهل إلى نهائي البطولة الإقليمية",
            news_publication_date=datetime(2024, 11, 4, 0, 0, tzinfo=UTC),
            news_language="ar",
            news_publication_name="الخبر اليومي",
        ),
        SitemapUrl(
            loc="https://akhbar.example.com/about",
            lastmod=datetime(2024, 1, 15, 0, 0, tzinfo=UTC),
        ),
    ]


def test_news_sitemap_items_are_pages_to_fetch() -> None:
    first, second, third = sitemap_items(parse_sitemap(read("news_sitemap.xml")))
    assert first.source_id == "https://akhbar.example.com/economy/2024/11/05/desalination"
    assert first.needs_fetch is True
    assert first.kind == "sitemap"
    assert first.updated == datetime(2024, 11, 5, 7, 0, tzinfo=UTC)
    assert first.article is not None
    assert first.article.title == "افتتاح محطة لتحلية المياه تعمل بالطاقة الشمسية في العقبة"
    assert first.article.published == datetime(2024, 11, 5, 6, 30, tzinfo=UTC)
    assert first.article.language == "ar"
    assert first.article.url == first.url
    assert second.source_id == "https://akhbar.example.com/sport/2024/11/04/juniors-final?page=2"
    assert second.url == (
        "https://akhbar.example.com/sport/2024/11/04/juniors-final?utm_source=sitemap&page=2"
    )
    assert third.article is None
    assert third.needs_fetch is True


def test_sitemap_index() -> None:
    result = parse_sitemap(read("sitemap_index.xml"))
    assert result.urls == []
    assert result.sitemaps == [
        "https://akhbar.example.com/sitemaps/news.xml",
        "https://akhbar.example.com/sitemaps/2024-11.xml.gz",
        "https://akhbar.example.com/sitemaps/2024-10.xml.gz",
    ]
    assert sitemap_items(result) == []


def test_gzipped_sitemap() -> None:
    data = read("sitemap_2024_11.xml.gz")
    assert data[:2] == b"\x1f\x8b"
    result = parse_sitemap(data)
    assert [u.loc for u in result.urls] == [
        "https://akhbar.example.com/culture/2024/11/02/book-fair",
        "https://akhbar.example.com/local/2024/11/01/water-cut#details",
    ]
    assert result.urls[0].lastmod == datetime(2024, 11, 2, 18, 40, tzinfo=UTC)
    items = sitemap_items(result)
    assert items[1].source_id == "https://akhbar.example.com/local/2024/11/01/water-cut"


def test_the_same_page_listed_twice_gives_one_item() -> None:
    data = (
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://s.example/a?utm_source=x</loc></url>"
        b"<url><loc>https://s.example/a</loc></url></urlset>"
    )
    assert [i.source_id for i in sitemap_items(parse_sitemap(data))] == ["https://s.example/a"]


def test_a_gzip_bomb_is_refused_without_inflating_it() -> None:
    bomb = gzip.compress(b"\x00" * (60 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 100_000
    with pytest.raises(SitemapTooLargeError, match="50 MB"):
        parse_sitemap(bomb)


def test_gunzip_limit_holds_across_gzip_members() -> None:
    members = gzip.compress(b"a" * 600) + gzip.compress(b"b" * 600)
    assert gunzip(members, limit=1200) == b"a" * 600 + b"b" * 600
    with pytest.raises(SitemapTooLargeError):
        gunzip(members, limit=1000)


@pytest.mark.parametrize(
    ("data", "error", "words"),
    [
        (b"", EmptyInputError, "empty"),
        (gzip.compress(b""), EmptyInputError, "empty"),
        (read("sitemap_2024_11.xml.gz")[:-12], SitemapError, "truncated"),
        (b"\x1f\x8b\x08\x00garbage-garbage", SitemapError, "damaged"),
        (read("news_sitemap.xml")[:300], ExtractionError, "not well-formed"),
        (b"<!DOCTYPE html><html><body>x</body></html>", SitemapError, "HTML page"),
        (b'<rss version="2.0"><channel/></rss>', SitemapError, "feed"),
        (b"<catalog/>", SitemapError, "not a sitemap"),
    ],
)
def test_broken_or_foreign_documents_give_clear_errors(
    data: bytes, error: type[Exception], words: str
) -> None:
    with pytest.raises(error, match=words):
        parse_sitemap(data)
