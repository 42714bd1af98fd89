"""Read what a reader typed into a `Query`: words, "quoted phrases" and -excluded words.

Nothing a reader types reaches an engine's query language: every clause is reduced to the
analyzer's terms, and each engine quotes those terms itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from khabar.arabic import display_safe
from khabar.search.analyzer import DEFAULT_ANALYZER, Analyzer
from khabar.search.errors import QueryError

__all__ = ["MAX_CLAUSES", "MAX_LENGTH", "Clause", "Query", "parse_query"]

MAX_LENGTH = 1000
MAX_CLAUSES = 32

_QUOTES = '"\u201c\u201d\u201e\u00ab\u00bb'
_CHUNK = re.compile(
    rf"(?:(?<=\s)|^)(?P<neg>[-\u2212])?(?:[{_QUOTES}](?P<phrase>[^{_QUOTES}]*)[{_QUOTES}]?"
    rf"|(?P<word>[^\s{_QUOTES}]+))"
    rf"|[{_QUOTES}](?P<phrase2>[^{_QUOTES}]*)[{_QUOTES}]?|(?P<word2>[^\s{_QUOTES}]+)"
)
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Clause:
    """A word or phrase as typed and its terms; several terms must appear in order."""

    text: str
    terms: tuple[str, ...]
    # Other terms a single word may match as: the same stem with a ب/ل/ك/ف proclitic on or off.
    variants: tuple[str, ...] = ()

    @property
    def is_phrase(self) -> bool:
        """Return True when the clause has more than one term."""
        return len(self.terms) > 1

    @property
    def alternatives(self) -> tuple[str, ...]:
        """Return the terms any of which satisfies a single-word clause."""
        return (*self.terms, *self.variants)


@dataclass(frozen=True)
class Query:
    """A parsed query: every required clause must match and no excluded one may."""

    text: str
    required: tuple[Clause, ...]
    excluded: tuple[Clause, ...] = ()
    ignored: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    analyzer: str = DEFAULT_ANALYZER.signature

    @property
    def terms(self) -> tuple[str, ...]:
        """Return the terms of the single-word clauses."""
        return tuple(c.terms[0] for c in self.required if not c.is_phrase)

    @property
    def phrases(self) -> tuple[tuple[str, ...], ...]:
        """Return the terms of each phrase clause."""
        return tuple(c.terms for c in self.required if c.is_phrase)

    @property
    def excluded_terms(self) -> tuple[tuple[str, ...], ...]:
        """Return the terms of each excluded clause."""
        return tuple(c.terms for c in self.excluded)

    def all_terms(self) -> set[str]:
        """Return every term a hit may be highlighted for."""
        return {term for clause in self.required for term in (*clause.terms, *clause.variants)}


def _chunks(text: str) -> list[tuple[bool, str]]:
    chunks = []
    for match in _CHUNK.finditer(text):
        negated = match["neg"] is not None
        body = match["phrase"] or match["word"] or match["phrase2"] or match["word2"] or ""
        chunks.append((negated, body))
    return chunks


def _no_terms_error(text: str, ignored: list[str], excluded: list[Clause]) -> QueryError:
    if excluded:
        return QueryError(
            "the query only excludes words: add a word to search for",
            "البحث يستبعد كلمات فقط: أضف كلمة تبحث عنها",
        )
    if any(_LETTER.search(word) for word in ignored):
        return QueryError(
            f"{text!r} holds only very common words: add a name, a place or a topic",
            "كلمات البحث شائعة جدا: أضف اسما أو مكانا أو موضوعا",
        )
    return QueryError(
        "the query holds no word or number to search for: type one",
        "لا توجد كلمة أو رقم للبحث عنه: اكتب كلمة",
    )


def _check_length(text: str) -> None:
    if len(text) > MAX_LENGTH:
        raise QueryError(
            f"the query is {len(text):,} characters long: shorten it to {MAX_LENGTH:,} at most",
            f"نص البحث طويل جدا ({len(text)} حرفا): اختصره إلى {MAX_LENGTH} حرف على الأكثر",
        )


def parse_query(text: str, analyzer: Analyzer = DEFAULT_ANALYZER) -> Query:
    """Parse a reader's query; raise QueryError, with a message to show, if nothing is left."""
    _check_length(text)
    clean = " ".join(display_safe(text).split())
    required: list[Clause] = []
    excluded: list[Clause] = []
    ignored: list[str] = []
    for negated, body in _chunks(clean):
        terms = tuple(analyzer.terms(body))
        if not terms:
            ignored.append(body)
            continue
        target = excluded if negated else required
        if all(clause.terms != terms for clause in target):
            target.append(Clause(body, terms))
    if not required:
        raise _no_terms_error(clean, ignored, excluded)
    notes: tuple[str, ...] = ()
    if len(required) > MAX_CLAUSES:
        required = required[:MAX_CLAUSES]
        notes = (f"only the first {MAX_CLAUSES} words were searched",)
    return Query(
        clean,
        tuple(required),
        tuple(excluded[:MAX_CLAUSES]),
        tuple(ignored),
        notes,
        analyzer.signature,
    )
