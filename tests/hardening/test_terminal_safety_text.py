"""The sanitiser itself: every class of hostile character, checked one by one and by property.

The screen and export tests (test_terminal_safety_screens.py, test_terminal_safety_cli.py,
test_terminal_safety_exports.py) check that every untrusted field goes through it.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.text.cleaning import clean_text
from reader.text.terminal_safety import UNSAFE_CHARACTER, safe_line, strip_terminal_controls

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff\u180e\u206a\u206f\ufff9\ufffb\U000e0001\U000e0041\U000e007f"
C0 = "".join(chr(c) for c in range(0x20) if chr(c) not in "\t\n") + "\x7f"
C1 = "".join(chr(c) for c in range(0x80, 0xA0))


def unsafe_characters(text: str) -> list[str]:
    """What must never reach a terminal: controls but newline and tab, bidi, invisible formats, surrogates."""
    return [
        ch
        for ch in text
        if (unicodedata.category(ch) == "Cc" and ch not in "\t\n") or ch in BIDI or ch in ZERO_WIDTH or unicodedata.category(ch) == "Cs"
    ]


@pytest.mark.parametrize(
    ("hostile", "shown"),
    [
        ("a\x1b[2J\x1b[Hb", "ab"),  # clear the screen, cursor home
        ("a\x1b[38;2;255;0;0mred\x1b[0m", "ared"),  # true-colour SGR
        ("a\x1b[?1049hb", "ab"),  # private mode: alternate screen
        ("a\x9b2Jb", "ab"),  # 8-bit CSI
        ("a\x1b]52;c;cHduZWQ=\x07b", "ab"),  # OSC 52 clipboard write, BEL-terminated
        ("a\x1b]52;c;cHduZWQ=\x1b\\b", "ab"),  # ... ST-terminated
        ("a\x9d52;c;cHduZWQ=\x9cb", "ab"),  # ... 8-bit OSC and ST
        ("a\x1b]0;pwned\x07b", "ab"),  # window title
        ("a\x1b]8;;https://evil.example/\x1b\\link\x1b]8;;\x1b\\b", "alinkb"),  # OSC 8 hyperlink: the text stays
        ("a\x1bP+q544e\x1b\\b", "ab"),  # DCS (XTGETTCAP)
        ("a\x1b_payload\x1b\\b", "ab"),  # APC
        ("a\x1b^pm\x1b\\b", "ab"),  # PM
        ("a\x1bXsos\x1b\\b", "ab"),  # SOS
        ("a\x1bcb", "ab"),  # RIS: full reset
        ("a\x1b(0b", "ab"),  # charset designation (line drawing)
        ("a\x1b7\x1b8b", "ab"),  # save / restore cursor
        ("tab\tand\nnewline", "tab\tand\nnewline"),  # kept
        ("[bold red]x[/] [link=https://e.example]y[/link] [@click=app.quit]z[/]",
         "[bold red]x[/] [link=https://e.example]y[/link] [@click=app.quit]z[/]"),  # markup is text: kept as is
    ],
)
def test_escape_sequences_are_removed_with_their_payload(hostile: str, shown: str) -> None:
    assert strip_terminal_controls(hostile) == shown


@pytest.mark.parametrize("ch", list(C0 + C1))
def test_every_c0_and_c1_control_is_removed(ch: str) -> None:
    assert strip_terminal_controls(f"a{ch}") == "a"
    if ch not in "\x1b\x9b":  # these two start a sequence with the next character
        assert strip_terminal_controls(f"a{ch}b") == "ab"


@pytest.mark.parametrize("ch", list(BIDI + ZERO_WIDTH))
def test_bidi_controls_and_invisible_characters_are_removed(ch: str) -> None:
    assert strip_terminal_controls(f"Ora{ch}cle") == "Oracle"
    assert safe_line(f"Ora{ch}cle") == "Oracle"


def test_trojan_source_line_reads_as_stored() -> None:
    # An RLO ... PDI pair would show "access denied" reordered; removed, the stored order shows.
    assert strip_terminal_controls("if user \u202e\u2066// check later\u2069\u2066 admin") == "if user // check later admin"


def test_lone_surrogates_are_removed() -> None:
    assert strip_terminal_controls("a\ud800b\udfffc") == "abc"
    strip_terminal_controls("a\ud83d\ude00b").encode("utf-8")  # never raises on a terminal write


@pytest.mark.parametrize("stray", ["\x90", "\x98", "\x9d", "\x9e", "\x9f", "\x1b]", "\x1bP", "\x1b_"])
def test_an_unterminated_string_introducer_does_not_swallow_the_text(stray: str) -> None:
    # cp1252 has no character for bytes 0x90 and 0x9D: a latin-1 decode keeps them as C1
    # string introducers (DCS, OSC). Only the introducer goes; the rest of the article stays.
    text = f"He said \u00e2\u20ac{stray}hello\u201d and the story goes on.\n\nSecond paragraph."
    assert strip_terminal_controls(text) == "He said \u00e2\u20achello\u201d and the story goes on.\n\nSecond paragraph."


def test_mojibake_article_keeps_its_text_after_cleaning() -> None:
    # UTF-8 Cyrillic read as latin-1: the continuation bytes 0x90-0x9F are C1 introducers.
    mojibake = "\u041f\u0440\u0438\u0432\u0435\u0442 \u043c\u0438\u0440".encode().decode("latin-1")
    raw = f"Title\n\n{mojibake} and then a long sentence that must survive cleaning.\n"
    assert "a long sentence that must survive cleaning." in clean_text(raw)


def test_hostile_100000_character_line_is_handled_in_one_pass() -> None:
    # 50,000 unterminated introducers: each body stops at the next control character.
    hostile = "\x1b]x" * 33_334
    assert strip_terminal_controls(hostile) == "x" * 33_334
    assert strip_terminal_controls("\x9d" * 100_000 + "tail") == "tail"
    assert strip_terminal_controls("\x1b[" + "1;" * 50_000) == "1;" * 50_000
    long_line = ("word " * 20_000).strip()
    assert strip_terminal_controls(long_line) is long_line  # nothing to do: the same object back


def test_safe_line_folds_and_cuts() -> None:
    assert safe_line("  Title\x1b[2J\n with\u2028breaks\r\nand \u202ebidi  ", 40) == "Title with breaks and bidi"
    assert safe_line("x" * 100_000, 80) == "x" * 79 + "\u2026"
    assert safe_line(None) == ""


PIECES = list(C0 + C1 + BIDI + ZERO_WIDTH) + ["\x1b[", "\x1b]", "\x1b\\", ";", "m", "52;c;", "[b]", "\ud800"]
hostile_text = st.lists(st.one_of(st.text(max_size=8), st.sampled_from(PIECES)), max_size=60).map("".join)


@settings(max_examples=500)
@given(hostile_text)
def test_property_nothing_unsafe_survives_and_safe_text_is_kept(text: str) -> None:
    shown = strip_terminal_controls(text)
    assert unsafe_characters(shown) == []
    assert UNSAFE_CHARACTER.search(shown) is None
    assert strip_terminal_controls(shown) == shown  # idempotent
    # only removal: the result is a subsequence of the input (offset maps rely on it)
    it = iter(text)
    assert all(ch in it for ch in shown)
    # a text with nothing unsafe comes back unchanged
    if not unsafe_characters(text):
        assert shown == text
    assert "\n" not in safe_line(text) and unsafe_characters(safe_line(text)) == []


def test_stored_notes_lose_whole_escape_sequences_but_keep_their_letters() -> None:
    from reader.annotations.model import clean_note, clean_tag
    from reader.text.terminal_safety import strip_control_sequences

    assert strip_control_sequences("a\x1b[31mred\x1b[0m \x1b]52;c;cHduZWQ=\x07b\x9d0;t\x9cc\tz\n") == "ared bc\tz\n"
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # the ZWNJ is part of the spelling
    assert strip_control_sequences(persian) == persian
    assert clean_note("see \x1b[1mthis\x1b[0m\r\nand \x1b]8;;https://evil.example/\x1b\\that") == "see this\nand that"
    assert clean_tag("#de\x1b[31mals") == "deals"


@settings(max_examples=300)
@given(hostile_text)
def test_property_terminal_safe_json_keeps_every_value_exactly(text: str) -> None:
    import json

    from reader.text.terminal_safety import terminal_safe_json

    value = {"title": text, "list": [text, 1, None]}
    encoded = terminal_safe_json(json.dumps(value, ensure_ascii=False))
    assert json.loads(encoded) == value
    assert unsafe_characters(encoded) == [] and "\u2028" not in encoded and "\u2029" not in encoded
    encoded.encode("utf-8")  # lone surrogates are escaped, so writing never raises
