"""Making and seeing highlights in the reading app, driven by Pilot and checked in the store.

Selection by keyboard (``v`` and motions) and by mouse drag, ``a`` to highlight (committed
at once, then the note editor), the side list of the article's highlights (``H``) with
orphaned and other-version ones, and stars from the article pane.
"""

from __future__ import annotations

import re
from pathlib import Path

from rich.cells import cell_len

from reader.annotations.reanchoring import reanchor_article
from reader.config import Settings
from reader.model import PreparedArticle, RawArticle
from reader.store import Library, open_library
from reader.text.normalize import content_hash
from reader.tui.app import ReaderApp
from reader.tui.keys import binding_ids
from reader.tui.widgets.article_view import ArticleView

SIZE = (120, 36)
WORD = re.compile(r"\w+|[^\w\s]+")


def make_app(path: Path, **options) -> ReaderApp:
    options.setdefault("mark_read_after", 3600)
    options.setdefault("settings", Settings())
    return ReaderApp(path, **options)


async def settle(app: ReaderApp, pilot) -> None:
    await pilot.pause()
    await app.writer.idle()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def open_article(app: ReaderApp, pilot, article_id: int) -> ArticleView:
    await app.loaded.wait()
    await pilot.pause()
    app.main_screen.open_article(article_id)
    await pilot.pause()
    view = app.main_screen.article_view
    view.focus()
    await pilot.pause()
    return view


def body_line_of(view: ArticleView, clean_offset: int) -> int:
    return view._wrapped().line_of(view.to_document(clean_offset))


def screen_point(view: ArticleView, clean_offset: int) -> tuple[int, int]:
    """Where a character of the clean text is drawn, in the view's coordinates."""
    document = view.to_document(clean_offset)
    line = view._wrapped().line_of(document)
    start = view._wrapped().starts[line]
    return view.styles.gutter.left + cell_len(view.text[start:document]), line - int(view.scroll_offset.y)


async def press_until(pilot, view: ArticleView, key: str, done, limit: int = 60) -> None:
    for _ in range(limit):
        if done(view.cursor):
            return
        await pilot.press(key)
    raise AssertionError(f"{key} never got there")


def replace_text(library: Library, article_id: int, text: str) -> None:
    """A new version of an article (same external id): updated in place, keeping its id."""
    old = library.get_article(article_id)
    raw = RawArticle(external_id=old.external_id, title=old.title, text=text, origin="test", url=old.url,
                     date=old.date, lang=old.lang, source=old.source)
    prepared = PreparedArticle(raw=raw, text=text, content_hash=content_hash(text), lang=old.lang, lang_prob=None,
                               date=old.date, date_origin="metadata")
    with library.transaction():
        (result,) = library.upsert_articles([prepared])
        assert result.article_id == article_id
        reanchor_article(library, article_id)


# -- selecting with the keyboard ------------------------------------------------------------------


async def test_v_and_motions_select_exact_spans_and_escape_cancels(story_library) -> None:
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(app, pilot, story_library.ids["en-1"])
        text = app.main_screen.article.text
        words = list(WORD.finditer(text))
        await pilot.press("v")
        assert view.selecting and view.selection == (0, 1) and view.cursor == 0
        await pilot.press("e")
        assert view.selected_text() == words[0].group() == "After"
        await pilot.press("w", "e")
        assert view.selected_text() == text[: words[1].end()] == "After Microsoft"
        await pilot.press("w")  # the apostrophe is a word of its own, as in vim
        assert text[view.cursor] == "’"
        await pilot.press("b")
        assert view.cursor == words[1].start()
        await pilot.press("l", "l", "h")
        assert view.cursor == words[1].start() + 1
        # j keeps the column on the next screen line; $ and 0 go to its ends
        line = body_line_of(view, view.cursor)
        await pilot.press("j")
        assert body_line_of(view, view.cursor) == line + 1
        await pilot.press("dollar_sign")
        assert view.text[view.to_document(view.cursor)] == view.line_text(line + 1)[-1]
        await pilot.press("0")
        assert view.line_text(line + 1).startswith(text[view.cursor : view.cursor + 10])
        await pilot.press("k", "0")
        assert view.cursor == 0 and view.selection == (0, 1)
        await pilot.press("pagedown")
        assert body_line_of(view, view.cursor) > line + 10 and view.scroll_offset.y > 0
        await pilot.press("G")
        assert view.selection == (0, len(text.rstrip()))
        await pilot.press("escape")
        assert not view.selecting and view.selection is None and view.cursor is None
        # out of selection mode the keys scroll again
        await pilot.press("g")
        await pilot.press("j")
        assert view.scroll_offset.y == 1


