"""The diff screen: what changed between two articles, side by side or unified.

Open it from anywhere in the app with::

    app.push_screen(DiffScreen(library_path, article_a_id, article_b_id))

Keys: ``s`` side by side, ``u`` unified, ``n``/``N`` next/previous change, enter expands
the first folded run in view, ``z`` unfolds (or folds) everything, escape or ``q``
closes. The summary line on top says how much the two share and who contains whom.
"""

from __future__ import annotations

from pathlib import Path
from time import perf_counter
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from reader.diffing import describe, diff_texts, entity_marks
from reader.model import Article
from reader.resources import styles_dir
from reader.store import open_library
from reader.text.terminal_safety import safe_line
from reader.tui.widgets.diff_view import DiffDocument, DiffView, Mode

SIDE_BY_SIDE_MIN_WIDTH = 100


def _stylesheets() -> list[str]:
    """diff.tcss, plus the app's highlight colours (entities) when the app ships them."""
    folder = Path(str(styles_dir()))
    return [str(folder / name) for name in ("highlights.tcss", "diff.tcss") if (folder / name).is_file()]


class DiffScreen(Screen[None]):
    """Compare two articles of a library.

    ``DiffScreen(library_path, article_a_id, article_b_id)``: the screen opens its own
    connection to the library and computes the diff in a worker thread, so a big diff
    never freezes the app; it shows "Comparing…" meanwhile, then the diff. A is on the
    left (or its removed words are struck out in unified mode), B on the right.
    ``mode`` forces "side-by-side" or "unified"; by default the width decides.
    """

    CSS_PATH = _stylesheets()

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "mode('side-by-side')", "Side by side", id="diff.side-by-side"),
        Binding("u", "mode('unified')", "Unified", id="diff.unified"),
        Binding("escape,q", "close", "Close", id="diff.close"),
    ]

    def __init__(
        self,
        library_path: Path | str,
        article_a_id: int,
        article_b_id: int,
        *,
        mode: Mode | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.library_path = Path(library_path)
        self.article_a_id = article_a_id
        self.article_b_id = article_b_id
        self._initial_mode = mode
        self.document: DiffDocument | None = None
        self.summary_text = ""
        self.elapsed: float | None = None  # seconds to load and compute, for the curious

    @property
    def view(self) -> DiffView:
        return self.query_one(DiffView)

    def compose(self) -> ComposeResult:
        with Vertical(id="diff-header"):
            yield Static(Text(f"A  #{self.article_a_id}"), id="diff-a", classes="diff-article")
            yield Static(Text(f"B  #{self.article_b_id}"), id="diff-b", classes="diff-article")
            yield Static(Text("Comparing…"), id="diff-summary")
            yield Static(id="diff-note")
        yield DiffView(id="diff-view")
        yield Footer()

    def on_mount(self) -> None:
        if self.app.no_color:
            self.add_class("-no-color")
        view = self.view
        view.mode = self._initial_mode or ("side-by-side" if self.app.size.width >= SIDE_BY_SIDE_MIN_WIDTH else "unified")
        view.loading = True
        view.focus()
        self.compute()

    @work(thread=True, exclusive=True, group="diff")
    def compute(self) -> None:
        """Load both articles (own connection) and diff them, off the UI thread."""
        worker = get_current_worker()
        started = perf_counter()
        library = open_library(self.library_path)
        try:
            article_a = library.get_article(self.article_a_id)
            article_b = library.get_article(self.article_b_id)
            marks_a = entity_marks(library, self.article_a_id) if article_a else ()
            marks_b = entity_marks(library, self.article_b_id) if article_b else ()
        finally:
            library.close()
        if article_a is None or article_b is None:
            missing = self.article_a_id if article_a is None else self.article_b_id
            self.app.call_from_thread(self._failed, f"No article #{missing} in this library.")
            return
        result = diff_texts(article_a.text or "", article_b.text or "")
        document = DiffDocument(result, marks_a, marks_b).prepare(self.view.mode)
        elapsed = perf_counter() - started
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, article_a, article_b, document, elapsed)

    def _show(self, article_a: Article, article_b: Article, document: DiffDocument, elapsed: float) -> None:
        self.document = document
        self.elapsed = elapsed
        self.query_one("#diff-a", Static).update(_article_line("A", article_a))
        self.query_one("#diff-b", Static).update(_article_line("B", article_b))
        self.summary_text = describe(document.result)
        degraded = document.result.degraded
        if degraded:
            self.query_one("#diff-note", Static).update(Text(f"⚠ {degraded}"))
        self.set_class(bool(degraded), "-degraded")
        view = self.view
        view.show_document(document)
        view.loading = False
        self._update_summary()

    def _failed(self, message: str) -> None:
        self.view.loading = False
        self.query_one("#diff-summary", Static).update(Text(message))
        self.notify(message, severity="error")

    def _update_summary(self) -> None:
        view = self.view
        parts = [self.summary_text]
        if view.change_count:
            at = "–" if view.current_change is None else str(view.current_change + 1)
            parts.append(f"change {at}/{view.change_count}")
        parts.append(view.mode)
        self.query_one("#diff-summary", Static).update(Text(" · ".join(parts)))

    def on_diff_view_change_selected(self, message: DiffView.ChangeSelected) -> None:
        self._update_summary()

    def action_mode(self, mode: Mode) -> None:
        self.view.mode = mode
        self._update_summary()

    def action_close(self) -> None:
        self.workers.cancel_group(self, "diff")
        self.dismiss(None)


def _article_line(side: str, article: Article) -> Text:
    line = Text(f"{side}  ", style="bold")
    line.append(f"#{article.id} ")
    line.append(safe_line(article.title, 90) or "(untitled)", style="bold")
    meta = " · ".join(safe_line(x) for x in (article.source, (article.date or "")[:10], article.lang) if x)
    if meta:
        line.append(f" · {meta}")
    return line
