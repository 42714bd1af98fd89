"""Signals the newsroom sends that Django's model signals do not cover.

`QuerySet.update()` sends no post_save, so the bulk changes editors and the story grouping make
(moving articles between stories, approving comments in bulk, ending live coverage) announce
themselves here; the reader site's page cache listens (khabar.site.pagecache).
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent with `sender` = the model class whose rows changed in bulk.
content_changed = Signal()
