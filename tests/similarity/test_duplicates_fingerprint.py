"""Fingerprints: normalised words, stable hashes, MinHash/LSH bands, winnowed containment keys, coverage."""

from __future__ import annotations

import random
import re
import subprocess
import sys
import unicodedata

import numpy as np
import pytest

from reader.similarity import fingerprint as fp
from reader.similarity.duplicates import Shingled, coverage
from reader.text.cleaning import clean_text


def seed_text(seeds_dir, prefix: str) -> str:
    path = next(seeds_dir.glob(f"{prefix}_*.txt"))
    return clean_text(path.read_text(encoding="utf-8"))


def reference_words(text: str) -> list[str]:
    """What fingerprint.word_hashes hashes, with a regular expression: \\w runs, or one
    character of a script written without spaces."""
    unspaced = "".join(f"{chr(a)}-{chr(b)}" for a, b in fp._UNSPACED_RANGES)
    pattern = re.compile(rf"(?=\w)[{unspaced}]|[^\W{unspaced}]+")
    return pattern.findall(unicodedata.normalize("NFKC", text).casefold())


@pytest.mark.parametrize(
    "text",
    [
        "TikTok’s deal: Oracle (ORCL) wins — “trusted partner”!",
        "ÉCOLE école Straße STRASSE ﬁne fine ＦＵＬＬ full",
        "東京都は日本の首都です。Tokyo 2020年",
        "ภาษาไทยไม่มีช่องว่าง ok",
        "a_b c-d 3.5 e'f",
        "",
        "   \n\t ",
        "x",
        "𠀀𠀁 abc",
    ],
)
def test_words_are_normalised_and_hashed_one_per_word(text: str) -> None:
    words = reference_words(text)
    hashes = fp.word_hashes(text).tolist()
    assert len(hashes) == len(words)
    by_word: dict[str, int] = {}
    for word, value in zip(words, hashes):
        assert by_word.setdefault(word, value) == value  # the same word, the same hash
    assert len(set(by_word.values())) == len(by_word)  # different words, different hashes


def test_case_width_ligatures_and_punctuation_do_not_matter() -> None:
    a = fp.fingerprint("ÉCOLE: the “Straße” is ﬁne, said the FULL-TIME mayor on Monday in the city.")
    b = fp.fingerprint("école the strasse is fine said the ｆｕｌｌ time Mayor on monday in the city")
    assert a.to_bytes() == b.to_bytes()


def test_unspaced_scripts_count_each_character_as_a_word() -> None:
    assert len(fp.word_hashes("東京都")) == 3
    assert len(fp.word_hashes("Tokyo")) == 1


def test_fingerprints_are_the_same_in_another_process(seeds_dir) -> None:
    text = seed_text(seeds_dir, "000")
    here = fp.fingerprint(text).to_bytes().hex()
    code = (
        "import sys; from reader.similarity.fingerprint import fingerprint; "
        "print(fingerprint(sys.stdin.read()).to_bytes().hex())"
    )
    there = subprocess.run([sys.executable, "-c", code], input=text, capture_output=True, text=True, check=True).stdout
    assert there.strip() == here


def test_signature_round_trip(seeds_dir) -> None:
    original = fp.fingerprint(seed_text(seeds_dir, "003"))
    again = fp.Fingerprint.from_bytes(original.to_bytes())
    assert again.shingle_count == original.shingle_count
    assert again.containment_cut == original.containment_cut
    assert again.words == original.words and len(again.sequence) == original.words - fp.SHINGLE_WORDS + 1
    for name in ("containment_keys", "sequence"):
        assert np.array_equal(getattr(again, name), getattr(original, name))
    assert np.array_equal(again.sequence, fp.check_hashes(fp.shingle_sequence(fp.word_hashes(seed_text(seeds_dir, "003")))))
    assert again.sequence.dtype == np.uint32 and again.check_inverse.dtype == np.uint16
    # 8 bytes a key, 4 a distinct check hash, 2 a shingle in text order
    assert len(original.to_bytes()) < 8 * len(original.containment_keys) + 4 * len(original.check_distinct) + 2 * len(original.sequence) + 64
    with pytest.raises(ValueError):
        fp.Fingerprint.from_bytes(b"XYZ" + original.to_bytes()[3:])


