"""The HTTP protocol Kodeks serves with (uvicorn's httptools protocol, hardened at the edge).

What the stock protocol does not do, and this one does:

- **raw UTF-8 in the request target** (``?q=hjemmehjælp`` typed as is; Danes type æøå) is
  percent-encoded before parsing, so it arrives in the app decoded as UTF-8, like ``%C3%A6``;
- **request heads are bounded**: a head (request line and headers) over ``MAX_HEADER_BYTES`` is
  answered 431 and the connection closed, before it is buffered whole;
- **every error the server itself answers has the one JSON error shape** (malformed requests: 400);
- **a response's head goes out with its body's first part**: one write (one system call, one TCP
  segment) for a small response instead of uvicorn's two;
- **the hot look-ups are answered in the protocol**: an anonymous GET of an item, its children or
  descendants that the lean read path (``api.fast_reads``) can answer is written with the bytes
  uvicorn and the application would send (uvicorn's default headers included), without a task, an
  ASGI cycle or the application — a read that is exactly one plain GET head before the HTTP parser
  (``_answer_simple_get``), any other request once its head is parsed (``answer_here``). On a SQLite
  file the generation is known at once; on PostgreSQL the request waits for a shared generation read
  that starts after it arrived (reading paused). Anything the lean path does not answer, every
  request while the access log is on, and a request behind an unanswered one go the usual way.

``kodeks serve`` uses it; with plain uvicorn pass ``--http kodeks.api.server:HttpProtocol``.
Raw bytes are encoded in the first request line of each read that starts a request, i.e. for every
client that waits for a response before sending the next request (all but HTTP pipelining).
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import re
from typing import TYPE_CHECKING, Any, cast

import httptools
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol, RequestResponseCycle

from kodeks.api.errors import error_body
from kodeks.api.headers import MAX_HEADER_BYTES, too_large_message

if TYPE_CHECKING:
    from kodeks.api.fast_reads import Asked, FastReads
    from kodeks.storage.generation import Generation

_NON_ASCII = re.compile(rb"[\x80-\xff]")
#: What ``_answer_simple_get`` leaves to the parser: a request for anything but the API's
#: classifications, a byte outside printable ASCII (but the head's CR LF and tabs), percent-escapes,
#: fragments, and headers that announce a body, an upgrade or an expectation.
_SIMPLE_PREFIX = b"GET /api/v1/classifications/"
_SIMPLE_BYTES = bytes(b for b in range(0x20, 0x7F) if b not in b"%#") + b"\t\r\n"
_TOKEN = re.compile(rb"[!#$&'*+.^_`|~0-9A-Za-z-]+")
_TARGET = re.compile(rb"/[A-Za-z0-9._~!$&'()*+,;=:@/-]*(?:\?[A-Za-z0-9._~!$&'()*+,;=:@/?-]*)?")
_VERSIONS = (b"HTTP/1.1", b"HTTP/1.0")
_NOT_SIMPLE_HEADERS = frozenset((b"content-length", b"transfer-encoding", b"upgrade", b"expect"))
_REASONS = {400: b"Bad Request", 431: b"Request Header Fields Too Large"}


def percent_encode_request_line(line: bytes) -> bytes:
    """``GET /s?q=hjemmehj\\xc3\\xa6lp HTTP/1.1`` → ``GET /s?q=hjemmehj%C3%A6lp HTTP/1.1``."""
    return _NON_ASCII.sub(lambda m: b"%%%02X" % m.group()[0], line)


def error_response(status: int, code: str, message: str) -> bytes:
    body = json.dumps(error_body(code, message)).encode()
    head = [
        b"HTTP/1.1 %d %s" % (status, _REASONS[status]),
        b"content-type: application/json",
        b"content-length: %d" % len(body),
        b"connection: close",
    ]
    return b"\r\n".join(head) + b"\r\n\r\n" + body


class HttpProtocol(HttpToolsProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._idle = True  # the next byte starts a request
        self._in_head = True
        self._head_bytes = 0
        self._line = bytearray()  # the start of a request line not yet complete
        self._lean = _lean(self.app)
        self._asked: Asked | None = None
        self._lean_asked = False  # the request being parsed was asked of the lean path already

    def data_received(self, data: bytes) -> None:
        if self._idle and not self._line and self._lean is not None and self._answer_simple_get(data):
            return
        self._parse(data)

    def _parse(self, data: bytes) -> None:
        if self._idle:
            self._line += data
            end = self._line.find(b"\n")
            if end < 0:
                self._unset_keepalive_if_required()
                if len(self._line) > MAX_HEADER_BYTES:
                    self._refuse(431, "headers_too_large", too_large_message())
                return
            data = percent_encode_request_line(bytes(self._line[: end + 1])) + bytes(self._line[end + 1 :])
            self._line.clear()
            self._idle = False
        if self._in_head:
            self._head_bytes += len(data)
        super().data_received(data)
        if self._in_head and self._head_bytes > MAX_HEADER_BYTES and not self.transport.is_closing():
            self._refuse(431, "headers_too_large", too_large_message())

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._idle = False
        self._in_head = True
        self._head_bytes = 0

    def on_headers_complete(self) -> None:
        self._in_head = False
        if self.answer_here():
            return
        super().on_headers_complete()
        if self._asked is not None and self.cycle is not None:
            self.cycle.kodeks_asked = self._asked  # type: ignore[attr-defined]  # see _start_asgi_task
        if self.cycle is not None and not isinstance(self.cycle.transport, HeadWithBody):
            self.cycle.transport = HeadWithBody(self.cycle.transport)  # type: ignore[assignment]  # task not run yet

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._idle = True

    def _answer_simple_get(self, data: bytes) -> bool:
        """Answer a read that is exactly one plain GET head for the lean path, without the parser:
        ASCII, no percent-escapes, a request line of three parts, ``name: value`` lines of token
        names, no body, upgrade or expectation. Anything else, or a look-up the lean path cannot
        answer at once, goes to the parser (the bytes untouched) — this only takes a strict subset
        of what the parser accepts, and answers it as ``answer_here`` would."""
        if not data.startswith(_SIMPLE_PREFIX) or data.find(b"\r\n\r\n") != len(data) - 4:
            return False
        if len(data) > MAX_HEADER_BYTES or data.translate(None, _SIMPLE_BYTES):
            return False
        if not self._may_answer() or not self._nothing_pending():
            return False
        if data.count(b"\n") != data.count(b"\r\n") or data.count(b"\r") != data.count(b"\r\n"):
            return False  # a bare CR or LF
        lines = data[:-4].split(b"\r\n")
        method_target_version = lines[0].split(b" ")
        if len(method_target_version) != 3 or method_target_version[2] not in _VERSIONS:
            return False
        keep_alive = method_target_version[2] == b"HTTP/1.1"  # uvicorn closes every HTTP/1.0 request
        headers = []
        for line in lines[1:]:
            name, colon, value = line.partition(b":")
            if not colon or not _TOKEN.fullmatch(name):
                return False
            name = name.lower()
            if name in _NOT_SIMPLE_HEADERS:
                return False
            value = value.strip(b" \t")
            if name == b"connection":
                tokens = [token.strip().lower() for token in value.split(b",")]
                if b"upgrade" in tokens:
                    return False
                keep_alive = keep_alive and b"close" not in tokens
            headers.append((name, value))
        if not _TARGET.fullmatch(method_target_version[1]):
            return False
        path, _, query = method_target_version[1].partition(b"?")
        lean = self._lean
        assert lean is not None
        asked = lean.asked(path.decode("ascii"), query, headers)
        if asked is None:
            return False
        generation = lean.watch.now()
        if generation is None:  # PostgreSQL: answered once a generation read that starts now is done
            self._unset_keepalive_if_required()
            self._wait_for_generation(lean, asked, data, keep_alive)
            return True
        body = lean.answer_with(generation, asked)
        if body is None:
            return False
        self._unset_keepalive_if_required()
        self._answered(body, keep_alive)
        return True

    def _wait_for_generation(self, lean: FastReads, asked: Asked, data: bytes, keep_alive: bool) -> None:
        """The request waits, reading paused, for a shared generation read; then it is answered
        from the read model, or its bytes go to the parser as if they had just arrived."""
        waiting = _Waiting(keep_alive)
        self.cycle = waiting  # type: ignore[assignment]  # uvicorn sees a request being answered
        self.flow.pause_reading()

        def answer(read: asyncio.Future[Generation]) -> None:
            if waiting.disconnected:
                return
            self.flow.resume_reading()
            body = _answer_read(lean, asked, read)
            if body is not None:
                self._answered(body, waiting.keep_alive)
                return
            self.cycle = ANSWERED  # type: ignore[assignment]  # the parser's request starts anew
            self._lean_asked = True  # (not again: the application answers)
            try:
                self._parse(data)
            finally:
                self._lean_asked = False

        lean.watch.soon().add_done_callback(answer)

    def _may_answer(self) -> bool:
        """Whether requests may be answered here at all: not while uvicorn logs each request, mounts
        the application under a root path or limits concurrency."""
        return not (
            (self.access_log and self.access_logger.isEnabledFor(logging.INFO))
            or self.root_path
            or self.limit_concurrency is not None
        )

    def _nothing_pending(self) -> bool:
        """Whether every request before this one on the connection is answered."""
        return not self.pipeline and (self.cycle is None or self.cycle.response_complete)

    def answer_here(self) -> bool:
        """Answer the request whose head was just parsed from the lean read path, if it can be
        answered at once and nothing before it on this connection is still unanswered; else, when
        the path may answer it once the generation is read (PostgreSQL), mark it for ``_start_asgi_task``."""
        lean = self._lean
        self._asked = None
        if (
            lean is None
            or self._lean_asked
            or not self._may_answer()
            or self._head_bytes > MAX_HEADER_BYTES
            or self.parser.get_method() != b"GET"
            or self.parser.should_upgrade()
        ):
            return False
        try:
            url = httptools.parse_url(self.url)
        except httptools.HttpParserInvalidURLError:
            return False
        if b"%" in url.path:
            return False  # the application decodes it
        asked = lean.asked(url.path.decode("ascii"), url.query or b"", self.headers)
        if asked is None:
            return False
        generation = lean.watch.now()
        if generation is None:
            self._asked = asked  # answered when the generation is read
            return False
        if not self._nothing_pending():
            return False
        body = lean.answer_with(generation, asked)
        if body is None:
            return False
        self._answered(body, self.parser.get_http_version() != "1.0" and self.parser.should_keep_alive())
        return True

    def _start_asgi_task(self, cycle: RequestResponseCycle, app: Any) -> None:
        """uvicorn starts a request's task here; a look-up the lean path may answer waits for a
        generation read that starts now instead (shared by the requests waiting), and is answered
        from it, or, when it cannot be, goes on to the application as usual."""
        asked: Asked | None = getattr(cycle, "kodeks_asked", None)
        if asked is None and cycle is self.cycle:
            asked = self._asked  # the request just parsed (its cycle is marked once this returns)
        if asked is None or self._lean is None:
            super()._start_asgi_task(cycle, app)
            return
        lean = self._lean

        def answer(read: asyncio.Future[Generation]) -> None:
            if cycle.disconnected:
                return
            body = _answer_read(lean, asked, read)
            if body is None:
                super(HttpProtocol, self)._start_asgi_task(cycle, app)
                return
            cycle.response_started = cycle.response_complete = True
            self._respond(body, cycle.keep_alive)

        lean.watch.soon().add_done_callback(answer)

    def _answered(self, body: bytes, keep_alive: bool) -> None:
        """The request is answered here: uvicorn's code sees a finished cycle."""
        self.cycle = ANSWERED  # type: ignore[assignment]
        self._respond(body, keep_alive)

    def _respond(self, body: bytes, keep_alive: bool) -> None:
        """A 200 with ``body``, in uvicorn's bytes (its default headers, ``connection: close``)."""
        content = [STATUS_LINE[200]]
        for name, value in self.server_state.default_headers:
            content += [name, b": ", value, b"\r\n"]
        content += [b"content-length: %d\r\ncontent-type: application/json\r\n" % len(body)]
        if not keep_alive:
            content.append(b"connection: close\r\n")
        content += [b"\r\n", body]
        self.transport.write(b"".join(content))
        if not keep_alive:
            self.transport.close()
        self.on_response_complete()

    def send_400_response(self, msg: str) -> None:
        self._refuse(400, "invalid_request", f"the HTTP request is malformed ({msg.rstrip('.')})")

    def _refuse(self, status: int, code: str, message: str) -> None:
        self.logger.warning("refused a request: %s", message)
        self.transport.write(error_response(status, code, message))
        self.transport.close()