async def test_o_moves_the_other_end_of_the_selection(story_library) -> None:
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(app, pilot, story_library.ids["en-1"])
        text = app.main_screen.article.text
        await pilot.press("v", "w", "w", "w", "w")  # After Microsoft ’ s offer: on "offer"
        start = view.cursor
        assert text[start:].startswith("offer")
        await pilot.press("o")  # the cursor goes back to the start; "offer" is now the anchor
        assert view.cursor == 0
        await pilot.press("w", "w", "w", "w", "e")
        assert view.selected_text() == "offer"


async def test_v_in_raw_text_says_to_switch_to_clean_text(story_library) -> None:
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(app, pilot, story_library.ids["en-1"])
        await pilot.press("r", "v")
        assert not view.selecting
        assert any("clean text" in n.message for n in app._notifications)
        await pilot.press("r", "v")
        assert view.selecting


# -- highlighting ---------------------------------------------------------------------------------


async def test_a_highlights_at_once_then_the_note_editor_saves_note_and_tags(story_library) -> None:
    article_id = story_library.ids["en-1"]
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(app, pilot, article_id)
        await pilot.press("v", "e", "w", "e", "a")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "NoteEditor"
        with open_library(story_library.path) as library:  # committed before any note is typed
            (made,) = library.article_annotations(article_id)
        assert (made.exact, made.start, made.end, made.note) == ("After Microsoft", 0, 15, "")
        assert made.prefix == "" and made.suffix.startswith("’s offer")
        await pilot.press(*"who", "space", *"bids?", "enter", *"second", "space", *"line")
        await pilot.press("tab", *"tiktok,", "space", *"cloud deals")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is app.main_screen and app.focused is view
        with open_library(story_library.path) as library:
            (saved,) = library.article_annotations(article_id)
        assert saved.id == made.id and saved.note == "who bids?\nsecond line"
        assert saved.tags == ("cloud deals", "tiktok")
        assert not view.selecting and view.selection is None
        (highlight,) = view._layers["annotations"].spans
        assert view.text[highlight[0] : highlight[1]] == "After Microsoft" and highlight[2] == "article--annotation"


async def test_escape_in_the_note_editor_keeps_the_highlight_without_a_note(story_library) -> None:
    article_id = story_library.ids["en-1"]
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(app, pilot, article_id)
        await pilot.press("v", "e", "a")
        await settle(app, pilot)
        await pilot.press(*"never saved", "escape")
        await settle(app, pilot)
        with open_library(story_library.path) as library:
            (kept,) = library.article_annotations(article_id)
        assert (kept.exact, kept.note, kept.tags) == ("After", "", ())


async def test_the_note_editor_can_be_skipped_by_config(story_library) -> None:
    article_id = story_library.ids["en-1"]
    app = make_app(story_library.path, settings=Settings(raw={"tui": {"note_after_highlight": False}}))
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(app, pilot, article_id)
        await pilot.press("v", "e", "a")
        await settle(app, pilot)
        assert app.screen is app.main_screen and not view.selecting
        with open_library(story_library.path) as library:
            assert [a.exact for a in library.article_annotations(article_id)] == ["After"]


async def test_a_without_a_selection_does_nothing(story_library) -> None:
    article_id = story_library.ids["en-1"]
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(app, pilot, article_id)
        await pilot.press("a")
        await settle(app, pilot)
        assert app.screen is app.main_screen
        with open_library(story_library.path) as library:
            assert library.article_annotations(article_id) == []


# -- selecting with the mouse ---------------------------------------------------------------------


async def test_mouse_drag_selects_a_span_and_a_highlights_it(story_library) -> None:
    article_id = story_library.ids["en-1"]
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(app, pilot, article_id)
        text = app.main_screen.article.text
        start = text.index("Oracle caught the eye")
        end = start + len("Oracle caught the eye")
        begin_at, finish_at = screen_point(view, start), screen_point(view, end - 1)
        await pilot.mouse_down(view, offset=begin_at)
        await pilot.hover(view, offset=finish_at)
        await pilot.mouse_up(view, offset=finish_at)
        await pilot.pause()
        assert view.selecting and view.selection == (start, end)
        assert view.selected_text() == "Oracle caught the eye"
        await pilot.press("a")
        await settle(app, pilot)
        await pilot.press("escape")  # no note
        await settle(app, pilot)
        with open_library(story_library.path) as library:
            (made,) = library.article_annotations(article_id)
        assert (made.exact, made.start, made.end) == ("Oracle caught the eye", start, end)


