"""robots.txt, as RFC 9309 reads it: parse, interpret the fetch outcome, cache per origin.

Outcomes (RFC 9309, section 2.3.1):
- 2xx: the rules apply, cached for FetchSettings.robots_ttl (24 h by default, the RFC's limit);
- 4xx other than 429: there are no rules, the whole site may be fetched;
- 5xx, 429, no answer, a body too large or a redirect to a refused address: the site is
  "unreachable", so it is treated as wholly disallowed, but only for robots_error_ttl
  (10 minutes by default), after which robots.txt is asked again;
- more redirects than allowed: treated as 4xx (the RFC allows this).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.robotparser import RobotFileParser

__all__ = ["RobotsCache", "RobotsRules", "rules_from_outcome"]


@dataclass(frozen=True)
class RobotsRules:
    """What one origin's robots.txt allows; `temporary` rules come from an unreachable file."""

    verdict: str  # "rules", "allow-all" or "disallow-all"
    reason: str
    temporary: bool = False
    parser: RobotFileParser | None = field(default=None, compare=False)

    def allows(self, url: str, user_agent: str) -> bool:
        """Tell whether `user_agent` may fetch `url` under these rules."""
        if self.verdict == "rules" and self.parser is not None:
            return self.parser.can_fetch(user_agent, url)
        return self.verdict == "allow-all"


def rules_from_outcome(status: int | None, body: bytes = b"", problem: str = "") -> RobotsRules:
    """Turn the outcome of fetching robots.txt (status, or None and a problem) into rules."""
    if status is not None and 200 <= status < 300:
        parser = RobotFileParser()
        # parse() also marks the parser as read: can_fetch() refuses everything until then.
        parser.parse(body.decode("utf-8", errors="replace").lstrip("\ufeff").splitlines())
        return RobotsRules("rules", f"robots.txt answered {status}", parser=parser)
    if status is not None and 400 <= status < 500 and status != 429:
        return RobotsRules("allow-all", f"robots.txt answered {status}: no rules")
    reason = f"robots.txt answered {status}" if status is not None else problem
    return RobotsRules("disallow-all", reason or "robots.txt could not be read", temporary=True)


class RobotsCache:
    """Keep each origin's rules; an origin's robots.txt is loaded once per TTL, across threads."""

    def __init__(
        self,
        load: Callable[[str], RobotsRules],
        *,
        ttl: float,
        error_ttl: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._load, self._ttl, self._error_ttl, self._clock = load, ttl, error_ttl, clock
        self._lock = threading.Lock()
        self._origin_locks: dict[str, threading.Lock] = {}
        self._rules: dict[str, tuple[RobotsRules, float]] = {}

    def rules_for(self, origin: str) -> RobotsRules:
        """Return the rules of an origin ("https://example.com:443"), loading them if stale."""
        with self._lock:
            origin_lock = self._origin_locks.setdefault(origin, threading.Lock())
        # One loader per origin: other threads wanting the same origin wait for its result.
        with origin_lock:
            cached = self._rules.get(origin)
            if cached is not None and cached[1] > self._clock():
                return cached[0]
            rules = self._load(origin)
            ttl = self._error_ttl if rules.temporary else self._ttl
            self._rules[origin] = (rules, self._clock() + ttl)
            return rules
