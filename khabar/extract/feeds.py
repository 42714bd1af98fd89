"""Read a news feed (RSS 0.9x, 1.0, 2.0, Atom or JSON Feed) into IncomingItems, one per entry.

An entry that carries the whole article (content:encoded, Atom content, content_html) gives a full
ExtractedArticle; an entry with only a summary is marked `needs_fetch`, so ingest fetches its page.
"""

from __future__ import annotations

import io
from typing import Any

import feedparser
from lxml import etree
from lxml import html as lxml_html

from khabar.errors import ExtractionError
from khabar.extract.record import Image, IncomingItem
from khabar.extract.wire_body import html_text, primary_language
from khabar.extract.wire_dates import from_struct
from khabar.extract.wire_feed_entry import FULL_TEXT_CHARS, FeedEntry, entry_item
from khabar.extract.wire_feed_media import EntryMedia, entry_media
from khabar.extract.wire_input import check_input, load_json, looks_like_html, looks_like_json
from khabar.extract.wire_jsonfeed import is_json_feed, json_feed_entries
from khabar.extract.wire_xml import refuse_entities, root_name

__all__ = ["FULL_TEXT_CHARS", "FeedError", "NotAFeedError", "is_feed", "parse_feed"]

Entry = Any  # a feedparser FeedParserDict

_ATOM_NAMESPACES = (b"http://www.w3.org/2005/Atom", b"http://purl.org/atom/ns#")
_RDF_NAMESPACES = (b"http://purl.org/rss/1.0/", b"http://my.netscape.com/rdf/simple/0.9/")
# Documents that are not feeds, and where they belong instead.
_ELSEWHERE = {
    "urlset": "a sitemap: add it as a sitemap source",
    "sitemapindex": "a sitemap index: add it as a sitemap source",
    "newsItem": "a NewsML-G2 wire item: add it as a wire source",
    "newsMessage": "a NewsML-G2 wire message: add it as a wire source",
    "nitf": "a NITF wire item: add it as a wire source",
}


class FeedError(ExtractionError):
    """A feed could not be read."""


class NotAFeedError(FeedError):
    """The document is something else: an HTML page, a sitemap, a wire item."""


def is_feed(data: bytes) -> bool:
    """Tell whether the bytes are an RSS, Atom or JSON Feed document (sniffed, never raises)."""
    if looks_like_json(data):
        try:
            return is_json_feed(load_json(data, "feed"))
        except ExtractionError:
            return False
    name, head = root_name(data), data[:4096].replace(b"\x00", b"")
    if name == "rss":
        return True
    if name == "feed":
        return any(ns in head for ns in _ATOM_NAMESPACES)
    return name == "RDF" and any(ns in head for ns in _RDF_NAMESPACES)


def _feed_links(data: bytes) -> list[str]:
    """The feeds an HTML page announces with <link rel="alternate" type="...rss+xml">."""
    try:
        page = lxml_html.document_fromstring(data, parser=lxml_html.HTMLParser(no_network=True))
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return []
    found = page.xpath(
        "//link[contains(@rel, 'alternate')][contains(@type, 'rss') or contains(@type, 'atom')"
        " or contains(@type, 'feed+json')]/@href"
    )
    return [str(href).strip() for href in found if str(href).strip()]


def _refuse_non_feeds(data: bytes) -> None:
    name = root_name(data)
    if looks_like_html(data) or name == "html":
        message = "This is an HTML page, not a feed: add it as a web page source."
        links = _feed_links(data)
        if links:
            message += f" The page announces a feed at {links[0]}: add that address instead."
        raise NotAFeedError(message)
    if name in _ELSEWHERE:
        raise NotAFeedError(f"This is not a feed but {_ELSEWHERE[name]}.")


def _raw(entry: Entry, key: str) -> Any:
    # dict.get skips feedparser's aliases, which map a missing updated_parsed to published_parsed.
    return dict.get(entry, key)


def _string(entry: Entry, key: str) -> str | None:
    value = _raw(entry, key)
    return (value.strip() or None) if isinstance(value, str) else None


def _plain(detail: Any) -> str | None:
    if not isinstance(detail, dict) or not isinstance(detail.get("value"), str):
        return None
    value = detail["value"]
    if "html" in str(detail.get("type", "")):
        return html_text(value)
    return " ".join(value.split()) or None


def _content(entry: Entry, media: EntryMedia | None) -> Any:
    """The entry's body: its longest HTML content, else plain text that is not a photo caption."""
    contents = [c for c in _raw(entry, "content") or [] if isinstance(c.get("value"), str)]
    marked = [c for c in contents if "html" in str(c.get("type", ""))]
    if not marked:
        texts = media.texts if media is not None else set()
        has_media = media is None and bool(_raw(entry, "media_content"))
        marked = [c for c in contents if not has_media and c["value"].strip() not in texts]
    return max(marked, key=lambda c: len(c["value"]), default=None)


def _summary(entry: Entry, content: Any) -> str | None:
    detail = _raw(entry, "summary_detail")
    if content is not None and isinstance(detail, dict) and detail.get("value") == content["value"]:
        return None  # feedparser copies content into an absent summary
    return _plain(detail)


