"""Read the site's chrome around the article: menus, the stories strip, the lists after it."""

from __future__ import annotations

from khabar.extract import vocab
from khabar.extract.classify import MENU_SPLIT, Kind, is_navigation
from khabar.extract.page import Page
from khabar.extract.record import SiteChrome

# Menu lines longer than this are a headline or a ticker, not a menu entry.
MAX_MENU_WORDS = 6
# A headline listed after the article has at least this many words.
MIN_HEADLINE_WORDS = 4


def _menu_items(text: str) -> list[str]:
    return [part.strip() for part in MENU_SPLIT.split(text) if part.strip()]


def _bullet_runs(page: Page, idx: list[int]) -> list[list[int]]:
    """Group the bullets of `idx` into lists, a line repeating a bullet staying in its list."""
    runs: list[list[int]] = []
    in_run = False
    for i in idx:
        member = page.lines[i].bullet or (in_run and page.repeats_bullet(i))
        if member and in_run:
            runs[-1].append(i)
        elif member:
            runs.append([i])
        in_run = member
    return runs


def _is_menu(page: Page, run: list[int]) -> bool:
    items = [page.lines[i] for i in run if page.lines[i].bullet]
    return sum(1 for ln in items if is_navigation(ln)) * 2 > len(items)


def _strip_start(page: Page, idx: list[int]) -> tuple[int | None, int | None]:
    """Return the positions in `idx` of the stories count and of the strip's first item."""
    for pos, i in enumerate(idx):
        if page.kinds[i] is Kind.COUNT:
            return pos, pos + 1
    for run in _bullet_runs(page, idx):
        if not _is_menu(page, run):
            return None, idx.index(run[0])
    return None, None


def _strip_items(page: Page, idx: list[int], first: int) -> tuple[list[str], int]:
    """Return the strip's headlines from position `first`, deduplicated, and where it ends."""
    seen: dict[str, str] = {}
    bullets = any(page.lines[i].bullet for i in idx[first:])
    pos = first
    while pos < len(idx):
        line = page.lines[idx[pos]]
        if bullets and not line.bullet and line.folded not in seen:
            break
        seen.setdefault(line.folded, line.text)
        pos += 1
    return list(seen.values()), pos


def read_head(page: Page, end: int) -> SiteChrome:
    """Read the chrome above the article: menu lines, stories heading, count and strip."""
    kinds = (Kind.TEXT, Kind.COUNT, Kind.RELATED)  # a "most read" heading up top heads the strip
    idx = [i for i in range(end) if page.free(i) and page.kinds[i] in kinds]
    chrome = SiteChrome()
    count_pos, first = _strip_start(page, idx)
    menu_until = len(idx) if first is None else first
    after = len(idx)
    if count_pos is not None:
        count_line = page.lines[idx[count_pos]]
        chrome.story_count_text = count_line.text
        chrome.story_count = int(count_line.folded.split()[0])
        menu_until = count_pos
    if first is not None:
        chrome.story_strip, after = _strip_items(page, idx, first)
        heading_pos = menu_until - 1
        if heading_pos >= 0 and not page.lines[idx[heading_pos]].bullet:
            chrome.stories_heading = page.lines[idx[heading_pos]].text
            menu_until = heading_pos
    menu = [idx[p] for p in range(menu_until)] + idx[after:]
    for i in menu:
        if page.lines[i].words <= MAX_MENU_WORDS or is_navigation(page.lines[i]):
            chrome.navigation.extend(_menu_items(page.lines[i].text))
    for i in idx:
        page.roles.setdefault(i, "chrome")
    return chrome


def _headline(page: Page, index: int, min_words: int) -> str | None:
    line, kind = page.lines[index], page.kinds[index]
    if kind is not Kind.TEXT or line.words < min_words or line.text.endswith("."):
        return None
    if is_navigation(line):
        return None
    return line.text


def read_tail(page: Page, after: int) -> None:
    """Collect the headlines listed after the article into `page.related`, up to the footer."""
    mode: Kind | None = None
    for i in range(after, len(page)):
        kind = page.kinds[i]
        if kind is Kind.FOOTER:
            return
        if kind in (Kind.RELATED, Kind.COMMENTS, Kind.TAGS):
            mode = kind
            continue
        if not page.free(i) or mode is Kind.TAGS:
            continue
        min_words = MIN_HEADLINE_WORDS - 1 if mode is Kind.RELATED else MIN_HEADLINE_WORDS
        text = _headline(page, i, min_words)
        if text is not None:
            page.related[i] = text
            page.roles[i] = "related"


def related_headlines(page: Page) -> list[str]:
    """Return the related headlines found on the page, in order, each once."""
    seen: dict[str, str] = {}
    for i in sorted(page.related):
        seen.setdefault(vocab.fold(page.related[i]), page.related[i])
    return list(seen.values())
