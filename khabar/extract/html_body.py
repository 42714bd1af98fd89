"""The article's body blocks: trafilatura's reading of a cleaned page, mapped into Blocks.

trafilatura runs in its precision mode and writes XML with formatting kept, so its <head>
sub-headings and <quote>s come through as such; a short paragraph set all in bold is a
sub-heading too. Line breaks split a paragraph, as pages that build paragraphs from <br>s
mean them. Photos with a caption or credit are placed before the paragraph they precede.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

from lxml.html import HtmlElement

from khabar.extract import vocab
from khabar.extract.html_figures import Figure
from khabar.extract.html_tree import squeeze, text_of
from khabar.extract.record import Block, BlockKind

# A sub-heading is short and does not end like a sentence.
MAX_SUBHEADING_WORDS = 14
_SENTENCE_ENDS = ".:،,;؛!…"
# A summary shorter than this is a teaser, not the lead paragraph it repeats.
_MIN_LEAD_WORDS = 8
_MAX_LEAD_WORDS = 150
# Texts compared by their openings must have this much of one; shorter ones must be equal.
_MIN_ALIKE_CHARS = 20
_BOLD = frozenset({"#b", "#u", "#b#i", "#i#b"})


@cache
def _options(precise: bool, fast: bool) -> Any:
    """Return trafilatura's options for one mode, built once: building them reads its config."""
    from trafilatura.settings import Extractor

    return Extractor(
        fast=fast,
        precision=precise,
        recall=not precise,
        comments=False,
        formatting=True,
        images=False,
        tables=True,
        dedup=False,
        with_metadata=False,
    )


def run_trafilatura(root: HtmlElement, *, precise: bool = True, fast: bool = True) -> Any:
    """Return trafilatura's XML body of a parsed page, or None when it finds no text.

    `fast` skips trafilatura's second opinion (its readability and jusText fallbacks): on a
    cleaned page it seldom changes the reading, and it costs a third of the time.
    """
    import trafilatura  # imported here: it is slow to load and only HTML pages need it

    document = trafilatura.bare_extraction(root, options=_options(precise, fast))
    return getattr(document, "body", None)


def _pieces(element: Any) -> list[str]:
    """Return the text of an element split at its line breaks, each piece trimmed."""
    for lb in element.iter("lb"):
        lb.tail = "\n" + (lb.tail or "")
    text = "".join(element.itertext())
    return [squeeze(p) for p in text.split("\n") if p.strip()]


def _all_bold(element: Any) -> bool:
    """Tell whether a paragraph is one bold or underlined run and nothing else."""
    if len(element) != 1 or (element.text or "").strip() or (element[0].tail or "").strip():
        return False
    child = element[0]
    return child.tag == "hi" and child.get("rend") in _BOLD


def is_subheading_text(text: str) -> bool:
    """Tell whether a text may be a sub-heading: short and not ending like a sentence."""
    words = text.split()
    return 0 < len(words) <= MAX_SUBHEADING_WORDS and text[-1] not in _SENTENCE_ENDS


def _paragraph_blocks(element: Any) -> Iterator[Block]:
    pieces = _pieces(element)
    heading = len(pieces) == 1 and _all_bold(element) and is_subheading_text(pieces[0])
    kind: BlockKind = "subheading" if heading else "paragraph"
    for piece in pieces:
        yield Block(kind, piece)


def _rows(table: Any) -> Iterator[Block]:
    for row in table.iter("row"):
        cells = [squeeze("".join(cell.itertext())) for cell in row.iter("cell")]
        text = " | ".join(c for c in cells if c)
        if text:
            yield Block("paragraph", text)


def _blocks_of(element: Any) -> Iterator[Block]:
    tag = element.tag
    if tag == "head":
        yield from (Block("subheading", p) for p in _pieces(element))
    elif tag == "quote":
        yield from (Block("quote", p) for p in _pieces(element))
    elif tag == "list":
        for item in element.iter("item"):
            yield from (Block("paragraph", p) for p in _pieces(item))
    elif tag == "table":
        yield from _rows(element)
    else:
        yield from _paragraph_blocks(element)


def xml_blocks(body: Any) -> list[Block]:
    """Map trafilatura's XML body into Blocks, in reading order."""
    blocks: list[Block] = []
    for element in body:
        if isinstance(element.tag, str):
            blocks.extend(_blocks_of(element))
    return blocks


def place_figures(blocks: list[Block], figures: list[Figure]) -> list[Block]:
    """Return the blocks with each photo before the paragraph that follows it on the page."""
    placed = list(blocks)
    for figure in figures:
        if not (figure.image.caption or figure.image.credit) or not figure.next_text:
            continue
        for index, block in enumerate(placed):
            if block.kind != "image" and _starts_alike(block.text, figure.next_text):
                placed.insert(index, Block("image", image=figure.image))
                break
    return placed


def _starts_alike(a: str, b: str, length: int = 60) -> bool:
    """Tell whether two texts open with the same words, compared in folded form."""
    head_a, head_b = vocab.fold(a)[:length], vocab.fold(b)[:length]
    if head_a == head_b:
        return bool(head_a)
    if min(len(head_a), len(head_b)) < _MIN_ALIKE_CHARS:
        return False
    return head_a.startswith(head_b) or head_b.startswith(head_a)


def find_lead(root: HtmlElement, summary: str | None, blocks: list[Block]) -> str | None:
    """Return the page's lead when the body left it out: the paragraph the summary repeats."""
    words = (summary or "").split()
    texts = [b.text for b in blocks if b.kind != "image"]
    if len(words) < _MIN_LEAD_WORDS or any(_starts_alike(t, summary or "") for t in texts):
        return None
    opening = " ".join(words[:3]).replace('"', "")
    for text in root.xpath(f'//text()[starts-with(normalize-space(.), "{opening}")]'):
        parent = text.getparent()
        holder = parent.getparent() if text.is_tail and parent is not None else parent
        if holder is None or holder.tag in ("title", "meta", "script", "a"):
            continue
        found = text_of(holder)
        if not _MIN_LEAD_WORDS <= len(found.split()) <= _MAX_LEAD_WORDS:
            continue  # a teaser, or a container holding more than the lead
        if _starts_alike(found, summary or ""):
            return found
    return None
