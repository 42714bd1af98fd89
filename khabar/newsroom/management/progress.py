"""A progress line for long commands: a bar on a terminal, a line every 10% otherwise."""

from __future__ import annotations

import sys
from typing import TextIO


class ProgressBar:
    """Show how far a job has got: `bar(done, total, label)`."""

    def __init__(self, title: str, stream: TextIO | None = None, width: int = 30) -> None:
        self.title = title
        self.stream = stream or sys.stderr
        self.width = width
        self.tty = self.stream.isatty()
        self._last_tenth = -1

    def __call__(self, done: int, total: int, label: str = "") -> None:
        total = max(total, 1)
        if self.tty:
            filled = int(self.width * done / total)
            bar = "█" * filled + "·" * (self.width - filled)
            self.stream.write(f"\r{self.title} [{bar}] {done}/{total} {label[:30]:<30}")
            if done >= total:
                self.stream.write("\n")
        else:
            tenth = 10 * done // total
            if tenth != self._last_tenth:
                self._last_tenth = tenth
                self.stream.write(f"{self.title}: {done}/{total}\n")
        self.stream.flush()
