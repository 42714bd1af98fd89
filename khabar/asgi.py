"""ASGI entry point: `uvicorn khabar.asgi:application` or any ASGI server.

Cached reader pages are answered by `ASGIFastPath` before Django builds a request; everything
else, and every page not cached yet in this process, goes to Django.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khabar.settings")
django_application = get_asgi_application()

from khabar.site.pagecache import ASGIFastPath  # noqa: E402  (needs the settings loaded above)

application = ASGIFastPath(django_application)
