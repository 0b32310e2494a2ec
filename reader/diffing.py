"""The diff engine: what changed between two versions of an article, and which one adds something.

Two texts are aligned in two levels, both with rapidfuzz's bit-parallel LCS opcodes
(``rapidfuzz.distance.Indel``) over token sequences, never a hand-written quadratic loop:

1. **Paragraphs.** Each text is split into blocks (paragraphs; a paragraph longer than
   ``MAX_BLOCK_TOKENS`` is cut at sentence ends, each piece counting as a paragraph). Each
   block gets a key (the hash of its tokens, so spacing does not matter) and the two key
   sequences are aligned. Very long key sequences are first cut at unique anchors
   (patience diff) so the cost stays near-linear.
2. **Pairing and moves.** Blocks left over on both sides are paired when they are the same
   (exact key) or similar (token similarity, candidates found through an inverted index of
   word bigrams, so this is linear too). A pair inside the same gap and in order is a
   *changed* paragraph (``replace``); any other pair is a *move* (consecutive moved
   paragraphs form one block). Whatever stays unpaired is an insert or a delete.
3. **Words.** Paired paragraphs are aligned word by word; the changed runs are reported
   with character ranges into both texts.

Above ``WORD_LEVEL_TOKEN_LIMIT`` tokens the word level is skipped (pairs are then judged
by shared word bigrams) and the result says so in ``degraded``.

Nothing here imports Textual: the CLI and the TUI both render a ``DiffResult``.
"""

from __future__ import annotations

import re
import sqlite3
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, pairwise
from math import isqrt
from typing import Any, Literal

from rapidfuzz.distance import Indel

# -- tuning -------------------------------------------------------------------------------------

MAX_BLOCK_TOKENS = 300
"""A paragraph with more tokens than this is cut into sentence blocks."""

PAIR_SIMILARITY = 0.5
"""Two paragraphs in the same gap this similar (token Indel similarity) are one changed paragraph."""

MOVE_SIMILARITY = 0.66
"""A paragraph found elsewhere with at least this similarity is reported as moved (and edited)."""

CONTAINS_SHARE = 0.9
"""Side X contains side Y when this share of Y is found in X and less than this share of X in Y."""

NEAR_IDENTICAL = 0.9
LITTLE_IN_COMMON = 0.2

PARAGRAPH_ALIGN_LIMIT = 16_000_000
"""Largest paragraphs_a × paragraphs_b aligned in one rapidfuzz call; beyond, anchors split it."""

WORD_LEVEL_TOKEN_LIMIT = 600_000
"""Above this many tokens (both texts together), only the paragraph level is computed."""

MIN_MOVE_WORDS = 3
"""A paragraph with fewer words is never reported as moved (only as removed and added)."""

SIMILAR_PAIRING_LIMIT = 40_000
"""Most leftover paragraphs (both sides) searched for edited pairs; beyond, exact moves only."""

_SURELY_TOO_LONG = MAX_BLOCK_TOKENS * 16  # chars: a paragraph this long has more tokens than the limit
_PAIR_CANDIDATES = 3  # similar-paragraph candidates scored per leftover paragraph
_POSTING_CAP = 64  # word bigrams shared by more leftover paragraphs than this are ignored
_SMALL_GAP = 64  # gaps with at most this many leftover pairs are scored exhaustively

_TOKEN = re.compile(r"\w+|[^\w\s]+")
_WORD = re.compile(r"\w+")
_TOKEN_RUN = re.compile(rf"(?:\w+|[^\w\s]+)(?:\s*(?:\w+|[^\w\s]+)){{0,{MAX_BLOCK_TOKENS - 1}}}")
_BLANK_LINES = re.compile(r"\n(?:[ \t\r\f\v]*\n)+")
_TRIMMED_LINE = re.compile(r"[^\s](?:[^\n]*[^\s])?")  # a line without its outer spaces
_SENTENCE_BREAK = re.compile(r"(?<!\b[A-Z])[.!?…。！？][\"'”’»)\]]*(\s+)(?=[\"“‘'«(\[]?[^\W_a-z])")

OpKind = Literal["equal", "insert", "delete", "replace", "move"]
WordOpKind = Literal["insert", "delete", "replace"]
Side = Literal["a", "b"]


# -- result records ------------------------------------------------------------------------------


@dataclass(frozen=True)
class WordOp:
    """A changed run of words inside a paired paragraph; char ranges into each whole text.

    ``insert`` has an empty A range at the insertion point, ``delete`` an empty B range.
    Runs between two word ops (and before the first, after the last) are unchanged.
    """

    op: WordOpKind
    a_start: int
    a_end: int
    b_start: int
    b_end: int

    def to_json(self) -> dict[str, Any]:
        return {"op": self.op, "a_chars": [self.a_start, self.a_end], "b_chars": [self.b_start, self.b_end]}


@dataclass(frozen=True)
class DiffOp:
    """One step of the diff, over paragraph index ranges ``[a_start, a_end)`` / ``[b_start, b_end)``.

    - ``equal``: the paragraphs are the same (up to spacing).
    - ``delete`` / ``insert``: paragraphs only in A / only in B; the other range is empty
      and marks the position.
    - ``replace``: one paragraph changed in place; ``words`` lists the changed word runs.
    - ``move``: a block of paragraphs that sits elsewhere in the other text. Ops are in
      reading order of both texts, except that a move appears once, at its place in B;
      its A paragraphs are the ones no other op covers. ``words`` is non-empty when the
      moved block was also edited.

    ``similarity`` is the token similarity of the two sides (1.0 equal, 0.0 one-sided).
    """

    op: OpKind
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    a_chars: tuple[int, int]
    b_chars: tuple[int, int]
    similarity: float = 0.0
    words: tuple[WordOp, ...] = ()
    move_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "op": self.op,
            "a": [self.a_start, self.a_end],
            "b": [self.b_start, self.b_end],
            "a_chars": list(self.a_chars),
            "b_chars": list(self.b_chars),
        }
        if self.op in ("replace", "move"):
            data["similarity"] = round(self.similarity, 4)
            data["words"] = [w.to_json() for w in self.words]
        if self.move_id is not None:
            data["move"] = self.move_id
        return data


