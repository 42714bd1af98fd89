"""Read each feed entry's Media RSS photo (media:content, thumbnail) with its caption and credit.

feedparser keeps the photo's address but folds media:description into the entry's content and
drops media:title, so the entries are read a second time here, with lxml, in document order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from khabar.extract.record import Image
from khabar.extract.wire_xml import MalformedXMLError, attr, local_name, namespace, parse_xml, text

__all__ = ["EntryMedia", "entry_media"]

Element = Any  # an lxml element

_MRSS = frozenset({"http://search.yahoo.com/mrss/", "http://search.yahoo.com/mrss"})
_ENTRY_NAMESPACES = frozenset(
    {
        "",
        "http://purl.org/rss/1.0/",
        "http://my.netscape.com/rdf/simple/0.9/",
        "http://www.w3.org/2005/Atom",
        "http://purl.org/atom/ns#",
    }
)
_IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif")


@dataclass
class EntryMedia:
    """The photo Media RSS gives one entry, and the media texts feedparser mistakes for content."""

    image: Image | None = None
    texts: set[str] = field(default_factory=set)


def _is_media(element: Element, name: str) -> bool:
    return local_name(element) == name and namespace(element) in _MRSS


def _is_entry(element: Element) -> bool:
    return local_name(element) in ("item", "entry") and namespace(element) in _ENTRY_NAMESPACES


def _is_image(content: Element) -> bool:
    medium, kind = attr(content, "medium"), attr(content, "type")
    if medium or kind:
        return medium == "image" or (kind or "").startswith("image/")
    return (attr(content, "url") or "").lower().split("?")[0].endswith(_IMAGE_SUFFIXES)


def _nearest(node: Element, entry: Element, name: str) -> str | None:
    """The media text `name` on the node itself, else on its group, else on the entry."""
    current = node
    while current is not None:
        for found in current:
            if _is_media(found, name):
                return text(found)
        if current is entry:
            break
        current = current.getparent()
    return None


def _photo(node: Element, entry: Element) -> Image:
    caption = _nearest(node, entry, "description") or _nearest(node, entry, "title")
    return Image(url=attr(node, "url"), caption=caption, credit=_nearest(node, entry, "credit"))


def _read_entry(entry: Element) -> EntryMedia:
    media = EntryMedia()
    for node in entry.iter():
        if _is_media(node, "description") or _is_media(node, "title"):
            media.texts.add(text(node) or "")
    photos = [n for n in entry.iter() if _is_media(n, "content") and _is_image(n)]
    photos += [n for n in entry.iter() if _is_media(n, "thumbnail")]
    found = next((n for n in photos if attr(n, "url")), None)
    media.image = None if found is None else _photo(found, entry)
    return media


def entry_media(data: bytes) -> list[EntryMedia] | None:
    """Return the media of each of the feed's entries, or None when the XML can't be read.

    The parse is safe (see wire_xml) and raises UnsafeXMLError for a DTD that declares entities,
    so it also guards what feedparser is given next.
    """
    try:
        root = parse_xml(data, "feed", recover=True)
    except MalformedXMLError:
        return None
    entries = [node for node in root.iter() if _is_entry(node)]
    if _ascii_compatible(data) and not any(uri.encode() in data for uri in _MRSS):
        return [EntryMedia() for _ in entries]  # no element can be in a namespace never named
    return [_read_entry(node) for node in entries]


def _ascii_compatible(data: bytes) -> bool:
    """Whether the namespace's address would be in the bytes as ASCII (not UTF-16 or UTF-32)."""
    return b"\x00" not in data[:512]
