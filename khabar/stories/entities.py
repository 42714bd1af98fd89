"""Named entities of Arabic news text: people, places and organizations, with their offsets.

The method is a gazetteer the project writes (`khabar/stories/gazetteer/`) and patterns around
it, because no packaged Arabic recogniser runs here without downloading weights at run time
(CAMeL Tools, Stanza, Farasa and SinaTools all fetch their models or jars on first use).
`python -m bench.entities` measures it on the labelled sentences in
`tests/fixtures/stories/entities.jsonl`.

- Countries, cities, regions, organizations and a few people of record come from the
  gazetteer; every spelling of an entry resolves to its canonical name (سورية -> سوريا).
- Ministries by pattern: "وزارة X [adjective]", and "الخارجية الروسية" for the ministry.
- Organizations and places after a head word: "حزب X", "مدينة X".
- People by their titles ("وزير الخارجية الأمريكي NAME"), after a speech verb ("قال NAME",
  when the name is a known given name or a title follows it), and before an apposition
  ("NAME، المتحدث باسم ..."). A later mention by surname alone resolves to the full name.
- Clitics و ف ب ل ك are stripped from the first word of a name (وكيري -> كيري); the span
  starts after them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Literal

from khabar.arabic import display_safe, normalize, tokenize
from khabar.arabic.tokenize import starts_arabic, token_pieces

__all__ = [
    "MAX_CHARS",
    "MAX_MENTIONS",
    "Entity",
    "EntityKind",
    "Gazetteer",
    "Mention",
    "Via",
    "countries",
    "default_gazetteer",
    "entity_counts",
    "recognize",
]

EntityKind = Literal["person", "place", "org"]
Via = Literal["gazetteer", "ministry", "head", "title", "speech", "apposition", "coreference"]

# An article with no end (a feed of tables, a scraped page gone wrong) must not hold up ingest:
# only its first MAX_CHARS characters are read and at most MAX_MENTIONS mentions returned.
MAX_CHARS = 100_000
MAX_MENTIONS = 2_000

GAZETTEER_DIR = Path(__file__).resolve().parent / "gazetteer"
_PLACE_FILES = ("countries.txt", "cities.txt", "regions.txt")
_CLITICS = ("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك")
_CONJUNCTIONS = ("", "و", "ف")
_MIN_STEM = 2
_MAX_NAME_TOKENS = 4
_ARTICLE = "ال"
_ADJECTIVE_ENDING = "يه"
_MEMO_SIZE = 1 << 16
_NOT_NAMES = ("stop", "title_heads", "speech_verbs")
# The sections whose words begin a ministry or a name after a head word (_ministry_at, _head_at).
_OPENING_SECTIONS = ("ministry", "ministry_metonyms", "place_heads", "org_heads")
_SPACES = re.compile(r"\s+")
_NAME_GAP = re.compile(r"\s*[،,]?\s*")
_SENTENCE_GAP = re.compile(r"[.!?؟؛;:\"«»()\[\]\n]")


@lru_cache(maxsize=1 << 16)
def _norm(word: str) -> str:
    return normalize(word).lower()


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(_norm(token.text) for token in tokenize(text))


def _display(text: str) -> str:
    return _SPACES.sub(" ", display_safe(text)).strip()


@dataclass(frozen=True)
class Entity:
    """A person, place or organization: its kind, canonical name and other names."""

    kind: EntityKind
    name: str
    aliases: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """Return the identity of the entity across documents: kind and normalized name."""
        return f"{self.kind}:{' '.join(_phrase(self.name))}"


@dataclass(frozen=True)
class Mention:
    """One mention of an entity: its span in the original text and how it was found."""

    entity: Entity
    start: int
    end: int
    text: str
    via: Via


@dataclass
class Gazetteer:
    """Names the recogniser knows, and the words its patterns look for, in index form.

    Teach it names with `add` rather than by changing its fields: the recogniser memoizes what
    it finds out about each word it reads, and `add` clears that memo.
    """

    phrases: dict[tuple[str, ...], Entity] = field(default_factory=dict)
    by_first: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    demonyms: dict[str, str] = field(default_factory=dict)
    given_names: frozenset[str] = frozenset()
    words: dict[str, frozenset[str]] = field(default_factory=dict)
    _memo: dict[tuple[str, str, tuple[str, ...]], bool] = field(default_factory=dict, repr=False)
    _word_memo: dict[str, _Word] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, directory: Path = GAZETTEER_DIR) -> Gazetteer:
        """Read a gazetteer folder laid out like `khabar/stories/gazetteer/`."""
        gazetteer = cls(words=_read_sections(directory / "vocabulary.txt"))
        gazetteer.given_names = frozenset(
            _norm(name)
            for line in _lines(directory / "given_names.txt")
            for name in line.split("|")
        )
        for name in _PLACE_FILES:
            for line in _lines(directory / name):
                gazetteer._add_place_line(line)
        for kind, name in (("org", "organizations.txt"), ("person", "people.txt")):
            for line in _lines(directory / name):
                names = [n.strip() for n in line.split("|") if n.strip()]
                gazetteer.add(Entity(kind, names[0], tuple(names[1:])))  # type: ignore[arg-type]
        return gazetteer

    def add(self, entity: Entity) -> None:
        """Teach the gazetteer an entity; a name it already knows keeps its first entity."""
        for name in (entity.name, *entity.aliases):
            phrase = _phrase(name)
            if not phrase or phrase in self.phrases:
                continue
            self.phrases[phrase] = entity
            bucket = self.by_first.setdefault(phrase[0], [])
            bucket.append(phrase)
            bucket.sort(key=len, reverse=True)
        # A word that was nothing may now begin a name.
        self._word_memo.clear()

    def lookup(self, name: str) -> Entity | None:
        """Return the entity one of whose names is `name`, in any spelling."""
        return self.phrases.get(_phrase(name))

    def adjective(self, word: str) -> str | None:
        """Return the canonical country whose adjective `word` is (الأمريكي -> الولايات المتحدة)."""
        return self.demonyms.get(_norm(word))

    def countries(self) -> frozenset[str]:
        """Return the canonical names of the countries, those that have an adjective."""
        return frozenset(self.demonyms.values())

    def has(self, section: str, word: str) -> bool:
        """Return whether the normalized `word` is in a section of vocabulary.txt."""
        return word in self.words.get(section, frozenset())

    def has_stripped(self, section: str, word: str, clitics: tuple[str, ...]) -> bool:
        """Return whether the normalized `word`, less one of `clitics`, is in `section`."""
        key = (section, word, clitics)
        known = self._memo.get(key)
        if known is None:
            words = self.words.get(section, frozenset())
            known = any(rest in words for _, rest in _clitic_variants(word, clitics))
            if len(self._memo) >= _MEMO_SIZE:
                self._memo.clear()
            self._memo[key] = known
        return known

    def _word(self, norm: str) -> _Word:
        """Return what the recogniser's passes ask of the normalized word `norm`, memoized."""
        word = self._word_memo.get(norm)
        if word is None:
            word = _Word.of(norm, self)
            if len(self._word_memo) >= _MEMO_SIZE:
                self._word_memo.clear()
            self._word_memo[norm] = word
        return word

    def _add_place_line(self, line: str) -> None:
        names_part, _, demonym_part = line.partition(";")
        names = [n.strip() for n in names_part.split("|") if n.strip()]
        self.add(Entity("place", names[0], tuple(names[1:])))
        for demonym in (d.strip() for d in demonym_part.split("|") if d.strip()):
            for form in _demonym_forms(_norm(demonym)):
                self.demonyms.setdefault(form, names[0])
                self.demonyms.setdefault(_ARTICLE + form, names[0])
        self._word_memo.clear()


