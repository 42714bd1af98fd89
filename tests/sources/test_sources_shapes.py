"""Valid JSON of the wrong shape (a list where text belongs, a number for a list) never crashes."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.errors import ExtractionError
from khabar.extract.feeds import parse_feed
from khabar.extract.wires import parse_wire

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NINJS_KEYS = [
    "uri", "guid", "version", "versioncreated", "firstcreated", "embargoed", "urgency",
    "headlines", "headline", "bodies", "body_html", "body_text", "descriptions",
    "description_text", "by", "byline", "located", "subjects", "subject", "associations",
    "renditions", "language", "copyrightholder", "copyrightnotice", "infosources", "type",
    "value", "contenttype", "role", "name", "href", "width", "height", "standard",
]  # fmt: skip
FEED_KEYS = [
    "version", "items", "id", "url", "external_url", "title", "content_html", "content_text",
    "summary", "image", "banner_image", "date_published", "date_modified", "author", "authors",
    "tags", "language", "attachments", "mime_type", "name", "feed_url", "home_page_url",
]  # fmt: skip


def json_values(keys: list[str]) -> st.SearchStrategy[Any]:
    scalars = (
        st.none()
        | st.booleans()
        | st.integers(-5, 10**12)
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(max_size=12)
        | st.sampled_from(["<p>نص</p>", "2024-11-05T08:30:00Z", "text/html", "picture", "ar"])
    )
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(keys), inner, max_size=4)
        ),
        max_leaves=12,
    )


def reshaped(base: dict[str, Any], changes: dict[str, Any]) -> bytes:
    return json.dumps({**base, **changes}, ensure_ascii=False).encode()


@pytest.mark.parametrize("name", ["ninjs_v1.json", "ninjs_1x.json"])
@settings(max_examples=150, deadline=None)
@given(changes=st.dictionaries(st.sampled_from(NINJS_KEYS), json_values(NINJS_KEYS), max_size=6))
def test_ninjs_of_any_shape(name: str, changes: dict[str, Any]) -> None:
    base = json.loads((FIXTURES / "wires" / name).read_bytes())
    with contextlib.suppress(ExtractionError):
        parse_wire(reshaped(base, changes))


@settings(max_examples=150, deadline=None)
@given(
    feed=st.dictionaries(st.sampled_from(FEED_KEYS), json_values(FEED_KEYS), max_size=5),
    item=st.dictionaries(st.sampled_from(FEED_KEYS), json_values(FEED_KEYS), max_size=8),
)
def test_json_feeds_of_any_shape(feed: dict[str, Any], item: dict[str, Any]) -> None:
    base = json.loads((FIXTURES / "feeds" / "jsonfeed_11.json").read_bytes())
    base["items"].append(item)
    with contextlib.suppress(ExtractionError):
        parse_feed(reshaped(base, feed))
