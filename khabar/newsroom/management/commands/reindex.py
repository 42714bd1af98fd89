"""khabar reindex: rebuild the search index from every stored article."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from khabar.newsroom.management.progress import ProgressBar
from khabar.newsroom.search_index import flush_dirty, rebuild


class Command(BaseCommand):
    help = "Rebuild the search index from every stored article (--pending: only waiting changes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--pending", action="store_true", help="only apply changes not yet indexed"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["pending"]:
            self.stdout.write(f"{flush_dirty()} pending changes indexed")
            return
        n = rebuild(progress=ProgressBar("reindex", self.stderr._out))
        self.stdout.write(f"{n} articles indexed")