def _demonym_forms(base: str) -> list[str]:
    if not base.endswith("ي"):
        return [base]
    return [base, *(base + ending for ending in ("ه", "ون", "ين", "ان", "تان", "تين"))]


def _lines(path: Path) -> Iterator[str]:
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            yield line


def _read_sections(path: Path) -> dict[str, frozenset[str]]:
    sections: dict[str, set[str]] = {}
    current = sections.setdefault("", set())
    for line in _lines(path):
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], set())
        else:
            current.update(_norm(word) for word in line.split())
    return {name: frozenset(words) for name, words in sections.items()}


@cache
def default_gazetteer() -> Gazetteer:
    """Return the gazetteer shipped in `khabar/stories/gazetteer/`, loaded once."""
    return Gazetteer.load()


@dataclass(frozen=True, slots=True)
class _Word:
    """What the passes ask of every token, worked out once per distinct normalized word.

    The flags let a pass skip a position without calling its matcher: where a flag is false,
    the matcher could find nothing there.
    """

    variants: tuple[tuple[int, str], ...]  # _clitic_variants(norm): (letters stripped, rest)
    may_open: bool  # a gazetteer name, a ministry or a head word may start with it
    # The next three allow a leading و or ف (_CONJUNCTIONS); apposition allows no clitic.
    title: bool  # a title head or a direct title
    demonym: bool  # an adjective of a country
    speech_verb: bool
    apposition: bool

    @classmethod
    def of(cls, norm: str, gazetteer: Gazetteer) -> _Word:
        """Return the facts of the normalized word `norm` in `gazetteer`."""
        variants = _clitic_variants(norm)
        may_open = any(
            rest in gazetteer.by_first
            or any(gazetteer.has(section, rest) for section in _OPENING_SECTIONS)
            for _, rest in variants
        )
        return cls(
            variants=variants,
            may_open=may_open,
            title=gazetteer.has_stripped("title_heads", norm, _CONJUNCTIONS)
            or gazetteer.has_stripped("direct_titles", norm, _CONJUNCTIONS),
            demonym=any(
                rest in gazetteer.demonyms for _, rest in _clitic_variants(norm, _CONJUNCTIONS)
            ),
            speech_verb=gazetteer.has_stripped("speech_verbs", norm, _CONJUNCTIONS),
            apposition=gazetteer.has_stripped("appositions", norm, ("",)),
        )


