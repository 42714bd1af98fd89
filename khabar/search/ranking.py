"""How hits are ranked, shared by every engine so they order results the same way.

score = BM25(weighted fields) * recency, with BM25 as SQLite FTS5 computes it: for each query
phrase, idf * f * (k1 + 1) / (f + k1 * (1 - b + b * D / avgdl)), where f sums the phrase's
frequency in each field times the field's weight and D counts the document's terms in all
fields. The recency factor is 1 + RECENCY_BOOST / (1 + age_days / RECENCY_DAYS): a story
published now gets half again its text score, a week-old one a quarter, a year-old one almost
nothing, so fresh news wins among equally relevant articles but never buries the relevant one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = [
    "FIELDS",
    "FIELD_WEIGHTS",
    "K1",
    "RECENCY_BOOST",
    "RECENCY_DAYS",
    "B",
    "bm25_idf",
    "bm25_term",
    "recency",
]

FIELDS = ("title", "lead", "body")
# Headline above lead above body; tuned on the quality set (bench/search_quality.py).
FIELD_WEIGHTS = (4.0, 2.0, 1.0)
K1 = 1.2
B = 0.75
RECENCY_BOOST = 0.5
RECENCY_DAYS = 7.0
SECONDS_PER_DAY = 86_400.0


def bm25_idf(n_docs: int, doc_freq: int) -> float:
    """Return FTS5's idf: log((N - n + 0.5) / (n + 0.5)), floored at 1e-6."""
    idf = math.log((n_docs - doc_freq + 0.5) / (doc_freq + 0.5))
    return idf if idf > 0 else 1e-6


def bm25_term(idf: float, freq: float, doc_len: float, avg_len: float) -> float:
    """Return one phrase's BM25 contribution for a weighted frequency `freq`."""
    return idf * freq * (K1 + 1) / (freq + K1 * (1 - B + B * doc_len / avg_len))


def weighted(freqs: Sequence[int]) -> float:
    """Return the field-weighted frequency of per-field counts (title, lead, body)."""
    return sum(w * f for w, f in zip(FIELD_WEIGHTS, freqs, strict=True))


def recency(age_seconds: float) -> float:
    """Return the recency factor for an article `age_seconds` old (future dates count as now)."""
    age_days = max(0.0, age_seconds) / SECONDS_PER_DAY
    return 1.0 + RECENCY_BOOST / (1.0 + age_days / RECENCY_DAYS)
