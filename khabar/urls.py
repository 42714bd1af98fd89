"""The site's addresses: the reader site, the newsroom admin and the API."""

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponseBase
from django.urls import include, path
from django.views.static import serve

from khabar.site.urls import sitemap_patterns


def media(request: HttpRequest, path: str) -> HttpResponseBase:
    """Uploaded pictures, videos and captions, from MEDIA_ROOT as it is now (nginx may do this)."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("khabar.api.urls")),
    path("media/<path:path>", media),
    *sitemap_patterns,
    path("", include("khabar.site.urls")),
]
