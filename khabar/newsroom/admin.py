"""The newsroom's admin: editors see and edit everything, in Arabic, right to left."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.files.storage import default_storage
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from khabar.errors import ImageError
from khabar.newsroom import editing, live_changes, storyline
from khabar.newsroom.models import (
    Agency,
    Article,
    ArticleRevision,
    Author,
    Block,
    Comment,
    Entity,
    IngestLog,
    LiveEntry,
    LiveEvent,
    Media,
    Section,
    Source,
    Story,
    Video,
)
from khabar.newsroom.signals import content_changed
from khabar.site.images import make_renditions, needs_renditions
from khabar.site.video import clock

admin.site.site_header = _("غرفة أخبار خبر")
admin.site.site_title = _("خبر")
admin.site.index_title = _("إدارة المحتوى")


class BlockInline(admin.StackedInline):
    model = Block
    extra = 0
    fields = ["position", "kind", "text", "media"]
    autocomplete_fields = ["media"]


class RevisionInline(admin.TabularInline):
    model = ArticleRevision
    extra = 0
    fields = ["version", "title", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class CommentInline(admin.TabularInline):
    """Readers' comments under the article, so an editor can approve them where they read it."""

    model = Comment
    extra = 0
    fields = ["name", "body", "status", "created_at"]
    readonly_fields = ["name", "body", "created_at"]
    ordering = ["-created_at"]
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # comments come from readers, not from the newsroom


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    actions = ["split_into_new_story"]
    list_display = ["title", "section", "story", "status", "published_at", "featured"]
    list_filter = ["status", "section", "featured", "agencies", "language"]
    list_editable = ["status", "featured"]
    search_fields = ["title", "lead", "byline"]
    date_hierarchy = "published_at"
    autocomplete_fields = [
        "story",
        "hero",
        "agencies",
        "entities",
        "duplicate_of",
        "authors",
        "video",
    ]
    list_select_related = ["section", "story"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [BlockInline, RevisionInline, CommentInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "lead", "status", "featured"]}),
        (_("التصنيف"), {"fields": ["section", "story", "story_locked", "entities"]}),
        (
            _("المصدر"),
            {"fields": ["byline", "authors", "dateline", "agencies", "source_line", "hero"]},
        ),
        (_("الفيديو"), {"fields": ["video"]}),
        (
            _("بيانات"),
            {
                "classes": ["collapse"],
                "fields": [
                    "published_at",
                    "updated_at",
                    "language",
                    "canonical_url",
                    "source_id",
                ],
            },
        ),
    ]

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        """An article an editor puts in a story stays there: the algorithm never moves it."""
        if "story" in form.changed_data:
            obj.story_locked = obj.story_id is not None
        super().save_model(request, obj, form, change)
        storyline.stories_edited()

    @admin.action(description=_("فصل الأخبار المحددة في قصة جديدة"))
    def split_into_new_story(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        """Move the selected articles to a new story, kept apart from the ones they left."""
        story = editing.split(list(queryset))
        self.message_user(request, _("أنشئت قصة جديدة: %(t)s") % {"t": story.title})


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["title", "article_count", "pinned", "title_locked"]
    actions = ["merge_stories"]
    list_filter = ["pinned"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Story]:
        return super().get_queryset(request).annotate(n_articles=Count("articles"))

    def save_model(self, request: HttpRequest, obj: Story, form: Any, change: bool) -> None:
        """A title an editor writes is kept: the algorithm never renames the story again."""
        if change and "title" in form.changed_data:
            obj.title_locked = True
        super().save_model(request, obj, form, change)
        storyline.stories_edited()

    @admin.action(description=_("دمج القصص المحددة في أقدمها"))
    def merge_stories(self, request: HttpRequest, queryset: QuerySet[Story]) -> None:
        """Merge the selected stories into the oldest one."""
        kept = editing.merge(list(queryset.order_by("created_at", "pk")))
        self.message_user(request, _("دُمجت القصص في: %(t)s") % {"t": kept.title})

    @admin.display(description=_("عدد الأخبار"), ordering="n_articles")
    def article_count(self, obj: Story) -> int:
        return int(getattr(obj, "n_articles", 0))


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order", "important"]
    list_editable = ["order", "important"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "aliases"]
    search_fields = ["name", "slug"]


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Media)
class MediaAdmin(admin.ModelAdmin):
    list_display = ["__str__", "credit", "rendition_count"]
    search_fields = ["caption", "credit", "alt"]
    readonly_fields = ["rendition_links"]

    @admin.display(description=_("المقاسات"))
    def rendition_count(self, obj: Media) -> int:
        return len(obj.renditions or [])

    @admin.display(description=_("المقاسات"))
    def rendition_links(self, obj: Media) -> SafeString:
        return format_html_join(
            " · ",
            '<a href="{}">{}×{}</a>',
            ((default_storage.url(r["path"]), r["width"], r["height"]) for r in obj.renditions),
        )

    def save_model(self, request: HttpRequest, obj: Media, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # Made here, when an editor uploads, so no reader and no ingest run waits for Pillow.
        if "image" in form.changed_data or needs_renditions(obj):
            try:
                make_renditions(obj)
            except ImageError as exc:
                self.message_user(request, str(exc), messages.ERROR)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "address", "enabled", "last_success_at", "last_error_at"]
    list_filter = ["kind", "enabled"]
    list_editable = ["enabled"]
    search_fields = ["name", "address"]
    readonly_fields = ["last_success_at", "last_error_at", "last_error"]


