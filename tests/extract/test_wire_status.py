"""Wire publication status: NewsML-G2 pubStatus and NINJS pubstatus, read and normalized."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from khabar.extract.wire_item import WireItem, pub_status
from khabar.extract.wires import parse_wire

WIRES = Path(__file__).resolve().parents[1] / "fixtures" / "wires"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("stat:canceled", "canceled"),
        ("stat:usable", "usable"),
        (" Canceled ", "canceled"),
        ("withdrawn", "withdrawn"),
        ("", None),
        (None, None),
        (3, None),
    ],
)
def test_pub_status_drops_the_scheme(raw: object, expected: str | None) -> None:
    assert pub_status(raw) == expected


def test_newsml_pub_status_is_read() -> None:
    data = (WIRES / "newsmlg2_item.xml").read_bytes()
    item = parse_wire(data)
    assert isinstance(item, WireItem)
    assert (item.pub_status, item.withdrawn) == ("usable", False)
    canceled = parse_wire(data.replace(b"stat:usable", b"stat:canceled"))
    assert isinstance(canceled, WireItem) and canceled.withdrawn


@pytest.mark.parametrize(
    ("status", "withdrawn"),
    [("canceled", True), ("withdrawn", True), ("usable", False), ("withheld", False)],
)
def test_ninjs_pub_status_is_read(status: str, withdrawn: bool) -> None:
    item = json.loads((WIRES / "ninjs_v1.json").read_text(encoding="utf-8"))
    item["pubstatus"] = status
    parsed = parse_wire(json.dumps(item, ensure_ascii=False).encode())
    assert isinstance(parsed, WireItem)
    assert parsed.withdrawn is withdrawn
