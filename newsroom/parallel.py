"""Running a function over many items on every core, without pickling the inputs.

Workers are forked *after* the inputs exist, so they inherit them (copy-on-write) instead of
receiving them through a pipe; only each item's small result travels back. The inputs live in
``_SHARED`` for the life of one pool and nowhere else: the one piece of module state in newsroom,
set before a fork and cleared after it.

The pool is a few forked processes and two pipes each (chunk numbers in, pickled results out), not
``ProcessPoolExecutor``: its helper threads and queues could hang the exit after Ctrl-C (a worker
killed halfway through sending a result leaves a half message that its reader waits on forever).
Here the parent alone reacts to Ctrl-C: workers ignore SIGINT from the moment they exist, and the
parent, on any exception, KeyboardInterrupt included, kills them at once and reaps them.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import pickle
import selectors
import signal
import struct
import sys
import threading
import traceback
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import RemoteTraceback, WorkerLost
from .i18n import Message, _

_SHARED: dict[str, Any] = {}
_PR_SET_PDEATHSIG = 1
_TASK = struct.Struct("<I")  # a chunk number, parent → worker
_SIZE = struct.Struct("<Q")  # the length of a pickled outcome, worker → parent
_STOP = 0xFFFFFFFF
_IN_FLIGHT = 2  # chunks handed to each worker ahead, so none waits for the parent between chunks


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _die_with_parent(parent: int) -> None:
    """Linux: a worker is killed when the build process dies, instead of lingering as an orphan."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)


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
    keep: Callable[[Any], Any] | None = None,
) -> list:
    """``[work(item) for item in items]``, on all cores when there are at least ``minimum`` items.

    ``keep``, called in this process on each result as it arrives, says what is kept of it (the
    build writes each article's large parts to its cache and keeps the rest: 100,000 articles'
    bodies are then never all in memory at once)."""
    workers = min(cores(), 8)
    keep = keep or _itself
    if workers < 2 or len(items) < minimum or not hasattr(os, "fork"):
        results = []
        for n, item in enumerate(items, 1):
            results.append(keep(work(item)))
            if progress and n % 100 == 0:
                progress(n)
        return results
    chunk_count = min(workers * 6, len(items))
    chunks = [list(range(start, len(items), chunk_count)) for start in range(chunk_count)]
    results: list = [None] * len(items)
    _SHARED.update(work=work, items=items, chunks=chunks)
    gc.freeze()  # the inherited objects stay shared: the collector will not touch their pages
    try:
        done = 0
        with contextlib.closing(_pool(min(workers, chunk_count), chunk_count)) as finished:
            for number, chunk_results in finished:  # an exception here closes the pool: workers killed
                for index, result in zip(chunks[number], chunk_results, strict=True):
                    results[index] = keep(result)
                done += len(chunk_results)
                if progress:
                    progress(done)
    finally:
        _SHARED.clear()
        gc.unfreeze()
    return results


def _itself(value):
    return value


@dataclass
class _Worker:
    """The parent's end of one worker: its process, its two pipes and the chunks it was given."""

    pid: int
    tasks: int  # write end: chunk numbers
    results: int  # read end: pickled outcomes
    pending: deque[int] = field(default_factory=deque)
    buffer: bytearray = field(default_factory=bytearray)
    alive: bool = True

    def give(self, number: int) -> None:
        try:
            os.write(self.tasks, _TASK.pack(number))  # 4 bytes: never blocks, never split
        except BrokenPipeError:
            if number == _STOP:
                return  # gone already, with its work done
            raise WorkerLost(_("a worker process stopped unexpectedly ({why})", why=self._reap())) from None
        if number != _STOP:
            self.pending.append(number)

    def receive(self) -> Iterator[tuple[int, bytes]]:
        """The outcomes that have fully arrived, as (chunk number, pickled outcome)."""
        data = os.read(self.results, 1 << 20)
        if not data:
            raise WorkerLost(_("a worker process stopped unexpectedly ({why})", why=self._reap()))
        self.buffer += data
        while len(self.buffer) >= _SIZE.size:
            (size,) = _SIZE.unpack_from(self.buffer)
            if len(self.buffer) < _SIZE.size + size:
                break
            payload = bytes(self.buffer[_SIZE.size : _SIZE.size + size])
            del self.buffer[: _SIZE.size + size]
            yield self.pending.popleft(), payload

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)

    def close(self) -> None:
        """Close both pipes and wait for the process to be gone (it was told to stop, or killed)."""
        for fd in (self.tasks, self.results):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._reap()

    def _reap(self) -> Message:
        if not self.alive:
            return _("already gone")
        try:
            _pid, status = os.waitpid(self.pid, 0)
        except ChildProcessError:
            return _("already gone")
        self.alive = False
        if os.WIFSIGNALED(status):
            return _("killed by signal {signal}", signal=os.WTERMSIG(status))
        return _("exit status {status}", status=os.waitstatus_to_exitcode(status))