async def test_a_plain_click_drops_the_selection(story_library) -> None:
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(app, pilot, story_library.ids["en-1"])
        await pilot.press("v", "e")
        assert view.selecting
        point = screen_point(view, 30)
        await pilot.mouse_down(view, offset=point)
        await pilot.mouse_up(view, offset=point)
        await pilot.pause()
        assert not view.selecting and view.selection is None


async def test_offsets_stay_exact_with_tabs_wide_characters_and_escape_codes(stories) -> None:
    text = "Tab\there: 東京都 is wide; then \x1b[31mred\x1b[0m words and more words at the end."
    library = stories.write({"odd": [stories.prepared("odd", text, title="Odd characters")]})
    article_id = library.ids["odd"]
    app = make_app(library.path)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(app, pilot, article_id)
        assert "\x1b" not in view.text and "東京都 is wide; then red words" in view.text
        red, words = text.index("red"), text.index("words")
        # the keyboard: "red" sits right after a stripped escape sequence
        await pilot.press("v")
        await press_until(pilot, view, "w", lambda cursor: cursor == red)
        await pilot.press("e")
        assert view.selection == (0, red + 3)  # from "T" (where v started) to the "d" of "red"
        await pilot.press("escape")
        # the mouse, over the wide characters (two cells each)
        wide = text.index("東京都")
        begin_at, finish_at = screen_point(view, wide), screen_point(view, wide + 2)
        assert finish_at[0] - begin_at[0] == 4
        await pilot.mouse_down(view, offset=begin_at)
        await pilot.hover(view, offset=(finish_at[0] + 1, finish_at[1]))  # the right half of "都"
        await pilot.mouse_up(view, offset=(finish_at[0] + 1, finish_at[1]))
        await pilot.pause()
        assert view.selected_text() == "東京都"
        await pilot.press("a")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        # a span across the escape codes after "red", by the keyboard, highlighted
        await pilot.press("v")
        await press_until(pilot, view, "w", lambda cursor: cursor == words)
        await pilot.press("o")
        await press_until(pilot, view, "w", lambda cursor: cursor == red)
        assert view.selection == (red, words + 1)
        await pilot.press("a")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        with open_library(library.path) as opened:
            quotes = {a.exact: (a.start, a.end) for a in opened.article_annotations(article_id)}
        assert quotes["東京都"] == (wide, wide + 3)
        assert quotes[text[red : words + 1]] == (red, words + 1)  # the clean text, escape codes and all
        shown = {view.text[a:b] for a, b, _ in view._layers["annotations"].spans}
        assert shown == {"東京都", "red w"}


# -- the side list of the article's highlights ----------------------------------------------------


