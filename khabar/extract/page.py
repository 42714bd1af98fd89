"""A text page read into classified lines, and the run of paragraphs that is its article."""

from __future__ import annotations

from dataclasses import dataclass, field

from khabar.errors import EmptyInputError, NoArticleError
from khabar.extract.classify import STOPS, Kind, classify, read_also_rest
from khabar.extract.lines import Line, split_lines

# The article must hold at least this many words of running text.
MIN_ARTICLE_WORDS = 15


@dataclass
class Page:
    """The lines of a page, what each one is, and the role each has been given so far."""

    lines: list[Line]
    kinds: list[Kind]
    roles: dict[int, str] = field(default_factory=dict)
    # Headlines of other stories, by the index of the line that names them.
    related: dict[int, str] = field(default_factory=dict)
    # Where each bullet text first appears, to know a list dump's repeated lines.
    first_bullet: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for i, line in enumerate(self.lines):
            if line.bullet:
                self.first_bullet.setdefault(line.folded, i)

    def __len__(self) -> int:
        return len(self.lines)

    def free(self, index: int) -> bool:
        """Tell whether the line at `index` has not been given a role yet."""
        return index not in self.roles

    def find(self, kind: Kind, lo: int = 0, hi: int | None = None) -> int | None:
        """Return the index of the first line of `kind` in [lo, hi), or None."""
        for i in range(lo, len(self) if hi is None else hi):
            if self.kinds[i] is kind:
                return i
        return None

    def repeats_bullet(self, index: int) -> bool:
        """Tell whether the line repeats the text of a bullet above it, as list dumps do."""
        return self.first_bullet.get(self.lines[index].folded, index) < index


def read_page(text: str) -> Page:
    """Split and classify a text page, and set apart the "read also" blocks in it."""
    lines = split_lines(text)
    if not lines:
        raise EmptyInputError(
            "The text is empty or only whitespace: pass the saved page's text, not an empty file."
        )
    page = Page(lines, [classify(line) for line in lines])
    _mark_read_also(page)
    return page


def _mark_read_also(page: Page) -> None:
    """Mark each "read also" line, and the headlines listed under a bare one, as READ_ALSO."""
    i = 0
    while i < len(page):
        if page.kinds[i] is not Kind.READ_ALSO:
            i += 1
            continue
        rest = read_also_rest(page.lines[i])
        page.roles[i] = "read_also"
        i += 1
        if rest:
            page.related[i - 1] = rest
            continue
        while i < len(page) and _listed(page, i):
            page.kinds[i] = Kind.READ_ALSO
            page.roles[i] = "read_also"
            page.related[i] = page.lines[i].text
            i += 1


def _listed(page: Page, index: int) -> bool:
    """Tell whether a line under a "read also" heading is one of its headlines."""
    line, kind = page.lines[index], page.kinds[index]
    if kind is not Kind.TEXT and not (kind is Kind.PROSE and line.bullet):
        return False
    return line.bullet or page.repeats_bullet(index) or line.words >= 4


def _weight(line: Line, kind: Kind) -> int:
    """Score a line for the densest-run search: paragraphs gain, headlines and lists lose."""
    if kind is Kind.PROSE:
        return min(line.words, 80)
    if kind in (Kind.SHARE, Kind.AD, Kind.READ_ALSO):
        return 0
    if kind is Kind.TEXT and not line.bullet:
        return 0 if line.words >= 10 else -2
    return -3 if line.bullet else -1


def article_run(page: Page) -> tuple[int, int]:
    """Return the first and last index of the densest run of paragraphs: the article."""
    best, span = 0, (0, -1)
    current, begin = 0, 0
    for i, (line, kind) in enumerate(zip(page.lines, page.kinds, strict=True)):
        if kind in STOPS:
            current = 0
            continue
        weight = _weight(line, kind)
        if current <= 0:
            current, begin = weight, i
        else:
            current += weight
        if current > best:
            best, span = current, (begin, i)
    if best < MIN_ARTICLE_WORDS:
        raise NoArticleError(
            f"No article found: no run of paragraphs reaches {MIN_ARTICLE_WORDS} words. "
            "If this is a section or index page, extract the linked articles instead; "
            "if it is an article, check that its paragraphs are on lines of their own."
        )
    return span
