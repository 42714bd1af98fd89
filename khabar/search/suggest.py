"""When nothing matches, find a query that does: a spelling variant or a dropped prefix.

Normalization already makes hamza forms of alef, ى/ي, diacritics and digits match. What is left
are spellings that mean the same but analyze apart (سوريا/سورية, مسؤول/مسئول), prefixes that light
stemming keeps (لسوريا), slips of the keyboard, and words that simply are not in the index.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable

from khabar.arabic import normalize
from khabar.search.analyzer import Analyzer
from khabar.search.errors import QueryError
from khabar.search.query import Clause, Query, parse_query

__all__ = ["edit_variants", "spelling_variants", "suggest"]

DocFreqs = Callable[[Collection[str]], dict[str, int]]
Matches = Callable[[Query], bool]

_ENDINGS = (
    ("يا", "ية"),
    ("ية", "يا"),
    ("ا", "ى"),
    ("ا", "ة"),
    ("ة", "ا"),
    ("ه", "ة"),
    ("ة", "ه"),
    ("ى", "ا"),
    ("ة", "ت"),
    ("ي", "ى"),
    ("ى", "ي"),
)
_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك")
_HAMZA = {"ؤ": "ئء", "ئ": "ؤء", "ء": "ؤئ", "و": "ؤ", "ي": "ئ", "أ": "ا", "ا": "أ"}
_CONFUSED = {
    "ت": "ط",
    "ط": "ت",
    "س": "صث",
    "ص": "س",
    "ث": "س",
    "ذ": "زظ",
    "ز": "ذظ",
    "ظ": "ضذ",
    "ض": "ظد",
    "د": "ض",
    "ه": "ح",
    "ح": "ه",
    "ق": "كغ",
    "ك": "ق",
    "ج": "غ",
    "غ": "جق",
}
_MIN_REST = 3
_MIN_EDIT_TERM = 4


def _surface(word: str) -> str:
    return normalize(
        word, alef=False, alef_maqsura=False, teh_marbuta=False, hamza=False, digits=False
    )


def _prefix_variants(word: str) -> Iterable[str]:
    for prefix in _PREFIXES:
        rest = word[len(prefix) :]
        if word.startswith(prefix) and len(rest) >= _MIN_REST:
            yield rest
            if prefix in ("وال", "بال", "فال", "كال", "لل"):
                yield "ال" + rest
    if not word.startswith("ال"):
        yield "ال" + word


def spelling_variants(word: str) -> list[str]:
    """Return the Arabic spelling variants of `word` readers and writers use, likeliest first."""
    base = _surface(word)
    out: list[str] = []
    for old, new in _ENDINGS:
        if base.endswith(old) and len(base) > len(old) + 1:
            out.append(base[: -len(old)] + new)
    out.extend(_prefix_variants(base))
    for i, ch in enumerate(base[1:-1], start=1):
        out.extend(base[:i] + alt + base[i + 1 :] for alt in _HAMZA.get(ch, ""))
    return [v for v in dict.fromkeys(out) if v != base]


def edit_variants(word: str) -> list[str]:
    """Return the words one slip away: a letter dropped, doubled, swapped or confused."""
    base = _surface(word)
    out: list[str] = []
    if len(base) >= 4:
        out.extend(base[:i] + base[i + 1 :] for i in range(len(base)))
    out.extend(base[:i] + base[i + 1] + base[i] + base[i + 2 :] for i in range(len(base) - 1))
    for i, ch in enumerate(base):
        out.extend(base[:i] + alt + base[i + 1 :] for alt in _CONFUSED.get(ch, ""))
    return [v for v in dict.fromkeys(out) if v != base]


def _single_term(analyzer: Analyzer, word: str) -> str | None:
    terms = analyzer.terms(word)
    return terms[0] if len(terms) == 1 else None


def _best_variant(word: str, analyzer: Analyzer, doc_freqs: DocFreqs) -> str | None:
    for variants, min_term in ((spelling_variants(word), 1), (edit_variants(word), _MIN_EDIT_TERM)):
        # A slip is trusted only when its stem is long enough to be a word of its own: else
        # سوريا -> صوريا would pass, its stem صور being common.
        terms = {v: t for v in variants if (t := _single_term(analyzer, v)) and len(t) >= min_term}
        found = doc_freqs({t for t in terms.values() if t})
        scored = [(found.get(t or "", 0), -i, v) for i, (v, t) in enumerate(terms.items())]
        best = max(scored, default=(0, 0, ""))
        if best[0] > 0:
            return best[2]
    return None


def _text(required: Iterable[Clause], excluded: Iterable[Clause]) -> str:
    words = [f'"{c.text}"' if c.is_phrase else c.text for c in required]
    words += [f'-"{c.text}"' if c.is_phrase else f"-{c.text}" for c in excluded]
    return " ".join(words)


def _try(text: str, analyzer: Analyzer, matches: Matches) -> bool:
    try:
        return matches(parse_query(text, analyzer))
    except QueryError:
        return False


def _replaced(query: Query, analyzer: Analyzer, doc_freqs: DocFreqs) -> list[Clause] | None:
    freqs = doc_freqs({t for c in query.required for t in c.terms})
    clauses = list(query.required)
    changed = False
    for i, clause in enumerate(clauses):
        if clause.is_phrase or freqs.get(clause.terms[0], 0) > 0:
            continue
        variant = _best_variant(clause.text, analyzer, doc_freqs)
        if variant is not None:
            clauses[i] = Clause(variant, (_single_term(analyzer, variant) or variant,))
            changed = True
    return clauses if changed else None


def suggest(query: Query, analyzer: Analyzer, doc_freqs: DocFreqs, matches: Matches) -> str | None:
    """Return a query close to `query` that matches something, or None if none is found."""
    clauses = _replaced(query, analyzer, doc_freqs)
    if clauses is not None:
        text = _text(clauses, query.excluded)
        if _try(text, analyzer, matches):
            return text
    current = clauses or list(query.required)
    if len(current) > 1:
        for i in range(len(current)):
            text = _text(current[:i] + current[i + 1 :], query.excluded)
            if _try(text, analyzer, matches):
                return text
    return None
