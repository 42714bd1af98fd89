"""Named entities: precision, recall and F1 per kind on the labelled sentences, and speed.

python -m bench.entities

Quality is measured on tests/fixtures/stories/entities.jsonl (original sentences, each labelled
with the span, kind and canonical name of every person, place and organization). A predicted
mention is right when a labelled mention of the same kind overlaps it; `resolved` is the share of
the right mentions whose canonical name is the labelled one (سورية -> سوريا, لافروف -> the full
name). The rules were tuned on entities.jsonl; entities_heldout.jsonl was written after they were
frozen and is reported apart, as the fairer estimate. Two methods are compared in one run: the
gazetteer alone, and the gazetteer with the
patterns (titles, speech verbs, appositions, head words, coreference) that `recognize` ships.
Speed is measured on the seed page of ../shared when it is there, else on the fixture text.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from khabar.arabic import normalize
from khabar.stories.entities import Mention, recognize

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests/fixtures/stories/entities.jsonl"
HELDOUT = ROOT / "tests/fixtures/stories/entities_heldout.jsonl"
SEED = ROOT.parent / "shared/seeds/000_c2bff6950b03e632.txt"
SEED_EXPECTED = ROOT.parent / "shared/fixtures/seed-article.expected.json"
KINDS = ("person", "place", "org")


@dataclass(frozen=True)
class Gold:
    """One labelled mention."""

    kind: str
    start: int
    end: int
    name: str


@dataclass
class Tally:
    """Counts for one kind."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    resolved: int = 0

    def row(self, label: str) -> str:
        """Return the table row of these counts."""
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        res = self.resolved / self.tp if self.tp else 0.0
        counts = f"{self.tp:>4} {self.fp:>4} {self.fn:>4}"
        return f"{label:<10} {p:>9.3f} {r:>7.3f} {f:>6.3f} {res:>9.3f}  {counts}"


def load(path: Path = FIXTURE) -> list[tuple[str, list[Gold]]]:
    """Return the labelled documents of the fixture."""
    docs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        gold = [Gold(m["kind"], m["start"], m["end"], m["name"]) for m in item["mentions"]]
        docs.append((item["text"], gold))
    return docs


def _same_name(mention: Mention, gold: Gold) -> bool:
    names = (mention.entity.name, *mention.entity.aliases)
    return normalize(gold.name) == normalize(mention.entity.name) or (
        normalize(gold.name) in {normalize(n) for n in names} and gold.kind == "person"
    )


def score(
    docs: Iterable[tuple[str, list[Gold]]], keep: Callable[[Mention], bool]
) -> dict[str, Tally]:
    """Return the tallies per kind (and "all") of the mentions that `keep` accepts."""
    tallies = {kind: Tally() for kind in (*KINDS, "all")}
    for text, gold in docs:
        predicted = [m for m in recognize(text) if keep(m)]
        matched: set[int] = set()
        for mention in predicted:
            hit = next(
                (
                    i
                    for i, g in enumerate(gold)
                    if i not in matched
                    and g.kind == mention.entity.kind
                    and g.start < mention.end
                    and mention.start < g.end
                ),
                None,
            )
            for kind in (mention.entity.kind, "all"):
                if hit is None:
                    tallies[kind].fp += 1
                else:
                    tallies[kind].tp += 1
                    tallies[kind].resolved += _same_name(mention, gold[hit])
            if hit is not None:
                matched.add(hit)
        for i, g in enumerate(gold):
            if i not in matched:
                tallies[g.kind].fn += 1
                tallies["all"].fn += 1
    return tallies


def _table(title: str, tallies: dict[str, Tally]) -> None:
    print(f"\n{title}")
    print(f"{'kind':<10} {'precision':>9} {'recall':>7} {'F1':>6} {'resolved':>9}    tp   fp   fn")
    for kind, tally in tallies.items():
        print(tally.row(kind))


def _seed_check() -> None:
    if not SEED.is_file() or not SEED_EXPECTED.is_file():
        print("\nseed page: ../shared is absent, skipped")
        return
    expected = json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))
    mentions = recognize(SEED.read_text(encoding="utf-8"))
    for kind, key in (("person", "people_in_text"), ("place", "places_in_text")):
        found = {normalize(m.text) for m in mentions if m.entity.kind == kind}
        found |= {normalize(n) for m in mentions if m.entity.kind == kind for n in m.entity.aliases}
        missing = [name for name in expected[key] if normalize(name) not in found]
        print(
            f"seed page {kind}: {len(expected[key]) - len(missing)}/{len(expected[key])} found"
            + (f", missing {missing}" if missing else "")
        )


def _speed(docs: list[tuple[str, list[Gold]]]) -> None:
    text = SEED.read_text(encoding="utf-8") if SEED.is_file() else " ".join(t for t, _ in docs)
    recognize(text)
    runs = 20
    started = time.perf_counter()
    for _ in range(runs):
        recognize(text)
    elapsed = (time.perf_counter() - started) / runs
    words = len(text.split())
    print(f"\nspeed: {elapsed * 1000:.1f} ms for {words} words ({words / elapsed:,.0f} words/s)")
    big = "قال وزير الخارجية المصري سامح الدمرداش في القاهرة وجنيف وموسكو. " * 5000
    started = time.perf_counter()
    found = recognize(big)
    print(
        f"capped: {len(big):,} chars -> {len(found)} mentions in "
        f"{(time.perf_counter() - started) * 1000:.0f} ms"
    )


def main() -> None:
    """Print the quality tables and the speed of the entity recogniser."""
    docs = load()
    mentions = sum(len(g) for _, g in docs)
    print(f"entities: {len(docs)} labelled texts, {mentions} mentions ({FIXTURE.name})")
    _table("gazetteer only", score(docs, lambda m: m.via == "gazetteer"))
    _table("gazetteer + patterns (shipped)", score(docs, lambda m: True))
    heldout = load(HELDOUT)
    count = sum(len(g) for _, g in heldout)
    print(f"\nheld out: {len(heldout)} texts, {count} mentions ({HELDOUT.name})")
    _table("held out, gazetteer only", score(heldout, lambda m: m.via == "gazetteer"))
    _table("held out, gazetteer + patterns (shipped)", score(heldout, lambda m: True))
    print()
    _seed_check()
    _speed(docs)


if __name__ == "__main__":
    main()
