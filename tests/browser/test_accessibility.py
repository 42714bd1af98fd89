"""axe-core in Debian's chromium: no serious or critical violation on any page type, at phone and
desktop widths; and a keyboard user reaches the content through the skip link first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.urls import reverse

from khabar.newsroom.demo.loader import load_demo
from khabar.newsroom.models import Agency, Article, Author, Entity, LiveEvent, Section, Story
from khabar.site.people import agency_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}
# axe's own color-contrast rule passes over Arabic text: the width test it uses to skip icon
# ligatures (a word drawn as one glyph) also fires on joined Arabic letters, so nearly every
# Arabic text node is "inapplicable". This rule runs the same contrast check on any element
# with Arabic text of its own.
ARABIC_CONTRAST = """() => axe.configure({
  rules: [{
    id: "color-contrast-arabic",
    selector: "*",
    excludeHidden: true,
    tags: ["wcag2aa", "khabar"],
    metadata: {
      description: "Arabic text has enough colour contrast with its background",
      help: "Arabic text must have enough colour contrast",
    },
    matches: (node) => Array.from(node.childNodes).some(
      (child) => child.nodeType === 3 && /[\u0600-\u06ff]/.test(child.nodeValue)),
    any: ["color-contrast"],
  }],
})"""
WIDTHS = [390, 1366]


@pytest.fixture(scope="module")
def browser(browser):
    """The shared chromium, once axe-core is there to load into it."""
    if not AXE.exists():
        pytest.skip(f"{AXE.relative_to(REPO)} is absent: run `make install` (needs npm)")
    return browser


@pytest.fixture
def demo(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    load_demo()


def page_types() -> dict[str, str]:
    """One address for every page type of the reader site, from the demo content."""
    article = Article.objects.published().filter(hero__isnull=False).first()
    section = Section.objects.filter(articles__isnull=False).first()
    story = Story.objects.filter(articles__isnull=False).first()
    entity = Entity.objects.filter(articles__isnull=False).first()
    author = Author.objects.filter(articles__isnull=False).first()
    agency = Agency.objects.filter(articles__isnull=False).first()
    live = LiveEvent.objects.first()
    assert article and section and story and entity and author and agency and live
    word = story.title.split()[0]
    return {
        "home": "/",
        "section": section.get_absolute_url(),
        "story": story.get_absolute_url(),
        "tag": reverse("site:tag", args=[entity.kind, entity.slug]),
        "article": article.get_absolute_url(),
        "search": f"/search/?q={word}",
        "author": author.get_absolute_url(),
        "agency": agency_url(agency),
        "videos": reverse("site:videos"),
        "live index": reverse("site:live-index"),
        "live": live.get_absolute_url(),
        "404": "/no-such-page/",
    }


def axe_violations(page) -> list[dict]:
    """Run axe-core on the open page and return its serious and critical violations."""
    page.add_script_tag(path=str(AXE))
    page.evaluate(ARABIC_CONTRAST)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def describe(violations: list[dict]) -> str:
    """The violations as lines a developer can act on: rule, impact, help and the elements."""
    lines = []
    for v in violations:
        targets = [json.dumps(node["target"], ensure_ascii=False) for node in v["nodes"][:5]]
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} -> {', '.join(targets)}")
    return "\n".join(lines)


@pytest.mark.parametrize("width", WIDTHS)
def test_no_serious_accessibility_violation_on_any_page_type(
    live_server, browser, demo: None, width: int
) -> None:
    found: dict[str, str] = {}
    page = browser.new_page(viewport={"width": width, "height": 900}, locale="ar")
    for name, url in page_types().items():
        response = page.goto(live_server.url + url)
        assert response is not None
        assert response.status == (404 if name == "404" else 200), url
        # Not "networkidle": the live page keeps its event stream open. Fonts change contrast
        # and layout, so axe waits for them.
        page.evaluate("async () => { await document.fonts.ready; }")
        violations = axe_violations(page)
        if violations:
            found[f"{name} {url}"] = describe(violations)
    page.close()
    assert found == {}, "\n\n".join(f"{where}:\n{what}" for where, what in found.items())


@pytest.mark.parametrize("width", WIDTHS)
def test_tab_reaches_the_skip_link_first_and_it_moves_focus_to_main(
    live_server, browser, demo: None, width: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900}, locale="ar")
    article = Article.objects.published().first()
    assert article is not None
    for url in ["/", article.get_absolute_url()]:
        page.goto(live_server.url + url)
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => [document.activeElement.className, document.activeElement.textContent.trim()]"
        )
        assert focused == ["skip", "تخطَّ إلى المحتوى"], url
        # Shown while focused: inside the viewport, not pushed off screen.
        box = page.locator("a.skip").bounding_box()
        assert box is not None and box["y"] >= 0 and 0 <= box["x"] <= width - box["width"], url
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "main", url
        # The next Tab lands inside main, past the header's links.
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.closest('main') !== null"), url
    page.close()


def test_axe_reports_what_it_should(browser) -> None:
    # Guards the check itself: a page with known faults must fail it, so a pass means something.
    page = browser.new_page()
    page.set_content(
        '<html><body><img src="x.png"><a href="/x"></a>'
        '<p style="color:#ccc;background:#fff">faint text</p>'
        '<p style="color:#ccc;background:#fff">نص باهت</p>'
        '<p style="color:#222;background:#fff">نص واضح</p></body></html>'
    )
    violations = axe_violations(page)
    page.close()
    rules = {v["id"] for v in violations}
    assert {"image-alt", "link-name", "color-contrast", "html-has-lang"} <= rules
    arabic = [v for v in violations if v["id"] == "color-contrast-arabic"]
    # Only the faint Arabic paragraph, not the dark one.
    assert [node["target"] for v in arabic for node in v["nodes"]] == [["p:nth-child(4)"]]
