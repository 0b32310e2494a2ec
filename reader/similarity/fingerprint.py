"""Similarity fingerprints: word shingles, containment keys (winnowing) and check hashes.

Everything here depends on one text alone and is stable across processes and runs (no
Python ``hash()``: a word's hash is a fixed polynomial over its code points, mixed with
splitmix64's finaliser, and shingles combine word hashes with fixed constants), so
fingerprints computed in worker processes can be compared with ones stored years ago. All of
it is vectorised with numpy: no Python object is made per word.

* **Words**: the text is NFKC-normalised and case-folded; a word is a run of letters and
  digits (so punctuation, quotes and spacing never matter). Scripts written without spaces
  (Han, kana, Thai, Lao, Khmer, Myanmar) count each character as a word.
* **Shingles**: every run of ``SHINGLE_WORDS`` consecutive words, as a 64-bit hash.
* **Containment keys** (winnowing, Schleimer, Wilkerson & Aiken 2003): the smallest shingle
  hash of every window of consecutive shingles (w = 1/8 of the text's shingles, between 8
  and 32: about 16 keys per text up to 256 shingles, 2 per 33 shingles beyond). Selection
  is local, so a passage that appears in two texts yields the same keys in both: any common
  run of at least w + 4 words (w the wider window of the two, 36 words at most) is
  guaranteed to share a key, however long the texts around it. These keys are the whole
  index. They find near copies as well as containments: two texts that each copy most of
  the other share most of their keys (a changed word only changes the keys of the windows
  around it), so they need no LSH bands of a MinHash signature beside them (the index had
  both until format 4; the bands found no pair the keys missed, and cost a third of the
  keys to look up and store). And they find what Jaccard-based LSH cannot: a 2.6 kB article
  inside a 14 kB page has a Jaccard similarity of about 0.18 with it, far below any band
  threshold, but the page's keys inside that passage are among the article's keys.
* **Check hashes**: the shingles once more, as 32-bit hashes (the high half of each 64-bit
  shingle hash), kept as the exact check of a pair reads them: the text's distinct check
  hashes, sorted, and for each shingle in text order the index of its hash among them (2
  bytes a shingle up to 65,536 distinct ones, 4 beyond). Sorted sets let the main process
  intersect many pairs in one merge, and the indexes carry the result back to text order,
  with no sort of its own. The signature carries them, so the main process never tokenises
  a new article, and the store keeps them, so it never tokenises a stored one either. 32
  bits halve what is shipped and stored, and a false match (about one shingle in 10 million
  for a 400-shingle text) moves a coverage by nothing.

Many texts at once: a worker fingerprints the articles of a chunk together
(:func:`fingerprints`, the pipeline's chunk analyser :func:`add_signatures`), in groups of
about ``GROUP_CHARS`` characters laid end to end: each step is one numpy call per group, not
per text (a text's values are a run of each array, see :class:`Runs`), so the fixed cost of
some forty numpy calls is paid once per group. The result is the same as one text at a time
(:func:`fingerprint` is a group of one).

Long texts: the work is linear in the text (plus one sort; about 0.2 s for 1 MB), and what
is stored stays bounded: a text keeps at most ``MAX_CONTAINMENT_KEYS`` containment keys, the
ones with the smallest hashes. That cut is a consistent sample (a key below the cut in a
passage is below it in the page too), so a story inside a very long page still meets it
through the keys of the page that it holds, only fewer of them.
"""

from __future__ import annotations

import re
import struct
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from reader.model import PreparedArticle

SHINGLE_WORDS = 5
WINNOW_WINDOW = 32  # the widest window, for texts of 8 * 32 shingles or more; shorter ones use n / 8
MIN_WINNOW_WINDOW = 8
MAX_CONTAINMENT_KEYS = 4096

FORMAT_VERSION = 4  # of the signature a worker ships (4: no band keys); what the store keeps is unchanged
_MAGIC = b"RDF"
_HEADER = struct.Struct("<3sBIHQIII")

NO_CUT = (1 << 62) - 1  # the containment-key cut of a text that kept all its keys
# How keys and check hashes are shipped and stored (dtype objects: a dtype string is parsed on every use)
KEY_DTYPE, CHECK_DTYPE = np.dtype("<i8"), np.dtype("<u4")
_SHORT_INVERSE_DTYPE = np.dtype("<u2")

