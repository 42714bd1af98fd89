"""Search speed: index realistic Arabic articles, then time a few hundred varied queries.

Articles mix real sentences (the demo articles and tests/fixtures/search/corpus.jsonl) with a
Zipf draw of real Arabic words (Debian's aspell-ar-large list, read at run time, never kept in
the repo). For each engine and size it prints indexing articles/s, index size, how many
articles the median query matches, and latency p50/p95/p99 of Khabar's full search (parse,
filters, BM25 with field weights, recency, total, snippets, JSON) next to raw FTS5 bm25 over
the same terms (the ceiling: one MATCH, ORDER BY bm25, LIMIT 10, nothing else).

Large sizes build in stages: `--budget 500` stops building after about 500 s, and the next run
with the same --workdir resumes where it stopped (document i is always the same article).

    python -m bench.search_speed --sizes 100000,1000000 --engines sqlite,postgres
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from khabar.search import Document, Filters, QueryError, SqliteEngine, parse_query
from khabar.search.engine import BaseEngine
from khabar.search.sqlite import fts_expression

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "khabar/newsroom/demo/content.json"
CORPUS = ROOT / "tests/fixtures/search/corpus.jsonl"
NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)
SECTIONS = ["politics", "economy", "sports", "culture", "tech", "health"]
AGENCIES = ["رويترز", "فرانس برس", "أسوشيتد برس", "د ب أ", "الأناضول", "بترا", "واس", "وكالات"]
CLITICS = [""] * 27 + ["ال", "ال", "و", "وال", "بال", "ل", "ب", "ف", "لل"]
SENTENCE_END = re.compile(r"(?<=[.!؟?])\s+|\n+")
ZIPF_S = 1.0
BATCH = 2000


def corpus_articles() -> list[dict[str, Any]]:
    """Every article of the demo content and the search fixture corpus."""
    demo = json.loads(DEMO.read_text(encoding="utf-8"))["articles"]
    articles = [
        {"title": a["title"], "lead": a["lead"], "body": "\n".join(b["text"] for b in a["body"])}
        for a in demo
    ]
    if CORPUS.exists():
        lines = CORPUS.read_text(encoding="utf-8").splitlines()
        articles += [json.loads(line) for line in lines if line.strip()]
    return articles


def sentences(articles: Sequence[dict[str, Any]]) -> list[str]:
    """The sentences of the articles' leads and bodies."""
    out = []
    for article in articles:
        for part in (article["lead"], article["body"]):
            out += [s.strip() for s in SENTENCE_END.split(part) if len(s.split()) >= 4]
    return out


def aspell_words() -> list[str]:
    """The base forms of Debian's aspell-ar-large word list (apt-get install aspell-ar-large)."""
    try:
        dump = subprocess.run(
            ["aspell", "-d", "ar-large", "dump", "master"],
            capture_output=True,
            check=True,
            timeout=300,
        ).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.SubprocessError) as exc:
        sys.exit(
            f"needs Debian's aspell and aspell-ar-large: apt-get install -y aspell "
            f"aspell-ar-large ({exc})"
        )
    return [line.split("/", 1)[0] for line in dump.splitlines() if line]


@dataclass
class Vocabulary:
    """Words ranked for a Zipf draw: the corpus's words by frequency, then aspell's, shuffled."""

    words: list[str]
    cdf: np.ndarray
    top: int

    @classmethod
    def build(cls, real: Sequence[str], extra: Sequence[str], seed: int = 7) -> Vocabulary:
        """Rank the corpus words first (by frequency), then the word list in a seeded order."""
        counts: dict[str, int] = {}
        for sentence in real:
            for word in re.findall(r"[\u0621-\u064a]+", sentence):
                counts[word] = counts.get(word, 0) + 1
        top = sorted(counts, key=lambda w: -counts[w])
        rest = [w for w in extra if w not in counts]
        random.Random(seed).shuffle(rest)
        words = top + rest
        weights = 1.0 / np.arange(1, len(words) + 1) ** ZIPF_S
        return cls(words, np.cumsum(weights) / weights.sum(), len(top))

    def draw(self, rng: np.random.Generator, n: int) -> list[str]:
        """Return n words drawn by Zipf's law; words of the word list may take a clitic."""
        idx = np.searchsorted(self.cdf, rng.random(n)).tolist()
        clitics = rng.integers(0, len(CLITICS), n).tolist()
        top, words = self.top, self.words
        pairs = zip(idx, clitics, strict=True)
        return [words[i] if i < top else CLITICS[c] + words[i] for i, c in pairs]


