"""During a run the objects that existed before it are left out of the garbage collector's full
passes (`gc.freeze`), and given back after it, however the run ends."""

from __future__ import annotations

import gc
import threading

import pytest

from khabar.newsroom.ingest import Ingestor, long_lived_frozen

pytestmark = pytest.mark.django_db


def test_a_run_freezes_the_older_objects_and_gives_them_back(tmp_path) -> None:
    folder = tmp_path / "wires"
    folder.mkdir()
    for n in range(2):
        (folder / f"{n}.json").write_text("{not json", encoding="utf-8")
    frozen_during: list[int] = []
    ingestor = Ingestor(progress=lambda *_: frozen_during.append(gc.get_freeze_count()))
    before = gc.get_freeze_count()
    summary = ingestor.run([str(folder)])
    assert len(summary.failed) == 2  # a broken file fails alone, and the run goes on
    assert frozen_during and min(frozen_during) > before
    assert gc.get_freeze_count() == before == 0


def test_the_freeze_lasts_until_the_last_of_several_runs_ends() -> None:
    inside = threading.Event()
    release = threading.Event()

    def other_run() -> None:
        with long_lived_frozen():
            inside.set()
            release.wait(10)

    thread = threading.Thread(target=other_run)
    thread.start()
    assert inside.wait(10)
    with long_lived_frozen():
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() > 0  # the other run is still going
    release.set()
    thread.join(10)
    assert gc.get_freeze_count() == 0


def test_the_freeze_is_lifted_when_a_run_raises() -> None:
    with pytest.raises(RuntimeError), long_lived_frozen():
        assert gc.get_freeze_count() > 0
        raise RuntimeError("a run stopped by an error")
    assert gc.get_freeze_count() == 0
