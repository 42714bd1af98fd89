"""Wire publication status: NewsML-G2 pubStatus, NINJS pubstatus and NITF docdata
management-status, read and normalized."""

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


@pytest.mark.parametrize(
    ("status", "withdrawn", "withheld"),
    [
        ("usable", False, False),
        ("embargoed", False, False),
        ("withheld", False, True),
        ("canceled", True, False),
        ("CANCELED", True, False),
    ],
)
def test_nitf_management_status_is_read(status: str, withdrawn: bool, withheld: bool) -> None:
    data = (WIRES / "status" / "nitf_usable.xml").read_text(encoding="utf-8")
    data = data.replace('management-status="usable"', f'management-status="{status}"')
    item = parse_wire(data.encode())
    assert isinstance(item, WireItem)
    assert item.pub_status == status.lower()
    assert (item.withdrawn, item.withheld) == (withdrawn, withheld)


def test_nitf_without_management_status_has_none() -> None:
    item = parse_wire((WIRES / "nitf_item.xml").read_bytes())
    assert isinstance(item, WireItem)
    assert (item.pub_status, item.withdrawn, item.withheld) == (None, False, False)


def test_nitf_canceled_fixture_names_the_item_it_cancels() -> None:
    usable = parse_wire((WIRES / "status" / "nitf_usable.xml").read_bytes())
    canceled = parse_wire((WIRES / "status" / "nitf_canceled.xml").read_bytes())
    assert isinstance(canceled, WireItem) and canceled.withdrawn
    assert canceled.source_id == usable.source_id
    assert (usable.version, canceled.version) == (1, 2)


def test_newsml_and_ninjs_withheld_are_read() -> None:
    newsml = (WIRES / "newsmlg2_item.xml").read_bytes().replace(b"stat:usable", b"stat:withheld")
    item = parse_wire(newsml)
    assert isinstance(item, WireItem) and item.withheld and not item.withdrawn
    ninjs = json.loads((WIRES / "ninjs_v1.json").read_text(encoding="utf-8"))
    ninjs["pubstatus"] = "withheld"
    parsed = parse_wire(json.dumps(ninjs, ensure_ascii=False).encode())
    assert isinstance(parsed, WireItem) and parsed.withheld


def test_nitf_idref_makes_a_status_notice_for_the_document_it_replaces() -> None:
    from khabar.extract.dispatch import read_items

    data = (WIRES / "status" / "nitf_usable.xml").read_text(encoding="utf-8")
    data = data.replace(
        '<docdata management-status="usable">',
        '<docdata management-status="usable" management-doc-idref=" OLD-1 " '
        'management-idref-status="canceled">',
    )
    notice, own = read_items(data.encode("utf-8"))
    assert isinstance(notice, WireItem) and isinstance(own, WireItem)
    assert (notice.source_id, notice.pub_status, notice.article) == ("OLD-1", "canceled", None)
    assert notice.withdrawn and not own.withdrawn
    assert own.source_id == "SAHEL-AR-20250214-0107" and own.replaces == "OLD-1"
    # A usable earlier document, or one naming itself, makes no notice.
    for status, ref in (("usable", "OLD-1"), ("canceled", "SAHEL-AR-20250214-0107")):
        same = data.replace('"canceled"', f'"{status}"').replace(" OLD-1 ", ref)
        assert [i.source_id for i in read_items(same.encode("utf-8"))] == ["SAHEL-AR-20250214-0107"]
