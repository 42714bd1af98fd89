"""A wire item canceled by its agency takes the stored article off the site and out of search."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from khabar.newsroom import search_index
from khabar.newsroom.ingest import Ingestor
from khabar.newsroom.models import Article, IngestLog

pytestmark = pytest.mark.django_db
WIRES = Path(__file__).resolve().parents[1] / "fixtures" / "wires"
NEWSML = (WIRES / "newsmlg2_item.xml").read_text(encoding="utf-8")


def newsml(tmp_path: Path, name: str, *, status: str, version: int) -> str:
    """The NewsML-G2 fixture with another pubStatus and version."""
    text = NEWSML.replace('<pubStatus qcode="stat:usable"/>', f'<pubStatus qcode="{status}"/>')
    text = text.replace('version="2"', f'version="{version}"', 1)
    assert f'qcode="{status}"' in text and f'version="{version}"' in text
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def ninjs(tmp_path: Path, name: str, **changes: object) -> str:
    """The NINJS v1 fixture with some fields changed."""
    item = json.loads((WIRES / "ninjs_v1.json").read_text(encoding="utf-8"))
    item.update(changes)
    path = tmp_path / name
    path.write_text(json.dumps(item, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_newsml_canceled_item_archives_the_article_and_leaves_search(tmp_path: Path) -> None:
    assert Ingestor().run([newsml(tmp_path, "v2.xml", status="stat:usable", version=2)]).new == 1
    article = Article.objects.get()
    assert article.status == Article.Status.PUBLISHED
    assert article.pk in search_index.indexed_ids()

    summary = Ingestor().run([newsml(tmp_path, "v3.xml", status="stat:canceled", version=3)])

    assert (summary.updated, summary.new, summary.failed) == (1, 0, [])
    article.refresh_from_db()
    assert article.status == Article.Status.ARCHIVED
    assert article.version == 3
    assert article.pk not in search_index.indexed_ids()
    line = IngestLog.objects.filter(article=article).latest("pk")
    assert line.outcome == "updated"
    assert "withdrawn" in line.message and "canceled" in line.message
    assert Article.objects.count() == 1


def test_ninjs_withdrawn_and_canceled_statuses_archive(tmp_path: Path) -> None:
    Ingestor().run([ninjs(tmp_path, "v1.json")])
    article = Article.objects.get()
    summary = Ingestor().run([ninjs(tmp_path, "v2.json", version="2", pubstatus="withdrawn")])
    assert summary.updated == 1
    article.refresh_from_db()
    assert article.status == Article.Status.ARCHIVED
    assert "withdrawn" in IngestLog.objects.latest("pk").message

    # Canceled again: nothing left to do, and the archived article is not brought back.
    again = Ingestor().run([ninjs(tmp_path, "v3.json", version="3", pubstatus="canceled")])
    assert (again.unchanged, again.updated) == (1, 0)
    article.refresh_from_db()
    assert article.status == Article.Status.ARCHIVED


def test_usable_item_is_not_withdrawn(tmp_path: Path) -> None:
    Ingestor().run([ninjs(tmp_path, "v1.json")])
    Ingestor().run([ninjs(tmp_path, "v2.json", version="2", pubstatus="usable")])
    assert Article.objects.get().status == Article.Status.PUBLISHED


def test_canceled_item_never_stored_is_not_stored(tmp_path: Path) -> None:
    summary = Ingestor().run([newsml(tmp_path, "c.xml", status="stat:canceled", version=2)])
    assert (summary.new, summary.unchanged, summary.failed) == (0, 1, [])
    assert not Article.objects.exists()
    assert "not stored" in IngestLog.objects.get().message


def test_nitf_canceled_item_archives_the_article_and_leaves_search() -> None:
    assert Ingestor().run([str(WIRES / "status" / "nitf_usable.xml")]).new == 1
    article = Article.objects.get()
    assert article.status == Article.Status.PUBLISHED
    assert article.pk in search_index.indexed_ids()

    summary = Ingestor().run([str(WIRES / "status" / "nitf_canceled.xml")])

    assert (summary.updated, summary.new, summary.failed) == (1, 0, [])
    article.refresh_from_db()
    assert (article.status, article.version) == (Article.Status.ARCHIVED, 2)
    assert article.title.startswith("تشغيل أول محطة"), "the text is kept for the record"
    assert article.pk not in search_index.indexed_ids()
    line = IngestLog.objects.filter(article=article).latest("pk")
    assert line.outcome == "updated" and "withdrawn" in line.message
    assert Article.objects.count() == 1


def test_nitf_canceled_item_never_stored_is_not_stored() -> None:
    summary = Ingestor().run([str(WIRES / "status" / "nitf_canceled_unseen.xml")])
    assert (summary.new, summary.unchanged, summary.failed) == (0, 1, [])
    assert not Article.objects.exists()
    assert "not stored" in IngestLog.objects.get().message


def nitf_notice(tmp_path: Path, name: str, *, status: str, text: bool = True) -> str:
    """A new NITF document that replaces the usable fixture's: its own id, and the earlier
    document named in management-doc-idref with the status it gets now."""
    data = (WIRES / "status" / "nitf_usable.xml").read_text(encoding="utf-8")
    data = data.replace(
        '<docdata management-status="usable">',
        '<docdata management-status="usable" management-doc-idref="SAHEL-AR-20250214-0107" '
        f'management-idref-status="{status}">',
    )
    data = data.replace('id-string="SAHEL-AR-20250214-0107"', 'id-string="SAHEL-AR-20250214-0300"')
    data = data.replace("نصف سكان المدينة", "ثلث سكان المدينة")  # the corrected text
    if not text:
        start, end = data.index("<body>"), data.index("</body>") + len("</body>")
        data = data[:start] + "<body/>" + data[end:]
        data = data.replace("<title>تشغيل محطة تحلية مياه البحر في نواذيبو</title>", "")
    assert "management-doc-idref" in data and 'id-string="SAHEL-AR-20250214-0300"' in data
    path = tmp_path / name
    path.write_text(data, encoding="utf-8")
    return str(path)


def test_nitf_replacement_cancels_the_document_it_names(tmp_path: Path) -> None:
    Ingestor().run([str(WIRES / "status" / "nitf_usable.xml")])
    first = Article.objects.get()

    summary = Ingestor().run([nitf_notice(tmp_path, "fix.xml", status="canceled")])

    assert (summary.updated, summary.new, summary.failed) == (1, 1, [])
    first.refresh_from_db()
    assert first.status == Article.Status.ARCHIVED
    assert first.pk not in search_index.indexed_ids()
    fixed = Article.objects.get(source_id="SAHEL-AR-20250214-0300")
    assert fixed.status == Article.Status.PUBLISHED and fixed.duplicate_of is None
    assert fixed.pk in search_index.indexed_ids()


def test_nitf_kill_notice_without_text_only_withdraws(tmp_path: Path) -> None:
    Ingestor().run([str(WIRES / "status" / "nitf_usable.xml")])
    summary = Ingestor().run([nitf_notice(tmp_path, "kill.xml", status="canceled", text=False)])
    assert (summary.updated, summary.new, summary.failed) == (1, 0, [])
    assert list(Article.objects.values_list("status", flat=True)) == [Article.Status.ARCHIVED]


def test_nitf_withheld_notice_for_a_document_never_stored_stores_nothing(tmp_path: Path) -> None:
    summary = Ingestor().run([nitf_notice(tmp_path, "hold.xml", status="withheld", text=False)])
    assert (summary.unchanged, summary.new, summary.failed) == (1, 0, [])
    assert not Article.objects.exists()
    assert "withheld before it was stored" in IngestLog.objects.get().message
