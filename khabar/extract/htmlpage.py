"""Read an HTML page into an ExtractedArticle: trafilatura underneath, Arabic news sense on top.

The page is parsed once. Its data (headline, address, date, author, summary, photo) is read
first; then its figures, whose captions and credits are taken out; then the page is cleaned of
hidden dialogs and widgets (`html_clean`), trafilatura reads the body from what is left
(`html_body`), and the labels still among the body's lines are sorted out (`html_labels`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lxml.html import HtmlElement

from khabar.errors import NoArticleError
from khabar.extract import meta
from khabar.extract.html_body import find_lead, place_figures, run_trafilatura, xml_blocks
from khabar.extract.html_clean import clean_tree
from khabar.extract.html_dates import published_time
from khabar.extract.html_figures import lead_image, read_figures
from khabar.extract.html_labels import Labels, sort_blocks
from khabar.extract.html_meta import (
    canonical_url,
    declared_author,
    declared_image,
    declared_language,
    description,
    meta_titles,
    page_title,
    shown_byline,
    site_names,
    text_language,
)
from khabar.extract.html_shape import reshape
from khabar.extract.html_tree import parse_html, read_head
from khabar.extract.page import MIN_ARTICLE_WORDS
from khabar.extract.record import Block, ExtractedArticle

__all__ = ["extract_html"]


@dataclass
class _PageData:
    """What a page's markup says about its article, read before the page is cleaned."""

    url: str | None
    title: str
    summary: str | None
    og_image: str | None
    byline: str | None
    language: str | None
    published: datetime | None


def _page_data(root: HtmlElement, url: str | None) -> _PageData:
    head = read_head(root)
    titles = meta_titles(root, head)
    names = site_names(titles, head)
    address = canonical_url(root, head, url)
    return _PageData(
        url=address,
        title=page_title(root, head, names),
        summary=description(head),
        og_image=declared_image(head),
        byline=shown_byline(root, names) or declared_author(head, names),
        language=declared_language(root, head),
        published=published_time(root, head, [url, address]),
    )


def _words(blocks: list[Block]) -> int:
    return sum(len(b.text.split()) for b in blocks if b.kind != "image")


def _read_body(root: HtmlElement, column_words: int) -> list[Block]:
    """Return trafilatura's blocks: fast and precise first, more careful when that reads little.

    A reading with less than half the words of the page's main column of paragraphs gets
    trafilatura's second opinion (its fallback extractors), and the longer reading wins; a
    reading with no article at all is redone in recall mode.
    """
    best: list[Block] = []
    for precise, fast in ((True, True), (True, False), (False, False)):
        body = run_trafilatura(root, precise=precise, fast=fast)
        blocks = xml_blocks(body) if body is not None else []
        if _words(blocks) > _words(best):
            best = blocks
        enough = column_words // 2 if fast else MIN_ARTICLE_WORDS
        if _words(best) >= max(enough, MIN_ARTICLE_WORDS):
            break
    return best


def _dateline(texts: list[str], labels: Labels) -> tuple[str, str | None] | None:
    """Return the dateline and its agency: a line of its own, or the opening of the text."""
    if labels.dateline:
        return meta.parse_dateline(labels.dateline) or (labels.dateline, None)
    for text in texts[:1]:
        found = meta.parse_dateline(text, loose=True)
        if found is not None:
            return found
    return None


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def extract_html(html: str, *, url: str | None = None) -> ExtractedArticle:
    """Read an HTML page into an ExtractedArticle: title, body blocks, date, photo, labels."""
    root = parse_html(html)
    data = _page_data(root, url)
    figures = read_figures(root, data.url)
    cleaning = clean_tree(root)
    reshape(root)
    blocks, labels = sort_blocks(_read_body(root, cleaning.column_words), data.title)
    blocks = place_figures(blocks, figures)
    lead = find_lead(root, data.summary, blocks)
    texts = ([lead] if lead else []) + [b.text for b in blocks if b.kind != "image"]
    if sum(len(t.split()) for t in texts) < MIN_ARTICLE_WORDS:
        raise NoArticleError(
            "No article found in this HTML page: it may be a section front, a login wall or a "
            "page built by JavaScript. Save the article's own page (or its text) and try again."
        )
    dateline = _dateline(texts, labels)
    sources = labels.sources or ([dateline[1]] if dateline and dateline[1] else [])
    return ExtractedArticle(
        title=data.title,
        lead=lead,
        blocks=blocks,
        image=lead_image(figures, data.og_image),
        sources=sources,
        source_line=labels.source_line,
        byline=labels.byline or data.byline,
        dateline=dateline[0] if dateline else None,
        published=data.published,
        language=text_language(texts, data.language),
        related_headlines=_unique(cleaning.related + labels.related),
        url=data.url,
    )