def test_a_signature_reads_the_parts_of_the_shipped_bytes(seeds_dir) -> None:
    first, second = fp.fingerprint(seed_text(seeds_dir, "003")), fp.fingerprint(seed_text(seeds_dir, "000"))
    signature = fp.Signature.of(first.to_bytes())
    assert (signature.shingle_count, signature.key_count, signature.containment_cut, signature.words) == (
        first.shingle_count, len(first.containment_keys), first.containment_cut, first.words
    )
    distinct, inverse = signature.check_set()
    assert np.array_equal(distinct, first.check_distinct) and np.array_equal(distinct[inverse], first.sequence)
    assert signature.distinct_bytes + signature.inverse_bytes == first.to_bytes()[-len(signature.distinct_bytes) - len(signature.inverse_bytes) :]
    both = fp.keys_of([signature, fp.Signature.of(second.to_bytes())])
    assert both.counts.tolist() == [len(first.containment_keys), len(second.containment_keys)]
    assert np.array_equal(both.values, np.concatenate((first.containment_keys, second.containment_keys)))
    with pytest.raises(ValueError):
        fp.Signature.of(b"XYZ" + first.to_bytes()[3:])


def test_containment_keys_stay_below_bit_62(seeds_dir) -> None:
    """Libraries indexed before format 4 hold LSH band postings with bit 62 set: no containment
    key may ever meet them."""
    f = fp.fingerprint(seed_text(seeds_dir, "000"))
    assert len(f.containment_keys) > 0
    assert all(0 <= k < 1 << 62 for k in f.containment_keys.tolist())


def test_a_near_copy_shares_most_keys_and_other_text_almost_none(seeds_dir) -> None:
    """What finds near copies without LSH bands: scattered word changes only change the keys
    of the windows around them."""
    words = seed_text(seeds_dir, "003").split()
    rng = random.Random(3)
    edited = [w if rng.random() > 0.03 else "changed" for w in words]
    base, near = fp.fingerprint(" ".join(words)), fp.fingerprint(" ".join(edited))
    shared = set(base.containment_keys.tolist()) & set(near.containment_keys.tolist())
    assert len(shared) >= 0.5 * len(base.containment_keys)
    other = fp.fingerprint(seed_text(seeds_dir, "002"))
    assert len(set(other.containment_keys.tolist()) & set(base.containment_keys.tolist())) <= 1


def python_word_hash(word: str) -> int:
    """The word hash, as defined (format stability: stored fingerprints depend on it): a
    polynomial over the code points with base 0x100000001B3 modulo 2**64 (a character's power
    capped at the 256th), plus the length times 0x9E3779B97F4A7C15, through splitmix64's finaliser."""
    mask = (1 << 64) - 1
    x = sum(ord(c) * pow(0x100000001B3, min(k, 255) + 1, 1 << 64) for k, c in enumerate(word))
    x = (x + len(word) * 0x9E3779B97F4A7C15) & mask
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & mask
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & mask
    return x ^ (x >> 31)


@pytest.mark.parametrize(
    "text",
    [
        "Plain ASCII text, with punctuation: and CAPITALS (2024)!",
        "TikTok’s deal: Oracle wins — “trusted partner”",
        "ÉCOLE Straße ﬁne ＦＵＬＬ İstanbul ΣΑΣ",
        "東京都は日本の首都です。Tokyo",
        "x" * 300 + " long word, and a " + "ü" * 270,
    ],
)
def test_word_hashes_follow_their_definition(text: str) -> None:
    assert fp.word_hashes(text).tolist() == [python_word_hash(w) for w in reference_words(text)]


