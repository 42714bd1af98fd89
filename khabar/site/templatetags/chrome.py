"""The header and footer of every reader page, each written once per generation.

Their data is already memoized per page-cache generation (khabar.site.context); writing their
HTML took another 2.5 ms of every page. The header differs only by which menu entry is the
current page and by the date line, so each such variant is kept apart.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from khabar.site import pagecache

register = template.Library()


def _current(context: template.Context) -> str | int:
    request = context.get("request")
    path = getattr(request, "path", "")
    if path == "/":
        return "home"
    if path and path == context.get("videos_url"):
        return "videos"
    section = context.get("section")
    return getattr(section, "pk", None) or ""


def _written(context: template.Context, name: str, extra: dict[str, Any]) -> SafeString:
    data = {**context.flatten(), **extra}
    return mark_safe(render_to_string(f"site/_{name}.html", data))


@register.simple_tag(takes_context=True)
def site_header(context: template.Context) -> SafeString:
    """The header: date line, live link, follow-us, search, menus and the stories strip."""
    current = _current(context)
    key = f"header:{timezone.localdate()}:{settings.KHABAR_DIGITS}:{current}"
    html: SafeString = pagecache.per_generation(
        key, lambda: _written(context, "header", {"current": current})
    )
    return html


@register.simple_tag(takes_context=True)
def site_footer(context: template.Context) -> SafeString:
    """The footer: sections, channels, feeds and sitemaps."""
    key = f"footer:{settings.KHABAR_DIGITS}"
    html: SafeString = pagecache.per_generation(key, lambda: _written(context, "footer", {}))
    return html