# Not frozen: a frozen dataclass sets each field through object.__setattr__, and there is one
# token per word of every article.
@dataclass(slots=True)
class _Token:
    norm: str
    start: int
    end: int
    arabic: bool
    # Only spaces (or one comma, for `loose`) separate it from the token before.
    joined: bool
    loose: bool
    sentence_start: bool
    word: _Word


@dataclass
class _Found:
    first: int
    last: int  # exclusive
    skip: int  # clitic letters of the first token outside the span
    kind: EntityKind
    via: Via
    entity: Entity | None = None


def _tokens(text: str, gazetteer: Gazetteer) -> list[_Token]:
    # Once per word of every article: the tokens and the gaps between them come from one
    # split, and the memos and functions sit in locals.
    found: list[_Token] = []
    append = found.append
    memo, word_of, norm_of, gap_of = gazetteer._word_memo, gazetteer._word, _norm, _gap
    pieces = token_pieces(text)
    end = len(pieces[0])
    for n in range(1, len(pieces), 2):
        token = pieces[n]
        start = end
        end = start + len(token)
        norm = norm_of(token)
        word = memo.get(norm)
        if word is None:
            word = word_of(norm)
        if n == 1:
            joined = loose = sentence_start = True
        else:
            joined, loose, sentence_start = gap_of(pieces[n - 1])
        append(_Token(norm, start, end, starts_arabic(token), joined, loose, sentence_start, word))
        end += len(pieces[n + 1])
    return found


@lru_cache(maxsize=1 << 12)
def _gap(gap: str) -> tuple[bool, bool, bool]:
    """Return (joined, loose, sentence_start) for the text between two tokens."""
    # Gaps repeat (most are one space), so each distinct one is read once.
    return (
        gap.isspace(),
        _NAME_GAP.fullmatch(gap) is not None,
        _SENTENCE_GAP.search(gap) is not None,
    )


@cache
def _clitic_variants(norm: str, clitics: tuple[str, ...] = _CLITICS) -> tuple[tuple[int, str], ...]:
    """Return (letters stripped, rest) for each clitic prefix `norm` may carry, none first."""
    variants: list[tuple[int, str]] = []
    for clitic in clitics:
        if not norm.startswith(clitic) or len(norm) - len(clitic) < _MIN_STEM:
            continue
        rest = norm[len(clitic) :]
        variants.append((len(clitic), rest))
        # ل before the article fuses with it: للأمم is ل + الأمم.
        if clitic in ("", "و", "ف") and rest.startswith("لل") and len(rest) > 3:
            variants.append((len(clitic), _ARTICLE + rest[2:]))
    return tuple(variants)


