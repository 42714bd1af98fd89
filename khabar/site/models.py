"""Site configuration editors change in the admin: the channels readers can follow."""

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
