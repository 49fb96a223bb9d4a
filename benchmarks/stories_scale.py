"""Stream 100,000 articles through story clustering and the near-duplicate index.

    python benchmarks/stories_scale.py [--count N] [--days D] [--seed S]

Does the time per article stay flat as the stream grows? The articles are the shared ones
(ECB+, the newspaper reference texts and the BBC summaries articles: 2,513 bases of 30
words or more), each analysed once by the real analysis (`newsdesk.analyze`, two processes,
cached in /tmp: about five minutes the first time) and turned into a `StoryItem` by
`story_item`. The stream re-dates them in bursts starting over D days (60): a burst is one
base article republished 1 to 20 times, three hours apart on average (a story running),
each copy perturbed on its own:
half are wire copies (last paragraph dropped, a word or two of the headline changed), half
are rewrites (a fifth of the sentences dropped, two pairs of sentences swapped, 3 % of the
words replaced by words drawn from the corpus); every copy drops each of its people,
organisations and places with probability 0.2. A base recurs in later bursts, so old
stories come back after they retired.

Each article goes through `StoryClusterer.add` (stories quiet for `quiet_days` retire) and
`NearDuplicateIndex.add`; keys older than `quiet_days` are removed from the index as the
stream moves on. Only those two calls are timed. Printed: a row after the first 1,000
articles and after every tenth of the stream (time per article over the last 1,000, split
into clustering and dedup; active stories; candidate stories per article, counted by
`StoryClusterer.candidates` on a sample; articles in the index), then the time per article
over the first and the last 1,000, the near-duplicate index's articles/s, the peak RSS
(`resource.getrusage`), and last the ratio of the last 1,000's time to the first 1,000's.
With today's clusterer 100,000 articles take about 30 minutes (the time per article grows
with the active stories); `--count 10000` gives a first look in two minutes.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import sys
import tempfile
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from math import fsum
from pathlib import Path
from statistics import fmean
from typing import Any

from newsdesk.analyze import ANALYZER_VERSION, analyze_articles
from newsdesk.models import Article
from newsdesk.stories import (
    ClusterOptions,
    NearDuplicateIndex,
    StoryClusterer,
    StoryItem,
    story_item,
)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
CACHE = Path(tempfile.gettempdir()) / "newsdesk_scale_items.json"
START = datetime(2024, 1, 1, tzinfo=UTC)
WINDOW = 1000
SAMPLE_EVERY = 10
"""Candidates are counted for every tenth article of a window (the count is not timed)."""
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“‘'])")
_WORD = re.compile(r"[A-Za-z]+")


def _decode(raw: bytes) -> str:
    """UTF-8, else Latin-1 (some BBC files are not UTF-8)."""
    try:
        return raw.decode("utf8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _first_sentence(text: str) -> str:
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0]


def base_articles() -> list[Article]:
    """The shared articles with a title and at least 30 words of body."""
    with (DATA / "stories" / "ecbplus.jsonl").open(encoding="utf8") as f:
        articles = [Article(title=r["title"], body=r["text"]) for r in map(json.loads, f)]
    for path in sorted((DATA / "html" / "newspaper" / "text").glob("*.txt")):
        body = path.read_text(encoding="utf8")
        articles.append(Article(title=_first_sentence(body), body=body))
    for path in sorted((DATA / "summaries" / "bbc" / "articles").glob("*/*.txt")):
        title, _, body = _decode(path.read_bytes()).strip().partition("\n")
        articles.append(Article(title=title.strip(), body=body.strip()))
    return [replace(a, language="en") for a in articles if len(a.body.split()) >= 30]


def _items_of(articles: list[Article]) -> list[dict[str, Any]]:
    """The clusterer's view of each article, as JSON-ready data (runs in a worker)."""
    analyses = analyze_articles(articles)
    return [asdict(story_item(a, analysis)) for a, analysis in zip(articles, analyses, strict=True)]


