"""The reader pages: home, section, story and article."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import Truncator

from khabar.newsroom.models import Entity, Section
from khabar.site import pagecache, people, queries, readcount, structured, video

PAGE_SIZE = 20


def home(request: HttpRequest) -> HttpResponse:
    """The front page: top story, latest news, trending stories, each section's latest."""
    latest = queries.latest(13)
    top = next((a for a in latest if a.featured), latest[0] if latest else None)
    latest = [a for a in latest if a != top][:12]
    shown = {a.pk for a in latest} | ({top.pk} if top else set())
    context = {
        "top": top,
        "latest": latest,
        # Like the stories strip, it changes only when something is saved.
        "stories": pagecache.per_generation("trending:8", lambda: queries.trending_stories(8)),
        "section_blocks": queries.section_blocks(4, exclude=shown),
        "most_read": readcount.most_read(5),
    }
    return render(request, "site/home.html", context)


def section(request: HttpRequest, slug: str) -> HttpResponse:
    """A section's articles, newest first, paginated."""
    sec = get_object_or_404(Section, slug=slug)
    cards = queries.SECTION_CARDS(sec.pk, timezone.now())
    page = Paginator(cards, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "site/section.html", {"section": sec, "page": page})


def story(request: HttpRequest, slug: str) -> HttpResponse:
    """A story hub: title, count, dates, and the timeline of its articles."""
    hub = queries.story_by_slug(slug)
    if hub is None:
        raise Http404("لا توجد قصة بهذا الاسم")
    cards = queries.STORY_CARDS(hub.pk, timezone.now())
    page = Paginator(cards, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"story": hub, "page": page, "entities": queries.story_entities(hub)}
    return render(request, "site/story.html", context)


def article(request: HttpRequest, pk: int, slug: str | None = None) -> HttpResponse:
    """One article, laid out like an Arabic news site's article page."""
    page = queries.article_page(pk)
    if page is None:
        raise Http404("لا يوجد خبر منشور بهذا الرقم")
    item = page.article
    if slug != item.slug:
        return redirect(item, permanent=True)
    described = structured.news_article(request, item)
    if item.video:
        described["video"] = video.video_object(request, item)  # nested: one JSON-LD script
    context = {
        "article": item,
        "description": Truncator(item.lead).chars(200),
        "blocks": page.blocks,
        "tags": page.tags,
        "json_ld": structured.as_script(described),
        "canonical": request.build_absolute_uri(item.get_absolute_url()),
        "og_image": structured.absolute(request, item.hero.src)
        if item.hero and item.hero.src
        else "",
        "story_count": page.story_count,
        "related": queries.related_articles(item),
        "others": queries.other_headlines(item),
        "byline_parts": people.byline_parts(item, page.authors),
        "source_parts": people.source_parts(item, page.agencies),
        "comments": queries.approved_comments(item),
    }
    return render(request, "site/article.html", context)


def tag(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    """Every article naming one person, place or organization."""
    entity = get_object_or_404(Entity, kind=kind, slug=slug)
    cards = queries.TAG_CARDS(entity.pk, timezone.now())
    page = Paginator(cards, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "site/tag.html", {"entity": entity, "page": page})
