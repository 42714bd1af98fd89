"""Reshape the markup trafilatura misreads, without changing what the page says.

- A table used for layout (cells holding headings, paragraphs or whole columns) becomes <div>s:
  read as a data table it would come out as one row of everything, sidebar included.
- A <header> inside an <article> holding a sub-heading (a live blog's update) becomes a <div>:
  trafilatura drops headers, and the update's heading with it.
- Sibling <article>s holding most of the page's text (a live blog's updates) become <div>s:
  trafilatura would keep the first update only.
- A quotation's `lang` attribute goes: trafilatura takes a <blockquote lang="en"> for code.
- Text loose between block elements ("<div>..</div> text <br>") is wrapped in a <p>:
  trafilatura loses such a tail.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from khabar.extract.html_tree import BLOCK_TAGS, tag_of

# A cell holding more text than this is a page column, not a datum.
_MAX_CELL_CHARS = 300
# Loose text shorter than this (a separator, a counter) is left where it is.
_MIN_LOOSE_WORDS = 3
_MIN_FEED_POSTS = 2
_CONTAINERS = ("div", "td", "section", "article", "main", "center", "font")


def _is_layout(table: HtmlElement) -> bool:
    """Tell whether a table lays out the page rather than holding data."""
    cells = list(table.iter("td", "th"))
    if len(cells) <= 1:
        return True
    if next(table.iterdescendants("table", "h1", "h2", "h3"), None) is not None:
        return True
    for cell in cells:
        blocks = sum(1 for _ in cell.iterchildren("p", "div"))
        if blocks >= 2 or len(cell.text_content()) > _MAX_CELL_CHARS:
            return True
    return False


def unwrap_layout_tables(root: HtmlElement) -> None:
    """Turn the tables that lay out a page into <div>s, innermost first."""
    for table in reversed(list(root.iter("table"))):
        if not _is_layout(table):
            continue
        for part in table.iter("tbody", "thead", "tfoot", "tr", "td", "th"):
            part.tag = "div"
        table.tag = "div"


def open_headers(root: HtmlElement) -> None:
    """Turn the <header>s of article parts (sub-heading, no headline) into <div>s."""
    for header in list(root.iter("header")):
        if (
            next(header.iterancestors("article"), None) is not None
            and next(header.iterdescendants("h2", "h3", "h4"), None) is not None
            and next(header.iterdescendants("h1"), None) is None
        ):
            header.tag = "div"


def _paragraph_chars(element: HtmlElement) -> int:
    return sum(len(p.text_content()) for p in element.iter("p"))


def open_feeds(root: HtmlElement) -> None:
    """Turn sibling <article>s that hold most of the page's text (a live blog) into <div>s."""
    total = _paragraph_chars(root)
    parents: dict[HtmlElement, list[HtmlElement]] = {}
    for article in root.iter("article"):
        parent = article.getparent()
        if parent is not None:
            parents.setdefault(parent, []).append(article)
    for siblings in parents.values():
        held = sum(_paragraph_chars(a) for a in siblings)
        if len(siblings) >= _MIN_FEED_POSTS and held * 2 >= total > 0:
            for article in siblings:
                article.tag = "div"


def unmark_quotes(root: HtmlElement) -> None:
    """Drop the `lang` of quotations, which would make trafilatura read them as code."""
    for quote in root.iter("blockquote", "q"):
        quote.attrib.pop("lang", None)


def _wrap_tail(element: HtmlElement) -> None:
    """Move the text after a block element, up to the next block, into a new <p>."""
    paragraph = element.makeelement("p", {})
    paragraph.text = element.tail
    element.tail = None
    sibling = element.getnext()
    while sibling is not None and tag_of(sibling) not in BLOCK_TAGS and tag_of(sibling) != "br":
        following = sibling.getnext()
        paragraph.append(sibling)
        sibling = following
    element.addnext(paragraph)


def wrap_loose_text(root: HtmlElement) -> None:
    """Wrap the text left between block elements of a container in <p>s."""
    for container in list(root.iter(*_CONTAINERS)):
        for child in list(container):
            loose = len((child.tail or "").split()) >= _MIN_LOOSE_WORDS
            if loose and tag_of(child) in BLOCK_TAGS:
                _wrap_tail(child)


def reshape(root: HtmlElement) -> None:
    """Apply every reshaping to a parsed page, in place."""
    unwrap_layout_tables(root)
    open_headers(root)
    open_feeds(root)
    unmark_quotes(root)
    wrap_loose_text(root)
