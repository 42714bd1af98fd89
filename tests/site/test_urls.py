"""page_url() writes exactly what reverse() writes: reverse() stays the source of truth."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from khabar.newsroom.models import Article, Author, Section, Story, page_url

SLUGS = [
    "الجامعة-العربية-والاتحاد-الأفريقي",
    "plain-ascii",
    "مع مسافة",
    "percent%20and?query#frag",
    "quote'and\"double&amp;<tag>",
    "sub-delims!$&'()*+,;=~:@",
    "ü-é-ß",
    "١٢٣-أرقام",
    "9173528460",  # the marker page_url reverses with: still an ordinary slug
]


@pytest.mark.parametrize("slug", SLUGS)
def test_page_url_matches_reverse(slug: str) -> None:
    for name, args in [
        ("site:article", (19307, slug)),
        ("site:section", (slug,)),
        ("site:story", (slug,)),
        ("site:author", (slug,)),
        ("site:agency", (slug,)),
        ("site:tag", ("person", slug)),
        ("site:live", (slug,)),
    ]:
        assert page_url(name, *args) == reverse(name, args=args), (name, args)


def test_page_url_without_arguments_matches_reverse() -> None:
    for name in ["site:home", "site:feed-rss", "site:live-index", "sitemap-index", "site:search"]:
        assert page_url(name) == reverse(name)


def test_page_url_follows_the_script_prefix() -> None:
    try:
        set_script_prefix("/news/")
        assert page_url("site:story", "قصة") == reverse("site:story", args=["قصة"])
        assert page_url("site:story", "قصة").startswith("/news/story/")
    finally:
        set_script_prefix("/")
    assert page_url("site:story", "قصة").startswith("/story/")


def test_what_reverse_refuses_page_url_refuses() -> None:
    refused = [("site:story", ("",)), ("site:story", ("a/b",)), ("site:article", (None, "x"))]
    for name, args in refused:
        with pytest.raises(NoReverseMatch):
            reverse(name, args=args)
        with pytest.raises(NoReverseMatch):
            page_url(name, *args)
    with pytest.raises(NoReverseMatch):
        page_url("site:no-such-page")


def test_models_link_with_page_url() -> None:
    slug = "قمة-المياه"
    assert Article(pk=7, slug=slug).get_absolute_url() == reverse("site:article", args=[7, slug])
    assert Section(slug=slug).get_absolute_url() == reverse("site:section", args=[slug])
    assert Story(slug=slug).get_absolute_url() == reverse("site:story", args=[slug])
    assert Author(slug=slug).get_absolute_url() == reverse("site:author", args=[slug])