class _Scan:
    """One document being read: its tokens, which are taken, and what was found."""

    def __init__(self, text: str, gazetteer: Gazetteer) -> None:
        self.text = text
        self.gaz = gazetteer
        self.tokens = _tokens(text, gazetteer)
        self.taken = [False] * len(self.tokens)
        self.found: list[_Found] = []

    def add(self, found: _Found) -> None:
        if len(self.found) >= MAX_MENTIONS:
            return
        self.found.append(found)
        for index in range(found.first, found.last):
            self.taken[index] = True

    def free(self, index: int) -> bool:
        return 0 <= index < len(self.tokens) and not self.taken[index]

    def stripped(self, index: int, clitics: tuple[str, ...] = _CONJUNCTIONS) -> list[str]:
        return [rest for _, rest in _clitic_variants(self.tokens[index].norm, clitics)]

    def is_word(self, index: int, section: str, clitics: tuple[str, ...] = ("",)) -> bool:
        return self.gaz.has_stripped(section, self.tokens[index].norm, clitics)

    def is_demonym(self, index: int, clitics: tuple[str, ...] = ("",)) -> bool:
        return any(rest in self.gaz.demonyms for rest in self.stripped(index, clitics))

    def span(self, found: _Found) -> tuple[int, int]:
        first = self.tokens[found.first]
        start = first.start + _skip_letters(self.text[first.start : first.end], found.skip)
        return start, self.tokens[found.last - 1].end


def _skip_letters(word: str, letters: int) -> int:
    """Return the offset in `word` of its letter number `letters`, marks not counted."""
    seen = 0
    for offset, char in enumerate(word):
        if normalize(char):
            if seen == letters:
                return offset
            seen += 1
    return len(word)


# Gazetteer names, ministries and head-word patterns, longest first at each position.


def _phrase_at(scan: _Scan, index: int) -> _Found | None:
    best: _Found | None = None
    for skip, rest in scan.tokens[index].word.variants:
        for phrase in scan.gaz.by_first.get(rest, ()):
            last = index + len(phrase)
            if best is not None and last <= best.last:
                break
            if _continues(scan, index, phrase[1:]):
                entity = scan.gaz.phrases[phrase]
                best = _Found(index, last, skip, entity.kind, "gazetteer", entity)
                break
    return best


def _continues(scan: _Scan, index: int, rest: tuple[str, ...]) -> bool:
    if index + len(rest) >= len(scan.tokens):
        return False
    for offset, word in enumerate(rest, start=1):
        token = scan.tokens[index + offset]
        if not token.joined or token.norm != word:
            return False
    return True


def _ministry_at(scan: _Scan, index: int) -> _Found | None:
    for skip, rest in scan.tokens[index].word.variants:
        if scan.gaz.has("ministry", rest):
            return _ministry(scan, index, skip)
        if scan.gaz.has("ministry_metonyms", rest) and _metonym(scan, index):
            found = _Found(index, index + 2, skip, "org", "ministry")
            found.entity = _ministry_entity(scan, [index], index + 1, found)
            return found
    return None


def _metonym(scan: _Scan, index: int) -> bool:
    """Return whether `index` is "الخارجية الروسية": a portfolio, then a feminine adjective."""
    after = index + 1
    if after >= len(scan.tokens) or not scan.tokens[after].joined:
        return False
    adjective = scan.tokens[after].norm
    before_is_title = index > 0 and scan.is_word(index - 1, "title_heads", _CONJUNCTIONS)
    return adjective.endswith("ه") and adjective in scan.gaz.demonyms and not before_is_title


def _ministry(scan: _Scan, index: int, skip: int) -> _Found | None:
    portfolio: list[int] = []
    cursor = index + 1
    while cursor < len(scan.tokens) and len(portfolio) < 3 and scan.tokens[cursor].joined:
        norm = scan.tokens[cursor].norm
        if norm in scan.gaz.demonyms or not _definite(norm) or scan.gaz.has("stop", norm):
            break
        portfolio.append(cursor)
        cursor += 1
    if not portfolio:
        return None
    adjective = cursor if cursor < len(scan.tokens) and _is_adjective_at(scan, cursor) else None
    found = _Found(index, (adjective or portfolio[-1]) + 1, skip, "org", "ministry")
    found.entity = _ministry_entity(scan, portfolio, adjective, found)
    return found


def _is_adjective_at(scan: _Scan, index: int) -> bool:
    token = scan.tokens[index]
    return token.joined and token.norm.endswith("ه") and token.norm in scan.gaz.demonyms


def _definite(norm: str) -> bool:
    return norm.startswith(_ARTICLE) or norm.startswith("و" + _ARTICLE)


def _ministry_entity(
    scan: _Scan, portfolio: list[int], adjective: int | None, found: _Found
) -> Entity:
    words = [_surface(scan, i) for i in portfolio]
    if adjective is not None:
        country = scan.gaz.demonyms[scan.tokens[adjective].norm]
        words.append(_country_adjective(scan.gaz, country) or _surface(scan, adjective))
    start, end = scan.span(found)
    surface = _display(scan.text[start:end])
    name = " ".join(["وزارة", *words])
    return Entity("org", name, (surface,) if _phrase(surface) != _phrase(name) else ())


