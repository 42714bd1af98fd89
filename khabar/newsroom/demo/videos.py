"""Demo video articles: Pillow-drawn posters, Arabic WebVTT captions and, with ffmpeg, a clip.

The text is original and fictional, like content.json. Running the loader again updates the
three articles in place. Without ffmpeg on PATH the videos keep their poster and captions but
have no playable file, and the article page says so instead of showing a broken player.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from PIL import Image

from khabar.newsroom.demo.images import draw_placeholder
from khabar.newsroom.models import Article, Block, Media, Section, Video, unicode_slug
from khabar.site.images import ensure_renditions

log = logging.getLogger(__name__)
FFMPEG_TIMEOUT = 120
# Clips already made in this process, by length: every test that loads the demo into a fresh
# media folder would otherwise run ffmpeg three times again for the same test pattern.
_clips: dict[int, bytes] = {}


@dataclass(frozen=True)
class DemoVideo:
    """One demo video article: its text, its poster's palette and its timed captions."""

    slug: str
    section: str
    title: str
    lead: str
    body: tuple[str, ...]
    palette: str
    credit: str
    alt: str
    seconds: int
    cues: tuple[tuple[float, float, str], ...]
    age_minutes: int


VIDEOS = (
    DemoVideo(
        slug="video-satellite-clean-room",
        section="tech",
        title="فيديو: ساعة داخل الغرفة النظيفة قبل شحن قمر صناعي صغير",
        lead="رافقت كاميرا «خبر» فريقا من المهندسين في مختبر التجميع وهم يغلقون آخر لوح في "
        "هيكل قمر صناعي بحجم علبة أحذية، قبل نقله إلى موقع الإطلاق.",
        body=(
            "يرتدي المهندسون بزّات بيضاء تغطي الجسد كله، ويمرون عبر نفق هوائي يزيل الغبار "
            "قبل دخول الغرفة، لأن ذرة واحدة قد تعطل عدسة الكاميرا المثبتة على القمر.",
            "وتقول مسؤولة الاختبارات في الفريق إن الأسبوع الأخير قبل الشحن هو الأطول، إذ "
            "يعاد فحص كل وصلة كهربائية مرتين وتسجل النتائج في دفتر ورقي إلى جانب الحاسوب.",
        ),
        palette="night",
        credit="تصوير ومونتاج: وحدة الفيديو في خبر",
        alt="لقطة من داخل مختبر مضاء بضوء أزرق خافت تظهر فيها طاولة عمل",
        seconds=12,
        cues=(
            (0.0, 3.0, "هنا يجمع الفريق آخر أجزاء القمر الصناعي الصغير."),
            (3.0, 6.5, "كل من يدخل الغرفة يمر أولا عبر نفق يزيل الغبار."),
            (6.5, 9.5, "الفحص الأخير يستغرق يومين كاملين قبل الشحن."),
            (9.5, 12.0, "بعدها يوضع القمر في صندوق محكم ويغادر المختبر."),
        ),
        age_minutes=95,
    ),
    DemoVideo(
        slug="video-youth-team-training",
        section="sports",
        title="فيديو: تدريبات المنتخب الشاب في الليلة الأخيرة قبل النهائي",
        lead="حصة تدريبية قصيرة تحت الأضواء الكاشفة ركز فيها المدرب على الكرات الثابتة "
        "وتبديل المراكز، وسط أجواء هادئة في معسكر الفريق.",
        body=(
            "اكتفى الجهاز الفني بخمسين دقيقة من التمارين الخفيفة، وأعفى لاعبين اثنين من "
            "الجري بعد شعورهما بإرهاق عضلي بسيط في مباراة نصف النهائي.",
            "وقال قائد الفريق بعد الحصة إن اللاعبين يعرفون ما ينتظرهم، وإن أهم ما في الليلة "
            "الأخيرة هو النوم المبكر وعدم التفكير كثيرا في النتيجة.",
        ),
        palette="olive",
        credit="تصوير: فريق خبر الرياضي",
        alt="ملعب عشبي ليلي تحت أضواء كاشفة ولاعبون يتدربون في وسطه",
        seconds=10,
        cues=(
            (0.0, 2.5, "الحصة الأخيرة قبل المباراة النهائية."),
            (2.5, 5.5, "المدرب يعيد تمرين الركلات الركنية ثلاث مرات."),
            (5.5, 8.0, "اللاعبون يتبادلون المراكز بين الدفاع والوسط."),
            (8.0, 10.0, "وينتهي التدريب بتمارين إطالة خفيفة."),
        ),
        age_minutes=340,
    ),
    DemoVideo(
        slug="video-calligrapher-children",
        section="culture",
        title="فيديو: خطاط يعلّم أطفال الحي كتابة أسمائهم بخط الثلث",
        lead="في ورشة صغيرة فوق مكتبة قديمة، يجلس خطاط ستيني كل سبت مع عشرة أطفال يتعلمون "
        "إمساك القلم القصبي ورسم الحروف الأولى من أسمائهم.",
        body=(
            "يبدأ الدرس بتحضير الحبر من مسحوق أسود وماء، ثم يقص الخطاط رؤوس الأقلام بسكين "
            "صغيرة ويشرح للأطفال لماذا تميل الحافة قليلا.",
            "ويقول إن الهدف ليس أن يصبح الأطفال خطاطين، بل أن يعرفوا أن الحرف الذي يكتبونه "
            "كل يوم على الشاشات له تاريخ طويل من الصبر والتمرين.",
        ),
        palette="sand",
        credit="تصوير: مراسل خبر الثقافي",
        alt="طاولة خشبية عليها أوراق وأقلام قصب ومحبرة صغيرة",
        seconds=8,
        cues=(
            (0.0, 2.0, "الدرس يبدأ بتحضير الحبر."),
            (2.0, 4.5, "ثم يتعلم كل طفل إمساك القلم القصبي."),
            (4.5, 8.0, "وفي آخر الحصة يكتب كل منهم اسمه بخط الثلث."),
        ),
        age_minutes=1500,
    ),
)


