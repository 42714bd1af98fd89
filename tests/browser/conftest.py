"""What every browser test shares: Debian's chromium under Playwright, and screenshots."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[1] / "_artifacts" / "screenshots"
# As the machine's own check starts chromium: without the background-networking flags it keeps
# trying to reach Google's hosts, which this closed network refuses.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless chromium for the module; skips with the reason when it is missing."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed: apt-get install chromium (.ci/run does)")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the test's ORM calls and the
    # live server thread are plain synchronous code all the same.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield launched
        launched.close()


def _shoot(page: Any, name: str) -> None:
    """Scroll through the page so lazy images load, then take a full-page screenshot."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = page.evaluate("document.body.scrollHeight")
    for y in range(0, height, 700):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(30)
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SHOTS / name), full_page=True)


@pytest.fixture
def shoot() -> Callable[[Any, str], None]:
    """`shoot(page, "home-phone.png")`: a full-page screenshot into tests/_artifacts/screenshots."""
    return _shoot
