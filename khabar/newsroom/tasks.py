"""Background work on django-tasks: each enabled source polls, then schedules its next poll."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django_tasks import task

from khabar.errors import KhabarError
from khabar.newsroom.models import Source


@task()
def poll_source(source_id: int) -> dict[str, Any]:
    """Ingest one source once, then enqueue its next poll after its interval."""
    from khabar.newsroom.ingest import Ingestor

    source = Source.objects.filter(pk=source_id, enabled=True).first()
    if source is None:
        return {"source": source_id, "skipped": "disabled or deleted"}
    result: dict[str, Any] = {"source": source_id}
    try:
        with Ingestor() as ingestor:
            summary = ingestor.run_source(source)
        result.update(summary=summary.line(), failed=summary.failed[:20])
    except KhabarError as exc:
        result["error"] = str(exc)
    finally:
        poll_source.using(
            run_after=timezone.now() + timedelta(minutes=source.poll_minutes)
        ).enqueue(source_id)
    return result


def pending_polls() -> set[int]:
    """Ids of sources that already have a poll waiting in the queue."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        status="READY", task_path=poll_source.module_path
    ).values_list("args_kwargs", flat=True)
    return {int(a["args"][0]) for a in waiting if a.get("args")}


def schedule_due_sources() -> int:
    """Enqueue a poll now for every enabled source that has none waiting; return how many."""
    waiting = pending_polls()
    count = 0
    for source in Source.objects.filter(enabled=True).exclude(pk__in=waiting):
        poll_source.enqueue(source.pk)
        count += 1
    return count


MERGE_EVERY = timedelta(hours=1)


@task()
def merge_stories() -> dict[str, Any]:
    """Merge stories that turned out to be one, then schedule the next pass in an hour."""
    from khabar.newsroom import storyline

    try:
        storyline.forget_index()
        return {"merged": storyline.merge_pass()}
    finally:
        merge_stories.using(run_after=timezone.now() + MERGE_EVERY).enqueue()


def schedule_merge_pass() -> bool:
    """Enqueue the story merge pass unless one is waiting; return whether one was queued."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(status="READY", task_path=merge_stories.module_path)
    if waiting.exists():
        return False
    merge_stories.enqueue()
    return True
