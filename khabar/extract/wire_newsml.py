"""Read an IPTC NewsML-G2 newsItem (alone or inside a newsMessage) into WireFields."""

from __future__ import annotations

from typing import Any

from khabar.extract.record import Block
from khabar.extract.wire_body import element_blocks, primary_language, text_blocks
from khabar.extract.wire_dates import parse_machine_date
from khabar.extract.wire_item import WireError, WireFields, pub_status, to_int
from khabar.extract.wire_xml import attr, child, children, descendants, local_name, text

__all__ = ["newsml_fields"]

Element = Any  # an lxml element

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _news_item(root: Element) -> Element:
    if local_name(root) == "newsItem":
        return root
    found = next(descendants(root, "newsItem"), None)
    if found is None:
        raise WireError(
            "This NewsML-G2 message holds no newsItem (only packages or concepts?): "
            "Khabar reads text news items."
        )
    return found


def _name(element: Element | None, language: str | None) -> str | None:
    """The element's <name> in the item's language, else its first name."""
    if element is None:
        return None
    names = children(element, "name")
    preferred = [n for n in names if primary_language(n.get(_XML_LANG)) == language]
    return text((preferred or names or [None])[0]) or attr(element, "literal")


def _headline(meta: Element | None) -> str:
    headlines = children(meta, "headline") if meta is not None else []
    main = [h for h in headlines if attr(h, "role") is None] or headlines
    return text(main[0]) or "" if main else ""


def _lead(meta: Element | None) -> str | None:
    descriptions = children(meta, "description") if meta is not None else []
    summary = [d for d in descriptions if "summary" in (attr(d, "role") or "")]
    return text((summary or descriptions or [None])[0])


def _subjects(meta: Element | None, language: str | None) -> list[str]:
    subjects = children(meta, "subject") if meta is not None else []
    return [n for n in (_name(s, language) for s in subjects) if n]


def _agency(item: Element, language: str | None) -> str | None:
    provider = child(item, "itemMeta", "provider")
    holder = child(item, "rightsInfo", "copyrightHolder")
    found = _name(provider, language) or _name(holder, language)
    qcode = attr(provider, "qcode")
    return found or (qcode.partition(":")[2] or qcode if qcode else None)


def _blocks(item: Element, title: str) -> list[Block]:
    content = child(item, "contentSet")
    inline = child(content, "inlineXML")
    if inline is not None:
        body = next(descendants(inline, "body"), None)
        return element_blocks(inline if body is None else body, title=title)
    return text_blocks(text(child(content, "inlineData")), title=title)


def _notice(item: Element) -> str | None:
    return text(child(item, "rightsInfo", "copyrightNotice"))


def _language(item: Element, meta: Element | None) -> str | None:
    tag = attr(child(meta, "language"), "tag") or item.get(_XML_LANG)
    return primary_language(tag)


def newsml_fields(root: Element) -> WireFields:
    """Read the first newsItem of a parsed NewsML-G2 document."""
    item = _news_item(root)
    item_meta, meta = child(item, "itemMeta"), child(item, "contentMeta")
    language = _language(item, meta)
    title = _headline(meta)
    return WireFields(
        source_id=attr(item, "guid") or "",
        kind="newsmlg2",
        title=title,
        lead=_lead(meta),
        blocks=_blocks(item, title),
        byline=text(child(meta, "by")) or _name(child(meta, "creator"), language),
        dateline=text(child(meta, "dateline")),
        located=_name(child(meta, "located"), language),
        published=parse_machine_date(text(child(item_meta, "firstCreated"))),
        updated=parse_machine_date(text(child(item_meta, "versionCreated"))),
        embargo=parse_machine_date(text(child(item_meta, "embargoed"))),
        version=to_int(attr(item, "version")),
        urgency=to_int(text(child(meta, "urgency"))),
        subjects=_subjects(meta, language),
        agency=_agency(item, language),
        credit=text(child(meta, "creditline")) or _notice(item),
        language=language,
        pub_status=pub_status(attr(child(item_meta, "pubStatus"), "qcode")),
    )
