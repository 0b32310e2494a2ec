"""The cheap tests that let cleaning, hashing and terminal safety skip work give exactly the
answers of the plain computations they stand in for."""

from __future__ import annotations

import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.text.cleaning import comparable, could_be_copy, ends_sentence, word_count
from reader.text.normalize import is_printable, is_single_spaced, single_spaced
from reader.text.terminal_safety import UNSAFE_CHARACTER, holds_unsafe_characters

# Text made of the characters that matter here: spaces of every kind, line breaks, controls,
# invisible marks, typographic punctuation, letters of several scripts, surrogates.
TRICKY = " \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u1680\u2000\u200a\u200b\u2028\u2029\u202f\u205f\u3000\x1b\x9b\u202e\ufeff\ud800"
TEXTS = st.text(alphabet=st.sampled_from(TRICKY) | st.characters(), max_size=60) | st.text(
    alphabet=st.sampled_from("ab .\n" + TRICKY), max_size=30
)


def test_every_whitespace_but_the_space_is_unprintable():
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if char.isspace() and char != " ":
            assert not char.isprintable(), hex(code)


@settings(max_examples=500)
@given(TEXTS)
def test_single_spacing_shortcuts_agree_with_split_and_join(text):
    if is_single_spaced(text):
        assert " ".join(text.split()) == text
    if text.isprintable():
        assert is_single_spaced(text) == (" ".join(text.split()) == text)
    assert single_spaced(text) == " ".join(text.split())
    assert word_count(text) == len(text.split())


def test_single_spacing_shortcuts_on_clean_text_shapes():
    for text in ("One line.", "Para one.\n\nPara two\nline two.", "a\n\n\nb", " lead", "trail ", "a  b", "a\tb", "a\xa0b", ""):
        assert single_spaced(text) == " ".join(text.split())
        assert word_count(text) == len(text.split())


def test_printable_is_what_str_isprintable_says_for_every_ascii_character_and_any_text():
    for code in range(128):
        for text in (chr(code), f"ab{chr(code)}c d", chr(code) * 3):
            assert is_printable(text) == text.isprintable(), code
    for text in ("", "plain words", "é accent", "tab\there", "\x7f", "line\n", "\u2028", "\ud800"):
        assert is_printable(text) == text.isprintable(), text


@given(TEXTS)
def test_printable_test_matches_isprintable(text):
    assert is_printable(text) == text.isprintable()
    assert is_printable(text.encode("ascii", "ignore").decode()) == text.encode("ascii", "ignore").decode().isprintable()


def test_unsafe_characters_are_found_whatever_the_character():
    for code in [*range(0x10000), *range(0xE0000, 0xE0100), 0x10FFFF]:
        text = f"a{chr(code)}é"
        assert holds_unsafe_characters(text) == (UNSAFE_CHARACTER.search(text) is not None), hex(code)


@settings(max_examples=300)
@given(st.text(max_size=40), st.text(max_size=40))
def test_a_line_that_fails_the_copy_test_is_never_a_copy(line, title):
    wanted = comparable(title)
    if not could_be_copy(line, wanted):
        assert comparable(line) != wanted
    assert could_be_copy(title, wanted)


def test_the_copy_test_reads_both_ends_of_a_line():
    title = "Pirates Seize a Tanker Off the Coast of Somalia"
    wanted = comparable(title)
    assert could_be_copy("PIRATES SEIZE A TANKER OFF THE COAST OF SOMALIA!", wanted)
    assert could_be_copy("Pirates seize a tanker -- off the coast of Somalia", wanted)
    # a lead paragraph that opens with the headline and goes on is no copy, and is told by its end
    assert not could_be_copy(title + ", the navy said on Monday, after a chase of three days.", wanted)
    assert not could_be_copy("Breaking: " + title, wanted)


def test_sentence_endings():
    for line, ends in (("Done.", True), ("«Oui»", True), ("He said “yes”", True), ("Mode", False), ("", False), ("a)", True)):
        assert ends_sentence(line) == ends
