"""Video articles: the videos page, the VideoObject JSON-LD, and how a duration is written."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from khabar.arabic.numbers import Digits, localize_digits
from khabar.newsroom.models import Article, Video
from khabar.site import queries
from khabar.site.images import poster_url
from khabar.site.structured import absolute

PAGE_SIZE = 12
HLS_TYPE = "application/vnd.apple.mpegurl"


def clock(seconds: int | None, digits: Digits = "western") -> str:
    """A duration as a player shows it: 3:25 (٣:٢٥), 1:02:05 past an hour; empty when unknown."""
    if seconds is None:
        return ""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
    return localize_digits(text, digits)


def iso_duration(seconds: int | None) -> str:
    """A duration in ISO 8601, as schema.org and <time datetime> want it: PT3M25S."""
    if seconds is None:
        return ""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours}H" if hours else "", f"{minutes}M" if minutes else ""]
    if secs or not (hours or minutes):
        parts.append(f"{secs}S")
    return "PT" + "".join(parts)


def source_type(video: Video) -> str:
    """The MIME type for the player's <source>: HLS for .m3u8 streams, MP4 otherwise."""
    path = video.src.split("?", 1)[0].lower()
    return HLS_TYPE if path.endswith(".m3u8") else "video/mp4"


def video_articles() -> QuerySet[Article]:
    """Published articles that carry a video, newest first, with the video and its poster."""
    return queries.published().filter(video__isnull=False).select_related("video", "video__poster")


def video_object(request: HttpRequest, article: Article) -> dict[str, Any]:
    """The schema.org VideoObject for an article's video (nest it as NewsArticle.video)."""
    video = article.video
    assert video is not None, "video_object needs an article with a video"
    data: dict[str, Any] = {
        "@type": "VideoObject",
        "name": video.title or article.title,
        "description": article.lead or video.title or article.title,
        "inLanguage": article.language,
    }
    poster = video.poster or article.hero
    if poster and poster.src:
        data["thumbnailUrl"] = [absolute(request, poster_url(poster))]
    if article.published_at:
        data["uploadDate"] = article.published_at.isoformat()
    if video.duration is not None:
        data["duration"] = iso_duration(video.duration)
    if video.src:
        data["contentUrl"] = absolute(request, video.src)
    if video.credit:
        data["creditText"] = video.credit
    return data


def videos(request: HttpRequest) -> HttpResponse:
    """The videos page: every article with a video, newest first, paginated."""
    page = Paginator(video_articles(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "site/videos.html", {"page": page})
