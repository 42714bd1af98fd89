"""Grouping with the stems, fingerprint and headline countries ingest's workers computed gives
what grouping computes itself: the same stories, vectors and copies on the labelled set."""

from __future__ import annotations

from dataclasses import replace

import pytest

from khabar.stories.dedup import DuplicateIndex
from khabar.stories.fingerprint import fingerprint
from khabar.stories.grouping import StoryIndex, headline_countries, stem_counts

bench = pytest.importorskip("bench.stories", reason="run pytest from the repository root")


def test_precomputed_stems_and_fingerprints_change_nothing() -> None:
    articles, _labels = bench.load()
    articles, _ = bench.with_entities(articles)
    plain, given = StoryIndex(), StoryIndex()
    probe = DuplicateIndex()
    for article in articles:
        text = "\n".join(p for p in (article.title, article.lead, article.body) if p)
        ready = replace(
            article,
            stems=stem_counts(article.title, article.lead, article.body),
            fingerprint=fingerprint(
                text, probe.k, probe.num_perm, drop_function_words=probe.drop_function_words
            ),
            countries=headline_countries(article.title, article.lead),
        )
        assert plain.place(article).story_id == given.place(ready).story_id
    assert plain.assignments() == given.assignments()
    for article in articles:
        assert plain.vector(article.id) == given.vector(article.id)
        assert plain.original(article.id) == given.original(article.id)
    named = sum(bool(headline_countries(a.title, a.lead)) for a in articles)
    assert named > len(articles) // 4, "most headlines name a country: the penalty is in play"
    copies = sum(plain.original(a.id) != a.id for a in articles)
    assert copies > 0, "the set has agency copies, found through the fingerprints"


def test_fingerprint_made_with_other_settings_is_not_used() -> None:
    articles, _labels = bench.load()
    article = articles[0]
    text = "\n".join((article.title, article.lead, article.body))
    other = replace(article, fingerprint=fingerprint(text, 2))  # 2-word shingles, not 3
    index = StoryIndex()
    assert index._given_fingerprint(other) is None
    assert index._given_fingerprint(replace(article, fingerprint=fingerprint(text))) is not None
