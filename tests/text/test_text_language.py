"""Language detection: right on the seeds and real feeds, deterministic, fast path = langdetect's n-grams."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
