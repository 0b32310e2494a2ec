"""The side list of the open article's annotations (``H``): quote, note and tags of each.

Placed highlights come first, in text order; annotations made on another version of the
article are marked "from another version"; orphaned ones (their passage is no longer in
the text) come last, marked, and are never placed. Enter asks the screen to show one in
the text, ``e`` to edit its note and tags, ``delete`` (pressed twice) to delete it. An
article holds a few dozen annotations at most, so a plain ``OptionList`` is right here.

Quotes, notes and tags are user and article text: shown through ``rich.text.Text`` with
controls stripped, never as markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.text.terminal_safety import safe_line
from reader.tui.annotation_access import ArticleNote
from reader.tui.widgets.styling import layer_style

MARKS = {"anchored": "●", "moved": "◐", "orphaned": "○", "other": "◇"}
NOTE_LINES = 3  # lines of a note shown under its quote


class AnnotationList(OptionList):
    BINDINGS = [
        Binding("enter", "show", "Show in text", id="notes.show", tooltip="bring the highlight into view"),
        Binding("e", "edit", "Edit note", id="notes.edit", tooltip="the note (several lines) and the tags"),
        Binding("delete", "delete", "Delete", id="notes.delete", tooltip="press twice: the highlight, its note and tags go"),
    ]

    @property
    def panel(self) -> "AnnotationPanel":
        return self.query_ancestor(AnnotationPanel)

    def action_show(self) -> None:
        self.panel.request(AnnotationPanel.ShowNote)

    def action_edit(self) -> None:
        self.panel.request(AnnotationPanel.EditNote)

    def action_delete(self) -> None:
        self.panel.request(AnnotationPanel.DeleteNote)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # enter is handled by action_show; a click selects and shows
        self.action_show()


class AnnotationPanel(Vertical):
    """The open article's annotations; messages up for the screen to act on."""

    COMPONENT_CLASSES = {
        "notes--anchored",
        "notes--moved",
        "notes--orphaned",
        "notes--other",
        "notes--quote",
        "notes--note",
        "notes--tag",
    }

    class _NoteMessage(Message):
        def __init__(self, panel: "AnnotationPanel", note: ArticleNote) -> None:
            super().__init__()
            self.panel = panel
            self.note = note

    class ShowNote(_NoteMessage):
        """Bring this annotation into view in the article."""

    class EditNote(_NoteMessage):
        """Edit this annotation's note and tags."""

    class DeleteNote(_NoteMessage):
        """Delete this annotation (the user pressed delete twice)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._notes: list[ArticleNote] = []
        self._confirm_delete: int | None = None

    def compose(self) -> ComposeResult:
        yield Static("Highlights", id="notes-title")
        yield AnnotationList(id="notes-list")
        yield Static("", id="notes-status")

    @property
    def note_list(self) -> AnnotationList:
        return self.query_one(AnnotationList)

    @property
    def notes(self) -> list[ArticleNote]:
        return list(self._notes)

    def show_notes(self, notes: Sequence[ArticleNote], *, keep: int | None = None) -> None:
        """List an article's annotations; ``keep`` is an annotation id to leave the cursor on."""
        self._notes = list(notes)
        self._confirm_delete = None
        placed = sum(n.placed for n in self._notes)
        unplaced = len(self._notes) - placed
        title = f"Highlights · {placed}"
        if unplaced:
            title += f" · {unplaced} not placed"
        self.query_one("#notes-title", Static).update(Text(title, end=""))
        listing = self.note_list
        listing.clear_options()
        if not self._notes:
            listing.add_option(Option(Text("none yet: v selects, a highlights", style="dim"), disabled=True))
            self.set_status("")
            return
        listing.add_options(Option(self._row(n), id=f"n{i}") for i, n in enumerate(self._notes))
        ids = [n.annotation.id for n in self._notes]
        listing.highlighted = ids.index(keep) if keep in ids else 0
        self.set_status("")

    def _row(self, note: ArticleNote) -> Text:
        """A few lines: the state mark and quote; tags; the note's first lines."""
        width = max(10, (self.size.width or 34) - 4)
        kind = "other" if note.other_version else note.state
        label = {
            "anchored": "",
            "moved": "moved",
            "orphaned": "not in this text",
            "other": "from another version",
        }[kind]
        row = Text(end="")
        row.append(MARKS[kind] + " ", style=layer_style(self, f"notes--{kind}"))
        if label:
            row.append(label + "\n", style=layer_style(self, f"notes--{kind}"))
        row.append("“" + safe_line(note.annotation.exact, width * 2) + "”", style=layer_style(self, "notes--quote"))
        if note.annotation.tags:
            row.append("\n" + " ".join("#" + safe_line(tag, 40) for tag in note.annotation.tags), style=layer_style(self, "notes--tag"))
        if note.annotation.note:
            lines = note.annotation.note.split("\n")
            shown = [safe_line(line, width) for line in lines[:NOTE_LINES]]
            if len(lines) > NOTE_LINES:
                shown.append("…")
            row.append("\n✎ " + "\n".join(shown), style=layer_style(self, "notes--note"))
        return row

    def highlighted_note(self) -> ArticleNote | None:
        index = self.note_list.highlighted
        if index is None or not 0 <= index < len(self._notes):
            return None
        return self._notes[index]

    def request(self, message_type: type["AnnotationPanel._NoteMessage"]) -> None:
        note = self.highlighted_note()
        if note is None:
            return
        if message_type is AnnotationPanel.DeleteNote:
            if note.other_version:
                self.set_status("made on another version: delete it there")
                return
            if self._confirm_delete != note.annotation.id:
                self._confirm_delete = note.annotation.id
                self.set_status("press delete again to delete it")
                return
        self._confirm_delete = None
        self.post_message(message_type(self, note))

    def set_status(self, text: str) -> None:
        self.query_one("#notes-status", Static).update(Text(safe_line(text), end=""))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if self._confirm_delete is not None:
            self._confirm_delete = None
            self.set_status("")
