"""Check raw source bytes before any parser sees them: empty, binary, too large, JSON or not."""

from __future__ import annotations

import json
import re
from typing import Any

from khabar.errors import BinaryInputError, EmptyInputError, ExtractionError
from khabar.extract.detect import binary_kind

__all__ = [
    "MAX_INPUT_BYTES",
    "InputTooLargeError",
    "MalformedJSONError",
    "check_input",
    "load_json",
    "looks_like_html",
    "looks_like_json",
]

# A sitemap may hold 50 MB by its own rules; no feed or wire item comes near that.
MAX_INPUT_BYTES = 50 * 1024 * 1024

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
# An HTML page starts with its doctype or <html> (after an XML declaration or comments at most);
# markup further down may be a feed's escaped content, so only the start counts.
_HTML = re.compile(
    rb"^(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)[\s>]",
    re.IGNORECASE | re.DOTALL,
)


class InputTooLargeError(ExtractionError):
    """The input is larger than any feed, sitemap or wire item Khabar accepts."""


class MalformedJSONError(ExtractionError):
    """The input starts like JSON but is not valid JSON."""


def ascii_view(data: bytes) -> bytes:
    """Return `data` without NUL bytes, so UTF-16 and UTF-32 markup can be sniffed as ASCII."""
    return data.replace(b"\x00", b"")


def _head(data: bytes, size: int = 4096) -> bytes:
    head = ascii_view(data[: size * 4])[:size]
    for bom in _BOMS:
        if head.startswith(bom):
            return head[len(bom) :].lstrip()
    return head.lstrip()


def check_input(data: bytes, what: str) -> None:
    """Refuse input no parser should see: empty, binary, or larger than MAX_INPUT_BYTES."""
    if not data.strip():
        raise EmptyInputError(f"The {what} is empty: check the address or fetch it again.")
    if len(data) > MAX_INPUT_BYTES:
        raise InputTooLargeError(
            f"The {what} is {len(data) // (1024 * 1024)} MB, more than the 50 MB Khabar reads: "
            "ask the publisher to split it."
        )
    if data[:2] == b"\x1f\x8b":
        raise BinaryInputError(
            f"The {what} is gzip-compressed: decompress it first (only sitemaps are read gzipped)."
        )
    kind = binary_kind(data)
    if kind is not None and not _head(data).startswith((b"<", b"{", b"[")):
        raise BinaryInputError(f"The {what} is not text: it looks like {kind}.")


def looks_like_json(data: bytes) -> bool:
    """Tell whether the input starts like a JSON object or array."""
    return _head(data, 64).startswith((b"{", b"["))


def looks_like_html(data: bytes) -> bool:
    """Tell whether the input's first bytes are an HTML page's."""
    return _HTML.match(_head(data, 2048)) is not None


def load_json(data: bytes, what: str) -> Any:
    """Parse JSON input, turning every decoding failure into a clear ExtractionError."""
    try:
        return json.loads(data)
    except RecursionError:
        raise MalformedJSONError(f"The {what} nests JSON too deeply to be read.") from None
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError are both ValueErrors
        where = ""
        if isinstance(exc, json.JSONDecodeError):
            where = f" (line {exc.lineno}, column {exc.colno})"
        raise MalformedJSONError(
            f"The {what} is not valid JSON{where}: it may be truncated or damaged; "
            "fetch it again or ask the publisher to fix it."
        ) from None
