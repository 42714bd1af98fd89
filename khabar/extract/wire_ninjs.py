"""Read an IPTC NINJS item (News in JSON, 2.x, and the 1.x field names) into WireFields."""

from __future__ import annotations

from typing import Any

from khabar.extract.record import Block, Image
from khabar.extract.wire_body import html_blocks, html_text, primary_language, text_blocks
from khabar.extract.wire_dates import parse_machine_date
from khabar.extract.wire_item import WireFields, pub_status, to_int

__all__ = ["is_ninjs", "ninjs_fields"]

Json = dict[str, Any]

# Fields only NINJS uses; an object with an identity and one of these is a NINJS item.
_NINJS_KEYS = frozenset(
    {
        "headlines", "headline", "bodies", "body_html", "body_text", "body_xhtml",
        "versioncreated", "firstcreated", "renditions", "associations", "pubstatus",
    }
)  # fmt: skip
_LEAD_ROLES = ("summary", "abstract", "lead", "description", "text")
_PICTURE_TYPES = ("picture", "graphic")


def is_ninjs(document: object) -> bool:
    """Tell whether parsed JSON is a NINJS item (an uri or guid, and NINJS fields)."""
    if not isinstance(document, dict):
        return False
    standard = document.get("standard")
    if isinstance(standard, dict) and "ninjs" in str(standard.get("name", "")).lower():
        return True
    has_id = isinstance(document.get("uri"), str) or isinstance(document.get("guid"), str)
    return has_id and any(key in document for key in _NINJS_KEYS)


def _string(value: object) -> str | None:
    return (" ".join(value.split()) or None) if isinstance(value, str) else None


def _objects(value: object) -> list[Json]:
    """A NINJS list (2.x) or a name-keyed object (1.x), as a list of objects."""
    if isinstance(value, dict):
        return [v for v in value.values() if isinstance(v, dict)]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, dict)]
    return []


def _headline(item: Json) -> str:
    headlines = _objects(item.get("headlines"))
    main = [h for h in headlines if h.get("role") in (None, "main")] or headlines
    for headline in main:
        if _string(headline.get("value")):
            return _string(headline.get("value")) or ""
    return _first(item, "headline", "title") or ""


def _marked(entry: Json) -> str | None:
    value = entry.get("value")
    if not isinstance(value, str):
        return None
    kind = str(entry.get("contenttype", ""))
    return html_text(value) if "html" in kind or "xml" in kind else _string(value)


def _description(item: Json, skip: tuple[str, ...] = ("ednote", "caption")) -> str | None:
    """The item's summary: a description by role (summary first), else the 1.x fields."""
    descriptions = _objects(item.get("descriptions"))
    ordered = sorted(
        descriptions,
        key=lambda d: _LEAD_ROLES.index(d["role"]) if d.get("role") in _LEAD_ROLES else 99,
    )
    for description in ordered:
        if description.get("role") not in skip and _marked(description):
            return _marked(description)
    return _string(item.get("description_text")) or html_text(item.get("description_html"))


def _body(item: Json) -> tuple[str | None, bool]:
    """The body and whether it is markup: an HTML body first, then any body, then 1.x fields."""
    bodies = [b for b in _objects(item.get("bodies")) if _string(b.get("value"))]
    for body in bodies:
        if "html" in str(body.get("contenttype", "")):
            return str(body["value"]), True
    if bodies:
        return str(bodies[0]["value"]), False
    for key in ("body_html", "body_xhtml"):
        if _string(item.get(key)):
            return str(item[key]), True
    return (str(item["body_text"]), False) if _string(item.get("body_text")) else (None, False)


def _blocks(item: Json, title: str) -> list[Block]:
    body, is_markup = _body(item)
    return html_blocks(body, title=title) if is_markup else text_blocks(body, title=title)


def _first(item: Json, *keys: str) -> str | None:
    return next(filter(None, (_string(item.get(key)) for key in keys)), None)


def _subjects(item: Json) -> list[str]:
    found = _objects(item.get("subjects")) + _objects(item.get("subject"))
    return [n for n in (_string(s.get("name")) for s in found) if n]


def _area(rendition: Json) -> int:
    width, height = to_int(rendition.get("width")), to_int(rendition.get("height"))
    return (width or 0) * (height or 0)


def _picture(item: Json) -> Image | None:
    for association in _objects(item.get("associations")):
        renditions = [r for r in _objects(association.get("renditions")) if _string(r.get("href"))]
        if association.get("type") not in _PICTURE_TYPES or not renditions:
            continue
        return Image(
            url=_string(max(renditions, key=_area).get("href")),
            caption=_description(association, ("ednote",)) or _string(association.get("headline")),
            credit=_first(association, "creditline", "by", "byline", "copyrightnotice"),
        )
    return None


def _agency(item: Json) -> str | None:
    for source in _objects(item.get("infosources")):
        if "provider" in str(source.get("role", "")) and _string(source.get("name")):
            return _string(source.get("name"))
    return _first(item, "copyrightholder", "provider")


def ninjs_fields(item: Json) -> WireFields:
    """Read a parsed NINJS item's fields (2.x names first, 1.x names as a fallback)."""
    title = _headline(item)
    return WireFields(
        source_id=_first(item, "uri", "guid") or "",
        kind="ninjs",
        title=title,
        lead=_description(item),
        blocks=_blocks(item, title),
        byline=_first(item, "by", "byline"),
        located=_string(item.get("located")),
        published=parse_machine_date(item.get("firstcreated")),
        updated=parse_machine_date(item.get("versioncreated")),
        embargo=parse_machine_date(item.get("embargoed")),
        version=to_int(item.get("version")),
        urgency=to_int(item.get("urgency")),
        subjects=_subjects(item),
        agency=_agency(item),
        credit=_first(item, "creditline", "copyrightnotice"),
        language=primary_language(item.get("language")),
        image=_picture(item),
        pub_status=pub_status(item.get("pubstatus")),
    )
