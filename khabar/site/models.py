"""Site data: the channels readers can follow, and how often each article is read."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.Model):
    """A channel where readers can follow the site (أين يمكنك متابعتنا)."""

    name = models.CharField(_("الاسم"), max_length=60)
    url = models.URLField(_("الرابط"))
    icon = models.CharField(_("الأيقونة"), max_length=30, blank=True)
    order = models.PositiveSmallIntegerField(_("الترتيب"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("قناة متابعة")
        verbose_name_plural = _("قنوات المتابعة")

    def __str__(self) -> str:
        return self.name


class ReadCount(models.Model):
    """How many times readers opened an article on one day, for the most-read list."""

    article = models.ForeignKey(
        "newsroom.Article", on_delete=models.CASCADE, related_name="read_counts"
    )
    day = models.DateField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "day"], name="read_count_unique_day")
        ]
        verbose_name = _("عدد القراءات")
        verbose_name_plural = _("أعداد القراءات")

    def __str__(self) -> str:
        return f"{self.article_id} {self.day}: {self.count}"
