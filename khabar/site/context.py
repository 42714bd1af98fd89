"""What every reader page shows around its content: the site's chrome.

The chrome is on every page, so it stays cheap: one query for the menu (sections and follow-us
channels together), two for the stories strip and one for the live link, computed once per
page-cache generation in each process (see khabar.site.pagecache.per_generation).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import BooleanField, CharField, F, Value
from django.http import HttpRequest
from django.utils import timezone

from khabar.arabic.dates import format_date, weekday_name
from khabar.newsroom.models import LiveEvent, Section, Story, page_url
from khabar.site import pagecache


@dataclass(frozen=True)
class Feed:
    """One of the site's own feeds, for "follow us" and the footer."""

    name: str
    label: str
    url: str
    mime: str


@dataclass
class Menu:
    """The rarely changing part of the chrome: the sections and the follow-us channels."""

    sections: list[Section]
    channels: list[Any]


def site_menu() -> Menu:
    """Sections and channels in one query: a UNION of the two tables, told apart by a column."""
    from khabar.site.models import Channel

    text = CharField()
    # Each half drops its Meta ordering: a compound statement is ordered once, as a whole.
    sections = (
        Section.objects.order_by()
        .annotate(
            kind=Value("section", output_field=text),
            ref=F("slug"),
            flag=F("important"),
            extra=Value("", output_field=text),
        )
        .values_list("kind", "id", "name", "ref", "flag", "extra", "order")
    )
    channels = (
        Channel.objects.order_by()
        .annotate(
            kind=Value("channel", output_field=text),
            ref=F("url"),
            flag=Value(False, output_field=BooleanField()),
            extra=F("icon"),
            rank=F("order"),
        )
        .values_list("kind", "id", "name", "ref", "flag", "extra", "rank")
    )
    rows = sections.union(channels, all=True).order_by("kind", "order", "name")
    menu = Menu(sections=[], channels=[])
    for kind, pk, name, ref, flag, extra, order in rows:
        if kind == "section":
            menu.sections.append(
                Section(id=pk, name=name, slug=ref, important=bool(flag), order=order)
            )
        else:
            menu.channels.append(Channel(id=pk, name=name, url=ref, icon=extra, order=order))
    return menu


def strip_stories(limit: int = 6) -> list[Story]:
    """The stories strip: pinned stories, then those with the newest articles, with counts."""
    from khabar.site.queries import trending_stories

    return trending_stories(limit)


def site_feeds() -> list[Feed]:
    """The site's own feeds, named for people and for machines."""
    return [
        Feed("RSS", "خلاصة RSS", page_url("site:feed-rss"), "application/rss+xml"),
        Feed("Atom", "خلاصة Atom", page_url("site:feed-atom"), "application/atom+xml"),
        Feed("JSON", "خلاصة JSON Feed", page_url("site:feed-json"), "application/feed+json"),
    ]


def date_line() -> str:
    """Today as an Arabic news site heads its pages: الأحد 29 نوفمبر/تشرين الثاني 2026."""
    today = timezone.localdate()
    return f"{weekday_name(today)} {format_date(today, digits=settings.KHABAR_DIGITS)}"


def page_canonical(request: HttpRequest) -> str:
    """The page's own address for <link rel=canonical>: no tracking parameters, page 2+ kept."""
    page = request.GET.get("page", "")
    query = f"?page={int(page)}" if page.isdigit() and int(page) > 1 else ""
    return request.build_absolute_uri(request.path) + query


def site_chrome(request: HttpRequest) -> dict[str, Any]:
    """Sections for the menu, the important sections, the follow-us channels, the stories strip."""
    if request.path.startswith("/admin/"):
        return {}
    # The menu, strip and live link change only when something is saved: computed once per
    # generation of the page cache in each process, so a page missing the cache skips them.
    menu, strip, live_now = pagecache.per_generation("chrome", _chrome_parts)
    return {
        "site_name": settings.SITE_NAME,
        "date_line": date_line(),
        "today": timezone.localdate(),
        "nav_sections": menu.sections,
        "important_sections": [s for s in menu.sections if s.important],
        "channels": menu.channels,
        "site_feeds": site_feeds(),
        "strip_stories": strip,
        "videos_url": page_url("site:videos"),
        "live_now": live_now,
        "page_canonical": page_canonical(request),
    }


def _chrome_parts() -> tuple[Menu, list[Story], LiveEvent | None]:
    # The header's red مباشر link goes to the newest event on air: one indexed query.
    live = LiveEvent.objects.filter(is_live=True).only("title", "slug").first()
    return site_menu(), strip_stories(6), live
