"""Reading pages (see `pages`) off the event loop, each within a hard deadline.

A page larger than `SMALL_PAGE` is sent to an idle worker process (one is started when
none is idle, up to a few); the answer must come back by the deadline, what is left of
the request's `timeout`. A worker out of time, or broken, is killed and replaced: it
holds nothing another page needs. A page of at most `SMALL_PAGE` bytes is read in a
thread instead (lexbor parses without holding the GIL): the worst page of that size
known costs about 4 ms, and a process round trip would cost more than the parse (the
benchmark's 1,000 small pages: +0.5 s of CPU through workers).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from citeguide.linkcheck.pages import ANSWER, FRAME, Page, quote_fields, read_page
from citeguide.text.fragments import TextQuote

SMALL_PAGE = 8 * 1024
"""Bytes up to which a page is read in a thread, not a worker process: its parse is
bounded by its size (measured worst case, thousands of distinct formatting elements:
3.7 ms; an ordinary page of this size: 0.1 ms)."""


class PageReaderError(Exception):
    """A worker could not be started, or died reading a page."""


class _Worker:
    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc

    @classmethod
    async def start(cls) -> _Worker:
        # -P: the working directory (perhaps a site root full of strangers' files) is not
        # put on the worker's import path.
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-P",
            "-m",
            "citeguide.linkcheck.pages",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
        return cls(proc)

    async def ask(self, body: bytes, quotes: Sequence[TextQuote]) -> Page:
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        header = json.dumps({"quotes": [quote_fields(q) for q in quotes]}).encode()
        try:
            self.proc.stdin.write(FRAME.pack(len(header), len(body)) + header + body)
            await self.proc.stdin.drain()
            (size,) = ANSWER.unpack(await self.proc.stdout.readexactly(ANSWER.size))
            answer = json.loads(await self.proc.stdout.readexactly(size))
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            raise PageReaderError(f"the page reader stopped ({type(exc).__name__})") from exc
        if "error" in answer:
            raise PageReaderError(f"the page could not be parsed: {answer['error']}")
        return Page(
            og_title=answer["og_title"],
            title=answer["title"],
            heading=answer["heading"],
            quotes=answer["quotes"],
        )

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.proc.kill()

    async def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()  # the worker's loop ends at end of input
        try:
            async with asyncio.timeout(2):
                await self.proc.wait()
        except TimeoutError:
            self.kill()
            await self.proc.wait()


def default_workers() -> int:
    return max(2, min(4, os.cpu_count() or 1))


class PageReader:
    """Worker processes that read pages, one page at a time each, started as needed."""

    def __init__(self, workers: int | None = None) -> None:
        self.limit = workers or default_workers()
        self._idle: asyncio.Queue[_Worker | None] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._starting = 0
        self._tasks: set[asyncio.Future[object]] = set()
        self._why = ""
        self._threads: ThreadPoolExecutor | None = None

    def _spawn(self) -> None:
        self._starting += 1
        self._keep(asyncio.ensure_future(self._start()))

    async def _start(self) -> None:
        try:
            worker = await _Worker.start()
        except (OSError, ValueError) as exc:
            self._why = f"the page reader could not start: {exc}"
            self._idle.put_nowait(None)
            return
        finally:
            self._starting -= 1
        self._all.add(worker)
        self._idle.put_nowait(worker)

    async def read(self, body: bytes, quotes: Sequence[TextQuote], deadline: float) -> Page:
        """The page read by `deadline` (the event loop's clock); raises TimeoutError after
        it (a worker busy with the page is killed) or PageReaderError."""
        if len(body) <= SMALL_PAGE:
            if self._threads is None:
                self._threads = ThreadPoolExecutor(2, thread_name_prefix="citeguide-page")
            loop = asyncio.get_running_loop()
            async with asyncio.timeout_at(deadline):
                return await loop.run_in_executor(self._threads, read_page, body, quotes)
        async with asyncio.timeout_at(deadline):
            if self._idle.empty() and len(self._all) + self._starting < self.limit:
                self._spawn()
            worker = await self._idle.get()
            if worker is None:
                raise PageReaderError(self._why)
            done = False
            try:
                page = await worker.ask(body, quotes)
                done = True
                return page
            finally:
                if done:
                    self._idle.put_nowait(worker)
                else:  # out of time, or broken: a worker in the middle of a page is useless
                    worker.kill()
                    self._all.discard(worker)
                    self._reap(worker)

    def _reap(self, worker: _Worker) -> None:
        self._keep(asyncio.ensure_future(worker.proc.wait()))

    def _keep(self, task: asyncio.Future[Any]) -> None:
        """Hold a background task until it is done (the loop keeps only weak references)."""
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def aclose(self) -> None:
        for task in list(self._tasks):
            with contextlib.suppress(Exception):
                await task
        await asyncio.gather(*(w.close() for w in self._all))
        self._all.clear()
        if self._threads is not None:
            self._threads.shutdown(wait=True)
            self._threads = None
