"""The ordered parallel map keeps input order on any number of workers."""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys

import pytest

from newsdesk.parallel import chunked, ordered_map


def _square_with_pid(chunk: list[int]) -> list[tuple[int, int]]:
    return [(n * n, os.getpid()) for n in chunk]


def test_chunked_cuts_consecutive_lists() -> None:
    assert list(chunked(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(chunked([], 3)) == []


@pytest.mark.parametrize("workers", [1, 2])
def test_results_come_back_in_input_order(workers: int) -> None:
    results = list(ordered_map(_square_with_pid, chunked(range(100), 7), workers))
    assert [square for square, _ in results] == [n * n for n in range(100)]
    pids = {pid for _, pid in results}
    assert (os.getpid() in pids) == (workers == 1)


def _freeze_count(chunk: list[int]) -> list[int]:
    return [gc.get_freeze_count() for _ in chunk]


def test_workers_share_the_callers_objects_frozen_out_of_the_collector() -> None:
    """Frozen, the caller's objects are never written by a collection in a worker (which
    would copy their memory pages); once the pool is done they are collectable again."""
    assert gc.get_freeze_count() == 0
    counts = list(ordered_map(_freeze_count, chunked(range(4), 2), 2))
    assert min(counts) > 1000
    assert gc.get_freeze_count() == 0


@pytest.mark.skipif(sys.platform != "linux", reason="workers fork on Linux only")
def test_workers_fork_whatever_the_default_start_method() -> None:
    """A process that was itself spawned (a benchmark's fresh round) starts its own children
    by spawn by default, and a spawned worker would load every model for itself."""
    default = multiprocessing.get_start_method()
    multiprocessing.set_start_method("spawn", force=True)
    try:
        counts = list(ordered_map(_freeze_count, chunked(range(4), 2), 2))
    finally:
        multiprocessing.set_start_method(default, force=True)
    assert min(counts) > 1000  # the caller's frozen objects: the worker is a fork of it
