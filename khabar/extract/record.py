"""The extracted-article record: what every extractor returns, whatever it read.

Plain dataclasses, no Django: a batch job or a test can build and read them directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

BlockKind = Literal["paragraph", "subheading", "quote", "image"]


@dataclass(frozen=True)
class Image:
    """A photo with what the page says about it."""

    caption: str | None = None
    credit: str | None = None
    url: str | None = None
    alt: str | None = None


@dataclass(frozen=True)
class Block:
    """One block of an article body, in reading order."""

    kind: BlockKind
    text: str = ""
    image: Image | None = None


@dataclass
class SiteChrome:
    """What the page shows around the article: kept apart, never mixed into the body."""

    navigation: list[str] = field(default_factory=list)
    stories_heading: str | None = None
    story_count: int | None = None
    story_count_text: str | None = None
    story_strip: list[str] = field(default_factory=list)
    comments_heading: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the chrome as JSON-ready data."""
        count: dict[str, Any] | None = None
        if self.story_count_text is not None:
            count = {"text": self.story_count_text, "count": self.story_count}
        return {
            "navigation": list(self.navigation),
            "stories_heading": self.stories_heading,
            "story_count": count,
            "story_strip": list(self.story_strip),
            "comments_heading": self.comments_heading,
        }


@dataclass
class ExtractedArticle:
    """One article read from a page, a feed entry or a wire item."""

    title: str
    lead: str | None = None
    blocks: list[Block] = field(default_factory=list)
    image: Image | None = None
    sources: list[str] = field(default_factory=list)
    source_line: str | None = None
    byline: str | None = None
    dateline: str | None = None
    published: datetime | None = None
    language: str | None = None
    related_headlines: list[str] = field(default_factory=list)
    chrome: SiteChrome = field(default_factory=SiteChrome)
    url: str | None = None

    @property
    def body(self) -> list[str]:
        """The body as text, paragraphs and sub-headings in reading order."""
        return [b.text for b in self.blocks if b.kind != "image" and b.text]

    @property
    def subheadings(self) -> list[str]:
        """The sub-headings of the body, in order."""
        return [b.text for b in self.blocks if b.kind == "subheading"]

    def to_json(self) -> dict[str, Any]:
        """Return the record with the fixed keys of `khabar extract --format json`."""
        image = None
        if self.image is not None:
            image = {"caption": self.image.caption, "credit": self.image.credit}
            if self.image.url:
                image["url"] = self.image.url
        return {
            "title": self.title,
            "lead": self.lead,
            "body": self.body,
            "subheadings": self.subheadings,
            "image": image,
            "sources": list(self.sources),
            "source_line": self.source_line,
            "byline": self.byline,
            "dateline": self.dateline,
            "published": self.published.isoformat() if self.published else None,
            "language": self.language,
            "related_headlines": list(self.related_headlines),
            "site_chrome": self.chrome.to_json(),
        }

    def to_text(self) -> str:
        """Return the article as plain text: headline, lead, body, source line."""
        parts = [self.title]
        if self.lead:
            parts.append(self.lead)
        for block in self.blocks:
            if block.kind == "subheading":
                parts.append(f"## {block.text}")
            elif block.kind == "quote":
                parts.append(f"> {block.text}")
            elif block.text:
                parts.append(block.text)
        if self.source_line:
            parts.append(self.source_line)
        return "\n\n".join(parts) + "\n"


@dataclass
class IncomingItem:
    """One item a source gave (wire item, feed entry, sitemap URL, page): identity + content.

    `article` is None when the source only points at a page (a sitemap URL, a feed entry that
    carries a link and a summary): then `needs_fetch` is True and the page at `url` is fetched
    and extracted.
    """

    source_id: str
    article: ExtractedArticle | None = None
    url: str | None = None
    version: int | None = None
    urgency: int | None = None
    subjects: list[str] = field(default_factory=list)
    embargo: datetime | None = None
    agency: str | None = None
    credit: str | None = None
    summary: str | None = None
    updated: datetime | None = None
    needs_fetch: bool = False
    kind: str | None = None