def analysed_items(articles: list[Article]) -> list[StoryItem]:
    """`StoryItem`s of the base articles, from the cache when it matches the analyzer."""
    if CACHE.exists():
        cached = json.loads(CACHE.read_text(encoding="utf8"))
        if cached["version"] == ANALYZER_VERSION and len(cached["items"]) == len(articles):
            return [_item(row) for row in cached["items"]]
    print(f"analysing {len(articles)} base articles (cached in {CACHE})...", file=sys.stderr)
    chunks = [articles[i : i + 100] for i in range(0, len(articles), 100)]
    with ProcessPoolExecutor(max_workers=2) as pool:
        rows = [row for chunk in pool.map(_items_of, chunks) for row in chunk]
    CACHE.write_text(json.dumps({"version": ANALYZER_VERSION, "items": rows}), encoding="utf8")
    return [_item(row) for row in rows]


def _item(row: dict[str, Any]) -> StoryItem:
    """A cached base item (undated: the stream dates each copy)."""
    return StoryItem(
        title=row["title"],
        text=row["text"],
        people=tuple(row["people"]),
        organizations=tuple(row["organizations"]),
        places=tuple(row["places"]),
        dates=tuple(row["dates"]),
    )


@dataclass(frozen=True, order=True)
class Arrival:
    """One article of the stream: when, which base, and the seed of its perturbation."""

    published: datetime
    base: int
    seed: int


def schedule(bases: int, count: int, days: float, rng: random.Random) -> list[Arrival]:
    """`count` arrivals in bursts (1 to 20 copies of one base within hours), in time order."""
    arrivals: list[Arrival] = []
    while len(arrivals) < count:
        base = rng.randrange(bases)
        moment = START + timedelta(days=rng.uniform(0, days))
        for _ in range(min(rng.randint(1, 20), count - len(arrivals))):
            moment += timedelta(hours=rng.expovariate(1 / 3))
            arrivals.append(Arrival(moment, base, rng.getrandbits(32)))
    return sorted(arrivals)


def perturbed(base: StoryItem, arrival: Arrival, vocabulary: list[str]) -> StoryItem:
    """A copy of the base as another outlet runs it (see the module docstring)."""
    rng = random.Random(arrival.seed)
    if rng.random() < 0.5:
        title, text = _wire_copy(base, rng, vocabulary)
    else:
        title, text = _rewrite(base, rng, vocabulary)
    return replace(
        base,
        title=title,
        text=text,
        people=_some(base.people, rng),
        organizations=_some(base.organizations, rng),
        places=_some(base.places, rng),
        published=arrival.published,
    )


def _some(names: tuple[str, ...], rng: random.Random) -> tuple[str, ...]:
    """Each name kept with probability 0.8 (outlets name different actors)."""
    return tuple(name for name in names if rng.random() >= 0.2)


def _wire_copy(base: StoryItem, rng: random.Random, vocabulary: list[str]) -> tuple[str, str]:
    """The same body without its last paragraph, a word of the headline changed."""
    paragraphs = [p for p in base.text.split("\n") if p.strip()]
    text = "\n\n".join(paragraphs[:-1] if len(paragraphs) > 2 else paragraphs)
    return _swap_words(base.title, 0.1, rng, vocabulary), text


def _rewrite(base: StoryItem, rng: random.Random, vocabulary: list[str]) -> tuple[str, str]:
    """A fifth of the sentences dropped, two pairs swapped, 3 % of the words replaced."""
    sentences = [s for s in _SENTENCE_END.split(base.text) if rng.random() >= 0.2] or [base.text]
    for _ in range(2):
        i, j = rng.randrange(len(sentences)), rng.randrange(len(sentences))
        sentences[i], sentences[j] = sentences[j], sentences[i]
    text = _swap_words(" ".join(sentences), 0.03, rng, vocabulary)
    return _swap_words(base.title, 0.2, rng, vocabulary), text


def _swap_words(text: str, share: float, rng: random.Random, vocabulary: list[str]) -> str:
    """Replaces each word with a corpus word with probability `share`."""

    def swap(word: re.Match[str]) -> str:
        return rng.choice(vocabulary) if rng.random() < share else word.group()

    return _WORD.sub(swap, text)


def stream(
    items: list[StoryItem], arrivals: list[Arrival], vocabulary: list[str]
) -> Iterator[StoryItem]:
    """The perturbed copies, made as the stream reaches them (memory stays the index's)."""
    for arrival in arrivals:
        yield perturbed(items[arrival.base], arrival, vocabulary)


