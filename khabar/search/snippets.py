"""Snippets: the passage of a hit that best shows the query, with the matched words marked.

Offsets come from the analyzer's tokenizer, run over the normalized text and mapped back to the
original through `normalize_mapped`, so a snippet is always a slice of the text as published:
diacritics, hamza and Arabic-Indic digits stay as the writer put them. Only the tokens of the
chosen window are located, which keeps a page of ten snippets to about a millisecond.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from khabar.search.analyzer import Analyzer, Scan

__all__ = ["Snippet", "make_snippet"]

WINDOW = 28
MAX_CHARS = 8_000
# Characters of normalized text tokenized around the matches (a window is about 200).
REGION = 600
# Terms str.find cannot locate in normalized text: numbers (1,000 -> 1000), Latin (case,
# accents) and the analyzer's spelling folds (أميركي -> امريك).
_NOT_LITERAL = re.compile(r"[0-9a-z.]|امريك|مسوول|شوون")
_BEFORE = 4
ELLIPSIS = "\u2026"


@dataclass(frozen=True)
class Snippet:
    """A passage of the original text and the offsets of its matched words."""

    text: str
    highlights: tuple[tuple[int, int], ...]

    def html(self) -> str:
        """Return the passage as escaped HTML with <mark> around each matched word."""
        parts: list[str] = []
        cursor = 0
        for start, end in self.highlights:
            parts.append(html.escape(self.text[cursor:start]))
            parts.append(f"<mark>{html.escape(self.text[start:end])}</mark>")
            cursor = end
        parts.append(html.escape(self.text[cursor:]))
        return "".join(parts)


@dataclass(frozen=True)
class _Window:
    score: float
    field: int
    first: int
    last: int


def _best_window(scan: Scan, terms: set[str], field: int) -> _Window | None:
    matches = [i for i, term in enumerate(scan.terms) if term in terms]
    best: _Window | None = None
    for i in matches:
        first = max(0, i - _BEFORE)
        last = min(len(scan.terms), first + WINDOW)
        inside = [scan.terms[j] for j in matches if first <= j < last]
        # Distinct terms first; the lead wins ties, as it is written to summarize.
        score = len(set(inside)) + 0.1 * min(len(inside), 4) + (0.5 if field == 0 else 0.0)
        if best is None or score > best.score:
            best = _Window(score, field, first, last)
    return best


def _bounds(text: str, scan: Scan, window: _Window) -> tuple[int, int]:
    if window.first == 0 and scan.starts_text:
        start = 0
    else:
        start = scan.offsets(window.first, window.first + 1)[0][0]
        while start > 0 and not text[start - 1].isspace():
            start -= 1
    if window.last >= len(scan.tokens) and scan.ends_text:
        return start, len(text.rstrip())
    end = scan.offsets(window.last - 1, window.last)[0][1]
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


def _cut(text: str, scan: Scan, window: _Window, terms: set[str]) -> Snippet:
    start, end = _bounds(text, scan, window)
    prefix = f"{ELLIPSIS} " if start > 0 else ""
    suffix = f" {ELLIPSIS}" if end < len(text.rstrip()) else ""
    shift = len(prefix) - start
    marks = tuple(
        (a + shift, b + shift)
        for k in range(window.first, window.last)
        if scan.terms[k] in terms
        for a, b in scan.offsets(k, k + 1)
    )
    # Line breaks become spaces one for one, so the offsets still hold.
    passage = text[start:end].replace("\r", " ").replace("\n", " ")
    return Snippet(prefix + passage + suffix, marks)


def _region(text: str, terms: set[str]) -> tuple[int, int] | None:
    """Return the stretch of `text` where the terms' letters cluster, or None if nowhere."""
    # A stem is a substring of its word's normalized form, so str.find points to where to
    # tokenize; the scan then checks real terms. Numbers, Latin words and folded spellings may
    # not be substrings: those fall back to tokenizing everything.
    found = sorted((pos, term) for term in terms if term for pos in _positions(text, term))
    best: tuple[int, int] | None = None
    for i, (pos, _) in enumerate(found):
        inside = {t for p, t in found[i:] if p < pos + REGION}
        if best is None or len(inside) > best[0]:
            best = (len(inside), pos)
    if best is None:
        return None
    return _word_start(text, best[1] - REGION // 4), _word_start(text, best[1] + REGION)


def _literal(term: str) -> bool:
    """Return True if `term` is written as is in normalized text (not a number, fold or Latin)."""
    return not _NOT_LITERAL.search(term)


def _word_start(text: str, pos: int) -> int:
    """Return `pos` moved back to the start of the word it falls in (0 and len(text) bound)."""
    pos = min(max(pos, 0), len(text))
    while 0 < pos < len(text) and not text[pos - 1].isspace():
        pos -= 1
    return pos


def _positions(text: str, term: str, limit: int = 8) -> list[int]:
    out: list[int] = []
    pos = text.find(term)
    while pos >= 0 and len(out) < limit:
        out.append(pos)
        pos = text.find(term, pos + 1)
    return out


def _scan(analyzer: Analyzer, text: str, terms: set[str]) -> Scan | None:
    """Return the tokens around the matches in `text`, or None if `text` surely has none."""
    mapped = analyzer.mapped(text)
    full = mapped.text if mapped else text
    region = _region(full, terms)
    if region is not None:
        scan = analyzer.scan_region(mapped, *region, text)
        if any(term in terms for term in scan.terms):
            return scan
    elif analyzer.normalized and all(_literal(term) for term in terms):
        return None
    return analyzer.scan_region(mapped, 0, len(full), text)


def make_snippet(analyzer: Analyzer, fields: Sequence[str], terms: set[str]) -> Snippet:
    """Return the best passage of `fields` (lead first, then body) for the query's terms."""
    texts = [text[:MAX_CHARS] for text in fields]
    scans: dict[int, Scan] = {}
    best: _Window | None = None
    for field, text in enumerate(texts):
        if best is not None and best.score >= len(terms) + 0.5:
            break  # the lead already shows every term: no passage can beat it
        scan = _scan(analyzer, text, terms)
        window = None if scan is None else _best_window(scan, terms, field)
        if scan is not None and window is not None and (best is None or window.score > best.score):
            scans[field], best = scan, window
    if best is None:
        first = next((i for i, text in enumerate(texts) if text.strip()), None)
        if first is None:
            return Snippet("", ())
        scan = _opening(analyzer, texts[first])
        return _cut(
            texts[first], scan, _Window(0.0, first, 0, min(WINDOW, len(scan.tokens))), terms
        )
    return _cut(texts[best.field], scans[best.field], best, terms)


def _opening(analyzer: Analyzer, text: str) -> Scan:
    mapped = analyzer.mapped(text)
    full = mapped.text if mapped else text
    end = _word_start(full, REGION) or len(full)
    return analyzer.scan_region(mapped, 0, end, text)
