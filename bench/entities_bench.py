"""Entity benchmarks: extraction throughput, span look-up time, linking cost per article.

Usage: python bench/entities_bench.py [--corpus PATH] [--repeat N] [--stream-articles N] [--link-articles N] [--link-generated N]

1. Extraction: ``add_mentions`` (the per-article analyser the import workers run) over real
   news articles (the ECB+ dev corpus and the bundled seeds), one process, articles per
   second of CPU time (median of --repeat runs). The target is >= 5,000 articles/s per core.
   The headline figure is a worker deep into an import (its caches of decisions warm, as
   after the first few thousand articles); "first sight" empties those caches before each
   pass (every article new to the process: the worst case). The peer figure in the same run
   is one regex pass finding capitalised words (the floor any capitalisation-based
   recognizer pays). Also: loading the cached gazetteer, once per worker process.
   "A stream of distinct articles" is what an import worker does: --stream-articles generated
   articles (bench/corpus.py, cleaned and their language detected as the import does) seen once
   each, after as many others warmed the caches (caches emptied before each of --repeat passes).
2. Span look-up: ``library.entity_spans(id)`` for one 10,000-word article stored in a
   library (median of 200 calls). The target is < 5 ms.
3. Linking: time spent in ``link_entities_stage`` per imported article while importing
   --link-articles articles (variants of the corpus articles, distinct ids) into a new library.
4. Linking as the library grows (--link-generated N, e.g. 100000: about 10 minutes on 2 cores):
   N generated articles (bench/corpus.py, the import benchmark's corpus) imported with 2 workers
   running only what linking needs (sections, mentions) and only the linking stage; the stage's
   CPU time per article, median over the batches of 500 of each tenth of the import, so a
   cost that grows with the library shows. The target is <= 0.25 ms/article, flat.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.entities import get_recognizer  # noqa: E402
from reader.entities.analysis import add_mentions  # noqa: E402
from reader.entities.gazetteer import gazetteer  # noqa: E402
from reader.model import PreparedArticle, RawArticle  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "ecbplus_dev.jsonl"


def load_articles(corpus: Path) -> list[tuple[str, str, str | None]]:
    """(title, text, lang) of the corpus articles and the seeds."""
    articles: list[tuple[str, str, str | None]] = []
    if corpus.is_file():
        for line in corpus.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            articles.append((row["title"], row["text"], row.get("lang")))
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        title, _, body = seed.read_text(encoding="utf-8").partition("\n")
        articles.append((title, body, "fr" if "002_" in seed.name else "en"))
    return articles


def prepared(title: str, text: str, lang: str | None, external_id: str) -> PreparedArticle:
    raw = RawArticle(external_id=external_id, title=title, text=text, origin="bench", lang=lang)
    return PreparedArticle(raw, text, external_id, lang, None, None, None)


def bench_extraction(articles: list[tuple[str, str, str | None]], repeat: int) -> None:
    batch = [prepared(t, x, lang, str(i)) for i, (t, x, lang) in enumerate(articles)]
    loads = []
    for _ in range(5):
        gazetteer.cache_clear()
        started = time.perf_counter()
        gazetteer()  # once per worker process; not part of the per-article cost
        loads.append(time.perf_counter() - started)
    for item in batch:  # warm the per-process caches as a long import would
        add_mentions(item)
    rates, wall_rates, first_sight, mentions = [], [], [], 0
    for _ in range(repeat):
        cpu, wall = time.process_time(), time.perf_counter()
        mentions = sum(len(add_mentions(item).mentions) for item in batch)
        rates.append(len(batch) / (time.process_time() - cpu))
        wall_rates.append(len(batch) / (time.perf_counter() - wall))
        clear_caches = getattr(get_recognizer(), "clear_caches", None)
        if clear_caches is not None:
            clear_caches()
        cpu = time.process_time()
        for item in batch:
            add_mentions(item)
        first_sight.append(len(batch) / (time.process_time() - cpu))
    words = sum(len(x.split()) for _, x, _ in articles) / len(articles)
    print(f"extraction: {len(batch)} articles (mean {words:.0f} words), {mentions} mentions per pass")
    print(f"  add_mentions: median {statistics.median(rates):,.0f} articles/s per core (CPU time), "
          f"{statistics.median(wall_rates):,.0f} articles/s wall; {1e6 / statistics.median(rates):.0f} us/article")
    print(f"  add_mentions, first sight (caches emptied before each pass): median {statistics.median(first_sight):,.0f} "
          f"articles/s per core; {1e6 / statistics.median(first_sight):.0f} us/article")
    print(f"  gazetteer load from the user cache (once per worker process): median {statistics.median(loads) * 1000:.0f} ms")
    capitalised = re.compile(r"\b[A-Z][\w'-]*")
    peer = []
    for _ in range(repeat):
        cpu = time.process_time()
        for item in batch:
            capitalised.findall(item.text)
        peer.append(len(batch) / (time.process_time() - cpu))
    print(f"  peer, one regex pass for capitalised words: median {statistics.median(peer):,.0f} articles/s per core")


def generated_articles(count: int) -> list[PreparedArticle]:
    """``count`` generated articles (bench/corpus.py), cleaned and their language detected as the
    import does (``prepare_article`` without its analysers)."""
    from reader import pipeline

    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import generate

    analyzers = list(pipeline.ARTICLE_ANALYZERS)
    pipeline.ARTICLE_ANALYZERS[:] = []
    try:
        return [
            pipeline.prepare_article(RawArticle(row["id"], row["title"], row["text"], "bench", date=row.get("date"), source=row.get("source")))
            for row in generate(count)
        ]
    finally:
        pipeline.ARTICLE_ANALYZERS[:] = analyzers


def bench_stream(count: int, repeat: int) -> None:
    """add_mentions over ``count`` distinct generated articles seen once each, the caches warmed by
    ``count`` others before (emptied before each pass): an import worker's steady state."""
    articles = generated_articles(2 * count)
    warm, measured = articles[:count], articles[count:]
    clear_caches = getattr(get_recognizer(), "clear_caches", None)
    rates = []
    for _ in range(repeat):
        if clear_caches is not None:
            clear_caches()
        for item in warm:
            add_mentions(item)
        cpu = time.process_time()
        for item in measured:
            add_mentions(item)
        rates.append(len(measured) / (time.process_time() - cpu))
    words = sum(len((item.text or "").split()) for item in measured) / len(measured)
    print(f"  add_mentions, a stream of distinct articles ({len(measured):,} generated articles, mean {words:.0f} words, each seen once "
          f"after {len(warm):,} others): median {statistics.median(rates):,.0f} articles/s per core; {1e6 / statistics.median(rates):.0f} us/article")


