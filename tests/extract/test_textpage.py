"""Pages saved as plain text: the seed's contract, our own fixtures, and no page-specific code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from khabar.extract.textpage import event_dates_in_text, extract_text_page

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "textpages"
SEED = "seeds/000_c2bff6950b03e632.txt"
SEED_CONTRACT = "fixtures/seed-article.expected.json"
SEED_FIELDS = [
    "title",
    "lead",
    "image",
    "body",
    "subheadings",
    "sources",
    "source_line",
    "related_headlines",
    "site_chrome",
]


def squeeze(value: Any) -> Any:
    """Collapse the whitespace of every string in a JSON value, so U+00A0 and runs compare equal."""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, list):
        return [squeeze(v) for v in value]
    if isinstance(value, dict):
        return {k: squeeze(v) for k, v in value.items()}
    return value


def reading(path: Path) -> dict[str, Any]:
    """Extract a text page and return its JSON record plus the dates found in its text."""
    article = extract_text_page(path.read_text(encoding="utf-8"))
    return {**article.to_json(), "event_dates_in_text": event_dates_in_text(article)}


@pytest.fixture
def seed_pair(shared_dir: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    contract = json.loads((shared_dir / SEED_CONTRACT).read_text(encoding="utf-8"))
    return reading(shared_dir / SEED), contract


@pytest.mark.parametrize("field", [*SEED_FIELDS, "event_dates_in_text"])
def test_seed_matches_its_contract(seed_pair: tuple[dict[str, Any], dict[str, Any]], field: str):
    got, contract = seed_pair
    assert squeeze(got[field]) == squeeze(contract[field])


def test_seed_is_arabic_with_no_byline_or_date(seed_pair: tuple[dict[str, Any], dict[str, Any]]):
    got, _ = seed_pair
    assert got["language"] == "ar"
    assert got["byline"] is None and got["dateline"] is None and got["published"] is None


FIXTURE_NAMES = sorted(p.name.removesuffix(".expected.json") for p in FIXTURES.glob("*.json"))


def test_there_are_enough_fixtures() -> None:
    assert len(FIXTURE_NAMES) >= 6
    for name in FIXTURE_NAMES:
        assert (FIXTURES / f"{name}.txt").is_file(), name


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_fixture_matches_its_contract(name: str) -> None:
    expected = json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))
    got = reading(FIXTURES / f"{name}.txt")
    for key, value in expected.items():
        if key.startswith("_"):
            continue
        assert squeeze(got[key]) == squeeze(value), f"{name}: {key}"


def test_fixture_contracts_hold_every_record_key() -> None:
    article = extract_text_page((FIXTURES / "bare_no_lead.txt").read_text(encoding="utf-8"))
    keys = set(article.to_json())
    for name in FIXTURE_NAMES:
        expected = json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))
        assert keys <= set(expected), name


def test_no_seed_text_in_the_extractor_code_or_our_fixtures(shared_dir: Path) -> None:
    seed_lines = {
        " ".join(line.split())
        for line in (shared_dir / SEED).read_text(encoding="utf-8").splitlines()
        if len(line.strip()) > 12
    }
    assert seed_lines
    sources = [*(REPO / "khabar" / "extract").rglob("*.py"), *FIXTURES.glob("*.txt")]
    for source in sorted(sources):
        code = " ".join(source.read_text(encoding="utf-8").split())
        found = [line for line in seed_lines if line in code]
        assert not found, f"{source.name} holds text of the seed page: {found[:3]}"


def test_no_django_in_the_extractor() -> None:
    for source in (REPO / "khabar" / "extract").rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert "import django" not in text and "from django" not in text, source.name
