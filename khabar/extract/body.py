"""Find the article's own parts in a classified page: title, photos, lead and body blocks."""

from __future__ import annotations

from khabar.extract import meta, vocab
from khabar.extract.classify import LABELS, Kind, is_navigation
from khabar.extract.page import Page
from khabar.extract.record import Block, BlockKind, Image

# A sub-heading is a short line; a longer unpunctuated line is a paragraph.
MAX_SUBHEADING_WORDS = 14
# With more headline-like lines than this above the article, they are a list, not a title block.
MAX_TITLE_BLOCK = 3
# Short lines (an author's name, "استمع", a tag) that may sit between the headline and the text.
MAX_SHORT_BELOW_TITLE = 3
MAX_SHORT_WORDS = 4

_QUOTE_PAIRS = {"«": "»", "“": "”", '"': '"', "„": "“"}


def _base_indent(page: Page) -> int:
    indents = [ln.indent for ln, k in zip(page.lines, page.kinds, strict=True) if k is Kind.PROSE]
    return min(indents, default=0)


def _title_like(page: Page, index: int, base_indent: int) -> bool:
    line = page.lines[index]
    return (
        page.kinds[index] is Kind.TEXT
        and not line.bullet
        and line.indent <= base_indent + 1
        and line.words >= 3
        and not is_navigation(line)
        and not page.repeats_bullet(index)
    )


def _short(page: Page, index: int) -> bool:
    line = page.lines[index]
    return not line.bullet and line.words <= MAX_SHORT_WORDS and not line.ends_sentence


def find_title(page: Page, start: int) -> int | None:
    """Return the index of the headline above the article's first paragraph, or None."""
    base = _base_indent(page)
    candidates: list[int] = []
    shorts = 0
    i = start - 1
    while i >= 0:
        if page.kinds[i] in LABELS or page.kinds[i] in (Kind.READ_ALSO, Kind.COMMENTS):
            i -= 1
        elif _title_like(page, i, base):
            candidates.append(i)
            i -= 1
        elif not candidates and shorts < MAX_SHORT_BELOW_TITLE and _short(page, i):
            shorts += 1
            i -= 1
        else:
            break
    if not candidates:
        return None
    # The topmost line of a title block is the headline; a deck or caption follows it.
    return candidates[-1] if len(candidates) <= MAX_TITLE_BLOCK else candidates[0]


def _caption_for_credit(page: Page, index: int, lo: int, hi: int, start: int) -> int | None:
    """Return the index of the caption that goes with the credit at `index`, or None.

    The caption is the line above, or a labelled one below; an unlabelled line below is taken
    only above the article's first paragraph, where it cannot be a sub-heading.
    """
    after = index + 1
    if after < hi and page.free(after) and page.kinds[after] is Kind.CAPTION:
        return after
    before = index - 1
    fits_before = before >= lo and page.free(before) and not page.lines[before].bullet
    if fits_before and page.kinds[before] in (Kind.TEXT, Kind.CAPTION):
        return before
    if after < start and page.free(after) and page.kinds[after] is Kind.TEXT:
        return after
    return None


def _caption_text(page: Page, index: int) -> str:
    line = page.lines[index]
    if page.kinds[index] is Kind.CAPTION:
        return meta.parse_caption_label(line) or line.text
    return line.text


def _credit_image(page: Page, index: int, span: tuple[int, int, int]) -> tuple[int, Image]:
    """Build the photo a credit line closes, and give its lines their roles."""
    inline_caption, credit = meta.parse_credit(page.lines[index]) or (None, None)
    page.roles[index] = "credit"
    caption_at = None if inline_caption else _caption_for_credit(page, index, *span)
    if caption_at is None:
        return index, Image(caption=inline_caption, credit=credit)
    page.roles[caption_at] = "caption"
    return min(index, caption_at), Image(caption=_caption_text(page, caption_at), credit=credit)


