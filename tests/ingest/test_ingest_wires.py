"""Wire items: a later version updates the article and keeps a revision; an older one is ignored."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from khabar.newsroom.export import iter_export
from khabar.newsroom.ingest import Ingestor
from khabar.newsroom.models import Article, ArticleRevision

pytestmark = pytest.mark.django_db
WIRES = Path(__file__).resolve().parents[1] / "fixtures" / "wires"


def copy(name: str, tmp_path: Path) -> str:
    target = tmp_path / name
    shutil.copy(WIRES / name, target)
    return str(target)


def test_later_version_updates_and_keeps_revision(tmp_path: Path) -> None:
    v1 = json.loads((WIRES / "ninjs_v1.json").read_text(encoding="utf-8"))
    v2 = json.loads((WIRES / "ninjs_v2.json").read_text(encoding="utf-8"))
    assert v1["uri"] == v2["uri"]
    first = Ingestor().run([copy("ninjs_v1.json", tmp_path)])
    assert first.new == 1
    article = Article.objects.get(source_id=v1["uri"])
    assert article.version == 1
    old_title = article.title

    second = Ingestor().run([copy("ninjs_v2.json", tmp_path)])
    assert second.updated == 1
    article.refresh_from_db()
    assert article.version == 2
    assert article.title == v2["headlines"][0]["value"]
    revision = ArticleRevision.objects.get(article=article)
    assert (revision.version, revision.title) == (1, old_title)

    again = Ingestor().run([copy("ninjs_v1.json", tmp_path)])
    assert (again.unchanged, again.updated) == (1, 0)
    article.refresh_from_db()
    assert article.version == 2
    assert Article.objects.count() == 1


@pytest.mark.parametrize("name", ["newsmlg2_item.xml", "nitf_item.xml", "ninjs_1x.json"])
def test_each_wire_format_is_stored_with_its_metadata(tmp_path: Path, name: str) -> None:
    summary = Ingestor().run([copy(name, tmp_path)])
    assert (summary.new, summary.failed) == (1, [])
    row = next(iter_export())
    assert row["title"] and row["body"]
    assert row["agencies"], "the wire's agency is recorded"
    assert row["source_id"] and not row["source_id"].startswith("sha256:")


def test_embargoed_item_is_published_no_earlier_than_its_embargo(tmp_path: Path) -> None:
    Ingestor().run([copy("ninjs_v1.json", tmp_path)])
    article = Article.objects.get()
    assert article.embargo_until is not None
    assert article.published_at >= article.embargo_until
