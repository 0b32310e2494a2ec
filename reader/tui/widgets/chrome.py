"""The header and footer lines: one widget each, drawn as one line of text.

Textual's ``Header`` and ``Footer`` are made of many small widgets (the footer recomposes
one per key whenever focus moves); these two lines cost one render each, which keeps
start-up and pane switches near the empty-app floor.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget

from reader.text.terminal_safety import safe_line
from reader.tui.widgets.styling import layer_style


class TitleBar(Widget):
    """``reader — what the sidebar shows``."""

    COMPONENT_CLASSES = {"titlebar--title", "titlebar--status"}
    DEFAULT_CSS = """
    TitleBar { height: 1; }
    """

    status: reactive[str] = reactive("")

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        text.append(f" {safe_line(self.app.title)} ", style=layer_style(self, "titlebar--title"))
        if self.status:  # may name an entity, which comes from a library: untrusted
            text.append(" " + safe_line(self.status), style=layer_style(self, "titlebar--status"))
        return text


class KeyHints(Widget):
    """The keys that do something here (bindings with ``show=True``), on one line."""

    COMPONENT_CLASSES = {"keyhints--key", "keyhints--description"}
    DEFAULT_CSS = """
    KeyHints { height: 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._spans: list[tuple[int, int, str]] = []  # (start cell, end cell, key) for clicks

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        self.refresh()

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="crop", end="")
        key_style = layer_style(self, "keyhints--key")
        description_style = layer_style(self, "keyhints--description")
        seen: set[tuple[str, str]] = set()
        self._spans = []
        for key, (_node, binding, enabled, _tooltip) in self.screen.active_bindings.items():
            if not binding.show or not enabled:
                continue
            mark = (binding.action, binding.description)
            if mark in seen:
                continue
            seen.add(mark)
            start = text.cell_len
            text.append(f" {self.app.get_key_display(binding)} ", style=key_style)
            text.append(f"{binding.description} ", style=description_style)
            self._spans.append((start, text.cell_len, key))
        palette = self.app.get_key_display(self._palette_binding()) if self.app.ENABLE_COMMAND_PALETTE else ""
        if palette:
            hint = Text(end="")
            hint.append(f" {palette} ", style=key_style)
            hint.append("commands ", style=description_style)
            room = self.size.width - hint.cell_len
            if room > 0:
                self._spans = [s for s in self._spans if s[1] <= room]  # whole hints only
                text.truncate(self._spans[-1][1] if self._spans else 0)
                text.pad_right(room - text.cell_len)
                self._spans.append((room, room + hint.cell_len, "ctrl+p"))
                text.append_text(hint)
        return text

    def _palette_binding(self):
        from textual.binding import Binding

        return Binding(self.app.COMMAND_PALETTE_BINDING, "command_palette")

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
