"""One feed entry, whatever the feed's format, and how it becomes an IncomingItem."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime

from khabar.extract.record import Block, ExtractedArticle, Image, IncomingItem
from khabar.extract.urls import clean_url
from khabar.extract.wire_body import (
    detect_language,
    find_dateline,
    first_image,
    html_blocks,
    text_blocks,
)

__all__ = ["FULL_TEXT_CHARS", "SUMMARY_RATIO", "FeedEntry", "entry_item", "safe_clean_url"]

# An entry whose body is shorter than this, or than twice its summary, is a teaser: the page
# behind its link is fetched for the whole article.
FULL_TEXT_CHARS = 400
SUMMARY_RATIO = 2

_ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:…|\.\.\.)\s*\]|…|\.{3,})\s*$")
_ARABIC = re.compile(r"[\u0600-\u06ff]")


@dataclass
class FeedEntry:
    """What a feed says about one entry, read the same way from RSS, Atom and JSON Feed."""

    title: str = ""
    guid: str | None = None
    link: str | None = None
    summary: str | None = None
    content: str | None = None
    content_is_html: bool = True
    published: datetime | None = None
    updated: datetime | None = None
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    language: str | None = None
    image: Image | None = None

    def is_empty(self) -> bool:
        """Tell whether the entry says nothing at all (what a truncated feed's last entry does)."""
        return not (self.title or self.guid or self.link or self.summary or self.content)


def safe_clean_url(url: str) -> str:
    """Return `url` without tracking parameters; unchanged when it can't be split."""
    try:
        return clean_url(url)
    except ValueError:  # a port that is not a number, an unbalanced IPv6 bracket
        return url.strip()


def entry_id(entry: FeedEntry) -> str:
    """The entry's identity: its GUID, else its cleaned link, else a hash of what it says."""
    if entry.guid:
        return entry.guid
    if entry.link:
        return safe_clean_url(entry.link)
    said = " ".join(f"{entry.title}\n{entry.summary or ''}".split())
    return "sha256:" + hashlib.sha256(said.encode("utf-8")).hexdigest()


def _body(entry: FeedEntry) -> list[Block]:
    if entry.content_is_html:
        return html_blocks(entry.content, title=entry.title)
    return text_blocks(entry.content, title=entry.title)


def _chars(blocks: list[Block]) -> int:
    return sum(len(b.text) for b in blocks if b.kind != "image")


def needs_fetch(body_chars: int, summary: str | None) -> bool:
    """Tell whether a body this long is only a teaser of the page behind the entry's link."""
    if body_chars < FULL_TEXT_CHARS:
        return True
    return summary is not None and body_chars < SUMMARY_RATIO * len(summary)


def _lead(summary: str | None, blocks: list[Block]) -> str | None:
    """The summary as a lead, unless it only repeats the body's opening words."""
    if not summary:
        return None
    stem = _ELLIPSIS.sub("", summary)
    body = " ".join(b.text for b in blocks if b.kind != "image")
    return None if stem and body.startswith(stem) else summary


def _byline(authors: list[str]) -> str | None:
    if not authors:
        return None
    return ("، " if any(_ARABIC.search(a) for a in authors) else ", ").join(authors)


def entry_item(entry: FeedEntry) -> IncomingItem:
    """Build the IncomingItem of one feed entry: identity, article, and whether to fetch it."""
    blocks = _body(entry)
    lead = _lead(entry.summary, blocks)
    dateline = find_dateline(blocks, lead)
    article = ExtractedArticle(
        title=entry.title,
        lead=lead,
        blocks=blocks,
        image=entry.image or first_image(blocks),
        sources=[dateline[1]] if dateline and dateline[1] else [],
        byline=_byline(entry.authors),
        dateline=dateline[0] if dateline else None,
        published=entry.published,
        language=entry.language or detect_language([entry.title, lead, *(b.text for b in blocks)]),
        url=entry.link,
    )
    return IncomingItem(
        source_id=entry_id(entry),
        article=article,
        url=entry.link,
        subjects=list(dict.fromkeys(entry.tags)),
        summary=entry.summary,
        updated=entry.updated,
        needs_fetch=needs_fetch(_chars(blocks), entry.summary),
        kind="feed",
    )
