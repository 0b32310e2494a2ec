"""Duplicate detection and the whole import at 10,000 and 100,000 articles, against datasketch.

    python bench/cluster_bench.py                   # N = 10,000 and 100,000
    python bench/cluster_bench.py --sizes 2000      # a quick run
    python bench/cluster_bench.py --no-peer         # without datasketch

Articles are generated from real news sentences (bench/corpus.py: ECB+, the feeds and the
seeds), a quarter of each sentence's words replaced by other words of its language (a few
thousand sentences would otherwise make 100,000 articles that copy each other's sentences),
and about 15 % of them are planted copies of an earlier article: exact copies, near copies (changed and deleted words, boilerplate lines),
prefixes (20-45 % of the original) and pages that hold the original among other articles.

For each N, in one run:

1. **import**: the JSON Lines file goes through the real pipeline in this process
   (``import_inputs``: ingest, cleaning, the analysers in worker processes on every core,
   every library stage that exists, clustering included), into a fresh library. Printed:
   articles/s end to end, the milliseconds per article of each library stage, peak memory
   (maximum resident set of this process and of its workers).
2. **duplicate detection**: reader's own cost on one core, i.e. the fingerprints (timed on
   the same clean texts in this process, a pipeline chunk at a time) plus the duplicate
   library stage (timed inside the import): articles/s. Also the stage alone, the part that
   runs in the single main process (CPU ms per article: overall, the median batch of 500 and
   the last batch, the library at its largest), and the bytes of the signature each worker
   ships to it. Recall over the
   planted pairs: a pair counts when reader stored a relation between the two articles.
3. **peer**: datasketch ``MinHash(num_perm=128)`` over the word 5-shingles of the same clean
   texts, each queried in and then inserted into ``MinHashLSH(threshold=0.5)``, on one core:
   articles/s, and recall over the same planted pairs (a pair counts when the later article's
   query returns the earlier one; datasketch gives candidates, it verifies nothing). The
   signatures are made with ``update_batch``, datasketch's fastest way, and the ratio is taken
   against that; the run then times them once more with one ``update`` call per shingle, as
   datasketch's documentation writes it (about four times slower).
4. **story clustering**: the story terms of every page (the per-article part, timed on the
   same clean texts in this process) and the clustering library stage (timed inside the
   import), CPU milliseconds per article; the number of clusters.
5. **adding 100**: 100 new articles (15 of them copies of articles already in the library)
   imported into the N-article library through the same pipeline: seconds, and the
   duplicate stage's part of them.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Self

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

from corpus import weighted_pools
from eval_duplicates import BOILERPLATE, add_boilerplate, delete_words, substitute_words

from reader import pipeline
from reader.config import Limits
from reader.similarity import fingerprint as fingerprint_module
from reader.similarity.fingerprint import Fingerprint

# A chunk's fingerprints at once, as the workers compute them (code before the chunk analysers: one by one)
fingerprints: Callable[[list[str]], list[Fingerprint]] = getattr(
    fingerprint_module, "fingerprints", lambda texts: [fingerprint_module.fingerprint(t) for t in texts]
)
# The bytes the workers ship, as they make them (code before fingerprint.signatures: each fingerprint's to_bytes)
signatures: Callable[[list[str]], list[bytes]] = getattr(
    fingerprint_module, "signatures", lambda texts: [f.to_bytes() for f in fingerprints(texts)]
)
from reader.store import Library, open_library

LIMITS = Limits(max_file_bytes=10**10)  # one JSON Lines file of 100,000 articles is over the default
COPY_RATE = 0.15
COPY_KINDS = {"exact": 0.15, "near": 0.5, "prefix": 0.25, "page": 0.1}
RECENT = 2000  # copies are made of one of the last originals
MUTATION = 0.25


@dataclass
class Corpus:
    path: Path
    n: int
    planted: list[tuple[str, str, str]] = field(default_factory=list)  # (original id, copy id, kind)
    originals: list[dict] = field(default_factory=list)  # the last originals, for more copies


# -- the articles -----------------------------------------------------------------------------------


def _mutate(sentence: str, rng: random.Random, vocabulary: list[str]) -> str:
    """A real sentence made new: a quarter of its words replaced by other words of its language,
    so that unrelated generated articles share words, as real ones do, but rarely a run of five."""
    return " ".join(rng.choice(vocabulary) if rng.random() < MUTATION else w for w in sentence.split())


def original_article(
    i: int, rng: random.Random, pools: dict[str, list[str]], vocabularies: dict[str, list[str]], langs: list[str],
    weights: list[float],
) -> dict:
    lang = rng.choices(langs, weights)[0]
    sentences = [_mutate(rng.choice(pools[lang]), rng, vocabularies[lang]) for _ in range(rng.randint(6, 30))]
    paragraphs = [" ".join(sentences[k : k + 3]) for k in range(0, len(sentences), 3)]
    return {
        "id": f"gen-{i}",
        "title": sentences[0][:90],
        "text": "\n\n".join(paragraphs),
        "lang": lang,
        "source": f"outlet-{rng.randint(0, 59)}",
        "date": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
    }


def copy_of(i: int, original: dict, kind: str, rng: random.Random, recent: list[dict], vocabulary: list[str]) -> dict | None:
    text = original["text"]
    if kind == "near":
        text = substitute_words(text, rng, rng.uniform(0.01, 0.04), vocabulary)
        if rng.random() < 0.5:
            text = delete_words(text, rng, rng.uniform(0.01, 0.03))
        if rng.random() < 0.5:
            text = add_boilerplate(text, rng, original["lang"] if original["lang"] in BOILERPLATE else "en")
    elif kind == "prefix":
        paragraphs = text.split("\n\n")
        words = len(text.split())
        kept: list[str] = []
        share = rng.uniform(0.2, 0.45)
        for paragraph in paragraphs:
            if kept and sum(len(p.split()) for p in kept) + len(paragraph.split()) > share * words:
                break
            kept.append(paragraph)
        text = "\n\n".join(kept)
        if len(text.split()) < 30 or len(text.split()) > 0.5 * words:
            return None
    elif kind == "page":
        others: list[str] = []
        while sum(len(o.split()) for o in others) < 1.5 * len(text.split()):
            other = rng.choice(recent)
            if other is not original:
                others.append(other["text"])
        others.insert(rng.randint(0, len(others)), text)
        text = "\n\n".join(others)
    return dict(original, id=f"gen-{i}", text=text, source=f"outlet-{rng.randint(0, 59)}")


def write_corpus(path: Path, n: int, seed: int = 11, *, first_id: int = 0, originals: list[dict] | None = None) -> Corpus:
    """n articles as JSON Lines; copies of earlier ones planted at COPY_RATE."""
    rng = random.Random(seed)
    pools, langs, weights = weighted_pools()
    vocabularies = {lang: [w for s in pool for w in s.split() if w.isalpha()] for lang, pool in pools.items()}
    vocabulary = vocabularies["en"] if "en" in vocabularies else next(iter(vocabularies.values()))
    corpus = Corpus(path, n, originals=list(originals or []))
    with path.open("w", encoding="utf-8") as handle:
        for i in range(first_id, first_id + n):
            item = None
            if corpus.originals and rng.random() < COPY_RATE:
                original = rng.choice(corpus.originals)
                kind = rng.choices(list(COPY_KINDS), list(COPY_KINDS.values()))[0]
                item = copy_of(i, original, kind, rng, corpus.originals, vocabulary)
                if item is not None:
                    corpus.planted.append((original["id"], item["id"], kind))
            if item is None:
                item = original_article(i, rng, pools, vocabularies, langs, weights)
                corpus.originals.append(item)
                if len(corpus.originals) > RECENT:
                    corpus.originals.pop(rng.randrange(len(corpus.originals)))
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    return corpus


# -- measuring ------------------------------------------------------------------------------------


class StageTimer:
    """Wraps the pipeline's library stages to add up the time each one takes."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}  # wall clock (the workers compete for the cores meanwhile)
        self.cpu: dict[str, float] = {}  # CPU time of this process
        self.cpu_per_article: dict[str, list[float]] = {}  # each call's CPU seconds per article of its batch
        self.original = list(pipeline.LIBRARY_STAGES)

    def __enter__(self) -> Self:
        pipeline.LIBRARY_STAGES[:] = [self._timed(stage) for stage in self.original]
        return self

    def __exit__(self, *exc: object) -> None:
        pipeline.LIBRARY_STAGES[:] = self.original

    def _timed(self, stage: Callable) -> Callable:
        name = stage.__name__

        def timed(*args: object) -> None:
            start, cpu = time.perf_counter(), time.process_time()
            stage(*args)
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start
            self.cpu[name] = self.cpu.get(name, 0.0) + time.process_time() - cpu
            self.cpu_per_article.setdefault(name, []).append((time.process_time() - cpu) / max(1, len(args[1])))  # type: ignore[arg-type]

        return timed


