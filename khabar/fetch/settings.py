"""FetchSettings: every knob of the fetcher, with defaults that are polite and safe."""

from __future__ import annotations

from dataclasses import dataclass, fields

from khabar.errors import ConfigurationError

__all__ = ["DEFAULT_USER_AGENT", "FetchSettings"]

DEFAULT_USER_AGENT = "KhabarBot/0.1 (+https://github.com/khabar; news ingest)"

# Fields that must be above zero, and fields that may be zero but not negative.
_POSITIVE = ("connect_timeout", "read_timeout", "total_timeout", "max_bytes", "max_attempts")
_NOT_NEGATIVE = (
    "max_redirects",
    "backoff_base",
    "backoff_max",
    "retry_after_max",
    "host_delay",
    "robots_ttl",
    "robots_error_ttl",
)


@dataclass(frozen=True)
class FetchSettings:
    """How a Fetcher behaves; times are in seconds, sizes in bytes."""

    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    # The whole of one attempt (connect, send, every byte of the body), so a server that
    # drips one byte just inside read_timeout cannot hold a worker for ever.
    total_timeout: float = 60.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    max_decompression_ratio: float = 100.0
    max_attempts: int = 3
    backoff_base: float = 1.0
    backoff_max: float = 30.0
    # A Retry-After longer than this is not waited for: the fetch fails at once with
    # HTTPStatusError.retry_after set, so a scheduler can come back later instead.
    retry_after_max: float = 120.0
    host_delay: float = 1.0
    obey_robots: bool = True
    robots_ttl: float = 24 * 3600.0
    # How long a robots.txt that answered 5xx (or not at all) keeps its site disallowed.
    robots_error_ttl: float = 600.0
    allow_private: bool = False
    allow_loopback: bool = False

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if field.name in _POSITIVE and not value > 0:
                raise ConfigurationError(
                    f"FetchSettings.{field.name} must be above 0, not {value}."
                )
            if field.name in _NOT_NEGATIVE and value < 0:
                raise ConfigurationError(
                    f"FetchSettings.{field.name} cannot be negative ({value})."
                )
        if self.max_decompression_ratio < 1:
            raise ConfigurationError(
                "FetchSettings.max_decompression_ratio must be at least 1: "
                f"{self.max_decompression_ratio} would refuse every compressed response."
            )
        if not self.user_agent.strip() or any(ch in self.user_agent for ch in "\r\n"):
            raise ConfigurationError(
                f"FetchSettings.user_agent must be one non-empty line, e.g. {DEFAULT_USER_AGENT!r}."
            )
