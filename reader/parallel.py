"""Process pools for the per-article work: which start method is safe, and ordered mapping
with back-pressure."""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.pool import Pool
from typing import Any, TypeVar

# How much lower the workers' CPU priority is than the main process's (nice; 0-19 on POSIX).
# The main process is the pipeline's serial stage: it stores every batch and runs the library
# stages, and with two workers on two cores it shared a core with them and waited its turn
# while storing (wall 13.5 s for 11.1 s of CPU, importing 10,000 new articles into a
# 100,000-article library). At a lower priority the workers take what it leaves: 18.5 -> 15.2 s
# for that import (with more chunks in flight, see the pipeline), 14.4 -> 12.1 s for 10,000
# into a new library. Other programs the user runs meanwhile (the reader's own TUI, say) are
# served before the workers as well.
WORKER_NICENESS = 10

Item = TypeVar("Item")
Result = TypeVar("Result")


def process_context() -> multiprocessing.context.BaseContext:
    """fork where it is safe (POSIX, no other threads: the CLI), else spawn (e.g. inside the TUI)."""
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


class QuietPool(Pool):
    """multiprocessing's Pool without the busy wait of its worker-handler thread.

    That thread waits for a worker to exit or for the pool's notices, and also for the result
    pipe to be readable: while the result-handler thread reads a large result (a chunk of
    prepared articles is ~700 KB), the worker handler wakes again and again and contends for
    the GIL, for nothing (it only maintains the worker processes). Waiting on the workers and
    the notices alone keeps every duty of it (a dead worker is replaced; close and terminate
    still wake it). Import of 10,000 articles: that thread's CPU 0.08-0.09 -> 0.00 ms/article."""

    def _get_sentinels(self) -> list[Any]:
        return [self._change_notifier._reader]  # type: ignore[attr-defined]


def worker_pool(context: multiprocessing.context.BaseContext, workers: int) -> Pool:
    """A pool of ``workers`` processes started by ``context``, for :func:`bounded_imap`, each
    at a lower CPU priority (see WORKER_NICENESS)."""
    return QuietPool(workers, context=context, initializer=lower_priority, initargs=(WORKER_NICENESS,))


def lower_priority(increment: int) -> None:
    """Lower this process's CPU priority by ``increment`` (where the platform has ``nice``)."""
    if hasattr(os, "nice"):
        try:
            os.nice(increment)
        except OSError:  # not allowed here: run at the priority there is
            pass


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
