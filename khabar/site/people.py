"""The people and agencies behind the news: their pages, and the lines that link to them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from khabar.newsroom.models import Agency, Article, Author, page_url
from khabar.site import queries

PAGE_SIZE = 20


def author(request: HttpRequest, slug: str) -> HttpResponse:
    """An author's page: name, short bio and their articles, newest first, paginated."""
    person = get_object_or_404(Author, slug=slug)
    articles = queries.AUTHOR_CARDS(person.pk, timezone.now())
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "site/author.html", {"author": person, "page": page})


def agency(request: HttpRequest, slug: str) -> HttpResponse:
    """An agency's page: name, its website and the articles sourced from it, paginated."""
    source = get_object_or_404(Agency, slug=slug)
    articles = queries.AGENCY_CARDS(source.pk, timezone.now())
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    aliases = [a for a in source.aliases or [] if str(a).strip() and a != source.name]
    context = {"agency": source, "aliases": aliases, "page": page}
    return render(request, "site/agency.html", context)


def agency_url(item: Agency) -> str:
    """The address of an agency's page (the model has no get_absolute_url of its own)."""
    return page_url("site:agency", item.slug)


@dataclass(frozen=True)
class Segment:
    """A piece of a byline or source line: plain text, or a name linking to its page."""

    text: str
    url: str = ""


Target = tuple[Sequence[str], str]

# A name must stand as a whole word: "وكالات" must not light up inside "الوكالات".
_NOT_LETTER_BEFORE = r"(?<![^\W_])"
_NOT_LETTER_AFTER = r"(?![^\W_])"


def link_names(text: str, targets: Sequence[Target]) -> list[Segment]:
    """Split `text` where a target's name appears, so each name links to that target's url."""
    url_of: dict[str, str] = {}
    for names, url in targets:
        for name in names:
            if name.strip():
                url_of.setdefault(name.strip(), url)
    if not url_of or not text:
        return [Segment(text)] if text else []
    # Longest names first, so "وكالة الأنباء الأردنية (بترا)" wins over "بترا".
    alternation = "|".join(re.escape(n) for n in sorted(url_of, key=len, reverse=True))
    pattern = re.compile(f"{_NOT_LETTER_BEFORE}(?:{alternation}){_NOT_LETTER_AFTER}")
    segments: list[Segment] = []
    start = 0
    for match in pattern.finditer(text):
        if match.start() > start:
            segments.append(Segment(text[start : match.start()]))
        segments.append(Segment(match.group(), url_of[match.group()]))
        start = match.end()
    if start < len(text):
        segments.append(Segment(text[start:]))
    return segments


def _joined(items: list[Segment], separator: str) -> list[Segment]:
    out: list[Segment] = []
    for i, item in enumerate(items):
        if i:
            out.append(Segment(separator))
        out.append(item)
    return out


def byline_parts(article: Article, authors: Sequence[Author] | None = None) -> list[Segment]:
    """The byline with each of the article's authors linked; empty when it has no authors.

    The byline's own words are kept ("كتبت: …"); an author the text does not name is added.
    `authors` are the article's, when the caller has them already.
    """
    authors = list(article.authors.all() if authors is None else authors)
    if not authors:
        return []
    targets = [([a.name], a.get_absolute_url()) for a in authors]
    parts = link_names(article.byline, targets)
    linked = {p.text for p in parts if p.url}
    missing = [Segment(a.name, a.get_absolute_url()) for a in authors if a.name not in linked]
    if missing and parts:
        return [*parts, Segment("، "), *_joined(missing, "، ")]
    return parts or _joined(missing, "، ")


def source_parts(article: Article, agencies: Sequence[Agency] | None = None) -> list[Segment]:
    """The source line (المصدر: …) with each of the article's agencies linked to its page.

    `agencies` are the article's, when the caller has them already.
    """
    agencies = list(article.agencies.all() if agencies is None else agencies)
    if article.source_line:
        return link_names(article.source_line, [(a.names(), agency_url(a)) for a in agencies])
    if not agencies:
        return []
    # Written the way the seed writes several agencies: المصدر: "رويترز" + "فرانس برس".
    out = [Segment("المصدر: ")]
    for i, item in enumerate(agencies):
        if i:
            out.append(Segment(" + "))
        out += [Segment('"'), Segment(item.name, agency_url(item)), Segment('"')]
    return out
