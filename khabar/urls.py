"""The site's addresses: the reader site, the newsroom admin and the API."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from khabar.site.urls import sitemap_patterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("khabar.api.urls")),
    path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
    *sitemap_patterns,
    path("", include("khabar.site.urls")),
]