def draw_poster(item: DemoVideo) -> Image.Image:
    """The demo poster for a video: a drawn frame, without a play button.

    The site draws the play button over posters itself (on the videos page; the player has its
    own), so a button baked into the picture would show twice.
    """
    return draw_placeholder(item.slug, item.palette)


def _timestamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def webvtt(cues: tuple[tuple[float, float, str], ...]) -> str:
    """A WebVTT captions file for the cues (start, end, text)."""
    lines = ["WEBVTT", ""]
    for n, (start, end, text) in enumerate(cues, 1):
        lines += [str(n), f"{_timestamp(start)} --> {_timestamp(end)}", text, ""]
    return "\n".join(lines)


def make_clip(path: Path, seconds: int) -> bool:
    """Write a short H.264 test-pattern MP4 with ffmpeg; False (and one log line) without it."""
    if seconds in _clips:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_clips[seconds])
        return True
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        log.warning(
            "ffmpeg is not on PATH: demo videos get a poster and captions but no playable file "
            "(install ffmpeg and load the demo again)"
        )
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part.mp4")
    command = [
        ffmpeg, "-nostdin", "-y", "-loglevel", "error",
        "-f", "lavfi", "-i", f"testsrc=size=640x360:rate=25:duration={seconds}",
        "-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "veryfast",
        "-movflags", "+faststart", "-an", str(partial),
    ]  # fmt: skip
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=FFMPEG_TIMEOUT)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        stderr = getattr(exc, "stderr", b"") or b""
        log.warning(
            "ffmpeg could not make the demo clip %s (%s): the video shows its poster instead",
            path.name,
            stderr.decode(errors="replace").strip()[-200:] or exc,
        )
        partial.unlink(missing_ok=True)
        return False
    partial.replace(path)  # renamed only when complete, so a killed run leaves no broken clip
    _clips[seconds] = path.read_bytes()
    return True


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _poster(item: DemoVideo, media: Media | None) -> Media:
    path = _media_root() / "demo" / f"{item.slug}.jpg"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draw_poster(item).save(path, "JPEG", quality=80, optimize=True, progressive=True)
    media = media or Media()
    media.image.name = str(path.relative_to(_media_root()))
    media.caption = item.title.removeprefix("فيديو: ")
    media.credit, media.alt = item.credit, item.alt
    with Image.open(path) as img:
        media.width, media.height = img.size
    media.save()
    ensure_renditions(media)
    return media


def _video(item: DemoVideo, video: Video | None, poster: Media) -> Video:
    captions = _media_root() / "captions" / "demo" / f"{item.slug}.vtt"
    captions.parent.mkdir(parents=True, exist_ok=True)
    captions.write_text(webvtt(item.cues), encoding="utf-8")
    clip = _media_root() / "videos" / "demo" / f"{item.slug}.mp4"
    playable = clip.exists() or make_clip(clip, item.seconds)
    video = video or Video()
    video.title = item.title.removeprefix("فيديو: ")
    video.poster = poster
    video.credit = item.credit
    video.captions.name = str(captions.relative_to(_media_root()))
    video.captions_language = "ar"
    video.file.name = str(clip.relative_to(_media_root())) if playable else ""
    video.url = ""
    # The length of the clip that exists; no clip, no length to claim.
    video.duration = item.seconds if playable else None
    video.save()
    return video


def load_videos(now: datetime) -> tuple[int, int]:
    """Store (or update) the demo video articles; return how many were created and updated."""
    created = 0
    for item in VIDEOS:
        source_id = f"demo:{item.slug}"
        article = Article.objects.filter(source_id=source_id).select_related("video").first()
        if article is None:
            article, created = Article(source_id=source_id), created + 1
        poster = _poster(item, article.video.poster if article.video else article.hero)
        article.video = _video(item, article.video, poster)
        article.hero = poster
        article.title, article.slug = item.title, unicode_slug(item.title)
        article.lead = item.lead
        article.byline = "وحدة الفيديو"
        article.section = Section.objects.get(slug=item.section)
        article.status = Article.Status.PUBLISHED
        article.published_at = now - timedelta(minutes=item.age_minutes)
        article.save()
        article.blocks.all().delete()
        Block.objects.bulk_create(
            Block(article=article, position=i, text=text) for i, text in enumerate(item.body)
        )
    return created, len(VIDEOS) - created
