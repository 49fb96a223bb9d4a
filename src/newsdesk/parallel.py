"""Ordered, bounded parallel map over worker processes: the one pool helper of newsdesk.

Costly stage functions (extraction, analysis) run on every core through this; the caller
gets results in input order while only a bounded number of chunks is in flight, so a
large input is never all in memory at once.

Workers fork from the caller (on Linux) and share its memory until either side writes to
it. They are forked explicitly: the default way of starting them depends on the platform,
the Python version (forkserver from 3.14) and the caller (spawn, in a process that was
itself spawned), and a spawned worker imports everything and loads its own models.

While the pool runs, the caller's objects are frozen out of the cyclic garbage collector,
whose passes would otherwise write to every one of them and so give each worker a private
copy of models the caller loaded for them to share.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

_CHUNKS_IN_FLIGHT_PER_WORKER = 2
# Fork where it is safe (Linux); elsewhere the platform's default (spawn on macOS, Windows).
_FORK = multiprocessing.get_context("fork") if sys.platform == "linux" else None


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of `size` items (the last may be shorter)."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def ordered_map(
    function: Callable[[list[T]], list[R]], chunks: Iterable[list[T]], workers: int
) -> Iterator[R]:
    """Apply `function` to each chunk on `workers` processes; yield results in order.

    Args:
        function: a picklable, module-level function from a chunk to its results.
        chunks: the input, already cut into chunks.
        workers: processes; 1 runs everything in this process, with no start-up cost.
    """
    chunk_iterator = iter(chunks)
    if workers <= 1:
        for chunk in chunk_iterator:
            yield from function(chunk)
        return
    gc.collect()
    gc.freeze()
    try:
        with ProcessPoolExecutor(workers, mp_context=_FORK, initializer=_die_with_parent) as pool:
            window = workers * _CHUNKS_IN_FLIGHT_PER_WORKER
            pending: list[Future[list[R]]] = [
                pool.submit(function, chunk) for chunk in islice(chunk_iterator, window)
            ]
            while pending:
                yield from pending.pop(0).result()
                pending.extend(pool.submit(function, c) for c in islice(chunk_iterator, 1))
    finally:
        gc.unfreeze()


_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Have the kernel end this worker when its parent dies (Linux), so a killed run
    leaves no orphaned workers holding a loaded model each."""
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() == 1:  # the parent died before we asked
        os._exit(1)
