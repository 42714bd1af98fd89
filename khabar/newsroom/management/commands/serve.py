"""khabar serve: serve the reader site and the newsroom on what is already stored.

`khabar serve` is Django's development server. `khabar serve --production --workers 2` runs
uvicorn (uvloop, httptools) with that many worker processes on khabar.asgi:application: static
files by WhiteNoise, reader pages from the page cache. Both collect static files first.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection


class Command(BaseCommand):
    help = (
        "Serve the site and the newsroom admin on http://127.0.0.1:PORT (default 8000); "
        "--production for uvicorn with worker processes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="port to listen on (8000)")
        parser.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
        parser.add_argument(
            "--production",
            action="store_true",
            help="serve with uvicorn worker processes instead of the development server",
        )
        parser.add_argument(
            "--workers", type=int, default=2, help="uvicorn worker processes (2; --production)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        shown = f"[{host}]" if ":" in host else host
        if options["production"] and settings.DEBUG:
            raise CommandError("--production serves with DEBUG off: unset KHABAR_DEBUG")
        if options["workers"] < 1:
            raise CommandError("--workers must be 1 or more")
        # Hashed, compressed copies of the static files, which pages name outside DEBUG.
        call_command("collectstatic", interactive=False, verbosity=0)
        analyze_sqlite()
        self.stdout.write(self.style.SUCCESS(f"Khabar is serving on http://{shown}:{port}/"))
        self.stdout.write(f"  newsroom: http://{shown}:{port}/admin/   (khabar createsuperuser)")
        self.stdout.write("  stop with Ctrl-C")
        if options["production"]:
            self._production(host, port, options["workers"])
        else:
            call_command("runserver", f"{shown}:{port}", use_reloader=False, skip_checks=False)

    def _production(self, host: str, port: int, workers: int) -> None:
        import uvicorn

        self.stdout.write(f"  uvicorn, {workers} worker process(es)")
        self.stdout.flush()
        # The workers are new processes: they read the same settings from the environment.
        os.environ["DJANGO_SETTINGS_MODULE"] = "khabar.settings"
        # One long-lived thread per worker renders the pages (khabar/asgi.py): keep its connection.
        os.environ.setdefault("KHABAR_DB_CONN_MAX_AGE", "60")
        uvicorn.run(
            "khabar.asgi:application",
            host=host,
            port=port,
            workers=workers,
            loop="uvloop",
            http="httptools",
            lifespan="off",  # Django's ASGI handler has no lifespan events
            access_log=False,  # a log line per request costs time on every hit: log at the proxy
            log_level="warning",
            server_header=False,
        )


def analyze_sqlite() -> None:
    """Give SQLite's query planner statistics about the tables, in a few milliseconds.

    Without them SQLite counts a story's articles by walking the listing index over every
    article (80 ms at 20,000 articles) instead of the story's index (0.4 ms). analysis_limit
    bounds the work per index, so this stays quick on a database of any size. PostgreSQL keeps
    its statistics itself (autovacuum).
    """
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA analysis_limit=1000")
        cursor.execute("ANALYZE")
    connection.close()
