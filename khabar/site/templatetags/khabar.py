"""Template filters for Arabic news: counts with plural agreement, dates as sites write them.

Every number these filters write follows the KHABAR_DIGITS setting (western 0-9 or Arabic-Indic
٠-٩); `digits` does the same for any other number a template shows.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from html import escape

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from khabar.arabic.dates import format_date
from khabar.arabic.numbers import Digits, localize_digits
from khabar.newsroom import models

register = template.Library()


def site_digits() -> Digits:
    """The digits the site writes: settings.KHABAR_DIGITS, read per call so overrides apply."""
    return "arabic" if getattr(settings, "KHABAR_DIGITS", "western") == "arabic" else "western"


def escaped(value: object) -> str:
    """conditional_escape() without its lazy-string wrapper, for tags that write many values."""
    html = getattr(value, "__html__", None)
    return str(html()) if html else escape(str(value))


def _local(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


@register.filter(is_safe=True)
def digits(value: object) -> str:
    """Any number (page numbers, totals, years) written in the site's digits: 12 or ١٢."""
    if value is None or value == "":
        return ""
    text = str(value)
    if site_digits() == "arabic" and isinstance(value, float | Decimal):
        # A number the site computed has a point, which Arabic-Indic digits write as ٫.
        text = text.replace(".", "\u066b")
    return localize_digits(text, site_digits())


@register.filter
def news_count(n: int | None) -> str:
    """A count of articles with Arabic plural agreement: خبر واحد، خبران، 3 أخبار، 22 خبرًا."""
    count = int(n or 0)
    text = ngettext("%(count)d article", "%(count)d articles", count) % {"count": count}
    return localize_digits(text, site_digits())


@register.filter
def comment_count(n: int | None) -> str:
    """A count of comments with Arabic plural agreement: تعليق واحد، تعليقان، 3 تعليقات."""
    count = int(n or 0)
    text = ngettext("%(count)d comment", "%(count)d comments", count) % {"count": count}
    return localize_digits(text, site_digits())


@register.filter
def news_date(value: datetime | None, with_year: bool = True) -> str:
    """A date as the seed writes it: 3 يونيو/حزيران 2013."""
    if value is None:
        return ""
    return format_date(_local(value).date(), year=with_year, digits=site_digits())


@register.filter
def news_time(value: datetime | None) -> str:
    """The date and the time of day: 3 يونيو/حزيران 2013 | 10:30."""
    if value is None:
        return ""
    local = _local(value)
    return localize_digits(f"{format_date(local.date())} | {local:%H:%M}", site_digits())


@register.filter
def ago(value: datetime | None) -> str:
    """Relative time for recent news (منذ 5 دقائق), the date for anything older than a day."""
    if value is None:
        return ""
    delta = timezone.now() - value
    if delta < timedelta(0):
        return news_time(value)
    minutes = int(delta.total_seconds() // 60)
    if minutes < 1:
        return gettext("just now")
    if minutes < 60:
        text = ngettext("%(count)d minute ago", "%(count)d minutes ago", minutes) % {
            "count": minutes
        }
        return localize_digits(text, site_digits())
    hours = minutes // 60
    if hours < 24:
        text = ngettext("%(count)d hour ago", "%(count)d hours ago", hours) % {"count": hours}
        return localize_digits(text, site_digits())
    return news_date(value)


@register.simple_tag
def page_url(name: str, *args: object) -> str:
    """`{% page_url 'site:tag' t.kind t.slug %}`: what `{% url %}` writes, for links in loops."""
    return models.page_url(name, *args)
