"""Dependencies: the registry the app was built with, and who is calling."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Header, Request

from kodeks.bootstrap import Kodeks
from kodeks.errors import Unauthorized


def get_kodeks(request: Request) -> Kodeks:
    kodeks: Kodeks = request.app.state.kodeks
    return kodeks


KodeksDep = Annotated[Kodeks, Depends(get_kodeks)]


def require_user(kodeks: KodeksDep, authorization: Annotated[str | None, Header()] = None) -> str:
    """The caller's identity from a bearer token; 401 for anonymous or unknown tokens.

    Tokens are configured (``KODEKS_API_TOKENS``) until the governance module's users and tokens
    take over; comparison is constant-time and the token never appears in an error.
    """
    if not authorization or not authorization.lower().startswith("bearer "):
        raise Unauthorized("authentication required: send 'Authorization: Bearer <token>'")
    token = authorization[7:].strip()
    for index, known in enumerate(kodeks.settings.api_tokens):
        if hmac.compare_digest(token.encode(), known.encode()):
            return f"token-{index + 1}"
    raise Unauthorized("the token is not valid")
