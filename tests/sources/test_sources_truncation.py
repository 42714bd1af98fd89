"""Truncated or damaged sources never raise anything but ExtractionError (hypothesis)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from khabar.errors import ExtractionError
from khabar.extract.feeds import is_feed, parse_feed
from khabar.extract.sitemaps import parse_sitemap, sitemap_items
from khabar.extract.wires import detect_wire_format, parse_wire

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _sitemap(data: bytes) -> Any:
    return sitemap_items(parse_sitemap(data))


def _feed(data: bytes) -> Any:
    is_feed(data)
    return parse_feed(data)


def _wire(data: bytes) -> Any:
    detect_wire_format(data)
    return parse_wire(data)


READERS: dict[str, Callable[[bytes], Any]] = {
    "feeds": _feed,
    "sitemaps": _sitemap,
    "wires": _wire,
}
CASES = sorted(
    (folder, path.name)
    for folder in READERS
    for path in (FIXTURES / folder).iterdir()
    if path.is_file()
)
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def only_extraction_errors(reader: Callable[[bytes], Any], data: bytes) -> None:
    try:
        reader(data)
    except ExtractionError as exc:
        assert str(exc).strip(), "an error must say what went wrong"


def test_every_fixture_folder_is_covered() -> None:
    assert {folder for folder, _ in CASES} == set(READERS)
    assert len(CASES) >= 16


@pytest.mark.parametrize(("folder", "name"), CASES)
@SETTINGS
@given(fraction=st.floats(min_value=0.0, max_value=1.0))
@example(fraction=0.0)
@example(fraction=0.5)
@example(fraction=0.999)
def test_truncations_raise_only_extraction_errors(folder: str, name: str, fraction: float) -> None:
    data = (FIXTURES / folder / name).read_bytes()
    only_extraction_errors(READERS[folder], data[: int(len(data) * fraction)])


@pytest.mark.parametrize(("folder", "name"), CASES)
@SETTINGS
@given(data=st.data())
def test_damaged_bytes_raise_only_extraction_errors(folder: str, name: str, data: Any) -> None:
    original = bytearray((FIXTURES / folder / name).read_bytes())
    for _ in range(data.draw(st.integers(min_value=1, max_value=8))):
        at = data.draw(st.integers(min_value=0, max_value=len(original) - 1))
        original[at] = data.draw(st.integers(min_value=0, max_value=255))
    only_extraction_errors(READERS[folder], bytes(original))
