"""Snapshots of the main screen on the bundled sample (imported through the real pipeline).

The first story is opened (enter), so the sidebar shows its articles and the pane its
first unread article with entity highlights. Dark and light themes, 80x24 and 160x48.
Update with ``pytest tests/tui --snapshot-update`` and look at the SVGs before committing.
"""

from __future__ import annotations

import pytest

from reader.config import Settings
from reader.tui.app import ReaderApp


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_main_screen(snap_compare, sample_library, theme: str, size: tuple[int, int]) -> None:
    app = ReaderApp(sample_library.path, mark_read_after=3600, settings=Settings(theme=theme))

    async def open_first_story(pilot) -> None:
        await pilot.app.loaded.wait()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=open_first_story)
