"""Shared test helpers."""

from __future__ import annotations

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
    """Each test starts with the story index loaded from its own database."""
    from khabar.newsroom import storyline

    storyline.forget_index()
