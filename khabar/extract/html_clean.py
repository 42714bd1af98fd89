"""Clear a parsed page of what readers never see or never read as the article.

Two passes, before trafilatura reads the page. The first drops what is hidden: dialogs, closed
pop-ups (comment rules), `hidden` and `display:none` elements. The second drops the widgets
news sites put around and inside an article: comments and their rules, share bars, "اقرأ أيضا"
and related boxes, tag lists, next/previous links, ads, newsletters and the author's bio box,
known by their class words or by their heading's text, in Arabic, English or French. Neither
pass removes an element that holds the headline or the article's main text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from lxml import etree
from lxml.html import HtmlElement

from khabar.extract import vocab
from khabar.extract.html_tree import BLOCK_TAGS, class_words_of, tag_of, text_of
from khabar.extract.html_vocab import HIDDEN_CLASSES, NOT_PREFIXED, PARTS, PREFIXES
from khabar.extract.vocab import fold

_PREFIXED = re.compile("|".join(sorted(PREFIXES, key=len, reverse=True)))
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_ALWAYS_DROPPED = frozenset({"template", "dialog", "noscript"})
# The attributes that may name a widget or hide an element: only elements with one are surveyed.
_SURVEYED_ATTRS = frozenset({"class", "id", "style", "hidden", "aria-hidden", "role", "aria-modal"})
# The elements that hold the article for sure (and <h1>s). Compiled once; the attribute axis is
# walked far faster by libxml2 than `//*[@itemprop=...]`.
_ANCHORS = etree.XPath("//@itemprop[. = 'articleBody']/parent::* | //h1 | //main")
_CHROME_PARTS = frozenset(
    {"comments", "share", "related", "tags", "navigation", "ads", "author_box"}
)
_CHROME_TAGS = (BLOCK_TAGS | {"span", "a"}) - {"td", "th", "tr", "li", "dd", "dt"}
# Inline elements are dropped only as share buttons and ads: a "tag" link may be a word.
_INLINE_PARTS = frozenset({"share", "ads"})
_BOX_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6", "p", "div", "span", "strong", "b", "li"})
# Letters that every box heading holds, to skip most text without folding it.
_CUE = re.compile(
    r"[أاإ]يض|كذلك|المزيد|صل[ةه]|متعلق|الأكثر|الاكثر|يهمك|يعجبك|وسوم|كلمات|تعليق|"
    r"also|more|related|most|tags|topics|keywords|aussi|voir|sujet|plus|mots|comment",
    re.IGNORECASE,
)
_READ_ALSO = vocab.label_pattern(vocab.READ_ALSO)
_HEADING_SETS = (vocab.RELATED_HEADINGS, vocab.TAGS_HEADINGS, vocab.COMMENTS_HEADINGS)
_EDGES = vocab.SEPARATORS + " ()[]*#:"
# A box under a "related" heading is mostly links; an article's text is mostly not.
_MIN_LINK_SHARE = 0.5
_MAX_BOX_CHARS = 1500
_MAX_CUE_CHARS = 120
_SHORT_TEXTS = etree.XPath(f"//text()[string-length(.) < {_MAX_CUE_CHARS}]")
_MAX_HEADING_WORDS = 6
_MAX_READ_ALSO_WORDS = 30
# A list of links right under a heading inside the article, no longer than this, is its box.
_MAX_LIST_WORDS = 60


@dataclass
class Cleaning:
    """What the cleaning removed that the article record keeps: the related headlines."""

    related: list[str] = field(default_factory=list)
    removed: int = 0
    column_words: int = 0  # words in the <p>s of the page's main column, once cleaned


def part_of(element: HtmlElement) -> str | None:
    """Return the page part an element's class and id name ("share", "related", ...), or None."""
    raw = f"{element.get('class') or ''} {element.get('id') or ''}"
    return _part_named(raw) if raw.strip() else None


@lru_cache(maxsize=8192)
def _part_named(raw: str) -> str | None:
    words = class_words_of(raw)
    pairs = set(pairwise(words))
    for part, (singles, couples) in PARTS.items():
        if singles.intersection(words) or pairs.intersection(couples):
            return part
    for word in words:
        match = _PREFIXED.match(word)
        if match and word not in NOT_PREFIXED:
            return PREFIXES[match.group(0)]
    return None