@dataclass
class Trace:
    """Seconds per article in each of the two timed calls, and candidates on a sample."""

    cluster: list[float] = field(default_factory=list)
    dedup: list[float] = field(default_factory=list)
    candidates: list[int] = field(default_factory=list)
    copies: int = 0

    def ms(self, start: int, stop: int) -> float:
        """Milliseconds per article over articles [start, stop) of the stream."""
        seconds = fsum(self.cluster[start:stop]) + fsum(self.dedup[start:stop])
        return 1000 * seconds / (stop - start)

    def row(self, stop: int, clusterer: StoryClusterer, index: NearDuplicateIndex[int]) -> str:
        """Figures over the WINDOW articles before `stop`, and the state at `stop`."""
        start = stop - WINDOW
        sample = self.candidates[start // SAMPLE_EVERY : stop // SAMPLE_EVERY]
        cluster_ms = 1000 * fmean(self.cluster[start:stop])
        dedup_ms = 1000 * fmean(self.dedup[start:stop])
        return (
            f"{stop:>8} {self.ms(start, stop):>10.3f} {cluster_ms:>10.3f} {dedup_ms:>8.3f} "
            f"{len(clusterer.active_stories):>8} {fmean(sample):>10.1f} {len(index):>8}"
        )


HEADER = (
    f"{'articles':>8} {'ms/article':>10} {'cluster':>10} {'dedup':>8} {'active':>8} "
    f"{'candidates':>10} {'indexed':>8}"
)


def run(items: Iterator[StoryItem], count: int) -> Trace:
    """Streams the items through the clusterer and the index, printing the rows."""
    clusterer = StoryClusterer()
    index: NearDuplicateIndex[int] = NearDuplicateIndex()
    quiet = timedelta(days=ClusterOptions().quiet_days)
    ages: deque[tuple[datetime, int]] = deque()
    trace = Trace()
    print(HEADER)
    for position, item in enumerate(items):
        assert item.published is not None
        started = time.perf_counter()
        clusterer.add(item)
        clustered = time.perf_counter()
        while ages and item.published - ages[0][0] > quiet:
            index.remove(ages.popleft()[1])
        trace.copies += index.add(position, item.text) is not None
        ages.append((item.published, position))
        trace.dedup.append(time.perf_counter() - clustered)
        trace.cluster.append(clustered - started)
        if position % SAMPLE_EVERY == 0:
            trace.candidates.append(len(clusterer.candidates(item)))
        if position + 1 == WINDOW or (position + 1) % max(count // 10, WINDOW) == 0:
            print(trace.row(position + 1, clusterer, index))
    return trace


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="articles to stream")
    parser.add_argument("--days", type=float, default=60.0, help="days the stream spans")
    parser.add_argument("--seed", type=int, default=5, help="seed of the stream")
    args = parser.parse_args()
    if args.count < 2 * WINDOW:
        parser.error(f"--count must be at least {2 * WINDOW}")
    articles = base_articles()
    items = analysed_items(articles)
    vocabulary = [word for a in articles for word in _WORD.findall(a.body)]
    arrivals = schedule(len(items), args.count, args.days, random.Random(args.seed))
    before_mb = _peak_rss_mb()
    started = time.perf_counter()
    trace = run(stream(items, arrivals, vocabulary), args.count)
    elapsed = time.perf_counter() - started
    first_ms = trace.ms(0, WINDOW)
    last_ms = trace.ms(args.count - WINDOW, args.count)
    print(
        f"base articles: {len(items)}; streamed {args.count} over {args.days:g} days in "
        f"{elapsed:.0f} s, making the copies included"
    )
    print(
        f"near-duplicate copies found: {trace.copies}; "
        f"index: {args.count / fsum(trace.dedup):.0f} articles/s"
    )
    print(f"time per article, first {WINDOW}: {first_ms:.3f} ms; last {WINDOW}: {last_ms:.3f} ms")
    print(f"peak RSS: {_peak_rss_mb():.0f} MB ({before_mb:.0f} MB of it before the stream)")
    print(f"ratio last/first {WINDOW}: {last_ms / first_ms:.2f}")


if __name__ == "__main__":
    main()