class Articles:
    """Articles are made in batches of BATCH; batch k is always the same."""

    def __init__(self, real: list[str], vocab: Vocabulary) -> None:
        self.real = real
        self.vocab = vocab
        self.names = vocab.words[200:1200]

    def batch(self, first: int, count: int) -> list[Document]:
        """Return articles first..first+count-1 (first - 1 a multiple of BATCH for resuming)."""
        rng = np.random.default_rng(first)
        words = iter(self.vocab.draw(rng, count * 300))
        picks = iter(rng.integers(0, 1 << 30, count * 40).tolist())
        return [self._doc(first + k, words, picks) for k in range(count)]

    def _pick(self, items: Sequence[str], picks: Iterator[int]) -> str:
        return items[next(picks) % len(items)]

    def _paragraph(self, words: Iterator[str], picks: Iterator[int], extra: int) -> str:
        drawn = " ".join(next(words) for _ in range(extra))
        return f"{self._pick(self.real, picks)} {drawn}."

    def _doc(self, i: int, words: Iterator[str], picks: Iterator[int]) -> Document:
        title = " ".join(self._pick(self.real, picks).split()[:6] + [next(words) for _ in range(3)])
        paragraphs = 4 + next(picks) % 4
        body = "\n\n".join(
            self._paragraph(words, picks, 10 + next(picks) % 20) for _ in range(paragraphs)
        )
        story = 1 + next(picks) % 2000 if next(picks) % 5 == 0 else None
        return Document(
            id=i,
            title=title,
            lead=self._paragraph(words, picks, 10),
            body=body,
            published=NOW - timedelta(minutes=next(picks) % (3 * 365 * 24 * 60)),
            section=self._pick(SECTIONS, picks),
            story=story,
            agencies=[self._pick(AGENCIES, picks)],
            people=[self._pick(self.names, picks)],
            places=[self._pick(self.names, picks)],
            source_id=f"bench-{i}",
            url=f"https://example.org/a/{i}",
        )


def make_queries(
    real: Sequence[str], vocab: Vocabulary, n: int, seed: int = 11
) -> list[tuple[str, Filters | None]]:
    """Return n varied queries: words, pairs, triples, phrases, exclusions, filters, rare words."""
    rng = random.Random(seed)
    content = [w for s in real for w in s.split() if len(w) >= 4 and w.isalpha()]
    out: list[tuple[str, Filters | None]] = []
    while len(out) < n:
        kind = rng.random()
        words = rng.choice(real).split()
        start = rng.randrange(max(1, len(words) - 3))
        pair = " ".join(w.strip("«».,،:؛") for w in words[start : start + 2])
        filters = None
        if kind < 0.3:
            text = rng.choice(content)
        elif kind < 0.55:
            text = pair
        elif kind < 0.65:
            text = " ".join(words[start : start + 3])
        elif kind < 0.75:
            text = f'"{pair}"'
        elif kind < 0.8:
            text = f"{rng.choice(content)} -{rng.choice(content)}"
        elif kind < 0.9:
            text = pair
            filters = rng.choice(
                [
                    Filters(section=rng.choice(SECTIONS)),
                    Filters(since=NOW - timedelta(days=30)),
                    Filters(agency=rng.choice(AGENCIES)),
                ]
            )
        else:
            text = vocab.words[rng.randrange(2000, 200_000)]
        try:
            parse_query(text)
        except QueryError:
            continue
        out.append((text, filters))
    return out


