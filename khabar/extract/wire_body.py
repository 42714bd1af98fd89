"""Turn the body a feed entry or a wire item carries (HTML, XHTML, NITF or plain text) into Blocks.

p becomes a paragraph, h1-h6 and NITF's hl2 a sub-heading, blockquote and NITF's bq a quote,
figure/img and NITF's media an image. Scripts, styles, embeds, forms and share or "related"
widgets are dropped; the words of the body are never rewritten.
"""

from __future__ import annotations

import re
from typing import Any

import py3langid
from lxml import etree
from lxml import html as lxml_html

from khabar.extract import meta, vocab
from khabar.extract.record import Block, BlockKind, Image
from khabar.extract.wire_xml import attr, child, descendants, local_name, text

__all__ = [
    "detect_language",
    "element_blocks",
    "find_dateline",
    "first_image",
    "html_blocks",
    "html_text",
    "primary_language",
    "text_blocks",
]

Element = Any  # an lxml element

_PARAGRAPH = frozenset({"p", "li", "dd", "dt", "pre", "address"})
_SUBHEADING = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "hl2"})
_QUOTE = frozenset({"blockquote", "bq"})
_IMAGE = frozenset({"img", "figure", "picture", "media"})
_DROP = frozenset(
    {
        "script", "style", "iframe", "noscript", "form", "button", "svg", "object", "embed",
        "nav", "aside", "footer", "head", "template", "input", "select", "textarea", "video",
        "audio", "canvas", "map", "meta", "link", "title", "figcaption", "hl1", "source",
    }
)  # fmt: skip
_CONTAINER = frozenset(
    {
        "html", "body", "div", "section", "article", "main", "header", "ul", "ol", "dl", "table",
        "thead", "tbody", "tfoot", "tr", "td", "th", "center", "block", "body.content",
        "hgroup", "details", "fieldset",
    }
)  # fmt: skip
_BLOCK = _PARAGRAPH | _SUBHEADING | _QUOTE | _IMAGE | _DROP | _CONTAINER

# Class or id words of the widgets a CMS puts inside article markup.
_WIDGET_WORDS = frozenset(
    {
        "share", "sharing", "sharedaddy", "social", "addtoany", "a2a", "related", "relatedposts",
        "newsletter", "advert", "advertisement", "ads", "ad", "sponsor", "sponsored", "promo",
        "subscribe", "tweet", "instagram", "tiktok", "outbrain", "taboola",
    }
)  # fmt: skip
_CREDIT_WORDS = frozenset({"credit", "byline", "copyright", "photographer"})
_WORD_SPLIT = re.compile(r"[-_\s]+")
_BR = "\ue000"  # stands for <br> while text is gathered; two in a row end a paragraph
_PARAGRAPH_BREAK = re.compile(rf"{_BR}\s*{_BR}[\s{_BR}]*")
_READ_ALSO = vocab.label_pattern(vocab.READ_ALSO)
_APPEARED_FIRST = re.compile(r"appeared first on|ظهرت المقالة .+ أول[اًا]* على", re.IGNORECASE)
_MAX_DEPTH = 120
_MAX_WIDGET_CHARS = 400
_MIN_LANGUAGE_LETTERS = 20


def _squash(raw: str) -> str:
    return " ".join(raw.replace(_BR, " ").split())


def _class_words(element: Element, wanted: frozenset[str]) -> bool:
    names = " ".join(filter(None, (attr(element, "class"), attr(element, "id"))))
    return bool(names) and any(w in wanted for w in _WORD_SPLIT.split(names.lower()))


def _widget(element: Element) -> bool:
    # A long element is article text whatever its class says ("entry-content social-ready").
    if not _class_words(element, _WIDGET_WORDS):
        return False
    return len("".join(element.itertext())) < _MAX_WIDGET_CHARS


def _dropped(element: Element) -> bool:
    name = local_name(element)
    return not name or name in _DROP or _widget(element)


def _is_block(element: Element) -> bool:
    if local_name(element) in _BLOCK:
        return True
    return any(local_name(d) in _BLOCK for d in element.iterdescendants())


def _boilerplate(line: str) -> bool:
    folded = vocab.fold(line)
    if vocab.only_words(folded, vocab.SHARE_WORDS) or _APPEARED_FIRST.search(line):
        return True
    return _READ_ALSO.match(folded) is not None and len(line.split()) <= 25


