"""Duplicate relations: exact copies, near copies and containments, found through the store's
index and verified exactly.

How a batch of new (or changed) articles is handled, inside the batch's transaction:

1. **Candidates.** Every key of the batch (its LSH band keys and winnowed containment keys,
   computed in a worker, see ``fingerprint.py``) is looked up in the index, at most
   ``POSTINGS_PER_KEY`` postings per key, the newest; a containment key held by that many
   articles is a stock phrase or boilerplate and is not counted. The batch meets itself in
   memory. An article is a candidate when it shares an LSH band (Jaccard-similar texts:
   near copies), or ``CANDIDATE_KEY_SHARE`` of the containment keys that the smaller text
   would share if it were inside the other, whatever their sizes (see
   :func:`estimated_key_share`).
2. **Index.** The batch's keys go into the store, one posting each (``lsh_bands``).
3. **Verification.** Each candidate pair is checked exactly on the word shingles of both
   texts. The measure is *coverage*: the share of a text's words that lie in a run of five
   words also found in the other text, i.e. how much of it is copied. A changed word only
   uncovers itself (its neighbours stay covered by other runs), while independently written
   articles on the same event stay far lower: they share names and words, not runs of five.

   - ``exact``: the same normalised text (``content_hash``), score 1;
   - ``near``: each text is at least ``NEAR_COVERAGE`` covered by the other (the same text
     with a rewritten intro, changed words or added boilerplate), score = the lower coverage;
   - ``contained``: the smaller text is at least ``CONTAINED_COVERAGE`` covered by the larger
     one, which has more of its own; score = that coverage; stored as (inside, container).

   Precision matters more than recall (a false duplicate hides news), so texts shorter than
   ``MIN_SHINGLES`` shingles (a one-line teaser, an empty body) relate to nothing: they carry
   too little text to call a copy.

Only pages are indexed, not the sections of multi-story pages: a story that also appears on
a multi-story page is *contained* in that page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import product

import numpy as np

from reader.model import PreparedArticle
from reader.similarity.fingerprint import (
    BAND_KEY_FLAG,
    SHINGLE_WORDS,
    Fingerprint,
    fingerprint,
    shingle_sequence,
    sorted_unique,
    winnow_window,
    word_hashes,
)
from reader.store import Library, UpsertResult
from reader.store.duplicates import IndexEntry, RelationRow

MIN_SHINGLES = 16  # about 20 words
NEAR_COVERAGE = 0.75
CONTAINED_COVERAGE = 0.8
POSTINGS_PER_KEY = 64
# A pair is verified when it shares this share of the keys expected if the smaller text were
# inside the other (light edits remove some; the exact check wants 0.75 to 0.8 of the text).
CANDIDATE_KEY_SHARE = 0.3
MAX_CANDIDATES = 64  # per article, the best by shared bands and keys


@dataclass(frozen=True)
class Indexed:
    """An article being indexed: what the verification needs of it (its fingerprint carries
    its shingles)."""

    article_id: int
    content_hash: str
    fingerprint: Fingerprint


@dataclass(frozen=True)
class Verdict:
    relation: str
    score: float
    inside: int  # for contained: the id of the article inside the other
    container: int


def fingerprint_of(prepared: PreparedArticle) -> Fingerprint:
    if prepared.signature:
        try:
            return Fingerprint.from_bytes(prepared.signature)
        except ValueError:  # a signature from another version: compute it again
            pass
    return fingerprint(prepared.text)


@dataclass(frozen=True)
class Shingled:
    """A text as the verification sees it: its shingles in order and as a sorted set."""

    words: int
    sequence: np.ndarray
    distinct: np.ndarray

    @classmethod
    def of(cls, text: str) -> Shingled:
        hashes = word_hashes(text)
        sequence = shingle_sequence(hashes)
        return cls(len(hashes), sequence, sorted_unique(sequence))

    @classmethod
    def of_fingerprint(cls, fp: Fingerprint) -> Shingled:
        """From the shingles a worker already computed (the fingerprint carries them)."""
        return cls(fp.words, fp.sequence, sorted_unique(fp.sequence))


def shared_shingles(text: Shingled, other: Shingled) -> np.ndarray:
    """For each shingle of the text, in order: is it also in the other text?"""
    if len(other.distinct) == 0 or len(text.sequence) == 0:
        return np.zeros(len(text.sequence), dtype=bool)
    found = np.searchsorted(other.distinct, text.sequence)
    found[found == len(other.distinct)] = 0
    return other.distinct[found] == text.sequence


def coverage(text: Shingled, other: Shingled) -> float:
    """The share of the text's words that lie in a run of SHINGLE_WORDS words also found in
    the other text: how much of it is copied text. Scattered word edits barely lower it
    (each changed word leaves its neighbours covered by other runs), while independently
    written text on the same subject stays low (it shares words, not runs of five)."""
    if text.words == 0:
        return 0.0
    shared = shared_shingles(text, other)
    if len(shared) == 1:  # a text shorter than one shingle
        return float(shared[0])
    covered = np.zeros(text.words, dtype=bool)
    for offset in range(SHINGLE_WORDS):  # shingle j covers words j .. j + SHINGLE_WORDS - 1
        covered[offset : offset + len(shared)] |= shared
    return float(np.count_nonzero(covered)) / text.words


def could_relate(a: Shingled, b: Shingled) -> bool:
    """A cheap bound: n shared shingles cover at most n * SHINGLE_WORDS words, so a pair that
    shares too few cannot reach the smaller text's containment threshold."""
    small, large = (a, b) if len(a.distinct) <= len(b.distinct) else (b, a)
    shared = int(np.count_nonzero(shared_shingles(small, large)))
    return shared * SHINGLE_WORDS >= min(NEAR_COVERAGE, CONTAINED_COVERAGE) * small.words