async def test_H_lists_own_other_version_and_orphaned_highlights(fake_duplicates) -> None:
    ids = fake_duplicates.ids
    with open_library(fake_duplicates.path) as library:
        text = library.get_article(ids["en-1"]).text
        own = library.create_annotation(ids["en-1"], text.index("Oracle caught"), text.index("Oracle caught") + 6,
                                        note="first line\nsecond line", tags=["cloud"])
        doomed_at = text.index("Larry Ellison")
        doomed = library.create_annotation(ids["en-1"], doomed_at, doomed_at + len("Larry Ellison"), note="gone soon")
        copy_text = library.get_article(ids["en-copy"]).text
        at = copy_text.index("Wall Street Journal")
        other = library.create_annotation(ids["en-copy"], at, at + len("Wall Street Journal"), note="on the copy")
        # a new version of en-1 without Larry Ellison's sentence: that highlight is orphaned
        replace_text(library, ids["en-1"], text.replace("Unexpectedly, Larry Ellison’s company entered the battle and won a decisive round. ", ""))
        assert library.get_annotation(doomed.id).state == "orphaned"
    app = make_app(fake_duplicates.path)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(app, pilot, ids["en-1"])
        assert any("no longer in its text" in n.message for n in app._notifications)
        await pilot.press("H")
        await settle(app, pilot)
        main = app.main_screen
        panel = main.annotation_panel
        assert main.has_class("-notes") and app.focused is panel.note_list
        notes = panel.notes
        assert [n.annotation.id for n in notes] == [own.id, other.id, doomed.id]
        assert [(n.placed, n.other_version) for n in notes] == [(True, False), (True, True), (False, False)]
        assert panel.note_list.option_count == 3
        # the text shows the placed ones only: own and from another version, each its own style
        drawn = sorted((view.text[a:b], cls) for a, b, cls in view._layers["annotations"].spans)
        assert drawn == [("Oracle", "article--annotation"), ("Wall Street Journal", "article--annotation-other")]
        # enter shows one in the text
        await pilot.press("down", "enter")
        await pilot.pause()
        (focus,) = view._layers["focus"].spans
        assert view.text[focus[0] : focus[1]] == "Wall Street Journal"
        assert view._wrapped().line_of(focus[0]) in view.visible_lines()
        # the orphaned one is listed, never placed
        await pilot.press("down", "enter")
        await pilot.pause()
        (focus_after,) = view._layers["focus"].spans
        assert focus_after == focus
        assert any("no longer in the article" in n.message for n in app._notifications)
        # a highlight from another version cannot be deleted here
        await pilot.press("up", "delete", "delete")
        await settle(app, pilot)
        with open_library(fake_duplicates.path) as library:
            assert library.get_annotation(other.id) is not None


async def test_side_list_edits_notes_and_deletes_with_a_second_press(story_library) -> None:
    article_id = story_library.ids["en-1"]
    with open_library(story_library.path) as library:
        text = library.get_article(article_id).text
        first = library.create_annotation(article_id, 0, 5, note="old note", tags=["a"])
        at = text.index("Oracle caught")
        second = library.create_annotation(article_id, at, at + 6)
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(app, pilot, article_id)
        await pilot.press("H")
        await settle(app, pilot)
        panel = app.main_screen.annotation_panel
        await pilot.press("e")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "NoteEditor"
        await pilot.press("end", "enter", *"more", "tab", "end", *", b", "ctrl+s")
        await settle(app, pilot)
        with open_library(story_library.path) as library:
            edited = library.get_annotation(first.id)
        assert edited.note == "old note\nmore" and edited.tags == ("a", "b")
        assert panel.notes[0].annotation.note == "old note\nmore"
        # delete needs a second press; moving away forgets the first
        await pilot.press("down", "delete", "up", "down", "delete")
        await settle(app, pilot)
        with open_library(story_library.path) as library:
            assert library.get_annotation(second.id) is not None
        await pilot.press("delete")
        await settle(app, pilot)
        with open_library(story_library.path) as library:
            assert library.get_annotation(second.id) is None
        assert [n.annotation.id for n in panel.notes] == [first.id]
        # H again hides the list and gives the focus back to the article
        await pilot.press("H")
        await pilot.pause()
        assert not app.main_screen.has_class("-notes") and app.focused is app.main_screen.article_view


async def test_side_list_and_entity_panel_take_turns(story_library, fake_entities) -> None:
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(app, pilot, story_library.ids["en-1"])
        await pilot.press("H")
        await pilot.pause()
        main = app.main_screen
        assert main.has_class("-notes")
        assert app.focused is main.annotation_panel.note_list
        await pilot.press("tab")  # the sidebar gives its place to the list at 120 columns: the article
        assert app.focused is main.article_view
        await pilot.press("e")  # the entity panel replaces the list
        await pilot.pause()
        assert main.has_class("-entities") and not main.has_class("-notes")


# -- stars ----------------------------------------------------------------------------------------


async def test_s_in_the_article_stars_the_open_article_and_S_shows_starred_only(story_library) -> None:
    article_id = story_library.ids["fr-1"]
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(app, pilot, article_id)
        await pilot.press("s")
        await settle(app, pilot)
        with open_library(story_library.path) as library:
            assert library.get_article(article_id, with_text=False).starred
            assert not library.get_cluster(story_library.clusters["Oracle wins the TikTok partnership"]).starred
        assert view.line_text(1).startswith("★ starred")
        await pilot.press("S")
        await settle(app, pilot)
        sidebar = app.main_screen.sidebar
        labels = [sidebar.entry(r).label for r in range(sidebar.row_count) if hasattr(sidebar.entry(r), "label")]
        assert labels == ["Oracle wins the TikTok partnership"]
        await pilot.press("s")  # unstar
        await settle(app, pilot)
        with open_library(story_library.path) as library:
            assert not library.get_article(article_id, with_text=False).starred
        assert not view.line_text(1).startswith("★")


