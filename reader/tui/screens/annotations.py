"""The library-wide annotations screen: every highlight, filterable by text, tag, story and state.

Rows come from the store in keyset pages (newest first) in a thread worker with its own
connection, more as the cursor nears the end. Enter jumps: the screen dismisses with a
:class:`JumpTarget` (article id and clean-text offsets) and posts
:class:`AnnotationsScreen.Jump` to the app, so the host opens the article there. ``e``
edits the note and tags, ``delete`` (pressed twice) deletes, ``x`` exports what is listed.

All article text, notes and tags are shown through ``rich.text.Text`` with controls
stripped, never as markup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from reader.annotations.model import ANCHOR_STATES, AnchorState, Annotation, AnnotationFilter
from reader.resources import stylesheet_text
from reader.store import Library, open_library
from reader.text.terminal_safety import safe_line
from reader.tui.screens.note_editor import NoteEdit, NoteEditor, save_note_edit

PAGE_SIZE = 200
LOAD_MORE_WITHIN = 20  # rows from the end of what is loaded
STATE_MARKS = {"anchored": "●", "moved": "◐", "orphaned": "○"}


@dataclass(frozen=True)
class JumpTarget:
    """Where to go for an annotation: an article and a span of its clean text."""

    annotation_id: int
    article_id: int
    start: int
    end: int
    state: AnchorState


def annotation_row(screen: "AnnotationsScreen", annotation: Annotation) -> Text:
    """Three lines: state and quote; article and tags; the note's first line."""
    style = screen.get_component_rich_style
    row = Text(end="")
    row.append(f"{STATE_MARKS[annotation.state]} {annotation.state:<8} ", style=style(f"annotations--{annotation.state}"))
    row.append("“" + safe_line(annotation.exact, 100) + "”")
    meta = " · ".join(
        p for p in (safe_line(annotation.article_title, 60) or "(untitled)", safe_line(annotation.source, 30),
                    (annotation.date or "")[:10]) if p
    )
    if annotation.article_id is None:
        meta += " · no longer in the library"
    row.append("\n           " + meta, style=style("annotations--meta"))
    for tag in annotation.tags:
        row.append("  #" + safe_line(tag, 40), style=style("annotations--tag"))
    if annotation.note:
        first_line = annotation.note.split("\n", 1)[0]
        more = " …" if "\n" in annotation.note else ""
        row.append("\n           " + safe_line(first_line, 100) + more, style=style("annotations--note"))
    return row