def _surface(scan: _Scan, index: int) -> str:
    token = scan.tokens[index]
    return _display(scan.text[token.start : token.end])


def _country_adjective(gazetteer: Gazetteer, country: str) -> str | None:
    """Return the definite feminine adjective of `country` as the gazetteer first spells it."""
    for form, name in gazetteer.demonyms.items():
        if name == country and form.startswith(_ARTICLE) and form.endswith("يه"):
            return _spelled_adjective(country, form)
    return None


def _spelled_adjective(country: str, form: str) -> str:
    # The normalized form lost its hamza and ة; the canonical spelling restores them.
    return _CANONICAL_ADJECTIVES.get(country, form[:-1] + "ة")


_CANONICAL_ADJECTIVES = {
    "الولايات المتحدة": "الأمريكية",
    "روسيا": "الروسية",
    "بريطانيا": "البريطانية",
    "ألمانيا": "الألمانية",
    "إيطاليا": "الإيطالية",
    "إسبانيا": "الإسبانية",
    "إسرائيل": "الإسرائيلية",
    "إيران": "الإيرانية",
    "أوكرانيا": "الأوكرانية",
    "الأردن": "الأردنية",
    "إثيوبيا": "الإثيوبية",
}


def _head_at(scan: _Scan, index: int) -> _Found | None:
    for skip, rest in scan.tokens[index].word.variants:
        if scan.gaz.has("place_heads", rest):
            return _place_after_head(scan, index, skip)
        if scan.gaz.has("org_heads", rest):
            return _org_after_head(scan, index, skip)
    return None


def _place_after_head(scan: _Scan, index: int, skip: int) -> _Found | None:
    after = index + 1
    if not _nameable(scan, after) or _phrase_at(scan, after) is not None:
        return None
    norm = scan.tokens[after].norm
    if not _definite(norm) and norm.endswith(_ADJECTIVE_ENDING):
        return None
    last = after + 1
    if scan.gaz.has("place_parts", norm) and _nameable(scan, last):
        last += 1
    return _Found(after, last, 0, "place", "head")


def _org_after_head(scan: _Scan, index: int, skip: int) -> _Found | None:
    after = index + 1
    if after < len(scan.tokens) and (known := _phrase_at(scan, after)) is not None:
        # "شركة أرامكو": the gazetteer knows the name; let it match there.
        return None if known.kind == "org" else _named_org(scan, index, skip, known)
    if _named_head(scan, index) and _proper_noun(scan, after):
        place = _phrase_at(scan, after + 1) if after + 1 < len(scan.tokens) else None
        last = place.last if place and place.kind == "place" and place.skip == 0 else after + 1
        return _Found(index, last, skip, "org", "head")
    cursor = after
    while cursor < len(scan.tokens) and cursor - index <= 3 and scan.tokens[cursor].joined:
        norm = scan.tokens[cursor].norm
        if not _definite(norm) or scan.gaz.has("stop", norm) or not scan.tokens[cursor].arabic:
            break
        cursor += 1
        if norm in scan.gaz.demonyms:
            break
    if cursor == after:
        return None
    return _Found(index, cursor, skip, "org", "head")


def _named_org(scan: _Scan, index: int, skip: int, place: _Found) -> _Found | None:
    """Return "جامعة القاهرة": a head and a place name, when the head names institutions."""
    if place.kind != "place" or place.skip or not _named_head(scan, index):
        return None
    return _Found(index, place.last, skip, "org", "head")


def _named_head(scan: _Scan, index: int) -> bool:
    return any(
        scan.gaz.has("named_org_heads", rest) for _, rest in scan.tokens[index].word.variants
    )


def _proper_noun(scan: _Scan, index: int) -> bool:
    """Return whether the indefinite word at `index` can be a name: not an adjective."""
    if index >= len(scan.tokens) or not scan.tokens[index].joined:
        return False
    norm = scan.tokens[index].norm
    return (
        _nameable(scan, index)
        and not _definite(norm)
        and not norm.endswith(_ADJECTIVE_ENDING)
        and not norm.endswith("ي")
    )


def _gazetteer_pass(scan: _Scan) -> None:
    tokens = scan.tokens
    index = 0
    while index < len(tokens):
        found = _best_at(scan, index) if tokens[index].word.may_open else None
        if found is None:
            index += 1
            continue
        scan.add(found)
        index = found.last


