"""schema.org JSON-LD for article pages, safe to put inside a <script> element."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from khabar.newsroom.models import Article


def absolute(request: HttpRequest, url: str) -> str:
    """An absolute address for a path on this site; absolute URLs pass through."""
    return url if url.startswith(("http://", "https://")) else request.build_absolute_uri(url)


def news_article(request: HttpRequest, article: Article) -> dict[str, Any]:
    """The NewsArticle description of an article."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "description": article.lead,
        "inLanguage": article.language,
        "mainEntityOfPage": request.build_absolute_uri(article.get_absolute_url()),
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": (article.updated_at or article.published_at).isoformat()
        if article.published_at
        else None,
        "publisher": {"@type": "NewsMediaOrganization", "name": settings.SITE_NAME},
    }
    if article.byline:
        data["author"] = {"@type": "Person", "name": article.byline}
    else:
        data["author"] = {"@type": "Organization", "name": settings.SITE_NAME}
    if article.section:
        data["articleSection"] = article.section.name
    if article.hero and article.hero.src:
        image: dict[str, Any] = {"@type": "ImageObject", "url": absolute(request, article.hero.src)}
        if article.hero.caption:
            image["caption"] = article.hero.caption
        if article.hero.credit:
            image["creditText"] = article.hero.credit
        data["image"] = [image]
    return data


def as_script(data: dict[str, Any]) -> SafeString:
    """JSON that cannot close its <script> element early."""
    text = json.dumps(data, ensure_ascii=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return mark_safe(text)  # the three characters that could end the script are escaped