class AnnotationsScreen(ModalScreen[JumpTarget | None]):
    CSS = stylesheet_text("annotations.tcss")

    COMPONENT_CLASSES = {
        "annotations--anchored",
        "annotations--moved",
        "annotations--orphaned",
        "annotations--note",
        "annotations--meta",
        "annotations--tag",
    }

    BINDINGS = [
        Binding("escape", "close", "Close", id="annotations.close", priority=True),
        Binding("e", "edit_note", "Edit note", id="annotations.edit-note"),
        Binding("delete", "delete", "Delete", id="annotations.delete"),
        Binding("x", "export", "Export these", id="annotations.export"),
        Binding("slash", "focus_text", "Filter by text", id="annotations.filter-text"),
        Binding("t", "focus_tag", "Filter by tag", id="annotations.filter-tag"),
        Binding("down", "to_list", "List", id="annotations.to-list", show=False),
    ]

    class Jump(Message):
        """Posted to the app when the user picks an annotation to go to."""

        def __init__(self, target: JumpTarget) -> None:
            super().__init__()
            self.target = target

    @dataclass
    class _Page(Message):
        annotations: list[Annotation]
        replace: bool
        tags: list[str] | None = None

    def __init__(
        self,
        library_path: Path | str,
        *,
        tag: str | None = None,
        cluster_id: int | None = None,
        text: str | None = None,
        state: AnchorState | None = None,
        page_size: int = PAGE_SIZE,
    ) -> None:
        super().__init__()
        self.library_path = Path(library_path)
        self.filter = AnnotationFilter(tag=tag, cluster_id=cluster_id, text=text, state=state)
        self.page_size = page_size
        self.annotations: list[Annotation] = []
        self.exhausted = False
        self._fetching = False
        self._confirm_delete: int | None = None

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        flt = self.filter
        with Vertical(id="annotations-box"):
            yield Static(Text("Annotations — enter goes to one, e edits, delete deletes, x exports, escape closes"),
                         id="annotations-title")
            with Horizontal(id="annotations-filters"):
                yield Input(flt.text or "", placeholder="text in quote, note or title", id="annotations-text")
                yield Input(flt.tag or "", placeholder="tag", id="annotations-tag")
                yield Input("" if flt.cluster_id is None else str(flt.cluster_id), placeholder="story id",
                            id="annotations-cluster", restrict=r"[0-9]*")
                yield Select([(s, s) for s in ANCHOR_STATES], prompt="any state", value=flt.state or Select.NULL,
                             id="annotations-state")
            yield OptionList(id="annotations-list")
            yield Static("", id="annotations-status")

    def on_mount(self) -> None:
        self.query_one("#annotations-list", OptionList).focus()
        self._load(replace=True, with_tags=True)

    # -- loading -----------------------------------------------------------------------------

    def _load(self, *, replace: bool, with_tags: bool = False) -> None:
        after = None if replace or not self.annotations else self.annotations[-1].id
        self._fetching = True
        self._fetch(self.filter, after, replace, with_tags)

    @work(thread=True, exclusive=True, group="annotations-load")
    def _fetch(self, flt: AnnotationFilter, after: int | None, replace: bool, with_tags: bool) -> None:
        worker = get_current_worker()
        library = open_library(self.library_path)
        try:
            page = library.list_annotations(
                tag=flt.tag, cluster_id=flt.cluster_id, text=flt.text, since=flt.since, state=flt.state,
                after=after, limit=self.page_size,
            )
            tags = [tag for tag, _ in library.annotation_tag_counts()] if with_tags else None
        finally:
            library.close()
        if not worker.is_cancelled:
            self.post_message(self._Page(page, replace, tags))

    @on(_Page)
    def _show_page(self, message: _Page) -> None:
        self._fetching = False
        listing = self.query_one("#annotations-list", OptionList)
        if message.replace:
            self.annotations = []
            listing.clear_options()
        self.annotations.extend(message.annotations)
        self.exhausted = len(message.annotations) < self.page_size
        listing.add_options(Option(annotation_row(self, a), id=str(a.id)) for a in message.annotations)
        if message.replace and self.annotations:
            listing.highlighted = 0
        if message.tags is not None:
            self.query_one("#annotations-tag", Input).suggester = SuggestFromList(message.tags, case_sensitive=False)
        self._show_status()

    def _show_status(self, text: str | None = None) -> None:
        if text is None:
            count = len(self.annotations)
            if not count:
                text = "no annotations match" if self._filtered() else "no annotations yet: select text in an article and press a"
            else:
                text = f"{count}{'' if self.exhausted else '+'} annotation{'s' * (count != 1)}"
        self.query_one("#annotations-status", Static).update(Text(safe_line(text)))

    def _filtered(self) -> bool:
        return self.filter != AnnotationFilter()

    @on(OptionList.OptionHighlighted, "#annotations-list")
    def _near_the_end(self, event: OptionList.OptionHighlighted) -> None:
        self._confirm_delete = None
        if not self.exhausted and not self._fetching and event.option_index >= len(self.annotations) - LOAD_MORE_WITHIN:
            self._load(replace=False)

    # -- filters -----------------------------------------------------------------------------

    @on(Input.Changed, "#annotations-text")
    def _text_changed(self, event: Input.Changed) -> None:
        self._set_filter(text=event.value.strip() or None)

    @on(Input.Changed, "#annotations-tag")
    def _tag_changed(self, event: Input.Changed) -> None:
        self._set_filter(tag=event.value.strip().lstrip("#") or None)

    @on(Input.Changed, "#annotations-cluster")
    def _cluster_changed(self, event: Input.Changed) -> None:
        value = event.value.strip()
        self._set_filter(cluster_id=int(value) if value.isdigit() else None)

    @on(Select.Changed, "#annotations-state")
    def _state_changed(self, event: Select.Changed) -> None:
        self._set_filter(state=None if event.value is Select.NULL else event.value)

    @on(Input.Submitted)
    def _filter_submitted(self) -> None:
        self.action_to_list()

    def _set_filter(self, **changes: Any) -> None:
        updated = replace(self.filter, **changes)
        if updated != self.filter:
            self.filter = updated
            self._load(replace=True)

    def action_focus_text(self) -> None:
        self.query_one("#annotations-text", Input).focus()

    def action_focus_tag(self) -> None:
        self.query_one("#annotations-tag", Input).focus()

    def action_to_list(self) -> None:
        listing = self.query_one("#annotations-list", OptionList)
        listing.focus()
        if listing.highlighted is None and self.annotations:
            listing.highlighted = 0

    # -- the highlighted annotation ----------------------------------------------------------

    @property
    def current(self) -> Annotation | None:
        index = self.query_one("#annotations-list", OptionList).highlighted
        if index is None or not 0 <= index < len(self.annotations):
            return None
        return self.annotations[index]

    @on(OptionList.OptionSelected, "#annotations-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        annotation = self.annotations[event.option_index]
        if annotation.article_id is None:
            self.notify(
                f"This annotation's article is no longer in the library (it was {safe_line(annotation.article_external_id, 60)}).",
                severity="warning",
            )
            return
        if annotation.state == "orphaned":
            self.notify("This passage is no longer in the article; opening the article.", timeout=4)
        target = JumpTarget(annotation.id, annotation.article_id, annotation.start, annotation.end, annotation.state)
        self.app.post_message(self.Jump(target))
        self.dismiss(target)

    def action_edit_note(self) -> None:
        annotation = self.current
        if annotation is None:
            return

        def saved(edit: NoteEdit | None) -> None:
            if edit is None:
                return  # cancelled: the old note stays
            self._write(lambda library: save_note_edit(library, annotation.id, edit), self._replace_row)

        self.app.push_screen(NoteEditor(annotation.note, annotation.tags, quote=annotation.exact), saved)

    def action_delete(self) -> None:
        annotation = self.current
        if annotation is None:
            return
        if self._confirm_delete != annotation.id:
            self._confirm_delete = annotation.id
            self._show_status("Press delete again to delete this annotation (its note and tags go with it).")
            return
        self._confirm_delete = None
        self._write(lambda library: library.delete_annotation(annotation.id), lambda _: self._remove_row(annotation.id))

    def action_export(self) -> None:
        from reader.tui.screens.export_prompt import ExportPrompt

        self.app.push_screen(ExportPrompt(self.library_path, self.filter))

    def action_close(self) -> None:
        self.dismiss(None)

    # -- writes ------------------------------------------------------------------------------

    def _write(self, job: Callable[[Library], Any], on_done: Callable[[Any], None]) -> None:
        """On the app's writer thread when it has one (the reading app), else in a worker."""
        app_write = getattr(self.app, "write", None)
        if callable(app_write):
            app_write(job, on_done)
        else:
            self._write_in_worker(job, on_done)

    @work(thread=True, group="annotations-write")
    def _write_in_worker(self, job: Callable[[Library], Any], on_done: Callable[[Any], None]) -> None:
        library = open_library(self.library_path)
        try:
            result = job(library)
        except Exception as exc:
            self.app.call_from_thread(self.notify, f"Could not save: {exc}", severity="error")
            return
        finally:
            library.close()
        self.app.call_from_thread(on_done, result)

    def _replace_row(self, updated: Annotation) -> None:
        for index, annotation in enumerate(self.annotations):
            if annotation.id == updated.id:
                self.annotations[index] = updated
                self.query_one("#annotations-list", OptionList).replace_option_prompt_at_index(
                    index, annotation_row(self, updated)
                )
                break
        self._show_status("Saved.")

    def _remove_row(self, annotation_id: int) -> None:
        listing = self.query_one("#annotations-list", OptionList)
        for index, annotation in enumerate(self.annotations):
            if annotation.id == annotation_id:
                del self.annotations[index]
                listing.remove_option_at_index(index)
                break
        self._show_status("Deleted.")
