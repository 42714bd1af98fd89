"""khabar serve: serve the reader site and the newsroom on what is already stored."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve the site and the newsroom admin on http://127.0.0.1:PORT (default 8000)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="port to listen on (8000)")
        parser.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        shown = f"[{host}]" if ":" in host else host
        self.stdout.write(self.style.SUCCESS(f"Khabar is serving on http://{shown}:{port}/"))
        self.stdout.write(f"  newsroom: http://{shown}:{port}/admin/   (khabar createsuperuser)")
        self.stdout.write("  stop with Ctrl-C")
        call_command("runserver", f"{shown}:{port}", use_reloader=False, skip_checks=False)
