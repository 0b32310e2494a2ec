"""The import pipeline: inputs → RawArticle → PreparedArticle (in worker processes) → store.

``prepare_article`` is everything that depends on one article alone (cleaning,
language, date, sections, entity mentions), and the chunk analysers (fingerprints)
then take a chunk of such articles at once; both run in a process pool so both
cores work. The main process writes each batch and runs the library-wide stages
(entity linking, duplicates, clustering) on it inside a transaction, which holds
BATCHES_PER_COMMIT batches, so a batch lands whole or not at all.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from typing import Any

from reader.annotations.reanchoring import reanchor_changed_articles
from reader.config import Limits
from reader.entities.analysis import add_mentions
from reader.entities.linking import link_entities_stage
from reader.ingest import plan_inputs, read_source
from reader.ingest.base import Source
from reader.model import ImportReport, IngestProblem, PreparedArticle, RawArticle
from reader.parallel import bounded_imap, process_context, worker_pool
from reader.similarity.clustering import add_story_terms, cluster_stories
from reader.similarity.duplicates import find_duplicates_stage
from reader.similarity.fingerprint import add_signatures
from reader.similarity.sections import add_sections
from reader.store import Library, UpsertResult
from reader.text.cleaning import clean_text
from reader.text.dates import find_date_in_text, normalize_date
from reader.text.language import detect_language, detection_is_unsure
from reader.text.normalize import content_hash

# Inputs with fewer raw articles than this are prepared in-process: a pool costs more.
POOL_THRESHOLD = 200
CHUNK_SIZE = 64
# Chunks submitted and not yet consumed, per worker: enough for the workers to go on while the
# main process stores a batch (four were not: waiting for results 2.3 -> 0.9 s of an 18.5 s import
# of 10,000 articles into a 100,000-article library). About 0.7 MB a chunk.
CHUNKS_IN_FLIGHT_PER_WORKER = 8
BATCH_SIZE = 500
# Batches written per transaction (see GroupedCommits). Importing 10,000 new articles into a
# 100,000-article library, the main process writes 236 -> 183 KB per article (94.7 -> 72.1
# write calls); the clusters, duplicates and entities are the same.
BATCHES_PER_COMMIT = 2

LibraryStage = Callable[[Library, Sequence[PreparedArticle], Sequence[UpsertResult]], None]
ArticleAnalyzer = Callable[[PreparedArticle], PreparedArticle]
ChunkAnalyzer = Callable[[list[PreparedArticle]], list[PreparedArticle]]
# Per-article analysers, run in worker processes after cleaning, language and date, in this
# order; each returns a dataclasses.replace()d PreparedArticle:
ARTICLE_ANALYZERS: list[ArticleAnalyzer] = [
    add_sections,  # multi-story pages first, so every later analyser sees the sections
    add_mentions,  # entity mentions, which the story terms use
    add_story_terms,  # the terms story clustering compares (entity keys are added in the library stage)
]
# Analysers of a whole chunk at once (vectorised work pays its fixed costs once a chunk), run in
# the worker after ARTICLE_ANALYZERS; each returns the chunk's articles, replace()d, in order:
CHUNK_ANALYZERS: list[ChunkAnalyzer] = [
    add_signatures,  # the similarity fingerprints that duplicate detection indexes
]

# Library-wide stages, run in the main process on each stored batch inside its transaction:
LIBRARY_STAGES: list[LibraryStage] = [
    link_entities_stage,  # canonical entities first, so later stages see the batch's entities
    find_duplicates_stage,  # duplicate relations, so clustering can put copies with their originals
    cluster_stories,  # story clusters
    reanchor_changed_articles,  # annotations follow the text of updated and re-imported articles
]


def prepare_article(raw: RawArticle) -> PreparedArticle:
    """Clean, detect language and date, and analyse one article. Pure: no store access."""
    text = clean_text(raw.text, title=raw.title)  # the title lets a repeated headline go
    lang, prob = detect_language(text, title=raw.title)
    if raw.lang and (lang is None or detection_is_unsure(text, raw.title, prob)):
        lang, prob = raw.lang.split("-")[0].lower()[:3], None  # the declared language, or the feed's
    date = normalize_date(raw.date)
    date_origin = "metadata" if date else None
    if date is None:
        date = find_date_in_text(text, lang)
        date_origin = "text" if date else None
    prepared = PreparedArticle(
        raw=raw,
        text=text,
        content_hash=content_hash(text),
        lang=lang,
        lang_prob=prob,
        date=date,
        date_origin=date_origin,
    )
    for analyze in ARTICLE_ANALYZERS:
        prepared = analyze(prepared)
    return prepared


def _prepare_chunk(chunk: list[RawArticle | Source | IngestProblem], limits: Limits | None = None) -> list[PreparedArticle | IngestProblem]:
    """Prepare a chunk of articles; a Source in the chunk is read here first (in the worker)."""
    out: list[PreparedArticle | IngestProblem] = []
    for item in chunk:
        if isinstance(item, IngestProblem):
            out.append(item)
            continue
        raws = read_source(item, limits or Limits()) if isinstance(item, Source) else (item,)
        for raw in raws:
            if isinstance(raw, IngestProblem):
                out.append(raw)
                continue
            try:
                out.append(prepare_article(raw))
            except Exception as exc:  # one bad article must not sink the batch
                out.append(_problem(raw, exc))
    return _analyze_chunk(out)


def _analyze_chunk(items: list[PreparedArticle | IngestProblem]) -> list[PreparedArticle | IngestProblem]:
    """Run CHUNK_ANALYZERS on the chunk's articles; if one fails, each article alone, so only a bad one fails."""
    try:
        analyzed = [item for item in items if isinstance(item, PreparedArticle)]
        for analyze in CHUNK_ANALYZERS:
            analyzed = analyze(analyzed)
    except Exception:
        return [_analyze_alone(item) if isinstance(item, PreparedArticle) else item for item in items]
    results = iter(analyzed)
    return [next(results) if isinstance(item, PreparedArticle) else item for item in items]


