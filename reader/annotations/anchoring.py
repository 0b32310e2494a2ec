"""Anchor highlights to text that changes: W3C quote and position selectors, re-anchoring.

An annotation remembers what the user highlighted as a W3C TextQuoteSelector (the
exact text with about 32 characters of prefix and suffix) and a TextPositionSelector
(code-point offsets into the clean text). When the text changes, :func:`anchor` finds
the span again, in this order:

1. the old offsets, if the text there is still the quote;
2. the exact quote, choosing among several occurrences by how well the prefix and
   suffix agree and, last, by nearness to the old position;
3. a fuzzy search with rapidfuzz, scoring quote, prefix and suffix and preferring the
   old position;
4. otherwise the annotation is orphaned: kept, listed, never dropped or moved.

The state says how the highlight relates to what the user chose: ``anchored`` when the
exact quote was found where its context confirms it (offsets may have shifted, the
highlighted words have not), ``moved`` when it had to be placed on different words or in
a different context (the user should look), ``orphaned`` when no place scored high enough.

Pure functions, no store access.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Literal

from reader.annotations.model import AnchorState

if TYPE_CHECKING:
    from types import ModuleType

CONTEXT_CHARS = 32

# Scoring weights (as in Hypothesis' dom-anchor-text-quote): the quote dominates, the
# context decides between similar places, the old position breaks ties.
QUOTE_WEIGHT = 50.0
PREFIX_WEIGHT = 20.0
SUFFIX_WEIGHT = 20.0
POSITION_WEIGHT = 2.0
# A place is accepted when its weighted score reaches this (an exact quote with no
# context support scores about 0.57; with half its context, about 0.78)...
ACCEPT_SCORE = 0.75
# ... and, for a fuzzy place, when the quote itself is at least this similar.
FUZZY_QUOTE_MIN = 0.75
# A quote this long found exactly and only once, or almost exactly (fuzzy), is accepted on
# its own even when its context changed (a paragraph moved elsewhere in the article).
DISTINCTIVE_CHARS = 32
DISTINCTIVE_FUZZY_QUOTE = 0.9
# Context agreement an exact match needs to count as ``anchored`` rather than ``moved``.
CONTEXT_AGREEMENT = 0.5

# Fuzzy search: quotes up to this length are searched whole; longer ones by their head
# and tail (rapidfuzz's partial alignment grows with the square of the needle length).
WHOLE_QUOTE_MAX = 128
# A span found between the exact prefix and the exact suffix (an edit inside a short quote)
# needs less quote similarity: the context on both sides vouches for the place.
BRACKET_CONTEXT_MIN = 8
BRACKETED_QUOTE_MIN = 0.6
PROBE_CHARS = 64
MAX_FUZZY_CANDIDATES = 24
MAX_BOUNDARY_SHIFT = 32

AnchorMethod = Literal["position", "quote", "fuzzy", "none"]


@dataclass(frozen=True)
class Selector:
    """A W3C TextQuoteSelector (exact, prefix, suffix) and TextPositionSelector (start, end).

    ``start`` and ``end`` are -1 when no position is known (a quote from another tool).
    """

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


@dataclass(frozen=True)
class Anchor:
    """Where a selector lands in a text. For ``orphaned``, start/end are the selector's own."""

    start: int
    end: int
    state: AnchorState
    method: AnchorMethod
    score: float

    @property
    def found(self) -> bool:
        return self.state != "orphaned"


def text_hash(text: str) -> str:
    """Identity of an exact text (offsets depend on every character, so no normalisation)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def make_selector(text: str, start: int, end: int, *, context: int = CONTEXT_CHARS) -> Selector:
    """The selectors for ``text[start:end]``."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"span {start}..{end} is not inside a text of {len(text)} characters")
    return Selector(
        exact=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
        start=start,
        end=end,
    )


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop whitespace at both ends of a selected span (a selection often catches a newline)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def find_occurrences(text: str, quote: str, *, limit: int = 100_000) -> list[int]:
    """Start offsets of every occurrence of ``quote`` (overlapping ones included)."""
    found: list[int] = []
    if not quote:
        return found
    at = text.find(quote)
    while at != -1 and len(found) < limit:
        found.append(at)
        at = text.find(quote, at + 1)
    return found


