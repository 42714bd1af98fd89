"""Counts of articles agree with the number, as Arabic grammar asks."""

from __future__ import annotations

import pytest
from django.utils import translation

from khabar.site.templatetags.khabar import comment_count, news_count


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "لا أخبار"),
        (1, "خبر واحد"),
        (2, "خبران"),
        (3, "3 أخبار"),
        (10, "10 أخبار"),
        (11, "11 خبرًا"),
        (22, "22 خبرًا"),
        (99, "99 خبرًا"),
        (100, "100 خبر"),
        (102, "102 خبر"),
        (103, "103 أخبار"),
        (111, "111 خبرًا"),
    ],
)
def test_arabic_plural_agreement(n: int, expected: str) -> None:
    with translation.override("ar"):
        assert news_count(n) == expected


def test_english_falls_back_to_english_plural() -> None:
    with translation.override("en"):
        assert news_count(1) == "1 article"
        assert news_count(22) == "22 articles"


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "لا تعليقات"),
        (1, "تعليق واحد"),
        (2, "تعليقان"),
        (7, "7 تعليقات"),
        (15, "15 تعليقًا"),
        (200, "200 تعليق"),
    ],
)
def test_comment_counts_agree_too(n: int, expected: str) -> None:
    with translation.override("ar"):
        assert comment_count(n) == expected
