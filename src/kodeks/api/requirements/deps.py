"""The requirement context for a request, built once per registry (like the governance context)."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import Engine

from kodeks.api.deps import KodeksDep
from kodeks.config import Settings
from kodeks.errors import InputTooLarge, InvalidRequest
from kodeks.services.importing import Listener
from kodeks.services.requirements.context import Requirements
from kodeks.storage.requirements import open_requirements

MAX_JSON = 1024 * 1024


@lru_cache(maxsize=16)
def _requirements(engine: Engine, settings: Settings, listeners: tuple[Listener, ...]) -> Requirements:
    return open_requirements(engine, settings, listeners)  # type: ignore[no-any-return]


def get_requirements(kodeks: KodeksDep) -> Requirements:
    return _requirements(kodeks.engine, kodeks.settings, tuple(kodeks.listeners))


RequirementsDep = Annotated[Requirements, Depends(get_requirements)]


async def json_object(request: Request, limit: int = MAX_JSON) -> dict[str, Any]:
    """The body as a JSON object of at most ``limit`` bytes."""
    raw = await request.body()
    if len(raw) > limit:
        raise InputTooLarge(f"the body is {len(raw):,} bytes; at most {limit:,} are allowed")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise InvalidRequest("the body is not valid JSON") from None
    if not isinstance(data, dict):
        raise InvalidRequest("the body must be a JSON object")
    return data
