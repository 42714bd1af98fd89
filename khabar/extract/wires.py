"""Read one news-agency wire item (NINJS, NewsML-G2 or NITF) into an IncomingItem.

A wire item carries the whole article and its editorial metadata: identity and version, urgency,
embargo, subjects, the agency and its credit line. The format is told from the bytes themselves.
"""

from __future__ import annotations

from typing import Any, Literal

from khabar.errors import ExtractionError
from khabar.extract.record import IncomingItem
from khabar.extract.wire_input import check_input, load_json, looks_like_json
from khabar.extract.wire_item import WireError, WireFields, status_notice, wire_item
from khabar.extract.wire_newsml import newsml_fields
from khabar.extract.wire_ninjs import is_ninjs, ninjs_fields
from khabar.extract.wire_nitf import nitf_fields
from khabar.extract.wire_xml import local_name, parse_xml, root_name

__all__ = [
    "UnknownWireFormatError",
    "WireError",
    "WireFormat",
    "detect_wire_format",
    "parse_wire",
    "wire_items",
]

WireFormat = Literal["ninjs", "newsmlg2", "nitf"]

_NEWSML_ROOTS = frozenset({"newsItem", "newsMessage"})
_UNKNOWN = (
    "This is not a NINJS, NewsML-G2 or NITF wire item: check the source's format "
    "(feeds and sitemaps are separate source kinds)."
)


class UnknownWireFormatError(WireError):
    """The document is none of the wire formats Khabar reads."""


def _xml_format(name: str | None) -> WireFormat | None:
    if name in _NEWSML_ROOTS:
        return "newsmlg2"
    return "nitf" if name == "nitf" else None


def detect_wire_format(data: bytes) -> WireFormat | None:
    """Tell which wire format the bytes are in, or None (sniffed; never raises)."""
    if not looks_like_json(data):
        return _xml_format(root_name(data))
    try:
        return "ninjs" if is_ninjs(load_json(data, "wire item")) else None
    except ExtractionError:
        return None


def _fields(data: bytes) -> WireFields:
    if looks_like_json(data):
        document: Any = load_json(data, "wire item")
        if not is_ninjs(document):
            raise UnknownWireFormatError(_UNKNOWN)
        return ninjs_fields(document)
    root = parse_xml(data, "wire item")
    found = _xml_format(local_name(root))
    if found == "newsmlg2":
        return newsml_fields(root)
    if found == "nitf":
        return nitf_fields(root)
    raise UnknownWireFormatError(_UNKNOWN)


def _identified(data: bytes) -> WireFields:
    check_input(data, "wire item")
    fields = _fields(data)
    if not fields.source_id:
        raise WireError(
            f"This {fields.kind} item has no identifier (uri, guid or doc-id): Khabar cannot tell "
            "its versions apart. Ask the agency to send identified items."
        )
    return fields


def parse_wire(data: bytes) -> IncomingItem:
    """Read a wire item's bytes (the format is detected) into an IncomingItem."""
    return wire_item(_identified(data))


def wire_items(data: bytes) -> list[IncomingItem]:
    """The items a wire document makes: the status it gives an earlier document it replaces
    (NITF: withdrawn or withheld), first, then its own article, unless it is only that notice
    (no headline and no text)."""
    fields = _identified(data)
    notice = status_notice(fields)
    if notice is None:
        return [wire_item(fields)]
    if not fields.title.strip() and not fields.blocks:
        return [notice]
    return [notice, wire_item(fields)]
