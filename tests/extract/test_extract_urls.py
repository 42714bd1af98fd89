"""Canonical addresses drop what tracks the reader and keep what picks the page."""

from __future__ import annotations

import pytest

from khabar.extract.urls import clean_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://News.Example.org/a/1?utm_source=tw&utm_medium=x", "https://news.example.org/a/1"),
        ("https://example.org/a?id=5&fbclid=abc#comments", "https://example.org/a?id=5"),
        ("http://example.org:80/a", "http://example.org/a"),
        ("https://example.org:8443/a", "https://example.org:8443/a"),
        ("https://example.org", "https://example.org/"),
        ("https://example.org/خبر/١?page=2", "https://example.org/خبر/١?page=2"),
    ],
)
def test_clean_url(url: str, expected: str) -> None:
    assert clean_url(url) == expected


def test_clean_url_is_idempotent() -> None:
    url = "https://example.org/x?b=2&a=1&utm_campaign=z"
    assert clean_url(clean_url(url)) == clean_url(url)