def relation_between(a_id: int, a: Shingled, a_hash: str, b_id: int, b: Shingled, b_hash: str) -> Verdict | None:
    """The relation of two texts, checked exactly on their word shingles, or None."""
    if len(a.distinct) < MIN_SHINGLES or len(b.distinct) < MIN_SHINGLES:
        return None
    if a_hash == b_hash:
        return Verdict("exact", 1.0, min(a_id, b_id), max(a_id, b_id))
    if not could_relate(a, b):
        return None
    a_copied, b_copied = coverage(a, b), coverage(b, a)
    if min(a_copied, b_copied) >= NEAR_COVERAGE:
        return Verdict("near", min(a_copied, b_copied), min(a_id, b_id), max(a_id, b_id))
    if a_copied >= CONTAINED_COVERAGE and a_copied >= b_copied:
        return Verdict("contained", a_copied, a_id, b_id)
    if b_copied >= CONTAINED_COVERAGE:
        return Verdict("contained", b_copied, b_id, a_id)
    return None


def candidate_pairs(library: Library, articles: Sequence[Indexed]) -> list[tuple[int, int]]:
    """Pairs of ids worth verifying, each unordered pair once: a new article and an article
    that shares an LSH band with it, or enough of the containment keys that the smaller of
    the two would share if it were inside the other."""
    in_batch: dict[int, list[int]] = {}  # the batch meets itself in memory, the library in the index
    for article in articles:
        for keys in (article.fingerprint.band_keys, article.fingerprint.containment_keys):
            for key in keys.tolist():
                in_batch.setdefault(key, []).append(article.article_id)
    stored = library.lsh_postings(sorted(in_batch), per_key=POSTINGS_PER_KEY)
    bands: Counter[tuple[int, int]] = Counter()
    shared: Counter[tuple[int, int]] = Counter()
    for key, holders in in_batch.items():
        others = stored.get(key, []) + holders if len(holders) > 1 else stored.get(key)
        if not others:
            continue
        if key < BAND_KEY_FLAG and len(others) >= POSTINGS_PER_KEY:
            continue  # a passage in that many articles is boilerplate: it says nothing
        (bands if key >= BAND_KEY_FLAG else shared).update(product(holders, others))
    batch = {a.article_id: (a.fingerprint.shingle_count, len(a.fingerprint.containment_keys)) for a in articles}
    others_ids = {other for pairs in (bands, shared) for _, other in pairs if other not in batch}
    sizes = batch | library.fingerprint_sizes(others_ids)
    worth: dict[int, list[tuple[float, int]]] = {}
    for pair in bands.keys() | shared.keys():
        article_id, other = pair
        if article_id == other or other not in sizes:
            continue
        share = estimated_key_share(shared[pair], sizes[article_id], sizes[other])
        if bands[pair] or share >= CANDIDATE_KEY_SHARE:
            worth.setdefault(article_id, []).append((bands[pair] + share, other))
    chosen: set[tuple[int, int]] = set()
    for article_id, scored in worth.items():
        for _, other in sorted(scored, reverse=True)[:MAX_CANDIDATES]:
            chosen.add((min(article_id, other), max(article_id, other)))
    return sorted(chosen)


