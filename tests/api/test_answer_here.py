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
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
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
        self.reading = True

    def write(self, data: bytes) -> None:
        self.written += data

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def pause_reading(self) -> None:
        self.reading = False

    def resume_reading(self) -> None:
        self.reading = True

    def get_extra_info(self, name: str) -> Any:
        return {"sockname": ("127.0.0.1", 8000), "peername": ("127.0.0.1", 50000)}.get(name)


class NeverHere(HttpProtocol):
    """The protocol without its own answers: every request through uvicorn's cycle."""

    def answer_here(self) -> bool:
        return False

    def _answer_simple_get(self, data: bytes) -> bool:
        return False


class ParserOnly(HttpProtocol):
    """The protocol that answers only after the parser (``answer_here``), never before it."""

    def _answer_simple_get(self, data: bytes) -> bool:
        return False


def served(app: KodeksAPI, *reads: bytes, protocol: type[HttpProtocol] = HttpProtocol) -> bytes:
    """What one connection gets back for ``reads``, each sent once the answers to the one before
    it are written (the last read's last request has ``Connection: close``, or the server closes)."""

    async def connection() -> bytes:
        config = uvicorn.Config(app, http=protocol, log_config=None)
        config.load()
        state = ServerState()
        state.default_headers = DEFAULT_HEADERS
        server = protocol(config=config, server_state=state, app_state={})  # type: ignore[arg-type]
        transport = Transport()
        server.connection_made(transport)  # type: ignore[arg-type]
        for read in reads:
            if transport.closed:
                break
            before = len(transport.written)
            server.data_received(read)
            for _ in range(200):  # (a request with a body it does not send gets no answer)
                if transport.closed or (len(transport.written) > before and _whole(transport.written)):
                    break
                await asyncio.sleep(0.005)
        for _ in range(1000):
            if transport.closed:
                break
            await asyncio.sleep(0.005)
        assert transport.closed, transport.written
        server.connection_lost(None)
        return NOW.sub(b"", bytes(transport.written))

    return run_apart(connection())


def _whole(written: bytearray) -> bool:
    """Whether ``written`` ends with a whole response (by its ``content-length``)."""
    start = written.rfind(b"HTTP/1.1 ")
    head_end = written.find(b"\r\n\r\n", start)
    if start < 0 or head_end < 0:
        return False
    length = re.search(rb"content-length: (\d+)", bytes(written[start:head_end]))
    return length is not None and len(written) - head_end - 4 >= int(length.group(1))


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
    served(application, get(BASE + b"/10", b"cookie: x=1"), get(BASE + b"/10", close=True))
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
    elsewhere = served(app, get(target, close=True), protocol=NeverHere)
    assert here == elsewhere
    assert here.startswith(b"HTTP/1.1 200 OK\r\ndate: Mon, 07 Dec 2026 12:00:00 GMT\r\nserver: uvicorn\r\n")
    assert b"\r\nconnection: close\r\n" in here


def test_kept_alive_and_http_1_0_connections_are_answered_as_uvicorn_answers_them(app: KodeksAPI) -> None:
    # Pipelined: two answered here, then one (a 404) the application answers, in order.
    three = get(BASE + b"/10.01") + get(BASE + b"/20") + get(BASE + b"/99?at=2011-06-01", close=True)
    before = answered(app)
    assert served(app, three) == served(app, three, protocol=NeverHere)
    assert answered(app) == before + 2
    again = served(app, three)
    assert again.count(b"HTTP/1.1 200 OK") == 2 and b"HTTP/1.1 404 Not Found" in again
    old = get(BASE + b"/10.01", version=b"1.0")
    assert served(app, old) == served(app, old, protocol=NeverHere)
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
    assert served(app, request_) == served(app, request_, protocol=NeverHere)
    assert answered(app) == before


def test_nothing_is_answered_here_while_the_access_log_is_on(
    app: KodeksAPI, caplog: pytest.LogCaptureFixture
) -> None:
    """``kodeks serve --access-log``: every request goes through uvicorn's cycle, which logs it."""
    before = answered(app)
    with caplog.at_level(logging.INFO, logger="uvicorn.access"):
        logged = served(app, get(BASE + b"/10.01", close=True), protocol=AccessLogged)
    assert answered(app) == before
    assert logged.startswith(b"HTTP/1.1 200 OK")
    assert any("/api/v1/classifications/tree/items/10.01" in r.getMessage() for r in caplog.records)


