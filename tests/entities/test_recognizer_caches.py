"""Recognition memoises its decisions across articles: results must never depend on what the
process recognised before (the same run decided differently in different contexts)."""

from __future__ import annotations

import re

from reader.entities import RuleBasedRecognizer
from reader.entities import recognizer as recognizer_module
from reader.entities.gazetteer import Gazetteer
from reader.entities.recognizer import _alternation

# One unknown name in contexts that change its reading: a role, a place preposition, quotes,
# an adjective use, a sentence start with and without evidence, German, an ALL-CAPS headline.
TEXTS: list[tuple[str, str]] = [
    ("We met Coach Zorblat today.", "en"),
    ("We met Zorblat today.", "en"),
    ("We stayed in Zorblat today.", "en"),
    ('We watched "Zorblat Dundee" today.', "en"),
    ("We watched Zorblat Dundee today.", "en"),
    ("We saw Zorblatian today.", "en"),
    ("Zorblatian officials said so.", "en"),
    ("Zorblat won. Later, Zorblat said no.", "en"),
    ("Zorblat won the game.", "en"),
    ("Der Zorblat Konzern wuchs in Berlin.", "de"),
    ("ZORBLAT WINS IN PARIS\nZorblat won in Paris, said Anne Hidalgo.", "en"),
    ("Mme Zorblat a rencontré M. Emmanuel Macron à Paris.", "fr"),
]


def spans(recognizer: RuleBasedRecognizer, text: str, lang: str) -> list[tuple[int, int, str, str]]:
    return [(m.start, m.end, m.type, m.key) for m in recognizer.recognize(text, lang)]


def test_memoised_decisions_follow_the_context_of_each_run():
    recognizer = RuleBasedRecognizer()
    fresh = []
    for text, lang in TEXTS:
        recognizer.clear_caches()
        fresh.append(spans(recognizer, text, lang))
    recognizer.clear_caches()
    forward = [spans(recognizer, text, lang) for text, lang in TEXTS]
    backward = [spans(recognizer, text, lang) for text, lang in reversed(TEXTS)][::-1]
    again = [spans(recognizer, text, lang) for text, lang in TEXTS]  # every decision memoised by now
    assert forward == backward == again == fresh
    by_text = {text: {text[s:e]: kind for s, e, kind, _ in found} for (text, _), found in zip(TEXTS, fresh)}
    assert by_text["We met Coach Zorblat today."] == {"Zorblat": "PERSON"}
    assert by_text["We met Zorblat today."] == {"Zorblat": "ORG"}
    assert by_text["We stayed in Zorblat today."] == {"Zorblat": "PLACE"}
    assert by_text['We watched "Zorblat Dundee" today.'] == {"Zorblat Dundee": "OTHER"}
    assert by_text["We watched Zorblat Dundee today."] == {"Zorblat Dundee": "PERSON"}
    assert by_text["Zorblat won. Later, Zorblat said no."] == {"Zorblat": "ORG"}
    assert by_text["Zorblat won the game."] == {}  # a sentence start without evidence


def test_the_factored_alternation_matches_exactly_its_words():
    words = ["de", "des", "del", "della", "degli", "du", "d", "of", "on", "the", "&"]
    pattern = re.compile(_alternation(words))
    for word in words:
        assert pattern.fullmatch(word), word
    for other in ["", "dell", "deg", "dela", "thee", "th", "o", "ofs", "&&", "x"]:
        assert not pattern.fullmatch(other), other


def test_recognizers_with_different_gazetteers_do_not_share_decisions():
    text = "We met Paris today."
    with_places = RuleBasedRecognizer()
    without_places = RuleBasedRecognizer(Gazetteer(places={}, abbreviations={}, demonyms={}, max_words=1))
    assert [(m.text, m.type) for m in with_places.recognize(text, "en")] == [("Paris", "PLACE")]
    assert [(m.text, m.type) for m in without_places.recognize(text, "en")] == [("Paris", "ORG")]


def test_full_caches_forget_their_older_half_without_changing_results(monkeypatch):
    recognizer = RuleBasedRecognizer()
    fresh = []
    for text, lang in TEXTS:
        recognizer.clear_caches()
        fresh.append(spans(recognizer, text, lang))
    monkeypatch.setattr(recognizer_module, "MAX_DECISIONS", 4)
    monkeypatch.setattr(recognizer_module, "_RUNS_SIZE", 4)
    recognizer.clear_caches()
    for _ in range(3):
        assert [spans(recognizer, text, lang) for text, lang in TEXTS] == fresh
        assert len(recognizer._decisions) <= 4
        assert all(len(runs) <= 4 for runs in recognizer_module._RUNS.values())


def test_whole_word_spans_are_the_matches_of_the_bounded_regex():
    from reader.entities.recognizer import _whole_word_spans

    texts = [
        "the 76ers beat the 76ers, 76ers' fans and x76ers or 76ers-fans; 76ers",
        "7.e.7.e.7 and 7.e.7",  # a word that overlaps itself
        "e7e7e7 e7e",
        "_76ers 76ers_ ’76ers 76ers’ é76ers ٣76ers",
        "",
    ]
    for word in ["76ers", "7.e.7", "e7e", "7e7"]:
        for text in texts:
            expected = [m.span() for m in re.finditer(rf"(?<![\w'’-]){re.escape(word)}(?![\w'’-])", text)]
            assert list(_whole_word_spans(text, word)) == expected, (word, text)
