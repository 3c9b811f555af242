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
  fresh as a query of the request's own. With psycopg the query is prepared once on an
  autocommit libpq connection of the watch's own and driven by the event loop's reader callback (no
  cursor, no task per query: a few microseconds of Python); otherwise it runs in a thread.
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
        self._probe_pg: _PgProbe | None = None  # per process and event loop
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

    def now(self) -> Generation | None:
        """``current()`` without waiting, where that is possible (a SQLite file); else ``None``."""
        return self._sqlite() if self._file is not None else None

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
        return await asyncio.shield(self.soon())

    def soon(self) -> asyncio.Future[Generation]:
        """A generation read that starts after this call, shared with the other calls made before it
        starts (never cancel it). On a SQLite file, ``now()`` answers at once instead."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            if self._probe_pg is not None and self._pid == os.getpid():
                self._probe_pg.close()  # (a forked child leaves its parent's connection alone)
            self._loop, self._running, self._queued, self._probe_pg = loop, None, None, None
        if self._running is None:
            self._running = self._start(loop)
            return self._running
        if self._queued is None:
            self._queued = loop.create_future()
        return self._queued

    def _start(self, loop: asyncio.AbstractEventLoop) -> asyncio.Future[Generation]:
        self.queries += 1
        started: asyncio.Future[Generation] = (
            loop.create_task(self._read_async()) if self._async else loop.run_in_executor(None, self._read)
        )
        started.add_done_callback(lambda _: self._finished(loop))
        return started

    async def _read_async(self) -> Generation:
        if self._probe_pg is None or self._pid != os.getpid():
            url = self.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
            self._probe_pg = await asyncio.get_running_loop().run_in_executor(
                None, _PgProbe, url, _sql(self.engine)
            )
            self._pid = os.getpid()
        try:
            return await self._probe_pg.read()
        except BaseException:
            self._probe_pg.close()  # a broken or half-read connection: a new one next time
            self._probe_pg = None
            raise

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


class _PgProbe:
    """The generation query, prepared once on a libpq connection of its own (autocommit) and driven
    by the event loop's reader callback: no task, no cursor, a few microseconds of Python a query."""

    NAME = b"kodeks_generation"

    def __init__(self, url: str, sql: str) -> None:  # blocking: run in a thread
        import psycopg
        from psycopg import pq
        from psycopg.adapt import Transformer

        self._pq = pq
        self.conn = psycopg.Connection.connect(url, autocommit=True)
        self.pg = self.conn.pgconn
        prepared = self.pg.prepare(self.NAME, sql.encode())
        if prepared.status != pq.ExecStatus.COMMAND_OK:
            message = self.pg.get_error_message()
            self.conn.close()
            raise psycopg.OperationalError(message)
        self.pg.nonblocking = 1
        self.load = Transformer(self.conn)  # the values a cursor would give (the same types)

    async def read(self) -> Generation:
        pq, pg = self._pq, self.pg
        pg.send_query_prepared(self.NAME, None)
        while pg.flush():  # a few bytes: the first flush sends them all but on a full socket
            await asyncio.sleep(0)
        loop = asyncio.get_running_loop()
        done: asyncio.Future[Any] = loop.create_future()
        results: list[Any] = []

        def readable() -> None:
            if done.done():
                return
            try:
                pg.consume_input()
                while not pg.is_busy():
                    result = pg.get_result()
                    if result is None:
                        done.set_result(results)
                        return
                    results.append(result)
            except Exception as error:  # the connection broke
                done.set_exception(error)

        loop.add_reader(pg.socket, readable)
        try:
            await done
        finally:
            loop.remove_reader(pg.socket)
        [result] = results
        if result.status != pq.ExecStatus.TUPLES_OK:
            raise OSError(pg.get_error_message())
        self.load.set_pgresult(result)
        row = self.load.load_row(0, tuple)
        assert row is not None
        return (row[0] or 0, row[1] or 0, row[2] or 0, row[3], row[4])

    def close(self) -> None:
        self.conn.close()