def test_window_minima_match_the_naive_computation() -> None:
    rng = np.random.default_rng(5)
    for n in (1, 7, 8, 9, 31, 32, 33, 100, 257):
        values = rng.integers(0, 1000, size=n).astype(np.uint64)
        for width in (1, 3, 8, 32):
            expected = [values[i : i + width].min() for i in range(max(1, n - width + 1))]
            assert fp.window_minima(values, width).tolist() == [int(x) for x in expected]


def test_window_minima_of_many_texts_match_the_naive_computation() -> None:
    rng = np.random.default_rng(7)
    counts = np.array([0, 1, 5, 8, 9, 40, 0, 33, 300, 2], dtype=np.int64)
    widths = np.array([8, 8, 3, 8, 8, 5, 8, 32, 17, 1], dtype=np.int64)
    values = rng.integers(0, 1000, size=int(counts.sum())).astype(np.uint64)
    minima = fp.texts_window_minima(fp.Runs(values, counts), widths)
    expected: list[int] = []
    for start, n, width in zip((np.cumsum(counts) - counts).tolist(), counts.tolist(), widths.tolist()):
        text = values[start : start + n]
        expected += [int(text[i : i + width].min()) for i in range(max(1, n - width + 1))] if n else []
    assert minima.values.tolist() == expected
    assert minima.counts.tolist() == [max(1, n - w + 1) if n else 0 for n, w in zip(counts.tolist(), widths.tolist())]


def test_a_chunk_of_texts_fingerprinted_together_is_fingerprinted_as_each_alone(seeds_dir, monkeypatch) -> None:
    rng = random.Random(4)
    vocabulary = [f"w{i}" for i in range(300)]
    texts = [seed_text(seeds_dir, prefix) for prefix in ("000", "001", "002", "003", "004")]
    texts += ["", "word", "a b c d", "a b c d e", "東京都は日本の首都です。Tokyo", "ÉCOLE Straße ﬁne ＦＵＬＬ", "x" * 300 + " y"]
    texts += [" ".join(rng.choices(vocabulary, k=rng.choice([3, 6, 40, 700, 5000]))) for _ in range(20)]
    rng.shuffle(texts)
    alone = [fp.fingerprint(text).to_bytes() for text in texts]
    assert [f.to_bytes() for f in fp.fingerprints(texts)] == alone
    assert fp.signatures(texts) == alone
    monkeypatch.setattr(fp, "GROUP_CHARS", 2000)  # many groups, long texts alone in theirs
    assert [f.to_bytes() for f in fp.fingerprints(texts)] == alone
    assert fp.signatures(texts) == alone


def test_a_long_enough_passage_always_shares_a_containment_key(seeds_dir) -> None:
    """The winnowing guarantee, on real text: any w + 4 consecutive words of a long article
    (w its window, the wider of the two), set among unrelated words, share a key with it."""
    words = seed_text(seeds_dir, "000").split()
    filler = seed_text(seeds_dir, "003").split()
    page = fp.fingerprint(" ".join(words))
    length = fp.winnow_window(page.shingle_count) + fp.SHINGLE_WORDS - 1
    assert length == 36
    rng = random.Random(3)
    for _ in range(20):
        start = rng.randrange(len(words) - length)
        passage = " ".join(filler[:100] + words[start : start + length] + filler[100:200])
        assert set(fp.fingerprint(passage).containment_keys.tolist()) & set(page.containment_keys.tolist())


def test_a_prefix_shares_keys_with_its_article_whatever_the_sizes(seeds_dir) -> None:
    inner = fp.fingerprint(seed_text(seeds_dir, "001"))
    outer = fp.fingerprint(seed_text(seeds_dir, "000"))
    shared = set(inner.containment_keys.tolist()) & set(outer.containment_keys.tolist())
    assert len(shared) >= 0.8 * len(inner.containment_keys)
    unrelated = fp.fingerprint(seed_text(seeds_dir, "003"))
    assert len(set(unrelated.containment_keys.tolist()) & set(outer.containment_keys.tolist())) <= 1