def percentile(values: Sequence[float], p: float) -> float:
    """Return the p-th percentile (0-100) by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def timed(fn: Callable[[], object]) -> float:
    """Return the wall time of one call, in milliseconds."""
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


class State:
    """Build progress kept between runs: documents indexed and seconds spent, per index."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data: dict[str, dict[str, float]] = (
            json.loads(path.read_text()) if path.exists() else {}
        )

    def add(self, key: str, docs: int, seconds: float) -> None:
        """Record `docs` more documents indexed in `seconds`."""
        entry = self.data.setdefault(key, {"docs": 0, "seconds": 0.0})
        entry["docs"] += docs
        entry["seconds"] += seconds
        self.path.write_text(json.dumps(self.data, indent=1))

    def rate(self, key: str) -> float:
        """Return the articles/s over every stage of the build."""
        entry = self.data.get(key, {"docs": 0, "seconds": 0.0})
        return entry["docs"] / entry["seconds"] if entry["seconds"] else 0.0


def build(
    engine: BaseEngine, articles: Articles, size: int, state: State, key: str, deadline: float
) -> bool:
    """Index documents count()+1..size until done or past the deadline; True when complete."""
    done = engine.count()
    while done < size and time.monotonic() < deadline:
        docs = articles.batch(done + 1, min(BATCH, size - done))
        start = time.perf_counter()
        engine.index(docs)
        state.add(key, len(docs), time.perf_counter() - start)
        done += len(docs)
        print(f"  {key}: {done:,}/{size:,} ({state.rate(key):,.0f} articles/s)", flush=True)
    return done >= size


def sqlite_engine(path: Path) -> tuple[SqliteEngine, sqlite3.Connection]:
    """Open the bench's SQLite index with settings a deployment would use."""
    conn = sqlite3.connect(path)
    for pragma in (
        "journal_mode = WAL",
        "synchronous = NORMAL",
        "cache_size = -524288",
        "mmap_size = 17179869184",
        "temp_store = MEMORY",
    ):
        conn.execute(f"PRAGMA {pragma}")
    engine = SqliteEngine(conn)
    engine.setup()
    return engine, conn


def raw_bm25(
    conn: sqlite3.Connection, engine: SqliteEngine, text: str, newest: int | None = None
) -> Callable[[], object]:
    """The ceiling: one FTS5 MATCH on the analyzed terms, ORDER BY bm25, LIMIT 10.

    With `newest`, bm25 over only the newest matches, the work Khabar's ranking does.
    """
    expression = fts_expression(parse_query(text, engine.analyzer))
    fts = engine.t["fts"]
    ranked = f"SELECT rowid, bm25({fts}) AS b FROM {fts} WHERE {fts} MATCH ?"
    if newest:
        ranked += f" ORDER BY rowid DESC LIMIT {newest}"
    sql = f"SELECT rowid, b FROM ({ranked}) ORDER BY b LIMIT 10"
    return lambda: conn.execute(sql, (expression,)).fetchall()


def time_raw(
    conn: sqlite3.Connection,
    engine: SqliteEngine,
    queries: Sequence[Any],
    newest: int | None = None,
) -> list[float]:
    """Time the raw FTS5 query of each query text (after one warm-up pass)."""
    calls = [raw_bm25(conn, engine, text, newest) for text, _ in queries]
    for fn in calls:
        fn()
    return [timed(fn) for fn in calls]


def measure(engine: BaseEngine, queries: Sequence[tuple[str, Filters | None]]) -> dict[str, Any]:
    """Time Khabar's full search over the queries (after one warm-up pass)."""

    def run(text: str, filters: Filters | None) -> int:
        result = engine.search(text, filters, now=NOW)
        json.dumps(result.to_json(), ensure_ascii=False)
        return result.total

    totals = [run(t, f) for t, f in queries]
    times = [timed(lambda t=t, f=f: run(t, f)) for t, f in queries]
    return {"median_matches": statistics.median(totals), "times": times}


