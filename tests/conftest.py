"""Shared test helpers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def shared_dir() -> Path:
    """The workplace's shared folder; tests that need it skip where it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"../shared is absent (looked in {SHARED}); the contract files live there")
    return SHARED


@pytest.fixture(autouse=True)
def _fresh_story_index() -> None:
    """Each test starts with the story and near-duplicate indexes loaded from its database."""
    from khabar.newsroom import ingest, storyline

    storyline.forget_index()
    ingest.forget_dedup()


@pytest.fixture(autouse=True, scope="session")
def _plain_static_storage() -> Iterator[None]:
    """Tests name static files as they are in the package, not by collected hashed names.

    Outside DEBUG the site uses WhiteNoise's manifest storage, which only knows files after
    `collectstatic`; the live server of the browser test serves static files through the finders,
    which know only the unhashed names. This is Django's advice for manifest storage in tests;
    tests/site/test_pagecache.py runs collectstatic with the real storage and checks every file.
    """
    from django.test import override_settings

    plain = override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    )
    plain.enable()
    yield
    plain.disable()


@pytest.fixture(autouse=True)
def _fresh_page_cache() -> None:
    """Each test starts with an empty page cache, so no test is served another test's page."""
    from khabar.site import pagecache

    pagecache.reset()


@pytest.fixture(autouse=True)
def _no_read_counts_left() -> Iterator[None]:
    """Views a browser test's pages beaconed stay in that test: none is flushed at exit.

    The buffer is written at process exit (atexit), when the test database is already gone.
    """
    yield
    from khabar.site import readcount

    readcount.BUFFER.discard()
