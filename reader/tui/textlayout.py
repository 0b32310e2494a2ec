"""Plain-text layout for the article pane: safe display text and line wrapping by offsets.

No Textual here: these functions work on strings and character offsets so they can be
tested alone and run on a 100,000-word article in a few tens of milliseconds.

* :func:`display_text` makes untrusted text safe for a terminal (escape sequences and
  control characters removed, tabs as spaces) and keeps a map from offsets in the
  original text to offsets in the shown text, so entity and annotation spans, which
  are offsets into the stored clean text, still land on the right characters.
* :func:`wrap_lines` wraps once per width into ``(start, end)`` character ranges;
  rendering a line is then a slice plus the spans that overlap it.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from dataclasses import dataclass

from rich.cells import cell_len, get_character_cell_size

from reader.text.terminal_safety import UNSAFE_CHARACTER, strip_terminal_controls

# Any character that strip_terminal_controls may remove (escape sequences start with one).
_SUSPICIOUS = UNSAFE_CHARACTER


@dataclass(frozen=True)
class OffsetMap:
    """Where characters were removed: maps an offset in the original text to the shown text."""

    removed_starts: tuple[int, ...] = ()  # original offsets where a removed run starts
    removed_ends: tuple[int, ...] = ()  # and where it ends
    removed_before: tuple[int, ...] = ()  # characters removed up to the end of that run

    def to_display(self, offset: int) -> int:
        if not self.removed_starts:
            return offset
        i = bisect_right(self.removed_starts, offset) - 1
        if i < 0:
            return offset
        start, end = self.removed_starts[i], self.removed_ends[i]
        before = self.removed_before[i] - (end - start)  # removed strictly before this run
        if offset < end:  # inside a removed run: snap to its start
            return start - before
        return offset - self.removed_before[i]


IDENTITY = OffsetMap()


def display_text(text: str) -> tuple[str, OffsetMap]:
    """The text as it may be shown on a terminal, and the offset map from the original."""
    if not _SUSPICIOUS.search(text):
        return text.replace("\t", " ") if "\t" in text else text, IDENTITY
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    cumulative: list[int] = []
    removed = 0
    position = 0
    for paragraph in text.splitlines(keepends=True):
        safe = strip_terminal_controls(paragraph)
        if safe != paragraph:
            for run_start, run_end in _removed_runs(paragraph, safe):
                removed += run_end - run_start
                starts.append(position + run_start)
                ends.append(position + run_end)
                cumulative.append(removed)
        pieces.append(safe)
        position += len(paragraph)
    shown = "".join(pieces).replace("\t", " ")
    return shown, OffsetMap(tuple(starts), tuple(ends), tuple(cumulative))


def _removed_runs(original: str, kept: str) -> list[tuple[int, int]]:
    """Runs of ``original`` that are not in ``kept`` (a subsequence of it), leftmost match."""
    runs: list[tuple[int, int]] = []
    j = 0
    run_start = -1
    for i, ch in enumerate(original):
        if j < len(kept) and kept[j] == ch:
            j += 1
            if run_start >= 0:
                runs.append((run_start, i))
                run_start = -1
        elif run_start < 0:
            run_start = i
    if run_start >= 0:
        runs.append((run_start, len(original)))
    return runs


class WrappedLines:
    """Visual lines of a text wrapped to a width, as parallel arrays of character offsets."""

    __slots__ = ("starts", "ends", "width")

    def __init__(self, width: int) -> None:
        self.width = width
        self.starts = array("q")
        self.ends = array("q")

    def __len__(self) -> int:
        return len(self.starts)

    def line_of(self, offset: int) -> int:
        """The visual line holding character ``offset`` (the last line for the end)."""
        return max(0, bisect_right(self.starts, offset) - 1)


def wrap_lines(text: str, width: int) -> WrappedLines:
    """Greedy word wrap of every paragraph (``\\n``-separated) to ``width`` cells.

    Spaces at a break are dropped from both lines; a word longer than the width is cut.
    Paragraphs made only of single-cell characters (nearly all news text) take a fast
    path built on ``str.rfind``; others measure each character's cell width.
    """
    width = max(1, width)
    lines = WrappedLines(width)
    position = 0
    length = len(text)
    while position <= length:
        newline = text.find("\n", position)
        end = length if newline < 0 else newline
        if cell_len(text[position:end]) == end - position:
            _wrap_narrow(text, position, end, width, lines)
        else:
            _wrap_wide(text, position, end, width, lines)
        if newline < 0:
            break
        position = newline + 1
    return lines


def _wrap_narrow(text: str, start: int, end: int, width: int, lines: WrappedLines) -> None:
    add_start, add_end = lines.starts.append, lines.ends.append
    position = start
    if end - position <= width:
        add_start(position)
        add_end(end)
        return
    rfind = text.rfind
    while True:
        if end - position <= width:
            add_start(position)
            add_end(end)
            return
        limit = position + width
        cut = rfind(" ", position + 1, limit + 1)
        if cut < 0:  # one long word: cut it at the width
            add_start(position)
            add_end(limit)
            position = limit
            continue
        line_end = cut
        while line_end > position and text[line_end - 1] == " ":
            line_end -= 1
        add_start(position)
        add_end(line_end)
        position = cut + 1
        while position < end and text[position] == " ":
            position += 1
        if position >= end:
            return


def _wrap_wide(text: str, start: int, end: int, width: int, lines: WrappedLines) -> None:
    """Wrap measuring each character (CJK, emoji, combining marks)."""
    add_start, add_end = lines.starts.append, lines.ends.append
    position = start
    while position < end:
        cells = 0
        i = position
        last_space = -1
        while i < end:
            size = get_character_cell_size(text[i])
            if cells + size > width:
                break
            if text[i] == " ":
                last_space = i
            cells += size
            i += 1
        if i >= end:
            add_start(position)
            add_end(end)
            return
        if last_space > position:
            line_end = last_space
            while line_end > position and text[line_end - 1] == " ":
                line_end -= 1
            add_start(position)
            add_end(line_end)
            position = last_space + 1
        else:
            i = max(i, position + 1)  # a character wider than the line still takes a line
            add_start(position)
            add_end(i)
            position = i
        while position < end and text[position] == " ":
            position += 1
    if position == start:
        add_start(start)
        add_end(start)
