"""Running a function over many items on every core, without pickling the inputs.

Workers are forked *after* the inputs exist, so they inherit them (copy-on-write) instead of
receiving them through a pipe; only each item's small result travels back. The inputs live in
``_SHARED`` for the life of one pool and nowhere else: the one piece of module state in newsroom,
set before a fork and cleared after it.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

_SHARED: dict[str, Any] = {}
_PR_SET_PDEATHSIG = 1


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _die_with_parent() -> None:
    """Linux: a worker is killed when the build process dies, instead of lingering as an orphan."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass


def _run_chunk(indices: Sequence[int]) -> list:
    work = _SHARED["work"]
    items = _SHARED["items"]
    return [work(items[i]) for i in indices]


def map_forked(
    work: Callable[[Any], Any],
    items: Sequence,
    *,
    minimum: int = 200,
    progress: Callable[[int], None] | None = None,
) -> list:
    """``[work(item) for item in items]``, on all cores when there are at least ``minimum`` items."""
    workers = min(cores(), 8)
    if workers < 2 or len(items) < minimum or "fork" not in multiprocessing.get_all_start_methods():
        results = []
        for n, item in enumerate(items, 1):
            results.append(work(item))
            if progress and n % 100 == 0:
                progress(n)
        return results
    chunk_count = workers * 6
    chunks = [list(range(start, len(items), chunk_count)) for start in range(chunk_count)]
    results: list = [None] * len(items)
    _SHARED.update(work=work, items=items)
    gc.freeze()  # the inherited objects stay shared: the collector will not touch their pages
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_die_with_parent) as pool:
            done = 0
            for indices, chunk_results in zip(chunks, pool.map(_run_chunk, chunks), strict=True):
                for index, result in zip(indices, chunk_results, strict=True):
                    results[index] = result
                done += len(indices)
                if progress:
                    progress(done)
    finally:
        _SHARED.clear()
        gc.unfreeze()
    return results
