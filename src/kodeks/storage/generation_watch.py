"""The registry's generation for the hot read path: cheap per request, and never older than the request.

A read that arrives after a registration was committed — in this process, another worker or another
replica — must see it. ``GenerationWatch.current()`` keeps that promise without a full generation
query per request:

- **SQLite file**: a connection of its own asks ``PRAGMA data_version`` (a few microseconds, no
  disk read): its value changes whenever any other connection, in any process, commits to the file.
  Only then is the generation query run again.
- **Other databases (PostgreSQL)**: requests share the generation query — a request waits for a
  query that *started after it arrived* (the one under way if none is, else the next one), so
  however many requests arrive together, at most two queries are outstanding and each answer is as
  fresh as a query of the request's own. With psycopg the query runs on the event loop, on an
  autocommit connection of the watch's own; otherwise in a thread.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import threading
from collections.abc import Callable
from functools import cache
from typing import Any

from sqlalchemy import Engine

from kodeks.storage.generation import QUERY, Generation, generation


@cache
def _sql(engine: Engine) -> str:
    return str(QUERY.compile(dialect=engine.dialect))


class GenerationWatch:
    def __init__(self, engine: Engine, read: Callable[[], Generation] | None = None) -> None:
        self.engine = engine
        self._read = read or (lambda: generation(engine))
        self._async = (
            read is None and engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg"
        )
        self._conn: Any = None  # psycopg.AsyncConnection, per process and event loop
        database = engine.url.database or ""
        self._file = (
            database
            if engine.dialect.name == "sqlite"
            and database not in ("", ":memory:")
            and "mode=memory" not in database
            else None
        )
        self._lock = threading.Lock()
        self._pid = 0
        self._probe: sqlite3.Connection | None = None
        self._version: int | None = None
        self._known: Generation | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._running: asyncio.Future[Generation] | None = None
        self._queued: asyncio.Future[Generation] | None = None
        self.queries = 0

    async def current(self) -> Generation:
        """The generation as of a moment after this call began."""
        if self._file is not None:
            return self._sqlite()
        return await self._shared()

    # -- SQLite: data_version -----------------------------------------------------------------------
    def _sqlite(self) -> Generation:
        with self._lock:
            if self._probe is None or self._pid != os.getpid():  # opened lazily, again after a fork
                self._probe = sqlite3.connect(self._file or "", check_same_thread=False, isolation_level=None)
                self._pid = os.getpid()
                self._version = None
            version = int(self._probe.execute("PRAGMA data_version").fetchone()[0])
            if version != self._version or self._known is None:
                # Read after the version: a commit in between is seen now, and again next time.
                self._known = self._read()
                self._version = version
                self.queries += 1
            return self._known

    # -- any database: one query shared by the requests that arrived before it started -------------
    async def _shared(self) -> Generation:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._loop, self._running, self._queued, self._conn = loop, None, None, None
        if self._running is None:
            self._running = self._start(loop)
            return await asyncio.shield(self._running)
        if self._queued is None:
            self._queued = loop.create_future()
        return await asyncio.shield(self._queued)

    def _start(self, loop: asyncio.AbstractEventLoop) -> asyncio.Future[Generation]:
        self.queries += 1
        started: asyncio.Future[Generation] = (
            loop.create_task(self._read_async()) if self._async else loop.run_in_executor(None, self._read)
        )
        started.add_done_callback(lambda _: self._finished(loop))
        return started

    async def _read_async(self) -> Generation:
        import psycopg

        if self._conn is None or self._conn.closed or self._pid != os.getpid():
            url = self.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
            self._conn = await psycopg.AsyncConnection.connect(url, autocommit=True)
            self._pid = os.getpid()
        try:
            cursor = await self._conn.execute(_sql(self.engine))
            row = await cursor.fetchone()
        except Exception:
            await self._conn.close()
            self._conn = None
            raise
        return (row[0] or 0, row[1] or 0, row[2] or 0, row[3], row[4])

    def _finished(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._loop is not loop:
            return
        self._running = None
        queued, self._queued = self._queued, None
        if queued is None:
            return
        self._running = following = self._start(loop)

        def settle(done: asyncio.Future[Generation]) -> None:
            if queued.done():
                return
            if done.cancelled():
                queued.cancel()
            elif done.exception() is not None:
                queued.set_exception(done.exception())  # type: ignore[arg-type]
            else:
                queued.set_result(done.result())

        following.add_done_callback(settle)
