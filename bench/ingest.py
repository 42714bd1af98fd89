"""End-to-end ingest speed: a feed of article links on a loopback server, fetched, extracted,
deduplicated and stored in a fresh SQLite database. Prints articles/s and where the time goes.

Run: python -m bench.ingest [N]   (default 400 articles; politeness delay 0 on loopback)

Runs of N new articles: the first profiled (the stage table), the next ones (--runs, 4) not,
each into the database the earlier runs filled; each prints wall time, articles/s and the CPU
milliseconds per article of the main process and of its helpers (the worker processes and the
fetch process), then the median of
the unprofiled runs, with the load average and a gauge of the machine's speed before and after
(`speed_gauge`). Run 1 starts the worker processes; the later runs
share them, as the polls of a `khabar worker` do.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import math
import multiprocessing
import os
import platform
import pstats
import random
import statistics
import tempfile
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

BASE_PLACEHOLDER = "http://base.invalid"
CONTENT = Path(__file__).resolve().parent.parent / "khabar/newsroom/demo/content.json"
# Stages of the main thread. Fetching the next chunk's pages runs in the fetch process, waited
# for by a helper thread the profiler does not see: waiting for it falls in "the rest of the
# main thread".
STAGES = {
    "read feed": "feeds.py:.*\\(parse_feed\\)",
    "wait for worker processes (extract, MinHash, entities, stems)": (
        "_base.py:.*\\(result_iterator\\)"
    ),
    "near-duplicate check": "ingest.py:.*\\(_original_of\\)",
    "store (save_extracted: article, blocks, agencies, authors)": (
        "records.py:.*\\(save_extracted\\)"
    ),
    "ingest log": "ingest.py:.*\\(_done\\)",
    "entities + story + related (storyline, in the item's transaction)": "ingest.py:.*\\(_group\\)",
    "story titles (once per chunk)": "ingest.py:.*\\(_retitle\\)",
    "search index (batched per chunk)": "search_index.py:.*\\(flush_dirty\\)",
}


def vocabulary() -> tuple[list[str], list[float]]:
    """The demo articles' words with Zipf-like weights (rank r drawn with weight 1/r)."""
    from collections import Counter

    articles = json.loads(CONTENT.read_text(encoding="utf-8"))["articles"]
    text = " ".join(b["text"] for a in articles for b in a["body"])
    ranked = [w for w, _ in Counter(text.split()).most_common()]
    return ranked, [1.0 / (r + 1) for r in range(len(ranked))]


def sentence(rng: random.Random, words: list[str], weights: list[float], n: int) -> str:
    """A sentence of n words drawn from the vocabulary."""
    return " ".join(rng.choices(words, weights, k=n)) + "."


def pages(n: int, seed: int = 7) -> dict[str, bytes]:
    """n distinct article pages of Zipf-drawn demo words (distinct news, not copies)."""
    words, weights = vocabulary()
    rng = random.Random(seed)
    out = {}
    for i in range(n):
        title = sentence(rng, words, weights, 10)[:-1]
        lead = sentence(rng, words, weights, 30)
        paras = "".join(
            f"<p>{sentence(rng, words, weights, rng.randint(30, 60))}</p>" for _ in range(6)
        )
        html = (
            f'<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
            f"<title>{title}</title>"
            f'<meta property="article:published_time" content="2026-11-20T10:00:00+03:00">'
            f"</head><body><nav><a href='/'>الرئيسية</a> <a href='/s'>سياسة</a></nav>"
            f"<article><h1>{title}</h1><p>{lead}</p>{paras}</article>"
            f"<aside><h3>اقرأ أيضا</h3><ul><li><a href='/x'>عنوان آخر</a></li></ul></aside>"
            f"<footer>جميع الحقوق محفوظة</footer></body></html>"
        )
        out[f"/news/{i}"] = html.encode()
    return out


def feed(base: str, paths: list[str]) -> bytes:
    """An RSS feed whose entries carry only a link (each page must be fetched)."""
    items = "".join(
        f"<item><title>خبر {p}</title><link>{base}{p}</link><guid>{base}{p}</guid></item>"
        for p in paths
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>bench</title>'
        f"<link>{base}/</link><description>bench</description>{items}</channel></rss>"
    ).encode()


def serve(site: dict[str, bytes]) -> tuple[Server, str]:
    """Serve the pages on 127.0.0.1 from another process, as a remote site would."""
    ready: multiprocessing.Queue[int] = multiprocessing.Queue()
    proc = multiprocessing.Process(target=_serve_forever, args=(site, ready), daemon=True)
    proc.start()
    return Server(proc), f"http://127.0.0.1:{ready.get(timeout=30)}"


class Server:
    """The site's process; shutdown() stops it."""

    def __init__(self, proc: multiprocessing.Process) -> None:
        self.proc = proc

    def shutdown(self) -> None:
        self.proc.terminate()
        self.proc.join()


def _serve_forever(site: dict[str, bytes], ready: multiprocessing.Queue[int]) -> None:

    class Handler(BaseHTTPRequestHandler):
        # Keep-alive, as news sites serve: the fetcher's pooled connections are reused.
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body leave at once, not 40 ms apart

        def do_GET(self) -> None:
            body = site.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port = server.server_address[1]
    for path, body in list(site.items()):
        site[path] = body.replace(BASE_PLACEHOLDER.encode(), f"http://127.0.0.1:{port}".encode())
    ready.put(port)
    server.serve_forever()


