"""Duplicate relations: exact copies, near copies and containments, found through the store's
index and verified exactly.

How a batch of new (or changed) articles is handled, inside the batch's transaction:

1. **Index.** Each article's fingerprint (computed in a worker, see ``fingerprint.py``) goes
   into the store: its LSH band keys and its winnowed containment keys, one posting each.
2. **Candidates.** Every key of the batch is looked up in the index (at most
   ``POSTINGS_PER_KEY`` postings per key, the newest: a key held by hundreds of articles is
   boilerplate and says nothing). An article becomes a candidate when it shares an LSH band
   (Jaccard-similar texts: near copies), two containment keys, or one rare containment key
   (one text inside the other, whatever their sizes).
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

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from reader.model import PreparedArticle
from reader.similarity.fingerprint import (
    SHINGLE_WORDS,
    Fingerprint,
    fingerprint,
    shingle_sequence,
    sorted_unique,
    word_hashes,
)
from reader.store import Library, UpsertResult
from reader.store.duplicates import IndexEntry, RelationRow

MIN_SHINGLES = 16  # about 20 words
NEAR_COVERAGE = 0.75
CONTAINED_COVERAGE = 0.8
POSTINGS_PER_KEY = 64
RARE_KEY_POSTINGS = 16  # a key held by at most this many articles is specific enough to go on alone
MAX_CANDIDATES = 64  # per article, the best by shared bands and keys


@dataclass(frozen=True)
class Indexed:
    """An article being indexed: what the verification needs of it."""

    article_id: int
    text: str
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


def coverage(text: Shingled, other: Shingled) -> float:
    """The share of the text's words that lie in a run of SHINGLE_WORDS words also found in
    the other text: how much of it is copied text. Scattered word edits barely lower it
    (each changed word leaves its neighbours covered by other runs), while independently
    written text on the same subject stays low (it shares words, not runs of five)."""
    if text.words == 0 or len(other.distinct) == 0:
        return 0.0
    found = np.minimum(np.searchsorted(other.distinct, text.sequence), len(other.distinct) - 1)
    shared = other.distinct[found] == text.sequence
    if len(text.sequence) == 1:  # a text shorter than one shingle
        return float(shared[0])
    counts = np.zeros(len(shared) + 1, dtype=np.int64)
    np.cumsum(shared, out=counts[1:])
    positions = np.arange(text.words)
    first = np.clip(positions - SHINGLE_WORDS + 1, 0, len(shared))  # shingles holding word i: first..last
    last = np.clip(positions + 1, 0, len(shared))
    return float(np.count_nonzero(counts[last] > counts[first])) / text.words


def relation_between(a_id: int, a: Shingled, a_hash: str, b_id: int, b: Shingled, b_hash: str) -> Verdict | None:
    """The relation of two texts, checked exactly on their word shingles, or None."""
    if len(a.distinct) < MIN_SHINGLES or len(b.distinct) < MIN_SHINGLES:
        return None
    if a_hash == b_hash:
        return Verdict("exact", 1.0, min(a_id, b_id), max(a_id, b_id))
    a_copied, b_copied = coverage(a, b), coverage(b, a)
    if min(a_copied, b_copied) >= NEAR_COVERAGE:
        return Verdict("near", min(a_copied, b_copied), min(a_id, b_id), max(a_id, b_id))
    if a_copied >= CONTAINED_COVERAGE and a_copied >= b_copied:
        return Verdict("contained", a_copied, a_id, b_id)
    if b_copied >= CONTAINED_COVERAGE:
        return Verdict("contained", b_copied, b_id, a_id)
    return None


def candidate_pairs(library: Library, articles: Sequence[Indexed]) -> list[tuple[int, int]]:
    """Pairs of ids worth verifying (each unordered pair once): the new articles and the
    articles sharing an LSH band with them, or two containment keys, or one rare key."""
    keys = sorted({int(k) for a in articles for ks in (a.fingerprint.band_keys, a.fingerprint.containment_keys) for k in ks})
    postings = library.lsh_postings(keys, per_key=POSTINGS_PER_KEY)
    pairs: set[tuple[int, int]] = set()
    for article in articles:
        counts: dict[int, list[int]] = {}  # other id -> [bands, keys, rare keys] in common
        for key in article.fingerprint.band_keys.tolist():
            for other in postings.get(key, ()):
                counts.setdefault(other, [0, 0, 0])[0] += 1
        for key in article.fingerprint.containment_keys.tolist():
            holders = postings.get(key, ())
            rare = len(holders) <= RARE_KEY_POSTINGS
            for other in holders:
                tally = counts.setdefault(other, [0, 0, 0])
                tally[1] += 1
                tally[2] += rare
        counts.pop(article.article_id, None)
        worth = [(tally, other) for other, tally in counts.items() if tally[0] or tally[1] >= 2 or tally[2]]
        worth.sort(reverse=True)
        for _, other in worth[:MAX_CANDIDATES]:
            pairs.add((min(article.article_id, other), max(article.article_id, other)))
    return sorted(pairs)


def verify_pairs(library: Library, articles: Sequence[Indexed], pairs: Sequence[tuple[int, int]]) -> list[RelationRow]:
    batch = {a.article_id: a for a in articles}
    stored = library.hashes_and_texts({i for pair in pairs for i in pair if i not in batch})
    shingled: dict[int, Shingled] = {}

    def shingles(article_id: int) -> Shingled:
        if article_id not in shingled:
            text = batch[article_id].text if article_id in batch else stored[article_id][1]
            shingled[article_id] = Shingled.of(text)
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
    library.index_fingerprints(
        [
            IndexEntry(a.article_id, a.fingerprint.shingle_count, a.fingerprint.band_keys.tolist(),
                       a.fingerprint.containment_keys.tolist(), a.fingerprint.containment_cut)
            for a in indexable
        ]
    )
    relations = verify_pairs(library, indexable, candidate_pairs(library, indexable))
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
        latest[result.article_id] = Indexed(result.article_id, prepared.text, prepared.content_hash, fingerprint_of(prepared))
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
            articles = [Indexed(i, stored[i][1], stored[i][0], fingerprint(stored[i][1])) for i in ids if i in stored]
            index_and_relate(library, articles)
        last = ids[-1]
        done += len(ids)
        if on_progress:
            on_progress(done)
    return done
