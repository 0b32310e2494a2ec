"""The article pane: a Line API view that wraps once per width and draws only visible lines.

The shown document is ``title \\n meta \\n\\n body`` as one safe string (see
:mod:`reader.tui.textlayout`). Highlights are *layers* of ``(start, end, component
class)`` spans over that string, applied when a line is drawn: entities, annotations,
search matches, the focused mention and a selection. Strips are cached per line and
dropped when the layout, a layer or the theme changes, so paging a 100,000-word
article only draws the 40-odd lines that come into view.

Annotations: :meth:`ArticleView.set_layer` takes spans in clean-text offsets (what the
store keeps), :meth:`ArticleView.offset_at` turns a screen position into a clean-text
offset, and ``selection`` (clean-text offsets, end exclusive) is drawn with
``article--selection``.

Selection mode (like vim's visual mode): ``v`` puts a cursor on the first line in view
and the motions of :class:`ArticlePane` (h/j/k/l, w/b/e, 0/$, arrows, page keys) move it,
selecting from where it started to the character under it, both included; a mouse drag
does the same. The cursor and its anchor are offsets into the *shown* document, moved by
:class:`reader.tui.motions.Motions` over the wrapped lines; ``selection`` maps them back
to the clean text character for character, so tabs, wide characters and stripped control
characters never shift a highlight. ``a`` posts :class:`ArticleView.HighlightRequested`
for the screen to store.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len, get_character_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.annotations.model import HIGHLIGHT_COLORS
from reader.model import Article
from reader.tui.motions import Motions
from reader.text.terminal_safety import safe_line
from reader.tui.store_access import EntitySpan
from reader.tui.widgets.scrolling import KeyboardScrolling
from reader.tui.widgets.styling import combined_style
from reader.tui.textlayout import IDENTITY, OffsetMap, WrappedLines, display_text, wrap_lines

Span = tuple[int, int, str]  # start, end, component class

# Layers from bottom to top: a later layer's style wins where spans overlap.
LAYERS = ("frame", "entities", "annotations", "matches", "focus", "selection", "cursor")
ENTITY_CLASSES = {
    "PERSON": "article--entity-person",
    "ORG": "article--entity-org",
    "PLACE": "article--entity-place",
    "OTHER": "article--entity-other",
}
# Actions of the pane that selection mode takes over (their keys move the cursor then).
SCROLL_ACTIONS = frozenset({"line_down", "line_up", "page_down", "page_up", "top", "bottom", "clear_matches", "start_selection"})
EMPTY_HINT = "No article open.\n\nMove in the list on the left with j/k or the arrows and press enter to open a story."


@dataclass(frozen=True)
class _Layer:
    spans: tuple[Span, ...]
    starts: tuple[int, ...]
    longest: int

    @classmethod
    def of(cls, spans: Iterable[Span]) -> "_Layer":
        ordered = tuple(sorted((s for s in spans if s[1] > s[0]), key=lambda s: (s[0], s[1])))
        return cls(ordered, tuple(s[0] for s in ordered), max((s[1] - s[0] for s in ordered), default=0))

    def overlapping(self, start: int, end: int) -> Iterable[Span]:
        i = bisect_left(self.starts, start - self.longest)
        spans = self.spans
        while i < len(spans) and spans[i][0] < end:
            if spans[i][1] > start:
                yield spans[i]
            i += 1


class ArticleView(KeyboardScrolling, ScrollView, can_focus=True):
    """Shows one article; scrolls by line and page; finds text; highlights spans; selects."""

    ALLOW_SELECT = False  # the pane selects spans itself (offsets into the clean text)

    BINDINGS = [
        Binding("j,down", "line_down", "Down", id="article.down", show=False),
        Binding("k,up", "line_up", "Up", id="article.up", show=False),
        Binding("pagedown,space", "page_down", "Page down", id="article.page-down", show=False),
        Binding("pageup,b", "page_up", "Page up", id="article.page-up", show=False),
        Binding("g,home", "top", "Top", id="article.top", show=False),
        Binding("G,end", "bottom", "Bottom", id="article.bottom", show=False),
        Binding("n", "next_match", "Next match", id="article.next-match", show=False),
        Binding("N", "previous_match", "Previous match", id="article.previous-match", show=False),
        Binding("escape", "clear_matches", "Clear matches", id="article.clear-matches", show=False),
        Binding("v", "start_selection", "Select", id="article.select",
                tooltip="select a span with the motion keys (or drag with the mouse), then a highlights it"),
    ]

    COMPONENT_CLASSES = {
        "article--title",
        "article--meta",
        "article--hint",
        *ENTITY_CLASSES.values(),
        "article--mention-current",
        "article--match",
        "article--match-current",
        "article--selection",
        "article--cursor",
        "article--annotation",
        "article--annotation-other",
        *(f"article--annotation-{color}" for color in HIGHLIGHT_COLORS),
    }

    DEFAULT_CSS = """
    ArticleView {
        scrollbar-gutter: stable;
        overflow-x: hidden;
        overflow-y: auto;
        padding: 0 1;
    }
    """

    raw: reactive[bool] = reactive(False)
    highlight_entities: reactive[bool] = reactive(True)
    selection: reactive[tuple[int, int] | None] = reactive(None)
    selecting: reactive[bool] = reactive(False, bindings=True)  # selection mode is on

    class Matches(Message):
        """The in-article search changed: how many matches, which one is current (0-based)."""

        def __init__(self, view: "ArticleView", query: str, count: int, current: int | None) -> None:
            super().__init__()
            self.view = view
            self.query = query
            self.count = count
            self.current = current

    class HighlightRequested(Message):
        """``a`` in selection mode: highlight ``start:end`` of the article's clean text."""

        def __init__(self, view: "ArticleView", article_id: int, start: int, end: int) -> None:
            super().__init__()
            self.view = view
            self.article_id = article_id
            self.start = start
            self.end = end

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.article: Article | None = None
        self._entity_spans: tuple[EntitySpan, ...] = ()
        self._clean_layers: dict[str, list[Span]] = {}  # layers given in clean-text offsets
        self._doc = EMPTY_HINT
        self._body_start = 0
        self._map: OffsetMap = IDENTITY
        self._frame: list[Span] = [(0, len(EMPTY_HINT), "article--hint")]
        self._layers: dict[str, _Layer] = {}
        self._wraps: dict[int, WrappedLines] = {}
        self._cached_width: int | None = None
        self._strips: LRUCache[int, Strip] = LRUCache(1024)
        self._styles: dict[tuple[str, ...], Style] = {}
        self._query = ""
        self._matches: list[tuple[int, int]] = []
        self._match_index: int | None = None
        self._anchor: int | None = None  # selection mode: where the selection started (shown offset)
        self._cursor: int | None = None  # and the character under the cursor (shown offset)
        self._want_column: int | None = None  # the column j/k keep, in cells
        self._drag_from: int | None = None  # a mouse press in the body (shown offset)
        self._dragged = False
        self._rebuild_layers()

    # -- document --------------------------------------------------------------------------

    def show_article(self, article: Article | None, entity_spans: Sequence[EntitySpan] = ()) -> None:
        """Show an article (with its text loaded) and its entity mentions; None shows the hint."""
        self.article = article
        self._entity_spans = tuple(entity_spans)
        self._clean_layers = {}
        self._end_selection()
        self._query_reset()
        self._build_document()
        self.scroll_to(y=0, animate=False, immediate=True)

    def update_flags(self, article: Article) -> None:
        """The open article was starred or unstarred (or read): redraw its meta line in place."""
        if self.article is None or self.article.id != article.id or self.article.starred == article.starred:
            return
        from dataclasses import replace

        self.article = replace(self.article, starred=article.starred, read=article.read)
        old_body_start, top = self._body_start, self._top_offset()
        self._build_document()
        shift = self._body_start - old_body_start
        if self._anchor is not None and self._cursor is not None:
            self._anchor += shift
            self._cursor += shift
            self._update_selection_layers()
        self._scroll_to_document_offset(max(0, top + shift) if top >= old_body_start else top, center=False)

    def set_layer(self, name: str, spans: Iterable[Span]) -> None:
        """Set a highlight layer from spans in *clean-text* offsets (hidden in raw mode)."""
        if name not in LAYERS or name in ("frame", "matches"):
            raise ValueError(f"unknown or reserved layer {name!r}")
        self._clean_layers[name] = list(spans)
        self._rebuild_layers()

    def clear_layer(self, name: str) -> None:
        self._clean_layers.pop(name, None)
        self._rebuild_layers()

    @property
    def text(self) -> str:
        """The whole shown document (title, meta line, body), as drawn."""
        return self._doc

    @property
    def line_count(self) -> int:
        return len(self._wrapped())

    def _body_source(self) -> str:
        if self.article is None:
            return ""
        return (self.article.raw_text if self.raw else self.article.text) or ""

    def _build_document(self) -> None:
        article = self.article
        if article is None:
            self._doc = EMPTY_HINT
            self._frame = [(0, len(EMPTY_HINT), "article--hint")]
            self._body_start = len(EMPTY_HINT)
            self._map = IDENTITY
        else:
            title = safe_line(article.title) or "(untitled)"
            meta_parts = [article.source, (article.date or "")[:10], article.lang, article.url]
            meta = " · ".join(safe_line(p) for p in meta_parts if p)
            if article.starred:
                meta = "★ starred" + (" · " + meta if meta else "")
            if self.raw:
                meta = (meta + " · " if meta else "") + "raw text"
            body, self._map = display_text(self._body_source())
            head = f"{title}\n{meta}\n\n"
            self._doc = head + body
            self._body_start = len(head)
            self._frame = [(0, len(title), "article--title"), (len(title) + 1, len(title) + 1 + len(meta), "article--meta")]
        self._wraps.clear()
        self._rebuild_layers()

    def to_document(self, clean_offset: int) -> int:
        return self._body_start + self._map.to_display(clean_offset)

    def _rebuild_layers(self) -> None:
        layers: dict[str, _Layer] = {"frame": _Layer.of(self._frame)}
        if self.article is not None and not self.raw:
            if self.highlight_entities and self._entity_spans:
                layers["entities"] = _Layer.of(
                    (self.to_document(s.start), self.to_document(s.end), ENTITY_CLASSES.get(s.type, "article--entity-other"))
                    for s in self._entity_spans
                )
            for name, spans in self._clean_layers.items():
                layers[name] = _Layer.of((self.to_document(a), self.to_document(b), cls) for a, b, cls in spans)
            layers.update(self._selection_layers())
        if self._matches:
            current = self._match_index
            layers["matches"] = _Layer.of(
                (a, b, "article--match-current" if i == current else "article--match") for i, (a, b) in enumerate(self._matches)
            )
        self._layers = {name: layers[name] for name in LAYERS if name in layers}
        self._strips.clear()
        self._update_virtual_size()
        self.refresh()

    def _selection_layers(self) -> dict[str, _Layer]:
        layers: dict[str, _Layer] = {}
        if self.article is None or self.raw:
            return layers
        if self._anchor is not None and self._cursor is not None:  # exactly the characters selected
            first, last = self._selected_range()
            layers["selection"] = _Layer.of([(first, last + 1, "article--selection")])
        elif self.selection is not None:
            a, b = self.selection
            layers["selection"] = _Layer.of([(self.to_document(min(a, b)), self.to_document(max(a, b)), "article--selection")])
        if self._cursor is not None:
            layers["cursor"] = _Layer.of([(self._cursor, self._cursor + 1, "article--cursor")])
        return layers

    def _update_selection_layers(self) -> None:
        """Redraw the selection and cursor only (cheap: the other layers stay as they are)."""
        layers = {name: layer for name, layer in self._layers.items() if name not in ("selection", "cursor")}
        layers.update(self._selection_layers())
        self._layers = {name: layers[name] for name in LAYERS if name in layers}
        self._strips.clear()
        self.refresh()

    def watch_raw(self) -> None:
        self._end_selection()
        top = self._top_offset()
        self._query_reset()
        self._build_document()
        self._scroll_to_document_offset(min(top, len(self._doc)), center=False)

    def watch_highlight_entities(self) -> None:
        self._rebuild_layers()

    def watch_selection(self) -> None:
        self._update_selection_layers()

    # -- layout ----------------------------------------------------------------------------

    def _width(self) -> int:
        """The wrap width; measured once per size (the scrollbar gutter is stable)."""
        if self._cached_width is None:
            self._cached_width = max(1, self.scrollable_content_region.width)
        return self._cached_width

    def _wrapped(self) -> WrappedLines:
        width = self._width()
        lines = self._wraps.get(width)
        if lines is None:
            if len(self._wraps) > 3:
                self._wraps.clear()
            lines = self._wraps[width] = wrap_lines(self._doc, width)
        return lines

    def _update_virtual_size(self) -> None:
        if not self.is_mounted:
            return
        self.virtual_size = Size(self._width(), len(self._wrapped()))

    def on_resize(self) -> None:
        top = self._top_offset()  # where the reader is, in the old layout
        self._cached_width = None
        self._strips.clear()
        self._update_virtual_size()
        self._scroll_to_document_offset(top, center=False)

    def on_mount(self) -> None:
        self._update_virtual_size()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._strips.clear()

    def _top_offset(self) -> int:
        lines = self._wrapped() if self.is_mounted else None
        if not lines:
            return 0
        index = min(int(self.scroll_offset.y), len(lines) - 1)
        return lines.starts[index]

    def _scroll_to_document_offset(self, offset: int, *, center: bool = True) -> None:
        if not self.is_mounted:
            return
        line = self._wrapped().line_of(offset)
        height = self.scrollable_content_region.height
        y = line - (height // 3 if center else 0)
        self.scroll_to(y=max(0, y), animate=False, immediate=True)

    def scroll_to_offset(self, clean_offset: int) -> None:
        """Bring a clean-text offset into view (a third of the way down)."""
        self._scroll_to_document_offset(self.to_document(clean_offset))

    def visible_lines(self) -> range:
        top = int(self.scroll_offset.y)
        return range(top, min(top + self.scrollable_content_region.height, self.line_count))

    def line_text(self, index: int) -> str:
        lines = self._wrapped()
        return self._doc[lines.starts[index] : lines.ends[index]]

    def offset_at(self, x: int, y: int) -> int | None:
        """The clean-text offset under a point of the widget (None outside the body)."""
        position = self._document_offset_at(x, y)
        if position is None or position < self._body_start:
            return None
        return self._map_to_clean(position - self._body_start)

    def _document_offset_at(self, x: int, y: int) -> int | None:
        """The offset of the shown document under a point of the widget (None below the text)."""
        lines = self._wrapped()
        index = int(self.scroll_offset.y) + y
        if not 0 <= index < len(lines):
            return None
        start, end = lines.starts[index], lines.ends[index]
        column = max(0, x - self.styles.gutter.left)
        position, cells = start, 0
        while position < end and cells + get_character_cell_size(self._doc[position]) <= column:
            cells += get_character_cell_size(self._doc[position])
            position += 1
        return position

    def to_clean(self, document_offset: int) -> int:
        """The clean-text offset of a character of the shown body (the inverse of to_document)."""
        return self._map_to_clean(document_offset - self._body_start)

    def _map_to_clean(self, display_offset: int) -> int:
        m = self._map
        offset = display_offset
        for start, end, before in zip(m.removed_starts, m.removed_ends, m.removed_before):
            if start - (before - (end - start)) <= display_offset:
                offset = display_offset + before
            else:
                break
        return offset

    # -- selection mode --------------------------------------------------------------------

    def _motions(self) -> Motions:
        return Motions(self._doc, self._wrapped(), self._body_start)

    def can_select(self) -> bool:
        return self.article is not None and not self.raw and self._body_start < len(self._doc)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in SCROLL_ACTIONS and self.selecting:
            return False  # the key moves the cursor instead (ArticlePane's bindings)
        return True

    def action_start_selection(self) -> None:
        if self.article is None:
            return
        if self.raw:
            self.notify("Highlights are made on the clean text: press r to leave the raw text first.", timeout=4)
            return
        self.start_selection()

    def start_selection(self, at: int | None = None) -> bool:
        """Enter selection mode with the cursor at a shown offset (default: the top line in view)."""
        if not self.can_select():
            return False
        motions = self._motions()
        if at is None:
            top = self._top_offset() if self.is_mounted else motions.lo
            at = motions.at_column(self._wrapped().line_of(max(top, motions.lo)), 0)
        position = motions.snap(at)
        self._anchor = self._cursor = position
        self._want_column = None
        self.selecting = True
        self._selection_moved()
        return True

    def move_cursor(self, to: int, *, keep_column: bool = False) -> None:
        """Move the selection's moving end to a shown offset; the view follows it."""
        if not self.selecting or self._cursor is None:
            return
        self._cursor = self._motions().snap(to)
        if not keep_column:
            self._want_column = None
        self._selection_moved()
        self._keep_in_view(self._cursor)

    def _selection_moved(self) -> None:
        selected = self.selected_span()
        if selected == self.selection:
            self._update_selection_layers()  # the cursor moved within the same span
        else:
            self.selection = selected

    def cancel_selection(self) -> None:
        self._end_selection()

    def _end_selection(self) -> None:
        self._anchor = self._cursor = self._want_column = None
        self._drag_from = None
        self.selecting = False
        if self.selection is None:
            self._update_selection_layers()
        else:
            self.selection = None

    @property
    def cursor(self) -> int | None:
        """The clean-text offset of the character under the cursor (None outside selection mode)."""
        return None if self._cursor is None else self.to_clean(self._cursor)

    def selected_span(self) -> tuple[int, int] | None:
        """The selected span of the clean text, ``(start, end)`` with the end exclusive."""
        if self._anchor is None or self._cursor is None:
            return None
        first, last = self._selected_range()
        return self.to_clean(first), self.to_clean(last) + 1

    def _selected_range(self) -> tuple[int, int]:
        """First and last shown offsets selected, the last with its combining marks."""
        assert self._anchor is not None and self._cursor is not None
        first, last = min(self._anchor, self._cursor), max(self._anchor, self._cursor)
        return first, self._motions().cluster_end(last)

    def selected_text(self) -> str:
        span = self.selected_span()
        if span is None or self.article is None:
            return ""
        return (self.article.text or "")[span[0] : span[1]]

    def _keep_in_view(self, position: int) -> None:
        if not self.is_mounted:
            return
        line = self._wrapped().line_of(position)
        top = int(self.scroll_offset.y)
        height = max(1, self.scrollable_content_region.height)
        if line < top:
            self.scroll_to(y=line, animate=False, immediate=True)
        elif line >= top + height:
            self.scroll_to(y=line - height + 1, animate=False, immediate=True)

    def motion(self, name: str) -> None:
        """Move the cursor by one of the named motions (see :class:`ArticlePane`)."""
        if not self.selecting or self._cursor is None:
            return
        motions, cursor = self._motions(), self._cursor
        if name in ("down", "up", "page_down", "page_up"):
            if self._want_column is None:
                self._want_column = motions.column(cursor)
            step = max(1, self.scrollable_content_region.height - 1) if name.startswith("page") else 1
            delta = step if name in ("down", "page_down") else -step
            if name.startswith("page"):
                self.scroll_to(y=self.scroll_y + delta, animate=False, immediate=True)
            self.move_cursor(motions.vertical(cursor, delta, self._want_column), keep_column=True)
            return
        moves = {
            "left": motions.left,
            "right": motions.right,
            "word_forward": motions.word_forward,
            "word_backward": motions.word_backward,
            "word_end": motions.word_end,
            "line_start": motions.line_start,
            "line_end": motions.line_end,
        }
        if name in moves:
            self.move_cursor(moves[name](cursor))
        elif name == "top":
            self.move_cursor(motions.top())
        elif name == "bottom":
            self.move_cursor(motions.bottom())
        elif name == "other_end" and self._anchor is not None:
            self._anchor, self._cursor = self._cursor, self._anchor
            self._want_column = None
            self._selection_moved()
            self._keep_in_view(self._cursor)

    def request_highlight(self) -> None:
        span = self.selected_span()
        if span is None or self.article is None:
            return
        self.post_message(self.HighlightRequested(self, self.article.id, span[0], span[1]))

    # -- the mouse: press, drag, release selects ---------------------------------------------

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button != 1 or not self.can_select():
            return
        position = self._document_offset_at(event.x, event.y)
        if position is None or position < self._body_start:
            return
        self._drag_from = position
        self._dragged = False
        self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._drag_from is None:
            return
        height = self.scrollable_content_region.height
        y = event.y
        if y < 0 or y >= height:  # dragged past an edge: scroll a line that way
            self.scroll_to(y=self.scroll_y + (1 if y >= height else -1), animate=False, immediate=True)
            y = min(max(y, 0), height - 1)
        position = self._document_offset_at(event.x, y)
        if position is None:
            position = len(self._doc)
        position = max(position, self._body_start)
        if not self._dragged:
            if position == self._drag_from:
                return
            self._dragged = True
            self.start_selection(self._drag_from)
        self.move_cursor(position)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._drag_from is None:
            return
        self.release_mouse()
        if not self._dragged and self.selecting:
            self.cancel_selection()  # a plain click drops a selection
        self._drag_from = None

    def on_click(self, event: events.Click) -> None:
        """A double click selects the word under the pointer."""
        if event.chain != 2 or not self.can_select():
            return
        position = self._document_offset_at(event.x, event.y)
        if position is None or position < self._body_start or position >= len(self._doc):
            return
        word = self._motions().word_at(position)
        if word is not None:
            self.start_selection(word[0])
            self.move_cursor(word[1] - 1)

    # -- drawing ---------------------------------------------------------------------------

    def _style(self, classes: tuple[str, ...]) -> Style:
        style = self._styles.get(classes)
        if style is None:
            style = self._styles[classes] = combined_style(self, classes)
        return style

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_offset.y) + y
        width = self._width()
        lines = self._wrapped()
        if index >= len(lines):
            return Strip.blank(width, self._style(()))
        strip = self._strips.get(index)
        if strip is None:
            strip = self._build_strip(lines.starts[index], lines.ends[index], width)
            self._strips[index] = strip
        return strip

    def _build_strip(self, start: int, end: int, width: int) -> Strip:
        """One visual line: the text slice cut at span edges, each piece with its layers' style.

        Styles are looked up in ``_styles`` (never ``rich_style``, which walks the DOM on
        every call) and the strip is made once, padded to the width.
        """
        doc = self._doc
        base = self._style(())
        runs: list[tuple[int, int, str]] = []
        for layer in self._layers.values():
            runs.extend(layer.overlapping(start, end))
        if not runs:
            segments = [Segment(doc[start:end], base)]
        else:
            cuts = {start, end}
            for a, b, _ in runs:
                cuts.add(max(a, start))
                cuts.add(min(b, end))
            points = sorted(cuts)
            segments = []
            for a, b in zip(points, points[1:]):
                if a < b:
                    classes = tuple(cls for s, e, cls in runs if s <= a and e >= b)
                    segments.append(Segment(doc[a:b], self._style(classes)))
        used = cell_len(doc[start:end])
        if used < width and end < len(doc) and doc[end] in "\n ":
            # The newline (or space dropped at the wrap) after the line, when the selection
            # or the cursor covers it: one cell, so an empty line in a selection shows.
            after = tuple(cls for name in ("selection", "cursor") if name in self._layers
                          for s, e, cls in self._layers[name].overlapping(end, end + 1))
            if after:
                segments.append(Segment(" ", self._style(after)))
                used += 1
        if used < width:
            segments.append(Segment(" " * (width - used), base))
        return Strip(segments, max(width, used))

    # -- find in the article ---------------------------------------------------------------

    def _query_reset(self) -> None:
        self._query = ""
        self._matches = []
        self._match_index = None

    def find(self, query: str) -> int:
        """Highlight every case-insensitive match of ``query``; returns the count."""
        self._query = query
        self._matches = (
            [(m.start(), m.end()) for m in re.finditer(re.escape(query), self._doc, re.IGNORECASE)] if query else []
        )
        self._match_index = None
        self._rebuild_layers()
        self.post_message(self.Matches(self, query, len(self._matches), None))
        return len(self._matches)

    @property
    def match_count(self) -> int:
        return len(self._matches)

    @property
    def current_match(self) -> int | None:
        return self._match_index

    def _go_to_match(self, index: int) -> None:
        self._match_index = index % len(self._matches)
        self._rebuild_layers()
        self._scroll_to_document_offset(self._matches[self._match_index][0])
        self.post_message(self.Matches(self, self._query, len(self._matches), self._match_index))

    def action_next_match(self) -> None:
        if not self._matches:
            return
        if self._match_index is None:  # the first match at or after the top of the view
            top = self._top_offset()
            index = bisect_left([a for a, _ in self._matches], top)
            self._go_to_match(index if index < len(self._matches) else 0)
        else:
            self._go_to_match(self._match_index + 1)

    def action_previous_match(self) -> None:
        if not self._matches:
            return
        if self._match_index is None:
            top = self._top_offset()
            index = bisect_right([a for a, _ in self._matches], top) - 1
            self._go_to_match(index)
        else:
            self._go_to_match(self._match_index - 1)

    def action_clear_matches(self) -> None:
        had = bool(self._matches) or "focus" in self._clean_layers
        self._query_reset()
        self._clean_layers.pop("focus", None)
        self._rebuild_layers()
        if had:
            self.post_message(self.Matches(self, "", 0, None))

    # -- entities --------------------------------------------------------------------------

    def next_mention(self, entity_id: object, name: str = "", *, after: int | None = None) -> int | None:
        """Scroll to the next mention of an entity after ``after`` (clean offset); wraps around."""
        mentions = [s for s in self._entity_spans if (s.entity_id == entity_id and entity_id is not None) or (entity_id is None and s.name == name)]
        if not mentions or self.raw:
            return None
        position = -1 if after is None else after
        chosen = next((s for s in mentions if s.start > position), mentions[0])
        self._clean_layers["focus"] = [(chosen.start, chosen.end, "article--mention-current")]
        self._rebuild_layers()
        self.scroll_to_offset(chosen.start)
        return chosen.start

    @property
    def entity_spans(self) -> tuple[EntitySpan, ...]:
        return self._entity_spans


