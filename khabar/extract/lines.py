"""A text page as a list of lines: cleaned, unwrapped, with bullets and indents noted."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from khabar.extract.vocab import fold

_BULLET = re.compile(r"^(?:[•·▪◦●○■□►▶➤‣⁃∙◆◇]|[-*–+](?=\s))\s*")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_LINK_REF = re.compile(r"\[\d+\]")
# A sentence ends with one period (not the headline ".."), "!" or "؟", maybe inside quotes.
_SENTENCE_END = re.compile(r"(?<!\.)[.!?؟…](?:[\"'»”’)\]]*)$")
MENU_SPLIT = re.compile(r"\s+[|•·]\s+|\s*\|\s*")
_INNER_BREAK = re.compile(r"(?<!\.)\.(?!\.)[\"'»”’)]*\s+\S")

# Below this, a wrapped line is taken as the end of its paragraph.
_WRAP_SLACK = 20


@dataclass(frozen=True)
class Line:
    """One non-blank line of a text page."""

    text: str
    folded: str
    words: int
    bullet: bool = False
    indent: int = 0
    heading: bool = False
    gap_before: bool = False

    @cached_property
    def ends_sentence(self) -> bool:
        """Tell whether the line ends like a sentence (one period, "!" or "؟")."""
        return bool(_SENTENCE_END.search(self.text))

    @cached_property
    def is_prose(self) -> bool:
        """Tell whether the line reads as an article paragraph rather than a headline or label.

        Read once per line: most of the label readers (`khabar.extract.meta`) ask it.
        """
        if (self.bullet and self.words < 20) or is_menu_row(self.text):
            return False
        if self.words >= 20:
            return True
        if self.words >= 8 and self.text.rstrip("\"'»”’)").endswith("."):
            return not self.text.rstrip("\"'»”’)").endswith("..")
        return self.words >= 12 and bool(_INNER_BREAK.search(self.text))


def is_menu_row(text: str) -> bool:
    """Tell whether a line is a whole menu on one line: "الرئيسية | سياسة | اقتصاد"."""
    items = [item for item in MENU_SPLIT.split(text) if item.strip()]
    return len(items) >= 3 and all(len(item.split()) <= 4 for item in items)


def make_line(raw: str, *, gap_before: bool = False) -> Line | None:
    """Return the cleaned Line for one raw line, or None when nothing is left of it."""
    expanded = raw.expandtabs(4).replace("\ufeff", "")
    indent = len(expanded) - len(expanded.lstrip())
    text = (_LINK_REF.sub("", expanded) if "[" in expanded else expanded).strip()
    # Both marks are anchored at the start: each is cut where it matched, if it did.
    heading = _MD_HEADING.match(text)
    text = text[heading.end() :] if heading else text
    bullet = _BULLET.match(text)
    text = (text[bullet.end() :] if bullet else text).strip()
    if not text:
        return None
    return Line(
        text=text,
        folded=fold(text),
        words=len(text.split()),
        bullet=bullet is not None,
        indent=indent,
        heading=heading is not None,
        gap_before=gap_before,
    )


def _wrap_width(raws: list[str]) -> int | None:
    """Return the column a hard-wrapped dump was wrapped at, or None when it is not wrapped."""
    lengths = [len(r.strip()) for r in raws if r.strip()]
    if len(lengths) < 8:
        return None
    width = max(lengths)
    if not 40 <= width <= 100:
        return None
    near = sum(1 for n in lengths if n >= width - 12)
    return width if near >= 0.3 * len(lengths) else None


def _unwrap(raws: list[str], width: int) -> list[str]:
    """Join the lines of a hard-wrapped dump back into paragraphs."""
    out: list[str] = []
    joinable = False
    for raw in raws:
        stripped = raw.strip()
        continues = joinable and stripped and not _BULLET.match(stripped)
        if continues:
            out[-1] = f"{out[-1].rstrip()} {stripped}"
        else:
            out.append(raw)
        joinable = bool(stripped) and len(stripped) >= width - _WRAP_SLACK
        if continues:
            joinable = len(stripped) >= width - _WRAP_SLACK
    return out


def split_lines(text: str) -> list[Line]:
    """Split a text page into its non-blank lines, unwrapping a hard-wrapped dump first."""
    raws = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    width = _wrap_width(raws)
    if width is not None:
        raws = _unwrap(raws, width)
    lines: list[Line] = []
    gap = False
    for raw in raws:
        line = make_line(raw, gap_before=gap)
        gap = line is None
        if line is not None:
            lines.append(line)
    return lines