def hiding(element: HtmlElement, part: str | None = None) -> str | None:
    """Return how the markup hides an element until a script shows it ("dialog", "hidden")."""
    get, tag = element.get, tag_of(element)
    if tag == "dialog" or part == "modal" or get("aria-modal") == "true":
        return "dialog"
    if get("role") in ("dialog", "alertdialog"):
        return "dialog"
    if tag in _ALWAYS_DROPPED or get("hidden") is not None:
        return "hidden"
    style, classes = get("style"), get("class")
    if get("aria-hidden") == "true" or (style and _HIDDEN_STYLE.search(style)):
        return "hidden"
    if classes and HIDDEN_CLASSES.intersection(classes.lower().split()):
        return "hidden"
    return None


def is_hidden(element: HtmlElement) -> bool:
    """Tell whether the markup hides an element from readers until a script shows it."""
    return hiding(element, part_of(element)) is not None


def _anchors(root: HtmlElement) -> list[HtmlElement]:
    """Return the elements that hold the article for sure: its body, headline and <article>."""
    found: list[HtmlElement] = _ANCHORS(root)
    articles = list(root.iter("article"))
    if articles:
        found.append(max(articles, key=lambda a: len(a.text_content())))
    return found


def _densest_parent(root: HtmlElement) -> HtmlElement | None:
    """Return the element whose own <p> children hold the most text: the article's column."""
    totals: dict[HtmlElement, int] = {}
    for para in root.iter("p"):
        parent = para.getparent()
        if parent is not None:
            totals[parent] = totals.get(parent, 0) + len(para.text_content())
    return max(totals, key=lambda p: totals[p]) if totals else None


def _paragraph_chars(element: HtmlElement) -> int:
    return sum(len(p.text_content()) for p in element.iter("p"))


def _protected(anchors: list[HtmlElement]) -> set[HtmlElement]:
    kept: set[HtmlElement] = set()
    for anchor in anchors:
        kept.update(anchor.iterancestors())
        kept.add(anchor)
    return kept


def _attached(element: HtmlElement, root: HtmlElement) -> bool:
    """Tell whether an element is still in the page, not inside a subtree already dropped."""
    ancestors = list(element.iterancestors())
    return bool(ancestors) and ancestors[-1] is root


def _drop(element: HtmlElement, cleaning: Cleaning) -> None:
    element.drop_tree()
    cleaning.removed += 1


def _survey(
    root: HtmlElement,
) -> tuple[list[tuple[HtmlElement, str]], list[tuple[HtmlElement, str]]]:
    """Return, in one pass, the hidden elements and the widgets, with how or what each is."""
    hidden: list[tuple[HtmlElement, str]] = []
    chrome: list[tuple[HtmlElement, str]] = []
    for element in root.iter(etree.Element):
        if element.tag not in _ALWAYS_DROPPED and _SURVEYED_ATTRS.isdisjoint(element.keys()):
            continue
        part = part_of(element)
        how = hiding(element, part)
        if how is not None:
            hidden.append((element, how))
        elif part in _CHROME_PARTS and (tag := tag_of(element)) in _CHROME_TAGS:
            inline = tag in ("span", "a")
            if not inline or part in _INLINE_PARTS:
                chrome.append((element, part))
    return hidden, chrome


def _links_text(element: HtmlElement) -> int:
    return sum(len(text_of(a)) for a in element.iter("a"))


def _link_box(element: HtmlElement) -> bool:
    """Tell whether an element is a short list of links: a related or tags box."""
    text = len(text_of(element))
    return 0 < text <= _MAX_BOX_CHARS and _links_text(element) >= _MIN_LINK_SHARE * text


def _headlines(element: HtmlElement) -> list[str]:
    """Return the link texts of a related box that read as headlines (three words or more)."""
    texts = (text_of(a) for a in element.iter("a"))
    return [t for t in texts if len(t.split()) >= 3]


def _box_heading(element: HtmlElement) -> bool:
    """Tell whether an element is the short heading of a box: "اقرأ أيضا", "Tags"."""
    text = text_of(element)
    if not text or len(text.split()) > _MAX_HEADING_WORDS or len(element) > 2:
        return False
    folded = fold(text)
    core = folded.strip(_EDGES)
    return bool(_READ_ALSO.match(folded)) or any(core in h for h in _HEADING_SETS)


