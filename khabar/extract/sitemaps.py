"""Read an XML sitemap, a sitemap index or a Google News sitemap, plain or gzipped.

A sitemap only points at pages: each URL becomes an IncomingItem with `needs_fetch`, titled when
the Google News extension gives a title.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from khabar.errors import ExtractionError
from khabar.extract.record import ExtractedArticle, IncomingItem
from khabar.extract.wire_body import primary_language
from khabar.extract.wire_dates import parse_machine_date
from khabar.extract.wire_feed_entry import safe_clean_url
from khabar.extract.wire_input import check_input, looks_like_html
from khabar.extract.wire_xml import child, children, local_name, namespace, parse_xml, text

__all__ = [
    "MAX_SITEMAP_BYTES",
    "SitemapError",
    "SitemapResult",
    "SitemapTooLargeError",
    "SitemapUrl",
    "gunzip",
    "parse_sitemap",
    "sitemap_items",
]

Element = Any  # an lxml element

# The sitemap protocol's own limit on an uncompressed sitemap.
MAX_SITEMAP_BYTES = 50 * 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b"
_NEWS_NAMESPACE = "http://www.google.com/schemas/sitemap-news/0.9"


class SitemapError(ExtractionError):
    """A sitemap could not be read."""


class SitemapTooLargeError(SitemapError):
    """A sitemap decompresses to more than MAX_SITEMAP_BYTES (a gzip bomb, or a huge file)."""


@dataclass(frozen=True)
class SitemapUrl:
    """One <url> of a sitemap, with what the Google News extension says about it."""

    loc: str
    lastmod: datetime | None = None
    news_title: str | None = None
    news_publication_date: datetime | None = None
    news_language: str | None = None
    news_publication_name: str | None = None


@dataclass
class SitemapResult:
    """The pages a sitemap lists, or the sitemaps a sitemap index lists."""

    urls: list[SitemapUrl] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)


def _too_large(limit: int) -> SitemapTooLargeError:
    return SitemapTooLargeError(
        f"The gzipped sitemap expands to more than {limit // (1024 * 1024)} MB, the sitemap "
        "protocol's limit: Khabar stopped reading it. Ask the publisher to split it."
    )


def _gunzip_member(data: bytes, room: int, limit: int) -> tuple[bytes, bytes]:
    """Inflate one gzip member into at most `room` bytes; return it and the bytes after it."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, room + 1)
    except zlib.error:
        raise SitemapError(
            "The gzipped sitemap is damaged and cannot be decompressed: fetch it again."
        ) from None
    if len(out) > room or inflater.unconsumed_tail:
        raise _too_large(limit)
    if not inflater.eof:
        raise SitemapError("The gzipped sitemap is truncated: fetch it again.")
    return out, inflater.unused_data


def gunzip(data: bytes, limit: int = MAX_SITEMAP_BYTES) -> bytes:
    """Decompress gzip data, refusing to produce more than `limit` bytes (gzip bombs)."""
    out = bytearray()
    rest = data
    while rest.startswith(_GZIP_MAGIC):
        chunk, rest = _gunzip_member(rest, limit - len(out), limit)
        out += chunk
    return bytes(out)


def _news(url: Element) -> Element | None:
    found = [c for c in url if local_name(c) == "news" and namespace(c) == _NEWS_NAMESPACE]
    return found[0] if found else None


def _url(node: Element) -> SitemapUrl | None:
    loc = text(child(node, "loc"))
    if loc is None:
        return None
    news = _news(node)
    return SitemapUrl(
        loc=loc,
        lastmod=parse_machine_date(text(child(node, "lastmod"))),
        news_title=text(child(news, "title")),
        news_publication_date=parse_machine_date(text(child(news, "publication_date"))),
        news_language=primary_language(text(child(news, "publication", "language"))),
        news_publication_name=text(child(news, "publication", "name")),
    )


def _refuse(data: bytes, name: str) -> SitemapError:
    if looks_like_html(data) or name == "html":
        return SitemapError("This is an HTML page, not a sitemap: add it as a web page source.")
    if name in ("rss", "feed", "RDF"):
        return SitemapError("This is a feed, not a sitemap: add it as a feed source.")
    return SitemapError(
        f"This XML is not a sitemap (its root element is <{name}>, not <urlset> or "
        "<sitemapindex>): check the sitemap's address."
    )


def parse_sitemap(data: bytes) -> SitemapResult:
    """Read a sitemap or sitemap index (gzipped or not) into its URLs or its child sitemaps."""
    if data.startswith(_GZIP_MAGIC):
        data = gunzip(data)
    check_input(data, "sitemap")
    if looks_like_html(data):
        raise _refuse(data, "html")
    root = parse_xml(data, "sitemap")
    name = local_name(root)
    if name == "sitemapindex":
        locs = (text(child(s, "loc")) for s in children(root, "sitemap"))
        return SitemapResult(sitemaps=[loc for loc in locs if loc])
    if name != "urlset":
        raise _refuse(data, name)
    return SitemapResult(urls=[u for u in map(_url, children(root, "url")) if u is not None])


def _article(url: SitemapUrl) -> ExtractedArticle | None:
    if not url.news_title:
        return None
    return ExtractedArticle(
        title=url.news_title,
        published=url.news_publication_date,
        language=url.news_language,
        url=url.loc,
    )


def sitemap_items(result: SitemapResult) -> list[IncomingItem]:
    """Turn each sitemap URL into an IncomingItem to fetch; the same page is listed once."""
    items: dict[str, IncomingItem] = {}
    for url in result.urls:
        source_id = safe_clean_url(url.loc)
        items.setdefault(
            source_id,
            IncomingItem(
                source_id=source_id,
                article=_article(url),
                url=url.loc,
                updated=url.lastmod,
                needs_fetch=True,
                kind="sitemap",
            ),
        )
    return list(items.values())
