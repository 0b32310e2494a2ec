"""Pilot tests of the annotation screens (list, note editor, export prompt) in a small host app."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.app import App
from textual.screen import Screen
from textual.widgets import Input, OptionList, Select, Static, TextArea

from reader.annotations.model import AnnotationFilter
from reader.store import Library
from reader.tui.screens.annotations import AnnotationsScreen, JumpTarget
from reader.tui.screens.export_prompt import ExportPrompt
from reader.tui.screens.note_editor import NoteEdit, NoteEditor, save_note_edit

SIZE = (100, 32)


class Host(App[None]):
    """Stands in for the reading app: pushes one screen at start and records what it returns."""

    def __init__(self, make: Callable[[], Screen], on_result: Callable[[object], None] | None = None) -> None:
        super().__init__()
        self.make = make
        self.results: list[object] = []
        self.jumps: list[JumpTarget] = []
        self.on_result = on_result

    def on_mount(self) -> None:
        def record(result: object) -> None:
            self.results.append(result)
            if self.on_result is not None:
                self.on_result(result)

        self.push_screen(self.make(), record)

    def on_annotations_screen_jump(self, message: AnnotationsScreen.Jump) -> None:
        self.jumps.append(message.target)


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def annotate(library: Library, article_id: int, quote: str, **kwargs):
    text = library.get_article(article_id).text
    start = text.index(quote)
    return library.create_annotation(article_id, start, start + len(quote), **kwargs)


@pytest.fixture
def annotated_library(sample_library: Library):
    """The sample with five annotations on two articles of one story and one elsewhere."""
    words = ("Oracle", "ByteDance", "Microsoft", "TikTok")
    story = [
        a.id for a in sample_library.iter_articles()
        if a.cluster_id is not None and all(w in sample_library.get_article(a.id).text for w in words)
    ]
    first, second = story[0], story[1]
    made = [
        annotate(sample_library, first, "Oracle", note="first note", tags=["deals"]),
        annotate(sample_library, first, "ByteDance", note="[bold]not markup[/bold] \x1b[31m", tags=["people"]),
        annotate(sample_library, second, "Microsoft", tags=["deals", "us"]),
        annotate(sample_library, second, "TikTok", note="line one\nline two"),
        annotate(sample_library, first, "TikTok"),
    ]
    return sample_library, made


# -- note editor -----------------------------------------------------------------------------


async def test_note_editor_saves_note_and_tags(tmp_path):
    app = Host(lambda: NoteEditor("old note", ("a",), quote="Oracle caught the eye."))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        area = app.screen.query_one("#note-text", TextArea)
        assert area.text == "old note" and area.has_focus
        await pilot.press("enter", *"second line")
        tags = app.screen.query_one("#note-tags", Input)
        tags.value = "brexit, #EU talks, brexit"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [NoteEdit("old note\nsecond line", ("brexit", "EU talks"))]


async def test_note_editor_cancel_keeps_the_old_note(annotated_library):
    library, made = annotated_library
    annotation = made[0]

    def save(result: object) -> None:
        if isinstance(result, NoteEdit):
            save_note_edit(library, annotation.id, result)

    app = Host(lambda: NoteEditor(annotation.note, annotation.tags, quote=annotation.exact), on_result=save)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*" and a change that is thrown away")
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]
    kept = library.get_annotation(annotation.id)
    assert (kept.note, kept.tags, kept.updated_at) == ("first note", ("deals",), annotation.updated_at)


async def test_note_editor_refuses_a_tag_that_is_too_long_and_stays_open():
    app = Host(lambda: NoteEditor("n", ()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one("#note-tags", Input).value = "x" * 200
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        assert "over 64 characters" in str(app.screen.query_one("#note-error", Static).render())
        assert app.results == []


# -- export prompt ---------------------------------------------------------------------------


async def test_export_prompt_writes_the_chosen_format_atomically(annotated_library, tmp_path):
    library, made = annotated_library
    app = Host(lambda: ExportPrompt(library.path, AnnotationFilter(tag="deals"), folder=tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        prompt = app.screen
        assert "2 annotations (tag deals) will be exported." in str(prompt.query_one("#export-summary", Static).render())
        path_input = prompt.query_one("#export-path", Input)
        assert path_input.value.endswith(".md")
        prompt.query_one("#export-format", Select).value = "json"
        await pilot.pause()
        assert path_input.value.endswith(".json") and Path(path_input.value).parent == tmp_path
        path_input.focus()
        await pilot.press("enter")
        await settle(pilot)
    written = Path(app.results[0])
    assert written.parent == tmp_path and written.suffix == ".json"
    items = json.loads(written.read_text(encoding="utf-8"))["first"]["items"]
    assert {i["id"] for i in items} == {made[0].w3c_id, made[2].w3c_id}
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


async def test_export_prompt_asks_before_replacing_and_reports_bad_folders(annotated_library, tmp_path):
    library, _ = annotated_library
    target = tmp_path / "notes.csv"
    target.write_text("old\n", encoding="utf-8")
    app = Host(lambda: ExportPrompt(library.path, folder=tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        prompt = app.screen
        prompt.query_one("#export-format", Select).value = "csv"
        path_input = prompt.query_one("#export-path", Input)
        path_input.value = str(tmp_path / "missing" / "x.csv")
        path_input.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert "No folder" in str(prompt.query_one("#export-status", Static).render())
        path_input.value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ExportPrompt)
        assert "exists" in str(prompt.query_one("#export-status", Static).render())
        assert target.read_text(encoding="utf-8") == "old\n"
        await pilot.press("enter")
        await settle(pilot)
    assert app.results == [target]
    assert target.read_text(encoding="utf-8").startswith("Highlight,Title,Author,URL,Note,Location,Date,Tags")


async def test_export_prompt_cancel_writes_nothing(annotated_library, tmp_path):
    library, _ = annotated_library
    app = Host(lambda: ExportPrompt(library.path, folder=tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None] and list(tmp_path.glob("reader-annotations-*")) == []


# -- the library-wide list -------------------------------------------------------------------


def listed_ids(screen: AnnotationsScreen) -> list[int]:
    return [a.id for a in screen.annotations]


async def test_annotations_screen_lists_filters_and_jumps(annotated_library):
    library, made = annotated_library
    app = Host(lambda: AnnotationsScreen(library.path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AnnotationsScreen)
        assert listed_ids(screen) == [a.id for a in reversed(made)]  # newest first
        assert screen.query_one(OptionList).option_count == 5
        # untrusted note text is shown literally, controls stripped
        row = screen.query_one(OptionList).get_option_at_index(3).prompt
        assert "[bold]not markup[/bold]" in row.plain and "\x1b" not in row.plain
        # text filter
        await pilot.press("slash", *"line two")
        await settle(pilot)
        assert listed_ids(screen) == [made[3].id]
        screen.query_one("#annotations-text", Input).value = ""
        await settle(pilot)
        # tag filter
        screen.query_one("#annotations-tag", Input).value = "#deals"
        await settle(pilot)
        assert listed_ids(screen) == [made[2].id, made[0].id]
        screen.query_one("#annotations-tag", Input).value = ""
        # story filter
        cluster = library.get_article(made[2].article_id).cluster_id
        screen.query_one("#annotations-cluster", Input).value = str(cluster)
        await settle(pilot)
        expected = [a.id for a in reversed(made) if library.get_article(a.article_id).cluster_id == cluster]
        assert listed_ids(screen) == expected
        screen.query_one("#annotations-cluster", Input).value = ""
        # state filter
        screen.query_one("#annotations-state", Select).value = "orphaned"
        await settle(pilot)
        assert listed_ids(screen) == []
        assert "no annotations match" in str(screen.query_one("#annotations-status", Static).render())
        screen.query_one("#annotations-state", Select).value = "anchored"
        await settle(pilot)
        assert len(listed_ids(screen)) == 5
        # jump to the second newest
        screen.query_one(OptionList).focus()
        await pilot.press("down", "enter")
        await pilot.pause()
    target = made[3]
    expected_jump = JumpTarget(target.id, target.article_id, target.start, target.end, "anchored")
    assert app.results == [expected_jump] and app.jumps == [expected_jump]


async def test_annotations_screen_edits_and_deletes(annotated_library):
    library, made = annotated_library
    app = Host(lambda: AnnotationsScreen(library.path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        newest = made[-1]
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"why this matters")
        app.screen.query_one("#note-tags", Input).value = "review"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        saved = library.get_annotation(newest.id)
        assert (saved.note, saved.tags) == ("why this matters", ("review",))
        assert screen.annotations[0].note == "why this matters"
        assert "why this matters" in screen.query_one(OptionList).get_option_at_index(0).prompt.plain
        # delete needs two presses
        await pilot.press("delete")
        await pilot.pause()
        assert library.get_annotation(newest.id) is not None
        assert "again" in str(screen.query_one("#annotations-status", Static).render())
        await pilot.press("delete")
        await settle(pilot)
        assert library.get_annotation(newest.id) is None
        assert listed_ids(screen) == [a.id for a in reversed(made[:-1])]
        # x exports what is listed
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ExportPrompt)
        assert "4 annotations will be exported." in str(app.screen.query_one("#export-summary", Static).render())


async def test_annotations_screen_loads_more_pages_as_the_cursor_moves(annotated_library):
    library, made = annotated_library
    for _ in range(3):
        for a in list(made):
            annotate(library, a.article_id, a.exact)
    total = library.count_annotations()
    app = Host(lambda: AnnotationsScreen(library.path, page_size=4))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert 4 <= len(screen.annotations) < total and not screen.exhausted  # a page, perhaps one prefetched
        for _ in range(total):
            await pilot.press("down")
            await settle(pilot)
        assert len(screen.annotations) == total and screen.exhausted
        assert listed_ids(screen) == sorted(listed_ids(screen), reverse=True)
        assert len(set(listed_ids(screen))) == total


async def test_an_annotation_whose_article_is_gone_does_not_jump(annotated_library):
    library, made = annotated_library
    with library.transaction():
        library.delete_articles([made[-1].article_id])
    app = Host(lambda: AnnotationsScreen(library.path, state="orphaned"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert listed_ids(screen) == [a.id for a in reversed(made) if a.article_id == made[-1].article_id]
        assert "no longer in the library" in screen.query_one(OptionList).get_option_at_index(0).prompt.plain
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen and app.results == []