def _caption_image(page: Page, index: int, hi: int) -> tuple[int, Image]:
    """Build the photo a caption line describes, with the credit right under it if any."""
    page.roles[index] = "caption"
    after = index + 1
    credit = None
    if after < hi and page.free(after) and page.kinds[after] is Kind.CREDIT:
        found = meta.parse_credit(page.lines[after])
        if found is not None and found[0] is None:
            credit = found[1]
            page.roles[after] = "credit"
    return index, Image(caption=_caption_text(page, index), credit=credit)


def find_images(page: Page, lo: int, hi: int, start: int, title: str) -> dict[int, Image]:
    """Return the photos (caption and credit) in [lo, hi), keyed by their position.

    `start` is the article's first paragraph: lines above it cannot be sub-headings.
    """
    images: dict[int, Image] = {}
    title_key = vocab.fold(title)
    for i in range(lo, hi):
        if not page.free(i):
            continue
        kind = page.kinds[i]
        if kind is Kind.CAPTION:
            at, image = _caption_image(page, i, hi)
        elif kind is Kind.CREDIT:
            at, image = _credit_image(page, i, (lo, hi, start))
        elif kind is Kind.TEXT and title_key and page.lines[i].folded == title_key:
            if i == lo:
                page.roles[i] = "title"  # the headline printed twice, not a caption
                continue
            if i + 1 < hi and page.free(i + 1) and page.kinds[i + 1] is Kind.CREDIT:
                continue  # the credit below takes this line as its caption
            page.roles[i] = "caption"
            at, image = i, Image(caption=page.lines[i].text)
        else:
            continue
        images[at] = image
    return images


def _is_quote(text: str) -> bool:
    core = text.rstrip(". ")
    close = _QUOTE_PAIRS.get(core[:1])
    if close is None or not core.endswith(close) or len(core) < 3:
        return False
    return core.count(close) == (2 if close == core[0] else 1)


def _next_content(page: Page, index: int, end: int) -> Kind | None:
    """Return the kind of the next line after `index` that is neither a label nor taken."""
    for i in range(index + 1, end + 1):
        if page.free(i) and page.kinds[i] not in LABELS and page.kinds[i] is not Kind.READ_ALSO:
            return page.kinds[i]
    return None


def _is_subheading(page: Page, index: int, end: int) -> bool:
    line = page.lines[index]
    if line.bullet or line.words > MAX_SUBHEADING_WORDS or line.text[-1] in ".:،,;؛":
        return False
    if vocab.only_words(line.folded, vocab.NAVIGATION_WORDS):
        return False
    return line.heading or _next_content(page, index, end) is Kind.PROSE


def _block(page: Page, index: int, end: int) -> Block | None:
    line, kind = page.lines[index], page.kinds[index]
    if kind is Kind.PROSE:
        text = line.text.lstrip("> ") if line.text.startswith(">") else line.text
        quoted = line.text.startswith(">") or _is_quote(text)
        block_kind: BlockKind = "quote" if quoted else "paragraph"
        return Block(block_kind, text)
    if kind is not Kind.TEXT:
        return None
    if _is_subheading(page, index, end):
        return Block("subheading", line.text)
    if line.words >= 3 or line.bullet:
        return Block("paragraph", line.text)
    return None


def read_body(page: Page, start: int, end: int, images: dict[int, Image]) -> list[Block]:
    """Return the blocks of the article run in reading order, photos included."""
    blocks: list[Block] = []
    for i in range(start, end + 1):
        if i in images:
            blocks.append(Block("image", image=images[i]))
            continue
        block = _block(page, i, end) if page.free(i) else None
        if block is not None:
            page.roles[i] = block.kind
            blocks.append(block)
    return blocks


def has_lead(page: Page, start: int, end: int) -> bool:
    """Tell whether the first paragraph stands apart, a photo or label between it and the rest."""
    if page.kinds[start] is not Kind.PROSE:
        return False
    for i in range(start + 1, end + 1):
        if page.kinds[i] is Kind.PROSE and page.free(i):
            return False
        if page.kinds[i] in LABELS or page.roles.get(i) in ("caption", "credit"):
            return True
    return False
