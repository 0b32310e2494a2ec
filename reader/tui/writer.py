"""One writer thread with its own library connection, so the UI never waits on a write lock.

Jobs are plain functions ``job(library) -> result`` (see :mod:`reader.tui.store_access`);
they run one at a time, in order, each opening its own transaction. The result is handed
back on the UI thread through ``on_done``.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from reader.store import Library, open_library

T = TypeVar("T")


class StoreWriter:
    def __init__(self, library_path: Path) -> None:
        self._path = library_path
        self._local = threading.local()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reader-writer")
        self._pending: set[Future[Any]] = set()

    def _library(self) -> Library:
        library = getattr(self._local, "library", None)
        if library is None:
            library = self._local.library = open_library(self._path)
        return library

    def submit(self, job: Callable[[Library], T]) -> Future[T]:
        future = self._executor.submit(lambda: job(self._library()))
        self._pending.add(future)
        future.add_done_callback(self._pending.discard)
        return future

    async def idle(self) -> None:
        """Wait until every submitted job has finished (tests and shutdown use it)."""
        while self._pending:
            await asyncio.gather(*(asyncio.wrap_future(f) for f in list(self._pending)), return_exceptions=True)

    def close(self) -> None:
        def close_connection() -> None:
            library = getattr(self._local, "library", None)
            if library is not None:
                library.close()
                self._local.library = None

        self._executor.submit(close_connection)
        self._executor.shutdown(wait=True)