def peak_rss_mb() -> tuple[float, float]:
    """Maximum resident set so far of this process and of its largest finished child, in MB."""
    scale = 1024 if sys.platform != "darwin" else 1
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 1e6
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * scale / 1e6
    return own, children


def clean_texts(library: Library) -> Iterator[tuple[str, int, str]]:
    """(external id, id, clean text) of every page, in id order, page by page."""
    last = 0
    while True:
        rows = library.conn.execute(
            "SELECT id, external_id, text FROM articles WHERE id > ? AND parent_id IS NULL ORDER BY id LIMIT 1000", (last,)
        ).fetchall()
        if not rows:
            return
        for row in rows:
            yield row["external_id"], row["id"], row["text"]
        last = rows[-1]["id"]


def fingerprint_seconds(library: Library) -> tuple[float, float]:
    """CPU seconds to fingerprint every stored clean text once, on one core, by chunks of the
    pipeline's CHUNK_SIZE as the workers do (the signature bytes they ship, see
    fingerprint.add_signatures), and the mean size of that signature (bytes)."""
    total = 0.0
    shipped = 0
    count = 0
    texts = (text for _, _, text in clean_texts(library))
    while chunk := list(islice(texts, pipeline.CHUNK_SIZE)):
        start = time.process_time()
        shipped += sum(map(len, signatures(chunk)))
        total += time.process_time() - start
        count += len(chunk)
    return total, shipped / max(1, count)