def find_quote(text: str, quote: str) -> list[tuple[int, int]]:
    """Spans where a quote typed by a person occurs: exactly, else with any whitespace between words."""
    quote = quote.strip()
    if not quote:
        return []
    exact = find_occurrences(text, quote)
    if exact:
        return [(at, at + len(quote)) for at in exact]
    words = quote.split()
    pattern = re.compile(r"\s+".join(re.escape(word) for word in words))
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def anchor(selector: Selector, text: str) -> Anchor:
    """Find the selector's span in ``text`` (see the module docstring for the order)."""
    exact = selector.exact
    orphaned = Anchor(selector.start, selector.end, "orphaned", "none", 0.0)
    if not exact or not text:
        return orphaned
    if 0 <= selector.start < selector.end <= len(text) and text[selector.start : selector.end] == exact:
        return Anchor(selector.start, selector.end, "anchored", "position", 1.0)
    by_quote = _anchor_by_exact_quote(selector, text)
    if by_quote is not None:
        return by_quote
    by_fuzzy = _anchor_by_fuzzy_search(selector, text)
    if by_fuzzy is not None:
        return by_fuzzy
    return orphaned


# -- scoring -----------------------------------------------------------------------------------


@cache
def _fuzz() -> ModuleType:
    """rapidfuzz, imported on first use: it costs ~30 ms and most runs never need it."""
    from rapidfuzz import fuzz

    return fuzz


def _similarity(a: str, b: str) -> float:
    return _fuzz().ratio(a, b) / 100.0


def _prefix_score(selector: Selector, text: str, start: int) -> float:
    if not selector.prefix:  # the quote began the text: it still should
        return 1.0 if start == 0 else 0.0
    return _similarity(selector.prefix, text[max(0, start - len(selector.prefix)) : start])


def _suffix_score(selector: Selector, text: str, end: int) -> float:
    if not selector.suffix:  # the quote ended the text
        return 1.0 if end == len(text) else 0.0
    return _similarity(selector.suffix, text[end : end + len(selector.suffix)])


def _position_score(selector: Selector, text: str, start: int) -> float:
    if selector.start < 0:  # no position known
        return 0.5
    return 1.0 - min(1.0, abs(start - selector.start) / max(len(text), 1))


def _context_known(selector: Selector) -> bool:
    """Our selectors always carry context unless the quote touches a text edge; another tool's
    may have none at all (no prefix, no suffix): then only the quote and position count."""
    return bool(selector.prefix or selector.suffix) or selector.start == 0


def _weighted(selector: Selector, quote: float, prefix: float, suffix: float, position: float) -> float:
    if not _context_known(selector):
        return (QUOTE_WEIGHT * quote + POSITION_WEIGHT * position) / (QUOTE_WEIGHT + POSITION_WEIGHT)
    total = QUOTE_WEIGHT + PREFIX_WEIGHT + SUFFIX_WEIGHT + POSITION_WEIGHT
    return (QUOTE_WEIGHT * quote + PREFIX_WEIGHT * prefix + SUFFIX_WEIGHT * suffix + POSITION_WEIGHT * position) / total


# -- step 2: the exact quote -------------------------------------------------------------------


def _anchor_by_exact_quote(selector: Selector, text: str) -> Anchor | None:
    occurrences = find_occurrences(text, selector.exact)
    if not occurrences:
        return None
    length = len(selector.exact)
    best: tuple[float, float, int] | None = None  # (score, context agreement, start)
    for start in occurrences:
        context = (_prefix_score(selector, text, start) + _suffix_score(selector, text, start + length)) / 2
        score = _weighted(selector, 1.0, context, context, _position_score(selector, text, start))
        if best is None or score > best[0]:
            best = (score, context, start)
    assert best is not None
    score, context, start = best
    distinctive = len(occurrences) == 1 and length >= DISTINCTIVE_CHARS
    if score < ACCEPT_SCORE and not distinctive:
        return None  # a common phrase elsewhere, in another context: let the fuzzy step judge
    agrees = context >= CONTEXT_AGREEMENT or not _context_known(selector)
    state: AnchorState = "anchored" if agrees else "moved"
    return Anchor(start, start + length, state, "quote", score)


# -- step 3: fuzzy search ----------------------------------------------------------------------


def _aligned_windows(needle: str, text: str, cutoff: float) -> list[tuple[int, int, float]]:
    """The best fuzzy alignment of ``needle`` in each overlapping chunk of ``text``."""
    m = len(needle)
    chunk = max(4 * m, 256)
    step = max(chunk - 2 * m, 1)
    found: dict[tuple[int, int], float] = {}
    chunk_start = 0
    while True:
        piece = text[chunk_start : chunk_start + chunk]
        if piece:
            aligned = _fuzz().partial_ratio_alignment(needle, piece, score_cutoff=cutoff * 100)
            if aligned is not None and aligned.score >= cutoff * 100:
                span = (chunk_start + aligned.dest_start, chunk_start + aligned.dest_end)
                found[span] = max(found.get(span, 0.0), aligned.score / 100)
        if chunk_start + chunk >= len(text):
            break
        chunk_start += step
    return [(s, e, score) for (s, e), score in found.items() if e > s]


