"""Build processes for the service: a fixed pool, a fair queue, a time limit that is kept.

Builds run in separate processes, never in the server's threads: a build is CPU work (it would hold
the event loop or the GIL; threads would take turns at it: builds in threads give the bytes of a
build alone, tests/test_threads.py, but no more speed), and a build that overruns the time limit
can only be stopped by ending its process. So each of ``size`` worker processes builds one leaflet
at a time; a request waits its turn in a first-come, first-served queue (bounded: beyond
``max_queue`` waiting requests the service answers 503 at once); a job that runs longer than its
time limit has its process killed and replaced, and the request gets 503. Waiting in the queue does
not count against the time limit: a burst of requests is served in turn, however long the queue,
rather than failed.

A job is a picklable ``(name, args)`` pair run by :func:`leaflet.service.jobs.run`; its answer a
picklable tuple (see there). Nothing of a job's input is ever logged here.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import subprocess
import sys
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

log = logging.getLogger("leaflet.service")


class Busy(Exception):
    """The queue is full: the service cannot take the request now (503, Retry-After)."""


class TimedOut(Exception):
    """The request passed its time limit (waiting included)."""


class WorkerFailed(Exception):
    """The build process died (not from a time limit): 500, and a new process takes its place."""


def _serve() -> None:  # pragma: no cover - runs in the worker process
    """A worker process (``python -m leaflet.service.workers``): jobs come on standard input,
    answers go on standard output (multiprocessing's framing); anything printed goes to stderr."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops its workers itself
    inbox = Connection(os.dup(0), writable=False)
    outbox = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)  # a stray print must not corrupt the answers
    from . import jobs

    warm = inbox.recv()
    jobs.warm(warm)
    outbox.send(("ready",))
    while True:
        try:
            name, args = inbox.recv()
        except (EOFError, OSError):
            return
        outbox.send(jobs.run(name, args))


class _Worker:
    """One build process: a fresh interpreter (never a fork of the server, never a re-run of its
    main module), fed through pipes."""

    def __init__(self, warm: Any) -> None:
        root = str(Path(__file__).resolve().parents[2])  # where the leaflet package is: found by the child too
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)}
        self.process = subprocess.Popen([sys.executable, "-m", "leaflet.service.workers"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, env=env, close_fds=True)
        assert self.process.stdin is not None and self.process.stdout is not None
        self.inbox = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.outbox = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.process.stdin.close()
        self.process.stdout.close()
        self.outbox.send(warm)

    def send(self, message: Any) -> None:
        self.outbox.send(message)

    def recv(self) -> Any:
        return self.inbox.recv()

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
        with contextlib.suppress(Exception):
            self.process.wait(5)
        for conn in (self.inbox, self.outbox):
            with contextlib.suppress(Exception):
                conn.close()


class Pool:
    """``size`` build processes and the queue in front of them. Use from one event loop:
    ``await pool.start()``, ``await pool.run(name, args, deadline)``, ``await pool.stop()``."""

    def __init__(self, size: int, *, max_queue: int = 1000, warm: Any = None) -> None:
        if size < 1:
            raise ValueError("a pool needs at least one worker")
        self.size, self.max_queue, self.warm = size, max_queue, warm
        self._idle: deque[_Worker] = deque()
        self._waiting: deque[asyncio.Future[_Worker]] = deque()
        self._all: set[_Worker] = set()
        self._threads = ThreadPoolExecutor(max_workers=size + 2, thread_name_prefix="leaflet-pipe")
        self._tasks: set[asyncio.Future[Any]] = set()
        self.started = False

    @property
    def queued(self) -> int:
        return len(self._waiting)

    async def _spawn(self) -> _Worker:
        loop = asyncio.get_running_loop()
        worker = await loop.run_in_executor(self._threads, _Worker, self.warm)
        self._all.add(worker)
        try:
            ready = await loop.run_in_executor(self._threads, worker.recv)
        except (EOFError, OSError):
            ready = None
        if ready != ("ready",):
            self._all.discard(worker)
            worker.kill()
            raise WorkerFailed("a build process did not start")
        return worker

    async def start(self) -> None:
        workers = await asyncio.gather(*(self._spawn() for _ in range(self.size)))
        self._idle.extend(workers)
        self.started = True

    async def stop(self) -> None:
        self.started = False
        for waiter in self._waiting:
            if not waiter.done():
                waiter.cancel()
        for worker in list(self._all):
            worker.kill()
        self._all.clear()
        self._idle.clear()
        self._threads.shutdown(wait=False, cancel_futures=True)

    def _release(self, worker: _Worker) -> None:
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(worker)
                return
        self._idle.append(worker)

    async def _acquire(self) -> _Worker:
        if self._idle:
            return self._idle.popleft()
        if len(self._waiting) >= self.max_queue:
            raise Busy()
        waiter: asyncio.Future[_Worker] = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        try:
            return await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():  # given a worker just as the wait ended
                self._release(waiter.result())
            else:
                with contextlib.suppress(ValueError):
                    self._waiting.remove(waiter)
            raise

    def _background(self, coroutine: Any) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _replace(self, worker: _Worker) -> None:
        self._all.discard(worker)
        await asyncio.get_running_loop().run_in_executor(self._threads, worker.kill)
        try:
            fresh = await self._spawn()
        except WorkerFailed:
            log.error("a build process could not be restarted")
            return
        self._release(fresh)

    async def run(self, name: str, args: tuple[Any, ...], timeout: float) -> tuple[Any, ...]:
        """Run the job in the next free worker (waiting in turn for one), for at most ``timeout``
        seconds once it has one. Raises Busy, TimedOut or WorkerFailed."""
        worker = await self._acquire()
        deadline = time.monotonic() + timeout
        # the exchange runs as its own task: a request cancelled meanwhile (the client went
        # away) leaves it to finish, or to be stopped at the deadline, and the worker is reused
        job = asyncio.ensure_future(self._exchange(worker, name, args, deadline))
        return await asyncio.shield(job)

    async def _exchange(self, worker: _Worker, name: str, args: tuple[Any, ...], deadline: float) -> tuple[Any, ...]:
        loop = asyncio.get_running_loop()
        try:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            async with asyncio.timeout(left):
                await loop.run_in_executor(self._threads, worker.send, (name, args))
                answer = await loop.run_in_executor(self._threads, worker.recv)
        except TimeoutError:
            log.warning("a build passed the time limit: its process is replaced")
            self._background(self._replace(worker))
            raise TimedOut() from None
        except (EOFError, OSError):
            log.error("a build process ended unexpectedly (exit code %s): it is replaced", worker.process.returncode)
            self._background(self._replace(worker))
            raise WorkerFailed("the build process ended unexpectedly") from None
        self._release(worker)
        return tuple(answer)


def default_size() -> int:
    """One build process per CPU this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


if __name__ == "__main__":  # pragma: no cover - the worker process
    _serve()
