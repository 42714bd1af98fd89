"""What every reader page shows around its content: the site's chrome."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from khabar.newsroom.models import Section


def site_chrome(request: HttpRequest) -> dict[str, Any]:
    """Sections for the menu, the important sections, the follow-us channels, the stories strip."""
    if request.path.startswith("/admin/"):
        return {}
    from khabar.site.models import Channel
    from khabar.site.queries import trending_stories

    sections = list(Section.objects.all())
    return {
        "site_name": settings.SITE_NAME,
        "nav_sections": sections,
        "important_sections": [s for s in sections if s.important],
        "channels": list(Channel.objects.all()),
        "strip_stories": trending_stories(6),
    }