def _best_at(scan: _Scan, index: int) -> _Found | None:
    candidates = [f for f in (_phrase_at(scan, index), _ministry_at(scan, index)) if f]
    if not candidates:
        head = _head_at(scan, index)
        candidates = [head] if head else []
    return max(candidates, key=lambda f: f.last - f.first, default=None)


# People.


def _nameable(scan: _Scan, index: int) -> bool:
    """Return whether the token at `index` may be part of a person's or a place's name."""
    if not scan.free(index):
        return False
    token = scan.tokens[index]
    if not token.arabic or len(token.norm) < _MIN_STEM:
        return False
    norm = token.norm
    if norm in scan.gaz.demonyms:
        return False
    if any(scan.gaz.has(section, norm) for section in ("title_words", "ministry")):
        return False
    return not any(scan.is_word(index, section, _CLITICS) for section in _NOT_NAMES)


def _name_end(scan: _Scan, start: int, *, definite: bool = True) -> int | None:
    """Return the end of the person's name that starts at `start`, or None if none does.

    A lone word with the article is a name only when `definite` allows it: after a bare title
    ("الرئيس السيسي") it is, after a long one ("المتحدث باسم البيت الأبيض الخبر") it is not.
    """
    if not _nameable(scan, start):
        return None
    first = scan.tokens[start].norm
    known = first in scan.gaz.given_names
    connector = scan.gaz.has("connectors", first)
    if first.startswith(_ARTICLE) and not known:
        if not definite or _continues_name(scan, start + 1):
            return None
        return start + 1
    end = start + 1
    while end < len(scan.tokens) and end - start < _MAX_NAME_TOKENS and _takes(scan, start, end):
        end += 1
    if connector and end == start + 1:
        return None
    return end


def _continues_name(scan: _Scan, index: int) -> bool:
    return (
        index < len(scan.tokens)
        and scan.tokens[index].joined
        and _nameable(scan, index)
        and not scan.tokens[index].norm.startswith("و")
    )


def _takes(scan: _Scan, start: int, index: int) -> bool:
    """Return whether the name that starts at `start` goes on to the token at `index`."""
    if not scan.tokens[index].joined or not _nameable(scan, index):
        return False
    norm = scan.tokens[index].norm
    if scan.gaz.has("connectors", scan.tokens[index - 1].norm) or scan.gaz.has("connectors", norm):
        return True
    connectors = sum(scan.gaz.has("connectors", t.norm) for t in scan.tokens[start:index])
    part = index - start - connectors
    if norm.startswith("و") and norm not in scan.gaz.given_names:
        # و before a second name is "and" (محمد وأحمد); before a surname it is a letter.
        return part == 1 and norm[1:] not in scan.gaz.given_names
    return part == 1 or norm in scan.gaz.given_names or _definite(norm)


def _chain_end(scan: _Scan, index: int) -> int | None:
    """Return the index after the title that starts at `index` (its words, places, orgs)."""
    cursor: int | None = index + 1
    if not _direct_title(scan, index):
        cursor = _complement_end(scan, index + 1)
    while cursor is not None and cursor < len(scan.tokens) and scan.tokens[cursor].joined:
        if scan.taken[cursor]:
            found = _found_at(scan, cursor)
            if found is None or found.kind == "person":
                return None
            cursor = found.last
        elif _title_word(scan, cursor) or _preposition_to_found(scan, cursor):
            cursor += 1
        else:
            break
    return cursor


def _direct_title(scan: _Scan, index: int) -> bool:
    """Return whether a name may follow the title word at `index` with nothing between."""
    return any(rest.startswith(_ARTICLE) for rest in scan.stripped(index)) or scan.is_word(
        index, "direct_titles", _CONJUNCTIONS
    )


def _complement_end(scan: _Scan, index: int) -> int | None:
    """Return the index after the complement of an indefinite title: up to a definite word."""
    cursor = index
    while cursor < len(scan.tokens) and cursor - index < 3 and scan.tokens[cursor].joined:
        if scan.taken[cursor]:
            found = _found_at(scan, cursor)
            return None if found is None or found.kind == "person" else found.last
        norm = scan.tokens[cursor].norm
        if not scan.tokens[cursor].arabic or scan.gaz.has("stop", norm):
            return None
        cursor += 1
        if _definite(norm) or norm in scan.gaz.demonyms:
            return cursor
    return None


