"""Read JSON Feed 1.0 and 1.1 documents (https://jsonfeed.org) into FeedEntries."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from khabar.extract.record import Image
from khabar.extract.wire_body import primary_language
from khabar.extract.wire_dates import parse_machine_date
from khabar.extract.wire_feed_entry import FeedEntry

__all__ = ["is_json_feed", "json_feed_entries"]

_VERSION_PREFIX = "https://jsonfeed.org/version/"


def is_json_feed(document: object) -> bool:
    """Tell whether parsed JSON is a JSON Feed (its version names jsonfeed.org)."""
    if not isinstance(document, dict):
        return False
    version = document.get("version")
    return isinstance(version, str) and version.startswith(_VERSION_PREFIX)


def _string(value: object) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _names(holder: dict[str, Any]) -> list[str]:
    """Authors of JSON Feed 1.1 ("authors": [...]) or 1.0 ("author": {...})."""
    people = holder.get("authors")
    if not isinstance(people, list):
        people = [holder.get("author")]
    return [n for p in people if isinstance(p, dict) and (n := _string(p.get("name")))]


def _link(value: object, base: str | None) -> str | None:
    link = _string(value)
    return urljoin(base, link) if link and base else link


def _image(item: dict[str, Any], base: str | None) -> Image | None:
    url = _link(item.get("image"), base) or _link(item.get("banner_image"), base)
    if url:
        return Image(url=url)
    attachments = item.get("attachments")
    for attachment in attachments if isinstance(attachments, list) else []:
        if isinstance(attachment, dict) and str(attachment.get("mime_type", "")).startswith(
            "image/"
        ):
            url = _link(attachment.get("url"), base)
            if url:
                return Image(url=url, caption=_string(attachment.get("title")))
    return None


def _content(item: dict[str, Any]) -> tuple[str | None, bool]:
    html = _string(item.get("content_html"))
    return (html, True) if html else (_string(item.get("content_text")), False)


def _entry(item: dict[str, Any], feed: dict[str, Any], base: str | None) -> FeedEntry:
    content, is_html = _content(item)
    tags = item.get("tags")
    language = item.get("language") or feed.get("language")
    return FeedEntry(
        title=_string(item.get("title")) or "",
        guid=_string(item.get("id")),
        link=_link(item.get("url"), base) or _link(item.get("external_url"), base),
        summary=_string(item.get("summary")),
        content=content,
        content_is_html=is_html,
        published=parse_machine_date(item.get("date_published")),
        updated=parse_machine_date(item.get("date_modified")),
        authors=_names(item) or _names(feed),
        tags=[t for t in map(_string, tags if isinstance(tags, list) else []) if t],
        language=primary_language(language),
        image=_image(item, base),
    )


def json_feed_entries(feed: dict[str, Any], url: str | None) -> list[FeedEntry]:
    """Return the entries of a parsed JSON Feed; relative links resolve against `url`."""
    base = url or _string(feed.get("feed_url")) or _string(feed.get("home_page_url"))
    items = feed.get("items")
    found = items if isinstance(items, list) else []
    return [_entry(item, feed, base) for item in found if isinstance(item, dict)]
