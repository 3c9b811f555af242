"""The lean read path: the hot as-of look-ups answered from the read model, before the application.

``GET /api/v1/classifications/{id}/items/{code}`` and its ``/children`` and ``/descendants``, with
no query or only ``?at=YYYY-MM-DD``, anonymous, on a public classification whose read model is
built for the registry's current generation, are answered here, from the model
(``storage.read_model.ModelReads`` lets the query services run over it): children through
``queries.children``; an item's view and descendants composed as ``queries.item`` and
``queries.descendants`` compose them, with an item's fact-dependent JSON serialized once per fact.
The answer is the one the routes give — the same JSON, byte for byte, and the same headers
(``tests/api/test_fast_reads.py`` asks every look-up both ways).

The application (``api.app.KodeksAPI``) asks this path first: middleware, routing, dependency
injection, validation, the thread pool and the unit of work's generation query are skipped; the
generation comes from a ``GenerationWatch`` (cheap, and never older than the request).

Everything else falls through to the application, untouched: other query parameters (``known_at``),
request heads over the limit (the application answers 431), credentials or cookies, a
classification that is not public or not built yet (the application's read builds it), and every
answer that is not a 200 (the application gives the error, in its one shape).
"""

from __future__ import annotations

import asyncio
import logging
from bisect import bisect_right
from collections.abc import Callable, MutableMapping
from datetime import date, datetime
from typing import Any

import orjson

from kodeks.api import render
from kodeks.api.headers import MAX_HEADER_BYTES, head_size
from kodeks.bootstrap import Kodeks
from kodeks.domain.codec import item_to_dict
from kodeks.domain.codes import sort_key
from kodeks.domain.item import Item
from kodeks.errors import KodeksError
from kodeks.services import queries
from kodeks.services.queries import ItemView, When
from kodeks.storage.generation import Generation
from kodeks.storage.generation_watch import GenerationWatch
from kodeks.storage.read_model import ClassificationModel, ModelReads, ModelUnitOfWorkFactory, known_since

log = logging.getLogger("kodeks.api")

Scope = MutableMapping[str, Any]
#: ``(classification, code, "item" | "children" | "descendants", (day or None, link query))``
Asked = tuple[str, str, str, tuple[date | None, str]]
PREFIX = "/api/v1/classifications/"
SKIP_HEADERS = frozenset((b"authorization", b"cookie"))
_CONTENT_TYPE = (b"content-type", b"application/json")
#: The fields of an item's view that do not depend on the fact alone (``render.item_view``'s last).
TAIL = ("at", "children", "successors_now", "links")
#: Serialized answers kept per model at most (KLE's whole history is about 15,000).
MEMO_ENTRIES = 200_000


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
    """Answers the hot look-ups it may answer (``respond`` → ``True``); the application the rest."""

    def __init__(self, kodeks: Kodeks, watch: GenerationWatch) -> None:
        self.kodeks = kodeks
        self.watch = watch
        self.factory = kodeks.uow if isinstance(kodeks.uow, ModelUnitOfWorkFactory) else None
        self._public: dict[str, bool] = {}
        self._public_generation: Generation | None = None
        self._since: tuple[Generation | None, datetime | None] = (None, None)
        self.answered = 0  # look-ups answered here, by either entry
        self.answered_at_once = 0  # of which by ``answer_now`` (in the HTTP protocol)

    async def respond(self, scope: Scope, send: Callable[..., Any]) -> bool:
        if scope["type"] != "http" or scope["method"] != "GET" or head_size(scope) > MAX_HEADER_BYTES:
            return False
        if scope.get("root_path"):
            return False
        asked = self.asked(scope["path"], scope.get("query_string", b""), scope["headers"])
        if asked is None:
            return False
        body = None
        try:
            generation = await self.watch.current()
            now = When.of()  # one instant for the whole read, as the application's unit of work
            assert self.factory is not None
            if self.factory.models.ready(generation, asked[0]) is not None:
                await self._is_public(generation, asked[0])  # known from now on: ``answer_now`` too
            body = self._answer(generation, asked, now)
        except KodeksError:
            pass  # the application answers, in the one error shape
        except Exception:
            log.exception("the lean read path failed; the application answers")
        if body is None:
            return False
        self.answered += 1
        headers = [(b"content-length", str(len(body)).encode()), _CONTENT_TYPE]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})
        return True

    def answer_now(self, path: str, query: bytes, headers: list[tuple[bytes, bytes]]) -> bytes | None:
        """``respond``'s answer (the body of a 200), when it can be given without waiting: the
        generation known at once (a SQLite file; ``GenerationWatch.now``) and the classification's
        read rights known for it. ``None``: ask ``respond`` (or the application)."""
        asked = self.asked(path, query, headers)
        generation = None if asked is None else self.watch.now()
        return None if asked is None or generation is None else self.answer_with(generation, asked)

    def answer_with(self, generation: Generation, asked: Asked) -> bytes | None:
        """The answer to ``asked`` on ``generation`` (a generation read after the request arrived),
        or ``None``: the application answers. For the HTTP protocol, which answers in its callbacks."""
        try:
            body = self._answer(generation, asked, When.of())
        except KodeksError:
            return None
        except Exception:
            log.exception("the lean read path failed; the application answers")
            return None
        if body is not None:
            self.answered += 1
            self.answered_at_once += 1
        return body

    def asked(self, path: str, query: bytes, headers: list[tuple[bytes, bytes]]) -> Asked | None:
        """``(classification, code, what, (day, link query))`` for a look-up this path may answer."""
        if self.factory is None or not path.startswith(PREFIX):
            return None
        parts = path[len(PREFIX) :].split("/")
        if len(parts) not in (3, 4) or parts[1] != "items" or not parts[0] or not parts[2]:
            return None
        what = parts[3] if len(parts) == 4 else "item"
        if what not in ("item", "children", "descendants"):
            return None
        day = _day(query)
        if day is None or any(name in SKIP_HEADERS for name, _ in headers):
            return None
        return parts[0], parts[2], what, day

    def _answer(self, generation: Generation, asked: Asked, now: When) -> bytes | None:
        cid, code, what, day = asked
        model = self._model(generation, cid, now)
        return None if model is None else _render(model, cid, code, what, day, now)

    def _model(self, generation: Generation, cid: str, now: When) -> ClassificationModel | None:
        """The built model of a public classification, or ``None`` (its rights not known yet for
        this generation, not built, not public, or a clock behind the newest registration)."""
        assert self.factory is not None
        if generation != self._since[0]:
            self._since = (generation, known_since(generation))
        since = self._since[1]
        if since is None or now.known_at < since:
            return None
        if generation != self._public_generation or not self._public.get(cid):
            return None
        return self.factory.models.ready(generation, cid)

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


