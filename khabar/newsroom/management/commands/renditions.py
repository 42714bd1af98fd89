"""khabar renditions: make the WebP sizes of every stored picture that lacks them.

Sizes are 320/640/960/1280 px, never wider than the picture. Pictures with only an external
address are skipped; a picture that cannot be read is reported, left as is, and the command
exits 1 after the others are done.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from khabar.errors import ImageError
from khabar.newsroom.management.progress import ProgressBar
from khabar.newsroom.models import Media
from khabar.site.images import make_renditions, needs_renditions


class Command(BaseCommand):
    help = "Make the WebP sizes (srcset) of uploaded pictures that lack them (--all: every one)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="remake renditions of every picture")

    def handle(self, *args: Any, **options: Any) -> None:
        ids = list(Media.objects.exclude(image="").order_by("pk").values_list("pk", flat=True))
        bar = ProgressBar("renditions", self.stderr._out)
        made = skipped = 0
        failed: list[str] = []
        # One row at a time, so a library of thousands of photos never sits in memory at once.
        for done, pk in enumerate(ids, 1):
            media = Media.objects.get(pk=pk)
            if not options["all"] and not needs_renditions(media):
                skipped += 1
            else:
                try:
                    make_renditions(media)
                    made += 1
                except ImageError as exc:
                    failed.append(str(exc))  # reported below; the run goes on to the next one
            bar(done, len(ids), media.image.name)
        for message in failed:
            self.stderr.write(message)
        self.stdout.write(
            f"{made} pictures resized, {skipped} already done, {len(failed)} failed "
            f"(of {len(ids)} uploaded pictures)"
        )
        if failed:
            # A non-zero exit, so a script or cron job notices; every good picture is done.
            raise CommandError(
                f"{len(failed)} pictures could not be resized: replace them (the messages above "
                "say which), then run khabar renditions again"
            )
