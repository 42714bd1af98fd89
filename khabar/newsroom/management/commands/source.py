"""khabar source add|list|disable|enable: the feeds, sitemaps, wires and pages news comes from."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from khabar.newsroom.models import Agency, Section, Source
from khabar.newsroom.records import resolve_agencies


class Command(BaseCommand):
    help = "Manage ingest sources: khabar source add ADDRESS | list | disable ID | enable ID."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="add a feed, sitemap, wire folder or page")
        add.add_argument("address", help="an http(s) URL or a path on this machine")
        add.add_argument("--name", help="a name for editors (default: the address)")
        add.add_argument(
            "--kind",
            choices=[k.value for k in Source.Kind],
            default=Source.Kind.AUTO,
            help="what it is (default: detected from the content)",
        )
        add.add_argument("--every", type=int, default=15, help="poll interval in minutes (15)")
        add.add_argument("--agency", help="the agency this source speaks for")
        add.add_argument("--section", help="slug of the section its articles go to")
        sub.add_parser("list", help="list every source with its state")
        for action in ("disable", "enable"):
            p = sub.add_parser(action, help=f"{action} a source")
            p.add_argument("id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _add(self, options: dict[str, Any]) -> None:
        address = options["address"].strip()
        if Source.objects.filter(address=address).exists():
            raise CommandError(
                f"{address} is already a source: `khabar source list` shows it", returncode=2
            )
        section = None
        if options["section"]:
            section = Section.objects.filter(slug=options["section"]).first()
            if section is None:
                raise CommandError(f"no section has the slug {options['section']!r}", returncode=2)
        agency: Agency | None = None
        if options["agency"]:
            agency = resolve_agencies([options["agency"]])[0]
        source = Source.objects.create(
            name=options["name"] or address,
            address=address,
            kind=options["kind"],
            poll_minutes=max(1, options["every"]),
            agency=agency,
            section=section,
        )
        self.stdout.write(f"source {source.pk} added: {source.name} ({source.get_kind_display()})")

    def _list(self, options: dict[str, Any]) -> None:
        rows = Source.objects.select_related("agency").order_by("pk")
        if not rows:
            self.stdout.write("no sources yet: khabar source add URL|PATH")
        for s in rows:
            state = "on " if s.enabled else "off"
            last = s.last_success_at.isoformat(timespec="minutes") if s.last_success_at else "-"
            error = f"  last error: {s.last_error.splitlines()[0][:80]}" if s.last_error else ""
            self.stdout.write(
                f"{s.pk:>4} {state} {s.kind:<8} every {s.poll_minutes:>3} min  "
                f"last ok {last}  {s.address}{error}"
            )

    def _set_enabled(self, options: dict[str, Any], enabled: bool) -> None:
        updated = Source.objects.filter(pk=options["id"]).update(enabled=enabled)
        if not updated:
            raise CommandError(f"no source has id {options['id']}", returncode=2)
        self.stdout.write(f"source {options['id']} {'enabled' if enabled else 'disabled'}")

    def _disable(self, options: dict[str, Any]) -> None:
        self._set_enabled(options, False)

    def _enable(self, options: dict[str, Any]) -> None:
        self._set_enabled(options, True)