def _render(
    model: ClassificationModel, cid: str, code: str, what: str, asked: tuple[date | None, str], now: When
) -> bytes | None:
    reads = ModelReads(model)
    when = When(asked[0] or now.at, now.known_at)
    if what == "item":
        return _item(model, reads, cid, code, when, asked[1], now)
    # A list of items carries no date: it is the same answer on every day between two dates on
    # which a fact of the node or of its children (descendants, of any time) begins or ends.
    cuts: list[date] | None = model.memo.get(("cuts", what, code))
    if cuts is None:
        cuts = _cuts(model, code, what)
        _remember(model, ("cuts", what, code), cuts)
    key = (what, code, bisect_right(cuts, when.at))
    body: bytes | None = model.memo.get(key)
    if body is None:
        if what == "children":
            found: list[Item] | None = queries.children(reads, cid, code, when)  # type: ignore[arg-type]
        else:
            found = _descendants(model, code, when)
        body = b"" if found is None else b"[" + b",".join(_item_json(model, i) for i in found) + b"]"
        _remember(model, key, body)
    return body or None


def _cuts(model: ClassificationModel, code: str, what: str) -> list[date]:
    """The days on which ``code``'s children (or descendants) answer may change, in order."""
    days: set[date] = set()
    codes, frontier = {code}, [code]
    while frontier:
        parent = frontier.pop()
        for fact in model.by_parent.get(parent, []):
            if what == "descendants" and fact.code not in codes:
                codes.add(fact.code)
                frontier.append(fact.code)
            days.update(d for d in (fact.period.start, fact.period.end) if d is not None)
    for fact in model.by_code.get(code, []):
        days.update(d for d in (fact.period.start, fact.period.end) if d is not None)
    return sorted(days)


def _descendants(model: ClassificationModel, code: str, when: When) -> list[Item] | None:
    """``queries.descendants`` over the model, walking the children lists from ``code`` instead of
    grouping every item valid on the day: the same codes, in the same order (sorted at the end)."""
    if model.classification is None or model.fact_at(code, when.at) is None:
        return None  # the application explains
    out: list[Item] = []
    frontier = [code]
    seen = {code}
    while frontier:
        for child in model.items_at(when.at, parent=frontier.pop()):
            if child.code not in seen:
                seen.add(child.code)
                out.append(child)
                frontier.append(child.code)
    key = sort_key(model.classification.code_order)
    return sorted(out, key=lambda i: (key(i.code), i.valid.start or date.min))


def _item(
    model: ClassificationModel, reads: ModelReads, cid: str, code: str, when: When, query: str, today: When
) -> bytes | None:
    """``render.item_view(queries.item(...))``, serialized: the part that depends on the fact alone
    once per fact, the rest (the day, its children count, the links) per request."""
    if model.classification is None:
        return None
    fact = model.fact_at(code, when.at)
    if fact is None:
        return None  # the application explains when the code was valid
    found = fact.item
    successors = (
        queries.successors_on(reads, cid, code, today)  # type: ignore[arg-type]
        if found.valid.end is not None and not found.valid.contains(today.at)
        else []
    )
    head: bytes | None = model.memo.get(("view", id(fact)))
    if head is None:
        view = render.item_view(ItemView(found, cid, when.at, 0, ()))
        head = orjson.dumps({k: view[k] for k in list(view)[: -len(TAIL)]})[:-1]
        _remember(model, ("view", id(fact)), head)
    base = f"{render.API}/classifications/{cid}/items/{code}"
    tail = {
        "at": when.at.isoformat(),
        "children": len(model.items_at(when.at, parent=code)),
        "successors_now": [s.code for s in successors],
        "links": {
            "self": base + query,
            "children": f"{base}/children{query}",
            "descendants": f"{base}/descendants{query}",
            "history": f"{base}/history",
        },
    }
    return head + b"," + orjson.dumps(tail)[1:]


def _item_json(model: ClassificationModel, item: Item) -> bytes:
    key = ("item", id(item))
    found: bytes | None = model.memo.get(key)
    if found is None:
        found = orjson.dumps(item_to_dict(item))
        _remember(model, key, found)
    return found


def _remember(model: ClassificationModel, key: tuple[Any, ...], value: Any) -> None:
    if len(model.memo) >= MEMO_ENTRIES:
        model.memo.clear()
    model.memo[key] = value
