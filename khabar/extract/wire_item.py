"""What every wire format (NINJS, NewsML-G2, NITF) says about an item, and the item it makes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from khabar.errors import ExtractionError
from khabar.extract.record import Block, ExtractedArticle, Image, IncomingItem
from khabar.extract.wire_body import detect_language, find_dateline, first_image

__all__ = [
    "WireError",
    "WireFields",
    "WireItem",
    "pub_status",
    "status_notice",
    "to_int",
    "wire_item",
]

# Publication statuses that take an item back: NewsML-G2 "stat:canceled" (read as "canceled"),
# NINJS "canceled" and "withdrawn", NITF 3.x docdata management-status="canceled".
WITHDRAWN = frozenset({"canceled", "cancelled", "withdrawn"})
# Statuses that ask clients not to publish an item yet (a later usable version lifts the hold):
# NewsML-G2 "stat:withheld", NINJS "withheld", NITF management-status="withheld".
WITHHELD = frozenset({"withheld"})


class WireError(ExtractionError):
    """A wire item (NINJS, NewsML-G2, NITF) could not be read."""


@dataclass
class WireFields:
    """One wire item's fields, named the same whatever format carried them."""

    source_id: str
    kind: str
    title: str = ""
    lead: str | None = None
    blocks: list[Block] = field(default_factory=list)
    byline: str | None = None
    dateline: str | None = None
    located: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    embargo: datetime | None = None
    version: int | None = None
    urgency: int | None = None
    subjects: list[str] = field(default_factory=list)
    agency: str | None = None
    credit: str | None = None
    language: str | None = None
    image: Image | None = None
    pub_status: str | None = None
    # Another document this one speaks of (NITF management-doc-idref: an earlier version it
    # replaces) and that document's status now (management-idref-status), e.g. "canceled".
    refers_to: str | None = None
    refers_status: str | None = None


@dataclass
class WireItem(IncomingItem):
    """An item from a wire, with its publication status ("usable", "withheld", "canceled")."""

    pub_status: str | None = None
    # The id of an earlier document this item replaces (NITF management-doc-idref).
    replaces: str | None = None

    @property
    def withdrawn(self) -> bool:
        """Whether the agency took the item back: the stored article must come off the site."""
        return self.pub_status in WITHDRAWN

    @property
    def withheld(self) -> bool:
        """Whether the agency asks not to publish the item yet: stored, but kept off the site."""
        return self.pub_status in WITHHELD


def pub_status(value: object) -> str | None:
    """Return a publication status, lower case without its scheme ("stat:canceled" → "canceled")."""
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().rsplit(":", 1)[-1].strip().lower() or None


def to_int(value: object) -> int | None:
    """Return a whole number written as a number or a string ("3"), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _dateline(fields: WireFields) -> tuple[str | None, str | None]:
    """The dateline opening the body ("القاهرة (رويترز) -"), else the one the format gives."""
    found = find_dateline(fields.blocks, fields.lead)
    if found is not None:
        return found
    return fields.dateline or fields.located, None


def status_notice(fields: WireFields) -> WireItem | None:
    """The item a document makes of its word on another one: that document withdrawn or
    withheld (no text: ingest only changes the stored article's status). None otherwise."""
    target, status = fields.refers_to, fields.refers_status
    if not target or target == fields.source_id or status not in WITHDRAWN | WITHHELD:
        return None
    return WireItem(source_id=target, kind=fields.kind, agency=fields.agency, pub_status=status)


def wire_item(fields: WireFields) -> IncomingItem:
    """Build the IncomingItem of a wire item: the whole article, never a page to fetch."""
    dateline, dateline_agency = _dateline(fields)
    source = fields.agency or dateline_agency
    texts = [fields.title, fields.lead, *(b.text for b in fields.blocks)]
    article = ExtractedArticle(
        title=fields.title,
        lead=fields.lead,
        blocks=fields.blocks,
        image=fields.image or first_image(fields.blocks),
        sources=[source] if source else [],
        byline=fields.byline,
        dateline=dateline,
        published=fields.published or fields.updated,
        language=fields.language or detect_language(texts),
    )
    return WireItem(
        source_id=fields.source_id,
        article=article,
        version=fields.version,
        urgency=fields.urgency,
        subjects=list(dict.fromkeys(s for s in fields.subjects if s)),
        embargo=fields.embargo,
        agency=fields.agency,
        credit=fields.credit,
        summary=fields.lead,
        updated=fields.updated,
        kind=fields.kind,
        pub_status=fields.pub_status,
        replaces=fields.refers_to,
    )
