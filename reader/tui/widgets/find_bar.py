"""The in-article find bar (`/`): matches are highlighted while typing; enter goes to the first."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label


class FindBar(Horizontal):
    BINDINGS = [Binding("escape", "close", "Close", id="find.close")]

    class Changed(Message):
        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class Submitted(Message):
        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class Closed(Message):
        pass

    def compose(self) -> ComposeResult:
        yield Label("/", id="find-prompt")
        yield Input(placeholder="find in article", id="find-input", select_on_focus=True)
        yield Label("", id="find-count")

    def open(self, query: str = "") -> None:
        self.display = True
        field = self.query_one(Input)
        if query:
            field.value = query
        field.focus()

    def action_close(self) -> None:
        self.display = False
        self.post_message(self.Closed())

    def show_count(self, count: int, current: int | None) -> None:
        label = "no match" if count == 0 else (f"{current + 1}/{count}" if current is not None else f"{count} matches")
        self.query_one("#find-count", Label).update(Text(label))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.display = False
        self.post_message(self.Submitted(event.value))