class AccessLogged(HttpProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.access_log = True


def test_a_plain_get_is_answered_before_the_parser_with_the_same_bytes(app: KodeksAPI) -> None:
    plain = get(BASE + b"/10.01?at=2011-06-01", b"accept: application/json", b"user-agent: curl/8")
    before = answered(app)
    first = served(app, plain, get(BASE + b"/20", close=True))
    assert answered(app) == before + 2
    assert first == served(app, plain, get(BASE + b"/20", close=True), protocol=ParserOnly)
    assert first == served(app, plain, get(BASE + b"/20", close=True), protocol=NeverHere)
    assert first.count(b"HTTP/1.1 200 OK") == 2


HEADS = [
    b"host: kodeks",
    b"Host: kodeks",
    b"connection: close",
    b"Connection: Keep-Alive",
    b"upgrade: websocket",
    b"content-length: 0",
    b"Content-Length: 2",
    b"transfer-encoding: chunked",
    b"expect: 100-continue",
    b"cookie: x=1",
    b"authorization: Bearer x",
    b"x-odd:value\twith tab",
    b"x-pct: %41",
    b"bad header: x",
    b" folded",
    b"x-empty:",
    b"x-non-ascii: \xc3\xa6",
    b"x-a: b",
]
TARGETS = [
    BASE + b"/10.01",
    BASE + b"/10.01?at=2011-06-01",
    BASE + b"/10/children",
    BASE + b"/10/descendants?at=2012-01-01",
    BASE + b"/10.01?at=2011-06-01#x",
    BASE + b"/10%2E01",
    BASE + b"/10.01?at=2011-6-1",
    BASE + b"/10.01?known_at=2000-01-01T00:00:00",
    BASE + b"/1\xc3\xa6",
    BASE + b'/10"01',
    BASE + b"/10.01?at=2011-06-01&at=2012-01-01",
    BASE + b"//10.01",
    b"/api/v1/classifications/tree",
    b"/health",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    method=st.sampled_from([b"GET", b"GET", b"GET", b"HEAD", b"get"]),
    target=st.sampled_from(TARGETS),
    version=st.sampled_from([b"HTTP/1.1", b"HTTP/1.1", b"HTTP/1.0", b"HTTP/1.2", b"HTTP/1.1 "]),
    heads=st.lists(st.sampled_from(HEADS), max_size=4),
    newline=st.sampled_from([b"\r\n", b"\r\n", b"\n"]),
    with_body=st.booleans(),
)
def test_any_head_is_answered_as_uvicorn_and_the_application_answer_it(
    app: KodeksAPI,
    method: bytes,
    target: bytes,
    version: bytes,
    heads: list[bytes],
    newline: bytes,
    with_body: bool,
) -> None:
    """Whatever the head, the protocol's answers are those of uvicorn and the application — and a
    closing request after it is answered too (the connection is left as uvicorn leaves it).

    Not compared: a GET head and garbage in one read. uvicorn answers the garbage's 400 before the
    GET's task has run, and drops the GET's answer; answered here, the GET gets its 200 first."""
    if with_body:  # (bytes after a head without a length start the next request: see below)
        heads = [*heads, b"Content-Length: 2"]
    body = b"{}" if with_body else b""
    request = newline.join([method + b" " + target + b" " + version, *heads]) + newline + newline + body
    closing = get(BASE + b"/20", close=True)
    assert served(app, request, closing) == served(app, request, closing, protocol=NeverHere)


def test_an_upgrade_is_left_to_the_parser(app: KodeksAPI) -> None:
    """(A WebSocket upgrade needs a real socket: only the decision is checked here.)"""

    async def decide() -> list[bool]:
        config = uvicorn.Config(app, http=HttpProtocol, log_config=None)
        config.load()
        server = HttpProtocol(config=config, server_state=ServerState(), app_state={})
        server.connection_made(Transport())  # type: ignore[arg-type]
        return [
            server._answer_simple_get(get(BASE + b"/10.01", b"connection: upgrade", b"upgrade: websocket")),
            server._answer_simple_get(get(BASE + b"/10.01", b"Connection: keep-alive, Upgrade")),
        ]

    before = answered(app)
    assert run_apart(decide()) == [False, False]
    assert answered(app) == before


def test_requests_sent_before_the_answer_are_answered_in_order(app: KodeksAPI) -> None:
    """On PostgreSQL a look-up waits for its generation read; what the client sends meanwhile (a
    404 that goes to the application, then a look-up) is answered after it, in order."""

    async def connection() -> bytes:
        config = uvicorn.Config(app, http=HttpProtocol, log_config=None)
        config.load()
        state = ServerState()
        state.default_headers = DEFAULT_HEADERS
        server = HttpProtocol(config=config, server_state=state, app_state={})
        transport = Transport()
        server.connection_made(transport)  # type: ignore[arg-type]
        server.data_received(get(BASE + b"/10.01"))
        server.data_received(get(BASE + b"/nope"))
        server.data_received(get(BASE + b"/20", close=True))
        for _ in range(1000):
            if transport.closed:
                break
            await asyncio.sleep(0.005)
        assert transport.reading  # (paused while a look-up waited: resumed)
        return bytes(transport.written)

    written = run_apart(connection())
    statuses = re.findall(rb"HTTP/1.1 (\d+)", written)
    assert statuses == [b"200", b"404", b"200"]
    assert written.index(b'"code":"10.01"') < written.index(b"not_found") < written.index(b'"code":"20"')


def test_a_connection_lost_while_a_look_up_waits_gets_nothing_and_breaks_nothing(app: KodeksAPI) -> None:
    async def connection() -> tuple[bytes, bytes]:
        config = uvicorn.Config(app, http=HttpProtocol, log_config=None)
        config.load()
        lost, kept = Transport(), Transport()
        for transport in (lost, kept):
            server = HttpProtocol(config=config, server_state=ServerState(), app_state={})
            server.connection_made(transport)  # type: ignore[arg-type]
            server.data_received(get(BASE + b"/10.01", close=True))
            if transport is lost:
                server.connection_lost(None)
        for _ in range(1000):
            if kept.closed:
                break
            await asyncio.sleep(0.005)
        await asyncio.sleep(0.05)
        return bytes(lost.written), bytes(kept.written)

    lost, kept = run_apart(connection())
    assert kept.startswith(b"HTTP/1.1 200 OK")
    assert lost == b"" or lost.startswith(b"HTTP/1.1 200 OK")  # (SQLite answers at once, before the loss)
