"""Errors of the search package, under `khabar.errors.KhabarError`."""

from __future__ import annotations

from khabar.errors import KhabarError

__all__ = ["IndexMismatchError", "QueryError", "SearchError"]


class SearchError(KhabarError):
    """Something went wrong in search; the message says what to do next."""


class QueryError(SearchError):
    """The reader's query cannot be searched; `message_ar` says why, in Arabic, for the page."""

    def __init__(self, message: str, message_ar: str) -> None:
        super().__init__(message)
        self.message_ar = message_ar


class IndexMismatchError(SearchError):
    """The index was built by another analyzer or schema version and must be rebuilt."""