# -- keys ------------------------------------------------------------------------------------------


async def test_help_lists_the_new_keys_and_the_keymap_rebinds_them(story_library) -> None:
    ids = binding_ids(ReaderApp.key_sections())
    assert {"article.select", "select.highlight", "select.word-forward", "select.cancel", "main.toggle-notes",
            "notes.show", "notes.edit", "notes.delete"} <= ids
    settings = Settings(keys={"select.word-forward": "W", "main.toggle-notes": "ctrl+n", "article.select": "V"})
    app = make_app(story_library.path, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(app, pilot, story_library.ids["en-1"])
        await pilot.press("v")
        assert not view.selecting
        await pilot.press("V", "w")
        assert view.selecting and view.cursor == 0
        await pilot.press("W")
        assert view.cursor == len("After ")
        await pilot.press("escape", "ctrl+n")
        await pilot.pause()
        assert app.main_screen.has_class("-notes")
        await pilot.press("question_mark")
        await pilot.pause()
        rows = app.screen.rows
        shown = {row.binding_id: row.keys for row in rows}
        assert shown["select.word-forward"] == ("W",) and shown["main.toggle-notes"] == ("ctrl+n",)
        assert shown["select.highlight"] == ("a",)


async def test_command_palette_stars_the_open_article(story_library) -> None:
    article_id = story_library.ids["en-2"]
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(app, pilot, article_id)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"star or unstar this article")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(app, pilot)
        with open_library(story_library.path) as library:
            assert library.get_article(article_id, with_text=False).starred


# -- snapshots ------------------------------------------------------------------------------------


def annotated_story_library(fake_duplicates) -> dict[str, int]:
    """en-1 with a highlight over entities, one from its copy, one orphaned by a new version."""
    ids = fake_duplicates.ids
    with open_library(fake_duplicates.path) as library:
        text = library.get_article(ids["en-1"]).text
        at = text.index("Oracle caught the eye")
        library.create_annotation(ids["en-1"], at, at + len("Oracle caught the eye"), note="the turn of the story\nsee Reuters too",
                                  tags=["cloud", "deals"])
        doomed_at = text.index("Larry Ellison")
        library.create_annotation(ids["en-1"], doomed_at, doomed_at + len("Larry Ellison"), note="who is he?")
        copy_text = library.get_article(ids["en-copy"]).text
        at = copy_text.index("Wall Street Journal")
        library.create_annotation(ids["en-copy"], at, at + len("Wall Street Journal"), note="made on the copy")
        replace_text(library, ids["en-1"], text.replace("Unexpectedly, Larry Ellison’s company entered the battle and won a decisive round. ", ""))
    return ids


def test_snapshot_selecting_over_entity_and_annotation_highlights(snap_compare, fake_duplicates, fake_entities) -> None:
    ids = annotated_story_library(fake_duplicates)
    app = make_app(fake_duplicates.path, settings=Settings(theme="textual-dark"))

    async def select(pilot) -> None:
        await open_article(app, pilot, ids["en-1"])
        app.clear_notifications()
        await pilot.press("v", "w", "w", "w", "w", "e", "j")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 30), run_before=select)


def test_snapshot_side_list_of_highlights(snap_compare, fake_duplicates, fake_entities) -> None:
    ids = annotated_story_library(fake_duplicates)
    app = make_app(fake_duplicates.path, settings=Settings(theme="textual-light"))

    async def side_list(pilot) -> None:
        await open_article(app, pilot, ids["en-1"])
        app.clear_notifications()
        await pilot.press("H")
        await settle(app, pilot)
        await pilot.press("down", "enter")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(130, 34), run_before=side_list)


def test_snapshot_note_editor_after_a_highlight(snap_compare, story_library) -> None:
    app = make_app(story_library.path, settings=Settings(theme="textual-dark"))

    async def highlight(pilot) -> None:
        await open_article(app, pilot, story_library.ids["en-1"])
        await pilot.press("v", "e", "w", "e", "a")
        await settle(app, pilot)
        app.clear_notifications()
        app.screen.query_one("TextArea").cursor_blink = False
        await pilot.press(*"first line", "enter", *"second line", "tab", *"tiktok, cloud")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 30), run_before=highlight)


