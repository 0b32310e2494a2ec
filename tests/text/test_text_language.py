"""Language detection: right on the seeds and real feeds, deterministic, fast path = langdetect's n-grams."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from langdetect.detector import Detector

from reader.text import language
from reader.text.language import detect_language, detection_sample, extract_ngrams, prepare_text


def test_seeds_languages(all_seeds):
    for s in all_seeds:
        lang, prob = detect_language(s.clean, s.title)
        assert lang == ("fr" if s.name.startswith("002_") else "en"), s.name
        assert 0.9 < prob <= 1.0


def test_same_result_twice_and_in_another_process(all_seeds):
    texts = [s.clean for s in all_seeds] + ["Hello", "Bonjour tout le monde", "Ein kurzer Satz auf Deutsch."]
    first = [detect_language(text) for text in texts]
    assert first == [detect_language(text) for text in texts]
    code = "import json, sys; from reader.text.language import detect_language; print(json.dumps([detect_language(t) for t in json.load(sys.stdin)]))"
    other = subprocess.run([sys.executable, "-c", code], input=json.dumps(texts), capture_output=True, text=True, check=True)
    assert [tuple(pair) for pair in json.loads(other.stdout)] == first


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Le gouvernement a annoncé mardi une nouvelle réforme des retraites, qui entrera en vigueur l'an prochain.", "fr"),
        ("Die Bundesregierung hat am Dienstag eine neue Rentenreform angekündigt, die im nächsten Jahr in Kraft tritt.", "de"),
        ("El gobierno anunció el martes una nueva reforma de las pensiones que entrará en vigor el próximo año.", "es"),
        ("O governo anunciou na terça-feira uma nova reforma da previdência, que entrará em vigor no próximo ano.", "pt"),
        ("Il governo ha annunciato martedì una nuova riforma delle pensioni, che entrerà in vigore il prossimo anno.", "it"),
        ("The government announced a new pension reform on Tuesday, which will take effect next year.", "en"),
        ("Правительство во вторник объявило о новой пенсионной реформе, которая вступит в силу в следующем году.", "ru"),
    ],
)
def test_news_sentences_in_several_languages(text, lang):
    assert detect_language(text)[0] == lang


def test_nothing_to_go_on_gives_none():
    assert detect_language("") == (None, None)
    assert detect_language("   \n\t ") == (None, None)
    assert detect_language("2020-09-14 12:00 — 42 % https://example.com/a?b=1 mail@example.com") == (None, None)


def test_unsupported_script_gives_none_not_a_confident_wrong_language():
    assert detect_language("საქართველოს მთავრობამ დღეს გამოაცხადა ახალი რეფორმა") == (None, None)  # Georgian
    assert detect_language("Հայաստանի կառավարությունը այսօր հայտարարեց") == (None, None)  # Armenian
    assert detect_language("የኢትዮጵያ መንግሥት ዛሬ አስታወቀ") == (None, None)  # Ethiopic


def test_one_word_gives_some_answer_with_a_probability():
    lang, prob = detect_language("Bonjour")
    assert isinstance(lang, str) and 0 < prob <= 1


def test_title_helps_an_empty_body():
    assert detect_language("", title="Promotoria abre inquérito para apurar suspeita de improbidade de Skaf no Sebrae-SP")[0] == "pt"


def test_sample_is_letters_of_the_title_and_the_start_of_the_body():
    sample = detection_sample("Body text, with 12 digits & https://x.com/y links. " * 50, title="A title:")
    assert sample.startswith("A title Body text with digits links Body text")
    assert len(sample) <= language.SAMPLE_CHARS and not sample.endswith(" ")


class _ProfilesFactory:
    def __init__(self) -> None:
        loaded = language.profiles()
        self.word_lang_prob_map, self.langlist, self.seed = loaded.row_of, list(loaded.langs), 0


@pytest.mark.parametrize(
    "text",
    [
        "NASA and the FBI said: McDonald's ÉTÉ été, a  b,,c  ",
        "台灣總統蔡英文今日出席國慶典禮 BBC",
        "Xin chào, hôm nay trời đẹp quá",
        "Tie\u0301ng Vie\u0323\u0302t, Â\u0300 y\u0303",  # decomposed Vietnamese marks
        "Привет, мир! hello world",
        "ሰላም ልዑል እንዴት BBC News http://x.com/a b@c.de",
        " leading and trailing ",
    ],
)
def test_ngrams_are_exactly_langdetects(text):
    detector = Detector(_ProfilesFactory())
    detector.set_max_text_length(language.SAMPLE_CHARS)
    detector.append(text)
    detector.cleaning_text()
    assert extract_ngrams(prepare_text(text)) == detector._extract_ngrams()


def test_ngrams_are_exactly_langdetects_on_the_seeds(all_seeds):
    for s in all_seeds:
        detector = Detector(_ProfilesFactory())
        detector.set_max_text_length(10_000)
        detector.append(s.raw)
        detector.cleaning_text()
        assert extract_ngrams(prepare_text(s.raw, 10_000)) == detector._extract_ngrams()


def test_rows_through_the_word_caches_are_the_rows_of_the_ngrams(all_seeds):
    row_of = language.profiles().row_of
    texts = [s.raw for s in all_seeds] + ["Xin chào, hôm nay", "NASA et la NASA", "  a  b ", "台灣總統蔡英文", ""]
    for text in texts:
        prepared = prepare_text(text, 10_000)
        assert language.ngram_rows(prepared).tolist() == [row_of[g] for g in extract_ngrams(prepared)]


def test_detection_sample_keeps_exactly_what_the_letters_regex_keeps():
    odd = "Ünïcödé ½ ² ٣ 七 x_y 3rd ß—ǅ \u200b\xa0\x1c tab\there e\u0301 "
    for text in (odd, odd * 30, "", " , ", "a@b.com http://x.y/z www.q.org kept"):
        parts = (language.without_addresses(part) for part in ("T-1", text))
        expected = " ".join(language._NOT_LETTERS.sub(" ", part).strip() for part in parts).strip()
        assert detection_sample(text, "T-1", max_chars=len(text) + 10) == expected


def test_translating_mostly_ascii_text_is_str_translate():
    many_marks = "".join(chr(code) for code in range(0x2000, 0x2070)) + " abc"  # more than MAX_REPLACED_CHARS change
    texts = ["plain ascii, 42!", "L’été — «déjà» vu… 3½ Ș ș ț", "Ünïcödé ½ ² ٣ 七 x_y ß—ǅ \u200b\xa0\x1c e\u0301",
             "台灣總統蔡英文今日出席國慶典禮" * 5, "Привет, мир! " * 10, "lone \ud800 surrogate", many_marks, ""]
    for table in (language._LETTERS_ONLY, language._NORMALIZE):
        for text in texts:
            assert language.translate_mostly_ascii(text, table) == text.translate(table)


def test_known_letter_share_is_the_share_of_letters_the_profiles_know():
    for sample in ("", " ", "abc", "a ა", "ააა a", "中文 abc", "7 _ .", "Ж ß ǅ", "\ud800 a"):
        counts = Counter(sample)
        counts.pop(" ", None)
        total = sum(counts.values())
        known = sum(n for char, n in counts.items() if language._is_known_letter(char))
        assert language.known_letter_share(sample) == (known / total if total else 0.0), sample


def test_the_translation_tables_keep_what_they_map_to():
    for table in (language._LETTERS_ONLY, language._NORMALIZE):
        for code in range(0x10000):
            mapped = table[code]
            assert len(mapped) == 1 and table[ord(mapped)] == mapped, hex(code)


def _sequential_trials(probs, rows, n_trial, run=None, stops=None):
    """The trials written plainly (one running sum per trial and language, draw by draw in
    blocks, as langdetect multiplies): the reference for the vectorised ``_run_trials``.
    ``run``: only the first ``run`` trials (the weights of ``n_trial`` are drawn all the same);
    ``stops``: a dict that gets each trial's number of draws."""
    rng = np.random.default_rng(language.SEED)
    weights = ((language.ALPHA + rng.standard_normal(n_trial) * language.ALPHA_WIDTH) / language.BASE_FREQ).astype(np.float32)
    n_run = n_trial if run is None else run
    totals = np.zeros((n_run, probs.shape[1]))
    results = np.zeros_like(totals)
    pending, drawn = list(range(n_run)), 0
    while pending:
        picks = rng.integers(0, len(rows), size=(len(pending), language.DRAW_BLOCK))
        still = []
        for k, trial in enumerate(pending):
            logs = np.log(probs[rows[picks[k]]] + weights[trial]).astype(np.float64)
            for i in range(language.DRAW_BLOCK):
                totals[trial] += logs[i]
                if i % language.CHECK_EVERY == 0:
                    normalised = np.exp(totals[trial] - totals[trial].max())
                    normalised /= normalised.sum()
                    if normalised.max() > language.CONV_THRESHOLD or drawn + i >= language.ITERATION_LIMIT:
                        results[trial] = normalised
                        if stops is not None:
                            stops[trial] = drawn + i + 1
                        break
            else:
                still.append(trial)
        pending, drawn = still, drawn + language.DRAW_BLOCK
    return results


