"""Per-host politeness: one request at a time to each host, and a pause between them."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

__all__ = ["HostGate"]


@dataclass
class _Host:
    lock: threading.Lock = field(default_factory=threading.Lock)
    free_at: float = 0.0


class HostGate:
    """Let one request at a time reach each host, `delay` seconds after the previous one ended."""

    def __init__(
        self,
        delay: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._delay, self._clock, self._sleep = delay, clock, sleep
        self._lock = threading.Lock()
        self._hosts: dict[str, _Host] = {}

    @contextmanager
    def turn(self, host: str) -> Iterator[None]:
        """Wait for the host's turn and hold it for the duration of the block."""
        with self._lock:
            state = self._hosts.setdefault(host.lower(), _Host())
        with state.lock:
            pause = state.free_at - self._clock()
            if pause > 0:
                self._sleep(pause)
            try:
                yield
            finally:
                # Counted from the end of a request, so a slow server also gets its pause.
                state.free_at = self._clock() + self._delay
