"""The demo's live coverage: one event on air with a live blog and, when ffmpeg is there, a stream.

Running it again updates the event and its entries in place: nothing is duplicated.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from khabar.newsroom.models import LiveEntry, LiveEvent, Story

SLUG = "water-summit-closing-live"
STORY = "regional-water-summit"
STREAM_DIR = Path("live") / "demo"
# Bumped when the ffmpeg recipe changes, so a cached stream of the old recipe is not reused.
STREAM_VERSION = "v1"

EVENT = {
    "title": "مباشر: الجلسة الختامية لقمة المياه الإقليمية في عمّان",
    "description": (
        "نتابع لحظة بلحظة الجلسة الختامية للقمة، من كلمات الوفود إلى التصويت على البيان "
        "الختامي وآلية الإدارة المشتركة للأحواض المائية العابرة للحدود."
    ),
}

# (minutes before now, pinned, title, body, author). Written for this project, fictional.
ENTRIES: list[tuple[int, bool, str, str, str]] = [
    (
        95,
        True,
        "ما الذي يُنتظر من الجلسة الختامية؟",
        "تصوّت الوفود العشرة اليوم على مسودة بيان من اثنتي عشرة فقرة، أبرزها إنشاء هيئة فنية "
        "دائمة لتبادل بيانات الأمطار والمخزون الجوفي كل ثلاثة أشهر. نحدّث هذه الصفحة كلما "
        "جدّ جديد.",
        "فريق التغطية",
    ),
    (
        88,
        False,
        "افتتاح الجلسة",
        "افتُتحت الجلسة بعد تأخير دام نحو عشرين دقيقة بسبب مشاورات جانبية بين وفدين حول صياغة "
        "الفقرة السابعة المتعلقة بحصص التخزين في مواسم الجفاف.",
        "سلمى الحوراني",
    ),
    (
        74,
        False,
        "كلمة رئاسة القمة",
        "قال رئيس الجلسة إن «المياه لا تعترف بالحدود، ولذلك يجب ألا تتوقف البيانات عندها»، "
        "داعيًا الوفود إلى تجاوز الخلافات اللغوية في النص والتركيز على آلية التنفيذ.",
        "سلمى الحوراني",
    ),
    (
        61,
        False,
        "أرقام من التقرير الفني",
        "يعرض التقرير الفني المرفق بالبيان أن نصيب الفرد من المياه المتجددة في ست من الدول "
        "المشاركة يقل عن 500 متر مكعب سنويًا، وهو ما يضعها تحت خط الشح المائي الحاد.",
        "مكتب البيانات",
    ),
    (
        47,
        False,
        "تحفّظ على بند التمويل",
        "أعلن أحد الوفود تحفّظه على بند تمويل الهيئة الفنية من مساهمات متساوية، مقترحًا ربط "
        "المساهمة بحجم الاستهلاك الزراعي لكل دولة. رُفعت الجلسة ربع ساعة للتشاور.",
        "كريم بن عاشور",
    ),
    (
        33,
        False,
        "استئناف الجلسة بصيغة معدّلة",
        "استؤنفت الجلسة بصيغة وسطية: مساهمة أساسية متساوية، تضاف إليها حصة متغيرة تُراجع كل "
        "عامين. وصف مندوب منظمة دولية مراقبة الصيغة بأنها «عملية وقابلة للتطبيق».",
        "كريم بن عاشور",
    ),
    (
        18,
        False,
        "بدء التصويت على البيان الختامي",
        "بدأ التصويت فقرة فقرة. أُقرّت الفقرات الست الأولى بالإجماع، ويجري الآن النقاش حول "
        "الفقرة السابعة الخاصة بمواسم الجفاف.",
        "سلمى الحوراني",
    ),
    (
        6,
        False,
        "إقرار البيان الختامي",
        "أُقرّ البيان الختامي بكامل فقراته، مع تسجيل تحفّظ واحد على آلية التمويل في محضر "
        "الجلسة. يُنتظر مؤتمر صحفي مشترك خلال نصف ساعة.",
        "فريق التغطية",
    ),
]


def _say(line: str) -> None:
    print(line, file=sys.stderr)


def _ffmpeg_args(ffmpeg: str, folder: Path) -> list[str]:
    """Eight seconds of test picture and tone, as four 2-second H.264/AAC segments."""
    return [
        ffmpeg,
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
        "testsrc=size=640x360:rate=25",
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:sample_rate=44100",
        "-t",
        "8",
        "-c:v",
        "libx264",
        "-profile:v",
        "baseline",
        "-pix_fmt",
        "yuv420p",
        "-g",
        "50",  # a keyframe every 2 s at 25 fps, so each segment starts on one
        "-keyint_min",
        "50",
        "-sc_threshold",
        "0",
        "-b:v",
        "400k",
        "-c:a",
        "aac",
        "-b:a",
        "64k",
        "-f",
        "hls",
        "-hls_time",
        "2",
        "-hls_list_size",
        "0",
        "-hls_playlist_type",
        "vod",
        "-hls_segment_filename",
        str(folder / "segment%03d.ts"),
        str(folder / "index.m3u8"),
    ]


def _cached_stream(ffmpeg: str) -> Path:
    """The test stream, made once per data folder; demo loads (and tests) copy it."""
    cache = Path(settings.DATA_DIR) / "cache" / f"live-demo-{STREAM_VERSION}"
    if (cache / "index.m3u8").exists():
        return cache
    cache.parent.mkdir(parents=True, exist_ok=True)
    # Made in a temporary folder and renamed, so a half-written stream is never used.
    work = Path(tempfile.mkdtemp(prefix="live-demo-", dir=cache.parent))
    try:
        subprocess.run(_ffmpeg_args(ffmpeg, work), check=True, timeout=120, capture_output=True)
        try:
            work.rename(cache)
        except OSError:
            if not (cache / "index.m3u8").exists():
                raise  # nobody else made it meanwhile: a real failure
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return cache


def demo_stream(say: Callable[[str], None] = _say) -> str:
    """The demo's HLS address under MEDIA_URL, or "" (saying why) when ffmpeg is missing."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        say(
            "demo: ffmpeg is not installed, so the live page shows its player without a "
            "stream; install ffmpeg (apt-get install ffmpeg) and run `khabar demo` again"
        )
        return ""
    target = Path(settings.MEDIA_ROOT) / STREAM_DIR
    if not (target / "index.m3u8").exists():
        try:
            source = _cached_stream(ffmpeg)
        except (subprocess.SubprocessError, OSError) as exc:
            say(f"demo: ffmpeg could not make the live test stream ({exc}); no stream is shown")
            return ""
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(source, target, dirs_exist_ok=True)
    return f"{settings.MEDIA_URL}{STREAM_DIR.as_posix()}/index.m3u8"


def load_live_demo(now: datetime | None = None, say: Callable[[str], None] = _say) -> LiveEvent:
    """Store (or update) the demo's live event and its entries, times counted back from now."""
    now = now or timezone.now()
    stream_url = demo_stream(say)
    with transaction.atomic():
        event, _ = LiveEvent.objects.update_or_create(
            slug=SLUG,
            defaults={
                **EVENT,
                "stream_url": stream_url,
                "is_live": True,
                "ended_at": None,
                "started_at": now - timedelta(minutes=100),
                "story": Story.objects.filter(slug=STORY).first(),
            },
        )
        for minutes, pinned, title, body, author in ENTRIES:
            LiveEntry.objects.update_or_create(
                event=event,
                title=title,
                defaults={
                    "body": body,
                    "author": author,
                    "pinned": pinned,
                    "created_at": now - timedelta(minutes=minutes),
                },
            )
    return event
