"""The news as stored: sections, stories, articles and their blocks, agencies, media, entities."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.encoding import filepath_to_uri
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from khabar.arabic.normalize import normalize


def first_or_none(qs: models.QuerySet[Any]) -> Any:
    """The first row of an unordered query, without the ORDER BY that `first()` adds.

    `first()` orders by the primary key, which can make SQLite walk the table in key order
    instead of using the index of the filtered column.
    """
    return next(iter(qs.order_by()[:1]), None)


def storage_url(storage: Any, name: str) -> str:
    """`storage.url(name)`, without urljoin for a file stored on this machine.

    FileSystemStorage.url() joins with urljoin, a tenth of a millisecond per picture on a page
    of cards; a relative name under its base URL needs only the quoting.
    """
    if isinstance(storage, FileSystemStorage) and not name.startswith("/"):
        return f"{storage.base_url}{filepath_to_uri(name)}"
    return str(storage.url(name))


# What reverse() leaves unescaped in a path: RFC 3986 sub-delims and pchar (django.urls.resolvers).
_PATH_SAFE = "!$&'()*+,;=/~:@"
# Stands for each argument while a pattern is reversed once: digits fit <int:> and <str:> alike.
_MARKER = "9173528460"


def page_url(name: str, *args: object) -> str:
    """`reverse(name, args=args)`, without walking the URL resolver for every link of a page.

    A card list links dozens of articles, stories and sections, and reverse() costs about a tenth
    of a millisecond each. The pattern is reversed once (per script prefix and URLconf) with a
    marker for each argument; each call then quotes its arguments into the pieces exactly as
    reverse() does. An argument reverse() might refuse (empty, or holding a slash) goes to
    reverse() itself, which stays the source of truth (tests/site/test_urls.py compares them).
    """
    texts = tuple("" if a is None else str(a) for a in args)
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _page_url(name, texts, get_script_prefix(), urlconf)


@lru_cache(maxsize=16_384)
def _page_url(name: str, texts: tuple[str, ...], prefix: str, urlconf: str) -> str:
    # A page links the same sections, stories and newest articles as the pages before it:
    # quoting an Arabic slug costs more than finding it here.
    parts = _url_parts(name, len(texts), prefix, urlconf)
    if parts is None or any(not t or "/" in t for t in texts):
        return reverse(name, args=texts, urlconf=urlconf)
    out = [parts[0]]
    for text, part in zip(texts, parts[1:], strict=True):
        out += (quote(text, safe=_PATH_SAFE), part)
    return "".join(out)


@lru_cache(maxsize=256)
def _url_parts(name: str, n: int, prefix: str, urlconf: str) -> tuple[str, ...] | None:
    # The prefix and URLconf are in the key: reverse() reads both from the current thread.
    parts = tuple(reverse(name, args=[_MARKER] * n).split(_MARKER))
    return parts if len(parts) == n + 1 else None


@lru_cache(maxsize=1 << 14)  # names and sections recur: each entity is slugged once
def unicode_slug(text: str, max_length: int = 120) -> str:
    """Return an Arabic-safe slug: letters kept, marks and punctuation dropped."""
    cleaned = normalize(text, alef=False, alef_maqsura=False, teh_marbuta=False, hamza=False)
    return slugify(cleaned, allow_unicode=True)[:max_length].strip("-") or "item"


class Section(models.Model):
    """A section of the site (قسم): politics, economy, sports …"""

    name = models.CharField(_("الاسم"), max_length=80)
    slug = models.SlugField(_("المعرّف"), max_length=80, unique=True, allow_unicode=True)
    description = models.TextField(_("الوصف"), blank=True)
    order = models.PositiveSmallIntegerField(_("الترتيب"), default=0)
    important = models.BooleanField(
        _("قسم مهم"), default=False, help_text=_("يظهر في رأس الصفحة تحت «أقسام مهمة»")
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("قسم")
        verbose_name_plural = _("الأقسام")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return page_url("site:section", self.slug)


class Agency(models.Model):
    """A news agency an article is sourced from (وكالة): رويترز, أ ف ب, نوفوستي …"""

    name = models.CharField(_("الاسم"), max_length=120, unique=True)
    slug = models.SlugField(_("المعرّف"), max_length=80, unique=True, allow_unicode=True)
    aliases = models.JSONField(
        _("أسماء أخرى"), default=list, blank=True, help_text=_("قائمة بالأسماء والاختصارات الأخرى")
    )
    url = models.URLField(_("الموقع"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("وكالة")
        verbose_name_plural = _("الوكالات")

    def __str__(self) -> str:
        return self.name

    def names(self) -> list[str]:
        """Return the name and every alias."""
        return [self.name, *[str(a) for a in self.aliases or []]]


class Entity(models.Model):
    """A person, place or organization named in the news (وسم)."""

    class Kind(models.TextChoices):
        PERSON = "person", _("شخص")
        PLACE = "place", _("مكان")
        ORG = "org", _("منظمة")

    kind = models.CharField(_("النوع"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("الاسم"), max_length=160)
    slug = models.SlugField(_("المعرّف"), max_length=160, allow_unicode=True)
    aliases = models.JSONField(_("أسماء أخرى"), default=list, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["kind", "slug"], name="entity_kind_slug")]
        verbose_name = _("وسم")
        verbose_name_plural = _("الوسوم")

    def __str__(self) -> str:
        return self.name


class Story(models.Model):
    """A topic hub that gathers every article about one running story (قصة، ملف)."""

    title = models.CharField(_("العنوان"), max_length=200)
    slug = models.SlugField(_("المعرّف"), max_length=200, unique=True, allow_unicode=True)
    description = models.TextField(_("الوصف"), blank=True)
    pinned = models.BooleanField(_("مثبتة"), default=False)
    title_locked = models.BooleanField(
        _("العنوان من المحرر"),
        default=False,
        help_text=_("لا يغيّر التجميع الآلي عنوانًا اختاره محرر"),
    )
    created_at = models.DateTimeField(_("أنشئت"), default=timezone.now)
    kept_apart = models.ManyToManyField(
        "self",
        blank=True,
        verbose_name=_("لا تُدمج مع"),
        help_text=_("قصص فصلها محرر: لا يدمجها التجميع الآلي مع هذه"),
    )

    class Meta:
        ordering = ["-pinned", "title"]
        verbose_name = _("قصة")
        verbose_name_plural = _("القصص")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return page_url("site:story", self.slug)


class Author(models.Model):
    """A writer or correspondent named in bylines (الكاتب)."""

    name = models.CharField(_("الاسم"), max_length=160, unique=True)
    slug = models.SlugField(_("المعرّف"), max_length=160, unique=True, allow_unicode=True)
    bio = models.TextField(_("نبذة"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("كاتب")
        verbose_name_plural = _("الكتّاب")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.slug:
            self.slug = unicode_slug(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return page_url("site:author", self.slug)


class Media(models.Model):
    """An image with its caption, credit and alt text."""

    image = models.ImageField(_("الصورة"), upload_to="images/%Y/%m/", blank=True)
    url = models.URLField(_("رابط خارجي"), max_length=1000, blank=True)
    caption = models.TextField(_("التعليق"), blank=True)
    credit = models.CharField(_("المصدر/الحقوق"), max_length=200, blank=True)
    alt = models.CharField(_("نص بديل"), max_length=300, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    renditions = models.JSONField(
        _("المقاسات"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("نسخ مصغّرة للصورة بعرض مختلف: [{width, height, path}]"),
    )

    class Meta:
        verbose_name = _("وسائط")
        verbose_name_plural = _("الوسائط")

    def __str__(self) -> str:
        return self.caption[:60] or self.credit or f"#{self.pk}"

    @property
    def src(self) -> str:
        """The address a browser loads the image from."""
        if self.image:
            return storage_url(self.image.storage, self.image.name)
        return self.url


class Video(models.Model):
    """A video: the file or stream address, its poster, duration and captions track."""

    title = models.CharField(_("العنوان"), max_length=300, blank=True)
    file = models.FileField(_("الملف"), upload_to="videos/%Y/%m/", blank=True)
    url = models.CharField(
        _("رابط الفيديو"), max_length=1000, blank=True, help_text=_("ملف MP4 أو بث HLS (.m3u8)")
    )
    poster = models.ForeignKey(
        Media,
        verbose_name=_("صورة الغلاف"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    duration = models.PositiveIntegerField(_("المدة بالثواني"), null=True, blank=True)
    captions = models.FileField(_("ملف الترجمة (WebVTT)"), upload_to="captions/", blank=True)
    captions_language = models.CharField(_("لغة الترجمة"), max_length=12, default="ar")
    credit = models.CharField(_("المصدر/الحقوق"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("فيديو")
        verbose_name_plural = _("الفيديوهات")

    def __str__(self) -> str:
        return self.title or f"#{self.pk}"

    @property
    def src(self) -> str:
        """The address a browser plays the video from."""
        if self.file:
            return str(self.file.url)
        return self.url


class ArticleQuerySet(models.QuerySet["Article"]):
    def published(self, now: datetime | None = None) -> ArticleQuerySet:
        """Articles readers may see: published, not a copy of another, not in the future."""
        return self.filter(
            status=Article.Status.PUBLISHED,
            published_at__lte=now or timezone.now(),
            duplicate_of__isnull=True,
        )

    def for_listing(self) -> ArticleQuerySet:
        """What a list of article cards needs, in as few queries as possible."""
        return self.select_related("section", "hero", "story").order_by("-published_at")


class Article(models.Model):
    """One news article (خبر)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("مسودة")
        REVIEW = "review", _("قيد المراجعة")
        PUBLISHED = "published", _("منشور")
        ARCHIVED = "archived", _("مؤرشف")

    title = models.CharField(_("العنوان"), max_length=300)
    slug = models.SlugField(_("المعرّف"), max_length=200, allow_unicode=True)
    lead = models.TextField(_("المقدمة"), blank=True)
    status = models.CharField(
        _("الحالة"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("القسم"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    story = models.ForeignKey(
        Story,
        verbose_name=_("القصة"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    hero = models.ForeignKey(
        Media,
        verbose_name=_("الصورة الرئيسية"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    agencies = models.ManyToManyField(
        Agency, verbose_name=_("الوكالات"), blank=True, related_name="articles"
    )
    entities = models.ManyToManyField(
        Entity, verbose_name=_("الوسوم"), blank=True, related_name="articles"
    )
    byline = models.CharField(_("الكاتب"), max_length=200, blank=True)
    authors = models.ManyToManyField(
        Author, verbose_name=_("الكتّاب"), blank=True, related_name="articles"
    )
    video = models.ForeignKey(
        Video,
        verbose_name=_("الفيديو"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    dateline = models.CharField(_("سطر المكان"), max_length=200, blank=True)
    source_line = models.CharField(
        _("سطر المصدر"), max_length=300, blank=True, help_text=_("كما يظهر: المصدر: …")
    )
    language = models.CharField(_("اللغة"), max_length=12, default="ar")
    canonical_url = models.URLField(
        _("الرابط الأصلي"), max_length=1000, null=True, blank=True, unique=True
    )
    source_id = models.CharField(
        _("معرّف المصدر"),
        max_length=500,
        null=True,
        blank=True,
        unique=True,
        help_text=_("معرّف البرقية أو GUID الخلاصة أو الرابط الأصلي"),
    )
    featured = models.BooleanField(_("الخبر الرئيسي"), default=False)
    story_locked = models.BooleanField(
        _("القصة من المحرر"),
        default=False,
        help_text=_("وضع محرر هذا الخبر في قصته: لا ينقله التجميع الآلي"),
    )
    related_ids = models.JSONField(_("أخبار ذات صلة"), default=list, blank=True, editable=False)
    origin = models.ForeignKey(
        "Source",
        verbose_name=_("مصدر الاستيراد"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    version = models.PositiveIntegerField(_("نسخة البرقية"), null=True, blank=True)
    urgency = models.PositiveSmallIntegerField(_("الأولوية"), null=True, blank=True)
    subjects = models.JSONField(_("المواضيع"), default=list, blank=True)
    embargo_until = models.DateTimeField(_("محظور النشر حتى"), null=True, blank=True)
    content_hash = models.CharField(max_length=64, blank=True, db_index=True)
    signature = models.BinaryField(null=True, blank=True, editable=False)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("نسخة من"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )
    published_at = models.DateTimeField(_("نُشر"), null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(_("حُدّث"), null=True, blank=True)
    created_at = models.DateTimeField(_("أنشئ"), default=timezone.now)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at"]
        indexes = [models.Index(fields=["status", "-published_at"], name="article_listing")]
        verbose_name = _("خبر")
        verbose_name_plural = _("الأخبار")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return page_url("site:article", self.pk, self.slug)

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.slug:
            self.slug = unicode_slug(self.title)
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def was_updated(self) -> bool:
        """True when the article was updated meaningfully after publication."""
        if not (self.updated_at and self.published_at):
            return False
        return (self.updated_at - self.published_at).total_seconds() > 60


class Block(models.Model):
    """One block of an article's body, in order: paragraph, sub-heading, quote or image."""

    class Kind(models.TextChoices):
        PARAGRAPH = "paragraph", _("فقرة")
        SUBHEADING = "subheading", _("عنوان فرعي")
        QUOTE = "quote", _("اقتباس")
        IMAGE = "image", _("صورة")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="blocks")
    position = models.PositiveIntegerField(_("الموضع"), default=0)
    kind = models.CharField(_("النوع"), max_length=12, choices=Kind.choices, default=Kind.PARAGRAPH)
    text = models.TextField(_("النص"), blank=True)
    media = models.ForeignKey(
        Media, verbose_name=_("الصورة"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["article", "position"]
        verbose_name = _("كتلة")
        verbose_name_plural = _("كتل النص")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:50]}"


class Comment(models.Model):
    """A reader's comment on an article; readers see it only once an editor approves it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("بانتظار المراجعة")
        APPROVED = "approved", _("منشور")
        REJECTED = "rejected", _("مرفوض")

    article = models.ForeignKey(
        Article, verbose_name=_("الخبر"), on_delete=models.CASCADE, related_name="comments"
    )
    name = models.CharField(_("الاسم"), max_length=80)
    body = models.TextField(_("التعليق"), max_length=4000)
    status = models.CharField(
        _("الحالة"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("أُرسل"), default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["article", "status", "created_at"], name="comment_list")]
        verbose_name = _("تعليق")
        verbose_name_plural = _("التعليقات")

    def __str__(self) -> str:
        return f"{self.name}: {self.body[:50]}"


class LiveEvent(models.Model):
    """Live coverage (تغطية مباشرة): a stream to watch and a blog of timestamped entries."""

    title = models.CharField(_("العنوان"), max_length=300)
    slug = models.SlugField(_("المعرّف"), max_length=200, unique=True, allow_unicode=True)
    description = models.TextField(_("الوصف"), blank=True)
    stream_url = models.CharField(
        _("رابط البث (HLS)"), max_length=1000, blank=True, help_text=_("عنوان ملف .m3u8")
    )
    is_live = models.BooleanField(_("على الهواء"), default=True, db_index=True)
    story = models.ForeignKey(
        Story,
        verbose_name=_("القصة"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="live_events",
    )
    started_at = models.DateTimeField(_("بدأت"), default=timezone.now)
    ended_at = models.DateTimeField(_("انتهت"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("تغطية مباشرة")
        verbose_name_plural = _("التغطيات المباشرة")

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.slug:
            self.slug = unicode_slug(self.title)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return page_url("site:live", self.slug)


class LiveEntry(models.Model):
    """One timestamped entry of a live blog."""

    event = models.ForeignKey(
        LiveEvent, verbose_name=_("التغطية"), on_delete=models.CASCADE, related_name="entries"
    )
    title = models.CharField(_("العنوان"), max_length=300, blank=True)
    body = models.TextField(_("النص"))
    author = models.CharField(_("الكاتب"), max_length=160, blank=True)
    pinned = models.BooleanField(_("مثبت"), default=False)
    created_at = models.DateTimeField(_("الوقت"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["event", "id"], name="live_entry_feed")]
        verbose_name = _("تحديث مباشر")
        verbose_name_plural = _("التحديثات المباشرة")

    def __str__(self) -> str:
        return self.title or self.body[:60]

    def get_absolute_url(self) -> str:
        return f"{self.event.get_absolute_url()}#entry-{self.pk}"


class StoryEdits(models.Model):
    """One row counting the changes to stories that new article rows do not show: editors'
    moves, merges, splits and renames, the merge pass, withdrawals. Each process's in-memory
    story index (khabar.newsroom.storyline) reloads when the count has moved since it loaded.
    """

    revision = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"story edits #{self.revision}"


class LiveChange(models.Model):
    """A change open live pages must show without a reload: an entry edited or removed, or the
    event going on or off the air. New entries need no row: their ids already say what is new.
    """

    class Kind(models.TextChoices):
        EDIT = "edit", _("تعديل")
        REMOVE = "remove", _("حذف")
        STATUS = "status", _("حالة البث")

    event = models.ForeignKey(LiveEvent, on_delete=models.CASCADE, related_name="changes")
    # Not a foreign key: the row must outlive the entry it reports removed.
    entry_id = models.PositiveBigIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["event", "id"], name="live_change_feed")]

    def __str__(self) -> str:
        return f"{self.kind} {self.entry_id or ''} ({self.event_id})"


class ArticleRevision(models.Model):
    """What an article said before an update (a later wire version, an edited page)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField(_("النسخة"), null=True, blank=True)
    title = models.CharField(_("العنوان"), max_length=300)
    lead = models.TextField(_("المقدمة"), blank=True)
    body = models.JSONField(_("النص"), default=list)
    created_at = models.DateTimeField(_("أنشئت"), default=timezone.now)

    class Meta:
        ordering = ["article", "-created_at"]
        verbose_name = _("نسخة سابقة")
        verbose_name_plural = _("النسخ السابقة")

    def __str__(self) -> str:
        return f"{self.title} ({self.version or self.created_at:%Y-%m-%d %H:%M})"


class Source(models.Model):
    """Where news comes in from: a feed, a sitemap, a wire folder, a web page."""

    class Kind(models.TextChoices):
        AUTO = "auto", _("يُكتشف من المحتوى")
        FEED = "feed", _("خلاصة RSS/Atom/JSON")
        SITEMAP = "sitemap", _("خريطة موقع / خريطة أخبار")
        PAGE = "page", _("صفحة ويب")
        NINJS = "ninjs", "NINJS"
        NEWSMLG2 = "newsmlg2", "NewsML-G2"
        NITF = "nitf", "NITF"
        FOLDER = "folder", _("مجلد ملفات")
        TEXT = "text", _("صفحات محفوظة نصًا")

    name = models.CharField(_("الاسم"), max_length=200)
    kind = models.CharField(_("النوع"), max_length=10, choices=Kind.choices, default=Kind.AUTO)
    address = models.CharField(_("العنوان أو المسار"), max_length=1000, unique=True)
    poll_minutes = models.PositiveIntegerField(_("كل كم دقيقة"), default=15)
    enabled = models.BooleanField(_("مفعّل"), default=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("الوكالة"), null=True, blank=True, on_delete=models.SET_NULL
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("القسم الافتراضي"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    etag = models.CharField(max_length=300, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_success_at = models.DateTimeField(_("آخر نجاح"), null=True, blank=True)
    last_error_at = models.DateTimeField(_("آخر خطأ"), null=True, blank=True)
    last_error = models.TextField(_("نص آخر خطأ"), blank=True)
    created_at = models.DateTimeField(_("أضيف"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("مصدر")
        verbose_name_plural = _("المصادر")

    def __str__(self) -> str:
        return self.name

    @property
    def is_remote(self) -> bool:
        """True when the address is a URL, not a path on this machine."""
        return self.address.startswith(("http://", "https://"))


class IngestLog(models.Model):
    """One line per item an ingest run handled: what happened and why."""

    class Outcome(models.TextChoices):
        NEW = "new", _("جديد")
        UPDATED = "updated", _("حُدّث")
        DUPLICATE = "duplicate", _("نسخة مكررة")
        UNCHANGED = "unchanged", _("دون تغيير")
        FAILED = "failed", _("فشل")

    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="log"
    )
    target = models.CharField(_("المدخل"), max_length=1000)
    item_id = models.CharField(_("معرّف العنصر"), max_length=500, blank=True)
    outcome = models.CharField(_("النتيجة"), max_length=10, choices=Outcome.choices)
    message = models.TextField(_("التفاصيل"), blank=True)
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("الوقت"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("سجل الاستيراد")
        verbose_name_plural = _("سجل الاستيراد")

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.item_id or self.target}"


class SearchDirty(models.Model):
    """An article whose search entry must be refreshed: written in the same transaction as the
    change, cleared once the index has it, so no update is lost if the process dies between."""

    article_id = models.BigIntegerField(primary_key=True)
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("تحديث بحث منتظر")
        verbose_name_plural = _("تحديثات البحث المنتظرة")