# Scripts written without spaces between words: one character is one word.
_UNSPACED_RANGES = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3400, 0x4DBF),  # Han extension A
    (0x4E00, 0x9FFF),  # Han
    (0xF900, 0xFAFF),  # Han compatibility
    (0x20000, 0x323AF),  # Han extensions B-H
)
_SEPARATOR, _LETTER, _SINGLE = 0, 1, 2
_char_classes: np.ndarray | None = None
_MAX_WORD_CHARS = 256  # longer runs (URLs, encoded blobs) are hashed on their first 256 characters' powers

_RNG = np.random.default_rng(0x5EED_D0C5)
_SHINGLE_MULTIPLIERS = (_RNG.integers(1, 2**63, size=SHINGLE_WORDS, dtype=np.uint64) * np.uint64(2) + np.uint64(1))
_BASE = 0x100000001B3
_POWERS = np.cumprod(np.full(_MAX_WORD_CHARS, _BASE, dtype=np.uint64), dtype=np.uint64)  # base**1..256
# For texts of up to _RUN_POWERS letters: base**1.., and the inverse powers (the base is odd, so
# invertible modulo 2**64) base**0, base**-1, ... that bring a word's sum back to its first letter.
_RUN_POWERS = 1 << 16
_POWERS_ALONG = np.cumprod(np.full(_RUN_POWERS, _BASE, dtype=np.uint64), dtype=np.uint64)
_INVERSE_POWERS = np.cumprod(np.r_[np.ones(1, np.uint64), np.full(_RUN_POWERS - 1, pow(_BASE, -1, 1 << 64), np.uint64)], dtype=np.uint64)
_LENGTH_FACTOR = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class Fingerprint:
    """What the duplicate index needs of one text."""

    shingle_count: int  # distinct shingles
    containment_keys: np.ndarray  # int64, sorted, at most MAX_CONTAINMENT_KEYS
    containment_cut: int  # every winnowed key <= cut was kept (NO_CUT: all were kept)
    words: int = 0
    check_distinct: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.uint32))  # sorted
    check_inverse: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.uint16))  # see check_set

    @property
    def sequence(self) -> np.ndarray:
        """The check hashes in text order."""
        return self.check_distinct[self.check_inverse]

    def to_bytes(self) -> bytes:
        """What a worker sends to the main process: the containment keys and the check hashes
        (about 6 bytes a word)."""
        header = _HEADER.pack(
            _MAGIC, FORMAT_VERSION, self.shingle_count, len(self.containment_keys), self.containment_cut, self.words,
            len(self.check_distinct), len(self.check_inverse),
        )
        inverse = self.check_inverse.astype(inverse_dtype(len(self.check_distinct)), copy=False)
        keys, distinct = self.containment_keys.astype(KEY_DTYPE, copy=False), self.check_distinct.astype(CHECK_DTYPE, copy=False)
        return b"".join((header, keys.tobytes(), distinct.tobytes(), inverse.tobytes()))

    @classmethod
    def from_bytes(cls, data: bytes) -> Fingerprint:
        """The fingerprint a worker sent (see :meth:`to_bytes`)."""
        magic, version, shingles, n_keys, cut, words, n_distinct, n_sequence = _HEADER.unpack_from(data)
        if magic != _MAGIC or version != FORMAT_VERSION:
            raise ValueError("not a fingerprint of this version")
        offset = _HEADER.size
        keys = np.frombuffer(data, dtype=KEY_DTYPE, count=n_keys, offset=offset)
        offset += 8 * n_keys
        distinct = np.frombuffer(data, dtype=CHECK_DTYPE, count=n_distinct, offset=offset)
        offset += 4 * n_distinct
        inverse = np.frombuffer(data, dtype=inverse_dtype(n_distinct), count=n_sequence, offset=offset)
        return cls(shingles, keys.astype(np.int64, copy=False), cut, words, distinct.astype(np.uint32, copy=False), inverse)


