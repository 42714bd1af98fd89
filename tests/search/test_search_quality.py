"""Retrieval quality on the test set: the shipped analyzer is the best, on both engines."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from khabar.search import Analyzer, BaseEngine

quality = pytest.importorskip("bench.search_quality", reason="run pytest from the repository root")
ANALYZERS, documents, judged = quality.ANALYZERS, quality.documents, quality.judged
scores, sqlite_engine = quality.scores, quality.sqlite_engine
EngineFactory = Callable[..., BaseEngine]


def test_the_test_set_is_big_and_varied() -> None:
    tests = judged()
    docs, keys = documents()
    assert len(tests) >= 60 and len(docs) >= 100
    assert all(test.relevant <= set(keys.values()) for test in tests)
    forms = " ".join(test.form for test in tests)
    for form in ("no hamza", "prefix", "Arabic-Indic", "spelling", "Latin"):
        assert form in forms


def test_shipped_analyzer_ranks_best() -> None:
    docs, keys = documents()
    tests = judged()
    table = {
        name: scores(sqlite_engine(analyzer, docs, expand_prefixes=False), keys, tests)
        for name, analyzer in ANALYZERS
    }
    shipped = table.pop("shipped: light + stop words + folds")
    assert shipped[0] >= 0.9
    assert all(shipped[0] > mrr and shipped[1] >= recall for mrr, recall in table.values())
    expanded = scores(sqlite_engine(Analyzer(), docs), keys, tests)
    assert expanded[0] >= shipped[0] and expanded[1] >= shipped[1]


def test_engines_rank_alike(make_engine: EngineFactory) -> None:
    docs, keys = documents()
    tests = judged()
    engine = make_engine(Analyzer())
    engine.index(docs)
    reference = scores(sqlite_engine(Analyzer(), docs), keys, tests)
    mrr, recall = scores(engine, keys, tests)
    assert mrr == pytest.approx(reference[0], abs=0.03)
    assert recall == pytest.approx(reference[1], abs=0.03)
