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
  the same answer, in any process.

Text with nothing to go on — no letters, or mostly letters of a script no profile
covers (Georgian, Armenian, Ethiopic ...) — gives (None, None).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.utils.ngram import NGram

SEED = 0
SAMPLE_CHARS = 400
N_TRIAL = 3  # langdetect uses 7; on 400 characters 3 agree with 7 (bench/eval_language.py --sweep)
ALPHA = Detector.ALPHA_DEFAULT
ALPHA_WIDTH = Detector.ALPHA_WIDTH
BASE_FREQ = Detector.BASE_FREQ
ITERATION_LIMIT = Detector.ITERATION_LIMIT
CONV_THRESHOLD = Detector.CONV_THRESHOLD
CHECK_EVERY = 5
DRAW_BLOCK = 40  # draws per vectorised step, a multiple of CHECK_EVERY
_CHECKS = np.arange(0, DRAW_BLOCK, CHECK_EVERY)
# Below this share of letters that the profiles know, the script is unsupported: langdetect
# would otherwise name a language from a few stray letters (Georgian text -> "et").
MIN_KNOWN_LETTERS = 0.5
# A letter counts as known when some profile gives it at least this probability; stray
# letters of other scripts sit near 1e-5 (Georgian "ა" in the Estonian profile: 3.5e-5).
KNOWN_LETTER_MIN_PROB = 1e-4
WORD_CACHE_SIZE = 200_000

_URL_OR_EMAIL = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+")
_NOT_LETTERS = re.compile(r"[\W\d_]+")
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
    return Profiles(langs, {ngram: row for row, ngram in enumerate(ngrams)}, probs)


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


class _NormalizedChars(dict):
    """str.translate table that fills itself with langdetect's NGram.normalize."""

    def __missing__(self, code: int) -> str:
        normalized = NGram.normalize(chr(code))
        self[code] = normalized
        return normalized


_NORMALIZE = _NormalizedChars()


def prepare_text(sample: str, max_chars: int = SAMPLE_CHARS) -> str:
    """What langdetect's ``Detector.append`` and ``cleaning_text`` make of a text, then normalised."""
    text = Detector.URL_RE.sub(" ", sample) if "http" in sample else sample  # (cheap tests first: neither
    text = Detector.MAIL_RE.sub(" ", text) if "@" in text else text  # can match without these)
    text = _SPACE_RUN.sub(" ", NGram.normalize_vi(text)[:max_chars])
    if len(_LATIN.findall(text)) * 2 < len(_NON_LATIN.findall(text)):
        text = _LATIN.sub("", text)
    return text.translate(_NORMALIZE)


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


_word_rows: dict[tuple[str, bool], tuple[int, ...]] = {}


def _ngram_rows(prepared: str) -> list[int]:
    """Profile rows of the text's n-grams (``extract_ngrams``, through a per-word cache)."""
    row_of = profiles().row_of
    words = prepared.split(" ")
    last = len(words) - 1
    rows: list[int] = []
    for position, word in enumerate(words):
        if not word:
            continue
        key = (word, position < last)
        cached = _word_rows.get(key)
        if cached is None:
            if len(_word_rows) >= WORD_CACHE_SIZE:
                _word_rows.clear()
            cached = _word_rows[key] = tuple(row_of[g] for g in _word_ngrams(word, key[1]) if g in row_of)
        rows.extend(cached)
    return rows


def _run_trials(probs: np.ndarray, rows: np.ndarray, n_trial: int, rng: np.random.Generator) -> np.ndarray:
    """langdetect's trials, all at once: per trial, multiply (weight + P(n-gram | language)) over
    random draws from the text's n-grams (``rows`` of ``probs``) until one language passes CONV_THRESHOLD at a check (every 5 draws) or the
    draw limit is reached; returns each trial's normalised probabilities, (n_trial, languages)."""
    weights = (ALPHA + rng.standard_normal(n_trial) * ALPHA_WIDTH) / BASE_FREQ
    n_langs = probs.shape[1]
    log_totals = np.zeros((n_trial, n_langs))
    results = np.zeros((n_trial, n_langs))
    pending = np.arange(n_trial)
    drawn = 0
    while pending.size:
        picks = rng.integers(0, len(rows), size=(pending.size, DRAW_BLOCK))
        logs = np.log(probs[rows[picks]] + weights[pending, None, None].astype(np.float32))
        cumulative = log_totals[pending, None, :] + np.cumsum(logs, axis=1, dtype=np.float64)
        at_checks = cumulative[:, _CHECKS, :]
        shifted = np.exp(at_checks - at_checks.max(axis=2, keepdims=True))
        normalised = shifted / shifted.sum(axis=2, keepdims=True)
        passed = (normalised.max(axis=2) > CONV_THRESHOLD) | (drawn + _CHECKS >= ITERATION_LIMIT)
        done = passed.any(axis=1)
        first = passed.argmax(axis=1)
        results[pending[done]] = normalised[done, first[done]]
        log_totals[pending] = cumulative[:, -1, :]
        pending = pending[~done]
        drawn += DRAW_BLOCK
    return results


def without_addresses(text: str) -> str:
    """The text with URLs and e-mail addresses blanked (only scanned for when one may be there)."""
    if "@" in text or "://" in text or "www." in text:
        return _URL_OR_EMAIL.sub(" ", text)
    return text


def detection_sample(text: str, title: str | None = None, max_chars: int = SAMPLE_CHARS) -> str:
    """Title and start of the body as letters and single spaces, at most ``max_chars`` (cut at a word)."""
    parts = [title or "", text[: max_chars * 2] if text else ""]
    sample = " ".join(_NOT_LETTERS.sub(" ", without_addresses(part)).strip() for part in parts if part).strip()
    if len(sample) > max_chars:
        cut = sample.rfind(" ", 0, max_chars + 1)
        sample = sample[: cut if cut > 0 else max_chars]
    return sample


@lru_cache(maxsize=4096)
def _is_known_letter(ch: str) -> bool:
    loaded = profiles()
    row = loaded.row_of.get(NGram.normalize(ch))
    return row is not None and float(loaded.probs[row].max()) >= KNOWN_LETTER_MIN_PROB


def known_letter_share(sample: str) -> float:
    """Share of the sample's letters that some language profile knows as a 1-gram."""
    counts = Counter(sample)
    counts.pop(" ", None)
    letters = sum(counts.values())
    if not letters:
        return 0.0
    return sum(n for ch, n in counts.items() if _is_known_letter(ch)) / letters


def language_probabilities(sample: str, *, max_chars: int = SAMPLE_CHARS, n_trial: int = N_TRIAL) -> dict[str, float]:
    """langdetect's probabilities for a sample, by profile name ("en", "zh-cn" ...); {} without n-grams."""
    loaded = profiles()
    rows = _ngram_rows(prepare_text(sample, max_chars))
    if not rows:
        return {}
    row_ids = np.fromiter(rows, dtype=np.intp, count=len(rows))
    mean = _run_trials(loaded.probs, row_ids, n_trial, np.random.default_rng(SEED)).mean(axis=0)
    return {lang: float(p) for lang, p in zip(loaded.langs, mean) if p > Detector.PROB_THRESHOLD}


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
