"""A bound on request heads, in front of the whole application, whatever server runs it.

Requests whose request target and headers together exceed ``MAX_HEADER_BYTES`` are answered 431
(``headers_too_large``) in the one JSON error shape, as request bodies over their limit are 413.
(``kodeks serve``'s protocol, ``api.server``, also stops reading such a head before it is whole.)
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from starlette.responses import JSONResponse

from kodeks.api.errors import error_body

#: The largest request head (request target and headers) accepted; larger ones get 431.
MAX_HEADER_BYTES = 64 * 1024

Scope = MutableMapping[str, Any]


def head_size(scope: Scope) -> int:
    headers = sum(len(name) + len(value) + 4 for name, value in scope.get("headers", ()))
    return headers + len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"")


def too_large_message(limit: int = MAX_HEADER_BYTES) -> str:
    return f"the request's headers are larger than {limit:,} bytes"


class HeaderLimit:
    def __init__(self, app: Any, limit: int = MAX_HEADER_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and head_size(scope) > self.limit:
            body = error_body("headers_too_large", too_large_message(self.limit))
            await JSONResponse(body, status_code=431)(scope, receive, send)
            return
        await self.app(scope, receive, send)