@dataclass(frozen=True)
class Extra:
    """A run of paragraphs on the containing side that the other side does not have."""

    start: int
    end: int
    chars: tuple[int, int]


@dataclass(frozen=True)
class DiffSummary:
    common: float  # share of all text found on both sides, 0..1 (Dice: 2·matched / (a + b))
    a_in_b: float  # share of A's text found in B
    b_in_a: float  # share of B's text found in A
    added: int  # paragraphs only in B
    removed: int  # paragraphs only in A
    changed: int  # paragraphs edited in place
    moved: int  # paragraphs moved (possibly edited too)
    contains: Side | None  # the side that contains the other, with extra text
    extra: tuple[Extra, ...]  # the containing side's paragraphs the other lacks
    extra_words: int  # words on the containing side not found in the other
    verdict: str  # identical | near-identical | a-contains-b | b-contains-a | partial | little-in-common | one-empty
    paragraphs_a: int
    paragraphs_b: int
    words_a: int
    words_b: int

    def to_json(self) -> dict[str, Any]:
        return {
            "common": round(self.common, 4),
            "a_in_b": round(self.a_in_b, 4),
            "b_in_a": round(self.b_in_a, 4),
            "added": self.added,
            "removed": self.removed,
            "changed": self.changed,
            "moved": self.moved,
            "contains": self.contains,
            "extra": [{"paragraphs": [e.start, e.end], "chars": list(e.chars)} for e in self.extra],
            "extra_words": self.extra_words,
            "verdict": self.verdict,
            "paragraphs": [self.paragraphs_a, self.paragraphs_b],
            "words": [self.words_a, self.words_b],
        }


@dataclass(frozen=True)
class DiffResult:
    """The whole comparison of text A with text B."""

    a_text: str = field(repr=False)
    b_text: str = field(repr=False)
    a_paragraphs: tuple[tuple[int, int], ...]  # char range of each paragraph (block) of A
    b_paragraphs: tuple[tuple[int, int], ...]
    ops: tuple[DiffOp, ...]
    summary: DiffSummary
    degraded: str | None = None  # why part of the work was skipped, shown to the user

    def to_json(self) -> dict[str, Any]:
        summary = self.summary.to_json()
        summary["degraded"] = self.degraded
        return {"summary": summary, "ops": [op.to_json() for op in self.ops]}

    @property
    def changes(self) -> tuple[DiffOp, ...]:
        return tuple(op for op in self.ops if op.op != "equal")


# -- splitting -----------------------------------------------------------------------------------


class _Block:
    """A paragraph (or sentence block) with its tokens; internal to the engine."""

    __slots__ = ("_spans", "_text", "_words", "end", "key", "start", "tokens")

    def __init__(self, text: str, start: int, end: int, tokens: list[str]) -> None:
        self._text = text
        self.start = start
        self.end = end
        self.tokens = tokens
        self.key = hash(tuple(tokens))
        self._spans: list[tuple[int, int]] | None = None
        self._words: list[str] | None = None

    @property
    def words(self) -> list[str]:
        """The word tokens (no punctuation)."""
        if self._words is None:
            self._words = [t for t in self.tokens if t[0].isalnum() or t[0] == "_"]
        return self._words

    @property
    def spans(self) -> list[tuple[int, int]]:
        """Char range of each token; found only for the few paragraphs diffed word by word."""
        if self._spans is None:
            self._spans = [m.span() for m in _TOKEN.finditer(self._text, self.start, self.end)]
        return self._spans


def paragraph_ranges(text: str) -> list[tuple[int, int]]:
    """Char ranges of the paragraphs: blank-line separated, or line by line if no blank line."""
    if not _BLANK_LINES.search(text):
        return [m.span() for m in _TRIMMED_LINE.finditer(text)]
    ranges: list[tuple[int, int]] = []
    pos = 0
    for match in _BLANK_LINES.finditer(text):
        _add_trimmed(text, pos, match.start(), ranges)
        pos = match.end()
    _add_trimmed(text, pos, len(text), ranges)
    return ranges


