"""khabar worker: run background work (source polling) on django-tasks' database backend."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from khabar.newsroom.tasks import schedule_due_sources, schedule_merge_pass


class Command(BaseCommand):
    help = "Run the background worker: polls every source on its interval, merges stories hourly."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch",
            action="store_true",
            help="run what is due now, then exit (for cron or tests)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        queued = schedule_due_sources()
        schedule_merge_pass()
        self.stdout.write(f"worker: {queued} source polls queued, story merge pass hourly")
        call_command(
            "db_worker",
            batch=options["batch"],
            reload=False,
            startup_delay=False,
            queue_name="default",
        )