def test_vectorised_trials_are_exactly_the_sequential_ones():
    loaded = language.profiles()
    probs = np.asarray(loaded.probs)
    # The block sums are exact in any order only while every log is a float32 of magnitude >= 1.
    assert float(probs.max()) + float(language.trial_start(7).weights.max()) < math.exp(-1)
    zh_cn, zh_tw = loaded.langs.index("zh-cn"), loaded.langs.index("zh-tw")
    even = np.flatnonzero((probs[:, zh_cn] > 1e-3) & (abs(probs[:, zh_cn] - probs[:, zh_tw]) < 1e-2 * probs[:, zh_cn]))
    rng = np.random.default_rng(1)
    cases = [rng.integers(0, len(probs), size=n) for n in (1, 3, 40, 300)] + [even[:2], even[:4]]  # (even: never converge)
    for rows in cases:
        for n_trial in (1, 3, 7):
            assert np.array_equal(language._run_trials(probs, rows, n_trial), _sequential_trials(probs, rows, n_trial))


MIXED_OR_SHORT = [
    "Anfang London Mai feiert die Version der Continuous Lifecycle Konferenz in London the conference opens",
    "Microsoft ändert das Auth Protocol Anmeldung an die Cloud Dienste Microsoft Account sign in",
    "Quick eruption after a long bake",
    "Promotoria abre inquérito para apurar suspeita de improbidade de Skaf no Sebrae-SP",
    "Pathogens select for genomic variants",
    "Bonjour",
]


