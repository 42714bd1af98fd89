"""What every reader page shows around its content: the site's chrome.

The chrome is on every page, so it stays cheap: one query for the menu (sections and follow-us
channels together), one for the stories strip and one for the live link; three in all, the most
tests/site/test_chrome.py allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import BooleanField, CharField, F, Q, Value
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from khabar.arabic.dates import format_date, weekday_name
from khabar.newsroom.models import Article, LiveEvent, Section, Story


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


# How many of the newest articles the stories strip looks at: enough to span many stories on a
# busy site, few enough to read from the listing index in a fraction of a millisecond.
STRIP_WINDOW = 50


def strip_stories(limit: int = 6) -> list[Story]:
    """The stories strip in one query: pinned stories, then those with the newest articles.

    Ranking every story by its latest article aggregates the whole article table, so only the
    stories of the newest STRIP_WINDOW × limit published articles (and the pinned ones) are
    ranked. A site whose newest articles all belong to fewer stories shows just those.
    """
    from khabar.site.queries import stories_with_counts

    newest = (
        Article.objects.filter(status=Article.Status.PUBLISHED, story__isnull=False)
        .order_by("-published_at")
        .values("story_id")[: STRIP_WINDOW * limit]
    )
    candidates = Q(pk__in=newest) | Q(pinned=True)
    ranked = stories_with_counts().filter(candidates).order_by("-pinned", "-last_at")
    return list(ranked[:limit])


def site_feeds() -> list[Feed]:
    """The site's own feeds, named for people and for machines."""
    return [
        Feed("RSS", "خلاصة RSS", reverse("site:feed-rss"), "application/rss+xml"),
        Feed("Atom", "خلاصة Atom", reverse("site:feed-atom"), "application/atom+xml"),
        Feed("JSON", "خلاصة JSON Feed", reverse("site:feed-json"), "application/feed+json"),
    ]


def optional_url(name: str) -> str:
    """The address of a page another part of the site may not have yet; empty when it has not."""
    try:
        return reverse(name)
    except NoReverseMatch:
        # The videos page arrives with its own issue; until then the header has no link to it.
        return ""


def date_line() -> str:
    """Today as an Arabic news site heads its pages: الأحد 29 نوفمبر/تشرين الثاني 2026."""
    today = timezone.localdate()
    return f"{weekday_name(today)} {format_date(today, digits=settings.KHABAR_DIGITS)}"


def site_chrome(request: HttpRequest) -> dict[str, Any]:
    """Sections for the menu, the important sections, the follow-us channels, the stories strip."""
    if request.path.startswith("/admin/"):
        return {}
    menu = site_menu()
    return {
        "site_name": settings.SITE_NAME,
        "date_line": date_line(),
        "today": timezone.localdate(),
        "nav_sections": menu.sections,
        "important_sections": [s for s in menu.sections if s.important],
        "channels": menu.channels,
        "site_feeds": site_feeds(),
        "strip_stories": strip_stories(6),
        "videos_url": optional_url("site:videos"),
        # The header's red مباشر link goes to the newest event on air: one indexed query.
        "live_now": LiveEvent.objects.filter(is_live=True).only("title", "slug").first(),
    }
