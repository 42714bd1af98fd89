"""The comments area under an article: approved comments only, oldest first, as plain text."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import html as lxml_html

from khabar.newsroom.models import Article, Comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def article() -> Article:
    return Article.objects.create(
        title="خبر للتعليق", status=Article.Status.PUBLISHED, published_at=timezone.now()
    )


def comment(article: Article, name: str, body: str, status: str, minutes_ago: int) -> Comment:
    when = timezone.now() - timedelta(minutes=minutes_ago)
    return Comment.objects.create(
        article=article, name=name, body=body, status=status, created_at=when
    )


def comments_area(client: Client, article: Article) -> lxml_html.HtmlElement:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    (area,) = lxml_html.fromstring(response.content.decode()).cssselect("section#comments")
    return area


def test_only_approved_comments_show_oldest_first_with_count(
    client: Client, article: Article
) -> None:
    comment(article, "الثاني", "تعليق أحدث", "approved", 5)
    comment(article, "الأول", "تعليق أقدم", "approved", 90)
    comment(article, "منتظر", "لم يُراجع", "pending", 1)
    comment(article, "مرفوض", "رُفض", "rejected", 2)
    area = comments_area(client, article)
    heading = " ".join(area.cssselect("h2")[0].text_content().split())
    assert heading == "التعليقات تعليقان"
    names = [e.text_content() for e in area.cssselect(".comment-name")]
    assert names == ["الأول", "الثاني"]
    times = [e.text_content() for e in area.cssselect(".comment time")]
    assert times == ["منذ ساعة", "منذ 5 دقائق"]
    text = area.text_content()
    assert "لم يُراجع" not in text and "رُفض" not in text
    assert "تُراجع هيئة التحرير التعليقات قبل نشرها" in text


def test_comment_body_is_text_with_line_breaks_never_html(client: Client, article: Article) -> None:
    comment(
        article,
        "<b>اسم</b>",
        'سطر أول\n<script>alert("x")</script>\nسطر <i>ثالث</i>',
        "approved",
        3,
    )
    area = comments_area(client, article)
    (body,) = area.cssselect(".comment-body")
    assert [child.tag for child in body] == ["br", "br"]
    assert body.text_content() == 'سطر أول<script>alert("x")</script>سطر <i>ثالث</i>'
    assert not area.cssselect("script, b, i")
    assert area.cssselect(".comment-name")[0].text_content() == "<b>اسم</b>"


def test_no_comments_yet(client: Client, article: Article) -> None:
    comment(article, "منتظر", "بانتظار المراجعة", "pending", 1)
    area = comments_area(client, article)
    assert " ".join(area.cssselect("h2")[0].text_content().split()) == "التعليقات"
    assert area.cssselect(".empty")
    assert not area.cssselect(".comment")


def test_comment_list_is_one_query_whatever_its_length(
    client: Client, article: Article, settings
) -> None:
    # A session cookie keeps the page cache out of the way: every request renders the page.
    client.cookies[settings.SESSION_COOKIE_NAME] = "reader"
    comment(article, "واحد", "أول تعليق", "approved", 50)
    client.get(article.get_absolute_url())  # the first request of a process loads a few things once
    with CaptureQueriesContext(connection) as one:
        client.get(article.get_absolute_url())
    for i in range(15):
        comment(article, f"قارئ {i}", f"تعليق رقم {i}", "approved", 40 - i)
    client.get(article.get_absolute_url())  # approving comments starts a new generation
    with CaptureQueriesContext(connection) as many:
        response = client.get(article.get_absolute_url())
    assert response.content.decode().count('class="comment"') == 16
    assert len(many) == len(one)
    comment_queries = [q for q in many.captured_queries if "newsroom_comment" in q["sql"]]
    assert len(comment_queries) == 1


def test_admin_approves_and_rejects_in_bulk(client: Client, article: Article) -> None:
    first = comment(article, "أ", "نص", "pending", 3)
    second = comment(article, "ب", "نص", "pending", 2)
    admin = User.objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(admin)
    url = "/admin/newsroom/comment/"
    listing = client.get(url, {"status__exact": "pending"})
    assert listing.status_code == 200
    assert "نشر التعليقات المحددة" in listing.content.decode()
    client.post(url, {"action": "approve", "_selected_action": [first.pk]})
    client.post(url, {"action": "reject", "_selected_action": [second.pk]})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("approved", "rejected")
    assert client.get(f"/admin/newsroom/article/{article.pk}/change/").status_code == 200