def _authors(entry: Entry) -> list[str]:
    names = [str(a["name"]).strip() for a in _raw(entry, "authors") or [] if a.get("name")]
    author = _raw(entry, "author")
    return names or ([author.strip()] if isinstance(author, str) and author.strip() else [])


def _tags(entry: Entry) -> list[str]:
    names = (t.get("label") or t.get("term") for t in _raw(entry, "tags") or [])
    return [str(name).strip() for name in names if name and str(name).strip()]


def _looks_like_photo(found: dict[str, Any]) -> bool:
    medium, kind = found.get("medium"), str(found.get("type", ""))
    return medium == "image" or kind.startswith("image/") or (medium is None and not kind)


def _image(entry: Entry, media: EntryMedia | None) -> Image | None:
    if media is not None and media.image is not None:
        return media.image
    if media is None:  # the XML could not be read again: feedparser's media, without captions
        photos = [*(_raw(entry, "media_content") or []), *(_raw(entry, "media_thumbnail") or [])]
        for found in photos:
            if found.get("url") and _looks_like_photo(found):
                credits = _raw(entry, "media_credit") or [{}]
                return Image(url=found["url"], credit=credits[0].get("content"))
    for link in _raw(entry, "links") or []:
        is_photo = str(link.get("type", "")).startswith("image/")
        if link.get("rel") == "enclosure" and is_photo and link.get("href"):
            return Image(url=link["href"])
    return None


def _language(entry: Entry, content: Any, feed_language: str | None) -> str | None:
    for detail in (content, _raw(entry, "title_detail"), _raw(entry, "summary_detail")):
        if isinstance(detail, dict) and detail.get("language"):
            return primary_language(detail["language"])
    return feed_language


def _entry(entry: Entry, media: EntryMedia | None, feed_language: str | None) -> FeedEntry:
    content = _content(entry, media)
    published = from_struct(_raw(entry, "published_parsed"))
    updated = from_struct(_raw(entry, "updated_parsed"))
    return FeedEntry(
        title=_plain(_raw(entry, "title_detail")) or "",
        guid=_string(entry, "id"),
        link=_string(entry, "link"),
        summary=_summary(entry, content),
        content=None if content is None else content["value"],
        content_is_html=content is None or "html" in str(content.get("type", "")),
        published=published or updated or from_struct(_raw(entry, "created_parsed")),
        updated=updated,
        authors=_authors(entry),
        tags=_tags(entry),
        language=_language(entry, content, feed_language),
        image=_image(entry, media),
    )


def _parse_xml_feed(data: bytes, url: str | None) -> Any:
    headers = {"content-location": url} if url else {}
    try:
        return feedparser.parse(io.BytesIO(data), response_headers=headers)
    except Exception as exc:  # feedparser is permissive; anything it throws is a broken input
        raise FeedError(
            f"The feed could not be read ({type(exc).__name__}): check that the address serves "
            "RSS or Atom."
        ) from None


def _check_parsed(parsed: Any, entries: list[FeedEntry]) -> None:
    if entries:
        return
    if parsed.bozo:
        problem = " ".join(str(parsed.get("bozo_exception", "")).split())[:160]
        raise FeedError(
            f"The feed is broken and holds no entries ({problem}): it may be truncated; "
            "fetch it again or ask the publisher to fix it."
        )
    if not parsed.version:
        raise NotAFeedError(
            "No RSS, Atom or JSON Feed was found in this document: check the feed's address."
        )


def _xml_items(data: bytes, url: str | None) -> list[IncomingItem]:
    refuse_entities(data, "feed")
    _refuse_non_feeds(data)
    media_read = entry_media(data)
    parsed = _parse_xml_feed(data, url)
    found = list(parsed.entries)
    media: list[EntryMedia | None] = [None] * len(found)
    if media_read is not None and len(media_read) == len(found):
        media = list(media_read)
    language = primary_language(parsed.feed.get("language"))
    entries = [_entry(e, m, language) for e, m in zip(found, media, strict=True)]
    entries = [e for e in entries if not e.is_empty()]
    _check_parsed(parsed, entries)
    return [entry_item(e) for e in entries]


def _json_items(data: bytes, url: str | None) -> list[IncomingItem]:
    document = load_json(data, "feed")
    if not is_json_feed(document):
        raise NotAFeedError(
            "This JSON is not a JSON Feed (its version should start with "
            "https://jsonfeed.org/version/): check the feed's address; "
            "a NINJS wire item belongs in a wire source."
        )
    if not isinstance(document.get("items"), list):
        raise FeedError("This JSON Feed has no items list: ask the publisher to fix it.")
    return [entry_item(e) for e in json_feed_entries(document, url) if not e.is_empty()]


def parse_feed(data: bytes, *, url: str | None = None) -> list[IncomingItem]:
    """Read a feed's bytes into one IncomingItem per entry; `url` resolves relative links."""
    check_input(data, "feed")
    if looks_like_json(data):
        return _json_items(data, url)
    return _xml_items(data, url)
