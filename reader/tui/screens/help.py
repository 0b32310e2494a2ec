"""The help screen (`?`): every binding of the app, with the keys in effect after the keymap."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.tui.keys import KeyRow


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close help", id="help.close"),
        Binding("j", "scroll('down')", "Scroll down", id="help.down", show=False),
        Binding("k", "scroll('up')", "Scroll up", id="help.up", show=False),
    ]

    def action_scroll(self, direction: str) -> None:
        scroller = self.query_one("#help-table", VerticalScroll)
        scroller.scroll_relative(y=1 if direction == "down" else -1, animate=False)

    def __init__(self, rows: Sequence[KeyRow], config_hint: str = "") -> None:
        super().__init__()
        self.rows = list(rows)
        self.config_hint = config_hint

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(Text("Keys — escape closes"), id="help-title")
            with VerticalScroll(id="help-table"):
                yield Static(self._table(), id="help-keys")

    def on_mount(self) -> None:
        self.query_one("#help-table").focus()

    def _table(self) -> Table:
        table = Table(box=None, expand=True, show_header=True, pad_edge=False)
        table.add_column(Text("keys"), no_wrap=True, style="bold")
        table.add_column(Text("what it does"), ratio=1)
        table.add_column(Text("id (for [keys] in the config)"), style="dim", no_wrap=True)
        section = None
        for row in self.rows:
            if row.section != section:
                section = row.section
                table.add_row(Text(section, style="underline"), Text(""), Text(""))
            keys = ", ".join(self.app.get_key_display(Binding(k, "")) for k in row.keys)
            table.add_row(Text(keys), Text(row.description), Text(row.binding_id))
        if self.config_hint:
            table.add_row(Text(""), Text(self.config_hint, style="dim"), Text(""))
        return table

    def action_close(self) -> None:
        self.dismiss(None)
