"""The newsroom's admin: editors see and edit everything, in Arabic, right to left."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from khabar.newsroom.models import Agency, Article, Block, Entity, Media, Section, Story

admin.site.site_header = _("غرفة أخبار خبر")
admin.site.site_title = _("خبر")
admin.site.index_title = _("إدارة المحتوى")


class BlockInline(admin.StackedInline):
    model = Block
    extra = 0
    fields = ["position", "kind", "text", "media"]
    autocomplete_fields = ["media"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "section", "story", "status", "published_at", "featured"]
    list_filter = ["status", "section", "featured", "agencies", "language"]
    list_editable = ["status", "featured"]
    search_fields = ["title", "lead", "byline"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["story", "hero", "agencies", "entities"]
    list_select_related = ["section", "story"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [BlockInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "lead", "status", "featured"]}),
        (_("التصنيف"), {"fields": ["section", "story", "entities"]}),
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


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["title", "article_count", "pinned", "title_locked"]
    list_filter = ["pinned"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Story]:
        return super().get_queryset(request).annotate(n_articles=Count("articles"))

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
