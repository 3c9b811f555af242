"""``server.HttpProtocol.answer_here``: the hot look-ups answered in the HTTP protocol are the very
bytes uvicorn and the application send for them, and everything else still goes the usual way.

The protocol is driven as uvicorn drives it (``connection_made``, ``data_received``) on a transport
that records what is written; each request is served twice, by the protocol as it is and by one
whose ``answer_here`` never answers, and the bytes compared (but for the instant an error reports).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from uvicorn.server import ServerState

from kodeks.api.app import KodeksAPI, create_app
from kodeks.api.server import HttpProtocol
from kodeks.bootstrap import Kodeks, build
from kodeks.config import Settings
from tests.factories import record, run_apart, tree_bundle

BASE = b"/api/v1/classifications/tree/items"
NOW = re.compile(rb'"known_at":"[^"]*"')
DEFAULT_HEADERS = [(b"date", b"Mon, 07 Dec 2026 12:00:00 GMT"), (b"server", b"uvicorn")]


class Transport:
    def __init__(self) -> None:
        self.written = bytearray()
        self.closed = False

    def write(self, data: bytes) -> None:
        self.written += data

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass

    def get_extra_info(self, name: str) -> Any:
        return {"sockname": ("127.0.0.1", 8000), "peername": ("127.0.0.1", 50000)}.get(name)


class NeverHere(HttpProtocol):
    def answer_here(self) -> bool:
        return False


def served(app: KodeksAPI, requests: bytes, protocol: type[HttpProtocol] = HttpProtocol) -> bytes:
    """What one connection that sends ``requests`` (the last with ``Connection: close``) gets back."""

    async def connection() -> bytes:
        config = uvicorn.Config(app, http=protocol, log_config=None)
        config.load()
        state = ServerState()
        state.default_headers = DEFAULT_HEADERS
        server = protocol(config=config, server_state=state, app_state={})  # type: ignore[arg-type]
        transport = Transport()
        server.connection_made(transport)  # type: ignore[arg-type]
        server.data_received(requests)
        for _ in range(1000):
            if transport.closed:
                break
            await asyncio.sleep(0.005)
        assert transport.closed, transport.written
        server.connection_lost(None)
        return NOW.sub(b"", bytes(transport.written))

    return run_apart(connection())


def get(target: bytes, *headers: bytes, close: bool = False, version: bytes = b"1.1") -> bytes:
    lines = [b"GET " + target + b" HTTP/" + version, b"host: kodeks", *headers]
    if close:
        lines.append(b"connection: close")
    return b"\r\n".join(lines) + b"\r\n\r\n"


@pytest.fixture
def app(database: str) -> Iterator[KodeksAPI]:
    """On a SQLite file the generation is known at once; on PostgreSQL a look-up waits for a
    generation read (shared) in the protocol, then is answered from it just the same."""
    kodeks: Kodeks = build(Settings(database_url=database, read_cache_seconds=0))
    record(kodeks, tree_bundle())
    application = create_app(kodeks)
    # The application builds the model; the lean path learns the classification is public.
    served(application, get(BASE + b"/10", b"cookie: x=1") + get(BASE + b"/10", close=True))
    yield application
    kodeks.engine.dispose()


def answered(app: KodeksAPI) -> int:
    """How many look-ups were answered in the protocol."""
    assert app.lean is not None
    return app.lean.answered_at_once


@pytest.mark.parametrize(
    "target",
    [
        BASE + b"/10.01",
        BASE + b"/10.01?at=2011-06-01",
        BASE + b"/10/children?at=2012-01-01",
        BASE + b"/10/descendants",
        BASE + b"/20.02.01/children",
    ],
)
def test_a_look_up_answered_here_is_the_applications_answer_byte_for_byte(
    app: KodeksAPI, target: bytes
) -> None:
    before = answered(app)
    here = served(app, get(target, close=True))
    assert answered(app) == before + 1  # answered in the protocol, not through the application
    elsewhere = served(app, get(target, close=True), NeverHere)
    assert here == elsewhere
    assert here.startswith(b"HTTP/1.1 200 OK\r\ndate: Mon, 07 Dec 2026 12:00:00 GMT\r\nserver: uvicorn\r\n")
    assert b"\r\nconnection: close\r\n" in here


def test_kept_alive_and_http_1_0_connections_are_answered_as_uvicorn_answers_them(app: KodeksAPI) -> None:
    # Pipelined: two answered here, then one (a 404) the application answers, in order.
    three = get(BASE + b"/10.01") + get(BASE + b"/20") + get(BASE + b"/99?at=2011-06-01", close=True)
    before = answered(app)
    assert served(app, three) == served(app, three, NeverHere)
    assert answered(app) == before + 2
    again = served(app, three)
    assert again.count(b"HTTP/1.1 200 OK") == 2 and b"HTTP/1.1 404 Not Found" in again
    old = get(BASE + b"/10.01", version=b"1.0")
    assert served(app, old) == served(app, old, NeverHere)
    assert b"connection: close" in served(app, old)


@pytest.mark.parametrize(
    "request_",
    [
        get(BASE + b"/10.01", b"authorization: Bearer x", close=True),  # credentials: the application
        get(BASE + b"/10.01?known_at=2000-01-01T00:00:00", close=True),
        get(BASE + b"/10.01?at=2015-02-30", close=True),
        get(BASE + b"/nope", close=True),  # a 404: the application explains
        get(BASE + b"/10.01?at=1900-01-01", close=True),
        get(b"/api/v1/classifications/nope/items/10", close=True),
        get(b"/api/v1/classifications/tree/items/10%2E01", close=True),
        get(b"/api/v1/classifications/tree", close=True),
        b"HEAD " + BASE + b"/10.01 HTTP/1.1\r\nhost: k\r\nconnection: close\r\n\r\n",
        b"POST " + BASE + b"/10.01 HTTP/1.1\r\nhost: k\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}",
    ],
)
def test_everything_else_goes_the_usual_way(app: KodeksAPI, request_: bytes) -> None:
    before = answered(app)
    assert served(app, request_) == served(app, request_, NeverHere)
    assert answered(app) == before


def test_nothing_is_answered_here_while_the_access_log_is_on(
    app: KodeksAPI, caplog: pytest.LogCaptureFixture
) -> None:
    """``kodeks serve --access-log``: every request goes through uvicorn's cycle, which logs it."""
    before = answered(app)
    with caplog.at_level(logging.INFO, logger="uvicorn.access"):
        logged = served(app, get(BASE + b"/10.01", close=True), AccessLogged)
    assert answered(app) == before
    assert logged.startswith(b"HTTP/1.1 200 OK")
    assert any("/api/v1/classifications/tree/items/10.01" in r.getMessage() for r in caplog.records)


class AccessLogged(HttpProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.access_log = True
