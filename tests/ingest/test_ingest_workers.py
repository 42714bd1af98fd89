"""The ingest worker processes: shared by every run of a process, replaced when one dies."""

from __future__ import annotations

import gc
import itertools
import os
import signal
import time

from khabar.extract.record import IncomingItem
from khabar.pipeline import PARALLEL_MIN, Job, Preparer, prepare, shared_pool, worker_pids

PAGE = (
    '<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
    "<title>افتتاح جسر جديد فوق النهر</title></head><body><article>"
    "<h1>افتتاح جسر جديد فوق النهر</h1>"
    "<p>افتتحت البلدية صباح اليوم جسرا جديدا يربط ضفتي النهر ويختصر الطريق بين الحيين.</p>"
    "<p>وقال رئيس البلدية إن الجسر يخفف الزحام عن الجسر القديم الذي بني قبل خمسين عاما.</p>"
    "<p>وتبلغ كلفة المشروع عشرين مليونا، وقد استغرق بناؤه ثلاث سنوات بسبب أعمال الحفر.</p>"
    "</article></body></html>"
).encode()


def jobs() -> list[Job]:
    url = "https://example.invalid/news/"
    return [
        Job(IncomingItem(source_id=f"{url}{n}", url=f"{url}{n}"), page=PAGE, page_url=f"{url}{n}")
        for n in range(PARALLEL_MIN)
    ]


def titles(prepared: list[object]) -> list[str]:
    return [p.article.title for p in prepared]  # type: ignore[attr-defined]


def test_workers_are_shared_by_runs_and_started_again_after_one_dies() -> None:
    expected = titles([prepare(job) for job in jobs()])
    assert titles(list(Preparer(workers=2).run(jobs()))) == expected
    first = worker_pids()
    assert len(first) == 2
    # A later run (another Preparer, as each ingest run makes) uses the same processes.
    assert titles(list(Preparer(workers=2).run(jobs()))) == expected
    assert worker_pids() == first

    pool = shared_pool(2)
    os.kill(first[0], signal.SIGKILL)  # a parser crashed the process
    deadline = time.monotonic() + 30
    while not getattr(pool, "_broken", False) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert getattr(pool, "_broken", False), "the pool never noticed its worker died"

    assert titles(list(Preparer(workers=2).run(jobs()))) == expected
    assert not set(worker_pids()) & set(first)  # new processes


def test_chunks_start_small_and_grow_to_the_full_size() -> None:
    from khabar.newsroom.ingest import CHUNK, FIRST_CHUNK, _chunks

    items = [IncomingItem(source_id=str(n)) for n in range(400)]
    chunks = _chunks(items)
    assert [item for chunk in chunks for item in chunk] == items  # all, once, in order
    sizes = [len(c) for c in chunks]
    assert sizes[0] == FIRST_CHUNK and max(sizes) == CHUNK
    assert all(b <= 2 * a for a, b in itertools.pairwise(sizes))
    assert _chunks(items[:3]) == [items[:3]] and _chunks([]) == []


def test_workers_start_with_the_preloaded_pipeline_frozen_for_the_collector() -> None:
    pool = shared_pool(2)
    counts = [pool.submit(gc.get_freeze_count).result() for _ in range(4)]
    # The imports and the warm-up run made tens of thousands of objects, none to be walked.
    assert all(count > 10_000 for count in counts), counts
