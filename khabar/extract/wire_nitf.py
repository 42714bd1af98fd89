"""Read an IPTC NITF 3.x document (News Industry Text Format) into WireFields."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from khabar.extract.wire_body import element_blocks, primary_language
from khabar.extract.wire_dates import parse_machine_date
from khabar.extract.wire_item import WireFields, pub_status, to_int
from khabar.extract.wire_xml import attr, child, descendants, text

__all__ = ["nitf_fields"]

Element = Any  # an lxml element

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# The most precise name a tobject.subject gives, first.
_SUBJECT_NAMES = ("tobject.subject.detail", "tobject.subject.matter", "tobject.subject.type")


def _subject(element: Element) -> str | None:
    return next(filter(None, (attr(element, name) for name in _SUBJECT_NAMES)), None)


def _subjects(head: Element | None) -> list[str]:
    if head is None:
        return []
    subjects = [_subject(s) for s in descendants(head, "tobject.subject")]
    keywords = [attr(k, "key") or text(k) for k in descendants(head, "keyword")]
    return [s for s in subjects + keywords if s]


def _norm(docdata: Element | None, name: str) -> datetime | None:
    return parse_machine_date(attr(child(docdata, name), "norm"))


def _agency(docdata: Element | None, body_head: Element | None) -> str | None:
    return (
        text(child(body_head, "distributor"))
        or attr(child(docdata, "doc.copyright"), "holder")
        or attr(child(docdata, "doc-id"), "regsrc")
    )


def nitf_fields(root: Element) -> WireFields:
    """Read a parsed NITF document."""
    head, body = child(root, "head"), child(root, "body")
    docdata, body_head = child(head, "docdata"), child(body, "body.head")
    hedline = child(body_head, "hedline")
    title = text(child(hedline, "hl1")) or text(child(head, "title")) or ""
    content = child(body, "body.content")
    return WireFields(
        source_id=attr(child(docdata, "doc-id"), "id-string") or "",
        kind="nitf",
        title=title,
        lead=text(child(body_head, "abstract")) or text(child(hedline, "hl2")),
        blocks=[] if content is None else element_blocks(content, title=title),
        byline=text(child(body_head, "byline")),
        dateline=text(child(body_head, "dateline")),
        published=_norm(docdata, "date.issue"),
        embargo=_norm(docdata, "date.release"),
        version=to_int(attr(child(docdata, "du-key"), "version")),
        urgency=to_int(attr(child(docdata, "urgency"), "ed-urg")),
        subjects=_subjects(head),
        agency=_agency(docdata, body_head),
        credit=attr(child(docdata, "doc.copyright"), "holder"),
        language=primary_language(root.get(_XML_LANG) or attr(body, _XML_LANG)),
        # NITF 3.1+ has no pubStatus: docdata's management-status says the same ("usable",
        # "embargoed", "withheld", "canceled"). management-doc-idref names an earlier document
        # this one replaces, and management-idref-status says what becomes of it.
        pub_status=pub_status(attr(docdata, "management-status")),
        refers_to=(attr(docdata, "management-doc-idref") or "").strip() or None,
        refers_status=pub_status(attr(docdata, "management-idref-status")),
    )
