"""Hostile titles, sources, URLs, entity names, notes and tags through the real reading app.

The library is imported through the real pipeline (hardening/hostile.py); each test drives
the app with Pilot and renders the whole frame the way the driver writes it to the terminal
(``hostile.frame_of``), then asserts on those bytes and lines: only the renderer's own
styles and cursor moves, no control, bidi or zero-width character, no word of a payload,
no link or click action from data, and the markup shown literally. (Article text itself is
covered in tests/tui.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hardening.hostile import (
    BIDI,
    ENTITY,
    MARKUP,
    NOTE,
    SHOWN_TAG,
    SOURCE,
    TITLE_A,
    TITLE_B,
    Frame,
    HostileLibrary,
    assert_screen_is_safe,
    build_hostile_library,
    frame_of,
    shown,
)
from textual.widgets import Input, TextArea

from reader.config import Settings
from reader.tui.app import ReaderApp

SIZE = (200, 50)
TITLES = {"hostile-a": TITLE_A, "hostile-b": TITLE_B}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> HostileLibrary:
    return build_hostile_library(tmp_path_factory.mktemp("hostile-screens"))


def make_app(path: Path) -> ReaderApp:
    return ReaderApp(path, settings=Settings(), mark_read_after=3600)


async def settle(app: ReaderApp, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def open_article(app: ReaderApp, pilot, external_id: str) -> None:
    """Open the story and its first article, then step with ] or [ to the one wanted."""
    await app.loaded.wait()
    await pilot.pause()
    await pilot.press("enter", "down", "enter")
    for key in ("right_square_bracket", "left_square_bracket", "left_square_bracket", None):
        await settle(app, pilot)
        if app.main_screen.article is not None and app.main_screen.article.external_id == external_id:
            return
        if key:
            await pilot.press(key)
    raise AssertionError(f"{external_id} is not in the first story")


async def safe_frame(app: ReaderApp, pilot) -> Frame:
    await settle(app, pilot)
    frame = frame_of(app)
    assert_screen_is_safe(frame)
    return frame


async def test_titles_sources_and_urls_in_the_sidebar_and_the_article_header(hostile: HostileLibrary) -> None:
    app = make_app(hostile.path)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(app, pilot, "hostile-b")
        frame = await safe_frame(app, pilot)
        label = frame.line_with("▾ ")  # the story's label (cut to the sidebar's width)
        assert "Hostile [bold red]loud[/bo" in label or "Second [bold red]loud[/bo" in label
        row = frame.line_with("• ")  # an article row: its source (cut short to leave room for the title), then the title
        assert "• Wire [bo" in row and "— Hostile [bold red]l" in row
        title = shown(TITLE_B)
        assert frame.line_with(title[:60]).split("▕ ", 1)[1].startswith(title[:60])  # the article header, in full
        meta = frame.line_with("2024-03-03")
        assert "https://news.example/b" in meta and "Wire [bold red]loud" in meta
        # the markup is literal text: no bold, no link, no click on it
        assert not [s for s in frame.segments if s.text.strip() == "loud" and s.style and s.style.bold and s.style.color
                    and s.style.color.name == "red"]


async def test_entity_names_in_the_panel_the_header_and_notifications(hostile: HostileLibrary) -> None:
    app = make_app(hostile.path)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(app, pilot, "hostile-a")
        await pilot.press("e")
        frame = await safe_frame(app, pilot)
        assert "Oracle Corporation" in frame.text and "Larry Ellison" in frame.text  # names the recognizer found
        assert "O Evil [bold red]loud[/" in frame.text  # the hostile stored name, as text (cut to the panel)
        panel = app.main_screen.query_one("EntityPanel")
        panel.query_one("EntityList").focus()
        for _ in range(40):
            if panel.highlighted_entity() is not None and panel.highlighted_entity().name.startswith(ENTITY[:2]):
                break
            await pilot.press("down")
        else:
            raise AssertionError("the hostile entity is not in the panel")
        await pilot.press("enter")  # jump to its mention (or a notification about it)
        frame = await safe_frame(app, pilot)
        await pilot.press("f")  # filter the stories: the header names the entity
        frame = await safe_frame(app, pilot)
        header = frame.lines[0]
        assert "mentions Evil [bold red]loud" in header, header


async def select_entity(app: ReaderApp, pilot, prefix: str):
    panel = app.main_screen.query_one("EntityPanel")
    panel.query_one("EntityList").focus()
    for _ in range(40):
        entity = panel.highlighted_entity()
        if entity is not None and entity.name.startswith(prefix):
            return entity
        await pilot.press("down")
    raise AssertionError(f"no entity {prefix}… in the panel")


async def test_a_notification_naming_an_entity_shows_its_name_as_text(hostile: HostileLibrary) -> None:
    app = make_app(hostile.path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_article(app, pilot, "hostile-b")  # the hostile entity is mentioned in the other article only
        await pilot.press("e")
        await settle(app, pilot)
        await pilot.press("c")  # the story's entities
        await settle(app, pilot)
        await select_entity(app, pilot, ENTITY[:2])
        await pilot.press("enter")  # "… is not mentioned in this article."
        frame = await safe_frame(app, pilot)
        toast = " ".join(line.split("▌", 1)[1].strip() for line in frame.lines if "▌" in line)
        assert " ".join(toast.split()).endswith(shown(ENTITY) + " is not mentioned in this article."), toast


async def test_search_results_show_titles_and_sources_as_text(hostile: HostileLibrary) -> None:
    app = make_app(hostile.path)
    async with app.run_test(size=SIZE) as pilot:
        await app.loaded.wait()
        await pilot.press("ctrl+f", *"ellison")
        frame = await safe_frame(app, pilot)
        for external_id, words in TITLES.items():
            assert shown(words)[:60] in frame.text, external_id
        assert "Wire [bold red]loud[/bold red]" in frame.text
        assert "Larry Ellison, the founder of Oracle" in frame.text  # a snippet
        await pilot.press(*["backspace"] * len("ellison"), *"payload")
        frame = await safe_frame(app, pilot)
        assert "Hidden payload and [bold red]loud[/bold red]" in frame.text  # a snippet holding markup, literal


async def test_the_diff_view_shows_both_titles_and_sources_as_text(hostile: HostileLibrary) -> None:
    app = make_app(hostile.path)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(app, pilot, "hostile-b")
        await pilot.press("d")
        frame = await safe_frame(app, pilot)
        a_line, b_line = frame.line_with(" A  #"), frame.line_with(" B  #")
        for line in (a_line, b_line):
            assert "[bold red]loud[/bold red] [link=https://evil.example]" in line and "Wire [bold red]loud" in line
        assert "Hidden payload and " + MARKUP[:40] in frame.text  # the body, markup literal


async def test_notes_and_tags_in_the_annotations_screen_and_the_note_editor(hostile: HostileLibrary) -> None:
    app = make_app(hostile.path)
    async with app.run_test(size=SIZE) as pilot:
        await app.loaded.wait()
        await pilot.press("A")
        frame = await safe_frame(app, pilot)
        assert shown(NOTE)[:40] in frame.text  # the note's first line
        assert "#" + SHOWN_TAG in frame.text
        assert shown(TITLE_A)[:40] in frame.text  # the article title stored with the annotation
        assert "Wire [bold red]loud" in frame.text
        screen = app.screen
        screen.query_one("#annotations-list").focus()
        for _ in range(3):
            if screen.current.note.startswith("My"):
                break
            await pilot.press("down")
        assert any(ch in screen.current.note for ch in BIDI)  # stored with its bidi overrides
        await pilot.press("e")  # edit its note: the editor shows what the screen shows
        frame = await safe_frame(app, pilot)
        area, tags = app.screen.query_one(TextArea), app.screen.query_one(Input)
        assert area.text == shown(NOTE) + "\nsecond line"
        assert tags.value == SHOWN_TAG


async def test_the_highlights_panel_shows_notes_as_text(hostile: HostileLibrary) -> None:
    app = make_app(hostile.path)
    if not hasattr(app.get_default_screen(), "action_toggle_notes"):
        pytest.skip("this version has no highlights panel")
    async with app.run_test(size=SIZE) as pilot:
        await open_article(app, pilot, "hostile-a")
        await pilot.press("H")
        frame = await safe_frame(app, pilot)
        assert "My [bold red]loud[/bold red]" in frame.text
        assert SHOWN_TAG in frame.text


LONG = 100_000


@pytest.fixture(scope="module")
def long_library(tmp_path_factory: pytest.TempPathFactory) -> HostileLibrary:
    """Titles, sources, URLs, notes and tags of 100,000 characters on one line."""
    import json

    from reader.pipeline import import_inputs
    from reader.store import open_library

    folder = tmp_path_factory.mktemp("long-lines")
    words = ("Headline " + "word " * (LONG // 5))[:LONG]
    record = {"id": "long", "title": words, "text": "Oracle Corporation bought a company. " * 20, "source": "S" * LONG,
              "url": "https://news.example/" + "p" * LONG, "date": "2024-01-01", "lang": "en"}
    (folder / "long.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    path = folder / "library.sqlite3"
    library = open_library(path)
    try:
        assert import_inputs(library, [str(folder / "long.jsonl")], workers=1).imported == 1
        article = next(iter(library.iter_articles()))
        library.create_annotation(article.id, 0, len("Oracle Corporation"), note="n" * (LONG - 1), tags=["t" * 64])
    finally:
        library.close()
    return HostileLibrary(path, {"long": article.id})


async def test_100000_character_titles_sources_urls_and_notes_fit_the_screen(long_library: HostileLibrary) -> None:
    app = make_app(long_library.path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_article(app, pilot, "long")
        assert len(app.main_screen.article.title) >= LONG - 10  # stored whole
        frames = [await safe_frame(app, pilot)]
        await pilot.press("ctrl+f", *"oracle")
        frames.append(await safe_frame(app, pilot))
        await pilot.press("escape", "A")
        frames.append(await safe_frame(app, pilot))
        for frame in frames:
            assert len(frame.lines) == 40
            assert all(len(line) <= 120 for line in frame.lines)
        assert "Headline word word" in frames[0].text and "SSSS" in frames[0].text
        assert "nnnn" in frames[2].text and "#tttt" in frames[2].text


async def test_the_command_palette_names_entities_as_text(hostile: HostileLibrary) -> None:
    app = make_app(hostile.path)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(app, pilot, "hostile-a")
        await pilot.press("ctrl+p", *"mentioning")
        for _ in range(100):  # the palette searches its providers in the background
            await pilot.pause(0.05)
            if "Stories mentioning Evil" in frame_of(app).text:
                break
        frame = await safe_frame(app, pilot)
        assert "Stories mentioning Evil [bold red]loud[/bold red]" in frame.text
        assert "Stories mentioning Larry Ellison" in frame.text