def _analyze_alone(prepared: PreparedArticle) -> PreparedArticle | IngestProblem:
    try:
        for analyze in CHUNK_ANALYZERS:
            (prepared,) = analyze([prepared])
    except Exception as exc:
        return _problem(prepared.raw, exc)
    return prepared


def _problem(raw: RawArticle, exc: Exception) -> IngestProblem:
    return IngestProblem(raw.origin, f"could not process article {raw.external_id!r}: {type(exc).__name__}: {exc}")


def _chunks(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    while chunk := list(islice(items, size)):
        yield chunk


def store_batch(library: Library, batch: Sequence[PreparedArticle], *, is_sample: bool = False) -> list[UpsertResult]:
    """Write one batch and run the library-wide stages on it, all in one transaction."""
    with library.transaction():
        return write_batch(library, batch, is_sample=is_sample)


def write_batch(library: Library, batch: Sequence[PreparedArticle], *, is_sample: bool = False) -> list[UpsertResult]:
    """Write one batch and run the library-wide stages on it, inside the caller's transaction."""
    results = library.upsert_articles(batch, is_sample=is_sample)
    for stage in LIBRARY_STAGES:
        stage(library, batch, results)
    return results


@dataclass
class ImportCounter:
    imported: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    problems: list[IngestProblem] = field(default_factory=list)

    def count(self, results: Iterable[UpsertResult]) -> None:
        for result in results:
            if result.status == "inserted":
                self.imported += 1
            elif result.status == "updated":
                self.updated += 1
            else:
                self.skipped += 1

    def report(self) -> ImportReport:
        return ImportReport(self.imported, self.updated, self.skipped, self.failed, tuple(self.problems))


class GroupedCommits:
    """Stores batches, ``batches_per_commit`` of them to a transaction (the last one may hold
    fewer); a batch's results are counted once its transaction commits.

    Each batch is still written and staged on its own, exactly as with one transaction per
    batch: only the commit is shared. Consecutive batches dirty many of the same pages (the
    upper levels of every index, the common terms' document frequencies, entity and key
    postings), and a page dirtied by both is written to the write-ahead log, and later into
    the database, once instead of twice. An interrupted import loses at most the batches of
    the open transaction; the store stays consistent either way.
    """

    def __init__(self, library: Library, counter: ImportCounter, *, is_sample: bool, batches_per_commit: int) -> None:
        self.library = library
        self.counter = counter
        self.is_sample = is_sample
        self.batches_per_commit = max(1, batches_per_commit)
        self._transaction = ExitStack()
        self._open_batches = 0
        self._uncommitted: list[UpsertResult] = []

    def store(self, batch: Sequence[PreparedArticle]) -> None:
        if not self._open_batches:
            self._transaction.enter_context(self.library.transaction())
        self._uncommitted.extend(write_batch(self.library, batch, is_sample=self.is_sample))
        self._open_batches += 1
        if self._open_batches >= self.batches_per_commit:
            self.commit()

    def commit(self) -> None:
        """Commit the open transaction, if any, and count what it held."""
        if self._open_batches:
            self._transaction.close()
            self._open_batches = 0
            self.counter.count(self._uncommitted)
            self._uncommitted = []

    def __enter__(self) -> GroupedCommits:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        if exc_info[0] is None:
            self.commit()
        else:  # rolled back: nothing of the open transaction is counted
            self._open_batches = 0
            self._uncommitted = []
            self._transaction.__exit__(*exc_info)


def import_inputs(library: Library, inputs: Iterable[str], *, limits: Limits | None = None, **options) -> ImportReport:
    """Import every article that the given paths and URLs hold."""
    limits = limits or Limits()
    return import_records(library, plan_inputs(inputs, limits), limits=limits, **options)


def import_records(
    library: Library,
    records: Iterable[RawArticle | Source | IngestProblem],
    *,
    limits: Limits | None = None,
    is_sample: bool = False,
    workers: int | None = None,
    batch_size: int = BATCH_SIZE,
    on_problem: Callable[[IngestProblem], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import everything the inputs hold; problems are reported and the rest goes on.

    Committed every BATCHES_PER_COMMIT batches: an interrupted import keeps what it
    committed, and running it again completes it (unchanged articles are skipped).
    """
    counter = ImportCounter()

    def note(problem: IngestProblem) -> None:
        if not problem.warning:
            counter.failed += 1
        counter.problems.append(problem)
        if on_problem:
            on_problem(problem)

    def raw_articles() -> Iterator[RawArticle | Source | IngestProblem]:
        for item in records:
            if isinstance(item, IngestProblem):
                yield item  # passed through the chunks, so problems are told in input order
            elif isinstance(item, Source):
                yield item  # read by the worker
            elif library.is_unchanged(item.external_id, item.title, item.text):
                counter.skipped += 1  # already stored as is: no need to analyse it again
            else:
                yield item

    raws = raw_articles()
    head = list(islice(raws, POOL_THRESHOLD))
    stream: Iterator[RawArticle | Source | IngestProblem] = _chain(head, raws)
    prepare_chunk = partial(_prepare_chunk, limits=limits or Limits())
    workers = workers if workers is not None else (os.cpu_count() or 1)
    use_pool = workers > 1 and len(head) >= POOL_THRESHOLD

    pending: list[PreparedArticle] = []
    pending_ids: set[str] = set()
    processed = 0
    writer = GroupedCommits(library, counter, is_sample=is_sample, batches_per_commit=BATCHES_PER_COMMIT)

    def flush(*, final: bool = False) -> None:
        nonlocal processed
        while len(pending) >= batch_size or (final and pending):
            batch = pending[:batch_size]
            writer.store(batch)
            del pending[: len(batch)]
            pending_ids.difference_update(p.raw.external_id for p in batch)
            processed += len(batch)
            if on_progress:
                on_progress(processed)

    def consume(prepared_chunks: Iterable[list[PreparedArticle | IngestProblem]]) -> None:
        for chunk in prepared_chunks:
            for item in chunk:
                if isinstance(item, IngestProblem):
                    note(item)
                    continue
                if item.raw.external_id in pending_ids:
                    flush(final=True)  # an id met twice: the first lands, the second updates it in a later batch
                pending.append(item)
                pending_ids.add(item.raw.external_id)
            flush()
        flush(final=True)

    with collector_tuned_for_import(), library.fewer_checkpoints(), writer:
        if use_pool:
            ctx = process_context()
            if ctx.get_start_method() == "fork":
                warm_up_analysis()  # load once here; forked workers share the pages
                gc.freeze()  # see collector_tuned_for_import
            with worker_pool(ctx, workers) as pool:
                consume(bounded_imap(pool, prepare_chunk, _chunks(stream, CHUNK_SIZE), in_flight=workers * CHUNKS_IN_FLIGHT_PER_WORKER))
        else:
            consume(map(prepare_chunk, _chunks(stream, CHUNK_SIZE)))
    return counter.report()


IMPORT_GC_THRESHOLDS = (50_000, 50, 100)  # Python's defaults: (700, 10, 10)


@contextmanager
def collector_tuned_for_import() -> Iterator[None]:
    """The cyclic garbage collector, tuned for the import, then restored.

    The import allocates millions of short-lived objects and makes almost no cycles, so the
    default thresholds run a collection every 700 allocations, each walking the large
    long-lived caches too. Here collections are rarer, and whatever is frozen inside (the
    analysis data loaded before forking) is never walked: forked workers, which inherit these
    settings, then also leave its shared pages untouched. Main-process CPU on 10,000
    generated articles: 2.19 -> 1.91 ms/article; workers' analysis 3-7% less."""
    thresholds = gc.get_threshold()
    frozen_before = gc.get_freeze_count()  # the app freezes its own start-up objects: leave those be
    gc.set_threshold(*IMPORT_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        if not frozen_before:
            gc.unfreeze()


def warm_up_analysis() -> None:
    """Load the per-process data of the analysers (language profiles, the entity gazetteer ...) ahead of a fork."""
    from reader.entities import warm_up as warm_up_entities
    from reader.text.language import profiles

    profiles()
    warm_up_entities()


def _chain(head: list[Any], rest: Iterator[Any]) -> Iterator[Any]:
    yield from head
    yield from rest