class ArticlePane(Vertical):
    """The article pane and its find bar; holds the keys of selection mode.

    They sit here, one level above :class:`ArticleView`, so the same keys keep their
    scrolling meaning in the view (and their own ids in the keymap): while the view is in
    selection mode it declines its scroll actions and the key reaches these bindings;
    otherwise these decline and the key goes on to the screen.
    """

    BINDINGS = [
        Binding("a", "highlight", "Highlight", id="select.highlight", tooltip="highlight the selection, then add a note and tags"),
        Binding("escape,v", "cancel", "Cancel", id="select.cancel", tooltip="leave selection mode without highlighting"),
        Binding("o", "motion('other_end')", "Other end", id="select.other-end", show=False, tooltip="move the other end of the selection"),
        Binding("h,left", "motion('left')", "Left", id="select.left", show=False),
        Binding("l,right", "motion('right')", "Right", id="select.right", show=False),
        Binding("j,down", "motion('down')", "Down a line", id="select.down", show=False),
        Binding("k,up", "motion('up')", "Up a line", id="select.up", show=False),
        Binding("w", "motion('word_forward')", "Next word", id="select.word-forward", show=False),
        Binding("b", "motion('word_backward')", "Word back", id="select.word-backward", show=False),
        Binding("e", "motion('word_end')", "End of word", id="select.word-end", show=False),
        Binding("0,home", "motion('line_start')", "Start of line", id="select.line-start", show=False),
        Binding("dollar_sign,end", "motion('line_end')", "End of line", id="select.line-end", show=False),
        Binding("pagedown", "motion('page_down')", "Page down", id="select.page-down", show=False),
        Binding("pageup", "motion('page_up')", "Page up", id="select.page-up", show=False),
        Binding("g", "motion('top')", "Start of the text", id="select.top", show=False),
        Binding("G", "motion('bottom')", "End of the text", id="select.bottom", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield ArticleView(id="article")

    @property
    def view(self) -> ArticleView:
        return self.query_one(ArticleView)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("highlight", "cancel", "motion"):
            view = self.query(ArticleView)
            return bool(view) and view.first().selecting and self.screen.focused is view.first()
        return True

    def action_motion(self, name: str) -> None:
        self.view.motion(name)

    def action_highlight(self) -> None:
        self.view.request_highlight()

    def action_cancel(self) -> None:
        self.view.cancel_selection()