def _answer_read(lean: FastReads, asked: Asked, read: asyncio.Future[Generation]) -> bytes | None:
    """The lean path's answer on the generation ``read`` gave (``None``: the read failed, or the
    application answers)."""
    if read.cancelled() or read.exception() is not None:
        return None
    return lean.answer_with(read.result(), asked)


class _NoWaiter:
    """A cycle's ``message_event`` where no task waits on one: uvicorn sets it when the connection
    is lost, and that changes nothing."""

    def set(self) -> None:
        return None


class _Answered:
    """A request answered in the protocol, as uvicorn's code sees a finished request's cycle."""

    response_complete = True
    disconnected = False
    keep_alive = True
    message_event = _NoWaiter()


ANSWERED = _Answered()


class _Waiting:
    """A request answered here once the generation is read, as uvicorn's code sees its cycle:
    unfinished (a request after it waits in the pipeline), told of a lost connection and of a
    shutdown (``keep_alive``: close once answered)."""

    response_complete = False

    def __init__(self, keep_alive: bool) -> None:
        self.keep_alive = keep_alive
        self.disconnected = False
        self.message_event = _NoWaiter()


def _lean(app: Any) -> FastReads | None:
    """The lean read path of the Kodeks application under uvicorn's wrappers (proxy headers …)."""
    for _ in range(8):
        lean = getattr(app, "lean", None)
        if lean is not None:
            return cast("FastReads", lean)
        app = getattr(app, "app", None)
        if app is None:
            return None
    return None


