"""Story grouping: B-cubed quality on the labelled set, throughput, and assignment time at scale.

python -m bench.stories [--scale N]   (N synthetic articles, default 100000; 0 skips the run)

1. Quality on tests/fixtures/stories/set.jsonl (206 articles, 41 stories over five weeks, with
   copies of wire items), articles fed in order of publication as ingest would:
   - shipped: `StoryIndex()` defaults, online; then with the periodic merge pass every 6 hours;
   - baseline: TF-IDF cosine with one threshold, no entities, no time, no headline weight, no
     duplicate detection, scanning every story; its threshold is the best of a grid on the set;
   - a check of the shipped threshold: chosen on one half of the stories, measured on the other.
2. Throughput (articles/s) of both, entities found beforehand (their cost is printed apart).
3. Scale: N synthetic articles over 30 days (each story its own words, invented names and a
   city, mixed with the set's words by frequency; 5% copies), assignment time per article
   p50/p95/p99 over the last 10,000, with the index full.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from khabar.stories.entities import default_gazetteer
from khabar.stories.grouping import (
    GroupingConfig,
    StoryArticle,
    StoryIndex,
    article_entities,
    bcubed,
)

SET = Path(__file__).resolve().parent.parent / "tests/fixtures/stories/set.jsonl"
MERGE_EVERY = timedelta(hours=6)
GRID = tuple(round(0.08 + 0.02 * i, 2) for i in range(12))
BASELINE = GroupingConfig(
    title_weight=1.0,
    lead_weight=1.0,
    entity_weight=0.0,
    decay_days=1e9,
    window_days=1e9,
    country_penalty=0.0,
    use_index=False,
    dedup=False,
)
ABLATIONS: tuple[tuple[str, dict[str, float]], ...] = (
    ("  shipped + entity terms (weight 2)", {"entity_weight": 2.0}),
    ("  shipped without the country penalty", {"country_penalty": 0.0}),
    ("  shipped without headline/lead weights", {"title_weight": 1.0, "lead_weight": 1.0}),
    ("  shipped without time decay", {"decay_days": 1e9}),
)
LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def load(path: Path = SET) -> tuple[list[StoryArticle], dict[str, str]]:
    """Return the labelled articles in order of publication, and their story labels."""
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    articles = [
        StoryArticle(
            i["id"], i["title"], i["lead"], i["body"], datetime.fromisoformat(i["published"])
        )
        for i in items
    ]
    return articles, {i["id"]: i["story"] for i in items}


def with_entities(articles: Sequence[StoryArticle]) -> tuple[list[StoryArticle], float]:
    """Return the articles with their entities found, and the seconds that took per article."""
    started = time.perf_counter()
    found = [replace(a, entities=article_entities(a)) for a in articles]
    return found, (time.perf_counter() - started) / max(len(articles), 1)


def run(
    articles: Sequence[StoryArticle], config: GroupingConfig, *, merge: bool = False
) -> tuple[dict[str, str], float]:
    """Feed the articles to a new index; return the assignments and the seconds per article."""
    index = StoryIndex(config)
    next_merge: datetime | None = None
    spent = 0.0
    for article in articles:
        if merge and next_merge is not None and article.published >= next_merge:
            index.apply_merges(index.merge_pass(article.published))
        if next_merge is None or article.published >= next_merge:
            next_merge = article.published + MERGE_EVERY
        started = time.perf_counter()
        index.place(article)
        spent += time.perf_counter() - started
    if merge:
        index.apply_merges(index.merge_pass())
    return index.assignments(), spent / max(len(articles), 1)


def best_threshold(
    articles: Sequence[StoryArticle], truth: dict[str, str], config: GroupingConfig
) -> tuple[float, float]:
    """Return the threshold of the grid with the best B-cubed F1, and that F1."""
    scores = []
    for threshold in GRID:
        predicted, _ = run(articles, replace(config, threshold=threshold))
        scores.append((bcubed(_only(truth, articles), predicted)[2], threshold))
    f1, threshold = max(scores)
    return threshold, f1


def _only(truth: dict[str, str], articles: Sequence[StoryArticle]) -> dict[str, str]:
    return {a.id: truth[a.id] for a in articles}


def _row(label: str, truth: dict[str, str], predicted: dict[str, str], seconds: float) -> str:
    p, r, f = bcubed(truth, predicted)
    clusters = len(set(predicted.values()))
    rate = 1 / seconds if seconds else float("inf")
    return f"{label:<44} {p:>9.3f} {r:>7.3f} {f:>6.3f} {clusters:>8} {rate:>12,.0f}"


def quality(articles: list[StoryArticle], truth: dict[str, str]) -> None:
    """Print the quality table of the shipped method and the baseline."""
    print(
        f"\n{'method':<44} {'precision':>9} {'recall':>7} {'F1':>6} {'stories':>8}"
        f" {'articles/s':>12}"
    )
    shipped = GroupingConfig()
    for label, merge in (
        ("shipped, online", False),
        ("shipped, online + merge pass every 6 h", True),
    ):
        predicted, seconds = run(articles, shipped, merge=merge)
        print(_row(label, truth, predicted, seconds))
    for label, change in ABLATIONS:
        predicted, seconds = run(articles, replace(shipped, **change))  # type: ignore[arg-type]
        print(_row(label, truth, predicted, seconds))
    threshold, _ = best_threshold(articles, truth, BASELINE)
    predicted, seconds = run(articles, replace(BASELINE, threshold=threshold))
    print(_row(f"baseline: TF-IDF cosine >= {threshold} (best of grid)", truth, predicted, seconds))
    print(f"(labels: {len(set(truth.values()))} stories)")


def held_out_threshold(articles: list[StoryArticle], truth: dict[str, str]) -> None:
    """Print F1 with the threshold chosen on half of the stories, measured on the rest."""
    labels = sorted(set(truth.values()))
    halves = [set(labels[0::2]), set(labels[1::2])]
    print("\nthreshold chosen on one half of the stories, measured on the other:")
    for name, tune, test in (("A->B", *halves), ("B->A", *halves[::-1])):
        tune_articles = [a for a in articles if truth[a.id] in tune]
        test_articles = [a for a in articles if truth[a.id] in test]
        threshold, tuned = best_threshold(tune_articles, truth, GroupingConfig())
        predicted, _ = run(test_articles, replace(GroupingConfig(), threshold=threshold))
        f1 = bcubed(_only(truth, test_articles), predicted)[2]
        print(f"  {name}: threshold {threshold} (F1 {tuned:.3f} on its half) -> F1 {f1:.3f}")


# Scale.


def _vocabulary(articles: Sequence[StoryArticle]) -> list[str]:
    """Return the words of the set, most frequent first: the background vocabulary."""
    counts: dict[str, int] = {}
    for article in articles:
        for word in f"{article.title} {article.lead} {article.body}".split():
            counts[word] = counts.get(word, 0) + 1
    return sorted(counts, key=lambda w: -counts[w])


def _invented(rng: random.Random) -> str:
    return "".join(rng.choice(LETTERS) for _ in range(rng.randint(4, 7)))


def _words(rng: random.Random, topic: Sequence[str], background: Sequence[str], n: int) -> str:
    # Half the words from the story's own vocabulary, half from the background by a Zipf-like
    # draw, so common words are common across stories and each story has its own terms.
    picked = [
        rng.choice(topic)
        if rng.random() < 0.5
        else background[min(int(rng.paretovariate(1.1)), len(background)) - 1]
        for _ in range(n)
    ]
    return " ".join(w for w in picked if w)


def synthetic(
    count: int, articles: Sequence[StoryArticle], seed: int = 7
) -> tuple[list[StoryArticle], dict[str, str]]:
    """Return `count` synthetic articles over 30 days in stories of geometric size, and labels.

    Each story has a vocabulary of 30 words (20 of the set's, 10 invented), two people with
    invented surnames and a city; articles mix its words with background words drawn by
    frequency, and one in twenty is another outlet's copy of an earlier article of its story.
    """
    rng = random.Random(seed)
    background = _vocabulary(articles)
    background += [""] * (100_000 - len(background))
    gazetteer = default_gazetteer()
    cities = sorted({e.name for e in gazetteer.phrases.values() if e.kind == "place"})
    given = sorted(gazetteer.given_names)
    start = datetime.fromisoformat("2031-01-01T00:00:00+00:00")
    made: list[StoryArticle] = []
    truth: dict[str, str] = {}
    story = 0
    while len(made) < count:
        story += 1
        names = [f"{rng.choice(given)} {_invented(rng)}" for _ in range(2)]
        city = rng.choice(cities)
        topic = [rng.choice(background[:3000]) for _ in range(20)]
        topic += [_invented(rng) for _ in range(10)] + [city, *names[0].split()]
        when = start + timedelta(seconds=rng.uniform(0, 30 * 86400))
        own: list[StoryArticle] = []
        for _ in range(min(1 + int(rng.expovariate(1 / 5)), count - len(made))):
            number = f"x{len(made)}"
            entities = (f"person:{names[0]}", f"person:{names[1]}", f"place:{city}")
            if own and rng.random() < 0.05:
                source = rng.choice(own)
                made.append(replace(source, id=number, title="عاجل | " + source.title))
            else:
                made.append(
                    StoryArticle(
                        number,
                        _words(rng, topic, background, 9),
                        _words(rng, topic, background, 25),
                        _words(rng, topic, background, 80),
                        when,
                        entities,
                    )
                )
                own.append(made[-1])
            made[-1] = replace(made[-1], published=when)
            truth[number] = f"t{story}"
            when += timedelta(hours=rng.expovariate(1 / 10))
    made.sort(key=lambda a: a.published)
    return made, truth


def scale(count: int, articles: Sequence[StoryArticle]) -> None:
    """Print assignment time per article after `count` synthetic articles."""
    made, truth = synthetic(count, articles)
    index = StoryIndex()
    times: list[float] = []
    started = time.perf_counter()
    for article in made:
        began = time.perf_counter()
        index.place(article)
        times.append(time.perf_counter() - began)
    total = time.perf_counter() - started
    tail = sorted(times[-10_000:])

    def pct(q: float) -> float:
        return tail[min(len(tail) - 1, int(q * len(tail)))] * 1000

    f1 = bcubed(truth, index.assignments())[2]
    print(
        f"\nscale: {count:,} synthetic articles over 30 days, {len(set(truth.values())):,} stories"
    )
    print(f"  total {total:.0f} s ({count / total:,.0f} articles/s), B-cubed F1 {f1:.3f}")
    print(
        f"  assignment of the last {len(tail):,}: p50 {pct(0.5):.2f} ms, p95 {pct(0.95):.2f} ms, "
        f"p99 {pct(0.99):.2f} ms, mean {statistics.fmean(tail) * 1000:.2f} ms"
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Print the quality table, the threshold check, and the scale run."""
    parser = argparse.ArgumentParser(prog="python -m bench.stories", description=__doc__)
    parser.add_argument("--scale", type=int, default=100_000, help="synthetic articles (0: skip)")
    args = parser.parse_args(argv)
    raw, truth = load()
    articles, per_article = with_entities(raw)
    print(f"stories: {len(articles)} articles, {len(set(truth.values()))} stories ({SET.name})")
    print(f"entity recognition: {per_article * 1000:.2f} ms per article (not in articles/s below)")
    quality(articles, truth)
    held_out_threshold(articles, truth)
    if args.scale:
        scale(args.scale, articles)


if __name__ == "__main__":
    main()
