"""Export prompt (``x`` or the command palette): pick a format and a file, export atomically.

``ExportPrompt(library_path, flt)`` shows how many annotations the filter covers, offers
every registered export format, and writes the file through a temporary file and a
rename in a thread worker (its own library connection), so the UI never waits and a
failed export never leaves a half-written file. Dismisses with the written path, or None.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Select, Static

from reader.annotations.export import export_to_file
from reader.annotations.formats import export_formats, get_format
from reader.annotations.model import AnnotationFilter
from reader.resources import stylesheet_text
from reader.store import open_library
from reader.text.terminal_safety import safe_line

DEFAULT_FORMAT = "markdown"


def default_export_path(folder: Path, format_name: str, today: date | None = None) -> Path:
    return folder / f"reader-annotations-{(today or date.today()).isoformat()}{get_format(format_name).suffix}"


def describe_filter(flt: AnnotationFilter) -> str:
    parts = []
    if flt.tag:
        parts.append(f"tag {flt.tag}")
    if flt.cluster_id is not None:
        parts.append(f"story {flt.cluster_id}")
    if flt.article_id is not None:
        parts.append(f"article {flt.article_id}")
    if flt.text:
        parts.append(f"holding “{flt.text}”")
    if flt.since:
        parts.append(f"since {flt.since[:10]}")
    if flt.state:
        parts.append(flt.state)
    return ", ".join(parts)


class ExportPrompt(ModalScreen[Path | None]):
    CSS = stylesheet_text("annotations.tcss")

    BINDINGS = [
        Binding("ctrl+s", "export", "Export", id="export.run", priority=True),
        Binding("escape", "cancel", "Cancel", id="export.cancel", priority=True),
    ]

    @dataclass
    class _Counted(Message):
        count: int

    @dataclass
    class _Done(Message):
        path: Path
        count: int | None
        error: str | None = None

    def __init__(
        self, library_path: Path | str, flt: AnnotationFilter | None = None, *, folder: Path | None = None
    ) -> None:
        super().__init__()
        self.library_path = Path(library_path)
        self.filter = flt or AnnotationFilter()
        self.folder = folder or Path.home()
        self.format_name = DEFAULT_FORMAT
        self._suggested = default_export_path(self.folder, self.format_name)
        self._confirm_replace: Path | None = None
        self.exporting = False
        self.written: Path | None = None

    def compose(self) -> ComposeResult:
        formats = export_formats()
        with Vertical(id="export-box"):
            yield Static(Text("Export annotations — enter or ctrl+s exports, escape cancels"), id="export-title")
            yield Static(Text("counting…"), id="export-summary")
            yield Select(
                [(Text(f"{fmt.name} — {fmt.description}"), name) for name, fmt in formats.items()],
                value=self.format_name,
                allow_blank=False,
                id="export-format",
            )
            yield Input(str(self._suggested), placeholder="file to write", id="export-path")
            yield Static("", id="export-status")
            with Horizontal(id="export-buttons"):
                yield Button("Export", id="export-run", variant="primary")
                yield Button("Cancel", id="export-cancel")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()
        self._count()

    @work(thread=True, exclusive=True, group="export-count")
    def _count(self) -> None:
        library = open_library(self.library_path)
        try:
            count = library.count_annotations(self.filter)
        finally:
            library.close()
        self.post_message(self._Counted(count))

    @on(_Counted)
    def _show_count(self, message: _Counted) -> None:
        scope = describe_filter(self.filter)
        noun = "annotation" if message.count == 1 else "annotations"
        self.query_one("#export-summary", Static).update(
            Text(f"{message.count} {noun}" + (f" ({safe_line(scope, 80)})" if scope else "") + " will be exported.")
        )

    @on(Select.Changed, "#export-format")
    def _format_changed(self, event: Select.Changed) -> None:
        if event.value is Select.NULL:
            return
        self.format_name = str(event.value)
        path_input = self.query_one("#export-path", Input)
        current = Path(path_input.value.strip()).expanduser() if path_input.value.strip() else None
        if current is None or current == self._suggested:
            self._suggested = default_export_path(self.folder, self.format_name)
            path_input.value = str(self._suggested)
        elif current.suffix in {fmt.suffix for fmt in export_formats().values()}:
            path_input.value = str(current.with_suffix(get_format(self.format_name).suffix))

    @on(Input.Changed, "#export-path")
    def _path_changed(self) -> None:
        self._confirm_replace = None
        self._status("")

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-run")
    def _submit(self) -> None:
        self.action_export()

    @on(Button.Pressed, "#export-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_export(self) -> None:
        if self.exporting:
            return
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            self._status("Type the file to write.")
            return
        path = Path(raw).expanduser()
        if path.is_dir():
            self._status("That is a folder; type a file name.")
            return
        if not path.parent.is_dir():
            self._status(f"No folder {path.parent}.")
            return
        if path.exists() and self._confirm_replace != path:
            self._confirm_replace = path
            self._status("The file exists: export again to replace it.")
            return
        self.exporting = True
        self._status("exporting…", ok=True)
        self._export(path, self.format_name)

    @work(thread=True, exclusive=True, group="export")
    def _export(self, path: Path, format_name: str) -> None:
        try:
            library = open_library(self.library_path)
            try:
                count = export_to_file(library, format_name, path, self.filter)
            finally:
                library.close()
        except Exception as exc:  # a full disk, a permission: say it, keep the prompt open
            self.post_message(self._Done(path, None, f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(self._Done(path, count))

    @on(_Done)
    def _finished(self, message: _Done) -> None:
        self.exporting = False
        if message.error is not None:
            self._status(f"Could not export: {message.error}")
            return
        self.written = message.path
        noun = "annotation" if message.count == 1 else "annotations"
        self.app.notify(f"Exported {message.count} {noun} to {message.path}", title="Export", timeout=6)
        self.dismiss(message.path)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _status(self, text: str, *, ok: bool = False) -> None:
        status = self.query_one("#export-status", Static)
        status.set_class(ok, "-ok")
        status.update(Text(safe_line(text)))
