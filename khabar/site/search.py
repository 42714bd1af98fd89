"""The search page: Arabic-aware search with filters, snippets and a suggestion when empty."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date

from khabar.newsroom.models import Section
from khabar.newsroom.search_index import flush_dirty, get_engine
from khabar.search import Filters, QueryError, SearchResult

PER_PAGE = 10


def _day(value: str | None, end: bool = False) -> datetime | None:
    day = parse_date(value) if value else None
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time.max if end else time.min))


def filters_from(params: Any) -> Filters:
    """Search filters from a query string (section, story, agency, person, place, from, to)."""
    story = params.get("story")
    return Filters(
        section=params.get("section") or None,
        story=int(story) if story and story.isdigit() else None,
        agency=params.get("agency") or None,
        person=params.get("person") or None,
        place=params.get("place") or None,
        since=_day(params.get("from")),
        until=_day(params.get("to"), end=True),
    )


def run_search(
    text: str, filters: Filters, page: int = 1, per_page: int = PER_PAGE
) -> SearchResult:
    """Search the index, after applying any change still waiting to be indexed."""
    flush_dirty()
    return get_engine().search(text, filters, page=page, per_page=per_page)


def search_page(request: HttpRequest) -> HttpResponse:
    """GET /search/?q=…: results, or a clear message, never a server error."""
    text = request.GET.get("q", "").strip()
    page = request.GET.get("page", "1")
    context: dict[str, Any] = {"q": text, "sections": Section.objects.all()}
    if text:
        try:
            result = run_search(text, filters_from(request.GET), int(page) if page.isdigit() else 1)
            context["result"] = result
        except QueryError as exc:
            context["error"] = exc.message_ar
    status = 400 if "error" in context else 200
    return render(request, "site/search.html", context, status=status)