def row(name: str, times: Sequence[float]) -> str:
    """One latency line: p50, p95, p99 in ms."""
    return (
        f"{name:<34} p50 {percentile(times, 50):7.1f}  p95 {percentile(times, 95):7.1f}  "
        f"p99 {percentile(times, 99):7.1f} ms"
    )


def sqlite_sizes(conn: sqlite3.Connection, engine: SqliteEngine) -> str:
    """Return the FTS5 index and the stored text sizes, in MB (from the dbstat table)."""
    rows = dict(conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall())
    fts = sum(v for k, v in rows.items() if k.startswith(engine.t["fts"]))
    text = sum(v for k, v in rows.items() if k.startswith(engine.t["text"]))
    return f"FTS5 index {fts / 1e6:,.0f} MB, stored text {text / 1e6:,.0f} MB"


def ready_sqlite(
    args: argparse.Namespace, size: int, articles: Articles, state: State, deadline: float
) -> tuple[SqliteEngine, sqlite3.Connection] | None:
    """Open the SQLite index of `size` articles, building or resuming it; None if unfinished."""
    path = Path(args.workdir) / f"sqlite-{size}.db"
    key = f"sqlite-{size}"
    if key not in state.data:
        for stale in path.parent.glob(f"{path.name}*"):
            stale.unlink()  # left by a run whose progress was not recorded: start again
    engine, conn = sqlite_engine(path)
    if not build(engine, articles, size, state, key, deadline):
        print(f"  {key}: stopped at the time budget; run again to resume")
        return None
    if not state.data[key].get("optimized"):
        seconds = timed(engine.optimize) / 1000
        state.data[key]["optimized"] = seconds
        state.add(key, 0, seconds)
    return engine, conn


def run_sqlite(
    args: argparse.Namespace,
    size: int,
    articles: Articles,
    queries: list[Any],
    state: State,
    deadline: float,
) -> None:
    """Build (or resume) and time the SQLite index of `size` articles."""
    ready = ready_sqlite(args, size, articles, state, deadline)
    if ready is None or args.stage == "build":
        return
    engine, conn = ready
    result = measure(engine, queries)
    raw = time_raw(conn, engine, queries)
    capped = time_raw(conn, engine, queries, engine.candidates)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    file_mb = (Path(args.workdir) / f"sqlite-{size}.db").stat().st_size / 1e6
    print(
        f"\nSQLite FTS5, {size:,} articles: indexing {state.rate(f'sqlite-{size}'):,.0f} "
        f"articles/s (optimize included); file {file_mb:,.0f} MB ({sqlite_sizes(conn, engine)}); "
        f"median query matches {result['median_matches']:,.0f} articles"
    )
    print(row("  Khabar search (full)", result["times"]))
    print(row("  raw FTS5 bm25 (ceiling)", raw))
    print(row(f"  raw bm25, newest {engine.candidates:,} matches", capped))
    times = result["times"]
    print(
        f"  ratio full/raw: p50 {percentile(times, 50) / percentile(raw, 50):.2f}"
        f"  p95 {percentile(times, 95) / percentile(raw, 95):.2f}"
        f"  p99 {percentile(times, 99) / percentile(raw, 99):.2f}"
    )


def ready_postgres(
    args: argparse.Namespace, size: int, articles: Articles, state: State, deadline: float
) -> BaseEngine | None:
    """Open the PostgreSQL index of `size` articles, building or resuming it; None if unfinished."""
    import psycopg

    from khabar.search.postgres import PostgresEngine

    conn = psycopg.connect(args.pg_url)
    conn.execute("SET synchronous_commit = off")
    engine = PostgresEngine(conn, prefix=f"bench{size}")
    key = f"postgres-{size}"
    if key not in state.data:
        engine.drop()  # left by a run whose progress was not recorded: start again
    engine.setup()
    if not build(engine, articles, size, state, key, deadline):
        print(f"  {key}: stopped at the time budget; run again to resume")
        return None
    if not state.data[key].get("analyzed"):
        seconds = timed(engine.optimize) / 1000
        conn.autocommit = True
        # _post too: its index-only scans need the visibility map (autovacuum would set it
        # after a while; the bench does not wait for it).
        for table in ("doc", "post"):
            vacuum = f"VACUUM ANALYZE {engine.t[table]}".encode()
            seconds += timed(lambda vacuum=vacuum: conn.execute(vacuum)) / 1000
        conn.autocommit = False
        state.data[key]["analyzed"] = seconds
        state.add(key, 0, seconds)
    return engine


