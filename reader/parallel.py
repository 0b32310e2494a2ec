"""Process pools for the per-article work: which start method is safe, and ordered mapping
with back-pressure."""

from __future__ import annotations

import multiprocessing
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.pool import Pool
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def process_context() -> multiprocessing.context.BaseContext:
    """fork where it is safe (POSIX, no other threads: the CLI), else spawn (e.g. inside the TUI)."""
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def bounded_imap(pool: Pool, function: Callable[[Item], Result], items: Iterable[Item], *, in_flight: int) -> Iterator[Result]:
    """``pool.imap`` with back-pressure: at most ``in_flight`` items are submitted and not yet
    consumed, so a consumer slower than the workers never piles up their results (memory
    stays flat however long the input). Results come in input order."""
    waiting: deque[Any] = deque()
    for item in items:
        waiting.append(pool.apply_async(function, (item,)))
        if len(waiting) >= in_flight:
            yield waiting.popleft().get()
    while waiting:
        yield waiting.popleft().get()
