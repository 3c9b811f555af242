"""The HTTP protocol Kodeks serves with (uvicorn's httptools protocol, hardened at the edge).

What the stock protocol does not do, and this one does:

- **raw UTF-8 in the request target** (``?q=hjemmehjælp`` typed as is; Danes type æøå) is
  percent-encoded before parsing, so it arrives in the app decoded as UTF-8, like ``%C3%A6``;
- **request heads are bounded**: a head (request line and headers) over ``MAX_HEADER_BYTES`` is
  answered 431 and the connection closed, before it is buffered whole;
- **every error the server itself answers has the one JSON error shape** (malformed requests: 400);
- **a response's head goes out with its body's first part**: one write (one system call, one TCP
  segment) for a small response instead of uvicorn's two.

``kodeks serve`` uses it; with plain uvicorn pass ``--http kodeks.api.server:HttpProtocol``.
Raw bytes are encoded in the first request line of each read that starts a request, i.e. for every
client that waits for a response before sending the next request (all but HTTP pipelining).
"""

from __future__ import annotations

import asyncio
import copy
import json
import re
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from kodeks.api.errors import error_body
from kodeks.api.headers import MAX_HEADER_BYTES, too_large_message

_NON_ASCII = re.compile(rb"[\x80-\xff]")
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

    def data_received(self, data: bytes) -> None:
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
        super().on_headers_complete()
        if self.cycle is not None and not isinstance(self.cycle.transport, HeadWithBody):
            self.cycle.transport = HeadWithBody(self.cycle.transport)  # type: ignore[assignment]  # task not run yet

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._idle = True

    def send_400_response(self, msg: str) -> None:
        self._refuse(400, "invalid_request", f"the HTTP request is malformed ({msg.rstrip('.')})")

    def _refuse(self, status: int, code: str, message: str) -> None:
        self.logger.warning("refused a request: %s", message)
        self.transport.write(error_response(status, code, message))
        self.transport.close()


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
