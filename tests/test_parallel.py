"""The process pool of the import: ordered results with back-pressure, workers at a lower priority."""

from __future__ import annotations

import os

import pytest

from reader.parallel import WORKER_NICENESS, bounded_imap, process_context, worker_pool


def _niceness(_: int) -> int:
    return os.nice(0)


def _square(value: int) -> int:
    return value * value


@pytest.mark.skipif(not hasattr(os, "nice"), reason="no nice on this platform")
def test_workers_run_at_a_lower_priority_than_the_main_process():
    before = os.nice(0)
    with worker_pool(process_context(), 2) as pool:
        seen = set(bounded_imap(pool, _niceness, range(8), in_flight=4))
    assert seen == {min(19, before + WORKER_NICENESS)}
    assert os.nice(0) == before  # the main process keeps its own


def test_results_come_in_input_order_with_a_bounded_number_in_flight():
    with worker_pool(process_context(), 2) as pool:
        assert list(bounded_imap(pool, _square, range(50), in_flight=3)) == [n * n for n in range(50)]
