"""Outbound HTTP for webhooks: the ``Transport`` port over ``http.client``, safe against SSRF.

The host is resolved once per request; every address it resolves to must be allowed
(``domain.local.webhook.address_problem``: public addresses, loopback only when the settings allow
it), and the connection is made to the vetted address itself, so a DNS answer that changes between
the check and the connect cannot redirect it. Redirects are not followed. Only a short excerpt of the
answer is read. (This adapter sits with storage: the adapters that implement service ports.)
"""

from __future__ import annotations

import http.client
import socket
import ssl
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from kodeks.domain.local.webhook import address_problem
from kodeks.services.local.ports import Response

Resolver = Callable[[str, int], list[str]]


class BlockedAddress(OSError):
    """The webhook's host resolves to an address webhooks may not be sent to."""


def resolve(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        context: Any = self._context  # type: ignore[attr-defined]
        self.sock = context.wrap_socket(sock, server_hostname=self.host)


class HttpTransport:
    def __init__(self, *, allow_loopback: bool = False, resolver: Resolver = resolve) -> None:
        self.allow_loopback = allow_loopback
        self.resolver = resolver

    def _vetted(self, url: str) -> tuple[str, int, str, str]:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            addresses = self.resolver(host, port)
        except (socket.gaierror, UnicodeError) as exc:
            raise BlockedAddress(f"the host {host!r} cannot be resolved ({exc.__class__.__name__})") from None
        if not addresses:
            raise BlockedAddress(f"the host {host!r} has no address")
        for address in addresses:
            problem = address_problem(address, allow_loopback=self.allow_loopback)
            if problem:
                raise BlockedAddress(f"the host {host!r} resolves to {problem}")
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        return host, port, addresses[0], path

    def check(self, url: str) -> str | None:
        try:
            self._vetted(url)
        except BlockedAddress as exc:
            return str(exc)
        return None

    def post(self, url: str, body: bytes, headers: dict[str, str], timeout: float) -> Response:
        host, port, address, path = self._vetted(url)
        scheme = urlsplit(url).scheme
        conn: http.client.HTTPConnection = (_PinnedHTTPS if scheme == "https" else _PinnedHTTP)(
            host, port, address, timeout
        )
        try:
            conn.request("POST", path, body=body, headers=headers)
            answer = conn.getresponse()
            excerpt = answer.read(512)
            return Response(answer.status, excerpt.decode("utf-8", errors="replace"))
        except http.client.HTTPException as exc:
            raise OSError(f"bad HTTP answer: {exc.__class__.__name__}") from None
        finally:
            conn.close()