class _Walker:
    """Gathers the blocks of one body in reading order."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []

    def flush(self, pieces: list[str], kind: BlockKind) -> None:
        """Turn the text gathered so far into blocks of `kind`, one per paragraph break."""
        for part in _PARAGRAPH_BREAK.split("".join(pieces)):
            line = _squash(part)
            if line and not _boilerplate(line):
                self.blocks.append(Block(kind=kind, text=line))
        pieces.clear()

    def inline(self, element: Element, pieces: list[str]) -> None:
        """Gather the text of an element that holds no block, keeping its line breaks."""
        if element.text:
            pieces.append(element.text)
        for node in element:
            if local_name(node) == "br":
                pieces.append(_BR)
            elif not _dropped(node):
                self.inline(node, pieces)
            if node.tail:
                pieces.append(node.tail)

    def walk(self, element: Element, kind: BlockKind, depth: int = 0) -> None:
        """Read an element's children in order: text gathers, each block child is read apart."""
        pieces: list[str] = [element.text or ""]
        for node in element:
            if local_name(node) == "br":
                pieces.append(_BR)
            elif _dropped(node):
                pass
            elif depth >= _MAX_DEPTH or not _is_block(node):
                self.inline(node, pieces)
            else:
                self.flush(pieces, kind)
                self.block(node, kind, depth + 1)
            if node.tail:
                pieces.append(node.tail)
        self.flush(pieces, kind)

    def block(self, element: Element, kind: BlockKind, depth: int) -> None:
        """Read one block element: an image, or text whose kind its tag (or a quote) decides."""
        name = local_name(element)
        if name in _IMAGE:
            image = _image(element)
            if image is not None:
                self.blocks.append(Block(kind="image", image=image))
        elif name in _QUOTE or kind == "quote":
            self.walk(element, "quote", depth)
        elif name in _SUBHEADING:
            self.walk(element, "subheading", depth)
        elif name in _PARAGRAPH:
            self.walk(element, "paragraph", depth)
        else:
            self.walk(element, kind, depth)


def _credit_in(figure: Element) -> str | None:
    for node in figure.iter():
        if node is not figure and _class_words(node, _CREDIT_WORDS):
            return text(node)
    return None


def _nitf_media(media: Element) -> Image | None:
    if (attr(media, "media-type") or "image").lower() not in ("image", "photo", "graphic"):
        return None
    reference = child(media, "media-reference")
    url = attr(reference, "source") or attr(reference, "data")
    caption = text(child(media, "media-caption"))
    if not url and not caption:
        return None
    credit = text(child(media, "media-producer"))
    return Image(url=url, caption=caption, credit=credit, alt=attr(reference, "alternate-text"))


def _image(element: Element) -> Image | None:
    if local_name(element) == "media":
        return _nitf_media(element)
    img = element if local_name(element) == "img" else next(descendants(element, "img"), None)
    url = attr(img, "src")
    if url is None or url.startswith("data:"):
        url = attr(img, "data-src")
    caption = text(child(element, "figcaption"))
    if not url and not caption:
        return None
    return Image(url=url, caption=caption, credit=_credit_in(element), alt=attr(img, "alt"))


def _without_title(blocks: list[Block], title: str | None) -> list[Block]:
    if title and blocks and blocks[0].kind != "image" and blocks[0].text == _squash(title):
        return blocks[1:]
    return blocks


def element_blocks(element: Element, *, title: str | None = None) -> list[Block]:
    """Return the blocks of a parsed body element (XHTML, HTML or NITF body.content)."""
    walker = _Walker()
    walker.walk(element, "paragraph")
    return _without_title(walker.blocks, title)


def _html_root(markup: str) -> Element | None:
    parser = lxml_html.HTMLParser(
        encoding="utf-8", no_network=True, remove_comments=True, remove_pis=True, huge_tree=False
    )
    try:
        root = lxml_html.document_fromstring(markup.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    body = root.find("body")
    return root if body is None else body


def html_blocks(markup: str | None, *, title: str | None = None) -> list[Block]:
    """Return the blocks of an HTML fragment or page body."""
    if not markup or not markup.strip():
        return []
    root = _html_root(markup)
    return [] if root is None else element_blocks(root, title=title)


def html_text(markup: str | None) -> str | None:
    """Return the plain text of a short HTML snippet (a summary, a caption), or None."""
    joined = " ".join(b.text for b in html_blocks(markup) if b.text)
    return joined or None


def text_blocks(raw: str | None, *, title: str | None = None) -> list[Block]:
    """Return paragraphs of plain text: split at blank lines, or at each line when none."""
    if not raw or not raw.strip():
        return []
    normalized = raw.replace("\r\n", "\n").replace("\r", "\n")
    blank = re.compile(r"\n\s*\n")
    parts = blank.split(normalized) if blank.search(normalized) else normalized.split("\n")
    blocks = [Block(kind="paragraph", text=_squash(p)) for p in parts if p.strip()]
    return _without_title(blocks, title)


def first_image(blocks: list[Block]) -> Image | None:
    """Return the first image among the blocks, or None."""
    return next((b.image for b in blocks if b.kind == "image" and b.image is not None), None)


def find_dateline(blocks: list[Block], lead: str | None) -> tuple[str, str | None] | None:
    """Return the dateline opening the first paragraph (or the lead) and its agency, or None."""
    first = next((b.text for b in blocks if b.kind == "paragraph"), None)
    for candidate in (first, lead):
        found = meta.parse_dateline(candidate, loose=True) if candidate else None
        if found is not None:
            return found
    return None


def primary_language(tag: object) -> str | None:
    """Return the primary subtag of a language tag ("ar-EG" -> "ar"), or None."""
    if not isinstance(tag, str):
        return None
    primary = re.split(r"[-_]", tag.strip().lower(), maxsplit=1)[0]
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None


def detect_language(texts: list[str | None]) -> str | None:
    """Return the language the texts are written in, as a two-letter code, or None."""
    joined = " ".join(t for t in texts if t).strip()
    if sum(ch.isalpha() for ch in joined) < _MIN_LANGUAGE_LETTERS:
        return None  # too little text for a guess worth keeping
    return str(py3langid.classify(joined)[0])
