"""The lean read path: the hot as-of look-ups answered from the read model, in front of the application.

``GET /api/v1/classifications/{id}/items/{code}`` and its ``/children`` and ``/descendants``, with
no query or only ``?at=YYYY-MM-DD``, anonymous, on a public classification whose read model is
built for the registry's current generation, are answered here: the registry's own query services
run over the model (``storage.read_model.ModelReads``), so the answer is the one the routes give —
the same JSON, byte for byte, and the same headers. Routing, dependency injection, validation, the
thread pool and the unit of work's generation query are skipped; the generation comes from a
``GenerationWatch`` (cheap, and never older than the request).

Everything else falls through to the application, untouched: other query parameters (``known_at``),
credentials or cookies, a classification that is not public or not built yet (the application's
read builds it), and every answer that is not a 200 (the application gives the error, in its one
shape). A look-up answered here is therefore never different from the application's.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import date
from typing import Any

import orjson

from kodeks.api import render
from kodeks.bootstrap import Kodeks
from kodeks.domain.codec import item_to_dict
from kodeks.errors import KodeksError
from kodeks.services import queries
from kodeks.services.queries import When
from kodeks.storage.generation import Generation
from kodeks.storage.generation_watch import GenerationWatch
from kodeks.storage.read_model import ClassificationModel, ModelReads, ModelUnitOfWorkFactory, known_since

log = logging.getLogger("kodeks.api")

Scope = dict[str, Any]
PREFIX = "/api/v1/classifications/"
SKIP_HEADERS = frozenset((b"authorization", b"cookie"))
_CONTENT_TYPE = (b"content-type", b"application/json")


def _day(query: bytes) -> tuple[date | None, str] | None:
    """``(at, link query)`` for ``b""`` or ``b"at=YYYY-MM-DD"``; ``None`` for anything else."""
    if not query:
        return None, ""
    if len(query) != 13 or not query.startswith(b"at="):
        return None
    try:
        text = query[3:].decode("ascii")
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return (day, "?at=" + text) if day.isoformat() == text else None


class FastReads:
    def __init__(self, app: Callable[..., Any], kodeks: Kodeks, watch: GenerationWatch) -> None:
        self.app = app
        self.kodeks = kodeks
        self.watch = watch
        self.factory = kodeks.uow if isinstance(kodeks.uow, ModelUnitOfWorkFactory) else None
        self._public: dict[str, bool] = {}
        self._public_generation: Generation | None = None
        self.answered = 0

    async def __call__(self, scope: Scope, receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "GET"
            and scope["path"].startswith(PREFIX)
            and self.factory is not None
        ):
            body = await self._answer(scope)
            if body is not None:
                self.answered += 1
                headers = [(b"content-length", str(len(body)).encode()), _CONTENT_TYPE]
                await send({"type": "http.response.start", "status": 200, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)

    async def _answer(self, scope: Scope) -> bytes | None:
        parts = scope["path"][len(PREFIX) :].split("/")
        if len(parts) not in (3, 4) or parts[1] != "items" or not parts[0] or not parts[2]:
            return None
        what = parts[3] if len(parts) == 4 else "item"
        if what not in ("item", "children", "descendants") or scope.get("root_path"):
            return None
        asked = _day(scope.get("query_string", b""))
        if asked is None or any(name in SKIP_HEADERS for name, _ in scope["headers"]):
            return None
        try:
            generation = await self.watch.current()
            model = await self._model(generation, parts[0])
            if model is None:
                return None
            return self._render(model, parts[0], parts[2], what, asked)
        except KodeksError:
            return None  # the application answers, in the one error shape
        except Exception:
            log.exception("the lean read path failed; the application answers")
            return None

    async def _model(self, generation: Generation, cid: str) -> ClassificationModel | None:
        assert self.factory is not None
        since = known_since(generation)
        if since is None or When.of().known_at < since:  # a clock behind the newest registration
            return None
        model = self.factory.models.ready(generation, cid)
        if model is None or not await self._is_public(generation, cid):
            return None
        return model

    async def _is_public(self, generation: Generation, cid: str) -> bool:
        """Whether anyone may read ``cid``, asked once per generation (a policy change is one)."""
        if generation != self._public_generation:
            self._public, self._public_generation = {}, generation
        known = self._public.get(cid)
        if known is None:
            known = await asyncio.get_running_loop().run_in_executor(None, self._ask_public, cid)
            if generation == self._public_generation:
                self._public[cid] = known
        return known

    def _ask_public(self, cid: str) -> bool:
        from kodeks.api.governance_deps import governance_for
        from kodeks.services.governance.authz import classification_resource

        gov = governance_for(self.kodeks)
        with gov.uow() as uow:
            resource = classification_resource(uow, cid, public_copyrighted=gov.public_copyrighted)
        return bool(resource.public)

    @staticmethod
    def _render(
        model: ClassificationModel, cid: str, code: str, what: str, asked: tuple[date | None, str]
    ) -> bytes:
        reads = ModelReads(model)
        when = When.of(asked[0])
        if what == "item":
            return orjson.dumps(render.item_view(queries.item(reads, cid, code, when), asked[1]))  # type: ignore[arg-type]
        found = (queries.children if what == "children" else queries.descendants)(reads, cid, code, when)  # type: ignore[arg-type]
        return orjson.dumps([item_to_dict(i) for i in found])
