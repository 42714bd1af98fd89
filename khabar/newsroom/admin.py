"""The newsroom's admin: editors see and edit everything, in Arabic, right to left."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from khabar.newsroom import editing, storyline
from khabar.newsroom.models import (
    Agency,
    Article,
    ArticleRevision,
    Block,
    Entity,
    IngestLog,
    Media,
    Section,
    Source,
    Story,
)

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


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    actions = ["split_into_new_story"]
    list_display = ["title", "section", "story", "status", "published_at", "featured"]
    list_filter = ["status", "section", "featured", "agencies", "language"]
    list_editable = ["status", "featured"]
    search_fields = ["title", "lead", "byline"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["story", "hero", "agencies", "entities", "duplicate_of"]
    list_select_related = ["section", "story"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [BlockInline, RevisionInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "lead", "status", "featured"]}),
        (_("التصنيف"), {"fields": ["section", "story", "story_locked", "entities"]}),
        (_("المصدر"), {"fields": ["byline", "dateline", "agencies", "source_line", "hero"]}),
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
        storyline.forget_index()

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
        storyline.forget_index()

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
    list_display = ["__str__", "credit"]
    search_fields = ["caption", "credit", "alt"]


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
