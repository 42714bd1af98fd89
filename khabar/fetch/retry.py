"""When to try a request again, and how long to wait first."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

__all__ = ["backoff_delay", "is_retryable_status", "retry_after_seconds"]

# 501 Not Implemented and 505 HTTP Version Not Supported will answer the same next time.
_FINAL_5XX = frozenset({501, 505})


def is_retryable_status(status: int) -> bool:
    """Tell whether a status is worth retrying: 429 and the transient 5xx, never other 4xx."""
    return status == 429 or (500 <= status < 600 and status not in _FINAL_5XX)


def backoff_delay(
    attempt: int, *, base: float, cap: float, rng: Callable[[], float] = random.random
) -> float:
    """Return the pause after failed attempt `attempt` (1-based): exponential, capped, jittered."""
    ceiling = min(cap, base * 2.0 ** (attempt - 1))
    # "Equal jitter": at least half the exponential step, so the backoff really grows, and a
    # random other half, so fetchers that failed together do not retry together.
    return ceiling / 2 + rng() * ceiling / 2


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """Read a Retry-After header (seconds or an HTTP date) as seconds from now, or None."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
