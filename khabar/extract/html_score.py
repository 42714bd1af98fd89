"""Score an extracted body against an expected one: token precision, recall and F1.

Tokens are the words and numbers of the normalized text (`khabar.arabic.words`), counted as a
multiset, so paragraph breaks and spelling variants of alef, yeh or teh marbuta do not count.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from khabar.arabic import normalize, words


@dataclass(frozen=True)
class Scores:
    """Token-level precision, recall and F1 of one reading."""

    precision: float
    recall: float
    f1: float


def tokens(texts: Iterable[str]) -> Counter[str]:
    """Return the multiset of normalized word tokens of some texts."""
    return Counter(words(normalize(" ".join(texts))))


def token_scores(got: Iterable[str], expected: Iterable[str]) -> Scores:
    """Return how well the texts `got` match the `expected` ones, token by token."""
    found, wanted = tokens(got), tokens(expected)
    overlap = sum((found & wanted).values())
    if not found or not wanted:
        same = not found and not wanted
        return Scores(float(same), float(same), float(same))
    precision = overlap / sum(found.values())
    recall = overlap / sum(wanted.values())
    f1 = 2 * precision * recall / (precision + recall) if overlap else 0.0
    return Scores(precision, recall, f1)


def mean(values: Iterable[float]) -> float:
    """Return the arithmetic mean of some values, 0.0 for none."""
    items = list(values)
    return sum(items) / len(items) if items else 0.0
