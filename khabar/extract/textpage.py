"""Read a news page saved as plain text into an ExtractedArticle.

The page is a sequence of lines. Each line is classified on its own (paragraph, headline, label,
widget, list item), the article is the densest run of paragraphs, and the rest is read around it:
the title and photo above, the source line and related headlines below, the site chrome apart.
"""

from __future__ import annotations

from datetime import datetime

import py3langid

from khabar.arabic.dates import find_dates
from khabar.extract import meta
from khabar.extract.body import find_images, find_title, has_lead, read_body
from khabar.extract.chrome import read_head, read_tail, related_headlines
from khabar.extract.classify import Kind
from khabar.extract.page import Page, article_run, read_page
from khabar.extract.record import ExtractedArticle

__all__ = ["event_dates_in_text", "extract_text_page"]

# Labelled publication dates win over bare dates, which win over "last updated".
_DATE_ORDER = ("published", "plain", "updated")
# How far below the article's last paragraph a date line may sit and still date it.
_DATE_REACH = 4


def _first_text(page: Page, kind: Kind, lo: int, hi: int) -> str | None:
    index = page.find(kind, lo, hi)
    return None if index is None else page.lines[index].text


def _published(page: Page, lo: int, hi: int) -> datetime | None:
    """Return the page's publication time from the date lines in [lo, hi)."""
    lines = [page.lines[i] for i in range(lo, hi) if page.kinds[i] is Kind.DATE]
    dated = [d for d in map(meta.parse_date_line, lines) if d is not None and d.value is not None]
    for role in _DATE_ORDER:
        for line in dated:
            if line.role == role:
                return line.value
    return None


def _dateline(
    page: Page, lead: str | None, first: str | None, lo: int
) -> tuple[str, str | None] | None:
    """Return the dateline and its agency: on its own line above the text, or opening it."""
    alone = _first_text(page, Kind.DATELINE, lo, len(page))
    if alone is not None:
        return meta.parse_dateline(alone)
    for text in (lead, first):
        found = meta.parse_dateline(text, loose=True) if text else None
        if found is not None:
            return found
    return None


def _sources(page: Page, lo: int) -> tuple[str | None, list[str]]:
    index = page.find(Kind.SOURCE, lo)
    if index is None:
        return None, []
    line = page.lines[index]
    return line.text, meta.parse_sources(line) or []


def _language(texts: list[str]) -> str | None:
    text = " ".join(texts).strip()
    return str(py3langid.classify(text)[0]) if text else None


def extract_text_page(text: str, *, url: str | None = None) -> ExtractedArticle:
    """Read a news page saved as plain text into an ExtractedArticle."""
    page = read_page(text)
    start, end = article_run(page)
    title_at = find_title(page, start)
    title = "" if title_at is None else page.lines[title_at].text
    head_end = start if title_at is None else title_at
    if title_at is not None:
        page.roles[title_at] = "title"
    images = find_images(page, head_end + (title_at is not None), end + 1, start, title)
    lead = page.lines[start].text if has_lead(page, start, end) else None
    if lead is not None:
        page.roles[start] = "lead"
    blocks = read_body(page, start, end, images)
    chrome = read_head(page, head_end)
    comments_at = page.find(Kind.COMMENTS, start)
    chrome.comments_heading = None if comments_at is None else page.lines[comments_at].text
    read_tail(page, end + 1)
    meta_lo, meta_hi = max(0, head_end - 1), len(page) if comments_at is None else comments_at
    source_line, sources = _sources(page, head_end)
    paragraphs = [b.text for b in blocks if b.kind == "paragraph"]
    dateline = _dateline(page, lead, paragraphs[0] if paragraphs else None, meta_lo)
    if dateline is not None and dateline[1] and not sources:
        sources = [dateline[1]]
    return ExtractedArticle(
        title=title,
        lead=lead,
        blocks=blocks,
        image=images[min(images)] if images else None,
        sources=sources,
        source_line=source_line,
        byline=_first_text(page, Kind.BYLINE, meta_lo, meta_hi),
        dateline=None if dateline is None else dateline[0],
        published=_published(page, meta_lo, min(meta_hi, end + 1 + _DATE_REACH)),
        language=_language(([lead] if lead else []) + paragraphs),
        related_headlines=related_headlines(page),
        chrome=chrome,
        url=url,
    )


def event_dates_in_text(article: ExtractedArticle) -> list[str]:
    """Return the dates the lead and body mention ("1 يونيو/حزيران"), as written, each once."""
    seen: dict[str, None] = {}
    for text in ([article.lead] if article.lead else []) + article.body:
        for match in find_dates(text):
            if match.day is not None and match.month is not None:
                seen.setdefault(match.text, None)
    return list(seen)
