"""khabar stories: list the stories, newest activity first."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Count, Max, Min, Prefetch

from khabar.newsroom.models import Article, Story


def story_rows(limit: int | None = None) -> list[dict[str, Any]]:
    """Stories with their count (copies counted once), first and last dates, and articles."""
    originals = Article.objects.filter(duplicate_of__isnull=True)
    qs = (
        Story.objects.annotate(
            n=Count("articles", filter=_originals()),
            first=Min("articles__published_at"),
            last=Max("articles__published_at"),
        )
        .filter(n__gt=0)
        .prefetch_related(
            Prefetch(
                "articles",
                queryset=originals.order_by("published_at").only(
                    "pk", "source_id", "story_id", "published_at"
                ),
            )
        )
        .order_by("-last")
    )
    rows = []
    for story in qs[:limit] if limit else qs:
        rows.append(
            {
                "id": story.pk,
                "title": story.title,
                "count": story.n,
                "first": story.first.isoformat() if story.first else None,
                "last": story.last.isoformat() if story.last else None,
                "articles": [a.source_id or str(a.pk) for a in story.articles.all()],
            }
        )
    return rows


def _originals() -> Any:
    from django.db.models import Q

    return Q(articles__duplicate_of__isnull=True)


class Command(BaseCommand):
    help = "List the stories, the most recently active first: khabar stories [--json]."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument("--limit", type=int, default=0, help="at most this many (all)")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = story_rows(options["limit"] or None)
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            self.stdout.write(
                f"{row['id']:>5} {row['count']:>4}  {row['last'][:10]}  {row['title']}"
            )
