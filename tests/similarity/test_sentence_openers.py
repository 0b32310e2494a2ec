"""sentence_openers: one literal-led pattern per break character finds what one pattern with a
class of break characters finds (the plain definition), each word once."""

import random
import re
from collections import Counter

from reader.similarity.story_terms import sentence_initial_capitals, sentence_openers

# The plain definition: a break character, any non-word characters, then the word; a full stop
# after a lone capital (an initial: "U.S.", "W.") is no break.
PLAIN = re.compile(r"(?:[!?…:;\n\"«»“”]|(?:(?<=[^\W\d_]{2})|(?<![A-ZÀ-ÖØ-Þ]))\.)[^\w]*([^\W\d_]+)")


def test_a_word_after_a_run_of_breaks_is_found_once():
    text = 'He left.\n"Then what?" she asked… «Rien». 12 Apples; _x Pears'
    assert Counter(sentence_openers(text)) == Counter(PLAIN.findall(text))
    assert sorted(sentence_openers(text)) == ["Rien", "Then", "she"]  # not after "12" or "_x"


def test_a_full_stop_after_an_initial_opens_no_sentence():
    text = "The U.S. Senate met. George W. Bush spoke. Then the US. Left early."
    assert sorted(sentence_openers(text)) == ["George", "Left", "Then"]  # not "Senate", not "Bush"


def test_the_stop_of_a_title_before_a_name_opens_no_sentence():
    text = "Former trustee Dr. Benjamin was named. Mrs. Smith met Gov. Brown at St. Paul. The end."
    assert sorted(sentence_openers(text)) == ["Mrs", "The"]  # not Benjamin, Smith, Brown or Paul


def test_random_texts_match_the_plain_definition():
    alphabet = list('.!?…:;\n"«»“”  ,-—()\'’_5a Bc9éÉ²x\t')
    rng = random.Random(3)
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(40)))
        assert Counter(sentence_openers(text)) == Counter(PLAIN.findall(text)), text


def test_sentence_initial_capitals_counts_capitalised_openers_and_the_first_word():
    text = "Paris is big. Paris is old. And paris? no."
    assert sentence_initial_capitals(text.split(), text) == Counter({"paris": 2, "and": 1})