@admin.register(IngestLog)
class IngestLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "outcome", "item_id", "source", "message"]
    list_filter = ["outcome", "source"]
    search_fields = ["item_id", "target", "message"]
    readonly_fields = ["source", "target", "item_id", "outcome", "message", "article", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Author]:
        return super().get_queryset(request).annotate(n_articles=Count("articles"))

    @admin.display(description=_("عدد الأخبار"), ordering="n_articles")
    def article_count(self, obj: Author) -> int:
        return int(getattr(obj, "n_articles", 0))


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """The moderation queue: pending comments first to hand, approved or rejected in bulk."""

    list_display = ["name", "short_body", "article", "status", "created_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["name", "body", "article__title"]
    list_select_related = ["article"]
    autocomplete_fields = ["article"]
    date_hierarchy = "created_at"
    actions = ["approve", "reject"]

    @admin.display(description=_("التعليق"))
    def short_body(self, obj: Comment) -> str:
        return obj.body[:80]

    @admin.action(description=_("نشر التعليقات المحددة"))
    def approve(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        """Publish the selected comments."""
        n = queryset.update(status=Comment.Status.APPROVED)
        content_changed.send(sender=Comment)
        self.message_user(request, _("عدد التعليقات التي نُشرت: %(n)d") % {"n": n})

    @admin.action(description=_("رفض التعليقات المحددة"))
    def reject(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        """Reject the selected comments: they stay stored but readers never see them."""
        n = queryset.update(status=Comment.Status.REJECTED)
        content_changed.send(sender=Comment)
        self.message_user(request, _("عدد التعليقات المرفوضة: %(n)d") % {"n": n})


@admin.register(Video)
class VideoAdmin(admin.ModelAdmin):
    list_display = ["__str__", "length", "captions_language", "credit"]
    search_fields = ["title", "credit"]
    autocomplete_fields = ["poster"]

    @admin.display(description=_("المدة"))
    def length(self, obj: Video) -> str:
        return clock(obj.duration)


class LiveEntryInline(admin.StackedInline):
    """The live blog's entries, newest first, written right under the event."""

    model = LiveEntry
    extra = 1
    fields = ["title", "body", "author", "pinned", "created_at"]
    ordering = ["-created_at", "-id"]


@admin.register(LiveEvent)
class LiveEventAdmin(admin.ModelAdmin):
    """Live coverage: the stream's address, on air or ended, and the entries readers see appear."""

    list_display = ["title", "is_live", "started_at", "ended_at", "n_entries"]
    list_filter = ["is_live"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["story"]
    date_hierarchy = "started_at"
    inlines = [LiveEntryInline]
    actions = ["end_coverage"]
    fields = [
        "title",
        "slug",
        "description",
        "story",
        "stream_url",
        "is_live",
        "started_at",
        "ended_at",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[LiveEvent]:
        return super().get_queryset(request).annotate(n_entries=Count("entries"))

    @admin.display(description=_("التحديثات"), ordering="n_entries")
    def n_entries(self, obj: LiveEvent) -> int:
        return int(getattr(obj, "n_entries", 0))

    @admin.action(description=_("إنهاء التغطيات المحددة"))
    def end_coverage(self, request: HttpRequest, queryset: QuerySet[LiveEvent]) -> None:
        """Take the selected events off the air, noting when they ended."""
        on_air = list(queryset.filter(is_live=True).values_list("pk", flat=True))
        n = LiveEvent.objects.filter(pk__in=on_air).update(is_live=False, ended_at=timezone.now())
        live_changes.record_status(on_air)  # open pages show the coverage has ended
        content_changed.send(sender=LiveEvent)
        self.message_user(request, _("أُنهيت %(n)d من التغطيات") % {"n": n})
