"""Run every benchmark: python -m bench [NAME ...]."""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = [
    "arabic_core",
    "duplicates",
    "extraction",
    "ingest",
    "entities",
    "stories",
    "search_quality",
]


def main(names: list[str]) -> None:
    """Run the named benchmarks, or all of them."""
    for name in names or BENCHMARKS:
        module = importlib.import_module(f"bench.{name}")
        module.main()


if __name__ == "__main__":
    main(sys.argv[1:])
