"""Read the machine dates feeds, sitemaps and wires carry into aware UTC datetimes.

Every moment is given in UTC, whatever offset the source wrote, so moments from feedparser (which
keeps only UTC) and from ISO dates compare and serialize alike. A date without an offset is UTC.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

__all__ = ["from_struct", "parse_machine_date"]


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def parse_machine_date(value: object) -> datetime | None:
    """Return the moment an ISO 8601 (W3C, basic or extended) or RFC 822 date names, or None."""
    if not isinstance(value, str) or not value.strip():
        return None
    raw = value.strip()
    try:
        return _aware(datetime.fromisoformat(raw))
    except ValueError:
        pass
    try:
        return _aware(parsedate_to_datetime(raw))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def from_struct(value: object) -> datetime | None:
    """Return the aware datetime of a UTC struct_time (what feedparser's *_parsed hold)."""
    if not isinstance(value, time.struct_time):
        return None
    try:
        return datetime(*value[:5], min(value.tm_sec, 59), tzinfo=UTC)
    except (TypeError, ValueError, OverflowError):
        return None
