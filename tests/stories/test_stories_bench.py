"""The near-duplicate benchmark runs end to end on a small corpus."""

from __future__ import annotations

import pytest

bench = pytest.importorskip("bench.duplicates", reason="run pytest from the repository root")


def test_synthetic_copies_are_flagged_like_the_all_pairs_scan() -> None:
    pairs = bench.load_pairs()
    docs = list(bench.synthetic(pairs, 150))
    origins = bench.roots(docs)
    run = bench.run_index(docs, origins)
    _, scanned, _ = bench.run_all_pairs(docs)
    assert run.wrong == 0
    assert run.flagged == scanned
    assert run.flagged >= bench.findable(docs, origins) > 0


def test_best_prefers_f1_then_precision() -> None:
    make = bench.Score
    scores = [
        make(3, 0.30, False, tp=10, fp=1, fn=0, gap=0.1),
        make(3, 0.35, False, tp=9, fp=0, fn=1, gap=0.1),
        make(3, 0.40, False, tp=10, fp=0, fn=0, gap=0.1),
        make(3, 0.45, False, tp=10, fp=0, fn=0, gap=0.1),
        make(3, 0.50, False, tp=10, fp=0, fn=0, gap=0.1),
        make(2, 0.40, False, tp=10, fp=0, fn=0, gap=0.05),
    ]
    assert (bench.best(scores).k, bench.best(scores).threshold) == (3, 0.45)
