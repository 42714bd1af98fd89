"""Tell what a source's bytes are (wire, feed, sitemap or page) and read the items in them."""

from __future__ import annotations

import re
from typing import Literal

from khabar.extract.api import extract_bytes
from khabar.extract.record import ExtractedArticle, IncomingItem
from khabar.extract.urls import clean_url
from khabar.stories import fingerprint

Kind = Literal["feed", "sitemap", "ninjs", "newsmlg2", "nitf", "page"]
KINDS: tuple[Kind, ...] = ("feed", "sitemap", "ninjs", "newsmlg2", "nitf", "page")

_HEAD = 4096
_SITEMAP = re.compile(rb"<(?:\w+:)?(?:urlset|sitemapindex)\b")
_HTML = re.compile(rb"<!doctype\s+html|<html[\s>]", re.IGNORECASE)


def detect_kind(data: bytes, *, filename: str | None = None) -> Kind:
    """Guess the kind of a document from its first bytes (and its name, for gzip sitemaps)."""
    from khabar.extract.feeds import is_feed
    from khabar.extract.wires import detect_wire_format

    head = data[:_HEAD].lstrip()
    if data[:2] == b"\x1f\x8b" and filename and ".xml" in filename.lower():
        return "sitemap"
    wire = detect_wire_format(data)
    if wire is not None:
        return wire
    if _SITEMAP.search(head):
        return "sitemap"
    if not _HTML.search(head) and is_feed(data):
        return "feed"
    return "page"


def page_identity(article: ExtractedArticle, url: str | None) -> str:
    """The identity of a page: its canonical address, else a hash of its normalized text."""
    if article.url:
        return clean_url(article.url)
    if url:
        return clean_url(url)
    return "sha256:" + content_hash(article)


def article_text(article: ExtractedArticle) -> str:
    """The text an article is identified and compared by: headline, lead and body."""
    return "\n".join([article.title, article.lead or "", *article.body])


def content_hash(article: ExtractedArticle) -> str:
    """A hash of what the article says, blind to spelling variants, spacing and punctuation."""
    return fingerprint.content_hash(article_text(article))


def read_items(
    data: bytes,
    *,
    kind: Kind | None = None,
    url: str | None = None,
    filename: str | None = None,
) -> list[IncomingItem]:
    """Read every item in a document; the kind is detected when not given."""
    from khabar.extract.feeds import parse_feed
    from khabar.extract.sitemaps import parse_sitemap, sitemap_items
    from khabar.extract.wires import wire_items

    kind = kind or detect_kind(data, filename=filename)
    if kind == "feed":
        return parse_feed(data, url=url)
    if kind == "sitemap":
        return sitemap_items(parse_sitemap(data))
    if kind in ("ninjs", "newsmlg2", "nitf"):
        return wire_items(data)
    article = extract_bytes(data, filename=filename, url=url)
    if url and not article.url:
        article.url = url
    return [
        IncomingItem(
            source_id=page_identity(article, url), article=article, url=article.url, kind="page"
        )
    ]
