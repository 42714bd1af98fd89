"""khabar extract: read one page (a text page or HTML) and print the article found in it."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from khabar.errors import KhabarError
from khabar.extract.api import extract_bytes

MAX_INPUT = 50 * 1024 * 1024


class Command(BaseCommand):
    help = "Print the article read from a page: khabar extract PATH|URL|- [--format json|text]."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="a file, an http(s) URL, or - for standard input")
        parser.add_argument("--format", choices=["json", "text"], default="json")
        parser.add_argument("--url", help="the address the page came from, if known")

    def _read(self, path: str) -> tuple[bytes, str | None]:
        if path.startswith(("http://", "https://")):
            from khabar.fetch import Fetcher
            from khabar.newsroom.ingest import fetch_settings

            with Fetcher(fetch_settings()) as fetcher:
                result = fetcher.fetch(path)
            return result.content, None
        if path == "-":
            return sys.stdin.buffer.read(MAX_INPUT + 1), None
        file = Path(path)
        if not file.is_file():
            raise CommandError(
                f"{path}: no such file; give the path of a saved page, or -", returncode=2
            )
        with file.open("rb") as fh:
            return fh.read(MAX_INPUT + 1), file.name

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data, name = self._read(options["path"])
        except KhabarError as exc:
            raise CommandError(f"{options['path']}: {exc}", returncode=2) from exc
        except OSError as exc:
            raise CommandError(
                f"{options['path']}: cannot read it ({exc.strerror})", returncode=2
            ) from exc
        if len(data) > MAX_INPUT:
            raise CommandError(
                f"{options['path']}: larger than 50 MB; this is not one page", returncode=2
            )
        url = options.get("url") or (options["path"] if "://" in options["path"] else None)
        try:
            article = extract_bytes(data, filename=name, url=url)
        except KhabarError as exc:
            raise CommandError(f"{options['path']}: {exc}", returncode=2) from exc
        if options["format"] == "text":
            self.stdout.write(article.to_text(), ending="")
        else:
            self.stdout.write(json.dumps(article.to_json(), ensure_ascii=False, indent=2))
