"""The selection mode's cursor motions on wrapped text (no app: plain strings and offsets)."""

from __future__ import annotations

from reader.tui.motions import Motions
from reader.tui.textlayout import wrap_lines

HEAD = "Title\nmeta\n\n"


def motions(body: str, width: int = 20) -> Motions:
    text = HEAD + body
    return Motions(text, wrap_lines(text, width), len(HEAD))


def at(m: Motions, offset: int) -> int:
    return m.lo + offset


def test_words_move_as_vim_does() -> None:
    m = motions("Oracle's deal, at last: done.", width=80)
    body = m.text[m.lo :]
    # w: next word start; punctuation runs are words of their own
    stops = []
    position = m.lo
    for _ in range(8):
        position = m.word_forward(position)
        stops.append(m.text[position])
    assert stops == ["'", "s", "d", ",", "a", "l", ":", "d"]
    # e: end of this word, then of the next
    assert m.word_end(at(m, 0)) == at(m, body.index("'") - 1)
    assert m.word_end(at(m, 5)) == at(m, 6)  # at an end already: the end of the next word ("'")
    # b: start of this word, then of the previous one
    deal = body.index("deal")
    assert m.word_backward(at(m, deal + 2)) == at(m, deal)
    assert m.word_backward(at(m, deal)) == at(m, body.index("s deal"))
    assert m.word_backward(at(m, 0)) == m.lo  # never into the title


def test_w_at_the_last_word_stops_on_the_last_character() -> None:
    m = motions("one two", width=80)
    assert m.word_forward(at(m, 4)) == m.bottom() == at(m, 6)
    assert m.word_end(at(m, 6)) == at(m, 6)


def test_h_and_l_cross_line_ends_and_skip_dropped_spaces() -> None:
    m = motions("aaaa bbbb cccc dddd eeee ffff", width=10)  # lines "aaaa bbbb", "cccc dddd", ...
    first_end = at(m, 8)  # the last "b"
    assert m.text[first_end] == "b"
    assert m.right(first_end) == at(m, 10)  # the first "c": the space dropped at the wrap is skipped
    assert m.left(at(m, 10)) == first_end
    assert m.left(m.lo) == m.lo  # never into the title


def test_j_and_k_keep_the_column_in_cells_with_wide_characters() -> None:
    # "東京" takes 4 cells: column 4 on the next line is the character after it
    m = motions("ab東京cd\nwxyz0123", width=20)
    c = at(m, m.text[m.lo :].index("c"))
    assert m.column(c) == 6
    below = m.vertical(c, +1)
    assert m.text[below] == "2"  # column 6 of "wxyz0123"
    assert m.vertical(below, -1, want_column=6) == c
    # column 3 falls inside the wide "東" (cells 2-3): the cursor lands on it
    assert m.text[m.vertical(at(m, m.text[m.lo:].index("z")), -1)] == "東"
    assert m.vertical(m.lo, -1) == m.lo  # the first body line is the top


def test_empty_lines_and_line_ends() -> None:
    m = motions("first line\n\nthird", width=80)
    empty = m.vertical(at(m, 3), +1)
    assert empty == at(m, 11) and m.text[empty] == "\n"  # the start of the empty line
    assert m.line_start(empty) == m.line_end(empty) == empty
    assert m.text[m.line_end(at(m, 2))] == "e" and m.line_end(at(m, 2)) == at(m, 9)
    assert m.line_start(at(m, 5)) == m.lo
    assert m.snap(at(m, 10)) == at(m, 9)  # the newline after a line snaps back onto it
    assert m.bottom() == len(m.text) - 1


def test_tabs_count_as_one_character() -> None:
    m = motions("a\tb c", width=80)
    assert m.word_forward(m.lo) == at(m, 2)  # the tab is blank: the next word is "b"


def test_word_at_is_the_run_under_the_position() -> None:
    m = motions("Oracle's deal, done.", width=80)
    body = m.text[m.lo :]
    deal = body.index("deal")
    assert m.word_at(at(m, deal + 2)) == (at(m, deal), at(m, deal + 4))
    assert m.word_at(at(m, body.index("'"))) == (at(m, 6), at(m, 7))
    assert m.word_at(at(m, body.index(" "))) is None
    assert m.word_at(m.lo) == (m.lo, at(m, 6))  # never reaches into the title


def test_combining_marks_move_with_their_letter() -> None:
    # "Cafe\u0301 noir": the accent is a character of its own, zero cells wide
    m = motions("Cafe\u0301 noir", width=80)
    e = at(m, 3)
    assert m.right(e) == at(m, 5)  # over the accent to the space
    assert m.left(at(m, 5)) == e  # back onto the "e", never onto the accent alone
    assert m.cluster_end(e) == at(m, 4)
    assert m.snap(at(m, 4)) == e
    assert m.word_end(m.lo) == at(m, 4) and m.snap(m.word_end(m.lo)) == e  # the accent is part of the word
    assert m.word_end(e) == len(m.text) - 1  # from the "e" (its accent included) on to the end of "noir"
