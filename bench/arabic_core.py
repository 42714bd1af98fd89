"""Throughput of the Arabic core against the plain alternatives a user would otherwise use.

Builds a corpus from the demo articles (original text shipped with Khabar), then times:
normalize vs. a regex-based normalizer; tokenize (with offsets) vs. str.split and re.findall;
light stemming vs. Snowball (PyStemmer). Prints tokens/s and the ratio to the alternative.
"""

from __future__ import annotations

import json
import platform
import re
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from khabar.arabic import find_dates, light_stem, normalize, snowball_stem, tokenize

CONTENT = Path(__file__).resolve().parent.parent / "khabar/newsroom/demo/content.json"
DIACRITICS = re.compile("[\u064b-\u065f\u0670\u0640]")
WORD = re.compile(r"\w+")


def corpus() -> str:
    """All demo article text, repeated to about 2 MB."""
    data = json.loads(CONTENT.read_text(encoding="utf-8"))
    parts = []
    for a in data["articles"]:
        parts += [a["title"], a["lead"], *(b["text"] for b in a["body"])]
    text = "\n".join(parts)
    return text * max(1, 2_000_000 // len(text))


def regex_normalize(text: str) -> str:
    """What a quick hand-written normalizer does: a few regex and replace calls."""
    text = DIACRITICS.sub("", text)
    for src, dst in (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ى", "ي"), ("ة", "ه")):
        text = text.replace(src, dst)
    return text


def timed(fn: Callable[[], object], repeat: int = 3) -> float:
    """Best wall time of a few runs, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    """Print the table."""
    text = corpus()
    tokens = [t.text for t in tokenize(text)]
    uniq = sorted(set(tokens))
    n = len(tokens)
    print(
        f"# Arabic core — {date.today()} — {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}"
    )
    print(f"corpus: {len(text):,} characters, {n:,} tokens, {len(uniq):,} distinct\n")
    rows = [
        (
            "normalize (all steps)",
            timed(lambda: normalize(text)),
            n,
            "regex normalizer",
            timed(lambda: regex_normalize(text)),
        ),
        (
            "tokenize with offsets",
            timed(lambda: tokenize(text)),
            n,
            "re.findall(\\w+)",
            timed(lambda: WORD.findall(text)),
        ),
        (
            "light_stem, distinct words",
            timed(lambda: [light_stem(w) for w in uniq]),
            len(uniq),
            "snowball_stem",
            timed(lambda: [snowball_stem(w) for w in uniq]),
        ),
        ("find_dates", timed(lambda: find_dates(text), 1), n, "-", 0.0),
    ]
    print("| step | tokens/s | alternative | tokens/s | ratio |")
    print("| --- | ---: | --- | ---: | ---: |")
    for name, secs, count, alt, alt_secs in rows:
        ours = count / secs
        if alt_secs:
            theirs = count / alt_secs
            print(f"| {name} | {ours:,.0f} | {alt} | {theirs:,.0f} | {ours / theirs:.2f} |")
        else:
            print(f"| {name} | {ours:,.0f} | {alt} | - | - |")


if __name__ == "__main__":
    main()
