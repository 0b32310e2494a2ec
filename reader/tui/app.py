"""The reading app: ``run(library_path)`` is what ``reader`` without a command calls.

Start-up is kept lean: this module imports Textual, the store and a few small modules;
nothing from the import pipeline (trafilatura, feedparser, langdetect, numpy). The library
is opened in a thread worker; the first frame draws while it opens, and the sidebar
fills in as soon as it is ready. Start-up time is logged in ``on_ready`` (measured from
the first import of :mod:`reader.tui`, as Posting does).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from time import perf_counter
from typing import Any

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.worker import Worker, WorkerState

from reader.config import Settings, config_path, load_settings
from reader.model import Article
from reader.resources import stylesheet_text
from reader.store import Library, open_library
from reader.text.terminal_safety import safe_line, strip_terminal_controls
from reader.tui import STARTED_AT
from reader.tui.cluster_pages import ClusterQuery, FirstPage, read_first_page
from reader.tui.commands import ReaderCommands
from reader.tui.keys import binding_ids, check_keymap, key_rows
from reader.tui.screens.main import MainScreen
from reader.tui.store_access import library_languages, missing_features
from reader.tui.widgets.article_view import ArticlePane, ArticleView
from reader.tui.widgets.sidebar import Sidebar
from reader.tui.writer import StoreWriter

log = logging.getLogger("reader.tui")

STYLESHEETS = ("app.tcss", "highlights.tcss")
DEFAULT_MARK_READ_AFTER = 2.0  # seconds an article stays open before it counts as read
THEMES = {"dark": "textual-dark", "light": "textual-light"}


def stylesheets() -> str:
    return "\n".join(stylesheet_text(name) for name in STYLESHEETS)


class ReaderApp(App[int]):
    TITLE = "reader"
    CSS = stylesheets()
    COMMANDS = App.COMMANDS | {ReaderCommands}

    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Keys", id="app.help"),
        Binding("ctrl+p", "command_palette", "Commands", id="app.command-palette", priority=True, show=False),
    ]

    def __init__(
        self,
        library_path: Path | str,
        *,
        settings: Settings | None = None,
        mark_read_after: float | None = None,
    ) -> None:
        super().__init__()
        self.library_path = Path(library_path)
        self._settings_error: str | None = None
        if settings is None:
            try:
                settings = load_settings()
            except ValueError as exc:
                settings, self._settings_error = Settings(), str(exc)
        self.settings = settings
        tui = settings.raw.get("tui", {}) if isinstance(settings.raw.get("tui", {}), dict) else {}
        self.mark_read_after = float(mark_read_after if mark_read_after is not None else tui.get("mark_read_after", DEFAULT_MARK_READ_AFTER))
        # After `a` highlights a selection, the note editor opens (escape skips it).
        self.note_after_highlight = bool(tui.get("note_after_highlight", True))
        self.library: Library | None = None
        self.writer = StoreWriter(self.library_path)
        self._languages: list[str] | None = None  # every language of the library, once counted
        self.loaded = asyncio.Event()  # set once the sidebar shows the library
        self._first_page: FirstPage | None = None
        self.startup_seconds: float | None = None
        self.last_article: Article | None = None
        # Start-up allocates a lot and frees little: collecting then only costs time. The
        # collector is back on once the first frame with the library is drawn.
        self._gc_was_enabled = gc.isenabled()
        gc.disable()

    # -- screens and sections of keys --------------------------------------------------------

    def get_default_screen(self) -> MainScreen:
        return MainScreen()

    @property
    def main_screen(self) -> MainScreen | None:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        return None

    @staticmethod
    def key_sections() -> list[tuple[str, type]]:
        """Every class with bindings, by where they apply (imported here: not needed at start-up)."""
        from reader.tui.widgets.annotation_panel import AnnotationList
        from reader.tui.widgets.entity_panel import EntityList
        from reader.tui.widgets.find_bar import FindBar

        return [
            ("Everywhere", ReaderApp),
            ("Main screen", MainScreen),
            ("Story list", Sidebar),
            ("Article", ArticleView),
            ("Selecting (v, drag)", ArticlePane),
            ("Highlights list (H)", AnnotationList),
            ("Entity panel", EntityList),
            ("Find bar", FindBar),
        ] + _extra_key_sections()

    # -- start-up ----------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.theme = self._initial_theme()
        self._apply_keymap()
        if self._settings_error:
            self.notify(self._settings_error, title="Config not read", severity="warning", timeout=8)
        self._open_library()

    def _initial_theme(self) -> str:
        wanted = self.settings.theme
        if not wanted:
            return "textual-dark"
        name = THEMES.get(wanted, wanted)
        if name not in self.available_themes:
            self.notify(f"Unknown theme {wanted!r} in the config; using the dark theme.", severity="warning")
            return "textual-dark"
        return name

    def _apply_keymap(self) -> None:
        if not self.settings.keys:
            return  # nothing to check: keep other screens' modules out of start-up
        keymap, unknown = check_keymap(self.settings.keys, binding_ids(self.key_sections()))
        if keymap:
            self.set_keymap(keymap)
        if unknown:
            self.notify(
                "Unknown key binding ids in the config: " + ", ".join(unknown) + ". Press ? to see the ids.",
                title="Keys",
                severity="warning",
                timeout=8,
            )

    @work(thread=True, exit_on_error=False, group="open")
    def _open_library(self) -> None:
        library = open_library(self.library_path)
        first = read_first_page(library, ClusterQuery())  # so the UI thread has nothing to read
        self.call_from_thread(self._library_opened, library, first)

    def _library_opened(self, library: Library, first: FirstPage | None = None) -> None:
        self.library = library
        self._first_page = first
        self.attach_main_screen()

    def attach_main_screen(self) -> None:
        """Show the library on the main screen once both are ready (whichever comes second calls)."""
        main = self.main_screen
        if self.library is None or main is None or not main.ready or self.loaded.is_set():
            return
        main.attach(self.library, self._first_page)
        self._first_page = None
        self.loaded.set()
        self.call_after_refresh(self._start_up_done)
        missing = missing_features(self.library)
        if missing:
            log.info("library lacks optional methods: %s", ", ".join(missing))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "open" and event.state == WorkerState.ERROR:
            self.notify(f"Cannot open the library: {event.worker.error}", title="reader", severity="error", timeout=30)

    @property
    def languages(self) -> list[str]:
        """Languages to filter by: all of the library's once counted (a full scan, so it runs
        in a worker the first time they are wanted), until then those of the stories seen."""
        if self._languages is not None:
            return self._languages
        if self.library is not None and not any(w.group == "languages" for w in self.workers):
            self._load_languages()
        main = self.main_screen
        return main.sidebar.pages.seen_languages() if main is not None else []

    @work(thread=True, exit_on_error=False, group="languages")
    def _load_languages(self) -> None:
        library = open_library(self.library_path)
        try:
            languages = library_languages(library)
        finally:
            library.close()
        self.call_from_thread(setattr, self, "_languages", languages)

    def _start_up_done(self) -> None:
        if self._gc_was_enabled:
            gc.enable()

    def on_ready(self) -> None:
        self.startup_seconds = perf_counter() - STARTED_AT
        log.info("start-up took %.3f s", self.startup_seconds)
        self.log.info(f"start-up took {self.startup_seconds:.3f} s")

    # -- writes ------------------------------------------------------------------------------

    def write(self, job: Callable[[Library], Any], on_done: Callable[[Any], None] | None = None) -> Future[Any]:
        """Run a write on the writer thread; ``on_done(result)`` runs on the UI thread."""
        future = self.writer.submit(job)

        def done(f: Future[Any]) -> None:
            # A job that finished before this callback was added calls it on the UI thread.
            hand_over = self.call_later if threading.get_ident() == self._thread_id else self.call_from_thread
            error = f.exception()
            if error is not None:
                hand_over(self.notify, f"Could not save: {error}", severity="error")
            elif on_done is not None:
                hand_over(on_done, f.result())

        future.add_done_callback(done)
        return future

    # -- actions -----------------------------------------------------------------------------

    def article_opened(self, article: Article) -> None:
        """Hook: called whenever the main screen opens an article (annotations can follow)."""
        self.last_article = article

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification is plain text, whatever the caller asks: messages name entities,
        articles, paths and errors (from a library or typed by the user), and read as markup
        a name such as ``[link=…]`` would be a link, and ``[/x]`` would crash the app."""
        super().notify(strip_terminal_controls(message), title=safe_line(title), severity=severity, timeout=timeout, markup=False)

    def action_help(self) -> None:
        from reader.tui.screens.help import HelpScreen

        if any(type(s).__name__ == "HelpScreen" for s in self.screen_stack):
            return
        rows = key_rows(self.key_sections(), dict(self.keymap_in_effect()))
        hint = f"Rebind keys by id in the [keys] table of {config_path()}"
        self.push_screen(HelpScreen(rows, hint))

    def keymap_in_effect(self) -> dict[str, str]:
        """The user's key bindings that apply (by binding id), as the help screen shows them."""
        keymap, _ = check_keymap(self.settings.keys, binding_ids(self.key_sections()))
        return keymap

    def set_theme(self, name: str) -> None:
        self.theme = name

    def action_export(self) -> None:
        screen = _export_screen(self)
        if screen is None:
            self.notify("Export is not available in this version.", severity="warning")
            return
        self.push_screen(screen)

    async def action_quit(self) -> None:
        await self.writer.idle()
        self.exit(0)

    async def on_unmount(self) -> None:
        self._start_up_done()
        await self.writer.idle()
        self.writer.close()
        if self.library is not None:
            self.library.close()
            self.library = None


