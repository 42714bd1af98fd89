"""khabar search: search the stored articles from the command line."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from khabar.search import QueryError
from khabar.site.search import filters_from, run_search


class Command(BaseCommand):
    help = "Search the articles: khabar search QUERY [--json] [--limit N] [--section SLUG]."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", nargs="+", help='words; "a phrase"; -word to exclude')
        parser.add_argument("--json", action="store_true", help="print the hits as JSON")
        parser.add_argument("--limit", type=int, default=10, help="how many hits (10)")
        for name in ("section", "agency", "person", "place", "from", "to", "story"):
            parser.add_argument(f"--{name}", help=f"only articles with this {name}")

    def handle(self, *args: Any, **options: Any) -> None:
        text = " ".join(options["query"])
        limit = max(1, min(options["limit"], 100))
        try:
            result = run_search(text, filters_from(options), per_page=limit)
        except QueryError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if options["json"]:
            hits = [hit.to_json() for hit in result.hits]
            self.stdout.write(json.dumps(hits, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{result.total} matches")
        if not result.total and result.suggestion:
            self.stdout.write(f"did you mean: {result.suggestion}")
        for hit in result.hits:
            self.stdout.write(f"{hit.score:8.3f}  {hit.title}  [{hit.id}]")
