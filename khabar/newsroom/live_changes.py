"""Record what open live pages must be told besides new entries (khabar.site.live streams it).

An entry edited or deleted, or an event going on or off the air, leaves a LiveChange row in the
same transaction; the live page's poller reads them after the last one it sent. Bulk updates
send no signals: code that ends coverage in bulk calls `record_status` itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save, pre_save

from khabar.newsroom.models import LiveChange, LiveEntry, LiveEvent


def record_status(event_ids: Iterable[int]) -> None:
    """Note that these events went on or off the air."""
    LiveChange.objects.bulk_create(
        LiveChange(event_id=pk, kind=LiveChange.Kind.STATUS) for pk in event_ids
    )


def _entry_saved(sender: Any, instance: LiveEntry, created: bool, raw: bool, **_: Any) -> None:
    if not created and not raw:
        LiveChange.objects.create(
            event_id=instance.event_id, entry_id=instance.pk, kind=LiveChange.Kind.EDIT
        )


def _entry_deleted(sender: Any, instance: LiveEntry, origin: Any = None, **_: Any) -> None:
    # Only entries deleted for themselves (one, or a selection of entries): when the event is
    # deleted its entries go with it, nobody is left to tell, and the change would point to
    # an event row about to go.
    if isinstance(origin, QuerySet):
        origin = origin.model
    if origin is LiveEntry or isinstance(origin, LiveEntry):
        LiveChange.objects.create(
            event_id=instance.event_id, entry_id=instance.pk, kind=LiveChange.Kind.REMOVE
        )


def _event_saving(sender: Any, instance: LiveEvent, raw: bool, **_: Any) -> None:
    was = None
    if instance.pk and not raw:
        was = LiveEvent.objects.filter(pk=instance.pk).values_list("is_live", flat=True).first()
    instance._was_live = was  # type: ignore[attr-defined]


def _event_saved(sender: Any, instance: LiveEvent, created: bool, raw: bool, **_: Any) -> None:
    was = getattr(instance, "_was_live", None)
    if not created and not raw and was is not None and was != instance.is_live:
        record_status([instance.pk])


def connect() -> None:
    """Listen to the live models' signals (called once, from the app's ready())."""
    post_save.connect(_entry_saved, sender=LiveEntry, dispatch_uid="live-entry-edit")
    post_delete.connect(_entry_deleted, sender=LiveEntry, dispatch_uid="live-entry-remove")
    pre_save.connect(_event_saving, sender=LiveEvent, dispatch_uid="live-event-was")
    post_save.connect(_event_saved, sender=LiveEvent, dispatch_uid="live-event-status")
