"""Language detection with langdetect: deterministic, and fast enough for 1,000 articles/s.

langdetect's defaults cost 2-4 ms per article here (pure-Python loops over the whole
text, character by character and draw by draw). We keep its model — the 55 bundled
language profiles —, its text normalisation (``NGram.normalize``, ``normalize_vi``,
the Latin-vs-other-script clean-up), its n-grams (1-3 characters, none inside
ALL-CAPS words) and its algorithm: several trials, each multiplying the smoothed
per-language probabilities of randomly drawn n-grams until one language passes
0.99999, checked every 5 draws, at most 1,000 draws; the answer is the mean over
trials. What changes:

* the input is a sample: the title and the start of the clean body, without URLs,
  digits and punctuation, at most ``SAMPLE_CHARS`` characters (a few sentences
  decide a language; the rest of a long article only costs time);
* n-grams are extracted word by word with a per-process cache of each word's
  n-grams (``extract_ngrams`` gives exactly what ``Detector._extract_ngrams`` gives;
  a test checks it);
* the trials run together in numpy over the profiles held as one float32 matrix;
* draws come from a numpy generator seeded with ``SEED``: the same text always gets
  the same answer, in any process;
* the first trial runs alone first, and when it is near-certain its answer is the answer:
  it stopped (passed 0.99999) within ``SURE_TRIAL_DRAWS`` draws, on a sample of at least
  ``SURE_SAMPLE_LETTERS`` letters. Otherwise the ``N_TRIAL`` trials run from the start,
  exactly as without the rule. Why: the trials differ only when the text is ambiguous
  (mixed languages, a short headline), and such texts take many draws to pass 0.99999;
  a first trial that passes within 80 draws named the language of the three trials' mean
  on each of 10,356 articles (seeds, ecbplus_dev, the feeds, a generated 10k); allowing
  160 draws, it named another on 2. So the language is unchanged on all 10,356; the
  probability changes on 3 (0.6667 -> 1.0: mixed German-English texts on which one of
  the three trials said English). The first trial runs as one block of 80 draws
  (``_first_trial``; its first 40 draws are those it gets in a full run, the next 40 come
  right after them in the stream); 93 % of articles need nothing more (callgrind, c10k:
  1.49M -> 0.95M instructions per detection).

Text with nothing to go on — no letters, or mostly letters of a script no profile
covers (Georgian, Armenian, Ethiopic ...) — gives (None, None).
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.utils.ngram import NGram

SEED = 0
SAMPLE_CHARS = 400
N_TRIAL = 3  # langdetect uses 7; on 400 characters 3 agree with 7 (bench/eval_language.py --sweep)
# The first trial alone decides when it stops (passes CONV_THRESHOLD) within this many draws
# on a sample of at least SURE_SAMPLE_LETTERS letters; otherwise all N_TRIAL trials run from
# the start, exactly as before (see the module docstring). A multiple of CHECK_EVERY: the
# first trial runs as one block of this many draws.
SURE_TRIAL_DRAWS = 80
ALPHA = Detector.ALPHA_DEFAULT
ALPHA_WIDTH = Detector.ALPHA_WIDTH
BASE_FREQ = Detector.BASE_FREQ
ITERATION_LIMIT = Detector.ITERATION_LIMIT
CONV_THRESHOLD = Detector.CONV_THRESHOLD
CHECK_EVERY = 5
DRAW_BLOCK = 40  # draws per vectorised step, a multiple of CHECK_EVERY
# Below this share of letters that the profiles know, the script is unsupported: langdetect
# would otherwise name a language from a few stray letters (Georgian text -> "et").
MIN_KNOWN_LETTERS = 0.5
# A letter counts as known when some profile gives it at least this probability; stray
# letters of other scripts sit near 1e-5 (Georgian "ა" in the Estonian profile: 3.5e-5).
KNOWN_LETTER_MIN_PROB = 1e-4
WORD_CACHE_SIZE = 200_000

_URL_OR_EMAIL = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+")
_NOT_LETTERS = re.compile(r"[\W\d_]+")  # (applied through _LETTERS_ONLY)
_SPACE_RUN = re.compile(" {2,}")
_LATIN = re.compile("[A-z]")  # langdetect's test: 'A' <= ch <= 'z'
_NON_LATIN = re.compile("[\u0300-\U0010ffff]")  # langdetect counts every char >= U+0300 (its block test never matches)


@dataclass(frozen=True)
class Profiles:
    """langdetect's language profiles as a matrix: one row of per-language probabilities per n-gram."""

    langs: tuple[str, ...]
    row_of: dict[str, int]
    probs: np.ndarray  # (n-grams, languages), float32