def long_article(articles: list[tuple[str, str, str | None]], words: int) -> str:
    parts: list[str] = []
    count = 0
    for _, text, lang in articles * 10:
        if lang != "en":
            continue
        parts.append(text)
        count += len(text.split())
        if count >= words:
            break
    return "\n\n".join(parts)


def bench_spans(articles: list[tuple[str, str, str | None]]) -> None:
    from reader.pipeline import import_records
    from reader.store import open_library

    text = long_article(articles, 10_000)
    with tempfile.TemporaryDirectory() as folder:
        library = open_library(Path(folder) / "bench.sqlite3")
        import_records(library, [RawArticle("long", "A long article", text, "bench", lang="en")], workers=1)
        article = library.find_article("long")
        assert article is not None
        spans = library.entity_spans(article.id)
        timings = []
        for _ in range(200):
            started = time.perf_counter()
            library.entity_spans(article.id)
            timings.append(time.perf_counter() - started)
        library.close()
    print(f"span look-up: article of {len((article.text or '').split()):,} words, {len(spans):,} spans: "
          f"median {statistics.median(timings) * 1000:.2f} ms, max {max(timings) * 1000:.2f} ms")


def bench_linking(articles: list[tuple[str, str, str | None]], count: int) -> None:
    import reader.pipeline as pipeline
    from reader.entities.linking import link_entities_stage
    from reader.store import open_library

    spent = 0.0

    def timed_stage(library, batch, results):  # type: ignore[no-untyped-def]
        nonlocal spent
        started = time.process_time()
        link_entities_stage(library, batch, results)
        spent += time.process_time() - started

    position = pipeline.LIBRARY_STAGES.index(link_entities_stage)
    pipeline.LIBRARY_STAGES[position] = timed_stage
    raws = []
    for i in range(count):
        title, text, lang = articles[i % len(articles)]
        raws.append(RawArticle(f"a{i}", f"{title} ({i})", f"{text}\n\nReport {i} by Agency{i % 97} in Paris.", "bench", lang=lang))
    try:
        with tempfile.TemporaryDirectory() as folder:
            library = open_library(Path(folder) / "bench.sqlite3")
            started = time.perf_counter()
            pipeline.import_records(library, raws, workers=1)
            total = time.perf_counter() - started
            entities = library.entity_count()
            library.close()
    finally:
        pipeline.LIBRARY_STAGES[position] = link_entities_stage
    print(f"linking: {count:,} articles imported in {total:.1f} s wall; link_entities_stage {spent:.2f} s CPU = "
          f"{spent / count * 1000:.3f} ms/article; {entities:,} entities")


