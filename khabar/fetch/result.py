"""FetchResult: what one fetch brought back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from khabar.arabic.encoding import decode_bytes

__all__ = ["FetchResult"]


@dataclass(frozen=True)
class FetchResult:
    """The final URL, status, headers and body of a fetch (no body when not modified)."""

    url: str
    status: int
    headers: Mapping[str, str]
    content: bytes
    etag: str | None
    last_modified: str | None
    # The media type without parameters, lower case ("text/html"), and the Content-Type charset.
    content_type: str | None
    declared_charset: str | None
    # Seconds for the whole fetch: robots.txt, retries and redirects included.
    elapsed: float
    # The URLs that redirected, in order, before `url` answered.
    history: tuple[str, ...] = ()

    @property
    def not_modified(self) -> bool:
        """Tell whether the server said the copy the caller holds is still current (304)."""
        return self.status == 304

    def text(self) -> str:
        """Decode the body without mojibake (see khabar.arabic.encoding)."""
        return self.decode()[0]

    def decode(self) -> tuple[str, str]:
        """Decode the body; return the text and the Python name of the encoding used."""
        return decode_bytes(
            self.content, declared=self.declared_charset, content_type=self.content_type
        )