PROFILE_CACHE_FORMAT = 1


@lru_cache(maxsize=1)
def profiles() -> Profiles:
    """langdetect's bundled profiles, once per process.

    Building the matrix from langdetect's JSON costs ~0.5 s of CPU, which every small
    import paid; it is kept in the cache dir (a 19 MB .npy, memory-mapped: the pages of the
    n-grams met are read, and forked workers share them). Rebuilt when missing, unreadable
    or made by another langdetect version; when the cache dir cannot be written, built each time."""
    cached = _cached_profiles()
    if cached is not None:
        return cached
    built = _profiles_from_langdetect()
    _cache_profiles(built)
    return built


def _profiles_from_langdetect() -> Profiles:
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    row_of = {ngram: row for row, ngram in enumerate(factory.word_lang_prob_map)}
    probs = np.array(list(factory.word_lang_prob_map.values()), dtype=np.float32)
    return Profiles(tuple(factory.langlist), row_of, probs)


def _profile_cache_paths() -> tuple[Path, Path]:
    from importlib.metadata import version

    from reader.config import cache_dir

    stem = f"langdetect-{version('langdetect')}-profiles-v{PROFILE_CACHE_FORMAT}"
    return cache_dir() / f"{stem}.npy", cache_dir() / f"{stem}.json"


def _cached_profiles() -> Profiles | None:
    try:
        matrix_path, names_path = _profile_cache_paths()
        names = json.loads(names_path.read_text(encoding="utf-8"))
        probs = np.load(matrix_path, mmap_mode="r")
        ngrams, langs = names["ngrams"], tuple(names["langs"])
        if probs.shape != (len(ngrams), len(langs)) or probs.dtype != np.float32:
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    # A plain ndarray view of the map (it keeps the map open): numpy.memmap's indexing costs more.
    return Profiles(langs, {ngram: row for row, ngram in enumerate(ngrams)}, np.asarray(probs))


def _cache_profiles(built: Profiles) -> None:
    """Write the matrix, then the names: a reader finds both or treats the cache as missing."""
    from reader.config import remove_stale_cache_files, write_cache_file

    try:
        matrix_path, names_path = _profile_cache_paths()
        write_cache_file(matrix_path, lambda handle: np.save(handle, built.probs, allow_pickle=False))
        names = {"langs": built.langs, "ngrams": list(built.row_of)}
        write_cache_file(names_path, lambda handle: handle.write(json.dumps(names).encode()))
        remove_stale_cache_files("langdetect-*-profiles-v*", keep=(matrix_path, names_path))
    except OSError:
        pass  # a read-only or full cache dir: the next process builds the profiles again


class _CharTable(dict):
    """A str.translate table that fills itself: each character maps to one character, and
    what a character maps to maps to itself (``translate_mostly_ascii`` relies on both)."""

    def map_char(self, char: str) -> str:
        raise NotImplementedError

    def __missing__(self, code: int) -> str:
        if len(self) >= WORD_CACHE_SIZE:  # (bounded: one entry per character seen)
            self.clear()
        self[code] = mapped = self.map_char(chr(code))
        return mapped

    @cached_property
    def ascii_bytes(self) -> bytes:
        """A bytes.translate table doing to ASCII what this table does (ASCII maps to ASCII)
        and leaving the bytes of other characters' UTF-8 alone."""
        return "".join(self.map_char(chr(code)) for code in range(128)).encode("ascii") + bytes(range(128, 256))


class _NormalizedChars(_CharTable):
    """langdetect's NGram.normalize (a test checks that it keeps what it maps to)."""

    def map_char(self, char: str) -> str:
        return NGram.normalize(char)


_NORMALIZE = _NormalizedChars()


class _LettersOnly(_CharTable):
    """A letter stays, anything ``_NOT_LETTERS`` matches becomes a space.

    With ``" ".join(text.translate(...).split())`` it gives ``_NOT_LETTERS.sub(" ", text).strip()``
    (no letter is a space to ``str.split``), 8x faster than the regex."""

    def map_char(self, char: str) -> str:
        return " " if _NOT_LETTERS.fullmatch(char) else char