def test_one_megabyte_stays_bounded() -> None:
    rng = random.Random(1)
    vocabulary = [f"w{i}" for i in range(5000)]
    text = " ".join(rng.choice(vocabulary) for _ in range(200_000))
    assert len(text) > 1_000_000
    f = fp.fingerprint(text)
    assert f.shingle_count > 150_000
    assert len(f.containment_keys) == fp.MAX_CONTAINMENT_KEYS
    assert f.containment_cut < fp.NO_CUT and max(f.containment_keys.tolist()) <= f.containment_cut
    # what the index stores is bounded; the signature also carries the check hashes (4 bytes a
    # distinct one, and 4 a shingle in text order: there are more than 65,536 distinct ones)
    assert f.check_inverse.dtype == np.uint32 and len(f.check_distinct) > 1 << 16
    assert np.array_equal(fp.Fingerprint.from_bytes(f.to_bytes()).sequence, f.sequence)
    assert fp.signatures(["short text, two bytes a shingle", text]) == [fp.fingerprint("short text, two bytes a shingle").to_bytes(), f.to_bytes()]
    assert len(f.to_bytes()) < 8 * fp.MAX_CONTAINMENT_KEYS + 4 * len(f.check_distinct) + 4 * len(f.sequence) + 64


@pytest.mark.parametrize("text", ["", "   ", "word", "⠁⠃⠉ ⠙⠑ ⠋⠛"])
def test_texts_without_shingles_have_an_empty_fingerprint(text: str) -> None:
    f = fp.fingerprint(text)
    assert f.shingle_count <= 1
    if f.shingle_count == 0:
        assert len(f.containment_keys) == 0
    assert fp.Fingerprint.from_bytes(f.to_bytes()).shingle_count == f.shingle_count


def test_coverage_shrugs_off_scattered_edits_but_not_other_text(seeds_dir) -> None:
    words = seed_text(seeds_dir, "003").split()
    rng = random.Random(2)
    edited = [rng.choice(words) if rng.random() < 0.04 else w for w in words]
    original, copy = Shingled.of(" ".join(words)), Shingled.of(" ".join(edited))
    assert coverage(copy, original) > 0.8 and coverage(original, copy) > 0.8
    independent = Shingled.of(seed_text(seeds_dir, "004"))  # the same event, written separately
    assert coverage(independent, original) < 0.3 and coverage(original, independent) < 0.3
    inner = Shingled.of(" ".join(words[:80]))
    assert coverage(inner, original) == 1.0
    assert coverage(original, inner) == pytest.approx(80 / len(words), abs=0.02)


def reference_coverage(text: list[str], other: list[str]) -> float:
    """Coverage by its definition, word by word: the share of the text's words inside a run of
    five words that the other text also has (a text shorter than that is one run)."""
    width, other_width = min(fp.SHINGLE_WORDS, len(text)), min(fp.SHINGLE_WORDS, len(other))
    runs = {tuple(other[i : i + other_width]) for i in range(max(1, len(other) - other_width + 1))}
    covered = set()
    for i in range(max(1, len(text) - width + 1)):
        if text and tuple(text[i : i + width]) in runs:
            covered.update(range(i, i + width))
    return len(covered) / len(text) if text else 0.0


