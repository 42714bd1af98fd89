"""Read an HTML page into an ExtractedArticle: for now, trafilatura's reading of it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import py3langid

from khabar.errors import NoArticleError
from khabar.extract.page import MIN_ARTICLE_WORDS
from khabar.extract.record import Block, ExtractedArticle


def _published(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _paragraphs(text: str, title: str) -> list[str]:
    """Split trafilatura's text into paragraphs, less the headline it may repeat at the top."""
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    if paragraphs and " ".join(paragraphs[0].split()) == " ".join(title.split()):
        paragraphs = paragraphs[1:]
    return paragraphs


def _bare(html: str, url: str | None) -> dict[str, Any] | None:
    import trafilatura  # imported here: it is slow to load and only HTML needs it

    found = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_formatting=False,
    )
    if found is None:
        return None
    data = found if isinstance(found, dict) else found.as_dict()
    return dict(data)


def extract_html(html: str, *, url: str | None = None) -> ExtractedArticle:
    """Read an HTML page into an ExtractedArticle with trafilatura: title, paragraphs, date."""
    found = _bare(html, url) or {}
    title = str(found.get("title") or "")
    paragraphs = _paragraphs(str(found.get("text") or ""), title)
    if sum(len(p.split()) for p in paragraphs) < MIN_ARTICLE_WORDS:
        raise NoArticleError(
            "No article found in this HTML page: it may be a section front, a login wall or a "
            "page built by JavaScript. Save the article's own page (or its text) and try again."
        )
    text = " ".join(paragraphs)
    return ExtractedArticle(
        title=title,
        blocks=[Block("paragraph", p) for p in paragraphs],
        byline=found.get("author") or None,
        published=_published(found.get("date")),
        language=str(py3langid.classify(text)[0]),
        url=url or found.get("url") or None,
    )