def postgres_sizes(engine: BaseEngine) -> str:
    """Return the tables' and the GIN indexes' sizes, in MB."""
    t = engine.t  # type: ignore[attr-defined]
    total = " + ".join(f"pg_total_relation_size('{t[n]}')" for n in ("doc", "post", "text", "term"))
    gin = f"pg_relation_size('{t['doc']}_tsv') + pg_relation_size('{t['doc']}_head')"
    post = f"pg_total_relation_size('{t['post']}')"
    sql = f"SELECT {total}, {gin}, {post}".encode()
    row_ = engine.conn.execute(sql).fetchone()  # type: ignore[attr-defined]
    engine.conn.commit()  # type: ignore[attr-defined]
    return (
        f"tables {row_[0] / 1e6:,.0f} MB, of which GIN {row_[1] / 1e6:,.0f} MB "
        f"and postings {row_[2] / 1e6:,.0f} MB"
    )


def run_postgres(
    args: argparse.Namespace,
    size: int,
    articles: Articles,
    queries: list[Any],
    state: State,
    deadline: float,
) -> None:
    """Build (or resume) and time the PostgreSQL index of `size` articles."""
    engine = ready_postgres(args, size, articles, state, deadline)
    if engine is None or args.stage == "build":
        return
    result = measure(engine, queries)
    print(
        f"\nPostgreSQL, {size:,} articles: indexing {state.rate(f'postgres-{size}'):,.0f} "
        f"articles/s (optimize and VACUUM ANALYZE included); {postgres_sizes(engine)}; "
        f"median query matches {result['median_matches']:,.0f} articles"
    )
    print(row("  Khabar search (full)", result["times"]))


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.search_speed",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--sizes", default="20000", help="comma-separated index sizes")
    parser.add_argument(
        "--engines",
        default="sqlite,postgres",
        help="sqlite, postgres or both (postgres needs --pg-url)",
    )
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("KHABAR_TEST_PG_URL"),
        help="postgresql://user:pass@host/db (default $KHABAR_TEST_PG_URL)",
    )
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument(
        "--workdir", default="/tmp/khabar-search-bench", help="where indexes are kept between runs"
    )
    parser.add_argument("--stage", choices=["all", "build"], default="all")
    parser.add_argument(
        "--budget",
        type=float,
        default=0,
        help="stop building after this many seconds (0: no limit)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the benchmark and print its tables."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    deadline = time.monotonic() + (args.budget or 1e12)
    Path(args.workdir).mkdir(parents=True, exist_ok=True)
    state = State(Path(args.workdir) / "state.json")
    real = sentences(corpus_articles())
    vocab = Vocabulary.build(real, aspell_words())
    articles = Articles(real, vocab)
    queries = make_queries(real, vocab, args.queries)
    print(
        f"# Search speed - {datetime.now(UTC):%Y-%m-%d} - {os.cpu_count()} cores, "
        f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}"
    )
    print(
        f"vocabulary {len(vocab.words):,} words, {len(real):,} real sentences, "
        f"{len(queries)} queries"
    )
    engines = args.engines.split(",")
    for size in (int(s) for s in args.sizes.split(",")):
        if "sqlite" in engines:
            run_sqlite(args, size, articles, queries, state, deadline)
        if "postgres" in engines:
            if not args.pg_url:
                print("PostgreSQL skipped: set KHABAR_TEST_PG_URL or pass --pg-url")
            else:
                run_postgres(args, size, articles, queries, state, deadline)


if __name__ == "__main__":
    main()
