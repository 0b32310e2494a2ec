"""Regenerate docs/screenshot.svg: the reading app on the bundled sample.

    python docs/screenshot.py

The first story is opened and the entity panel shown, in a 140x36 terminal.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from reader.config import Settings
from reader.sample import add_sample
from reader.store import open_library
from reader.tui.app import ReaderApp

OUT = Path(__file__).resolve().parent / "screenshot.svg"


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "library.sqlite3"
        with open_library(path) as library:
            add_sample(library)
        app = ReaderApp(path, mark_read_after=3600, settings=Settings())
        async with app.run_test(size=(140, 36)) as pilot:
            await app.loaded.wait()
            await pilot.pause()
            await pilot.press("enter", "e", "tab")
            await app.workers.wait_for_complete()
            await pilot.pause()
            app.save_screenshot(filename=OUT.name, path=str(OUT.parent))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    asyncio.run(main())