async def test_a_highlight_with_a_colour_is_drawn_in_its_colour_class(story_library) -> None:
    article_id = story_library.ids["en-1"]
    with open_library(story_library.path) as library:
        text = library.get_article(article_id).text
        at = text.index("Oracle caught")
        library.create_annotation(article_id, at, at + 6, color="green")
        library.create_annotation(article_id, 0, 5)
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(app, pilot, article_id)
        drawn = sorted((view.text[a:b], cls) for a, b, cls in view._layers["annotations"].spans)
        assert drawn == [("After", "article--annotation"), ("Oracle", "article--annotation-green")]
        green = view.get_component_rich_style("article--annotation-green")
        plain = view.get_component_rich_style("article--annotation")
        assert green.bgcolor != plain.bgcolor and green.underline


async def test_a_double_click_selects_a_word(story_library) -> None:
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(app, pilot, story_library.ids["en-1"])
        text = app.main_screen.article.text
        at = text.index("privileged")
        await pilot.click(view, offset=screen_point(view, at + 3), times=2)
        await pilot.pause()
        assert view.selecting and view.selection == (at, at + len("privileged"))


async def test_deleting_in_the_annotations_screen_clears_the_highlight_in_the_open_article(story_library) -> None:
    article_id = story_library.ids["en-1"]
    with open_library(story_library.path) as library:
        library.create_annotation(article_id, 0, 5)
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(app, pilot, article_id)
        assert len(view._layers["annotations"].spans) == 1
        await pilot.press("A")
        await settle(app, pilot)
        await pilot.press("delete", "delete")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is app.main_screen
        assert "annotations" not in view._layers


async def test_the_starred_filter_lists_only_starred_articles_of_a_story(story_library) -> None:
    ids = story_library.ids
    with open_library(story_library.path) as library:
        with library.transaction():
            library.set_article_starred(ids["en-copy"], True)
    app = make_app(story_library.path)
    async with app.run_test(size=SIZE) as pilot:
        await app.loaded.wait()
        await pilot.pause()
        await pilot.press("S")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        sidebar = app.main_screen.sidebar
        assert sidebar.expanded.cluster.label == "Oracle wins the TikTok partnership"
        assert [(r.article.id, r.depth) for r in sidebar.expanded.rows] == [(ids["en-copy"], 0)]
        assert app.main_screen.article.id == ids["en-copy"]
        await pilot.press("S")  # the filter off: the story lists all three again
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert len(sidebar.expanded.rows) == 3


def test_starred_rows_keep_a_starred_copy_under_a_starred_original_only() -> None:
    from reader.model import Article
    from reader.tui.store_access import ArticleRow
    from reader.tui.widgets.sidebar import starred_rows

    def article(i: int, starred: bool) -> Article:
        return Article(id=i, external_id=str(i), title="t", lang="en", source=None, url=None, date=None, starred=starred)

    rows = [ArticleRow(article(1, False)), ArticleRow(article(2, True), 1, "exact"),
            ArticleRow(article(3, True)), ArticleRow(article(4, True), 1, "near"), ArticleRow(article(5, False), 1, "near")]
    kept = starred_rows(rows)
    assert [(r.article.id, r.depth, r.relation) for r in kept] == [(2, 0, None), (3, 0, None), (4, 1, "near")]


async def test_a_combining_accent_stays_with_its_letter_in_a_highlight(stories) -> None:
    text = "Cafe\u0301 noir and more words."
    library = stories.write({"accent": [stories.prepared("accent", text, title="Accents")]})
    app = make_app(library.path)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(app, pilot, library.ids["accent"])
        await pilot.press("v", "e")
        assert view.cursor == 3 and view.selected_text() == "Cafe\u0301"
        await pilot.press("e", "b", "h")  # to "noir", back to its start, left onto the space
        await pilot.press("h")
        assert view.cursor == 3  # on the "e", never on the accent alone
        await pilot.press("a")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        with open_library(library.path) as opened:
            (made,) = opened.article_annotations(library.ids["accent"])
        assert made.exact == "Cafe\u0301" and (made.start, made.end) == (0, 5)
