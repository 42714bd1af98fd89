"""An HTML page parsed once with lxml, and the small readers every HTML step shares."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring

from khabar.errors import EmptyInputError
from khabar.extract.html_vocab import ARTICLE_TYPES

_PARSERS = threading.local()  # an lxml parser must not serve two threads at once
# Splits class and id values into words: "modalWindow" and "post-share_box" alike.
_WORD_SPLIT = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])")
_SPACES = re.compile(r"\s+")
# The page's headlines: its <h1>s and the elements marked as the headline. Compiled once, and
# matched through the attribute axis, which libxml2 walks far faster than `//*[@itemprop=...]`.
_HEADLINES = etree.XPath("//h1 | //@itemprop[. = 'headline']/parent::*[not(self::meta)]")
# Block elements: their text is read as a unit, apart from their neighbours.
BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption",
        "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "li", "main",
        "nav", "ol", "p", "section", "table", "td", "th", "tr", "ul",
    }
)  # fmt: skip


def _parser() -> HTMLParser:
    parser: HTMLParser | None = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
        # Every element an HtmlElement, looked up in C: lxml.html's own lookup runs Python
        # code for each element touched (to give forms their classes), which costs more than
        # the parse itself on a large page.
        parser.set_element_class_lookup(etree.ElementDefaultClassLookup(element=HtmlElement))
        _PARSERS.parser = parser
    return parser


def parse_html(html: str) -> HtmlElement:
    """Parse a decoded page into an lxml tree; an encoding declared in the page is ignored."""
    try:
        tree = document_fromstring(html.encode("utf-8", errors="replace"), parser=_parser())
    except etree.ParserError as error:
        raise EmptyInputError(
            "The HTML page holds no elements: check that the page was saved completely."
        ) from error
    return tree


def squeeze(text: str) -> str:
    """Return `text` with its whitespace runs made one space, trimmed."""
    return _SPACES.sub(" ", text).strip()


def text_of(element: HtmlElement) -> str:
    """Return the text of an element and its descendants, whitespace collapsed."""
    return squeeze(element.text_content())


def spaced_text(element: HtmlElement) -> str:
    """Return an element's text with a space between its pieces: "<li>a</li><li>b</li>" -> "a b"."""
    return squeeze(" ".join(element.itertext()))


def headlines(root: HtmlElement) -> list[HtmlElement]:
    """Return the page's headline elements in page order: <h1>s and itemprop="headline"."""
    return list(_HEADLINES(root))


def following(element: HtmlElement, limit: int) -> Iterator[HtmlElement]:
    """Yield up to `limit` elements that come after `element` in document order."""
    count = 0
    node: HtmlElement | None = element
    while node is not None:
        for sibling in node.itersiblings():
            for later in sibling.iter():
                if count >= limit:
                    return
                count += 1
                yield later
        node = node.getparent()


def tag_of(element: Any) -> str:
    """Return an element's tag name, or "" for comments and other non-elements."""
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def class_words_of(raw: str) -> list[str]:
    """Return the lower-cased words of class and id values: "post-shareBox" -> post, share, box."""
    return [w.lower() for w in _WORD_SPLIT.split(raw) if w]


@dataclass
class PageHead:
    """A page's data, read once: its <meta> contents by name, and its JSON-LD objects."""

    metas: dict[str, list[str]] = field(default_factory=dict)
    objects: list[dict[str, Any]] = field(default_factory=list)

    def meta_all(self, *keys: str) -> list[str]:
        """Return the contents of the <meta> tags named by `keys` (property, name, itemprop)."""
        return [value for k in keys for value in self.metas.get(k.lower(), [])]

    def meta(self, *keys: str) -> str | None:
        """Return the first content of a <meta> tag named by one of `keys`, tried in order."""
        return next(iter(self.meta_all(*keys)), None)

    def articles(self) -> list[dict[str, Any]]:
        """Return the JSON-LD objects that describe an article (or a video, a web page)."""
        return [item for item in self.objects if ld_types(item) & ARTICLE_TYPES]


def read_head(root: HtmlElement) -> PageHead:
    """Index a page's <meta> tags and parse its JSON-LD."""
    head = PageHead(objects=json_ld(root))
    for meta in root.iter("meta"):
        content = squeeze(meta.get("content") or "")
        if not content:
            continue
        for attr in ("property", "name", "itemprop"):
            key = (meta.get(attr) or "").strip().lower()
            if key:
                head.metas.setdefault(key, []).append(content)
    return head


def _flatten(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item)
    elif isinstance(data, dict):
        yield data
        yield from _flatten(data.get("@graph", []))


def json_ld(tree: HtmlElement) -> list[dict[str, Any]]:
    """Return every JSON-LD object of the page, @graph members included; broken ones skipped."""
    objects: list[dict[str, Any]] = []
    for script in tree.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        try:
            data = json.loads(script.text.strip().rstrip(";"), strict=False)
        except ValueError:
            continue
        objects.extend(_flatten(data))
    return objects


def ld_types(item: dict[str, Any]) -> set[str]:
    """Return the schema.org types a JSON-LD object declares."""
    kind = item.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k) for k in kinds if k}


def ld_text(value: Any) -> str | None:
    """Return a JSON-LD value as text: a string, or the name of an object or of a list's first."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    if isinstance(value, str | int | float) and str(value).strip():
        return squeeze(str(value))
    return None
