"""The diff view: a Line API widget showing a :class:`reader.diffing.DiffResult`.

Two modes, switched with :attr:`DiffView.mode`:

* ``side-by-side``: A on the left, B on the right, one paragraph pair per row, so
  unchanged paragraphs line up; changed words are highlighted inside the lines.
* ``unified``: one column; a changed paragraph shows B's text with A's removed words
  inline just before the words that replaced them.

Unchanged runs fold into "… 14 unchanged paragraphs …" rows (enter or a click expands
them). ``n``/``N`` jump between changes (a change is a run of changed rows).

Work is split so that huge diffs stay fast: a :class:`DiffDocument` (no Textual
state, built in a worker thread) holds every paragraph as safe display text with its
highlight spans; the widget wraps it once per width and mode into character ranges
(:func:`reader.tui.textlayout.wrap_lines`), and ``render_line`` builds only the strips
that come into view, through an LRU cache. Colours are component classes styled in
``styles/diff.tcss`` (and ``styles/highlights.tcss`` for entities).
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import ClassVar, Literal

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.tui.widgets.scrolling import KeyboardScrolling
from reader.diffing import (
    DiffResult,
    Fold,
    Mark,
    Row,
    StyledSegment,
    aligned_rows,
    fold_rows,
    side_segments,
    unified_segments,
)
from reader.text.terminal_safety import REMOVED_CHARACTERS, strip_terminal_controls
from reader.tui.textlayout import WrappedLines, wrap_lines

Mode = Literal["side-by-side", "unified"]

# Characters strip_terminal_controls may remove or that we replace (escape sequences start with one):
# most paragraphs have none, and a search is much cheaper than the full strip.
_MAY_NEED_STRIPPING = re.compile(f"[\t{REMOVED_CHARACTERS}]")
Classes = tuple[str, ...]

ENTITY_TYPES = ("person", "org", "place", "other")
ROW_CLASSES: dict[str, Classes] = {
    "equal": (),
    "insert": ("diff-view--insert",),
    "delete": ("diff-view--delete",),
    "replace": ("diff-view--replace",),
    "moved-here": ("diff-view--move",),
    "moved-away": ("diff-view--move",),
}
MARKERS = {"equal": "  ", "insert": "+ ", "delete": "- ", "replace": "~ ", "moved-here": "» ", "moved-away": "« "}
GUTTER = 2
SEPARATOR = " │ "
FOLD_CONTEXT = 1  # unchanged paragraphs kept next to a change
FOLD_MIN = 3  # shorter unchanged runs are not folded


def tag_class(tag: str) -> str:
    """The component class of a segment tag from the engine."""
    if tag == "insert":
        return "diff-view--word-insert"
    if tag == "delete":
        return "diff-view--word-delete"
    if tag.startswith("entity-"):
        kind = tag[len("entity-") :]
        return f"article--entity-{kind if kind in ENTITY_TYPES else 'other'}"
    return "diff-view--" + tag


@dataclass(frozen=True)
class Cell:
    """One paragraph as shown: safe text and (start, end, classes) runs over it."""

    text: str
    runs: tuple[tuple[int, int, Classes], ...]
    base: Classes


def make_cell(segments: Sequence[StyledSegment], base: Classes, note: str | None = None) -> Cell:
    """Join engine segments into safe display text (controls stripped piece by piece)."""
    parts: list[str] = []
    runs: list[tuple[int, int, Classes]] = []
    position = 0
    if note:
        parts.append(note + "\n")
        runs.append((0, len(note), ("diff-view--move-note",)))
        position = len(note) + 1
    for piece, tags in segments:
        if _MAY_NEED_STRIPPING.search(piece):
            piece = strip_terminal_controls(piece).replace("\t", " ").replace("\r", "")
        if not piece:
            continue
        if tags:
            runs.append((position, position + len(piece), tuple(sorted(tag_class(t) for t in tags))))
        parts.append(piece)
        position += len(piece)
    return Cell("".join(parts), tuple(runs), base)


class DiffDocument:
    """A diff ready to show: rows in reading order and a display cell per paragraph.

    Plain Python (no widget state), so it can be built in a worker thread; cells are
    made on first use and kept.
    """

    def __init__(self, result: DiffResult, entity_a: Sequence[Mark] = (), entity_b: Sequence[Mark] = ()) -> None:
        self.result = result
        self.entity_a = tuple(entity_a)
        self.entity_b = tuple(entity_b)
        self.rows: list[Row] = aligned_rows(result)
        self.hunks: list[tuple[int, int]] = _hunks(self.rows)  # (first row, end row) of each change
        self._cells: dict[tuple[int, str], Cell | None] = {}

    def folded_rows(self) -> list[int]:
        """Indexes of the rows shown when every unchanged run is folded."""
        shown: list[int] = []
        position = 0
        for item in fold_rows(self.rows, context=FOLD_CONTEXT, min_fold=FOLD_MIN):
            if isinstance(item, Fold):
                position = item.end
            else:
                shown.append(position)
                position += 1
        return shown

    def prepare(self, mode: Mode | None = None) -> DiffDocument:
        """Build the cells first shown in a mode (both if None): call it off the UI thread.

        Folded rows get their cells when they are unfolded.
        """
        for index in self.folded_rows():
            if mode != "unified":
                self.side_cell(index, "a")
                self.side_cell(index, "b")
            if mode != "side-by-side":
                self.unified_cell(index)
        return self

    def side_cell(self, index: int, side: Literal["a", "b"]) -> Cell | None:
        key = (index, side)
        if key not in self._cells:
            row = self.rows[index]
            shown = row.a if side == "a" else row.b
            hidden = (row.kind == "moved-here" and side == "a") or (row.kind == "moved-away" and side == "b")
            if shown is None or hidden:
                self._cells[key] = None
            else:
                marks = self.entity_a if side == "a" else self.entity_b
                self._cells[key] = make_cell(side_segments(self.result, row, side, marks), ROW_CLASSES[row.kind], _note(row))
        return self._cells[key]

    def unified_cell(self, index: int) -> Cell:
        key = (index, "u")
        cell = self._cells.get(key)
        if cell is None:
            row = self.rows[index]
            if row.kind == "replace" or (row.kind == "moved-here" and self.result.ops[row.op].words):
                segments = unified_segments(self.result, row, self.entity_a, self.entity_b)
            elif row.kind in ("delete", "moved-away"):
                segments = side_segments(self.result, row, "a", self.entity_a)
            else:
                segments = side_segments(self.result, row, "b", self.entity_b)
            cell = self._cells[key] = make_cell(segments, ROW_CLASSES[row.kind], _note(row))
        return cell


def _note(row: Row) -> str | None:
    if row.kind == "moved-away":
        assert row.b is not None
        return f"⇣ moved to ¶{row.b + 1} of B"
    if row.kind == "moved-here":
        assert row.a is not None
        return f"⇡ moved from ¶{row.a + 1} of A"
    return None


def _hunks(rows: Sequence[Row]) -> list[tuple[int, int]]:
    hunks = []
    k = 0
    while k < len(rows):
        if rows[k].kind == "equal":
            k += 1
            continue
        end = k
        while end < len(rows) and rows[end].kind != "equal":
            end += 1
        hunks.append((k, end))
        k = end
    return hunks


@dataclass
class _Layout:
    """Visual lines of the shown items at one width and mode."""

    items: list[Row | Fold]
    item_rows: list[int]  # item index -> row index (a fold: its first row)
    row_items: list[int]  # row index -> item index (folded rows -> their fold)
    first_line: array  # first visual line of each item
    wraps: list[tuple[WrappedLines | None, WrappedLines | None]]
    cells: list[tuple[Cell | None, Cell | None]]
    height: int
    text_widths: tuple[int, int]

    def item_at(self, line: int) -> int:
        return bisect_right(self.first_line, line) - 1


class DiffView(KeyboardScrolling, ScrollView, can_focus=True):
    """Shows a diff side by side or unified, folded, with a current change."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next_change", "Next change", id="diff.next-change"),
        Binding("N", "previous_change", "Previous change", id="diff.previous-change"),
        Binding("enter", "expand", "Expand", id="diff.expand"),
        Binding("z", "toggle_folds", "Fold/unfold all", id="diff.toggle-folds"),
        Binding("j,down", "line_down", "Down", id="diff.down", show=False),
        Binding("k,up", "line_up", "Up", id="diff.up", show=False),
        Binding("pagedown,space", "page_down", "Page down", id="diff.page-down", show=False),
        Binding("pageup,b", "page_up", "Page up", id="diff.page-up", show=False),
        Binding("g,home", "top", "Top", id="diff.top", show=False),
        Binding("G,end", "bottom", "Bottom", id="diff.bottom", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "diff-view--insert",
        "diff-view--delete",
        "diff-view--replace",
        "diff-view--move",
        "diff-view--move-note",
        "diff-view--word-insert",
        "diff-view--word-delete",
        "diff-view--gutter",
        "diff-view--current",
        "diff-view--fold",
        "diff-view--separator",
        "diff-view--empty",
        *(f"article--entity-{kind}" for kind in ENTITY_TYPES),
    }

    DEFAULT_CSS = """
    DiffView {
        scrollbar-gutter: stable;
        overflow-x: hidden;
        overflow-y: auto;
    }
    """

    mode: reactive[Mode] = reactive("side-by-side")
    current_change: reactive[int | None] = reactive(None)
    """Index into the document's hunks of the change last jumped to."""

    class ChangeSelected(Message):
        """``n``/``N`` moved to a change: its index (0-based) and how many there are."""

        def __init__(self, view: DiffView, index: int | None, count: int) -> None:
            super().__init__()
            self.view = view
            self.index = index
            self.count = count

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.document: DiffDocument | None = None
        self.expanded: set[int] = set()  # first row of each fold the reader opened
        self.unfolded = False  # every fold open (z)
        self._layouts: dict[tuple[int, Mode], _Layout] = {}
        self._shown: _Layout | None = None  # the layout on screen (scroll positions refer to it)
        self._strips: LRUCache[int, Strip] = LRUCache(1024)
        self._styles: dict[Classes, Style] = {}

    # -- data --------------------------------------------------------------------------------

    def show_document(self, document: DiffDocument) -> None:
        self.document = document
        self._shown = None
        self.expanded = set()
        self.unfolded = False
        self.current_change = None
        self._relayout(keep_top=False)

    @property
    def items(self) -> list[Row | Fold]:
        return self._layout().items if self.document is not None else []

    @property
    def folds(self) -> list[Fold]:
        return [item for item in self.items if isinstance(item, Fold)]

    @property
    def change_count(self) -> int:
        return len(self.document.hunks) if self.document else 0

    def _shown_items(self) -> list[Row | Fold]:
        assert self.document is not None
        rows = self.document.rows
        if self.unfolded:
            return list(rows)
        items: list[Row | Fold] = []
        for item in fold_rows(rows, context=FOLD_CONTEXT, min_fold=FOLD_MIN):
            if isinstance(item, Fold) and item.start in self.expanded:
                items.extend(rows[item.start : item.end])
            else:
                items.append(item)
        return items

    # -- layout ------------------------------------------------------------------------------

    def _width(self) -> int:
        return max(1, self.scrollable_content_region.width)

    def _layout(self) -> _Layout:
        key = (self._width(), self.mode)
        layout = self._layouts.get(key)
        if layout is None:
            if len(self._layouts) > 4:
                self._layouts.clear()
            layout = self._layouts[key] = self._build_layout(*key)
        return layout

    def _build_layout(self, width: int, mode: Mode) -> _Layout:
        document = self.document
        items = self._shown_items() if document is not None else []
        if mode == "side-by-side":
            left = max(1, (width - len(SEPARATOR)) // 2)
            right = max(1, width - len(SEPARATOR) - left)
            text_widths = (max(1, left - GUTTER), max(1, right - GUTTER))
        else:
            text_widths = (max(1, width - GUTTER), 0)
        first_line = array("q")
        wraps: list[tuple[WrappedLines | None, WrappedLines | None]] = []
        cells: list[tuple[Cell | None, Cell | None]] = []
        row_items = [0] * (len(document.rows) if document else 0)
        item_rows: list[int] = []
        line = 0
        row_index = 0  # items are the rows in order, some runs replaced by their fold
        for index, item in enumerate(items):
            first_line.append(line)
            if isinstance(item, Fold):
                item_rows.append(item.start)
                for r in range(item.start, item.end):
                    row_items[r] = index
                row_index = item.end
                wraps.append((None, None))
                cells.append((None, None))
                line += 2
                continue
            assert document is not None and document.rows[row_index] is item
            item_rows.append(row_index)
            row_items[row_index] = index
            if mode == "side-by-side":
                pair = (document.side_cell(row_index, "a"), document.side_cell(row_index, "b"))
                wrapped = (
                    wrap_lines(pair[0].text, text_widths[0]) if pair[0] else None,
                    wrap_lines(pair[1].text, text_widths[1]) if pair[1] else None,
                )
            else:
                pair = (document.unified_cell(row_index), None)
                wrapped = (wrap_lines(pair[0].text, text_widths[0]), None)
            row_index += 1
            cells.append(pair)
            wraps.append(wrapped)
            line += max(len(wrapped[0] or ()), len(wrapped[1] or ()), 1) + 1
        return _Layout(items, item_rows, row_items, first_line, wraps, cells, line, text_widths)

    def _relayout(self, *, keep_top: bool = True, items_changed: bool = True) -> None:
        """Lay out again (items, mode or width changed), keeping the first shown row at the top."""
        top_row = self._top_row() if keep_top else None
        if items_changed:
            self._layouts.clear()
        self._strips.clear()
        if not self.is_mounted or self.document is None:
            return
        layout = self._shown = self._layout()
        self.virtual_size = Size(self._width(), layout.height)
        if top_row is not None:
            self.scroll_to(y=layout.first_line[layout.row_items[top_row]], animate=False, immediate=True)
        elif not keep_top:
            self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()

    def _top_row(self) -> int | None:
        """The row at the top of the view, in the layout that is on screen."""
        layout = self._shown
        if layout is None or not layout.items:
            return None
        return layout.item_rows[layout.item_at(int(self.scroll_offset.y))]

    def watch_mode(self) -> None:
        self._relayout(items_changed=False)

    def watch_current_change(self) -> None:
        self._strips.clear()
        self.refresh()

    def on_resize(self) -> None:
        self._relayout(items_changed=False)

    def on_mount(self) -> None:
        if self.document is not None:
            self._relayout(keep_top=False)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._strips.clear()

    # -- drawing -----------------------------------------------------------------------------

    def _style(self, classes: Classes) -> Style:
        style = self._styles.get(classes)
        if style is None:
            style = self.rich_style
            for name in classes:
                style = style + self.get_component_rich_style(name, partial=True)
            self._styles[classes] = style
        return style

    def render_line(self, y: int) -> Strip:
        width = self._width()
        index = int(self.scroll_offset.y) + y
        if self.document is None or index >= self._layout().height:
            return Strip.blank(width, self.rich_style)
        strip = self._strips.get(index)
        if strip is None:
            strip = self._strips[index] = self._build_line(index, width)
        return strip

    def _build_line(self, line: int, width: int) -> Strip:
        layout = self._layout()
        k = layout.item_at(line)
        sub = line - layout.first_line[k]
        item = layout.items[k]
        if isinstance(item, Fold):
            if sub > 0:
                return Strip.blank(width, self.rich_style)
            label = f"… {item.count} unchanged paragraph{'s' if item.count != 1 else ''} … (enter to expand)"
            pad = max(0, (width - len(label)) // 2)
            return Strip([Segment(" " * pad, self.rich_style), Segment(label, self._style(("diff-view--fold",)))]).adjust_cell_length(
                width, self.rich_style
            )
        current = self._is_current(layout.item_rows[k])
        left_wrap, right_wrap = layout.wraps[k]
        left_cell, right_cell = layout.cells[k]
        height = max(len(left_wrap or ()), len(right_wrap or ()), 1)
        if sub >= height:
            return Strip.blank(width, self.rich_style)
        if self.mode == "side-by-side":
            left = self._cell_line(left_cell, left_wrap, sub, layout.text_widths[0], item, current)
            right = self._cell_line(right_cell, right_wrap, sub, layout.text_widths[1], item, current)
            separator = Strip([Segment(SEPARATOR, self._style(("diff-view--separator",)))])
            return Strip.join([left, separator, right]).adjust_cell_length(width, self.rich_style)
        return self._cell_line(left_cell, left_wrap, sub, layout.text_widths[0], item, current).adjust_cell_length(
            width, self.rich_style
        )

    def _is_current(self, row_index: int) -> bool:
        if self.current_change is None or self.document is None:
            return False
        first, end = self.document.hunks[self.current_change]
        return first <= row_index < end

    def _cell_line(
        self, cell: Cell | None, wrapped: WrappedLines | None, sub: int, text_width: int, row: Row, current: bool
    ) -> Strip:
        total = GUTTER + text_width
        if cell is None or wrapped is None:
            return Strip([Segment(" " * total, self._style(("diff-view--empty",)))])
        gutter_classes = ("diff-view--gutter", *cell.base, *(("diff-view--current",) if current else ()))
        marker = MARKERS[row.kind] if sub == 0 else "  "
        if sub >= len(wrapped):
            return Strip([Segment(marker, self._style(gutter_classes)), Segment(" " * text_width, self._style(cell.base))])
        start, end = wrapped.starts[sub], wrapped.ends[sub]
        segments = [Segment(marker, self._style(gutter_classes))]
        text = cell.text
        runs = [r for r in cell.runs if r[0] < end and r[1] > start]
        if not runs:
            segments.append(Segment(text[start:end], self._style(cell.base)))
        else:
            cuts = sorted({start, end, *(max(a, start) for a, _, _ in runs), *(min(b, end) for _, b, _ in runs)})
            for a, b in pairwise(cuts):
                classes = cell.base + tuple(c for s, e, names in runs if s <= a and e >= b for c in names)
                segments.append(Segment(text[a:b], self._style(classes)))
        return Strip(segments).adjust_cell_length(total, self._style(cell.base))

    # -- folds -------------------------------------------------------------------------------

    def expand_fold(self, fold: Fold) -> None:
        self.expanded.add(fold.start)
        self._relayout()

    def action_expand(self) -> None:
        """Open the first fold in view (the reader's eye is on the screen, not on a cursor)."""
        if self.document is None:
            return
        layout = self._layout()
        top = int(self.scroll_offset.y)
        bottom = top + self.scrollable_content_region.height
        for k in range(layout.item_at(top), len(layout.items)):
            if layout.first_line[k] >= bottom:
                break
            item = layout.items[k]
            if isinstance(item, Fold) and layout.first_line[k] >= top:
                self.expand_fold(item)
                return
        self.app.bell()

    def action_toggle_folds(self) -> None:
        """Fold every unchanged run again if any is open, else open them all."""
        opened = self.unfolded or bool(self.expanded)
        self.unfolded = not opened
        self.expanded.clear()
        self._relayout()

    def on_click(self, event: events.Click) -> None:
        if self.document is None:
            return
        layout = self._layout()
        line = int(self.scroll_offset.y) + event.y
        if 0 <= line < layout.height:
            item = layout.items[layout.item_at(line)]
            if isinstance(item, Fold):
                self.expand_fold(item)

    # -- changes -----------------------------------------------------------------------------

    def action_next_change(self) -> None:
        self._jump(+1)

    def action_previous_change(self) -> None:
        self._jump(-1)

    def _jump(self, step: int) -> None:
        if self.document is None or not self.document.hunks:
            self.app.bell()
            return
        count = len(self.document.hunks)
        if self.current_change is None:
            index = self._first_change_in_view() if step > 0 else self._last_change_above_view()
        else:
            index = (self.current_change + step) % count
        self.current_change = index
        self.scroll_to_change(index)
        self.post_message(self.ChangeSelected(self, index, count))

    def _change_line(self, index: int) -> int:
        assert self.document is not None
        layout = self._layout()
        return layout.first_line[layout.row_items[self.document.hunks[index][0]]]

    def _first_change_in_view(self) -> int:
        top = int(self.scroll_offset.y)
        for index in range(self.change_count):
            if self._change_line(index) >= top:
                return index
        return 0

    def _last_change_above_view(self) -> int:
        top = int(self.scroll_offset.y)
        for index in reversed(range(self.change_count)):
            if self._change_line(index) < top:
                return index
        return self.change_count - 1

    def scroll_to_change(self, index: int) -> None:
        self.scroll_to(y=max(0, self._change_line(index) - 1), animate=False, immediate=True)

    # -- for tests and the screen ------------------------------------------------------------

    def all_text(self) -> list[str]:
        """The plain text of every line of the current layout (for tests and copying)."""
        if self.document is None:
            return []
        width = self._width()
        return [self._build_line(line, width).text for line in range(self._layout().height)]

    def visible_text(self) -> list[str]:
        """The plain text of the lines in view (what a reader sees, without colours)."""
        top = int(self.scroll_offset.y)
        height = self.scrollable_content_region.height
        return [self.render_line(y).text for y in range(height) if top + y < self._layout().height]
