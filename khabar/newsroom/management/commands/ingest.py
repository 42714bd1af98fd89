"""khabar ingest: one run over sources, URLs, files or folders, with progress and a summary."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from khabar.newsroom.ingest import Ingestor, iter_sources
from khabar.newsroom.management.progress import ProgressBar


class Command(BaseCommand):
    help = "Ingest sources (by id), URLs, files or folders once; all enabled sources if none given."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("targets", nargs="*", help="source ids, URLs, files or folders")

    def handle(self, *args: Any, **options: Any) -> None:
        ingestor = Ingestor(progress=ProgressBar("ingest", self.stderr._out))
        targets = options["targets"] or [str(s.pk) for s in iter_sources()]
        if not targets:
            self.stdout.write(
                "nothing to ingest: give URLs, files or folders, or add sources "
                "with `khabar source add`"
            )
            return
        summary = ingestor.run(targets)
        self.stdout.write(summary.line())
        for item, reason in summary.failed[:50]:
            self.stdout.write(f"  failed: {item}: {reason}")
        if len(summary.failed) > 50:
            self.stdout.write(f"  … and {len(summary.failed) - 50} more (see the ingest log)")