def _pool(size: int, count: int) -> Iterator[tuple[int, list]]:
    """Run chunks ``0..count-1`` on ``size`` forked workers; yield (chunk number, results) as they finish.

    Whatever ends this early (an error in a worker, Ctrl-C in the parent, the caller giving up),
    every worker is killed and reaped before the exception goes on: nothing is left running.
    """
    workers: list[_Worker] = []
    try:
        with _sigint_held():
            for _number in range(size):
                workers.append(_fork(workers))
        handed = 0
        for _round in range(_IN_FLIGHT):
            for worker in workers:
                if handed < count:
                    worker.give(handed)
                    handed += 1
        finished = 0
        with selectors.DefaultSelector() as selector:
            for worker in workers:
                selector.register(worker.results, selectors.EVENT_READ, worker)
            while finished < count:
                for key, _events in selector.select():
                    worker = key.data
                    for number, payload in worker.receive():
                        yield number, _outcome(payload)
                        finished += 1
                        if handed < count:
                            worker.give(handed)
                            handed += 1
        for worker in workers:
            worker.give(_STOP)
    except BaseException:
        for worker in workers:
            worker.kill()
        raise
    finally:
        for worker in workers:
            worker.close()


def _outcome(payload: bytes) -> list:
    """A chunk's results, or the exception its worker raised, raised here."""
    ok, value, remote = pickle.loads(payload)
    if not ok:
        raise value from RemoteTraceback(remote)
    return value


@contextlib.contextmanager
def _sigint_held() -> Iterator[None]:
    """While forking: SIGINT is blocked (so each child starts with it blocked) and, in the main
    thread, a Ctrl-C is only noted, then raised once every child forked so far is known to the
    parent, so that none can be left behind unkilled."""
    noted: list[int] = []
    main = threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGINT) is not None
    previous = signal.signal(signal.SIGINT, lambda signum, frame: noted.append(signum)) if main else None
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        if main:
            signal.signal(signal.SIGINT, previous)
            if noted and callable(previous):
                previous(signal.SIGINT, None)
            elif noted and previous == signal.SIG_DFL:
                raise KeyboardInterrupt


def _fork(siblings: list[_Worker]) -> _Worker:
    """Start one worker; in the child this never returns."""
    for stream in (sys.stdout, sys.stderr):  # so the child has no copy of unwritten output
        with contextlib.suppress(Exception):
            stream.flush()
    parent = os.getpid()
    task_read, task_write = os.pipe()
    result_read, result_write = os.pipe()
    pid = os.fork()
    if pid == 0:
        inherited = [fd for s in siblings for fd in (s.tasks, s.results)] + [task_write, result_read]
        _worker_main(parent, task_read, result_write, inherited)
    os.close(task_read)
    os.close(result_write)
    return _Worker(pid, task_write, result_read)


def _worker_main(parent: int, tasks: int, results: int, inherited: list[int]) -> None:
    """A worker: run the chunks it is given until told to stop; never returns, never raises."""
    code = 1
    try:
        for fd in inherited:  # the other workers' pipes: their ends must close when the parent's do
            os.close(fd)
        with contextlib.suppress(ValueError):
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent to handle
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        _die_with_parent(parent)
        with open(results, "wb") as out:
            while True:
                header = os.read(tasks, _TASK.size)
                if len(header) != _TASK.size:
                    break  # the parent is gone
                (number,) = _TASK.unpack(header)
                if number == _STOP:
                    break
                payload = _run_pickled(_SHARED["chunks"][number])
                out.write(_SIZE.pack(len(payload)) + payload)
                out.flush()
        code = 0
    except BaseException:  # a worker must end through os._exit, whatever happens
        pass
    finally:
        os._exit(code)


def _run_pickled(indices: Sequence[int]) -> bytes:
    """One chunk's outcome, ready to send: its results, or the exception and where it came from."""
    try:
        return pickle.dumps((True, _run_chunk(indices), ""), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:
        remote = traceback.format_exc()
        try:
            return pickle.dumps((False, exc, remote), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # an exception that cannot travel: send its text
            return pickle.dumps((False, RuntimeError(f"{type(exc).__name__}: {exc}"), remote))