def _preposition_to_found(scan: _Scan, index: int) -> bool:
    """Return whether `index` is "إلى"/"في"/"لدى" before a place or organization."""
    after = index + 1
    return (
        scan.gaz.has("title_prepositions", scan.tokens[index].norm)
        and after < len(scan.tokens)
        and scan.taken[after]
        and scan.tokens[after].joined
        and (found := _found_at(scan, after)) is not None
        and found.kind != "person"
    )


def _title_word(scan: _Scan, index: int) -> bool:
    clitics = ("", "ل", "و")
    return (
        scan.is_word(index, "title_words", clitics)
        or scan.is_word(index, "title_heads", clitics)
        or scan.is_demonym(index, clitics)
    )


def _found_at(scan: _Scan, index: int) -> _Found | None:
    for found in reversed(scan.found):
        if found.first <= index < found.last:
            return found
    return None


def _title_pass(scan: _Scan) -> None:
    tokens = scan.tokens
    index = 0
    while index < len(tokens):
        word = tokens[index].word
        start = _title_start(scan, index) if word.title or word.demonym else None
        if start is None:
            index += 1
            continue
        start = min(start, len(scan.tokens))
        if start < len(scan.tokens) and scan.tokens[start].joined:
            bare = start - index == 1 or (start - index == 2 and scan.is_demonym(index + 1))
            _add_person(scan, start, _name_end(scan, start, definite=bare), "title")
        index = max(start, index + 1)


def _title_start(scan: _Scan, index: int) -> int | None:
    """Return where the name after a title at `index` would start, if a title is there."""
    if not scan.free(index):
        return None
    word = scan.tokens[index].word
    if word.title:
        return _chain_end(scan, index)
    if word.demonym and _given_at(scan, index + 1):
        return index + 1
    return None


def _given_at(scan: _Scan, index: int) -> bool:
    return (
        index < len(scan.tokens)
        and scan.tokens[index].joined
        and scan.tokens[index].norm in scan.gaz.given_names
    )


def _add_person(scan: _Scan, start: int, end: int | None, via: Via) -> None:
    if end is not None and end > start:
        scan.add(_Found(start, end, 0, "person", via))


def _speech_pass(scan: _Scan, known: set[str]) -> None:
    tokens, taken = scan.tokens, scan.taken
    for index in range(len(tokens) - 1):
        if not tokens[index].word.speech_verb or taken[index]:
            continue
        start = index + 1
        end = _name_end(scan, start) if scan.tokens[start].loose else None
        if end is not None and _evidence(scan, start, end, known):
            _add_person(scan, start, end, "speech")


def _evidence(scan: _Scan, start: int, end: int, known: set[str]) -> bool:
    """Return whether a name after a speech verb is a name: known, or a title follows it."""
    if scan.tokens[start].norm in scan.gaz.given_names:
        return True
    if scan.tokens[end - 1].norm in known:
        return True
    return _apposition_at(scan, end)


def _apposition_at(scan: _Scan, index: int) -> bool:
    """Return whether an apposition starts at `index`: "، رئيس ..." or "المتحدث ..."."""
    if index >= len(scan.tokens) or not scan.tokens[index].word.apposition:
        return False
    token = scan.tokens[index]
    comma = token.loose and not token.joined
    return comma or (token.joined and token.norm.startswith(_ARTICLE))


def _apposition_pass(scan: _Scan) -> None:
    tokens, taken = scan.tokens, scan.taken
    for index in range(1, len(tokens)):
        if not tokens[index].word.apposition or taken[index] or not _apposition_at(scan, index):
            continue
        comma = not scan.tokens[index].joined
        start = _name_start_before(scan, index)
        if start is not None and (comma or _introduced(scan, start)):
            _add_person(scan, start, index, "apposition")


def _name_start_before(scan: _Scan, end: int) -> int | None:
    start = end
    while start > 0 and end - start < 3 and _nameable(scan, start - 1):
        start -= 1
        if not scan.tokens[start].joined or scan.tokens[start].sentence_start:
            break
    if start == end or _name_end(scan, start) != end:
        return None
    return start if _opens_name(scan, start) else None


def _introduced(scan: _Scan, start: int) -> bool:
    """Return whether the name at `start` follows a speech verb or begins with a given name."""
    before = start - 1
    return scan.tokens[start].norm in scan.gaz.given_names or (
        before >= 0 and scan.tokens[start].joined and scan.tokens[before].word.speech_verb
    )


