"""A response cache for the public registry reads, in front of the whole application.

Registry reads only change when something is registered, so a GET response can be served again
until the registry's *generation* moves. The generation is the newest registration and
classification record id; it is looked up at most once per ``check_every`` seconds per process,
and at once after a write in this process (``bump``). The application asks a
``storage.generation_watch.GenerationWatch`` (``generation`` may be a coroutine function) on every
request: cheap, and never older than the request, so no cached answer outlives a registration made
anywhere.

Only anonymous GETs of ``/api/v1/classifications/...`` with status 200/404 are cached (requests
with an ``Authorization`` header, cookies or ``Cache-Control: no-cache`` always reach the app);
the key holds the path, query string, ``Accept`` and today's date (the default ``at``).
"""

from __future__ import annotations

import inspect
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import Any

Scope = dict[str, Any]
Message = dict[str, Any]
ASGIApp = Callable[..., Any]

PREFIX = "/api/v1/classifications"
SKIP_HEADERS = (b"authorization", b"cookie")


class ResponseCache:
    def __init__(
        self,
        app: ASGIApp,
        generation: Callable[[], object],
        *,
        check_every: float = 1.0,
        max_entries: int = 20_000,
        max_bytes: int = 64 * 1024 * 1024,
        max_entry: int = 1024 * 1024,
    ) -> None:
        self.app = app
        self.generation = generation
        self.check_every = check_every
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.max_entry = max_entry
        self._entries: OrderedDict[tuple[Any, ...], tuple[int, list[tuple[bytes, bytes]], bytes]] = (
            OrderedDict()
        )
        self._bytes = 0
        self._generation: object = None
        self._checked = 0.0
        self.hits = 0
        self.misses = 0

    def bump(self) -> None:
        """Forget everything (a write in this process)."""
        self._entries.clear()
        self._bytes = 0
        self._checked = 0.0

    async def _current(self) -> None:
        now = time.monotonic()
        if self.check_every > 0 and now - self._checked < self.check_every:
            return
        self._checked = now
        generation = self.generation()
        if inspect.isawaitable(generation):
            generation = await generation
        if generation != self._generation:
            self._generation = generation
            self._entries.clear()
            self._bytes = 0

    def _key(self, scope: Scope) -> tuple[Any, ...] | None:
        if scope["type"] != "http" or scope["method"] != "GET" or not scope["path"].startswith(PREFIX):
            return None
        if "/profiles" in scope["path"]:  # local profiles change without a registration
            return None
        accept = b""
        for name, value in scope["headers"]:
            if name in SKIP_HEADERS or (name == b"cache-control" and b"no-cache" in value):
                return None
            if name == b"accept":
                accept = value
        return (scope["path"], scope.get("query_string", b""), accept, date.today())

    async def __call__(self, scope: Scope, receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        key = self._key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        await self._current()
        hit = self._entries.get(key)
        if hit is not None:
            self.hits += 1
            self._entries.move_to_end(key)
            status, headers, body = hit
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        self.misses += 1
        captured: dict[str, Any] = {"body": []}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
                captured["headers"] = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                captured["body"].append(message.get("body", b""))
                if not message.get("more_body", False):
                    self._store(key, captured)
            await send(message)

        await self.app(scope, receive, capture)

    def _store(self, key: tuple[Any, ...], captured: dict[str, Any]) -> None:
        status = captured.get("status")
        if status not in (200, 404):
            return
        body = b"".join(captured["body"])
        if len(body) > self.max_entry:
            return
        self._entries[key] = (status, captured["headers"], body)
        self._bytes += len(body)
        while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
            _, (_, _, old) = self._entries.popitem(last=False)
            self._bytes -= len(old)