@dataclass(frozen=True)
class Signature:
    """A fingerprint as a worker ships it (:meth:`Fingerprint.to_bytes`), read lazily: the sizes
    from its header at once, its parts as bytes, arrays only when asked for. The main process
    reads a batch's keys with one numpy call for all its signatures, and stores the check
    hashes as the bytes that came."""

    data: bytes
    shingle_count: int
    key_count: int
    containment_cut: int
    words: int
    distinct_count: int
    sequence_length: int

    @classmethod
    def of(cls, data: bytes) -> Signature:
        """The signature in these bytes (ValueError if they are not one of this version)."""
        magic, version, *sizes = _HEADER.unpack_from(data)
        if magic != _MAGIC or version != FORMAT_VERSION:
            raise ValueError("not a fingerprint of this version")
        return cls(data, *sizes)

    @property
    def keys_bytes(self) -> bytes:
        """The containment keys (little-endian int64)."""
        return self.data[_HEADER.size : _HEADER.size + 8 * self.key_count]

    @property
    def distinct_bytes(self) -> bytes:
        """The distinct check hashes, sorted (little-endian uint32)."""
        start = _HEADER.size + 8 * self.key_count
        return self.data[start : start + 4 * self.distinct_count]

    @property
    def inverse_bytes(self) -> bytes:
        """For each shingle in text order, the index of its check hash among the distinct ones."""
        return self.data[_HEADER.size + 8 * self.key_count + 4 * self.distinct_count :]

    @property
    def containment_keys(self) -> np.ndarray:
        return np.frombuffer(self.keys_bytes, dtype=KEY_DTYPE)

    def check_set(self) -> tuple[np.ndarray, np.ndarray]:
        """The distinct check hashes and the index of each shingle's among them (see :func:`check_set`)."""
        distinct = np.frombuffer(self.distinct_bytes, dtype=CHECK_DTYPE)
        return distinct, np.frombuffer(self.inverse_bytes, dtype=inverse_dtype(self.distinct_count))


def keys_of(signatures: Sequence[Signature]) -> Runs:
    """The containment keys of many signatures laid end to end (int64), read in one numpy call."""
    return Runs(
        np.frombuffer(b"".join(s.keys_bytes for s in signatures), dtype=KEY_DTYPE).astype(np.int64, copy=False),
        np.fromiter((s.key_count for s in signatures), dtype=np.int64, count=len(signatures)),
    )


# -- texts laid end to end ---------------------------------------------------------------------------

GROUP_CHARS = 1 << 16  # texts are fingerprinted together in groups of about this many characters (_RUN_POWERS)


@dataclass(frozen=True)
class Runs:
    """Values of many texts laid end to end: text t's are ``values[starts[t]:][:counts[t]]``."""

    values: np.ndarray
    counts: np.ndarray  # int64, one per text

    @classmethod
    def one(cls, values: np.ndarray) -> Runs:
        """The values of a single text."""
        return cls(values, np.array([len(values)], dtype=np.int64))

    @property
    def starts(self) -> np.ndarray:
        return np.cumsum(self.counts) - self.counts

    @property
    def owners(self) -> np.ndarray:
        """For each value, the index of its text."""
        return np.repeat(np.arange(len(self.counts)), self.counts)