def test_many_pairs_at_once_have_the_coverage_of_each_pair_alone(monkeypatch) -> None:
    from reader.similarity import duplicates

    rng = random.Random(5)
    vocabulary = [f"w{i}" for i in range(200)]
    base = [rng.choice(vocabulary) for _ in range(300)]
    texts = []
    for _ in range(40):
        length = rng.choice([1, 2, 4, 5, 6, 9, 17, 60, 300])
        words = base[rng.randrange(20) :][:length] if rng.random() < 0.6 else rng.choices(vocabulary, k=length)
        if rng.random() < 0.3:
            words = words + words[: len(words) // 2]  # repeated passages: shingles met twice
        texts.append([w if rng.random() > 0.05 else "edit" for w in words])
    texts.append([])  # a text without words covers nothing and is covered by nothing
    shingled = duplicates.ShingledTexts.of([Shingled.of(" ".join(t)) for t in texts])
    a, b = np.divmod(np.arange(len(texts) ** 2), len(texts))
    expected = np.array([reference_coverage(texts[i], texts[j]) for i, j in zip(a.tolist(), b.tolist())])
    assert (expected == 1).sum() > 40 and ((expected > 0) & (expected < 1)).sum() > 40
    a_covered, b_covered = duplicates.pair_coverages(shingled, a, b)
    n = len(texts)
    assert np.allclose(a_covered, expected) and np.allclose(b_covered, expected.reshape(n, n).T.ravel())
    monkeypatch.setattr(duplicates, "CHECK_CHUNK", 500)  # many small chunks: the same figures
    assert np.array_equal(duplicates.pair_coverages(shingled, a, b)[0], a_covered)


def canonical_pairs() -> list[tuple[int, int]]:
    """The canonical two-character decompositions: under NFC/NFKC, the second character can
    join the first before it (the Hangul jamo compose by rule)."""
    pairs = []
    for code_point in range(0x110000):
        decomposition = unicodedata.decomposition(chr(code_point))
        if decomposition and not decomposition.startswith("<") and " " in decomposition:
            first, second = decomposition.split()
            pairs.append((int(first, 16), int(second, 16)))
    return pairs


def test_a_character_without_flags_is_left_alone_by_nfkc_and_folds_to_its_entry() -> None:
    """The fast fold's premise (see fingerprint.fold_entry), over every code point: a
    character that takes the fast way is stable under NFKC, combines with nothing before it
    (so a text of such characters passes the NFKC quick check) and folds to the one character
    its entry holds, of that character's class; one that stands for a separator becomes plain
    separators that start no composition."""
    classes = fp.char_classes()
    pairs = canonical_pairs()
    seconds = {second for _, second in pairs}
    assert not [first for first, _ in pairs if chr(first) in fp.PLAIN_SEPARATORS]
    fast = separators = 0
    for code_point in range(0x110000):
        entry = fp.fold_entry(code_point)
        character = chr(code_point)
        if entry & fp._GENERAL:
            continue
        assert unicodedata.combining(character) == 0 and code_point not in seconds
        if entry & fp._MANY_FOLD:  # folded by Python, in a text that NFKC leaves as it is
            assert len(character.casefold()) > 1 and unicodedata.normalize("NFKC", character) == character
            continue
        folded, kind = entry & fp._FOLD_BITS, entry >> fp._CLASS_SHIFT
        normalized = unicodedata.normalize("NFKC", character)
        if normalized != character:
            assert kind == fp._SEPARATOR and set(normalized) <= fp.PLAIN_SEPARATORS
            separators += 1
        else:
            assert character.casefold() == chr(folded) and kind == classes[folded]
            fast += 1
    assert fast > 250_000 and separators > 10  # most characters take the fast way


@pytest.mark.parametrize("low, high", [(0, 0x3000), (0x3000, 0x10000), (0x10000, 0x11000), (0x1D400, 0x1D800), (0x1F100, 0x1F300)])
def test_every_character_between_letters_gives_the_words_of_nfkc_and_casefold(low: int, high: int) -> None:
    """Every code point of these ranges, inside a word, before a word, after a mark and after
    a Hangul syllable: the fast fold finds exactly the words of NFKC + casefold."""
    characters = [chr(c) for c in range(low, high) if not 0xD800 <= c < 0xE000]
    texts = [
        "".join(context.format(c) for c in characters[i : i + 40])
        for context in ("x{0}y {0}Z ß{0} ", "\u0301{0} ", "\uac00{0} ")  # the last two take the general way
        for i in range(0, len(characters), 40)
    ]
    found = fp.texts_word_hashes(texts)
    by_word: dict[str, int] = {}
    for text, start, count in zip(texts, found.starts.tolist(), found.counts.tolist()):
        words = reference_words(text)
        assert len(words) == count
        expected = [by_word.setdefault(w, python_word_hash(w)) for w in words]
        assert found.values[start : start + count].tolist() == expected