def _opens_name(scan: _Scan, start: int) -> bool:
    token = scan.tokens[start]
    if token.sentence_start or not token.joined:
        return True
    before = start - 1
    return scan.tokens[before].word.speech_verb or scan.is_word(before, "stop")


# Coreference: surnames and names found by a pattern, mentioned again.


def _coreference_pass(scan: _Scan) -> None:
    names: dict[str, _Found] = {}
    for found in list(scan.found):
        if found.via in ("title", "speech", "apposition", "head"):
            names.setdefault(scan.tokens[found.last - 1].norm, found)
    names = {norm: f for norm, f in names.items() if not _common(scan, norm)}
    if not names:
        return
    for index, token in enumerate(scan.tokens):
        if scan.taken[index]:
            continue
        for skip, rest in token.word.variants:
            source = names.get(rest)
            if source is not None:
                scan.add(_Found(index, index + 1, skip, source.kind, "coreference"))
                break


def _common(scan: _Scan, norm: str) -> bool:
    return len(norm) < 3 or scan.gaz.has("stop", norm) or scan.gaz.has("title_words", norm)


# Assembly: one entity per person (by surname), per name otherwise.


def _resolve(scan: _Scan) -> list[Mention]:
    people = _people(scan)
    mentions: list[Mention] = []
    for found in sorted(scan.found, key=lambda f: f.first):
        start, end = scan.span(found)
        surface = _display(scan.text[start:end])
        if found.entity is not None:
            entity = found.entity
        elif found.kind == "person":
            entity = people[_surname(scan, found)]
        else:
            entity = scan.gaz.lookup(surface) or Entity(found.kind, surface)
        mentions.append(Mention(entity, start, end, scan.text[start:end], found.via))
    return mentions


def _surname(scan: _Scan, found: _Found) -> str:
    norm = scan.tokens[found.last - 1].norm
    return norm[found.skip :] if found.first == found.last - 1 else norm


def _people(scan: _Scan) -> dict[str, Entity]:
    surfaces: dict[str, list[str]] = {}
    for found in scan.found:
        if found.kind == "person" and found.entity is None:
            start, end = scan.span(found)
            surfaces.setdefault(_surname(scan, found), []).append(_display(scan.text[start:end]))
    return {surname: _person(scan.gaz, names) for surname, names in surfaces.items()}


def _person(gazetteer: Gazetteer, names: list[str]) -> Entity:
    distinct = list(dict.fromkeys(names))
    full = max(distinct, key=lambda n: (len(n.split()), -distinct.index(n)))
    known = gazetteer.lookup(full)
    if known is not None and known.kind == "person":
        return known
    return Entity("person", full, tuple(n for n in distinct if n != full))


def recognize(text: str, gazetteer: Gazetteer | None = None) -> list[Mention]:
    """Return the named people, places and organizations of `text`, in order of position."""
    if not text or not text.strip():
        return []
    scan = _Scan(text[:MAX_CHARS], gazetteer or default_gazetteer())
    _gazetteer_pass(scan)
    _title_pass(scan)
    _apposition_pass(scan)
    known = {scan.tokens[f.last - 1].norm for f in scan.found if f.kind == "person"}
    _speech_pass(scan, known)
    _coreference_pass(scan)
    return _resolve(scan)


def entity_counts(mentions: Iterable[Mention]) -> list[tuple[Entity, int]]:
    """Return each distinct entity with its number of mentions, most mentioned first."""
    counts: Counter[str] = Counter()
    entities: dict[str, Entity] = {}
    for mention in mentions:
        counts[mention.entity.key] += 1
        entities.setdefault(mention.entity.key, mention.entity)
    return [(entities[key], count) for key, count in counts.most_common()]


def countries(text: str, gazetteer: Gazetteer | None = None) -> set[str]:
    """Return the countries `text` names or qualifies with their adjective (الليرة التركية)."""
    gazetteer = gazetteer or default_gazetteer()
    known = gazetteer.countries()
    scan = _Scan(text[:MAX_CHARS], gazetteer)
    found: set[str] = set()
    for index in range(len(scan.tokens)):
        phrase = _phrase_at(scan, index)
        if phrase is not None and phrase.entity is not None and phrase.entity.name in known:
            found.add(phrase.entity.name)
            continue
        for _, rest in scan.tokens[index].word.variants:
            country = gazetteer.demonyms.get(rest)
            if country is not None:
                found.add(country)
                break
    return found