def test_the_first_trial_in_one_block_is_the_first_trial_when_it_stops_within_the_block(all_seeds):
    loaded = language.profiles()
    probs = np.asarray(loaded.probs)
    zh_cn, zh_tw = loaded.langs.index("zh-cn"), loaded.langs.index("zh-tw")
    even = np.flatnonzero((probs[:, zh_cn] > 1e-3) & (abs(probs[:, zh_cn] - probs[:, zh_tw]) < 1e-2 * probs[:, zh_cn]))[:2]
    texts = [detection_sample(s.clean, s.title) for s in all_seeds] + [detection_sample(text) for text in MIXED_OR_SHORT]
    cases = [even] + [language.ngram_rows(prepare_text(text)) for text in texts]
    kinds = set()
    for rows in cases:
        stops = {}
        reference = _sequential_trials(probs, rows, 3, run=1, stops=stops)[0]
        for draws in (40, language.SURE_TRIAL_DRAWS):
            first = language._first_trial(probs, rows, 3, draws)
            if stops[0] <= draws:
                assert first is not None and np.array_equal(first, reference)
            else:
                assert first is None
            kinds.add(first is None)
    assert kinds == {True, False}


def test_the_first_trial_alone_decides_only_when_sure_and_then_names_what_all_trials_name(all_seeds):
    probs = np.asarray(language.profiles().probs)
    samples = [detection_sample(s.clean, s.title) for s in all_seeds] + [detection_sample(text) for text in MIXED_OR_SHORT]
    decided = 0
    for sample in samples:
        rows = language.ngram_rows(prepare_text(sample))
        letters = len(sample) - sample.count(" ")
        full = language._run_trials(probs, rows, language.N_TRIAL).sum(axis=0) / language.N_TRIAL
        first = language._first_trial_if_sure(probs, rows, language.N_TRIAL, letters)
        got = language.language_probabilities(sample)
        if first is None:  # all trials, exactly as without the rule
            assert got == {language.profiles().langs[i]: float(full[i]) for i in np.flatnonzero(full > Detector.PROB_THRESHOLD)}
        else:
            decided += 1
            assert letters >= language.SURE_SAMPLE_LETTERS and first.max() > language.CONV_THRESHOLD
            assert np.argmax(first) == np.argmax(full), sample
    assert 0 < decided < len(samples)  # (both ways taken)
    short = detection_sample(MIXED_OR_SHORT[-1])
    assert language._first_trial_if_sure(probs, language.ngram_rows(prepare_text(short)), language.N_TRIAL, len(short)) is None


