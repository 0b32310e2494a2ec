"""The diff screen driven by Pilot, and its snapshots, on the seeds.

A tiny host app pushes ``DiffScreen(library_path, a, b)`` the way the reading app does
with ``d``, so these tests do not depend on the main screen.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App

from reader import diffing
from reader.model import RawArticle
from reader.pipeline import import_records
from reader.store import Library, open_library
from reader.tui.screens.diff import DiffScreen
from reader.tui.widgets.diff_view import DiffView

PAGE = "sample/000_9dd72cae0654412e.txt"  # seed 001 plus three more stories
STORY = "sample/001_3f7b207e56d880eb.txt"
SIZE = (120, 40)


class DiffHost(App[None]):
    """Stands in for the reading app: opens the diff screen at start."""

    def __init__(self, library_path: Path, a: int, b: int, mode: str | None = None) -> None:
        super().__init__()
        self.diff_args = (library_path, a, b, mode)

    def on_mount(self) -> None:
        path, a, b, mode = self.diff_args
        self.push_screen(DiffScreen(path, a, b, mode=mode))  # type: ignore[arg-type]


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def edited_story(text: str) -> str:
    """Seed 001 as another outlet might run it: words changed, a paragraph moved, one added."""
    text = text.replace("is imminent", "looks certain").replace("keen to reach", "eager to buy")
    paragraphs = text.split("\n\n")
    (at,) = [k for k, p in enumerate(paragraphs) if p.startswith("According to Zoom")]
    moved = paragraphs.pop(at)  # a short heading goes to the end
    paragraphs.insert(at, "Shares of Oracle rose 6% in early trading on Monday, the company said.")
    paragraphs.append(moved)
    return "\n\n".join(paragraphs)


@pytest.fixture
def pair_library(tmp_path: Path, seeds_dir: Path) -> tuple[Path, int, int]:
    """A library with seed 001 and an edited copy of it; returns (path, id of 001, id of the copy)."""
    path = tmp_path / "pair.sqlite3"
    (seed,) = seeds_dir.glob("001_*")
    raw = seed.read_text(encoding="utf-8")
    with open_library(path) as library:
        import_records(library, iter([RawArticle(external_id="story", title="Story", text=raw, origin="test")]), workers=1)
        story = library.find_article("story")
        assert story is not None and story.text
        import_records(
            library,
            iter([RawArticle(external_id="copy", title="Story (syndicated)", text=edited_story(story.text), origin="test")]),
            workers=1,
        )
        copy = library.find_article("copy")
        assert copy is not None
        return path, story.id, copy.id


@pytest.fixture
def seeds_pair(sample_library: Library) -> tuple[Path, int, int]:
    page = sample_library.find_article(PAGE)
    story = sample_library.find_article(STORY)
    assert page and story
    return sample_library.path, page.id, story.id


def view_of(app: App) -> DiffView:
    return app.screen.query_one(DiffView)


def summary_of(app: App) -> str:
    return str(app.screen.query_one("#diff-summary").render())


# -- Pilot ---------------------------------------------------------------------------------------


async def test_containment_folds_and_expands(seeds_pair: tuple[Path, int, int]) -> None:
    app = DiffHost(*seeds_pair)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DiffScreen)
        view = view_of(app)
        assert view.mode == "side-by-side"  # 120 columns: wide enough
        assert "A contains B" in summary_of(app)
        (fold,) = view.folds  # the shared paragraphs, but the last (context)
        assert f"… {fold.count} unchanged paragraphs …" in "\n".join(view.visible_text())
        shown_before = len(view.items)
        await pilot.press("enter")
        assert view.folds == [] and fold.start in view.expanded
        assert len(view.items) == shown_before - 1 + fold.count
        await pilot.press("z")  # fold everything again
        assert len(view.folds) == 1
        await pilot.press("z")
        assert view.folds == [] and view.unfolded


async def test_next_and_previous_change(pair_library: tuple[Path, int, int]) -> None:
    app = DiffHost(*pair_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = view_of(app)
        hunks = view.document.hunks
        assert len(hunks) >= 3  # the changed paragraph, the insert, the move (at both places)
        assert view.current_change is None
        await pilot.press("n")
        assert view.current_change == 0
        assert "change 1/" in summary_of(app)
        await pilot.press("n", "n")
        assert view.current_change == 2
        await pilot.press("N")
        assert view.current_change == 1
        # the current change is on screen, its gutter marked
        first_row = view.document.rows[hunks[1][0]]
        marker = {"insert": "+ ", "replace": "~ ", "moved-here": "» ", "moved-away": "« ", "delete": "- "}[first_row.kind]
        line = view._change_line(1) - int(view.scroll_offset.y)
        assert 0 <= line < view.scrollable_content_region.height
        assert marker in view.visible_text()[line]
        await pilot.press("N", "N")
        assert view.current_change == len(hunks) - 1  # wraps around


async def test_switching_modes_keeps_the_place(pair_library: tuple[Path, int, int]) -> None:
    app = DiffHost(*pair_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = view_of(app)
        side = view.all_text()
        assert all(" │ " in line for line in side if line.strip() and "unchanged paragraph" not in line)
        (start,) = [k for k, line in enumerate(side) if line.startswith("~ ")]
        end = side.index(" " * len(side[0]), start)  # a blank line closes the row
        left = " ".join(line.split(" │ ")[0][2:].strip() for line in side[start:end])
        right = " ".join(line.split(" │ ")[1][2:].strip() for line in side[start:end])
        assert "TikTok is imminent. While" in left and "TikTok looks certain. While" in right
        assert any("⇣ moved to ¶" in line.split(" │ ")[0] for line in side if " │ " in line)
        assert any("⇡ moved from ¶" in line.split(" │ ")[1] for line in side if " │ " in line)
        await pilot.press("u")
        assert view.mode == "unified"
        assert "unified" in summary_of(app)
        unified = view.all_text()
        assert not any(" │ " in line for line in unified)
        # the changed paragraph reads as one text: removed words inline before the new ones
        assert "is imminent looks certain" in " ".join(line[2:].strip() for line in unified)
        await pilot.press("n", "n")
        top_row = view._top_row()
        await pilot.press("s")
        assert view.mode == "side-by-side"
        assert view._top_row() == top_row
        await pilot.press("escape")
        assert not isinstance(app.screen, DiffScreen)


async def test_a_degraded_diff_says_so(pair_library: tuple[Path, int, int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(diffing, "WORD_LEVEL_TOKEN_LIMIT", 50)
    app = DiffHost(*pair_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.has_class("-degraded")
        note = app.screen.query_one("#diff-note")
        assert note.display and "paragraphs only" in str(note.render())


async def test_an_unknown_article_is_reported(pair_library: tuple[Path, int, int]) -> None:
    path, a, _ = pair_library
    app = DiffHost(path, a, 9999)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "No article #9999" in summary_of(app)
        assert view_of(app).document is None


async def test_entities_are_highlighted_in_both_panes(
    pair_library: tuple[Path, int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, a, b = pair_library

    class Span:
        def __init__(self, start: int, end: int, type: str) -> None:
            self.start, self.end, self.type = start, end, type

    def entity_spans(library: Library, article_id: int) -> list[Span]:
        article = library.get_article(article_id)
        assert article is not None and article.text
        at = article.text.index("Oracle")
        return [Span(at, at + len("Oracle"), "ORG")]

    monkeypatch.setattr(Library, "entity_spans", entity_spans, raising=False)
    app = DiffHost(path, a, b, mode="side-by-side")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        document = view_of(app).document
        first = next(k for k, row in enumerate(document.rows) if row.a == 0)
        for cell in (document.side_cell(first, "a"), document.side_cell(first, "b"), document.unified_cell(first)):
            assert cell is not None
            (start, end, _), *_ = [r for r in cell.runs if "article--entity-org" in r[2]]
            assert cell.text[start:end] == "Oracle"


async def test_article_text_is_never_markup(tmp_path: Path) -> None:
    path = tmp_path / "hostile.sqlite3"
    base = "First paragraph stays the same.\n\nThe second paragraph changes here."
    hostile = base.replace("changes here", "[bold red]changes[/bold red] \x1b[31mhere\x1b[0m \x1b]52;c;ZXZpbA==\x07[link=x]ok[/link]")
    with open_library(path) as library:
        import_records(library, iter([
            RawArticle(external_id="a", title="A", text=base, origin="test"),
            RawArticle(external_id="b", title="B [blink]", text=hostile, origin="test"),
        ]), workers=1)
        ids = [library.find_article(k).id for k in ("a", "b")]  # type: ignore[union-attr]
    app = DiffHost(path, *ids, mode="unified")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = "\n".join(view_of(app).visible_text())
        assert "[bold red]changes[/bold red]" in shown and "[link=x]ok[/link]" in shown
        assert "\x1b" not in shown and "\x07" not in shown
        assert "B [blink]" in str(app.screen.query_one("#diff-b").render())


# -- snapshots -----------------------------------------------------------------------------------

SNAPSHOT_ENTITIES = {"TikTok": "ORG", "Oracle": "ORG", "Microsoft": "ORG", "Larry Ellison": "PERSON", "Donald Trump": "PERSON"}


@pytest.fixture(autouse=True)
def fixed_entities(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Snapshots show entity highlights from a fixed list, not from the evolving recognizer."""
    if "snap_compare" not in request.fixturenames:
        return
    import re

    pattern = re.compile("|".join(rf"\b{re.escape(name)}\b" for name in SNAPSHOT_ENTITIES))

    class Span:
        def __init__(self, start: int, end: int, type: str) -> None:
            self.start, self.end, self.type = start, end, type

    def entity_spans(library: Library, article_id: int) -> list[Span]:
        article = library.get_article(article_id)
        text = article.text if article and article.text else ""
        return [Span(m.start(), m.end(), SNAPSHOT_ENTITIES[m.group()]) for m in pattern.finditer(text)]

    monkeypatch.setattr(Library, "entity_spans", entity_spans, raising=False)



def test_snapshot_side_by_side(snap_compare, pair_library: tuple[Path, int, int]) -> None:
    assert snap_compare(DiffHost(*pair_library, mode="side-by-side"), terminal_size=SIZE, run_before=settle)


def test_snapshot_unified(snap_compare, pair_library: tuple[Path, int, int]) -> None:
    async def next_change(pilot) -> None:
        await settle(pilot)
        await pilot.press("n")

    assert snap_compare(DiffHost(*pair_library, mode="unified"), terminal_size=SIZE, run_before=next_change)


def test_snapshot_containment_on_the_seeds(snap_compare, seeds_pair: tuple[Path, int, int]) -> None:
    assert snap_compare(DiffHost(*seeds_pair), terminal_size=SIZE, run_before=settle)
