"""Cursor motions of the article pane's selection mode (like vim's visual mode).

Pure functions on the shown document and its wrapped lines (see :mod:`reader.tui.textlayout`);
no Textual here. Offsets are character offsets into the shown document; the caller keeps
the cursor inside the article body, ``[lo, hi)``. Every motion returns a position that is
drawn on screen: a character of a line, or the start of an empty line (never a space
dropped at a wrap, never the newline after a non-empty line).

* ``h``/``l`` move by a character and cross line ends; ``j``/``k`` move by a screen line
  and keep the column, in cells (a wide character takes two), like vim's ``gj``/``gk``;
* ``w``/``b``/``e`` move by words as vim does: a word is a run of letters, digits and
  underscores, or a run of other non-blank characters;
* ``0``/``$`` go to the start or end of the screen line; ``g``/``G`` to the body's ends;
* :meth:`Motions.word_at` is the word a double click selects.
"""

from __future__ import annotations

import unicodedata

from rich.cells import get_character_cell_size

from reader.tui.textlayout import WrappedLines

SPACE, WORD, PUNCTUATION = 0, 1, 2


def char_class(ch: str) -> int:
    if ch.isspace():
        return SPACE
    if ch.isalnum() or ch == "_" or unicodedata.category(ch).startswith("M"):  # marks belong to their letter
        return WORD
    return PUNCTUATION


class Motions:
    """Motions over one layout: ``text`` wrapped into ``lines``, the body being ``text[lo:]``."""

    def __init__(self, text: str, lines: WrappedLines, lo: int) -> None:
        self.text = text
        self.lines = lines
        self.lo = lo
        self.hi = len(text)
        self.first_line = lines.line_of(lo)

    # -- what is on screen ---------------------------------------------------------------

    @property
    def empty(self) -> bool:
        return self.lo >= self.hi

    def last_on_line(self, index: int) -> int:
        """The last position drawn on a line (its start when the line is empty)."""
        return max(self.lines.starts[index], self.lines.ends[index] - 1)

    def snap(self, position: int) -> int:
        """The nearest drawn position at or before ``position``, inside the body (on the base
        character when it falls on a combining mark)."""
        position = min(max(position, self.lo), self.hi - 1)
        index = self.lines.line_of(position)
        return self.base(min(position, self.last_on_line(index)))

    def base(self, position: int) -> int:
        """The character a zero-width one (a combining accent, say) belongs to."""
        start = max(self.lo, self.lines.starts[self.lines.line_of(position)])
        while position > start and get_character_cell_size(self.text[position]) == 0:
            position -= 1
        return position

    def cluster_end(self, position: int) -> int:
        """The last offset of the character at ``position`` with its combining marks."""
        text, hi = self.text, self.hi
        while position + 1 < hi and get_character_cell_size(text[position + 1]) == 0 and text[position + 1] != "\n":
            position += 1
        return position

    def column(self, position: int) -> int:
        """Cells from the start of the position's screen line to the position."""
        start = self.lines.starts[self.lines.line_of(position)]
        return sum(get_character_cell_size(ch) for ch in self.text[start:position])

    # -- by character and line -----------------------------------------------------------

    def right(self, position: int) -> int:
        index = self.lines.line_of(position)
        position = self.cluster_end(position)
        if position + 1 < self.lines.ends[index]:
            return position + 1
        if index + 1 < len(self.lines):
            return self.lines.starts[index + 1]
        return self.snap(position)

    def left(self, position: int) -> int:
        index = self.lines.line_of(position)
        if position > self.lines.starts[index]:
            return self.base(min(position - 1, self.last_on_line(index)))
        if index > self.first_line:
            return self.last_on_line(index - 1)
        return position

    def vertical(self, position: int, delta: int, want_column: int | None = None) -> int:
        """``delta`` screen lines down (up when negative), at ``want_column`` cells or before."""
        column = self.column(position) if want_column is None else want_column
        index = self.lines.line_of(position)
        target = min(max(index + delta, self.first_line), len(self.lines) - 1)
        return self.at_column(target, column)

    def at_column(self, index: int, column: int) -> int:
        start, end = self.lines.starts[index], self.lines.ends[index]
        position, cells = start, 0
        while position < end:
            size = get_character_cell_size(self.text[position])
            if cells + size > column:
                break
            cells += size
            position += 1
        return max(self.lo, min(position, self.last_on_line(index)))

    def line_start(self, position: int) -> int:
        return max(self.lo, self.lines.starts[self.lines.line_of(position)])

    def line_end(self, position: int) -> int:
        return self.base(self.last_on_line(self.lines.line_of(position)))

    def top(self) -> int:
        return self.lo

    def bottom(self) -> int:
        return self.base(self.last_on_line(len(self.lines) - 1))

    # -- by word (vim's w, b, e) ---------------------------------------------------------

    def word_forward(self, position: int) -> int:
        """The start of the next word (the last position when there is none)."""
        text, hi = self.text, self.hi
        kind = char_class(text[position])
        i = position
        if kind != SPACE:
            while i < hi and char_class(text[i]) == kind:
                i += 1
        while i < hi and text[i].isspace():
            i += 1
        return self.bottom() if i >= hi else i

    def word_end(self, position: int) -> int:
        """The end of this word, or of the next one when already at an end."""
        text, hi = self.text, self.hi
        i = self.cluster_end(position) + 1
        while i < hi and text[i].isspace():
            i += 1
        if i >= hi:
            return self.bottom()
        kind = char_class(text[i])
        while i + 1 < hi and char_class(text[i + 1]) == kind:
            i += 1
        return i

    def word_backward(self, position: int) -> int:
        """The start of this word, or of the previous one when already at a start."""
        text, lo = self.text, self.lo
        i = position - 1
        while i >= lo and text[i].isspace():
            i -= 1
        if i < lo:
            return lo
        kind = char_class(text[i])
        while i - 1 >= lo and char_class(text[i - 1]) == kind:
            i -= 1
        return i

    def word_at(self, position: int) -> tuple[int, int] | None:
        """The word holding ``position`` as ``(start, end)``, end exclusive; None on a blank."""
        text, lo, hi = self.text, self.lo, self.hi
        kind = char_class(text[position])
        if kind == SPACE:
            return None
        start, end = position, position + 1
        while start > lo and char_class(text[start - 1]) == kind:
            start -= 1
        while end < hi and char_class(text[end]) == kind:
            end += 1
        return start, end