@pytest.mark.corpus
def test_at_least_99_percent_right_on_real_multilingual_feeds_and_news(corpora: Path):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from eval_language import load_samples

    samples = load_samples(corpora)
    assert {s.lang for s in samples} >= {"en", "de", "pt", "fr"}
    right = sum(detect_language(s.body, s.title)[0] == s.lang for s in samples)
    assert right / len(samples) >= 0.99


def test_a_headline_alone_is_unsure_whatever_its_probability():
    from reader.text.language import detect_language, detection_is_unsure

    lang, prob = detect_language("", title="Food for fungi")
    assert prob is not None and prob > 0.9  # langdetect is this confident on three words
    assert detection_is_unsure("", "Food for fungi", prob)
    body = "Researchers found that the protein folds in two steps, which explains why the enzyme works faster."
    lang, prob = detect_language(body, title="Protein folding")
    assert lang == "en" and not detection_is_unsure(body, "Protein folding", prob)
    assert detection_is_unsure(body, "Protein folding", 0.6)


def test_common_language_of_many_headlines():
    from reader.text.language import common_language

    titles = [
        "Acordo adicional da Argentina com FMI está perto de acontecer, diz Macri",
        "Promotoria abre inquérito para apurar suspeita de improbidade no Sebrae",
        "Rival de Putin é condenado a mais trinta dias de prisão por protesto",
        "Enfermeira de Chávez alega perseguição e pede asilo na Espanha",
    ]
    assert common_language(titles) == "pt"
    assert common_language([]) is None


def test_the_profiles_are_cached_and_the_cache_gives_the_same_answers(tmp_path, monkeypatch):
    from reader.text import language

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    built = language._profiles_from_langdetect()
    assert language._cached_profiles() is None  # nothing cached yet
    (tmp_path / "reader").mkdir()
    (tmp_path / "reader" / "langdetect-0.9-profiles-v0.npy").write_bytes(b"an older cache")
    language._cache_profiles(built)
    assert sorted(p.suffix for p in (tmp_path / "reader").iterdir()) == [".json", ".npy"]  # the older one is gone
    cached = language._cached_profiles()
    assert cached is not None and cached.langs == built.langs and cached.row_of == built.row_of
    assert (cached.probs == built.probs).all()


def test_a_damaged_profile_cache_is_rebuilt_not_trusted(tmp_path, monkeypatch):
    from reader.text import language

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    language._cache_profiles(language._profiles_from_langdetect())
    matrix, names = language._profile_cache_paths()
    names.write_text('{"langs": ["en"], "ngrams": ["a"]}')  # names that do not fit the matrix
    assert language._cached_profiles() is None
    names.write_text("not json")
    assert language._cached_profiles() is None
    matrix.write_bytes(b"garbage")
    assert language._cached_profiles() is None


def test_an_unwritable_cache_dir_only_costs_time(tmp_path, monkeypatch):
    from reader.text import language

    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file where the cache dir should be
    language._cache_profiles(language._profiles_from_langdetect())  # no error
    assert language._cached_profiles() is None
