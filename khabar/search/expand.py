"""Proclitics light stemming keeps: match جائزة with بجائزة, and لسوريا with سوريا.

Light10 strips و and the article forms but not a lone ب, ل, ك or ف, which Arabic writes against
the next word (بجائزة, لسوريا, ببغداد). Stripping them at index time would also cut real
letters (بنك, لبنان), so the engine widens the query instead: each single word may also match as
its term with one of those letters added or removed, when the index holds that form at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import replace

from khabar.arabic.tokenize import ARABIC_LETTERS
from khabar.search.query import Clause, Query

__all__ = ["PROCLITICS", "expand", "prefix_variants"]

PROCLITICS = "بلكف"
_MIN_REST = 3
_ARABIC = re.compile(f"[{ARABIC_LETTERS}]")


def prefix_variants(term: str) -> tuple[list[str], str | None]:
    """Return `term` with each proclitic added, and without its own first letter if one."""
    if not _ARABIC.match(term):
        return [], None
    stripped = term[1:] if term[0] in PROCLITICS and len(term) - 1 >= _MIN_REST else None
    return [letter + term for letter in PROCLITICS], stripped


def _variants(term: str, df: dict[str, int]) -> tuple[str, ...]:
    # The same word with a proclitic is rarer than without it: بجايز is rarer than جايز, but
    # لبنان (Lebanon) is not rarer than بنان, and بطول (بطولة) is commoner than طول.
    own = df.get(term, 0)
    added, stripped = prefix_variants(term)
    keep = [v for v in added if 0 < df.get(v, 0) < own or (own == 0 and df.get(v, 0) > 0)]
    if stripped is not None and df.get(stripped, 0) > own:
        keep.append(stripped)
    return tuple(keep)


def expand(query: Query, doc_freqs: Callable[[Collection[str]], dict[str, int]]) -> Query:
    """Return `query` with the proclitic variants of its single words that the index holds."""
    singles = {c.terms[0] for c in query.required if not c.is_phrase}
    wanted = set(singles)
    for term in singles:
        added, stripped = prefix_variants(term)
        wanted.update(added + ([stripped] if stripped else []))
    df = doc_freqs(wanted)

    def widened(clause: Clause) -> Clause:
        if clause.is_phrase:
            return clause
        return replace(clause, variants=_variants(clause.terms[0], df))

    return replace(query, required=tuple(widened(c) for c in query.required))