_LETTERS_ONLY = _LettersOnly()

_ASCII_BYTES = bytes(range(128))
# Above this many distinct non-ASCII characters to change, one str.translate beats a str.replace each.
MAX_REPLACED_CHARS = 16


def translate_mostly_ascii(text: str, table: _CharTable) -> str:
    """``text.translate(table)`` for a table that maps each character to one character and keeps
    what it maps to (``_LETTERS_ONLY``, ``_NORMALIZE``), fast on text that is mostly ASCII.

    On a text with any non-ASCII character, str.translate looks every character up in the
    table (~40 ns each). Here the ASCII ones go through a bytes table in C and each distinct
    other character that the table changes through one str.replace: as the table keeps what it
    maps to, no replacement undoes or redoes another."""
    encoded = text.encode("utf-8", "surrogatepass")
    others = set(encoded.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass"))
    if len(others) > 4 * MAX_REPLACED_CHARS:  # (a non-Latin script: most characters change)
        return text.translate(table)
    changed = [(char, table[ord(char)]) for char in others]
    changed = [(char, new) for char, new in changed if new != char]
    if len(changed) > MAX_REPLACED_CHARS:
        return text.translate(table)
    out = encoded.translate(table.ascii_bytes).decode("utf-8", "surrogatepass")
    for char, new in changed:
        out = out.replace(char, new)
    return out


_VIETNAMESE_MARKS = re.compile("[\u0300\u0301\u0303\u0309\u0323]")  # what NGram.normalize_vi folds into a letter


def prepare_text(sample: str, max_chars: int = SAMPLE_CHARS) -> str:
    """What langdetect's ``Detector.append`` and ``cleaning_text`` make of a text, then normalised.

    Each step is skipped when a cheap test shows it would change nothing."""
    text = Detector.URL_RE.sub(" ", sample) if "http" in sample else sample  # (neither can
    text = Detector.MAIL_RE.sub(" ", text) if "@" in text else text  # match without these)
    if not text.isascii() and _VIETNAMESE_MARKS.search(text):
        text = NGram.normalize_vi(text)
    text = text[:max_chars]
    if "  " in text:
        text = _SPACE_RUN.sub(" ", text)
    if _NON_LATIN.search(text) and len(_LATIN.findall(text)) * 2 < len(_NON_LATIN.findall(text)):
        text = _LATIN.sub("", text)
    return translate_mostly_ascii(text, _NORMALIZE)


def _word_ngrams(word: str, closed: bool) -> list[str]:
    """The n-grams langdetect takes from one (normalised) word, in its order.

    The word is read after a space; ``closed`` when a space follows it. No n-gram is
    taken at a character that continues a run of capitals (ALL-CAPS words).
    """
    padded = " " + word + (" " if closed else "")
    out: list[str] = []
    capital = False
    for end in range(1, len(padded)):
        ch = padded[end]
        if ch.isupper():
            capital = capital or padded[end - 1].isupper()
        else:
            capital = False
        if capital:
            continue
        for n in (1, 2, 3):
            if end - n + 1 < 0:
                break
            gram = padded[end - n + 1 : end + 1]
            if gram != " ":
                out.append(gram)
    return out


def extract_ngrams(prepared: str) -> list[str]:
    """All profile n-grams of a prepared text, as ``Detector._extract_ngrams`` lists them."""
    row_of = profiles().row_of
    words = prepared.split(" ")
    out: list[str] = []
    for position, word in enumerate(words):
        if word:
            out.extend(g for g in _word_ngrams(word, position < len(words) - 1) if g in row_of)
    return out


class _WordRows(dict):
    """Per-process cache: a word -> the profile rows of its n-grams, as int32 bytes.

    One cache for words followed by a space (``closed``) and one for the text's last word.
    The empty string (two spaces in a row) gives nothing, as in ``extract_ngrams``."""

    def __init__(self, closed: bool) -> None:
        super().__init__({"": b""})
        self.closed = closed

    def __missing__(self, word: str) -> bytes:
        if len(self) >= WORD_CACHE_SIZE:
            self.clear()
            self[""] = b""
        row_of = profiles().row_of
        rows = [row_of[g] for g in _word_ngrams(word, self.closed) if g in row_of]
        self[word] = found = np.array(rows, dtype=np.int32).tobytes()
        return found


_CLOSED_WORD_ROWS = _WordRows(closed=True)
_LAST_WORD_ROWS = _WordRows(closed=False)


def ngram_rows(prepared: str) -> np.ndarray:
    """Profile rows of the text's n-grams, in ``extract_ngrams`` order (int32; through the word caches)."""
    words = prepared.split(" ")
    joined = b"".join(map(_CLOSED_WORD_ROWS.__getitem__, words[:-1])) + _LAST_WORD_ROWS[words[-1]]
    return np.frombuffer(joined, dtype=np.int32)


@lru_cache(maxsize=4)
def block_sums(block: int) -> tuple[np.ndarray, np.ndarray]:
    """(the draws of a block after which langdetect checks, counted from 0; the matrix whose
    row c sums a block's draws up to check c, and whose last row sums the whole block)."""
    checks = np.arange(0, block, CHECK_EVERY)
    return checks, (np.arange(block) <= np.append(checks, block - 1)[:, None]).astype(np.float64)


@dataclass(frozen=True)
class TrialStart:
    """What every detection draws first from a generator seeded with SEED: the trials'
    smoothing weights. Kept with the generator's state after them, so a detection resumes
    the same stream without seeding a generator again (seeding costs ~15 us)."""

    weights: np.ndarray  # (n_trial,), float32, as the trials add them
    state: dict


@lru_cache(maxsize=8)
def trial_start(n_trial: int) -> TrialStart:
    rng = np.random.default_rng(SEED)
    weights = ((ALPHA + rng.standard_normal(n_trial) * ALPHA_WIDTH) / BASE_FREQ).astype(np.float32)
    return TrialStart(weights, rng.bit_generator.state)


_generators = threading.local()


def seeded_generator(n_trial: int) -> tuple[np.ndarray, np.random.Generator]:
    """(the trials' weights, this thread's generator in the state right after drawing them)."""
    start = trial_start(n_trial)
    rng = getattr(_generators, "rng", None)
    if rng is None:
        rng = _generators.rng = np.random.default_rng(SEED)
    rng.bit_generator.state = start.state
    return start.weights, rng


def _run_trials(probs: np.ndarray, rows: np.ndarray, n_trial: int) -> np.ndarray:
    """langdetect's trials, all at once: per trial, multiply (weight + P(n-gram | language)) over
    random draws from the text's n-grams (``rows`` of ``probs``) until one language passes
    CONV_THRESHOLD at a check (after draw 1, 6, 11 ...) or the draw limit is reached; returns
    each trial's normalised probabilities, (n_trial, languages).

    Products are sums of logs, taken at the checks and at the block's end by one matrix
    product with ``block_sums(block)`` (a cumulative sum over the draw axis costs 5x more). The
    sums are exact, so the order of the additions does not matter: every log is a float32 of
    magnitude >= 1 (no profile probability reaches 1/e - weight; a test checks it), hence a
    multiple of 2**-23, and no sum of 1,040 of them reaches 2**14 (each is > log(3e-5) = -10.4),
    so every partial sum fits float64's 53 bits. At a check the largest shifted term is
    exp(0) = 1, so the top normalised probability is 1 / (sum of the shifted terms): only the
    trials that stop are normalised in full."""
    block = DRAW_BLOCK
    checks, prefix_sums = block_sums(block)
    weights, rng = seeded_generator(n_trial)
    n_langs = probs.shape[1]
    log_totals = np.zeros((n_trial, n_langs))
    results = np.zeros((n_trial, n_langs))
    pending = np.arange(n_trial)
    drawn = 0
    while pending.size:
        everyone = pending.size == n_trial
        picks = rng.integers(0, len(rows), size=(pending.size, block))
        logs = probs[rows[picks]]
        logs += (weights if everyone else weights[pending])[:, None, None]
        np.log(logs, out=logs)
        cumulative = prefix_sums @ logs.astype(np.float64)  # (trials, checks + block end, languages)
        if drawn:
            cumulative += (log_totals if everyone else log_totals[pending])[:, None, :]
        at_checks = cumulative[:, :-1, :]
        shifted = np.exp(at_checks - at_checks.max(axis=2, keepdims=True))
        sums = shifted.sum(axis=2)
        passed = 1.0 / sums > CONV_THRESHOLD
        if drawn + checks[-1] >= ITERATION_LIMIT:
            passed |= drawn + checks >= ITERATION_LIMIT
        done = passed.any(axis=1)
        if done.any():
            first = passed.argmax(axis=1)[done]
            results[pending[done]] = shifted[done, first] / sums[done, first][:, None]
            if done.all():
                break
        log_totals[pending] = cumulative[:, -1, :]
        pending = pending[~done]
        drawn += block
    return results


def _first_trial_if_sure(probs: np.ndarray, rows: np.ndarray, n_trial: int, letters: int) -> np.ndarray | None:
    """The first trial's probabilities when it is near-certain (see ``SURE_TRIAL_DRAWS``), else None."""
    if n_trial == 1 or letters < SURE_SAMPLE_LETTERS:
        return None
    return _first_trial(probs, rows, n_trial, SURE_TRIAL_DRAWS)


def _first_trial(probs: np.ndarray, rows: np.ndarray, n_trial: int, draws: int) -> np.ndarray | None:
    """The first trial's probabilities when it stops within ``draws`` draws (a multiple of
    CHECK_EVERY, below ITERATION_LIMIT), else None. Its draws are the generator's first
    ``draws`` picks after the weights, in one block (2-D, none of the bookkeeping of several
    trials; its first DRAW_BLOCK draws are the ones it gets in :func:`_run_trials`). A test checks
    it against langdetect's trial written plainly, draw by draw."""
    picks = first_trial_picks(n_trial, len(rows), draws)
    logs = probs[rows[picks]]
    logs += trial_start(n_trial).weights[0]
    np.log(logs, out=logs)
    at_checks = block_sums(draws)[1][:-1] @ logs.astype(np.float64)  # (checks, languages)
    shifted = np.exp(at_checks - at_checks.max(axis=1, keepdims=True))
    sums = shifted.sum(axis=1)
    passed = np.flatnonzero(1.0 / sums > CONV_THRESHOLD)
    if not passed.size:
        return None
    first = passed[0]
    return shifted[first] / sums[first]


@lru_cache(maxsize=4096)
def first_trial_picks(n_trial: int, n_rows: int, draws: int) -> np.ndarray:
    """The first trial's first ``draws`` picks among a text's ``n_rows`` n-grams: the generator's
    first picks after the weights (the stream of a (1, draws) block). They depend on nothing
    else, so they are drawn once per n-gram count and process (samples are cut to SAMPLE_CHARS:
    a few hundred counts recur), which spares each detection a generator reset and a draw."""
    _, rng = seeded_generator(n_trial)
    picks = rng.integers(0, n_rows, size=draws)
    picks.flags.writeable = False  # (shared by every later call)
    return picks


def without_addresses(text: str) -> str:
    """The text with URLs and e-mail addresses blanked (only scanned for when one may be there)."""
    return _URL_OR_EMAIL.sub(" ", text) if _may_hold_address(text) else text


def _may_hold_address(text: str) -> bool:
    """False when ``_URL_OR_EMAIL`` cannot match: none of what each address holds."""
    return "@" in text or "://" in text or "www." in text


# Characters of the body read first for a sample, beyond max_chars (see detection_sample).
SAMPLE_READ_AHEAD = 100


def detection_sample(text: str, title: str | None = None, max_chars: int = SAMPLE_CHARS) -> str:
    """Title and start of the body as letters and single spaces, at most ``max_chars`` (cut at a word).

    Read from the first ``max_chars * 2`` characters of the body; when they hold no web or e-mail
    address, first from fewer (``max_chars + SAMPLE_READ_AHEAD``): letters and spaces are made
    character by character, so the letters of a start of the body are the start of those of more
    of it, and when they already run past ``max_chars`` the sample, cut at the same word, is the same."""
    title = title or ""
    head = text[: max_chars * 2] if text else ""
    if not _may_hold_address(title) and not _may_hold_address(head):
        letters = _letters_and_spaces(title, head[: max_chars + SAMPLE_READ_AHEAD])
        if len(letters) > max_chars:
            return _cut_at_word(letters, max_chars)
    return _cut_at_word(_letters_and_spaces(without_addresses(title), without_addresses(head)), max_chars)


def _letters_and_spaces(title: str, head: str) -> str:
    """The letters of title and body, single spaces between their runs."""
    return " ".join(translate_mostly_ascii(f"{title} {head}", _LETTERS_ONLY).split())


def _cut_at_word(sample: str, max_chars: int) -> str:
    if len(sample) > max_chars:
        cut = sample.rfind(" ", 0, max_chars + 1)
        sample = sample[: cut if cut > 0 else max_chars]
    return sample


@lru_cache(maxsize=4096)
def _is_known_letter(ch: str) -> bool:
    loaded = profiles()
    row = loaded.row_of.get(NGram.normalize(ch))
    return row is not None and float(loaded.probs[row].max()) >= KNOWN_LETTER_MIN_PROB


@lru_cache(maxsize=1)
def _known_ascii_letters_and_space() -> bytes:
    return b" " + bytes(code for code in range(128) if _is_known_letter(chr(code)))


def known_letter_share(sample: str) -> float:
    """Share of the sample's letters that some language profile knows as a 1-gram."""
    # The distinct characters other than the space and the known ASCII letters (deleted in C).
    others = set(sample.encode("utf-8", "surrogatepass").translate(None, _known_ascii_letters_and_space()).decode("utf-8", "surrogatepass"))
    if all(map(_is_known_letter, others)):  # the usual case: no need to count them
        return 1.0 if others or sample.strip(" ") else 0.0
    counts = Counter(sample)
    counts.pop(" ", None)
    letters = sum(counts.values())
    if not letters:
        return 0.0
    return sum(n for ch, n in counts.items() if _is_known_letter(ch)) / letters


def language_probabilities(sample: str, *, max_chars: int = SAMPLE_CHARS, n_trial: int = N_TRIAL) -> dict[str, float]:
    """langdetect's probabilities for a sample, by profile name ("en", "zh-cn" ...); {} without n-grams."""
    loaded = profiles()
    rows = ngram_rows(prepare_text(sample, max_chars))
    if not rows.size:
        return {}
    mean = _first_trial_if_sure(loaded.probs, rows, n_trial, len(sample) - sample.count(" "))
    if mean is None:
        mean = _run_trials(loaded.probs, rows, n_trial).sum(axis=0) / n_trial  # (what .mean(axis=0) computes)
    return {loaded.langs[i]: float(mean[i]) for i in np.flatnonzero(mean > Detector.PROB_THRESHOLD)}


def detect_language(
    text: str, title: str | None = None, *, max_chars: int = SAMPLE_CHARS, n_trial: int = N_TRIAL
) -> tuple[str | None, float | None]:
    """(ISO 639-1 code, probability) of the text, or (None, None) when there is nothing to go on.

    Deterministic. ``title`` adds the headline to the sample, which helps short bodies.
    """
    sample = detection_sample(text, title, max_chars)
    if not sample or known_letter_share(sample) < MIN_KNOWN_LETTERS:
        return None, None
    probabilities = language_probabilities(sample, max_chars=max_chars, n_trial=n_trial)
    if not probabilities:
        return None, None
    lang, prob = max(probabilities.items(), key=lambda item: item[1])
    return lang.split("-")[0], round(prob, 4)


# Below this many letters a detection is a guess whatever its probability: langdetect's
# trials converge on a handful of n-grams ("Food for fungi" comes out Danish at 0.99999).
SURE_SAMPLE_LETTERS = 60
SURE_PROBABILITY = 0.9


def detection_is_unsure(text: str, title: str | None, prob: float | None) -> bool:
    """True when a detection of this text should give way to a declared language: a low
    probability, or too little text for any probability to mean much."""
    if prob is None or prob < SURE_PROBABILITY:
        return True
    sample = detection_sample(text, title, SURE_SAMPLE_LETTERS * 2)
    return len(sample) - sample.count(" ") < SURE_SAMPLE_LETTERS


COMMON_LANGUAGE_CHARS = 2_000
COMMON_LANGUAGE_MIN_PROB = 0.9


def common_language(texts: Iterable[str]) -> str | None:
    """The language that a set of short texts (a feed's titles, say) share, or None.

    One detection over all of them together: fifteen headlines decide what one cannot.
    None when they are not confidently one language."""
    joined = " ".join(" ".join(text.split()[:40]) for text in texts)
    lang, prob = detect_language(joined, max_chars=COMMON_LANGUAGE_CHARS)
    return lang if lang and (prob or 0) >= COMMON_LANGUAGE_MIN_PROB else None
