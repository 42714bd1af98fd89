"""The one entry point for a saved page: bytes in, an ExtractedArticle out."""

from __future__ import annotations

from khabar.errors import BinaryInputError, EmptyInputError
from khabar.extract.detect import binary_kind, decode, looks_like_html
from khabar.extract.htmlpage import extract_html
from khabar.extract.record import ExtractedArticle
from khabar.extract.textpage import extract_text_page

__all__ = ["extract_bytes", "extract_string"]


def _name(filename: str | None) -> str:
    return f"'{filename}'" if filename else "The input"


def extract_string(
    text: str, *, filename: str | None = None, url: str | None = None
) -> ExtractedArticle:
    """Read a decoded page, HTML or plain text, into an ExtractedArticle."""
    if not text.strip():
        raise EmptyInputError(
            f"{_name(filename)} holds only whitespace: check that the page was saved completely."
        )
    if looks_like_html(text, filename):
        return extract_html(text, url=url)
    return extract_text_page(text, url=url)


def extract_bytes(
    data: bytes, *, filename: str | None = None, url: str | None = None
) -> ExtractedArticle:
    """Read a saved page's bytes (HTML or plain text, any common Arabic encoding)."""
    if not data.strip():
        raise EmptyInputError(
            f"{_name(filename)} is empty: check that the page was saved, or pass another file."
        )
    kind = binary_kind(data)
    if kind is not None:
        raise BinaryInputError(
            f"{_name(filename)} is not text: it looks like {kind}. "
            "Pass a page saved as HTML or as plain text."
        )
    return extract_string(decode(data), filename=filename, url=url)