def _fuzzy_candidates(selector: Selector, text: str) -> list[tuple[int, int]]:
    exact = selector.exact
    m = len(exact)
    if m <= WHOLE_QUOTE_MAX:
        windows = _aligned_windows(exact, text, FUZZY_QUOTE_MIN * 0.9)
        spans = [(s, e) for s, e, _ in windows]
    else:
        heads = _aligned_windows(exact[:PROBE_CHARS], text, 0.7)
        tails = _aligned_windows(exact[-PROBE_CHARS:], text, 0.7)
        spans = []
        for head_start, _, _ in heads:
            spans.append((head_start, min(len(text), head_start + m)))
            paired = [t_end for _, t_end, _ in tails if m // 2 <= t_end - head_start <= m + m // 2]
            if paired:
                spans.append((head_start, min(paired, key=lambda t_end: abs(t_end - head_start - m))))
        for _, tail_end, _ in tails:
            spans.append((max(0, tail_end - m), tail_end))
    spans = sorted(set(spans), key=lambda span: abs(span[0] - selector.start))
    return spans[:MAX_FUZZY_CANDIDATES]


def _bracketed_candidates(selector: Selector, text: str) -> list[tuple[int, int]]:
    """Spans lying between an exact copy of the prefix and an exact copy of the suffix."""
    prefix, suffix, m = selector.prefix, selector.suffix, len(selector.exact)
    at_start = not prefix and selector.start == 0
    if (len(prefix) < BRACKET_CONTEXT_MIN and not at_start) or len(suffix) < BRACKET_CONTEXT_MIN:
        return []
    ends_of_prefix = [0] if at_start else [at + len(prefix) for at in find_occurrences(text, prefix, limit=50)]
    spans = []
    for start in ends_of_prefix:
        end = text.find(suffix, start + 1, start + 2 * m + 16 + len(suffix))
        if end != -1:
            spans.append((start, end))
    return spans


def _refine(selector: Selector, text: str, start: int, end: int) -> tuple[int, int]:
    """Move the span's edges a little where that makes quote and context agree better."""
    exact = selector.exact
    shift = min(MAX_BOUNDARY_SHIFT, len(exact) // 2 + 2)

    def start_score(s: int) -> float:
        return QUOTE_WEIGHT * _similarity(exact, text[s:end]) + PREFIX_WEIGHT * _prefix_score(selector, text, s)

    def end_score(e: int) -> float:
        return QUOTE_WEIGHT * _similarity(exact, text[start:e]) + SUFFIX_WEIGHT * _suffix_score(selector, text, e)

    starts = range(max(0, start - shift), min(end - 1, start + shift) + 1)
    if starts:
        start = max(starts, key=lambda s: (start_score(s), -abs(s - start)))
    ends = range(max(start + 1, end - shift), min(len(text), end + shift) + 1)
    if ends:
        end = max(ends, key=lambda e: (end_score(e), -abs(e - end)))
    return start, end


def _anchor_by_fuzzy_search(selector: Selector, text: str) -> Anchor | None:
    best: tuple[float, float, int, int, bool] | None = None  # (score, quote similarity, start, end, bracketed)
    candidates = [(s, e, True) for s, e in _bracketed_candidates(selector, text)]
    candidates += [(s, e, False) for s, e in _fuzzy_candidates(selector, text)]
    for start, end, bracketed in candidates:
        if not bracketed and len(selector.exact) <= WHOLE_QUOTE_MAX:
            start, end = _refine(selector, text, start, end)
        quote = _similarity(selector.exact, text[start:end])
        score = _weighted(
            selector,
            quote,
            _prefix_score(selector, text, start),
            _suffix_score(selector, text, end),
            _position_score(selector, text, start),
        )
        if best is None or score > best[0]:
            best = (score, quote, start, end, bracketed)
    if best is None:
        return None
    score, quote, start, end, bracketed = best
    if bracketed:
        if quote < BRACKETED_QUOTE_MIN:
            return None
        return Anchor(start, end, "moved", "fuzzy", score)
    distinctive = len(selector.exact) >= DISTINCTIVE_CHARS and quote >= DISTINCTIVE_FUZZY_QUOTE
    if quote < FUZZY_QUOTE_MIN or (score < ACCEPT_SCORE and not distinctive):
        return None
    return Anchor(start, end, "moved", "fuzzy", score)