def _read_also_line(element: HtmlElement) -> bool:
    """Tell whether a paragraph is an inline "اقرأ أيضا: <a>headline</a>" line."""
    if tag_of(element) not in ("p", "div", "li", "h3", "h4", "h5", "strong") or len(element) > 4:
        return False
    text = text_of(element)
    return (
        bool(_READ_ALSO.match(fold(text)))
        and _links_text(element) > 0
        and len(text.split()) <= _MAX_READ_ALSO_WORDS
    )


def _box_of(heading: HtmlElement, kept: set[HtmlElement]) -> HtmlElement | None:
    """Return the smallest container of a box heading that is a box of links, or None."""
    box = heading.getparent()
    while box is not None and box not in kept:
        if _link_box(box):
            return box
        if len(text_of(box)) > _MAX_BOX_CHARS:
            return None
        box = box.getparent()
    return None


def _drop_following_links(heading: HtmlElement, cleaning: Cleaning) -> None:
    """Drop a heading inside the article and the link lists right after it."""
    sibling = heading.getnext()
    _drop(heading, cleaning)
    while sibling is not None and _link_box(sibling):
        if len(text_of(sibling).split()) >= _MAX_LIST_WORDS:
            break
        following = sibling.getnext()
        cleaning.related.extend(_headlines(sibling))
        _drop(sibling, cleaning)
        sibling = following


def _cue_elements(root: HtmlElement) -> list[HtmlElement]:
    """Return the elements whose own short text may name a box ("اقرأ أيضا", "Tags")."""
    found: dict[HtmlElement, None] = {}
    for text in _SHORT_TEXTS(root):
        if not _CUE.search(text):
            continue
        parent = text.getparent()
        if parent is not None and text.is_tail:
            parent = parent.getparent()
        if parent is not None:
            found.setdefault(parent, None)
    return list(found)


def _box_candidate(element: HtmlElement) -> HtmlElement | None:
    """Return the element at or just above `element` that is a box heading or "read also" line."""
    for candidate in (element, element.getparent()):
        if candidate is None or tag_of(candidate) not in _BOX_HEADINGS:
            continue
        if _read_also_line(candidate) or _box_heading(candidate):
            return candidate
    return None


def _drop_boxes(root: HtmlElement, kept: set[HtmlElement], cleaning: Cleaning) -> None:
    """Drop the boxes opened by a "read also" or related heading, and inline "read also" lines."""
    for cue in _cue_elements(root):
        element = _box_candidate(cue)
        if element is None or element in kept or not _attached(element, root):
            continue
        if _read_also_line(element):
            cleaning.related.extend(_headlines(element))
            _drop(element, cleaning)
            continue
        box = _box_of(element, kept)
        if box is not None:
            cleaning.related.extend(_headlines(box))
            _drop(box, cleaning)
        else:
            _drop_following_links(element, cleaning)


def clean_tree(root: HtmlElement) -> Cleaning:
    """Remove hidden elements and widgets from a parsed page, in place; say what was kept aside."""
    cleaning = Cleaning()
    anchors = _anchors(root)
    hidden, chrome = _survey(root)
    kept = _protected(anchors)
    total = _paragraph_chars(root)
    for element, how in hidden:
        if element in kept or not _attached(element, root):
            continue
        # A page may hide its text until a script shows it: a hidden element holding most of
        # the page's paragraphs is the article, not a widget. Dialogs are never the article.
        if how == "dialog" or _paragraph_chars(element) * 2 < total:
            _drop(element, cleaning)
    # The article's column is known once the hidden blocks (a long rules dialog) are gone.
    densest = _densest_parent(root)
    kept = _protected([*anchors, densest] if densest is not None else anchors)
    for element, part in chrome:
        if element not in kept and _attached(element, root):
            if part == "related":
                cleaning.related.extend(_headlines(element))
            _drop(element, cleaning)
    _drop_boxes(root, kept, cleaning)
    if densest is not None:
        cleaning.column_words = sum(len(p.text_content().split()) for p in densest.iter("p"))
    return cleaning