def _add_trimmed(text: str, start: int, end: int, ranges: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        ranges.append((start, end))


def _split_blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    for start, end in paragraph_ranges(text):
        if end - start > _SURELY_TOO_LONG:  # skip tokenizing a huge paragraph twice
            blocks.extend(_sentence_blocks(text, start, end))
            continue
        tokens = _TOKEN.findall(text, start, end)
        if len(tokens) <= MAX_BLOCK_TOKENS:
            blocks.append(_Block(text, start, end, tokens))
        else:
            blocks.extend(_sentence_blocks(text, start, end))
    return blocks


def _sentence_blocks(text: str, start: int, end: int) -> Iterator[_Block]:
    """Cut an over-long paragraph after sentence ends (and hard every MAX_BLOCK_TOKENS tokens)."""
    pieces: list[tuple[int, int]] = []
    pos = start
    for match in _SENTENCE_BREAK.finditer(text, start, end):
        pieces.append((pos, match.start(1)))
        pos = match.end(1)
    pieces.append((pos, end))
    for piece_start, piece_end in pieces:
        tokens = _TOKEN.findall(text, piece_start, piece_end)
        if not tokens:
            continue
        if len(tokens) <= MAX_BLOCK_TOKENS:
            yield _Block(text, piece_start, piece_end, tokens)
            continue
        for chunk in _TOKEN_RUN.finditer(text, piece_start, piece_end):  # a sentence without an end
            start, end = chunk.span()
            yield _Block(text, start, end, _TOKEN.findall(text, start, end))



# -- paragraph alignment -------------------------------------------------------------------------


@dataclass
class _Alignment:
    """Equal runs (i, j, n) of the key sequences, and whether a gap was too big to align."""

    runs: list[tuple[int, int, int]]
    windowed: bool = False  # part of it was aligned window by window (may not be minimal)


def _align_keys(keys_a: Sequence[int], keys_b: Sequence[int]) -> _Alignment:
    alignment = _Alignment(runs=[])
    _align_range(keys_a, keys_b, 0, len(keys_a), 0, len(keys_b), alignment, depth=0)
    merged: list[tuple[int, int, int]] = []
    for i, j, n in sorted(alignment.runs):
        if merged and merged[-1][0] + merged[-1][2] == i and merged[-1][1] + merged[-1][2] == j:
            merged[-1] = (merged[-1][0], merged[-1][1], merged[-1][2] + n)
        else:
            merged.append((i, j, n))
    alignment.runs = merged
    return alignment


def _align_range(
    keys_a: Sequence[int], keys_b: Sequence[int], a_lo: int, a_hi: int, b_lo: int, b_hi: int,
    alignment: _Alignment, depth: int,
) -> None:
    # common prefix and suffix first: cheap, and the usual case for two versions of a story
    prefix = 0
    while a_lo + prefix < a_hi and b_lo + prefix < b_hi and keys_a[a_lo + prefix] == keys_b[b_lo + prefix]:
        prefix += 1
    if prefix:
        alignment.runs.append((a_lo, b_lo, prefix))
        a_lo += prefix
        b_lo += prefix
    suffix = 0
    while a_hi - suffix > a_lo and b_hi - suffix > b_lo and keys_a[a_hi - suffix - 1] == keys_b[b_hi - suffix - 1]:
        suffix += 1
    if suffix:
        alignment.runs.append((a_hi - suffix, b_hi - suffix, suffix))
        a_hi -= suffix
        b_hi -= suffix
    if a_lo == a_hi or b_lo == b_hi:
        return
    if (a_hi - a_lo) * (b_hi - b_lo) <= PARAGRAPH_ALIGN_LIMIT:
        for tag, i1, i2, j1, _j2 in Indel.opcodes(keys_a[a_lo:a_hi], keys_b[b_lo:b_hi]):
            if tag == "equal":
                alignment.runs.append((a_lo + i1, b_lo + j1, i2 - i1))
        return
    anchors = _unique_anchors(keys_a, keys_b, a_lo, a_hi, b_lo, b_hi)
    if not anchors or depth >= 4:
        _align_windows(keys_a, keys_b, a_lo, a_hi, b_lo, b_hi, alignment)
        return
    prev_a, prev_b = a_lo, b_lo
    for i, j in anchors:
        _align_range(keys_a, keys_b, prev_a, i, prev_b, j, alignment, depth + 1)
        alignment.runs.append((i, j, 1))
        prev_a, prev_b = i + 1, j + 1
    _align_range(keys_a, keys_b, prev_a, a_hi, prev_b, b_hi, alignment, depth + 1)


def _align_windows(
    keys_a: Sequence[int], keys_b: Sequence[int], a_lo: int, a_hi: int, b_lo: int, b_hi: int, alignment: _Alignment
) -> None:
    """Align a stretch with no usable anchors window by window along the diagonal.

    Each window is at most ``PARAGRAPH_ALIGN_LIMIT`` key pairs; the equal runs of its first
    three quarters are kept and the next window starts after the last of them.
    """
    alignment.windowed = True
    size = max(16, isqrt(PARAGRAPH_ALIGN_LIMIT))
    while a_lo < a_hi and b_lo < b_hi:
        a_end, b_end = min(a_hi, a_lo + size), min(b_hi, b_lo + size)
        runs = [
            (a_lo + i1, b_lo + j1, i2 - i1)
            for tag, i1, i2, j1, _ in Indel.opcodes(keys_a[a_lo:a_end], keys_b[b_lo:b_end])
            if tag == "equal"
        ]
        if a_end == a_hi and b_end == b_hi:
            alignment.runs.extend(runs)
            return
        keep_a = a_lo + (a_end - a_lo) * 3 // 4
        keep_b = b_lo + (b_end - b_lo) * 3 // 4
        kept: list[tuple[int, int, int]] = []
        for i, j, n in runs:  # runs near the window's edge may be cut short by it: stop at 3/4
            if i >= keep_a or j >= keep_b:
                break
            kept.append((i, j, min(n, keep_a - i, keep_b - j)))
        if kept:
            alignment.runs.extend(kept)
            last = kept[-1]
            a_lo, b_lo = last[0] + last[2], last[1] + last[2]
        else:  # nothing in common here: leave this stretch unaligned
            a_lo, b_lo = keep_a, keep_b


def _unique_anchors(
    keys_a: Sequence[int], keys_b: Sequence[int], a_lo: int, a_hi: int, b_lo: int, b_hi: int
) -> list[tuple[int, int]]:
    """Patience diff: keys unique on both sides, the longest chain in order on both."""
    count_a = Counter(keys_a[a_lo:a_hi])
    count_b = Counter(keys_b[b_lo:b_hi])
    where_b = {keys_b[j]: j for j in range(b_lo, b_hi) if count_b[keys_b[j]] == 1}
    pairs = [(i, where_b[keys_a[i]]) for i in range(a_lo, a_hi) if count_a[keys_a[i]] == 1 and keys_a[i] in where_b]
    chosen = _longest_increasing([j for _, j in pairs])
    return [pairs[k] for k in chosen]


def _longest_increasing(values: Sequence[int]) -> list[int]:
    """Indexes of a longest strictly increasing subsequence of ``values`` (O(n log n))."""
    tails: list[int] = []  # values[tails[k]] = smallest tail of an increasing run of length k+1
    tail_values: list[int] = []
    previous = [-1] * len(values)
    for index, value in enumerate(values):
        k = bisect_left(tail_values, value)
        if k:
            previous[index] = tails[k - 1]
        if k == len(tails):
            tails.append(index)
            tail_values.append(value)
        else:
            tails[k] = index
            tail_values[k] = value
    chain: list[int] = []
    at = tails[-1] if tails else -1
    while at != -1:
        chain.append(at)
        at = previous[at]
    chain.reverse()
    return chain


# -- pairing leftover paragraphs -----------------------------------------------------------------


@dataclass(frozen=True)
class _Pair:
    a: int
    b: int
    similarity: float
    exact: bool


def _gaps(runs: list[tuple[int, int, int]], len_a: int, len_b: int) -> list[tuple[int, int, int, int]]:
    """The unaligned stretches between equal runs: (a_lo, a_hi, b_lo, b_hi), in order."""
    gaps = []
    a_pos = b_pos = 0
    for i, j, n in [*runs, (len_a, len_b, 0)]:
        gaps.append((a_pos, i, b_pos, j))
        a_pos, b_pos = i + n, j + n
    return gaps


@dataclass
class _Pairing:
    pairs: list[_Pair]
    skipped_similar: bool = False  # too many leftovers to look for edited paragraphs


def _pair_leftovers(
    blocks_a: list[_Block], blocks_b: list[_Block], gaps: list[tuple[int, int, int, int]], word_level: bool
) -> _Pairing:
    gap_of_a: dict[int, int] = {}
    gap_of_b: dict[int, int] = {}
    for g, (a_lo, a_hi, b_lo, b_hi) in enumerate(gaps):
        gap_of_a.update((i, g) for i in range(a_lo, a_hi))
        gap_of_b.update((j, g) for j in range(b_lo, b_hi))
    pairing = _Pairing(pairs=[])
    pairs = pairing.pairs
    taken_a: set[int] = set()
    taken_b: set[int] = set()

    # 1. the same paragraph elsewhere: copies of one paragraph are paired in reading order;
    #    a very short one ("Photo: AP") only within its own gap, a move of it would mean nothing
    left_by_key_a: defaultdict[object, list[int]] = defaultdict(list)
    left_by_key_b: defaultdict[object, list[int]] = defaultdict(list)
    for i in gap_of_a:
        block = blocks_a[i]
        left_by_key_a[block.key if _words_in(block) >= MIN_MOVE_WORDS else (block.key, gap_of_a[i])].append(i)
    for j in gap_of_b:
        block = blocks_b[j]
        left_by_key_b[block.key if _words_in(block) >= MIN_MOVE_WORDS else (block.key, gap_of_b[j])].append(j)
    for key, where_a in left_by_key_a.items():
        for i, j in zip(where_a, left_by_key_b.get(key, ())):
            taken_a.add(i)
            taken_b.add(j)
            pairs.append(_Pair(i, j, 1.0, exact=True))

    # 2. similar paragraphs: candidates through shared word bigrams, plus every pair in small gaps
    left_a = [i for i in gap_of_a if i not in taken_a and len(blocks_a[i].tokens) > 1]
    left_b = [j for j in gap_of_b if j not in taken_b and len(blocks_b[j].tokens) > 1]
    if not left_a or not left_b:
        return pairing
    if len(left_a) + len(left_b) > SIMILAR_PAIRING_LIMIT:
        pairing.skipped_similar = True
        return pairing
    shingles_b = {j: _shingles(blocks_b[j]) for j in left_b}
    index: defaultdict[int, list[int]] = defaultdict(list)
    for j, shingles in shingles_b.items():
        for s in shingles:
            index[s].append(j)
    candidates: set[tuple[int, int]] = set()
    shingles_a: dict[int, set[int]] = {}
    for i in left_a:
        shingles_a[i] = shingles = _shingles(blocks_a[i])
        postings = [index.get(s, ()) for s in shingles]
        shared = Counter(chain.from_iterable(p for p in postings if len(p) <= _POSTING_CAP))
        candidates.update((i, j) for j, _ in shared.most_common(_PAIR_CANDIDATES))
    for a_lo, a_hi, b_lo, b_hi in gaps:
        if 0 < (a_hi - a_lo) * (b_hi - b_lo) <= _SMALL_GAP:
            candidates.update(
                (i, j) for i in range(a_lo, a_hi) if i in shingles_a for j in range(b_lo, b_hi) if j in shingles_b
            )
    len_a, len_b = max(1, len(blocks_a)), max(1, len(blocks_b))
    scored: list[tuple[float, bool, float, int, int]] = []
    for i, j in candidates:
        if word_level:
            similarity = Indel.normalized_similarity(blocks_a[i].tokens, blocks_b[j].tokens)
        else:
            similarity = _dice(shingles_a[i], shingles_b[j])
        same_gap = gap_of_a[i] == gap_of_b[j]
        if not same_gap and min(len(blocks_a[i].words), len(blocks_b[j].words)) < MIN_MOVE_WORDS:
            continue
        if similarity >= (PAIR_SIMILARITY if same_gap else MOVE_SIMILARITY):
            # best first; then in place before moved; then the nearest in relative position
            scored.append((-similarity, not same_gap, abs(i / len_a - j / len_b), i, j))
    scored.sort()
    for negative_similarity, _, _, i, j in scored:
        if i not in taken_a and j not in taken_b:
            taken_a.add(i)
            taken_b.add(j)
            pairs.append(_Pair(i, j, -negative_similarity, exact=False))
    return pairing


def _words_in(block: _Block) -> int:
    return len(block.words)


def _shingles(block: _Block) -> set[int]:
    words = [w.casefold() for w in block.words]
    if len(words) < 2:
        return {hash(w) for w in words}
    return {hash(pair) for pair in pairwise(words)}


def _dice(x: set[int], y: set[int]) -> float:
    return 2 * len(x & y) / (len(x) + len(y)) if x or y else 1.0


# -- word level ----------------------------------------------------------------------------------


def _word_ops(block_a: _Block, block_b: _Block) -> tuple[tuple[WordOp, ...], int]:
    """The changed word runs of a paired paragraph, and how many tokens are shared."""
    ops: list[WordOp] = []
    shared = 0
    pending: list[tuple[str, int, int, int, int]] = []  # a run of insert/delete opcodes to merge

    def flush() -> None:
        if not pending:
            return
        i1, i2 = pending[0][1], pending[-1][2]
        j1, j2 = pending[0][3], pending[-1][4]
        a_range = _token_chars(block_a, i1, i2)
        b_range = _token_chars(block_b, j1, j2)
        kind: WordOpKind = "replace" if i1 < i2 and j1 < j2 else "delete" if i1 < i2 else "insert"
        ops.append(WordOp(kind, a_range[0], a_range[1], b_range[0], b_range[1]))
        pending.clear()

    for tag, i1, i2, j1, j2 in Indel.opcodes(block_a.tokens, block_b.tokens):
        if tag == "equal":
            flush()
            shared += i2 - i1
        else:
            pending.append((tag, i1, i2, j1, j2))
    flush()
    return tuple(ops), shared


def _token_chars(block: _Block, lo: int, hi: int) -> tuple[int, int]:
    if lo < hi:
        return block.spans[lo][0], block.spans[hi - 1][1]
    if lo < len(block.spans):
        return block.spans[lo][0], block.spans[lo][0]
    return block.end, block.end


# -- the diff ------------------------------------------------------------------------------------


def diff_texts(a: str, b: str) -> DiffResult:
    """Compare text A with text B (any two texts, any language)."""
    a = a or ""
    b = b or ""
    blocks_a = _split_blocks(a)
    blocks_b = _split_blocks(b)
    tokens_a = sum(len(x.tokens) for x in blocks_a)
    tokens_b = sum(len(x.tokens) for x in blocks_b)
    total_tokens = tokens_a + tokens_b
    word_level = total_tokens <= WORD_LEVEL_TOKEN_LIMIT
    notes: list[str] = []
    if not word_level:
        notes.append(f"texts too long for word-level diff ({total_tokens:,} tokens): paragraphs only")

    alignment = _align_keys([x.key for x in blocks_a], [x.key for x in blocks_b])
    if alignment.windowed:
        notes.append("very long texts aligned window by window: the diff may not be the smallest")
    gaps = _gaps(alignment.runs, len(blocks_a), len(blocks_b))
    pairing = _pair_leftovers(blocks_a, blocks_b, gaps, word_level)
    if pairing.skipped_similar:
        notes.append("too many unaligned paragraphs to look for edited ones: they show as removed and added")

    builder = _OpBuilder(a, b, blocks_a, blocks_b, word_level)
    builder.build(alignment.runs, gaps, pairing.pairs)
    ops = tuple(builder.ops)
    summary = _summarise(a, b, (len(blocks_a), tokens_a), (len(blocks_b), tokens_b), ops, builder.shared_tokens)
    return DiffResult(
        a_text=a,
        b_text=b,
        a_paragraphs=tuple((x.start, x.end) for x in blocks_a),
        b_paragraphs=tuple((x.start, x.end) for x in blocks_b),
        ops=ops,
        summary=summary,
        degraded="; ".join(notes) or None,
    )


class _OpBuilder:
    """Turns equal runs, gaps and pairs into the ordered op list, counting shared tokens."""

    def __init__(self, a: str, b: str, blocks_a: list[_Block], blocks_b: list[_Block], word_level: bool) -> None:
        self.a_len = len(a)
        self.b_len = len(b)
        self.blocks_a = blocks_a
        self.blocks_b = blocks_b
        self.word_level = word_level
        self.ops: list[DiffOp] = []
        self.shared_tokens = 0

    def build(self, runs: list[tuple[int, int, int]], gaps: list[tuple[int, int, int, int]], pairs: list[_Pair]) -> None:
        gap_of_b = {j: g for g, (_, _, b_lo, b_hi) in enumerate(gaps) for j in range(b_lo, b_hi)}
        gap_of_a = {i: g for g, (a_lo, a_hi, _, _) in enumerate(gaps) for i in range(a_lo, a_hi)}
        in_place: defaultdict[int, list[_Pair]] = defaultdict(list)
        candidates: defaultdict[int, list[_Pair]] = defaultdict(list)
        for pair in pairs:
            if gap_of_a[pair.a] == gap_of_b[pair.b]:
                candidates[gap_of_a[pair.a]].append(pair)
        kept: set[tuple[int, int]] = set()
        for g, group in candidates.items():
            group.sort(key=lambda p: p.a)
            for k in _longest_increasing([p.b for p in group]):
                in_place[g].append(group[k])
                kept.add((group[k].a, group[k].b))
        moved = sorted(
            (p for p in pairs if (p.a, p.b) not in kept and len(self.blocks_a[p.a].words) >= MIN_MOVE_WORDS),
            key=lambda p: p.a,
        )  # an out-of-order copy of a tiny paragraph is just removed and added
        self.move_of_b = self._number_moves(moved)
        self.moved_a = {p.a for p in moved}

        for g, (a_lo, a_hi, b_lo, b_hi) in enumerate(gaps):
            self._gap(a_lo, a_hi, b_lo, b_hi, in_place.get(g, []))
            if g < len(runs):
                i, j, n = runs[g]
                self._equal(i, i + n, j, j + n)

    def _number_moves(self, moved: list[_Pair]) -> dict[int, tuple[int, _Pair]]:
        """Group moves whose paragraphs follow each other on both sides into numbered blocks."""
        by_b: dict[int, tuple[int, _Pair]] = {}
        block = -1
        previous: _Pair | None = None
        for pair in moved:
            if previous is None or pair.a != previous.a + 1 or pair.b != previous.b + 1:
                block += 1
            by_b[pair.b] = (block, pair)
            previous = pair
        # number blocks in order of appearance in B, the order a reader meets them
        order = {old: new for new, old in enumerate(dict.fromkeys(by_b[j][0] for j in sorted(by_b)))}
        return {j: (order[block_id], pair) for j, (block_id, pair) in by_b.items()}

    def _gap(self, a_lo: int, a_hi: int, b_lo: int, b_hi: int, in_place: list[_Pair]) -> None:
        a_pos, b_pos = a_lo, b_lo
        for pair in sorted(in_place, key=lambda p: p.a):
            self._one_sided(a_pos, pair.a, b_pos, pair.b)
            if pair.exact:
                self._equal(pair.a, pair.a + 1, pair.b, pair.b + 1)
            else:
                self._replace(pair)
            a_pos, b_pos = pair.a + 1, pair.b + 1
        self._one_sided(a_pos, a_hi, b_pos, b_hi)

    def _one_sided(self, a_lo: int, a_hi: int, b_lo: int, b_hi: int) -> None:
        """Deletes (skipping move sources, which their move op covers), then inserts and moves."""
        i = a_lo
        while i < a_hi:
            if i in self.moved_a:
                i += 1
                continue
            end = i
            while end < a_hi and end not in self.moved_a:
                end += 1
            self._emit("delete", i, end, b_lo, b_lo)
            i = end
        j = b_lo
        while j < b_hi:
            move = self.move_of_b.get(j)
            end = j + 1
            if move is None:
                while end < b_hi and end not in self.move_of_b:
                    end += 1
                self._emit("insert", a_hi, a_hi, j, end)
            else:
                while end < b_hi and end in self.move_of_b and self.move_of_b[end][0] == move[0]:
                    end += 1
                self._move(move[0], [self.move_of_b[k][1] for k in range(j, end)])
            j = end

    def _equal(self, a_lo: int, a_hi: int, b_lo: int, b_hi: int) -> None:
        self.shared_tokens += sum(len(self.blocks_a[i].tokens) for i in range(a_lo, a_hi))
        self._emit("equal", a_lo, a_hi, b_lo, b_hi, similarity=1.0)

    def _replace(self, pair: _Pair) -> None:
        words, similarity = self._words(pair)
        self._emit("replace", pair.a, pair.a + 1, pair.b, pair.b + 1, similarity=similarity, words=words)

    def _move(self, move_id: int, pairs: list[_Pair]) -> None:
        words: list[WordOp] = []
        tokens_a = tokens_b = 0
        weighted = 0.0
        for pair in pairs:
            pair_words, similarity = self._words(pair)
            words.extend(pair_words)
            size = len(self.blocks_a[pair.a].tokens) + len(self.blocks_b[pair.b].tokens)
            weighted += similarity * size
            tokens_a += len(self.blocks_a[pair.a].tokens)
            tokens_b += len(self.blocks_b[pair.b].tokens)
        similarity = weighted / max(1, tokens_a + tokens_b)
        first, last = pairs[0], pairs[-1]
        self._emit(
            "move", first.a, last.a + 1, first.b, last.b + 1, similarity=similarity, words=tuple(words), move_id=move_id
        )

    def _words(self, pair: _Pair) -> tuple[tuple[WordOp, ...], float]:
        block_a, block_b = self.blocks_a[pair.a], self.blocks_b[pair.b]
        if pair.exact:
            self.shared_tokens += len(block_a.tokens)
            return (), 1.0
        if not self.word_level:
            self.shared_tokens += round(pair.similarity * (len(block_a.tokens) + len(block_b.tokens)) / 2)
            return (), pair.similarity
        words, shared = _word_ops(block_a, block_b)
        self.shared_tokens += shared
        return words, 2 * shared / (len(block_a.tokens) + len(block_b.tokens))

    def _emit(
        self, kind: OpKind, a_lo: int, a_hi: int, b_lo: int, b_hi: int, *,
        similarity: float = 0.0, words: tuple[WordOp, ...] = (), move_id: int | None = None,
    ) -> None:
        self.ops.append(
            DiffOp(
                kind, a_lo, a_hi, b_lo, b_hi,
                a_chars=_block_chars(self.blocks_a, a_lo, a_hi, self.a_len),
                b_chars=_block_chars(self.blocks_b, b_lo, b_hi, self.b_len),
                similarity=similarity, words=words, move_id=move_id,
            )
        )


def _block_chars(blocks: list[_Block], lo: int, hi: int, text_len: int) -> tuple[int, int]:
    if lo < hi:
        return blocks[lo].start, blocks[hi - 1].end
    position = blocks[lo].start if lo < len(blocks) else text_len if not blocks else blocks[-1].end
    return position, position


# -- summary -------------------------------------------------------------------------------------


def _summarise(
    a: str, b: str, size_a: tuple[int, int], size_b: tuple[int, int], ops: tuple[DiffOp, ...], shared: int
) -> DiffSummary:
    """``size_*``: (paragraphs, tokens) of each text."""
    (paragraphs_a, tokens_a), (paragraphs_b, tokens_b) = size_a, size_b
    words_a = len(_WORD.findall(a))
    words_b = len(_WORD.findall(b))
    counts = Counter[str]()
    for op in ops:
        if op.op == "insert":
            counts["added"] += op.b_end - op.b_start
        elif op.op == "delete":
            counts["removed"] += op.a_end - op.a_start
        elif op.op == "replace":
            counts["changed"] += 1
        elif op.op == "move":
            counts["moved"] += op.a_end - op.a_start
    if tokens_a == 0 and tokens_b == 0:
        common = a_in_b = b_in_a = 1.0
    else:
        common = 2 * shared / (tokens_a + tokens_b)
        a_in_b = shared / tokens_a if tokens_a else 0.0
        b_in_a = shared / tokens_b if tokens_b else 0.0
    contains: Side | None = None
    if tokens_a and tokens_b:
        if b_in_a >= CONTAINS_SHARE and a_in_b < CONTAINS_SHARE:
            contains = "a"
        elif a_in_b >= CONTAINS_SHARE and b_in_a < CONTAINS_SHARE:
            contains = "b"
    extra: tuple[Extra, ...] = ()
    extra_words = 0
    if contains is not None:
        one_sided = "delete" if contains == "a" else "insert"
        extra = tuple(
            Extra(op.a_start, op.a_end, op.a_chars) if contains == "a" else Extra(op.b_start, op.b_end, op.b_chars)
            for op in ops
            if op.op == one_sided
        )
        extra_words = _words_only_on(contains, a if contains == "a" else b, ops)
    no_change = all(op.op == "equal" for op in ops)
    if not tokens_a and not tokens_b or (no_change and tokens_a == tokens_b):
        verdict = "identical"
    elif not tokens_a or not tokens_b:
        verdict = "one-empty"
    elif contains is not None:
        verdict = f"{contains}-contains-{'b' if contains == 'a' else 'a'}"
    elif common >= NEAR_IDENTICAL:
        verdict = "near-identical"
    elif common >= LITTLE_IN_COMMON:
        verdict = "partial"
    else:
        verdict = "little-in-common"
    return DiffSummary(
        common=common, a_in_b=a_in_b, b_in_a=b_in_a,
        added=counts["added"], removed=counts["removed"], changed=counts["changed"], moved=counts["moved"],
        contains=contains, extra=extra, extra_words=extra_words, verdict=verdict,
        paragraphs_a=paragraphs_a, paragraphs_b=paragraphs_b, words_a=words_a, words_b=words_b,
    )


def _words_only_on(side: Side, text: str, ops: tuple[DiffOp, ...]) -> int:
    """Words of one side that the other lacks: its one-sided paragraphs and changed words."""
    one_sided = "delete" if side == "a" else "insert"
    count = 0
    for op in ops:
        if op.op == one_sided:
            start, end = op.a_chars if side == "a" else op.b_chars
            count += len(_WORD.findall(text, start, end))
        for word in op.words:
            start, end = (word.a_start, word.a_end) if side == "a" else (word.b_start, word.b_end)
            count += len(_WORD.findall(text, start, end))
    return count


def describe(result: DiffResult) -> str:
    """One line a person reads first: how much is shared, what changed, who adds what."""
    s = result.summary
    if s.verdict == "identical":
        head = "identical"
    elif s.verdict == "one-empty":
        head = f"{'A' if not s.words_a else 'B'} is empty"
    elif s.verdict == "little-in-common":
        head = f"little in common ({s.common:.0%})"
    else:
        head = f"{s.common:.0%} in common"
    parts = [head]
    for count, what in ((s.changed, "changed"), (s.moved, "moved"), (s.added, "added"), (s.removed, "removed")):
        if count:
            parts.append(f"{count} {what}")
    if s.contains is not None:
        other = "B" if s.contains == "a" else "A"
        paragraphs = sum(e.end - e.start for e in s.extra)
        parts.append(
            f"{s.contains.upper()} contains {other} + {paragraphs} more paragraph{'s' if paragraphs != 1 else ''} "
            f"({s.extra_words:,} words)"
        )
    if result.degraded:
        parts.append(f"note: {result.degraded}")
    return " · ".join(parts)


# -- rows for display (shared by the CLI and the TUI) --------------------------------------------

RowKind = Literal["equal", "insert", "delete", "replace", "moved-here", "moved-away"]


@dataclass(frozen=True)
class Row:
    """One displayed paragraph pair: both sides for equal/replace, one side otherwise.

    ``moved-away`` shows an A paragraph at its old place (its twin is at ``b`` in B);
    ``moved-here`` shows it at its new place in B (coming from ``a``).
    """

    kind: RowKind
    a: int | None
    b: int | None
    op: int  # index into DiffResult.ops
    move_id: int | None = None


@dataclass(frozen=True)
class Fold:
    """A run of unchanged rows shown as one line; ``rows`` are indexes into the row list."""

    start: int
    end: int

    @property
    def count(self) -> int:
        return self.end - self.start


def aligned_rows(result: DiffResult) -> list[Row]:
    """The diff as rows in reading order of both texts, moves shown at both places."""
    rows: list[Row] = []
    move_target: dict[int, tuple[int, int, int]] = {}  # a paragraph -> (b paragraph, op, move id)
    for index, op in enumerate(result.ops):
        if op.op == "move":
            for k in range(op.a_end - op.a_start):
                move_target[op.a_start + k] = (op.b_start + k, index, op.move_id or 0)
    a_cursor = 0

    def moved_away_until(limit: int) -> None:
        nonlocal a_cursor
        while a_cursor < limit:
            if a_cursor in move_target:
                b_index, op_index, move_id = move_target[a_cursor]
                rows.append(Row("moved-away", a_cursor, b_index, op_index, move_id))
            a_cursor += 1

    for index, op in enumerate(result.ops):
        if op.op == "move":
            for k in range(op.b_end - op.b_start):
                rows.append(Row("moved-here", op.a_start + k, op.b_start + k, index, op.move_id))
            continue
        moved_away_until(op.a_start)
        if op.op in ("equal", "replace"):
            for k in range(op.a_end - op.a_start):
                rows.append(Row(op.op, op.a_start + k, op.b_start + k, index))
        elif op.op == "delete":
            rows.extend(Row("delete", i, None, index) for i in range(op.a_start, op.a_end))
        else:
            rows.extend(Row("insert", None, j, index) for j in range(op.b_start, op.b_end))
        a_cursor = max(a_cursor, op.a_end)
    moved_away_until(len(result.a_paragraphs))
    return rows


def fold_rows(rows: Sequence[Row], *, context: int = 1, min_fold: int = 3) -> list[Row | Fold]:
    """Fold unchanged runs, keeping ``context`` rows next to each change; short runs stay."""
    shown: list[Row | Fold] = []
    k = 0
    while k < len(rows):
        if rows[k].kind != "equal":
            shown.append(rows[k])
            k += 1
            continue
        end = k
        while end < len(rows) and rows[end].kind == "equal":
            end += 1
        keep_before = context if k > 0 else 0
        keep_after = context if end < len(rows) else 0
        if end - k - keep_before - keep_after >= min_fold:
            shown.extend(rows[k : k + keep_before])
            shown.append(Fold(k + keep_before, end - keep_after))
            shown.extend(rows[end - keep_after : end])
        else:
            shown.extend(rows[k:end])
        k = end
    return shown


def changed_spans(op: DiffOp, side: Side) -> list[tuple[int, int]]:
    """Char ranges (into that side's text) of the changed words of a replace or edited move."""
    spans = []
    for word in op.words:
        start, end = (word.a_start, word.a_end) if side == "a" else (word.b_start, word.b_end)
        if start < end:
            spans.append((start, end))
    return spans


def paragraph_text(result: DiffResult, side: Side, index: int) -> tuple[str, int]:
    """A paragraph's text and its offset in the whole text."""
    text, ranges = (result.a_text, result.a_paragraphs) if side == "a" else (result.b_text, result.b_paragraphs)
    start, end = ranges[index]
    return text[start:end], start


# -- styled segments (shared by the CLI and the TUI) ---------------------------------------------

Mark = tuple[int, int, str]
"""A char range into a whole text with a tag: "insert", "delete", "entity-person", ..."""

StyledSegment = tuple[str, frozenset[str]]
"""A piece of text (not yet stripped of controls) and its tags."""


def entity_marks(library: object, article_id: int) -> tuple[Mark, ...]:
    """Entity spans as marks, when the store can give them (``library.entity_spans``); else none."""
    entity_spans = getattr(library, "entity_spans", None)
    if entity_spans is None:
        return ()
    try:
        spans = entity_spans(article_id)
    except (sqlite3.Error, LookupError, TypeError, ValueError):  # entities missing or mid-migration: no highlights
        return ()
    marks = []
    for span in spans or ():
        start, end, kind = getattr(span, "start", None), getattr(span, "end", None), getattr(span, "type", None)
        if isinstance(start, int) and isinstance(end, int) and start < end and kind:
            marks.append((start, end, "entity-" + str(kind).lower()))
    return tuple(sorted(marks))


def cut_segments(text: str, start: int, end: int, marks: Sequence[Mark], base: frozenset[str] = frozenset()) -> list[StyledSegment]:
    """``text[start:end]`` cut at every mark boundary, each piece with the tags covering it."""
    if start >= end:
        return []
    inside = [(max(s, start), min(e, end), tag) for s, e, tag in _marks_overlapping(marks, start, end)]
    if not inside:
        return [(text[start:end], base)]
    bounds = sorted({start, end, *(s for s, _, _ in inside), *(e for _, e, _ in inside)})
    segments: list[StyledSegment] = []
    for lo, hi in pairwise(bounds):
        tags = base.union(tag for s, e, tag in inside if s <= lo and hi <= e)
        if segments and segments[-1][1] == tags:
            segments[-1] = (segments[-1][0] + text[lo:hi], tags)
        else:
            segments.append((text[lo:hi], tags))
    return segments


def _marks_overlapping(marks: Sequence[Mark], start: int, end: int) -> list[Mark]:
    """Marks (sorted by start) that overlap [start, end); marks are short, so a bounded look-back."""
    k = bisect_left(marks, (start, -1, ""))
    found = [m for m in marks[max(0, k - 32) : k] if m[1] > start]
    while k < len(marks) and marks[k][0] < end:
        if marks[k][1] > start:
            found.append(marks[k])
        k += 1
    return found


def side_segments(
    result: DiffResult, row: Row, side: Side, entity: Sequence[Mark] = (), *, base: frozenset[str] = frozenset()
) -> list[StyledSegment]:
    """One side of a row: the paragraph with changed words tagged ("delete" on A, "insert" on B)."""
    index = row.a if side == "a" else row.b
    if index is None:
        return []
    text = result.a_text if side == "a" else result.b_text
    start, end = (result.a_paragraphs if side == "a" else result.b_paragraphs)[index]
    op = result.ops[row.op]
    marks = list(entity)
    if op.words:
        change = "delete" if side == "a" else "insert"
        marks.extend((s, e, change) for s, e in changed_spans(op, side) if start <= s and e <= end)
        marks.sort()
    return cut_segments(text, start, end, marks, base)


def unified_segments(
    result: DiffResult, row: Row, entity_a: Sequence[Mark] = (), entity_b: Sequence[Mark] = ()
) -> list[StyledSegment]:
    """A changed paragraph as one text: B's words, with A's removed words inline before the new ones."""
    assert row.a is not None and row.b is not None
    a_start, a_end = result.a_paragraphs[row.a]
    b_start, b_end = result.b_paragraphs[row.b]
    deleted, inserted = frozenset({"delete"}), frozenset({"insert"})
    segments: list[StyledSegment] = []
    cursor = b_start
    for word in result.ops[row.op].words:
        if not (a_start <= word.a_start and word.a_end <= a_end and b_start <= word.b_start and word.b_end <= b_end):
            continue  # a word change of another paragraph of the same moved block
        segments += cut_segments(result.b_text, cursor, word.b_start, entity_b)
        segments += cut_segments(result.a_text, word.a_start, word.a_end, entity_a, deleted)
        if word.a_start < word.a_end and word.b_start < word.b_end:
            segments.append((" ", frozenset()))
        segments += cut_segments(result.b_text, word.b_start, word.b_end, entity_b, inserted)
        cursor = word.b_end
    segments += cut_segments(result.b_text, cursor, b_end, entity_b)
    return segments