def estimated_key_share(shared: int, a: tuple[int, int], b: tuple[int, int]) -> float:
    """How much of the smaller text the other seems to hold, from the containment keys alone.

    ``a`` and ``b`` are (shingles, keys kept). If the text with the narrower window (the
    smaller one) lies inside the other, every key the wider-window text has in that passage
    is also one of its own keys: about keys * (w_small + 1) / (w_large + 1) of them. The
    share of that found is an estimate of how much of it is inside."""
    (small_shingles, small_keys), (large_shingles, _) = sorted((a, b))
    w_small, w_large = winnow_window(small_shingles), winnow_window(large_shingles)
    expected = small_keys * (w_small + 1) / (w_large + 1)
    return shared / max(1.0, expected)


def verify_pairs(library: Library, articles: Sequence[Indexed], pairs: Sequence[tuple[int, int]]) -> list[RelationRow]:
    batch = {a.article_id: a for a in articles}
    stored = library.hashes_and_texts({i for pair in pairs for i in pair if i not in batch})
    shingled: dict[int, Shingled] = {}

    def shingles(article_id: int) -> Shingled:  # of a stored article: from its text, once
        if article_id not in shingled:
            if article_id in batch:
                shingled[article_id] = Shingled.of_fingerprint(batch[article_id].fingerprint)
            else:
                shingled[article_id] = Shingled.of(stored[article_id][1])
        return shingled[article_id]

    def text_hash(article_id: int) -> str:
        return batch[article_id].content_hash if article_id in batch else stored[article_id][0]

    relations: list[RelationRow] = []
    for a_id, b_id in pairs:
        if (a_id not in batch and a_id not in stored) or (b_id not in batch and b_id not in stored):
            continue
        verdict = relation_between(a_id, shingles(a_id), text_hash(a_id), b_id, shingles(b_id), text_hash(b_id))
        if verdict is not None:
            relations.append(RelationRow(verdict.inside, verdict.container, verdict.relation, round(verdict.score, 6)))  # type: ignore[arg-type]
    return relations


def index_and_relate(library: Library, articles: Sequence[Indexed]) -> list[RelationRow]:
    """Index these articles (already forgotten if they were indexed before) and store their relations."""
    indexable = [a for a in articles if a.fingerprint.shingle_count >= MIN_SHINGLES]
    if not indexable:
        return []
    candidates = candidate_pairs(library, indexable)  # looked up before the batch is in the index
    library.index_fingerprints(
        [
            IndexEntry(a.article_id, a.fingerprint.shingle_count, a.fingerprint.band_keys.tolist(),
                       a.fingerprint.containment_keys.tolist(), a.fingerprint.containment_cut)
            for a in indexable
        ]
    )
    relations = verify_pairs(library, indexable, candidates)
    library.add_duplicates(relations)
    return relations


def find_duplicates_stage(library: Library, batch: Sequence[PreparedArticle], results: Sequence[UpsertResult]) -> None:
    """Library stage: index the batch's new and changed pages and store their duplicate relations."""
    changed = [(p, r) for p, r in zip(batch, results) if r.status != "unchanged"]
    if not changed:
        return
    updated = [r.article_id for _, r in changed if r.status == "updated"]
    if updated:
        library.forget_duplicates(updated)
    latest: dict[int, Indexed] = {}  # the same page twice in a batch: the last version wins
    for prepared, result in changed:
        latest[result.article_id] = Indexed(result.article_id, prepared.content_hash, fingerprint_of(prepared))
    index_and_relate(library, list(latest.values()))


def rebuild_duplicates(library: Library, *, batch_size: int = 500, on_progress: Callable[[int], None] | None = None) -> int:
    """Index every page again from its stored text and find all relations; returns pages indexed.

    For libraries imported before the index existed, or after a change of fingerprint.
    One transaction per batch; pages are taken in id order, so each pair is found once.
    """
    with library.transaction():
        library.clear_duplicate_index()
    done = 0
    last = 0
    while True:
        with library.transaction():
            ids = library.unindexed_page_ids(after_id=last, limit=batch_size)
            if not ids:
                break
            stored = library.hashes_and_texts(ids)
            articles = [Indexed(i, stored[i][0], fingerprint(stored[i][1])) for i in ids if i in stored]
            index_and_relate(library, articles)
        last = ids[-1]
        done += len(ids)
        if on_progress:
            on_progress(done)
    return done