def bench_linking_growth(count: int) -> None:
    import reader.pipeline as pipeline
    from reader.entities.linking import link_entities_stage
    from reader.similarity.sections import add_sections
    from reader.store import open_library

    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import write_jsonl

    per_batch: list[float] = []

    def timed_stage(library, batch, results):  # type: ignore[no-untyped-def]
        started = time.process_time()
        link_entities_stage(library, batch, results)
        per_batch.append((time.process_time() - started) / len(batch) * 1000)

    def raws(path: Path):  # type: ignore[no-untyped-def]
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                row = json.loads(line)
                yield RawArticle(row["id"], row["title"], row["text"], "bench", date=row.get("date"), source=row.get("source"))

    analyzers, stages = list(pipeline.ARTICLE_ANALYZERS), list(pipeline.LIBRARY_STAGES)
    pipeline.ARTICLE_ANALYZERS[:] = [add_sections, add_mentions]
    pipeline.LIBRARY_STAGES[:] = [timed_stage]
    try:
        with tempfile.TemporaryDirectory() as folder:
            source = write_jsonl(Path(folder) / "corpus.jsonl", count)
            library = open_library(Path(folder) / "bench.sqlite3")
            started = time.perf_counter()
            pipeline.import_records(library, raws(source), workers=2)
            total = time.perf_counter() - started
            entities = library.entity_count()
            library.close()
    finally:
        pipeline.ARTICLE_ANALYZERS[:], pipeline.LIBRARY_STAGES[:] = analyzers, stages
    tenth = max(1, len(per_batch) // 10)
    slices = [per_batch[i : i + tenth] for i in range(0, len(per_batch), tenth)]
    print(f"linking as the library grows: {count:,} generated articles in {total:.0f} s wall, {entities:,} entities; "
          f"link_entities_stage median {statistics.median(per_batch):.3f} ms/article (CPU)")
    print("  per tenth of the import: " + ", ".join(f"{statistics.median(s):.3f}" for s in slices) + " ms/article")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--stream-articles", type=int, default=1500, help="distinct generated articles for the stream figure (0: skip)")
    parser.add_argument("--link-articles", type=int, default=3000)
    parser.add_argument("--link-generated", type=int, default=0, help="also import N generated articles (see 4.)")
    args = parser.parse_args()
    articles = load_articles(args.corpus)
    bench_extraction(articles, args.repeat)
    if args.stream_articles:
        bench_stream(args.stream_articles, args.repeat)
    bench_spans(articles)
    if args.link_articles:
        bench_linking(articles, args.link_articles)
    if args.link_generated:
        bench_linking_growth(args.link_generated)


if __name__ == "__main__":
    main()