def spans(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """``np.concatenate([np.arange(s, s + n) for s, n in zip(starts, lengths)])``, without the loop."""
    offsets = starts - (np.cumsum(lengths) - lengths)
    return np.arange(int(lengths.sum()), dtype=np.int64) + np.repeat(offsets, lengths)


# -- words and shingles ---------------------------------------------------------------------------


def char_classes() -> np.ndarray:
    """For every code point: separator, letter (part of a word) or a one-character word.

    "Letter" is exactly what Python's ``\\w`` matches; built once per process (~50 ms). The
    word scanner reads the class of each code point it meets from :func:`fold_entries`
    instead; this whole table is the reference it is tested against.
    """
    global _char_classes
    if _char_classes is None:
        every = np.arange(0x110000, dtype="<u4").tobytes().decode("utf-32-le", "surrogatepass")
        classes = np.zeros(0x110000, dtype=np.uint8)
        for match in re.finditer(r"\w+", every):
            classes[match.start() : match.end()] = _LETTER
        for low, high in _UNSPACED_RANGES:
            classes[low : high + 1][classes[low : high + 1] == _LETTER] = _SINGLE
        _char_classes = classes
    return _char_classes


# -- case folding and classes, one code point at a time -----------------------------------------------
#
# NFKC and case folding in Python cost more than the rest of the word scan together, and most
# text needs neither done by the general algorithm. A text whose every character is stable
# under NFKC on its own, starts no combination (no mark, no combining jamo) and folds to one
# character is already NFKC (the standard's quick check says YES for it), and its case fold
# is the fold of each character. So each code point a process meets gets an entry, computed
# the first time it is seen (a Python call per distinct code point, a few thousand in all):
# its fold, the class of the fold (see char_classes), and whether a text holding it must be
# case-folded by Python (it folds to several characters, as "ß" to "ss") or normalised too
# (anything else NFKC may change). A whole text is then folded and classified by one lookup
# per character. One more kind of character keeps the fast way: one that NFKC turns into
# plain separators only (an ellipsis into three full stops, a no-break space into a space)
# that nothing combines with: words are what is hashed, so it is one separator.

_FOLD_BITS = (1 << 21) - 1  # bits 0-20: the code point's case fold (one character)
_CLASS_SHIFT = 24  # bits 24-25: the class of the fold (_SEPARATOR, _LETTER, _SINGLE)
_MANY_FOLD = 1 << 29  # a text holding this code point is case-folded by Python
_GENERAL = 1 << 30  # a text holding this code point is normalised and case-folded by Python
_UNSEEN = 1 << 31  # the entry is not computed yet
_FLAGS = np.uint32(_MANY_FOLD | _GENERAL)
# ASCII separators that start no canonical composition ("<", "=" and ">" do: with U+0338 they
# make "≮", "≠" and "≯"), so a character NFKC turns into some of them is one separator.
PLAIN_SEPARATORS = frozenset(" \t\n\r\x0b\x0c!\"#$%&'()*+,-./:;?@[\\]^`{|}~")
_WORD_CHARACTER = re.compile(r"\w")
_fold_entries: np.ndarray | None = None


def char_class(code_point: int) -> int:
    """The class of one code point (as in :func:`char_classes`)."""
    if not _WORD_CHARACTER.match(chr(code_point)):
        return _SEPARATOR
    unspaced = any(low <= code_point <= high for low, high in _UNSPACED_RANGES)
    return _SINGLE if unspaced else _LETTER


def starts_no_combination(character: str) -> bool:
    """Neither a mark nor a Hangul jamo: nothing before it combines with it under NFKC."""
    return (
        unicodedata.combining(character) == 0
        and not unicodedata.category(character).startswith("M")
        and not 0x1100 <= ord(character) <= 0x11FF  # a vowel or final jamo after a syllable joins it
    )


def fold_entry(code_point: int) -> int:
    """What the word scanner needs of one code point: its case fold and the fold's class,
    with _MANY_FOLD if it folds to several characters, _GENERAL if NFKC may change a text
    around it (the character itself changes, or it may combine with the one before it)."""
    character = chr(code_point)
    normalized = unicodedata.normalize("NFKC", character)
    if normalized != character and starts_no_combination(character) and set(normalized) <= PLAIN_SEPARATORS:
        return ord(" ") | _SEPARATOR << _CLASS_SHIFT
    folded = character.casefold()
    flags = 0 if normalized == character and starts_no_combination(character) else _GENERAL
    if len(folded) != 1:
        return flags | _MANY_FOLD
    return ord(folded) | char_class(ord(folded)) << _CLASS_SHIFT | flags


def fold_entries(code_points: np.ndarray) -> np.ndarray:
    """The entries (see :func:`fold_entry`) of these code points (uint32), each computed once per process."""
    global _fold_entries
    if _fold_entries is None:
        _fold_entries = np.full(0x110000, _UNSEEN, dtype=np.uint32)
    entries = np.take(_fold_entries, code_points)
    if int(entries.max(initial=0)) >= _UNSEEN:
        for code_point in np.unique(code_points[entries >= _UNSEEN]).tolist():
            _fold_entries[code_point] = fold_entry(code_point)
        entries = np.take(_fold_entries, code_points)
    return entries


def code_points(text: str) -> np.ndarray:
    """The code points of a string (uint8 when it is ASCII, else uint32)."""
    if text.isascii():
        return np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def folded_texts(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The texts NFKC-normalised and case-folded, a newline between two, as an entry per
    character (uint32: its code point in bits 0-20, its class at _CLASS_SHIFT), and where each
    text starts: the words of ``unicodedata.normalize("NFKC", text).casefold()``.

    A text that holds a flagged character (see :func:`fold_entry`) is looked up again alone,
    once Python has folded it: its characters that fold to several replaced by their folds
    (casefold folds one character at a time), or, if NFKC may change it, normalised and folded
    whole. Looked up again, the folded characters stay as they are (each folds to itself).
    "ß" (in text with no other flagged character: NFKC keeps it, and casefold one character at a
    time) is replaced by its fold "ss" before the lookup."""
    joined = "\n".join(texts)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    if "ß" in joined:  # the one character that folds to several in much text (German): folded at once
        joined = joined.replace("ß", "ss")
        lengths += np.fromiter((text.count("ß") for text in texts), dtype=np.int64, count=len(texts))
    points = code_points(joined)
    entries = fold_entries(points)
    starts = np.cumsum(lengths + 1) - lengths - 1
    if int(entries.max(initial=0)) < _MANY_FOLD:
        return entries, starts
    flagged = np.flatnonzero(entries >= _MANY_FOLD)
    owners = np.searchsorted(starts, flagged, side="right") - 1
    general = set(owners[entries[flagged] >= _GENERAL].tolist())
    held = sorted_unique((owners << 21) | points[flagged])  # (text, character) pairs, by text
    many_folds: dict[int, list[str]] = {}
    for t, code_point in zip((held >> 21).tolist(), (held & _FOLD_BITS).tolist()):
        many_folds.setdefault(t, []).append(chr(code_point))
    pieces = []
    done = 0
    for t, characters in many_folds.items():
        if t in general:
            text = unicodedata.normalize("NFKC", texts[t]).casefold()
        else:
            text = joined[starts[t] : starts[t] + lengths[t]]  # "ß" replaced already
            for character in characters:
                text = text.replace(character, character.casefold())
        pieces += [entries[done : starts[t]], fold_entries(code_points(text)) & ~_FLAGS]
        done = starts[t] + lengths[t]
        lengths[t] = len(text)
    pieces.append(entries[done:])
    return np.concatenate(pieces), np.cumsum(lengths + 1) - lengths - 1


def texts_word_hashes(texts: Sequence[str]) -> Runs:
    """A 64-bit hash of every normalised word of each text, in order (uint64).

    Vectorised: no Python object per word. Each word's hash is a polynomial over its code
    points (a fixed odd base, modulo 2**64; a character's power is capped at the 256th) plus
    its length times a constant, run through a bit mixer. A separator between two texts
    keeps their words apart.
    """
    entries, text_starts = folded_texts(texts)
    word_char = entries >= np.uint32(_LETTER << _CLASS_SHIFT)
    letter = word_char ^ (entries >= np.uint32(_SINGLE << _CLASS_SHIFT))
    continues = letter[1:] & letter[:-1]  # a letter after a letter continues its word
    np.logical_not(continues, out=continues)
    starts = word_char.copy()
    starts[1:] &= continues
    first_chars = np.flatnonzero(starts)  # where each word starts
    if len(first_chars) == 0:
        return Runs(np.empty(0, dtype=np.uint64), np.zeros(len(texts), dtype=np.int64))
    ends = word_char
    ends[:-1] &= continues
    last_chars = np.flatnonzero(ends)
    lengths = last_chars - first_chars + 1
    points = entries & np.uint32(_FOLD_BITS)
    if len(points) <= _RUN_POWERS and int(lengths.max()) <= _MAX_WORD_CHARS:
        # Each character times base**(its place + 1); the sums along the text, less the sum
        # before a word's first letter, times base**-(that letter's place), are its own polynomial.
        along = np.multiply(points, _POWERS_ALONG[: len(points)], dtype=np.uint64)
        np.cumsum(along, out=along)
        sums = along[last_chars]
        before = first_chars[first_chars > 0] - 1
        sums[len(first_chars) - len(before) :] -= along[before]
        sums *= _INVERSE_POWERS[first_chars]
    else:  # very long texts or words: each letter's power from its place in its word
        offset = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        word_chars = offset + np.repeat(first_chars, lengths)
        np.minimum(offset, _MAX_WORD_CHARS - 1, out=offset)
        values = points[word_chars].astype(np.uint64)
        values *= _POWERS[offset]
        sums = np.add.reduceat(values, np.cumsum(lengths) - lengths)
    sums += lengths.astype(np.uint64) * _LENGTH_FACTOR
    words_before = np.searchsorted(first_chars, text_starts)  # of each text's first character
    return Runs(_mix(sums), np.diff(words_before, append=len(first_chars)))


def word_hashes(text: str) -> np.ndarray:
    """The hash of every normalised word of one text, in order (see :func:`texts_word_hashes`)."""
    return texts_word_hashes([text]).values


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, in place: every input bit affects every output bit."""
    x ^= x >> _SHIFT_30
    x *= _MIX_1
    x ^= x >> _SHIFT_27
    x *= _MIX_2
    x ^= x >> _SHIFT_31
    return x


_SHIFT_30, _SHIFT_27, _SHIFT_31 = np.uint64(30), np.uint64(27), np.uint64(31)
_MIX_1, _MIX_2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def texts_shingles(words: Runs) -> Runs:
    """The hashes of every run of SHINGLE_WORDS words of each text, in text order (one run if
    the text is shorter; none if it has no words)."""
    counts = np.where(words.counts >= SHINGLE_WORDS, words.counts - SHINGLE_WORDS + 1, np.minimum(words.counts, 1))
    hashes = np.concatenate((words.values, np.zeros(SHINGLE_WORDS - 1, dtype=np.uint64)))
    n = len(words.values)
    combined = hashes[:n] * _SHINGLE_MULTIPLIERS[0]  # the run from every word, across texts
    term = np.empty(n, dtype=np.uint64)
    for j in range(1, SHINGLE_WORDS):
        np.multiply(hashes[j : j + n], _SHINGLE_MULTIPLIERS[j], out=term)
        combined += term
    word_starts = words.starts
    combined = combined[spans(word_starts, counts)]  # the runs inside one text
    short = np.flatnonzero((words.counts > 0) & (words.counts < SHINGLE_WORDS))
    if len(short):  # a text shorter than a run: its words alone
        at = word_starts[short, None] + np.arange(SHINGLE_WORDS - 1)
        inside = np.arange(SHINGLE_WORDS - 1) < words.counts[short, None]
        terms = hashes[at] * _SHINGLE_MULTIPLIERS[: SHINGLE_WORDS - 1] * inside
        combined[(np.cumsum(counts) - counts)[short]] = terms.sum(axis=1, dtype=np.uint64)
    return Runs(_mix(combined), counts)


def shingle_sequence(hashes: np.ndarray) -> np.ndarray:
    """Hashes of every run of SHINGLE_WORDS words of one text, in text order (one run if the text is shorter)."""
    return texts_shingles(Runs.one(hashes)).values


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique for 1-d integers, by sorting (numpy's hash-based unique is slower on these)."""
    if len(values) < 2:
        return values.copy()
    ordered = np.sort(values)
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def check_hashes(sequence: np.ndarray) -> np.ndarray:
    """The 32-bit hashes that the exact check compares: the high half of each shingle hash."""
    return (sequence >> np.uint64(32)).astype(np.uint32)


def check_sequence(text: str) -> tuple[int, np.ndarray]:
    """A text's word count and the check hashes of its shingles, in text order."""
    hashes = word_hashes(text)
    return len(hashes), check_hashes(shingle_sequence(hashes))


def inverse_dtype(distinct: int) -> np.dtype:
    """How the indexes into a text's distinct check hashes are stored: 2 bytes each while they fit."""
    return _SHORT_INVERSE_DTYPE if distinct <= 1 << 16 else CHECK_DTYPE


def texts_check_sets(checks: Runs) -> tuple[Runs, np.ndarray]:
    """Each text's check hashes (in text order) as its distinct ones, sorted, and for each of
    its shingles the index of its hash among them: the sets, and the indexes laid end to end
    (uint16 while every text has at most 65,536 distinct hashes, uint32 beyond).

    One sort for all texts: a hash tagged with its text's number sorts within its text. When
    the text's number, the 32-bit hash and the shingle's place fit in 64 bits, the place rides
    in the low bits of what is sorted, so a plain sort (vectorised, about twice as fast as an
    argsort) gives the order too."""
    codes = (checks.owners.astype(np.uint64) << np.uint64(32)) | checks.values
    place_bits = max(1, (len(codes) - 1).bit_length())
    if max(1, (len(checks.counts) - 1).bit_length()) + 32 + place_bits <= 64:
        tagged = (codes << np.uint64(place_bits)) | np.arange(len(codes), dtype=np.uint64)
        tagged.sort()
        order = (tagged & np.uint64((1 << place_bits) - 1)).astype(np.int64)
        ordered = tagged >> np.uint64(place_bits)
    else:
        order = np.argsort(codes)
        ordered = codes[order]
    new = np.empty(len(ordered), dtype=bool)
    new[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
    distinct = ordered[new]
    counts = np.bincount((distinct >> np.uint64(32)).astype(np.int64), minlength=len(checks.counts))
    # the index of each hash among all texts' sets, less the sets of the texts before its own
    # (texts come in order in the sorted codes too, each with all its shingles)
    rank = np.cumsum(new) - 1 - np.repeat(np.cumsum(counts) - counts, checks.counts)
    inverse = np.empty(len(ordered), dtype=inverse_dtype(int(counts.max(initial=0))))
    inverse[order] = rank  # equal hashes get one index, in any order
    return Runs(distinct.astype(np.uint32), counts), inverse


def check_set(sequence: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One text's check hashes (in text order) as its distinct ones, sorted, and for each of its
    shingles the index of its hash among them: ``distinct[inverse] == sequence``."""
    distinct, inverse = texts_check_sets(Runs.one(sequence.astype(np.uint64)))
    return distinct.values, inverse


# -- containment keys ---------------------------------------------------------------------------

_LOG2 = np.array([0] + [i.bit_length() - 1 for i in range(1, WINNOW_WINDOW + 1)], dtype=np.int64)


def texts_window_minima(values: Runs, widths: np.ndarray) -> Runs:
    """The minimum of every window of ``widths[t]`` consecutive values of each text t (uint64;
    one window, the whole text, if it is shorter); widths of 1 to WINNOW_WINDOW.

    A sparse table: level k holds the minimum of the 2**k values from each place, and a
    window is two overlapping blocks of the level below its width (O(n log w))."""
    width = np.minimum(widths, values.counts)
    windows = np.where(values.counts > 0, values.counts - width + 1, 0)
    levels = [values.values]
    while 1 << len(levels) <= int(width.max(initial=1)):
        below, step = levels[-1], 1 << (len(levels) - 1)
        level = below.copy()
        np.minimum(below[:-step], below[step:], out=level[:-step])
        levels.append(level)
    table = np.concatenate(levels)
    place = spans(values.starts, windows)
    width = np.repeat(width, windows)
    level = _LOG2[width]
    place += level * len(values.values)
    return Runs(np.minimum(table[place], table[place + width - (np.int64(1) << level)]), windows)


def window_minima(values: np.ndarray, width: int) -> np.ndarray:
    """The minimum of every window of ``width`` consecutive values (uint64) of one text."""
    return texts_window_minima(Runs.one(values), np.array([width])).values


def winnow_window(shingles: int) -> int:
    """The window of a text of this many shingles: 1/8 of its length, between 8 and 32.

    Short texts keep about 15 keys instead of one or two. Texts with different windows
    still meet: a key of the wider window is the minimum of a run that holds a narrower
    window around it, so it is one of the narrower-window text's keys too."""
    return min(WINNOW_WINDOW, max(MIN_WINNOW_WINDOW, shingles // 8))


def winnow_windows(shingles: np.ndarray) -> np.ndarray:
    """:func:`winnow_window` of many texts at once."""
    return np.clip(shingles // 8, MIN_WINNOW_WINDOW, WINNOW_WINDOW)


def texts_containment_keys(shingles: Runs) -> tuple[Runs, np.ndarray]:
    """Each text's containment keys, the distinct minima of every window of its shingle hashes
    (int64, sorted, bit 62 clear, at most MAX_CONTAINMENT_KEYS: the smallest), and the cut
    they were kept under (NO_CUT: all were kept)."""
    minima = texts_window_minima(Runs(shingles.values >> np.uint64(2), shingles.counts), winnow_windows(shingles.counts))
    owners = minima.owners
    first = np.ones(len(minima.values), dtype=bool)  # a minimum holds for many windows in a row: one of each run
    first[1:] = (minima.values[1:] != minima.values[:-1]) | (owners[1:] != owners[:-1])
    values, owners = minima.values[first], owners[first]
    order = np.lexsort((values, owners))
    values, owners = values[order], owners[order]
    new = np.ones(len(values), dtype=bool)
    new[1:] = (values[1:] != values[:-1]) | (owners[1:] != owners[:-1])
    values, owners = values[new], owners[new]
    counts = np.bincount(owners, minlength=len(shingles.counts))
    cuts = np.full(len(counts), NO_CUT, dtype=np.int64)
    over = np.flatnonzero(counts > MAX_CONTAINMENT_KEYS)
    if len(over):  # a long text keeps its smallest keys
        starts = np.cumsum(counts) - counts
        cuts[over] = values[starts[over] + MAX_CONTAINMENT_KEYS - 1].astype(np.int64)
        kept = np.arange(len(values)) - np.repeat(starts, counts) < MAX_CONTAINMENT_KEYS
        values, counts = values[kept], np.minimum(counts, MAX_CONTAINMENT_KEYS)
    return Runs(values.astype(np.int64), counts), cuts


# -- fingerprints -------------------------------------------------------------------------------


def text_groups(texts: Sequence[str]) -> Iterator[Sequence[str]]:
    """The texts in groups of about GROUP_CHARS characters (a text longer than that alone), in order."""
    group: list[str] = []
    size = 0
    for text in texts:
        if group and size + len(text) > GROUP_CHARS:
            yield group
            group, size = [], 0
        group.append(text)
        size += len(text) + 1
    if group:
        yield group


@dataclass(frozen=True)
class GroupFingerprints:
    """The fingerprints of a group of texts, as runs of arrays (text t's are run t of each)."""

    words: Runs  # word hashes (counts: words of each text)
    keys: Runs  # containment keys
    cuts: np.ndarray  # containment cut of each text
    checks: Runs  # distinct check hashes, sorted
    inverse: Runs  # for each shingle, the index of its check hash among the text's distinct ones

    @classmethod
    def of(cls, texts: Sequence[str]) -> GroupFingerprints:
        words = texts_word_hashes(texts)
        shingles = texts_shingles(words)
        keys, cuts = texts_containment_keys(shingles)
        checks, inverse = texts_check_sets(Runs(shingles.values >> np.uint64(32), shingles.counts))
        return cls(words, keys, cuts, checks, Runs(inverse, shingles.counts))

    def each(self) -> list[Fingerprint]:
        key_starts, check_starts, shingle_starts = self.keys.starts.tolist(), self.checks.starts.tolist(), self.inverse.starts.tolist()
        out = []
        for t, (n_keys, n_distinct, n_shingles, cut, n_words) in enumerate(zip(
            self.keys.counts.tolist(), self.checks.counts.tolist(), self.inverse.counts.tolist(), self.cuts.tolist(),
            self.words.counts.tolist(),
        )):
            text_inverse = self.inverse.values[shingle_starts[t] : shingle_starts[t] + n_shingles]
            out.append(Fingerprint(
                n_distinct, self.keys.values[key_starts[t] : key_starts[t] + n_keys], cut, n_words,
                self.checks.values[check_starts[t] : check_starts[t] + n_distinct],
                text_inverse.astype(inverse_dtype(n_distinct), copy=False),
            ))
        return out

    def signatures(self) -> list[bytes]:
        """Each text's :meth:`Fingerprint.to_bytes`, cut from the group's arrays as bytes (no
        Fingerprint object per text)."""
        if self.inverse.values.dtype != _SHORT_INVERSE_DTYPE:  # a text with over 65,536 distinct shingles
            return [f.to_bytes() for f in self.each()]
        keys = memoryview(self.keys.values.astype(KEY_DTYPE, copy=False).tobytes())
        checks = memoryview(self.checks.values.astype(CHECK_DTYPE, copy=False).tobytes())
        inverse = memoryview(self.inverse.values.astype(_SHORT_INVERSE_DTYPE, copy=False).tobytes())
        out = []
        for key_start, n_keys, check_start, n_distinct, inverse_start, n_shingles, cut, n_words in zip(
            self.keys.starts.tolist(), self.keys.counts.tolist(), self.checks.starts.tolist(), self.checks.counts.tolist(),
            self.inverse.starts.tolist(), self.inverse.counts.tolist(), self.cuts.tolist(), self.words.counts.tolist(),
        ):
            out.append(b"".join((
                _HEADER.pack(_MAGIC, FORMAT_VERSION, n_distinct, n_keys, cut, n_words, n_distinct, n_shingles),
                keys[8 * key_start : 8 * (key_start + n_keys)],
                checks[4 * check_start : 4 * (check_start + n_distinct)],
                inverse[2 * inverse_start : 2 * (inverse_start + n_shingles)],
            )))
        return out


def fingerprints(texts: Sequence[str]) -> list[Fingerprint]:
    """The fingerprints of many texts, each carrying the check hashes of its shingles too;
    computed together in groups of about GROUP_CHARS characters."""
    return [f for group in text_groups(texts) for f in GroupFingerprints.of(group).each()]


def signatures(texts: Sequence[str]) -> list[bytes]:
    """What a worker ships of many texts: ``[f.to_bytes() for f in fingerprints(texts)]``, made
    without a Fingerprint object per text."""
    return [s for group in text_groups(texts) for s in GroupFingerprints.of(group).signatures()]


def fingerprint(text: str) -> Fingerprint:
    """The fingerprint of one text (see :func:`fingerprints`)."""
    return fingerprints([text])[0]


def add_signatures(chunk: list[PreparedArticle]) -> list[PreparedArticle]:
    """Chunk analyser: the fingerprint of each clean text, as bytes on PreparedArticle.signature."""
    found = signatures([prepared.text for prepared in chunk])
    return [prepared.replaced(signature=signature) for prepared, signature in zip(chunk, found)]