def log_config(*, access_log: bool = False) -> dict[str, Any]:
    """uvicorn's logging, quiet by default: its own messages from WARNING, Kodeks' from WARNING
    (refused authentications, unexpected errors), and one line per request with ``access_log``."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["uvicorn.error"]["level"] = "WARNING"
    config["loggers"]["uvicorn.access"]["level"] = "INFO" if access_log else "WARNING"
    config["loggers"]["kodeks"] = {"handlers": ["default"], "level": "WARNING", "propagate": False}
    return config


class HeadWithBody:
    """A response's transport that holds the response head (written alone by uvicorn) until the
    body's first write, and sends both in one; a head still held when the loop's iteration ends (a
    stream whose first part is not ready) or when the transport closes is sent then. ``100
    Continue`` goes at once. Everything else is the transport's."""

    def __init__(self, transport: Any) -> None:
        self._transport = transport
        self._head = b""
        self._held = False  # only a response's first write is its head

    def write(self, data: bytes) -> None:
        if self._head:
            data, self._head = self._head + data, b""
        elif not self._held and data.startswith(b"HTTP/1.1 ") and not data.startswith(b"HTTP/1.1 100 "):
            self._head, self._held = data, True
            asyncio.get_running_loop().call_soon(self.flush)
            return
        self._transport.write(data)

    def flush(self) -> None:
        if self._head:
            head, self._head = self._head, b""
            if not self._transport.is_closing():
                self._transport.write(head)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)
