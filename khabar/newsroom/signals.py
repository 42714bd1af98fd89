"""Signals the newsroom sends that Django's model signals do not cover.

`QuerySet.update()` sends no post_save, so the bulk changes editors and the story grouping make
(moving articles between stories, approving comments in bulk, ending live coverage) announce
themselves here; the reader site's page cache listens (khabar.site.pagecache).

A bulk writer (ingest stores a chunk of articles, each in its own transaction) wraps its work in
`batched()`: listeners that refresh everything at once (the page cache's generation) note the
change instead of acting on each save, and `content_changed` is sent once when the block ends.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.dispatch import Signal

# Sent with `sender` = the model class whose rows changed in bulk (None: several kinds).
content_changed = Signal()

_batch = threading.local()


@contextmanager
def batched() -> Iterator[None]:
    """Within this block (in this thread), `in_batch()` is true and listeners call
    `note_change()` instead of refreshing; at its end `content_changed` is sent once if any
    change was noted, even when the block ends with an exception (what was committed before
    it must still show)."""
    depth = getattr(_batch, "depth", 0)
    if depth == 0:
        _batch.changed = False
    _batch.depth = depth + 1
    try:
        yield
    finally:
        _batch.depth = depth
        if depth == 0 and _batch.changed:
            _batch.changed = False
            content_changed.send(sender=None)


def in_batch() -> bool:
    """Whether this thread is inside `batched()`."""
    return bool(getattr(_batch, "depth", 0))


def note_change() -> None:
    """Remember that the batch changed content; `batched()` announces it once at its end."""
    _batch.changed = True
