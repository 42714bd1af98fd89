"""The `khabar` command: help lists every command, bad input exits 2 with one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

KHABAR = [sys.executable, "-m", "khabar"]


def run(args: list[str], tmp_path: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "KHABAR_DATA": str(tmp_path / "data")}
    return subprocess.run(
        [*KHABAR, *args], input=stdin, capture_output=True, env=env, timeout=120, check=False
    )


def test_help_lists_every_command_one_line_each(tmp_path: Path) -> None:
    result = run(["--help"], tmp_path)
    assert result.returncode == 0
    out = result.stdout.decode()
    lines = {line.split()[0]: line for line in out.splitlines() if line.startswith("  ")}
    for name in ["demo", "serve", "extract", "migrate", "createsuperuser"]:
        assert name in lines, name
        assert len(lines[name].split(None, 1)) == 2, f"{name} has no one-line help"


def test_extract_prints_fixed_json_keys(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(
        "الرئيسية\nسياسة\nاقتصاد\n\n"
        "انطلاق أعمال المؤتمر الإقليمي للطاقة المتجددة في مدينة العقبة بمشاركة واسعة\n\n"
        "افتتح المؤتمر الإقليمي للطاقة المتجددة أعماله صباح اليوم بمشاركة خبراء من عشرين دولة "
        "لمناقشة خطط التحول إلى مصادر الطاقة النظيفة خلال العقد المقبل.\n\n"
        "وقال رئيس اللجنة المنظمة في كلمة الافتتاح إن المؤتمر يسعى إلى وضع خريطة طريق واضحة "
        "لتمويل مشروعات الطاقة الشمسية وطاقة الرياح في المنطقة خلال السنوات الخمس المقبلة.\n\n"
        "وأضاف أن الدول المشاركة ستوقع في ختام الأعمال على إعلان مشترك يحدد الأهداف المرحلية "
        "ويضع آلية لمتابعة التنفيذ وتبادل الخبرات الفنية بين المؤسسات الوطنية المعنية.\n\n"
        "المصدر: وكالات\n",
        encoding="utf-8",
    )
    result = run(["extract", str(page)], tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    for key in [
        "title",
        "lead",
        "body",
        "subheadings",
        "image",
        "sources",
        "byline",
        "published",
        "language",
        "related_headlines",
    ]:
        assert key in data
    assert data["title"].startswith("انطلاق أعمال المؤتمر")
    assert data["language"] == "ar"
    assert data["sources"] == ["وكالات"]


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"", "empty"),
        (b"   \n\n  ", "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20, "binary"),
        ("سطر قصير\nوآخر".encode(), "no article"),
    ],
)
def test_extract_bad_input_exits_2_with_one_line(tmp_path: Path, content: bytes, why: str) -> None:
    page = tmp_path / "bad.txt"
    page.write_bytes(content)
    result = run(["extract", str(page)], tmp_path)
    assert result.returncode == 2, why
    err = result.stderr.decode().strip()
    assert len(err.splitlines()) == 1, err
    assert "Traceback" not in err
    assert result.stdout == b""


def test_extract_reads_standard_input(tmp_path: Path) -> None:
    result = run(["extract", "-"], tmp_path, stdin=b"")
    assert result.returncode == 2
    assert len(result.stderr.decode().strip().splitlines()) == 1


def test_extract_missing_file_exits_2(tmp_path: Path) -> None:
    result = run(["extract", str(tmp_path / "nope.txt")], tmp_path)
    assert result.returncode == 2
    assert "no such file" in result.stderr.decode()


def test_extract_refuses_private_addresses_with_one_line(tmp_path: Path) -> None:
    result = run(["extract", "http://10.0.0.1/news/1"], tmp_path)
    assert result.returncode == 2
    err = result.stderr.decode().strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
