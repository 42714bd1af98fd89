"""Reader site speed: the demo scaled to 20,000 articles, served the production way, under wrk.

Builds (once, then reused) a SQLite database with the demo content and copies of its articles up to
--articles, starts `khabar serve --production --workers 2` on loopback and measures requests/s and
latency p50/p99 of the home, an article and a story page, and of 1,000 different articles asked
for at random ("articles"), with wrk (2 threads, 50 connections, 10 s, Accept-Encoding: gzip),
with the page cache on and off (KHABAR_PAGE_CACHE=0). In the same run nginx serves the same
article page as a static gzipped file: the ceiling.

Needs Debian's wrk and nginx-light (`apt-get install wrk nginx-light`); says so and stops if absent.

    python -m bench.site [--articles 20000] [--duration 10] [--workdir /tmp/khabar-bench-site]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KHABAR = Path(sys.executable).with_name("khabar")
EXTRA_STORIES = 400
BATCH = 2000


@dataclass
class Result:
    """One wrk run."""

    page: str
    mode: str
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    load: float


# ----------------------------------------------------------------------------- the database


def build(articles: int) -> None:
    """Fill the database in $KHABAR_DATA (Django set up by the caller) up to `articles`."""
    import django

    django.setup()
    from django.core.management import call_command

    from khabar.newsroom.demo.loader import load_demo
    from khabar.newsroom.models import Article, Block, Story
    from khabar.site import pagecache

    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    if not Article.objects.filter(source_id__startswith="demo:").exists():
        load_demo()
    print(f"  demo loaded ({time.monotonic() - started:.0f} s)", flush=True)
    templates = list(
        Article.objects.filter(source_id__startswith="demo:").prefetch_related(
            "blocks", "agencies", "entities"
        )
    )
    for i in range(Story.objects.filter(slug__startswith="bench-").count(), EXTRA_STORIES):
        Story.objects.create(title=f"ملف رقم {i + 1}", slug=f"bench-{i + 1}")
    stories = list(Story.objects.filter(slug__startswith="bench-").order_by("pk"))
    have = Article.objects.count()
    rng = random.Random(20_000)
    now = datetime.now(UTC)
    through_agency = Article.agencies.through
    through_entity = Article.entities.through
    while have < articles:
        n = min(BATCH, articles - have)
        batch = []
        for j in range(n):
            k = have + j
            t = templates[k % len(templates)]
            batch.append(
                Article(
                    title=f"{t.title} ({k})",
                    slug=t.slug,
                    lead=t.lead,
                    status=Article.Status.PUBLISHED,
                    section_id=t.section_id,
                    story=stories[rng.randrange(len(stories))],
                    hero_id=t.hero_id,
                    byline=t.byline,
                    dateline=t.dateline,
                    source_line=t.source_line,
                    source_id=f"bench:{k}",
                    # Spread over two years, none newer than the demo's own articles.
                    published_at=now - timedelta(days=1, minutes=rng.randrange(2 * 365 * 1440)),
                )
            )
        created = Article.objects.bulk_create(batch)
        blocks, agencies, entities = [], [], []
        for a, k in zip(created, range(have, have + n), strict=True):
            t = templates[k % len(templates)]
            blocks += [
                Block(article=a, position=b.position, kind=b.kind, text=b.text, media_id=b.media_id)
                for b in t.blocks.all()
            ]
            agencies += [through_agency(article=a, agency=g) for g in t.agencies.all()]
            entities += [through_entity(article=a, entity=e) for e in t.entities.all()]
        Block.objects.bulk_create(blocks)
        through_agency.objects.bulk_create(agencies)
        through_entity.objects.bulk_create(entities)
        have += n
        print(f"  {have:,}/{articles:,} articles ({time.monotonic() - started:.0f} s)", flush=True)
    pagecache.page_cache().clear()


SPREAD = 1_000  # different articles in the "articles" runs


def pick_urls() -> dict[str, str | list[str]]:
    """The home, the newest article of a bench story with many articles, and that story.

    And "articles": SPREAD published articles drawn at random, for runs where every request
    asks for another article, as readers arriving from a feed or a search do.
    """
    import django

    django.setup()
    from django.db.models import Count

    from khabar.newsroom.models import Article, Story

    story = (
        Story.objects.filter(slug__startswith="bench-")
        .annotate(n=Count("articles"))
        .order_by("-n", "pk")
        .first()
    )
    article = Article.objects.published().filter(story=story).order_by("-published_at").first()
    assert story is not None and article is not None, "the bench database has no bench story"
    spread = Article.objects.published().order_by("?")[:SPREAD]
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "story": story.get_absolute_url(),
        "articles": [a.get_absolute_url() for a in spread],
    }


def build_in_subprocess(
    articles: int, workdir: Path, env: dict[str, str]
) -> dict[str, str | list[str]]:
    """Build the database in a process of its own (its own settings), showing its progress."""
    cmd = [sys.executable, "-m", "bench.site", "--build-only", "--articles", str(articles)]
    cmd += ["--workdir", str(workdir)]
    urls: dict[str, str | list[str]] = {}
    with subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("URLS "):
                urls = json.loads(line[5:])
            else:
                print(line, end="", flush=True)
    if proc.returncode != 0 or not urls:
        raise RuntimeError(f"building the bench database failed (exit {proc.returncode})")
    return urls


# ----------------------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def start_khabar(env: dict[str, str], port: int, cache: bool) -> subprocess.Popen[bytes]:
    """`khabar serve --production --workers 2` with the page cache on or off."""
    run_env = {**env, "KHABAR_PAGE_CACHE": "1" if cache else "0"}
    cmd = [str(KHABAR), "serve", "--production", "--workers", "2", "--port", str(port)]
    return subprocess.Popen(
        cmd, env=run_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop a server started here and its workers (its own process group)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def start_nginx(folder: Path, port: int) -> subprocess.Popen[bytes]:
    """nginx-light serving folder/article.html (and its .gz) as static files, 2 workers."""
    conf = folder / "nginx.conf"
    conf.write_text(
        f"""