def story_terms_seconds(library: Library) -> float:
    """CPU seconds to read the story terms (the clustering's per-article analysis, done in the
    workers) of every stored page once, on one core."""
    from reader.similarity.story_terms import story_terms_of

    total = 0.0
    last = 0
    while rows := library.conn.execute(
        "SELECT id, title, text, lang FROM articles WHERE id > ? AND parent_id IS NULL ORDER BY id LIMIT 1000", (last,)
    ).fetchall():
        for row in rows:
            start = time.process_time()
            story_terms_of(row["title"], row["text"], row["lang"])
            total += time.process_time() - start
        last = rows[-1]["id"]
    return total


def reader_recall(library: Library, planted: list[tuple[str, str, str]]) -> dict[str, float]:
    ids = {external: article_id for external, article_id in library.conn.execute("SELECT external_id, id FROM articles")}
    related = set()
    for a, b in library.conn.execute("SELECT a_id, b_id FROM duplicates"):
        related.add((min(a, b), max(a, b)))
    return _recall(planted, lambda x, y: (min(ids[x], ids[y]), max(ids[x], ids[y])) in related)


def stored_pairs(library: Library, planted: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """The planted pairs whose two articles are both in the library (an exact copy that
    happens to get its original's source is the same article, skipped by the import)."""
    stored = {external for (external,) in library.conn.execute("SELECT external_id FROM articles")}
    return [p for p in planted if p[0] in stored and p[1] in stored]


def _recall(planted: list[tuple[str, str, str]], found: Callable[[str, str], bool]) -> dict[str, float]:
    hits: dict[str, list[bool]] = {}
    for original, copy, kind in planted:
        hits.setdefault(kind, []).append(found(original, copy))
    out = {kind: sum(v) / len(v) for kind, v in sorted(hits.items())}
    out["all"] = sum(sum(v) for v in hits.values()) / max(1, sum(len(v) for v in hits.values()))
    return out


_PEER_WORD = re.compile(r"\w+")


def datasketch_run(
    library: Library, planted: list[tuple[str, str, str]], *, batched: bool = True
) -> tuple[float, dict[str, float], int]:
    """datasketch MinHash(128) + MinHashLSH(0.5) over word 5-shingles of the clean texts, one core.

    ``batched``: the shingles hashed in one ``update_batch`` call, its fastest way; else one
    ``update`` call per shingle, as datasketch's own documentation shows it."""
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    candidates: dict[str, set[str]] = {}
    seconds = 0.0
    count = 0
    for external_id, _, text in clean_texts(library):
        start = time.process_time()
        words = _PEER_WORD.findall(text.lower())
        shingles = {" ".join(words[i : i + 5]) for i in range(max(1, len(words) - 4))}
        signature = MinHash(num_perm=128)
        if batched:
            signature.update_batch([s.encode("utf-8") for s in shingles])
        else:
            for shingle in shingles:
                signature.update(shingle.encode("utf-8"))
        candidates[external_id] = set(lsh.query(signature))
        lsh.insert(external_id, signature)
        seconds += time.process_time() - start
        count += 1
    recall = _recall(planted, lambda a, b: a in candidates.get(b, ()) or b in candidates.get(a, ()))
    return count / seconds if seconds else 0.0, recall, count


@dataclass
class Added:
    """One import of 100 new articles: seconds (wall), CPU seconds of this process, and each library stage's wall seconds."""

    seconds: float
    cpu: float
    stages: dict[str, float]

    @property
    def rest(self) -> float:
        """Reading, the per-article analysis (in this process: fewer than POOL_THRESHOLD articles), upsert, commit."""
        return self.seconds - sum(self.stages.values())


def add_hundred(library: Library, corpus: Corpus, tmp: Path, attempt: int) -> Added:
    """Import 100 new articles (with planted copies): seconds, CPU and each stage's part."""
    extra = write_corpus(
        tmp / f"extra-{attempt}.jsonl", 100, seed=99 + attempt, first_id=corpus.n + 1_000_000 * (attempt + 1),
        originals=corpus.originals,
    )
    with StageTimer() as timer:
        start, cpu = time.perf_counter(), time.process_time()
        report = pipeline.import_inputs(library, [str(extra.path)])
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert report.imported == 100, report
    return Added(elapsed, cpu, dict(timer.seconds))


def run(n: int, tmp: Path, peer: bool, workers: int | None) -> None:
    corpus = write_corpus(tmp / f"corpus-{n}.jsonl", n)
    library = open_library(tmp / f"library-{n}.sqlite3")
    with StageTimer() as timer:
        start = time.perf_counter()
        report = pipeline.import_inputs(library, [str(corpus.path)], workers=workers, limits=LIMITS)
        elapsed = time.perf_counter() - start
    own_mb, child_mb = peak_rss_mb()
    if report.failed or not report.imported:
        raise SystemExit(f"import failed: {[str(p) for p in report.problems[:3]]}")
    print(f"\nN = {n:,}: {report.imported:,} imported, {report.failed} failed, {len(corpus.planted):,} planted copies")
    print(f"  import, whole pipeline ({os.cpu_count()} cores): {elapsed:.1f} s = {n / elapsed:,.0f} articles/s; "
          f"peak RSS {own_mb:,.0f} MB (main), {child_mb:,.0f} MB (largest worker)")
    for name, seconds in timer.seconds.items():
        print(f"    stage {name:<28} {1000 * seconds / n:6.3f} ms/article ({1000 * timer.cpu[name] / n:.3f} ms CPU)")

    stage = timer.cpu.get("find_duplicates_stage", 0.0)
    batches = timer.cpu_per_article.get("find_duplicates_stage", [0.0])
    signing, shipped = fingerprint_seconds(library)
    ours = n / (signing + stage)
    planted = stored_pairs(library, corpus.planted)
    recall = reader_recall(library, planted)
    print(f"  reader duplicates, one core (CPU time): fingerprints {1000 * signing / n:.3f} ms + stage "
          f"{1000 * stage / n:.3f} ms per article = {ours:,.0f} articles/s; {library.duplicate_count():,} relations")
    print(f"    the stage alone (main process): {1000 * stage / n:.3f} ms CPU per article, median batch "
          f"{1000 * statistics.median(batches):.3f} ms, last batch {1000 * batches[-1]:.3f} ms = {n / stage:,.0f} "
          f"articles/s; signature shipped by the workers {shipped:,.0f} bytes per article")
    print(f"    in the pipeline (fingerprints in the workers, the stage in the main process): "
          f"{n / max(stage, signing / (os.cpu_count() or 1)):,.0f} articles/s")
    print("    recall of planted copies: " + ", ".join(f"{k} {v:.4f}" for k, v in recall.items()))
    if peer:
        theirs, peer_recall, _ = datasketch_run(library, planted)
        print(f"  datasketch MinHash(128) + MinHashLSH(0.5), one core: {theirs:,.0f} articles/s "
              f"(reader on one core: {ours / theirs:.1f}x; reader's main-process stage: {n / stage / theirs:.1f}x)")
        print("    recall of planted copies: " + ", ".join(f"{k} {v:.4f}" for k, v in peer_recall.items()))
        documented, _, _ = datasketch_run(library, planted, batched=False)
        print(f"    the same, one MinHash.update call per shingle (as datasketch's documentation shows it): "
              f"{documented:,.0f} articles/s (reader on one core: {ours / documented:.1f}x)")
    clustering = timer.cpu.get("cluster_stories", 0.0)
    terms = story_terms_seconds(library)
    print(f"  reader story clustering (CPU time): story terms {1000 * terms / n:.3f} ms per article (workers) + "
          f"stage {1000 * clustering / n:.3f} ms per article (main process) = {n / (terms + clustering):,.0f} "
          f"articles/s on one core; {library.cluster_count():,} clusters")
    added = [add_hundred(library, corpus, tmp, attempt) for attempt in range(3)]
    median = statistics.median(a.seconds for a in added)
    stages = ", ".join(f"{name} {statistics.median(a.stages.get(name, 0.0) for a in added):.3f}" for name in added[0].stages)
    print(f"  adding 100 articles to the {n:,}-article library: {median:.2f} s (median of 3; CPU "
          f"{statistics.median(a.cpu for a in added):.2f} s; stages {stages}; reading, analysis, upsert and commit "
          f"{statistics.median(a.rest for a in added):.3f} s)")
    library.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--workers", type=int, default=None, help="analysis processes (default: all cores)")
    parser.add_argument("--no-peer", action="store_true", help="skip datasketch")
    args = parser.parse_args(argv)
    print(f"cores: {os.cpu_count()}   python {sys.version.split()[0]}   stages: "
          + ", ".join(s.__name__ for s in pipeline.LIBRARY_STAGES))
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            run(n, Path(tmp), not args.no_peer, args.workers)
    print("\ntargets: reader >= 10x datasketch at equal or better recall; import >= 1,000 articles/s; "
          "adding 100 articles to 100,000 < 1 s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
