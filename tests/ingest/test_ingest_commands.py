"""The ingest commands: source add/list/disable, worker polling, export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from khabar.newsroom.models import Article, Source
from khabar.newsroom.tasks import pending_polls

pytestmark = pytest.mark.django_db(transaction=True)

PAGE = (
    "عنوان تجريبي عن افتتاح مكتبة عامة جديدة في وسط المدينة القديمة\n\n"
    "افتتحت البلدية اليوم مكتبة عامة جديدة في وسط المدينة القديمة تضم أكثر من عشرين ألف كتاب "
    "وقاعة للأطفال ومختبرا رقميا مفتوحا للطلاب طوال أيام الأسبوع.\n\n"
    "وقال رئيس البلدية إن المكتبة ستستضيف أمسيات أدبية شهرية وورشا لتعليم البرمجة للشباب، "
    "وإن الدخول إليها مجاني لجميع السكان والزوار.\n\n"
    "المصدر: وكالات\n"
)


def write_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "wire"
    folder.mkdir()
    (folder / "one.txt").write_text(PAGE, encoding="utf-8")
    (folder / "two.txt").write_text(PAGE.replace("مكتبة عامة", "حديقة عامة"), encoding="utf-8")
    return folder


def test_source_add_list_disable(tmp_path: Path, capsys) -> None:
    folder = write_folder(tmp_path)
    call_command(
        "source",
        "add",
        str(folder),
        "--name",
        "مجلد البرقيات",
        "--every",
        "5",
        "--agency",
        "رويترز",
    )
    source = Source.objects.get()
    assert (source.poll_minutes, source.agency.name) == (5, "رويترز")
    with pytest.raises(CommandError, match="already a source"):
        call_command("source", "add", str(folder))
    call_command("source", "list")
    assert str(folder) in capsys.readouterr().out
    call_command("source", "disable", str(source.pk))
    source.refresh_from_db()
    assert not source.enabled


def test_worker_polls_sources_and_schedules_the_next_poll(tmp_path: Path) -> None:
    folder = write_folder(tmp_path)
    source = Source.objects.create(name="مجلد", address=str(folder), poll_minutes=10)
    call_command("worker", "--batch")
    assert Article.objects.filter(origin=source).count() == 2
    source.refresh_from_db()
    assert source.last_success_at is not None
    assert pending_polls() == {source.pk}  # the next poll waits in the queue
    call_command("worker", "--batch")  # nothing due: no duplicate poll, no duplicate article
    assert Article.objects.count() == 2


def test_export_writes_one_json_object_a_line(tmp_path: Path) -> None:
    folder = write_folder(tmp_path)
    call_command("ingest", str(folder))
    out = tmp_path / "export.jsonl"
    call_command("export", "--output", str(out))
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 2
    for row in rows:
        for key in [
            "id",
            "source_id",
            "url",
            "title",
            "lead",
            "published",
            "section",
            "agencies",
            "duplicate_of",
            "also_reported_by",
        ]:
            assert key in row
        assert row["agencies"] == ["وكالات"]