worker_processes 2;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {folder}/tmp;
    proxy_temp_path {folder}/tmp;
    fastcgi_temp_path {folder}/tmp;
    uwsgi_temp_path {folder}/tmp;
    scgi_temp_path {folder}/tmp;
    types {{ text/html html; }}
    sendfile on;
    keepalive_requests 100000;
    server {{
        listen 127.0.0.1:{port};
        root {folder};
        gzip_static on;
    }}
}}
"""
    )
    (folder / "tmp").mkdir(exist_ok=True)
    return subprocess.Popen(
        ["nginx", "-c", str(conf), "-p", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


# ----------------------------------------------------------------------------- wrk


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, duration: int, script: Path | None = None) -> tuple[float, float, float, int]:
    """requests/s, p50 ms, p99 ms and errors of one wrk run at concurrency 50."""
    args = ["-t2", "-c50", f"-d{duration}s", "--timeout", "10s", "--latency"]
    if script is not None:
        args += ["-s", str(script)]
    out = subprocess.run(
        ["wrk", *args, "-H", "Accept-Encoding: gzip", url],
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 60,
    ).stdout

    def latency(pct: str) -> float:
        m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        assert m, f"no {pct}% line in wrk output:\n{out}"
        return float(m.group(1)) * UNITS[m.group(2)]

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert rps, out
    errors = sum(int(x) for x in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    if socket_errors:
        errors += sum(int(x) for x in socket_errors.groups())
    return float(rps.group(1)), latency("50"), latency("99"), errors


def spread_script(paths: list[str]) -> Path:
    """A wrk script that asks for a random one of `paths` with each request."""
    quoted = ",\n".join(json.dumps(p) for p in paths)  # percent-encoded: ASCII, no escapes
    script = Path(tempfile.gettempdir()) / "khabar-bench-spread.lua"
    # Requests are formatted once per thread (init), not per request: wrk shares the two
    # cores with the server, and formatting each request cost it a visible share of them.
    script.write_text(
        f"local paths = {{\n{quoted}\n}}\n"
        "local requests = {}\n"
        "init = function(args)\n"
        '  for i, path in ipairs(paths) do requests[i] = wrk.format("GET", path) end\n'
        "end\n"
        "request = function()\n"
        "  return requests[math.random(#requests)]\n"
        "end\n"
    )
    return script


def measure(base: str, urls: dict[str, str | list[str]], mode: str, duration: int) -> list[Result]:
    results = []
    for page, where in urls.items():
        paths = where if isinstance(where, list) else [where]
        for i in range(40):  # warm both workers (and, cached, fill each one's memory)
            fetch(base + paths[i % len(paths)])
        script = spread_script(paths) if isinstance(where, list) else None
        rps, p50, p99, errors = wrk(base + paths[0], duration, script)
        results.append(Result(page, mode, rps, p50, p99, errors, os.getloadavg()[0]))
        print(
            f"  {page:8} {mode:9} {rps:9,.0f} req/s  p50 {p50:6.1f} ms  p99 {p99:6.1f} ms"
            f"  errors {errors}  load {results[-1].load:.1f}",
            flush=True,
        )
    return results


def fetch(url: str, gzip: bool = True) -> bytes:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        # A redirect would have wrk measure the redirect, not the page.
        if response.status != 200 or response.geturl() != url:
            raise RuntimeError(f"{url} answered {response.status} from {response.geturl()}")
        return bytes(response.read())


# ----------------------------------------------------------------------------- main


def machine() -> str:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> None:
    """Build the database if needed, then measure the site cached, uncached and nginx."""
    parser = argparse.ArgumentParser(prog="python -m bench.site", description=__doc__)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run (10)")
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "khabar-bench-site"
    )
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(
        argv if argv is not None else sys.argv[1:] if __name__ == "__main__" else []
    )
    data = args.workdir / "data"
    env = {
        **os.environ,
        "KHABAR_DATA": str(data),
        "KHABAR_DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "khabar.settings",
    }
    if args.build_only:
        build(args.articles)
        print("URLS " + json.dumps(pick_urls()))
        return

    missing = [tool for tool in ("wrk", "nginx") if shutil.which(tool) is None]
    if missing:
        print(
            f"site: {' and '.join(missing)} not installed: apt-get install wrk nginx-light; "
            "skipping the site benchmark"
        )
        return
    print(
        f"site: {machine()}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load {os.getloadavg()[0]:.1f}"
    )
    print(f"site: building the database in {data} ({args.articles:,} articles)", flush=True)
    started = time.monotonic()
    urls = build_in_subprocess(args.articles, args.workdir, env)
    shown = {k: v if isinstance(v, str) else f"{len(v):,} articles" for k, v in urls.items()}
    print(f"site: database ready in {time.monotonic() - started:.0f} s; pages: {shown}", flush=True)

    results: list[Result] = []
    article_gz = b""
    for mode, cache in (("cached", True), ("uncached", False)):
        port = free_port()
        server = start_khabar(env, port, cache)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(base + "/")
            if cache:
                article_gz = fetch(base + str(urls["article"]))
                article_html = fetch(base + str(urls["article"]), gzip=False)
            results += measure(base, urls, mode, args.duration)
        finally:
            stop(server)

    folder = args.workdir / "nginx"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "article.html").write_bytes(article_html)
    (folder / "article.html.gz").write_bytes(article_gz)
    port = free_port()
    nginx = start_nginx(folder, port)
    try:
        wait_for(f"http://127.0.0.1:{port}/article.html")
        results += measure(
            f"http://127.0.0.1:{port}", {"article": "/article.html"}, "nginx", args.duration
        )
    finally:
        stop(nginx)
    report(results, len(article_gz), len(article_html))


def report(results: list[Result], gz_bytes: int, html_bytes: int) -> None:
    ceiling = next(r.rps for r in results if r.mode == "nginx")
    print(f"\nArticle page: {html_bytes:,} bytes, {gz_bytes:,} gzipped.\n")
    print("| page | served | req/s | p50 ms | p99 ms | errors | load | of nginx |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        print(
            f"| {r.page} | {r.mode} | {r.rps:,.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | "
            f"{r.errors} | {r.load:.1f} | {r.rps / ceiling:.1%} |"
        )
    by = {(r.page, r.mode): r for r in results}
    for page in ("home", "article", "story", "articles"):
        cached, uncached = by[(page, "cached")], by[(page, "uncached")]
        ratio = f"{cached.rps / uncached.rps:.1f}x" if uncached.rps else "(uncached: none)"
        print(f"{page}: cached is {ratio} uncached")
    art = by[("article", "cached")]
    print(
        f"targets: cached article >= 1,000 req/s and p99 < 50 ms: "
        f"{'met' if art.rps >= 1000 and art.p99_ms < 50 else 'MISSED'}; uncached article "
        f">= 150 req/s: {'met' if by[('article', 'uncached')].rps >= 150 else 'MISSED'} "
        f"(a different article each request: {by[('articles', 'uncached')].rps:,.0f} req/s)"
    )


if __name__ == "__main__":
    main()
