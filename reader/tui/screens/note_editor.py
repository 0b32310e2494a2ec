"""The note editor: a modal with a multi-line note and a tags field for one annotation.

``NoteEditor(note, tags, quote=...)`` dismisses with a :class:`NoteEdit` on save
(ctrl+s, or the Save button) and with ``None`` on cancel (escape): nothing is written
then, so the old note stays as it was. :func:`save_note_edit` is the write (run it on the
app's writer thread); it commits at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static, TextArea

from reader.annotations.model import Annotation, AnnotationError, clean_note, parse_tag_list
from reader.resources import stylesheet_text
from reader.store import Library
from reader.text.terminal_safety import safe_line, strip_terminal_controls

QUOTE_PREVIEW_CHARS = 160


@dataclass(frozen=True)
class NoteEdit:
    """What the user saved: the whole note and the whole tag list (both replace the old ones)."""

    note: str
    tags: tuple[str, ...]


def save_note_edit(library: Library, annotation_id: int, edit: NoteEdit) -> Annotation:
    """Write an edit (committed before this returns)."""
    return library.update_annotation(annotation_id, note=edit.note, tags=edit.tags)


class NoteEditor(ModalScreen[NoteEdit | None]):
    CSS = stylesheet_text("annotations.tcss")

    # ctrl+s is not a priority binding: it then waits behind the keys typed before it, so a
    # save right after fast typing (a paste, a script) keeps every character.
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="note.save"),
        Binding("escape", "cancel", "Cancel (keep the old note)", id="note.cancel", priority=True),
    ]

    def __init__(
        self, note: str = "", tags: tuple[str, ...] = (), *, quote: str = "", title: str = "Note",
        keys_hint: str = "ctrl+s saves, escape cancels",
    ) -> None:
        super().__init__()
        self.initial_note = note
        self.initial_tags = tags
        self.quote = quote
        self.title_text = title
        self.keys_hint = keys_hint

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box"):
            yield Static(Text(f"{self.title_text} — {self.keys_hint}"), id="note-title")
            if self.quote:
                yield Static(Text("“" + safe_line(self.quote, QUOTE_PREVIEW_CHARS) + "”"), id="note-quote")
            # Shown as the rest of the app shows them: no bidi overrides or invisible characters
            # (an imported note may hold them); saving keeps what the fields show.
            yield TextArea(strip_terminal_controls(self.initial_note), soft_wrap=True, id="note-text",
                           placeholder="Your note (several lines are fine)")
            yield Input(", ".join(strip_terminal_controls(tag) for tag in self.initial_tags), placeholder="tags, separated by commas",
                        id="note-tags")
            yield Static("", id="note-error")
            with Horizontal(id="note-buttons"):
                yield Button("Save", id="note-save", variant="primary")
                yield Button("Cancel", id="note-cancel")

    def on_mount(self) -> None:
        area = self.query_one("#note-text", TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def edit(self) -> NoteEdit:
        """The edit as it stands in the form (raises AnnotationError when it cannot be saved)."""
        note = clean_note(self.query_one("#note-text", TextArea).text)
        tags = parse_tag_list(self.query_one("#note-tags", Input).value)
        return NoteEdit(note, tags)

    def action_save(self) -> None:
        try:
            edit = self.edit()
        except AnnotationError as exc:
            self.query_one("#note-error", Static).update(Text(safe_line(str(exc))))
            return
        self.dismiss(edit)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#note-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#note-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    @on(Input.Submitted, "#note-tags")
    def _tags_submitted(self) -> None:
        self.action_save()
