"""khabar export: write every stored article, one JSON object a line."""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandParser

from khabar.newsroom.export import iter_export


class Command(BaseCommand):
    help = "Write every stored article as JSON lines to standard output or --output FILE."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["jsonl"], default="jsonl")
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["output"]:
            self._write(sys.stdout)
            return
        with open(options["output"], "w", encoding="utf-8") as out:
            n = self._write(out)
        self.stderr.write(f"{n} articles written to {options['output']}")

    def _write(self, out: TextIO) -> int:
        n = 0
        for record in iter_export():
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
        return n