def setup_django(data: str) -> None:
    """A fresh Khabar database in a temporary folder."""
    os.environ["KHABAR_DATA"] = data
    os.environ["KHABAR_FETCH_ALLOW_LOOPBACK"] = "1"
    os.environ["KHABAR_FETCH_HOST_DELAY"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khabar.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def stage_times(profile: cProfile.Profile) -> dict[str, float]:
    """Cumulative seconds spent in each stage's function."""
    stats = pstats.Stats(profile)
    out = {}
    for name, pattern in STAGES.items():
        import re

        rx = re.compile(pattern)
        out[name] = sum(
            v[3]
            for k, v in stats.stats.items()  # type: ignore[attr-defined]
            if rx.search(f"{Path(k[0]).name}:{k[1]}({k[2]})")
        )
    return out


def worker_cpu() -> float:
    """CPU seconds this process's helper processes (pipeline workers, the fetch process) used
    so far (Linux /proc; 0 elsewhere)."""
    from khabar.fetch.process import process_ids
    from khabar.pipeline import worker_pids

    total = 0.0
    for pid in worker_pids() + process_ids():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def timed_run(ingestor: object, url: str) -> tuple[object, float, float, float]:
    """Run one ingest; return its summary, wall seconds, main-process and worker CPU seconds
    (the workers outlive a run: their CPU before it is subtracted)."""
    wall, cpu, workers = time.perf_counter(), time.process_time(), worker_cpu()
    summary = ingestor.run([url])  # type: ignore[attr-defined]
    return (
        summary,
        time.perf_counter() - wall,
        time.process_time() - cpu,
        worker_cpu() - workers,
    )


def speed_gauge() -> float:
    """Seconds a fixed pure-Python loop takes here and now, best of three: this machine's
    speed wanders by a third between minutes, and a run is read against it."""
    best = math.inf
    for _ in range(3):
        start, counts = time.perf_counter(), dict.fromkeys(range(1024), 0)
        for i in range(1_000_000):
            counts[i & 1023] += i
        best = min(best, time.perf_counter() - start)
    return best


def main(n: int = 400, unprofiled: int = 4) -> None:
    """Print the tables."""
    load_before = os.getloadavg()[0]
    gauge_before = speed_gauge()
    with tempfile.TemporaryDirectory() as data:
        setup_django(data)
        from khabar.newsroom.ingest import Ingestor
        from khabar.newsroom.models import Article

        site = pages(n)
        site["/feed.xml"] = feed(BASE_PLACEHOLDER, list(site))
        server, base = serve(site)
        profile = cProfile.Profile()
        profile.enable()
        with Ingestor() as ingestor:
            summary, plain, _cpu, _workers = timed_run(ingestor, base + "/feed.xml")
        profile.disable()
        server.shutdown()
        stored = Article.objects.count()
        # Unprofiled runs over other pages measure the speed without the profiler's cost: one
        # into the database the first run filled, one more. Like `khabar worker`'s polls, they
        # run in the same process, whose story index is caught up, not reloaded.
        runs = []
        for seed in range(8, 8 + unprofiled):
            other = {k.replace("/news/", f"/s{seed}/"): v for k, v in pages(n, seed=seed).items()}
            other["/feed.xml"] = feed(BASE_PLACEHOLDER, list(other))
            server2, base2 = serve(other)
            with Ingestor() as ingestor:
                runs.append(timed_run(ingestor, base2 + "/feed.xml"))
            server2.shutdown()
    load_after = os.getloadavg()[0]
    gauge_after = speed_gauge()
    print(
        f"# Ingest end to end — {date.today()} — {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; "
        f"load average {load_before:.1f} before, {load_after:.1f} after; "
        f"speed gauge {gauge_before:.3f} s before, {gauge_after:.3f} s after (lower is faster)"
    )
    print(f"{n} linked articles: {summary.line()}; stored {stored}")
    for number, (done, *_rest) in enumerate(runs, 2):
        print(f"run {number} (other pages): {done.line()}")  # type: ignore[attr-defined]
    print()
    print(
        "| run | seconds | articles/s | main process CPU ms/article "
        "| workers + fetch process CPU ms/article |"
    )
    print("| --- | ---: | ---: | ---: | ---: |")
    print(f"| 1, profiled, empty database | {plain:.1f} | {n / plain:.0f} | | |")
    for number, (_done, wall, cpu, workers) in enumerate(runs, 2):
        print(
            f"| {number}, unprofiled, {(number - 1) * n} articles stored before | {wall:.1f} "
            f"| {n / wall:.0f} | {1000 * cpu / n:.1f} | {1000 * workers / n:.1f} |"
        )
    rates = sorted(n / wall for _done, wall, _cpu, _workers in runs)
    print(
        f"\nUnprofiled runs: median {statistics.median(rates):.0f} articles/s "
        f"(from {rates[0]:.0f} to {rates[-1]:.0f})"
    )
    print()
    print("| stage (profiled run 1, main thread) | seconds | share |")
    print("| --- | ---: | ---: |")
    times = stage_times(profile)
    for name, secs in times.items():
        print(f"| {name} | {secs:.2f} | {secs / plain:.0%} |")
    rest = plain - sum(times.values())
    print(
        f"| the rest of the main thread (chunking, waiting for fetches) | {rest:.2f} | "
        f"{rest / plain:.0%} |"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.ingest", description=__doc__)
    parser.add_argument("n", nargs="?", type=int, default=400, help="articles per run (400)")
    parser.add_argument(
        "--runs", type=int, default=4, help="unprofiled runs after the profiled one (4)"
    )
    args = parser.parse_args()
    main(args.n, args.runs)
