"""Library-wide search (FTS5) in a modal: results as you type, enter opens one.

The query runs in a thread worker with its own library connection, so typing never
waits on SQLite. Snippets come marked with \\x01/\\x02 around matches; they are drawn
bold by building ``Text`` from the plain pieces, never by markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from reader.store import SearchHit, open_library
from reader.text.snippets import snippet_text
from reader.text.terminal_safety import safe_line

RESULT_LIMIT = 100


def hit_prompt(hit: SearchHit, width: int = 80) -> Text:
    """Three lines, each cut to the width: title, where and when, the matching words."""
    article = hit.article
    prompt = Text(end="")  # no base style: it would cover the snippet too
    prompt.append(safe_line(article.title, width) or "(untitled)", style="bold")
    meta = " · ".join(p for p in (safe_line(article.source), (article.date or "")[:10], safe_line(article.lang)) if p)
    prompt.append("\n" + safe_line(meta, width), style="dim")
    prompt.append("\n")
    prompt.append_text(snippet_text(hit.snippet, width))
    return prompt


class SearchScreen(ModalScreen[int | None]):
    """Dismisses with the id of the chosen article, or None."""

    BINDINGS = [
        Binding("escape", "close", "Close search", id="search.close"),
        Binding("down", "results", "Results", id="search.results", show=False),
    ]

    @dataclass
    class _Results(Message):
        query: str
        hits: list[SearchHit]
        error: str | None = None

    def __init__(self, library_path: Path, query: str = "") -> None:
        super().__init__()
        self.library_path = library_path
        self.initial_query = query
        self.hits: list[SearchHit] = []
        self.last_query: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box"):
            yield Static(Text("Search the library — enter opens, escape closes"), id="search-title")
            yield Input(value=self.initial_query, placeholder="words to find (all must match)", id="search-input")
            yield OptionList(id="search-results")
            yield Static("", id="search-status")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if self.initial_query.strip():
            self.run_search(self.initial_query)

    @on(Input.Changed, "#search-input")
    def _typed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        results = self.query_one(OptionList)
        if self.hits:
            results.highlighted = 0
            results.focus()

    def action_results(self) -> None:
        results = self.query_one(OptionList)
        if self.hits:
            results.focus()
            if results.highlighted is None:
                results.highlighted = 0

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, query: str) -> None:
        worker = get_current_worker()
        if not query.strip():
            self.post_message(self._Results(query, []))
            return
        library = open_library(self.library_path)
        try:
            hits = library.search(query, limit=RESULT_LIMIT)
        except Exception as exc:  # a malformed FTS query, a busy file: say it, keep the screen
            self.post_message(self._Results(query, [], error=str(exc)))
            return
        finally:
            library.close()
        if not worker.is_cancelled:
            self.post_message(self._Results(query, hits))

    @on(_Results)
    def _show(self, message: _Results) -> None:
        self.hits = message.hits
        self.last_query = message.query
        results = self.query_one(OptionList)
        results.clear_options()
        width = max(20, results.scrollable_content_region.width - 2)
        results.add_options(Option(hit_prompt(hit, width), id=str(hit.article.id)) for hit in message.hits)
        status = self.query_one("#search-status", Static)
        if message.error:
            status.update(Text(f"search failed: {safe_line(message.error)}"))
        elif not message.query.strip():
            status.update(Text(""))
        else:
            count = len(message.hits)
            more = "+" if count >= RESULT_LIMIT else ""
            status.update(Text(f"{count}{more} {'match' if count == 1 else 'matches'}" if count else "no match"))

    @on(OptionList.OptionSelected, "#search-results")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_close(self) -> None:
        self.dismiss(None)
