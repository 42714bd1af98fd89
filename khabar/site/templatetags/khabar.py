"""Template filters for Arabic news: counts with plural agreement, dates as sites write them."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from khabar.arabic.dates import format_date

register = template.Library()


@register.filter
def news_count(n: int | None) -> str:
    """A count of articles with Arabic plural agreement: خبر واحد، خبران، 3 أخبار، 22 خبرًا."""
    count = int(n or 0)
    return ngettext("%(count)d article", "%(count)d articles", count) % {"count": count}


@register.filter
def news_date(value: datetime | None, with_year: bool = True) -> str:
    """A date as the seed writes it: 3 يونيو/حزيران 2013."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return format_date(local.date(), year=with_year)


@register.filter
def news_time(value: datetime | None) -> str:
    """The date and the time of day: 3 يونيو/حزيران 2013 | 10:30."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{format_date(local.date())} | {local:%H:%M}"


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
        return ngettext("%(count)d minute ago", "%(count)d minutes ago", minutes) % {
            "count": minutes
        }
    hours = minutes // 60
    if hours < 24:
        return ngettext("%(count)d hour ago", "%(count)d hours ago", hours) % {"count": hours}
    return news_date(value)
