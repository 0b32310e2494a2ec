"""Duplicate relations: exact copies, near copies and containments, found through the store's
index and verified exactly.

How a batch of new (or changed) articles is handled, inside the batch's transaction:

1. **Candidates.** Every key of the batch (its winnowed containment keys, computed in a
   worker, see ``fingerprint.py``) is looked up in the index, its postings each with its
   article's size; a containment key held by ``POSTINGS_PER_KEY`` articles is a stock
   phrase or boilerplate (a *stop
   key*): it is not counted, gets no more postings, and the open library remembers it so
   later batches skip its lookup (:class:`StopKeys`, a fixed-size cache). The batch meets
   itself in memory. An article is a candidate when it shares ``CANDIDATE_KEY_SHARE`` of the
   containment keys that the smaller text would share if it were inside the other, whatever
   their sizes (see :func:`estimated_key_shares`): near copies (each mostly inside the
   other) as well as containments. The counting is vectorised: postings are arrays, a pair is
   one 64-bit code, and shared keys are counted by sorting the codes; no Python object is
   made per posting or per pair of the count.
2. **Index.** The batch's keys go into the store, one posting each (to a small table of
   recent postings, moved in bulk into the big one when full, see
   ``reader/store/duplicates.py``), and its check hashes (the 32-bit hashes of its shingles, as
   a sorted set and the index of each shingle's hash in it) with its fingerprint.
3. **Verification.** Each candidate pair is checked exactly on the word shingles of both
   texts: the new article's come with its signature, a stored article's from the store (its
   text is tokenised again only if it was indexed before the store kept them). The measure
   is *coverage*: the share of a text's words that lie in a run of five words also found in
   the other text, i.e. how much of it is copied. A changed word only uncovers itself (its
   neighbours stay covered by other runs), while independently written articles on the
   same event stay far lower: they share names and words, not runs of five. All pairs of a
   batch are checked together (:func:`pair_coverages`): their sorted sets are merged by one
   stable sort per cache-sized chunk, and the stored indexes carry the result back to text
   order; articles with the same text are checked as one.

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

Between batches the main process keeps nothing per article: the index and the check hashes
live in the store; only the stop keys are remembered, in a cache of fixed size.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from reader.model import PreparedArticle
from reader.similarity.fingerprint import (
    CHECK_DTYPE,
    SHINGLE_WORDS,
    Runs,
    Signature,
    check_sequence,
    check_set,
    inverse_dtype,
    keys_of,
    signatures,
    sorted_unique,
    winnow_windows,
)
from reader.store import Library, UpsertResult
from reader.store.duplicates import (
    CheckMaterial,
    FingerprintSizes,
    IndexEntry,
    RelationRow,
)

MIN_SHINGLES = 16  # about 20 words
NEAR_COVERAGE = 0.75
CONTAINED_COVERAGE = 0.8
POSTINGS_PER_KEY = 64
# A pair is verified when it shares this share of the keys expected if the smaller text were
# inside the other (light edits remove some; the exact check wants 0.75 to 0.8 of the text;
# two near copies of one original, each edited on its own, can share as few as 0.27).
CANDIDATE_KEY_SHARE = 0.25
MAX_CANDIDATES = 64  # per article, the best by shared keys
CHECK_CHUNK = 1 << 18  # the exact check of many pairs goes by chunks of about this many hashes and words (cache-sized)
STOP_KEYS_REMEMBERED = 1 << 18  # per open library: stop keys met lately, whose lookups are skipped
_PAIR_SHIFT = np.int64(32)  # a pair (article, other) is coded as article << 32 | other
_RUN = np.ones(SHINGLE_WORDS, dtype=np.int8)


@dataclass(frozen=True)
class Indexed:
    """An article being indexed: what the verification needs of it (its fingerprint's
    signature carries its check hashes)."""

    article_id: int
    content_hash: str
    signature: Signature


@dataclass(frozen=True)
class Verdict:
    relation: str
    score: float
    inside: int  # for contained: the id of the article inside the other
    container: int


def signatures_of(batch: Sequence[PreparedArticle]) -> list[Signature]:
    """The fingerprints the workers sent with these articles; those of articles without one
    (prepared elsewhere, or a signature of another version) computed here, together."""
    found: list[Signature | None] = []
    for prepared in batch:
        try:
            found.append(Signature.of(prepared.signature) if prepared.signature else None)
        except ValueError:  # a signature from another version: compute it again
            found.append(None)
    missing = [i for i, f in enumerate(found) if f is None]
    for i, computed in zip(missing, signatures([batch[i].text for i in missing])):
        found[i] = Signature.of(computed)
    return found  # type: ignore[return-value]  # every None was filled


@dataclass(frozen=True)
class Shingled:
    """A text as the verification sees it: its word count and its check hashes as a sorted set
    with, for each shingle in text order, the index of its hash in the set."""

    words: int
    distinct: np.ndarray  # uint32, sorted
    inverse: np.ndarray  # unsigned integers: distinct[inverse] is the text's check hashes in order

    @property
    def sequence(self) -> np.ndarray:
        return self.distinct[self.inverse]

    @classmethod
    def of(cls, text: str) -> Shingled:
        words, sequence = check_sequence(text)
        return cls(words, *check_set(sequence))

    @classmethod
    def of_stored(cls, material: CheckMaterial) -> Shingled:
        """From the check hashes the store keeps for an indexed article (it has at least
        MIN_SHINGLES shingles, so each word starts a shingle but the last four)."""
        if material.check_distinct is not None and material.check_inverse is not None:
            distinct = np.frombuffer(material.check_distinct, dtype=CHECK_DTYPE)
            inverse = np.frombuffer(material.check_inverse, dtype=inverse_dtype(len(distinct)))
        else:  # indexed before the store kept the set: the check hashes in text order
            distinct, inverse = check_set(np.frombuffer(material.check_hashes or b"", dtype=CHECK_DTYPE))
        return cls(len(inverse) + SHINGLE_WORDS - 1, distinct, inverse)


@dataclass(frozen=True)
class ShingledTexts:
    """Many texts' check hashes side by side, as the check of many pairs reads them: text t's
    distinct hashes are ``distinct[distinct_starts[t]:][:distinct_lengths[t]]``, and likewise
    for its indexes in text order (``inverse``)."""

    distinct: np.ndarray  # int64 (32-bit hashes)
    distinct_starts: np.ndarray  # int64, one per text
    distinct_lengths: np.ndarray
    inverse: np.ndarray  # int32 (a text has fewer than 2**31 shingles)
    inverse_starts: np.ndarray
    inverse_lengths: np.ndarray
    words: np.ndarray  # int64, one per text

    @classmethod
    def of_bytes(cls, distinct: Sequence[bytes], inverse: Sequence[bytes], words: Sequence[int]) -> ShingledTexts:
        """From each text's check hashes as stored (:class:`Shingled` ``.distinct`` and ``.inverse``
        as little-endian bytes, the indexes 2 bytes each while a text has at most 65,536 distinct
        hashes, see ``fingerprint.inverse_dtype``): one numpy call for all texts' sets, and one
        for all their indexes while every text's fit in 2 bytes."""
        distinct_lengths = np.fromiter(map(len, distinct), dtype=np.int64, count=len(distinct)) // 4
        inverse_bytes = np.fromiter(map(len, inverse), dtype=np.int64, count=len(inverse))
        if len(distinct) and int(distinct_lengths.max()) > 1 << 16:  # some indexes take 4 bytes
            return cls.of([
                Shingled(w, np.frombuffer(d, dtype=CHECK_DTYPE), np.frombuffer(i, dtype=inverse_dtype(len(d) // 4)))
                for d, i, w in zip(distinct, inverse, words)
            ])
        inverse_lengths = inverse_bytes // 2
        return cls(
            np.frombuffer(b"".join(distinct), dtype=CHECK_DTYPE).astype(np.int64),
            np.cumsum(distinct_lengths) - distinct_lengths, distinct_lengths,
            np.frombuffer(b"".join(inverse), dtype=inverse_dtype(1)).astype(np.int32),
            np.cumsum(inverse_lengths) - inverse_lengths, inverse_lengths,
            np.fromiter(words, dtype=np.int64, count=len(words)),
        )

    @classmethod
    def of(cls, texts: Sequence[Shingled]) -> ShingledTexts:
        distinct_lengths = np.array([len(t.distinct) for t in texts], dtype=np.int64)
        inverse_lengths = np.array([len(t.inverse) for t in texts], dtype=np.int64)
        return cls(  # as int64 once, not once per pair that reads them
            np.concatenate([t.distinct for t in texts] or [np.empty(0, np.uint32)]).astype(np.int64),
            np.cumsum(distinct_lengths) - distinct_lengths, distinct_lengths,
            np.concatenate([t.inverse for t in texts] or [np.empty(0, np.uint32)]).astype(np.int32),
            np.cumsum(inverse_lengths) - inverse_lengths, inverse_lengths,
            np.array([t.words for t in texts], dtype=np.int64),
        )


def concatenated_slices(values: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """``values[s:s + n]`` for each (s, n), end to end (a new array).

    The slices are texts' runs of hashes or indexes, hundreds of items each: copying them is
    three times as fast as gathering them through an index array of every position (a batch's
    1,840 texts of 100 to 900 items: 2.9 -> 1.0 ms)."""
    if not len(starts):
        return values[:0].copy()
    return np.concatenate([values[start : start + length] for start, length in zip(starts.tolist(), lengths.tolist())])


def index_type(size: int) -> type:
    """The narrowest integer type for indexes into this many items (half the memory traffic)."""
    return np.int32 if size < 1 << 31 else np.int64


def shared_flags(texts: ShingledTexts, blocks: np.ndarray) -> np.ndarray:
    """Texts taken two by two (blocks 2p and 2p + 1 are pair p): for each shingle of each block,
    in text order, whether the other text of its pair has it too (bool, the blocks concatenated).

    One merge for all pairs: every pair's two sorted sets, tagged with the pair's number, are
    runs of one array that a stable sort merges; a hash in both texts of a pair comes out twice
    in a row. The text-order indexes carry that back to each shingle."""
    lengths = texts.distinct_lengths[blocks]
    at = index_type(max(len(texts.distinct), len(texts.inverse), int(lengths.sum())))
    codes = concatenated_slices(texts.distinct, texts.distinct_starts[blocks], lengths)
    codes |= np.repeat((np.arange(len(blocks), dtype=np.int64) >> 1) << _PAIR_SHIFT, lengths)  # the pair's number
    order = np.argsort(codes, kind="stable")  # timsort: the runs are merged, not sorted again
    ordered = codes[order]
    twice = ordered[1:] == ordered[:-1]
    in_both_ordered = np.zeros(len(codes), dtype=bool)
    in_both_ordered[1:] = twice
    in_both_ordered[:-1] |= twice
    in_both = np.empty(len(codes), dtype=bool)
    in_both[order] = in_both_ordered
    shingles = texts.inverse_lengths[blocks].astype(at)
    found: np.ndarray = concatenated_slices(texts.inverse, texts.inverse_starts[blocks], shingles).astype(at, copy=False)
    found += np.repeat((np.cumsum(lengths) - lengths).astype(at), shingles)
    return in_both[found]


def covered_words(shared: np.ndarray, shingles: np.ndarray, words: np.ndarray) -> np.ndarray:
    """For blocks of shingle flags laid end to end (``shingles`` of each, at least one): how many
    of each block's ``words`` lie in at least one shared shingle (shingle j holds words j to
    j + SHINGLE_WORDS - 1; a text shorter than one shingle has one, which holds all its words)."""
    starts = np.cumsum(shingles) - shingles
    ends = starts + shingles
    # Word j < shingles is covered when one of shingles j - 4 .. j is shared: the flags ORed
    # with themselves shifted by 1 to 4, then each block's first four words done again alone
    # (the shifts carried the block before into them).
    covered = shared.copy()
    for shift in range(1, SHINGLE_WORDS):
        covered[shift:] |= shared[:-shift]
    head = starts[:, None] + np.arange(SHINGLE_WORDS - 1)
    inside = head < ends[:, None]
    head = np.minimum(head, len(shared) - 1)
    covered[head[inside]] = np.logical_or.accumulate(shared[head] & inside, axis=1)[inside]
    body = np.add.reduceat(covered, starts, dtype=np.int64)
    # The last four words: word shingles + i is covered when one of the last 4 - i shingles is
    # shared, i.e. as many of them as 4 minus the distance of the last shared one from the end.
    tail_at = ends[:, None] - SHINGLE_WORDS + 1 + np.arange(SHINGLE_WORDS - 1)
    tail = shared[np.maximum(tail_at, 0)] & (tail_at >= starts[:, None])
    last = (tail * np.arange(1, SHINGLE_WORDS)).max(axis=1)
    return np.minimum(body + last, words)


def pair_coverages(texts: ShingledTexts, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each pair of texts (indexes into ``texts``): the coverage of a by b and of b by a.

    Coverage is the share of a text's words that lie in a run of SHINGLE_WORDS words also found
    in the other text: how much of it is copied text. Scattered word edits barely lower it
    (each changed word leaves its neighbours covered by other runs), while independently
    written text on the same subject stays low (it shares words, not runs of five).
    Vectorised over all pairs, in chunks of about CHECK_CHUNK hashes and words."""
    a_share, b_share = np.zeros(len(a)), np.zeros(len(b))
    todo = np.flatnonzero((texts.inverse_lengths[a] > 0) & (texts.inverse_lengths[b] > 0))  # a text without words: 0
    if len(todo) == 0:
        return a_share, b_share
    size = np.cumsum(texts.distinct_lengths[a[todo]] + texts.distinct_lengths[b[todo]] + texts.words[a[todo]] + texts.words[b[todo]])
    cuts = np.searchsorted(size, np.arange(CHECK_CHUNK, int(size[-1]), CHECK_CHUNK), side="right")
    bounds = np.unique(np.r_[0, cuts, len(todo)])
    for start, end in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        pairs = todo[start:end]
        blocks = np.column_stack((a[pairs], b[pairs])).ravel()  # pair p: blocks 2p (a) and 2p + 1 (b)
        words = texts.words[blocks]
        covered = covered_words(shared_flags(texts, blocks), texts.inverse_lengths[blocks], words)
        share = covered / np.maximum(1, words)
        a_share[pairs], b_share[pairs] = share[0::2], share[1::2]
    return a_share, b_share


def coverage(text: Shingled, other: Shingled) -> float:
    """The coverage of one text by another (see :func:`pair_coverages`)."""
    copied, _ = pair_coverages(ShingledTexts.of([text, other]), np.array([0]), np.array([1]))
    return float(copied[0])


def verdicts(
    a_ids: np.ndarray, b_ids: np.ndarray, a_copied: np.ndarray, b_copied: np.ndarray
) -> list[Verdict]:
    """The relations of pairs from their coverages (pairs with none are left out)."""
    near = np.minimum(a_copied, b_copied) >= NEAR_COVERAGE
    a_inside = ~near & (a_copied >= CONTAINED_COVERAGE) & (a_copied >= b_copied)
    b_inside = ~near & ~a_inside & (b_copied >= CONTAINED_COVERAGE)
    found: list[Verdict] = []
    for i in np.flatnonzero(near | a_inside | b_inside).tolist():
        a_id, b_id = int(a_ids[i]), int(b_ids[i])
        if near[i]:
            found.append(Verdict("near", float(min(a_copied[i], b_copied[i])), min(a_id, b_id), max(a_id, b_id)))
        elif a_inside[i]:
            found.append(Verdict("contained", float(a_copied[i]), a_id, b_id))
        else:
            found.append(Verdict("contained", float(b_copied[i]), b_id, a_id))
    return found


def relation_between(a_id: int, a: Shingled, a_hash: str, b_id: int, b: Shingled, b_hash: str) -> Verdict | None:
    """The relation of two texts, checked exactly on their word shingles, or None."""
    if len(a.distinct) < MIN_SHINGLES or len(b.distinct) < MIN_SHINGLES:
        return None
    if a_hash == b_hash:
        return Verdict("exact", 1.0, min(a_id, b_id), max(a_id, b_id))
    a_copied, b_copied = pair_coverages(ShingledTexts.of([a, b]), np.array([0]), np.array([1]))
    found = verdicts(np.array([a_id]), np.array([b_id]), a_copied, b_copied)
    return found[0] if found else None


# -- candidates ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SharedKeys:
    """Directed pairs (an article of the batch, another article) with the keys they share and
    the other's size, as the postings carry it."""

    article_ids: np.ndarray  # int64
    other_ids: np.ndarray  # int64
    keys: np.ndarray  # int64: containment keys shared
    other_shingles: np.ndarray  # int64: -1 where the posting did not carry the size
    other_key_counts: np.ndarray  # int64
    stop_keys: np.ndarray  # int64: the batch's keys that the store holds for POSTINGS_PER_KEY articles already


@dataclass
class StopKeys:
    """Containment keys lately found held by POSTINGS_PER_KEY articles: later batches skip their
    lookups. Such a key gets no new postings, so it stays a stop key; if deletions bring one
    under the bar, it is still skipped until the library is opened again, like boilerplate.
    A fixed-size cache: when full it starts over."""

    keys: set[int] = field(default_factory=set)

    def held(self, keys: np.ndarray) -> np.ndarray:
        if not self.keys:  # none met yet (a new library's first batches): no lookup per key
            return np.zeros(len(keys), dtype=bool)
        return np.fromiter(map(self.keys.__contains__, keys.tolist()), dtype=bool, count=len(keys))

    def add(self, keys: np.ndarray) -> None:
        if len(self.keys) + len(keys) > STOP_KEYS_REMEMBERED:
            self.keys.clear()
        self.keys.update(keys.tolist())


_stop_keys: weakref.WeakKeyDictionary[Library, StopKeys] = weakref.WeakKeyDictionary()


def stop_keys_of(library: Library) -> StopKeys:
    """The stop keys remembered for this open library."""
    if library not in _stop_keys:
        _stop_keys[library] = StopKeys()
    return _stop_keys[library]


def shared_keys(library: Library, articles: Sequence[Indexed], batch_keys: Runs | None = None) -> SharedKeys:
    """Every pair of a batch article and an article (stored, or in the batch) that shares one
    of its keys, with the number of keys they share.

    For each key: its postings are the stored ones plus the batch's own holders; each holder
    pairs with every other posting. A containment key with POSTINGS_PER_KEY postings or more
    (the stored ones, plus the batch's holders when there are several) counts for nobody.
    ``batch_keys``: the articles' keys (:func:`keys_of` their signatures), when already read."""
    if batch_keys is None:
        batch_keys = keys_of([a.signature for a in articles])
    entry_keys, lengths = batch_keys.values, batch_keys.counts
    entry_owner = np.repeat(np.array([a.article_id for a in articles], dtype=np.int64), lengths)
    entry_shingles = np.repeat(np.array([a.signature.shingle_count for a in articles], dtype=np.int64), lengths)
    entry_key_counts = np.repeat(lengths, lengths)
    order = np.argsort(entry_keys)
    new_key = np.r_[True, entry_keys[order][1:] != entry_keys[order][:-1]]
    keys = entry_keys[order][new_key]
    entry_key = np.empty(len(entry_keys), dtype=np.int64)
    entry_key[order] = np.cumsum(new_key) - 1  # each entry's key, as an index into the sorted distinct keys
    remembered = stop_keys_of(library)
    stop = remembered.held(keys)
    looked_up = np.flatnonzero(~stop)
    stored = library.postings(keys[looked_up], per_key=POSTINGS_PER_KEY)
    stop[looked_up[stored.stop]] = True
    remembered.add(keys[looked_up[stored.stop]])
    stored_key = looked_up[stored.key_index]

    holders = np.bincount(entry_key, minlength=len(keys))
    others = np.bincount(stored_key, minlength=len(keys)) + np.where(holders > 1, holders, 0)
    counted = (others < POSTINGS_PER_KEY) & ~stop

    # All postings of a key side by side: sorted by key, each key's run at starts[key].
    posting_key = np.concatenate((stored_key, entry_key))
    order = np.argsort(posting_key, kind="stable")
    posting_id = np.concatenate((stored.article_ids, entry_owner))[order]
    posting_shingles = np.concatenate((stored.shingles, entry_shingles))[order]
    posting_key_counts = np.concatenate((stored.key_counts, entry_key_counts))[order]
    per_key = np.bincount(posting_key, minlength=len(keys))
    starts = np.cumsum(per_key) - per_key

    # Each entry (a batch article's key) against every posting of its key.
    chosen = counted[entry_key]
    entry_key, entry_owner = entry_key[chosen], entry_owner[chosen]
    repeats = per_key[entry_key]
    total = int(repeats.sum())
    first = np.cumsum(repeats) - repeats
    position = np.arange(total, dtype=np.int64) + np.repeat(starts[entry_key] - first, repeats)
    article = np.repeat(entry_owner, repeats)
    other = posting_id[position]
    distinct = article != other
    position = position[distinct]
    code = (article[distinct] << _PAIR_SHIFT) | other[distinct]

    # Count by pair: one sort of the codes, a run per pair.
    order = np.argsort(code)
    code, position = code[order], position[order]
    run = np.flatnonzero(np.r_[True, code[1:] != code[:-1]]) if len(code) else np.empty(0, dtype=np.int64)
    shared = np.diff(np.r_[run, len(code)])
    pairs, at = code[run], position[run]
    return SharedKeys(
        pairs >> _PAIR_SHIFT, pairs & np.int64(0xFFFFFFFF), shared,
        posting_shingles[at], posting_key_counts[at], keys[stop],
    )


@dataclass(frozen=True)
class Candidates:
    pairs: list[tuple[int, int]]  # (smaller id, larger id), sorted
    stop_keys: np.ndarray  # keys the batch need not post (see SharedKeys)


def candidate_pairs(library: Library, articles: Sequence[Indexed], keys: Runs | None = None) -> Candidates:
    """Pairs of ids worth verifying, each unordered pair once: a new article and an article
    that shares enough of the containment keys that the smaller of the two would share if it
    were inside the other (at most MAX_CANDIDATES per article). ``keys``: the articles' keys,
    when already read (:func:`keys_of` their signatures)."""
    if not articles:
        return Candidates([], np.empty(0, dtype=np.int64))
    if keys is None:
        keys = keys_of([a.signature for a in articles])
    shared = shared_keys(library, articles, keys)
    if len(shared.article_ids) == 0:
        return Candidates([], shared.stop_keys)
    batch = FingerprintSizes(
        np.array([a.article_id for a in articles], dtype=np.int64),
        np.array([a.signature.shingle_count for a in articles], dtype=np.int64),
        np.array([a.signature.key_count for a in articles], dtype=np.int64),
    )
    order = np.argsort(batch.article_ids)
    batch = FingerprintSizes(batch.article_ids[order], batch.shingles[order], batch.key_counts[order])
    article_at = np.searchsorted(batch.article_ids, shared.article_ids)
    other_shingles, other_keys = shared.other_shingles.copy(), shared.other_key_counts.copy()
    unknown = other_shingles < 0  # postings written before they carried sizes
    if unknown.any():
        known = library.fingerprint_sizes(sorted_unique(shared.other_ids[unknown]))
        at = np.minimum(np.searchsorted(known.article_ids, shared.other_ids[unknown]), max(0, len(known.article_ids) - 1))
        found = known.article_ids[at] == shared.other_ids[unknown] if len(known.article_ids) else np.zeros(0, bool)
        other_shingles[np.flatnonzero(unknown)[found]] = known.shingles[at[found]]
        other_keys[np.flatnonzero(unknown)[found]] = known.key_counts[at[found]]
    indexed = other_shingles >= 0  # an other without a fingerprint is nobody's copy
    share = estimated_key_shares(
        shared.keys, batch.shingles[article_at], batch.key_counts[article_at], other_shingles, other_keys
    ) / countable_share(articles, shared.stop_keys, batch.article_ids, keys)[article_at]
    worth = indexed & (share >= CANDIDATE_KEY_SHARE)
    article, other, score = shared.article_ids[worth], shared.other_ids[worth], share[worth]
    # The best MAX_CANDIDATES of each article: by score, then by the newer other.
    order = np.lexsort((-other, -score, article))
    article, other = article[order], other[order]
    group_start = np.flatnonzero(np.r_[True, article[1:] != article[:-1]])
    rank = np.arange(len(article)) - np.repeat(group_start, np.diff(np.r_[group_start, len(article)]))
    kept = rank < MAX_CANDIDATES
    low, high = np.minimum(article[kept], other[kept]), np.maximum(article[kept], other[kept])
    pairs = sorted_unique((low << _PAIR_SHIFT) | high)
    return Candidates(list(zip((pairs >> _PAIR_SHIFT).tolist(), (pairs & np.int64(0xFFFFFFFF)).tolist())), shared.stop_keys)


def countable_share(
    articles: Sequence[Indexed], stop_keys: np.ndarray, order: np.ndarray, keys: Runs | None = None
) -> np.ndarray:
    """For each article (in the order of the ids in ``order``): the share of its containment keys
    that are not stop keys, the ones a pair can count (at least 1 / keys).

    A passage held by two texts has the same keys in both, so if one is inside the other, the
    stop keys among the keys expected are about that share of the batch article's."""
    ids = np.array([a.article_id for a in articles], dtype=np.int64)
    if keys is None:
        keys = keys_of([a.signature for a in articles])
    counts = keys.counts
    stopped = np.bincount(np.repeat(np.arange(len(articles)), counts), weights=np.isin(keys.values, stop_keys), minlength=len(articles))
    share = np.maximum(1, counts - stopped) / np.maximum(1, counts)
    return share[np.argsort(ids)][np.searchsorted(ids[np.argsort(ids)], order)]


def estimated_key_shares(
    shared: np.ndarray, a_shingles: np.ndarray, a_keys: np.ndarray, b_shingles: np.ndarray, b_keys: np.ndarray
) -> np.ndarray:
    """How much of the smaller text of each pair the other seems to hold, from the containment
    keys alone.

    For each pair, the texts' (shingles, keys kept). If the text with the narrower window
    (the smaller one) lies inside the other, every key the wider-window text has in that
    passage is also one of its own keys: about keys * (w_small + 1) / (w_large + 1) of them.
    The share of that found is an estimate of how much of it is inside."""
    a_smaller = (a_shingles < b_shingles) | ((a_shingles == b_shingles) & (a_keys <= b_keys))
    small_shingles = np.where(a_smaller, a_shingles, b_shingles)
    small_keys = np.where(a_smaller, a_keys, b_keys)
    large_shingles = np.where(a_smaller, b_shingles, a_shingles)
    expected = small_keys * (winnow_windows(small_shingles) + 1) / (winnow_windows(large_shingles) + 1)
    return shared / np.maximum(1.0, expected)


# -- verification and the stage ----------------------------------------------------------------------


def check_parts(
    article_id: int, batch: dict[int, Indexed], stored: dict[int, CheckMaterial], texts: dict[int, tuple[str, str]]
) -> tuple[bytes, bytes, int]:
    """What the exact check reads of one article (see ShingledTexts.of_bytes): its distinct check
    hashes and the index of each shingle's among them, as stored, and its word count. From the
    signature of an article of the batch, else from the store: the stored check hashes (an
    indexed article has MIN_SHINGLES shingles or more, so one starts at each word but the last
    four), or those of articles indexed before the store kept sets, or the text of those
    indexed before it kept check hashes at all (``texts``)."""
    if article_id in batch:
        signature = batch[article_id].signature
        return signature.distinct_bytes, signature.inverse_bytes, signature.words
    material = stored[article_id]
    if article_id not in texts and material.check_distinct is not None and material.check_inverse is not None:
        itemsize = inverse_dtype(len(material.check_distinct) // 4).itemsize
        return material.check_distinct, material.check_inverse, len(material.check_inverse) // itemsize + SHINGLE_WORDS - 1
    shingled = Shingled.of(texts[article_id][1]) if article_id in texts else Shingled.of_stored(material)
    inverse = shingled.inverse.astype(inverse_dtype(len(shingled.distinct)))
    return shingled.distinct.astype(CHECK_DTYPE).tobytes(), inverse.tobytes(), shingled.words


def verify_pairs(library: Library, articles: Sequence[Indexed], pairs: Sequence[tuple[int, int]]) -> list[RelationRow]:
    """The relations among candidate pairs, each checked exactly (all pairs at once, see
    :func:`pair_coverages`). Articles with the same text (content hash) are one text to the
    check: an article met with several copies of another is checked against it once."""
    batch = {a.article_id: a for a in articles}
    stored = library.check_material({i for pair in pairs for i in pair if i not in batch})
    unchecked = [i for i, m in stored.items() if m.check_distinct is None and m.check_hashes is None]
    texts = library.hashes_and_texts(unchecked) if unchecked else {}  # indexed before the store kept check hashes
    text_of: dict[int, int] = {}  # article id -> its text's index in the texts checked
    text_of_hash: dict[str, int] = {}
    distinct: list[bytes] = []  # of each text checked: its check hashes as stored (see ShingledTexts.of_bytes)
    inverse: list[bytes] = []
    words: list[int] = []
    for article_id in dict.fromkeys(i for pair in pairs for i in pair):
        if article_id in batch:
            content_hash = batch[article_id].content_hash
        elif article_id in stored:
            content_hash = stored[article_id].content_hash
        else:  # deleted meanwhile
            continue
        if content_hash not in text_of_hash:
            text_of_hash[content_hash] = len(words)
            text_distinct, text_inverse, text_words = check_parts(article_id, batch, stored, texts)
            distinct.append(text_distinct)
            inverse.append(text_inverse)
            words.append(text_words)
        text_of[article_id] = text_of_hash[content_hash]
    known = [(a, b) for a, b in pairs if a in text_of and b in text_of]
    if not known:
        return []
    ids = np.array(known, dtype=np.int64).reshape(-1, 2)
    at = np.array([(text_of[a], text_of[b]) for a, b in known], dtype=np.int64).reshape(-1, 2)
    all_texts = ShingledTexts.of_bytes(distinct, inverse, words)
    big_enough = np.minimum(all_texts.distinct_lengths[at[:, 0]], all_texts.distinct_lengths[at[:, 1]]) >= MIN_SHINGLES
    same = at[:, 0] == at[:, 1]
    relations = [RelationRow(int(a), int(b), "exact", 1.0) for a, b in ids[big_enough & same].tolist()]
    checked = big_enough & ~same
    text_pairs, each = np.unique((at[checked, 0] << _PAIR_SHIFT) | at[checked, 1], return_inverse=True)
    a_copied, b_copied = pair_coverages(all_texts, text_pairs >> _PAIR_SHIFT, text_pairs & np.int64(0xFFFFFFFF))
    for verdict in verdicts(ids[checked, 0], ids[checked, 1], a_copied[each], b_copied[each]):
        relations.append(RelationRow(verdict.inside, verdict.container, verdict.relation, round(verdict.score, 6)))  # type: ignore[arg-type]
    return relations


def index_and_relate(library: Library, articles: Sequence[Indexed]) -> list[RelationRow]:
    """Index these articles (already forgotten if they were indexed before) and store their relations."""
    indexable = [a for a in articles if a.signature.shingle_count >= MIN_SHINGLES]
    if not indexable:
        return []
    keys = keys_of([a.signature for a in indexable])
    candidates = candidate_pairs(library, indexable, keys)  # looked up before the batch is in the index
    every_key, key_ends = keys.values.tolist(), np.cumsum(keys.counts).tolist()
    library.index_fingerprints(
        [  # the check hashes stored as the worker sent them
            IndexEntry(a.article_id, a.signature.shingle_count, every_key[end - a.signature.key_count : end],
                       a.signature.containment_cut, a.signature.distinct_bytes, a.signature.inverse_bytes)
            for a, end in zip(indexable, key_ends)
        ],
        unposted=candidates.stop_keys.tolist(),  # a lookup skips them: their postings would only cost
    )
    relations = verify_pairs(library, indexable, candidates.pairs)
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
    for (prepared, result), found in zip(changed, signatures_of([p for p, _ in changed])):
        latest[result.article_id] = Indexed(result.article_id, prepared.content_hash, found)
    index_and_relate(library, list(latest.values()))


def rebuild_duplicates(library: Library, *, batch_size: int = 500, on_progress: Callable[[int], None] | None = None) -> int:
    """Index every page again from its stored text and find all relations; returns pages indexed.

    For libraries imported before the index existed, or after a change of fingerprint.
    One transaction per batch; pages are taken in id order, so each pair is found once.
    """
    with library.transaction():
        library.clear_duplicate_index()
    stop_keys_of(library).keys.clear()
    done = 0
    last = 0
    while True:
        with library.transaction():
            ids = library.unindexed_page_ids(after_id=last, limit=batch_size)
            if not ids:
                break
            stored = library.hashes_and_texts(ids)
            found = [i for i in ids if i in stored]
            computed = signatures([stored[i][1] for i in found])
            articles = [Indexed(i, stored[i][0], Signature.of(signature)) for i, signature in zip(found, computed)]
            index_and_relate(library, articles)
        last = ids[-1]
        done += len(ids)
        if on_progress:
            on_progress(done)
    return done
