"""Body extraction from HTML pages: Khabar's extractor against the ones a user would reach for.

Runs Khabar's `extract_html`, trafilatura (default and favor_precision), readability-lxml and
jusText (Arabic stoplist) on two sets of pages: the project's fixtures (tests/fixtures/html)
and the real Arabic news pages in ../shared/real-pages when that folder is there. Each page is
decoded once, the same way for every extractor; extractors take turns page by page, so a busy
machine slows them alike. Prints token precision, recall and F1 of the body against the
expected reading (macro average over pages), ms per page, and Khabar's title and date accuracy.

    python -m bench.extraction [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from khabar.errors import ExtractionError
from khabar.extract.detect import decode
from khabar.extract.html_score import Scores, mean, token_scores
from khabar.extract.htmlpage import extract_html

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "html"
REAL_PAGES = REPO.parent / "shared" / "real-pages"

Extractor = Callable[[str], list[str]]


@dataclass
class Page:
    """One page of a set: its decoded HTML and its expected reading."""

    name: str
    html: str
    expected: dict[str, Any]


@dataclass
class Run:
    """What one extractor did on one set: scores per page and the time it took."""

    scores: list[Scores] = field(default_factory=list)
    seconds: float = 0.0
    calls: int = 0


def load_pages(folder: Path) -> list[Page]:
    """Return the pages of a folder that have an expected reading, by name."""
    pages = []
    for path in sorted(folder.glob("*.html")):
        expected = path.with_name(path.stem + ".expected.json")
        if expected.exists():
            data = json.loads(expected.read_text(encoding="utf-8"))
            pages.append(Page(path.stem, decode(path.read_bytes()), data))
    return pages


def ours(html: str) -> list[str]:
    """Khabar's reading: the lead, then the body blocks."""
    try:
        article = extract_html(html)
    except ExtractionError:
        return []
    return ([article.lead] if article.lead else []) + article.body


def trafilatura_default(html: str) -> list[str]:
    """trafilatura.extract with its defaults, as text."""
    import trafilatura

    return (trafilatura.extract(html) or "").split("\n")


def trafilatura_precision(html: str) -> list[str]:
    """trafilatura.extract with favor_precision=True, as text."""
    import trafilatura

    return (trafilatura.extract(html, favor_precision=True) or "").split("\n")


def readability(html: str) -> list[str]:
    """readability-lxml's summary, as the text of its elements."""
    import lxml.html
    from readability import Document

    summary = Document(html).summary(html_partial=True)
    return [" ".join(lxml.html.fromstring(summary).itertext())] if summary.strip() else []


def justext_arabic(html: str) -> list[str]:
    """jusText with its Arabic stoplist: the paragraphs it does not call boilerplate."""
    import justext

    paragraphs = justext.justext(html.encode("utf-8"), justext.get_stoplist("Arabic"))
    return [p.text for p in paragraphs if not p.is_boilerplate]


EXTRACTORS: dict[str, Extractor] = {
    "khabar extract_html": ours,
    "trafilatura (default)": trafilatura_default,
    "trafilatura (favor_precision)": trafilatura_precision,
    "readability-lxml": readability,
    "jusText (Arabic stoplist)": justext_arabic,
}


def measure(pages: list[Page], repeat: int) -> dict[str, Run]:
    """Run every extractor on every page, `repeat` times, taking turns page by page."""
    runs = {name: Run() for name in EXTRACTORS}
    for extractor in EXTRACTORS.values():
        extractor(pages[0].html)  # warm up: imports, compiled patterns
    for round_ in range(repeat):
        for page in pages:
            for name, extractor in EXTRACTORS.items():
                start = time.perf_counter()
                got = extractor(page.html)
                runs[name].seconds += time.perf_counter() - start
                runs[name].calls += 1
                if round_ == 0:
                    runs[name].scores.append(token_scores(got, page.expected["body"]))
    return runs


def _same_title(got: str, expected: str) -> bool:
    return " ".join(got.split()) == " ".join(expected.split())


def _same_day(got: Any, expected: str | None) -> bool:
    if expected is None:
        return got is None
    return got is not None and got.date().isoformat() == expected[:10]


def accuracy(pages: list[Page]) -> tuple[int, int, int, int]:
    """Return Khabar's right titles and right local dates, with how many pages expect each."""
    titles = dates = title_count = date_count = 0
    for page in pages:
        article = extract_html(page.html)
        if page.expected.get("title"):
            title_count += 1
            titles += _same_title(article.title, page.expected["title"])
        if page.expected.get("published"):
            date_count += 1
            dates += _same_day(article.published, page.expected["published"])
    return titles, title_count, dates, date_count


def _row(name: str, run: Run) -> str:
    ms = 1000 * run.seconds / max(1, run.calls)
    p, r, f = (mean(getattr(s, k) for s in run.scores) for k in ("precision", "recall", "f1"))
    return f"| {name} | {p:.3f} | {r:.3f} | **{f:.3f}** | {ms:.1f} | {1000 / ms:.1f} |"


def print_set(title: str, pages: list[Page], repeat: int) -> None:
    """Measure one set of pages and print its tables."""
    runs = measure(pages, repeat)
    print(f"\n## {title}: {len(pages)} pages, {repeat} timed rounds\n")
    print("| extractor | precision | recall | F1 | ms/page | pages/s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, run in runs.items():
        print(_row(name, run))
    titles, title_count, dates, date_count = accuracy(pages)
    print(
        f"\nkhabar extract_html: title right on {titles}/{title_count} pages, "
        f"local publication date right on {dates}/{date_count}."
    )
    print("\n| page | " + " | ".join(EXTRACTORS) + " |")
    print("| --- |" + " ---: |" * len(EXTRACTORS))
    for i, page in enumerate(pages):
        cells = " | ".join(f"{runs[name].scores[i].f1:.3f}" for name in EXTRACTORS)
        print(f"| {page.name} | {cells} |")


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> None:
    """Print the extraction tables for the fixtures and, when present, the real pages."""
    parser = argparse.ArgumentParser(prog="python -m bench.extraction", description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds (default 3)")
    args = parser.parse_args(argv or [])
    print(f"# HTML extraction — {date.today()} — {_machine()}")
    print("\nToken precision, recall and F1 of the body (macro average over pages).")
    print_set("Khabar's fixtures (tests/fixtures/html)", load_pages(FIXTURES), args.repeat)
    if REAL_PAGES.is_dir():
        print_set("Real pages (../shared/real-pages)", load_pages(REAL_PAGES), args.repeat)
    else:
        print(f"\n(The real pages are not here: {REAL_PAGES} is absent, so that set is skipped.)")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
