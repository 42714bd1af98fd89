"""ASGI entry point: `uvicorn khabar.asgi:application` or any ASGI server.

Cached reader pages are answered by `ASGIFastPath` before Django builds a request; everything
else, and every page not cached yet in this process, goes to Django.
"""

import os
from typing import Any

import django
from django.core.handlers.asgi import ASGIHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khabar.settings")


class OneThreadASGIHandler(ASGIHandler):
    """Django's ASGI handler, running every request's sync code on one thread per process.

    Django's own handler gives each request a fresh thread for its sync code
    (asgiref's ThreadSensitiveContext), so each page opens a new database connection (1.3 to
    1.9 ms with SQLite, measured) and persistent connections cannot help. Without that context,
    asgiref runs thread-sensitive code on one long-lived thread: the connection is kept
    (CONN_MAX_AGE) and a worker renders one page at a time, which is what one core does anyway.
    Async views (the live blog's event stream) still run on the event loop.
    """

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        await self.handle(scope, receive, send)


django.setup(set_prefix=False)
django_application = OneThreadASGIHandler()

from khabar.site.pagecache import ASGIFastPath  # noqa: E402  (needs the settings loaded above)

application = ASGIFastPath(django_application)