def _extra_key_sections() -> list[tuple[str, type]]:
    """Screens added by other parts of the app (diff, annotations) list their keys too."""
    sections: list[tuple[str, type]] = []
    for module_name, class_name, title in (
        ("reader.tui.screens.diff", "DiffScreen", "Diff view"),
        ("reader.tui.screens.export_prompt", "ExportPrompt", "Export"),
        ("reader.tui.screens.annotations", "AnnotationsScreen", "Annotations"),
        ("reader.tui.screens.note_editor", "NoteEditor", "Note editor"),
    ):
        try:
            module = __import__(module_name, fromlist=[class_name])
        except ImportError:
            continue
        owner = getattr(module, class_name, None)
        if owner is not None and getattr(owner, "BINDINGS", None):
            sections.append((title, owner))
    return sections


def _export_screen(app: ReaderApp) -> Any:
    try:
        from reader.tui.screens import export_prompt
    except ImportError:
        return None
    factory = getattr(export_prompt, "ExportPrompt", None) or getattr(export_prompt, "ExportPromptScreen", None)
    if factory is None:
        return None
    return factory(app.library_path)


# Everything imported so far lives as long as the app: keep it out of every collection.
gc.freeze()


def run(library_path: Path | str) -> int:
    """Open the app on a library; returns the exit code."""
    app = ReaderApp(library_path)
    result = app.run()
    return int(result or 0)
