"""khabar demo: load the demo content (again without duplicating it) and serve it."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from khabar.newsroom.demo.loader import load_demo
from khabar.newsroom.management.progress import ProgressBar


class Command(BaseCommand):
    help = "Load the demo articles, sections and stories, then serve them (--no-serve to stop)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="load only, do not serve")
        parser.add_argument("--port", type=int, default=8000, help="port to serve on (8000)")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        result = load_demo(progress=ProgressBar("demo articles", self.stderr._out))
        self.stdout.write(
            f"demo loaded: {result.articles_created} new and {result.articles_updated} updated "
            f"articles, {result.sections} sections, {result.stories} stories, "
            f"{result.agencies} agencies"
        )
        if not options["no_serve"]:
            call_command("serve", port=options["port"])
