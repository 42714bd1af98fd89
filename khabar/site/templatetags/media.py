"""Template filters for pictures and videos: responsive <img> data, posters, durations."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from khabar.newsroom.models import Media, Video
from khabar.site import images, video
from khabar.site.templatetags.khabar import escaped as _e
from khabar.site.templatetags.khabar import site_digits

register = template.Library()

LANGUAGE_LABELS = {"ar": "العربية", "en": "English", "fr": "Français"}


@register.filter
def picture(media: Media | None, size: str = "card") -> images.Picture | None:
    """`{% with pic=media|picture:"hero" %}`: src, srcset, sizes, width, height and alt."""
    if media is None or not media.src:
        return None
    return images.picture(media, size)


@register.simple_tag
def img(
    media: Media | None, size: str = "card", *, eager: bool = False, decorative: bool = False
) -> SafeString | str:
    """`{% img media "hero" eager=True %}`: a responsive <img>, or nothing without a picture.

    A tag rather than an included template: a page of cards renders dozens of pictures, and an
    include costs a template lookup and a context push for each.
    """
    pic = picture(media, size)
    if pic is None:
        return ""
    srcset = f' srcset="{_e(pic.srcset)}" sizes="{_e(pic.sizes)}"' if pic.srcset else ""
    loading = ' loading="eager" fetchpriority="high"' if eager else ' loading="lazy"'
    alt = "" if decorative else _e(pic.alt)
    return mark_safe(
        f'<img src="{_e(pic.src)}"{srcset} width="{_e(pic.width)}" height="{_e(pic.height)}"'
        f' alt="{alt}"{loading} decoding="async">'
    )


@register.filter
def poster(media: Media | None) -> str:
    """The address for a <video poster> attribute, a rendition when there is one."""
    if media is None:
        return ""
    return images.poster_url(media)


@register.filter
def duration(seconds: int | None) -> str:
    """A video's length as players write it, m:ss in the site's digits: 3:25 or ٣:٢٥."""
    return video.clock(seconds, site_digits())


@register.filter
def iso_duration(seconds: int | None) -> str:
    """A video's length in ISO 8601 for <time datetime>: PT3M25S."""
    return video.iso_duration(seconds)


@register.filter
def source_type(item: Video) -> str:
    """The MIME type of a video's <source>."""
    return video.source_type(item)


@register.filter
def language_label(code: str) -> str:
    """A captions track's label in its own language; the code itself when it is not known."""
    return LANGUAGE_LABELS.get((code or "").split("-")[0].lower(), code)
