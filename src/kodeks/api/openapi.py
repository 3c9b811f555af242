"""The OpenAPI document tells the errors the API really answers.

FastAPI declares ``422 HTTPValidationError`` on every operation; Kodeks never answers it (invalid
parameters and bodies are ``400 invalid_request``). ``install(app)`` replaces it, operation by
operation, with the statuses that operation can answer, every one with the one error schema
(``ErrorOut``: ``{"error": {"code", "message", "details"}}``):

    400  it takes parameters or a body (malformed, out of range, unknown fields)
    401  it can authenticate: a write (``AuthFirstRoute``) or a route that reads credentials
    403  the same, when the caller is known but not allowed (or a classification is not public)
    404  it names something (path parameters), or looks things up from its query or body
    409  a write that would contradict what is recorded (stale tag, state, duplicate)
    413  a write with a body over the limit
    415  an upload in a format no reader knows (imports)
    422  an upload or a draft whose content breaks a rule (imports, change-set edits and steps,
         a supplier's workbook)
    428  a governed edit without ``If-Match`` (also a requirement set's next revision)
    431  any request whose headers are too large (``api.headers``)

A test runs schemathesis against the live document with response-conformance checks, so a status
the table misses is found.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute

from kodeks.api.schemas import ErrorOut

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
ERROR = {"$ref": "#/components/schemas/ErrorOut"}
DESCRIPTIONS = {
    "400": "Invalid request (`invalid_request`)",
    "401": "Authentication required or credentials refused (`unauthorized`)",
    "403": "Not allowed (`forbidden`)",
    "404": "Not found (`not_found`)",
    "409": "Conflict with what is recorded (`conflict`)",
    "413": "Body too large (`input_too_large`)",
    "415": "Unknown format (`unknown_format`)",
    "422": "Content breaks a rule (`malformed_input`, `invalid_content`, ...)",
    "428": "If-Match required (`precondition_required`)",
    "431": "Headers too large (`headers_too_large`)",
}
#: Dependencies that read the caller's credentials (401/403 possible).
AUTH_DEPENDENCIES = frozenset({"current_actor", "require_actor", "require_user"})
#: Operations that import a file: 415 and 422 possible (path suffixes).
IMPORTS = ("/api/v1/correspondences", "/api/v1/privacy/", "/api/v1/landscape/", "/api/v1/models")
#: Writes that read their body themselves (JSON objects, a supplier's workbook): 413 possible.
RAW_BODIES = ("/api/v1/requirements", "/api/v1/requirement-sets", "/api/v1/screening")


def api_routes(routes: Iterable[Any]) -> Iterator[tuple[str, Any]]:
    """Every (full path, route) of an app's route table, through included routers."""
    for r in routes:
        if hasattr(r, "effective_candidates"):
            yield from api_routes(r.effective_candidates())
        elif hasattr(r, "original_route"):
            yield r.path, r.original_route
        else:
            yield getattr(r, "path", ""), r


def _calls(dependant: Any) -> Iterator[Callable[..., Any]]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _calls(sub)


def statuses(method: str, path: str, route: APIRoute, operation: dict[str, Any]) -> set[str]:
    """The error statuses one operation can answer."""
    found = {"431"}
    takes_input = bool(operation.get("parameters")) or "requestBody" in operation
    write = method in WRITES
    if takes_input:
        found |= {"400", "404"}
    names = {getattr(call, "__name__", "") for call in _calls(route.dependant)}
    private = "read_access" in names and "{classification_id}" in path  # public read may be off
    if write or private or names & AUTH_DEPENDENCIES:
        found |= {"401", "403"}
    if write:
        found |= {"404", "409"}
        if "requestBody" in operation or path.startswith(IMPORTS):
            found |= {"413"}
    if write and path.startswith(IMPORTS):
        found |= {"415", "422"}
    if write and getattr(route, "governed", False) and "/changesets/" in path:
        found |= {"422"}
        if any(p.name == "request" for p in _endpoint_params(route)):
            found |= {"428"}
    if write and path.endswith("/policy"):
        found |= {"428"}
    if write and path.startswith(RAW_BODIES):
        found |= {"413"}
        if path.endswith("/answers"):  # a workbook that cannot be read
            found |= {"422"}
        if method == "PUT" and path.startswith("/api/v1/requirement-sets/"):
            found |= {"428"}
    return found


def _endpoint_params(route: APIRoute) -> list[Any]:
    import inspect

    return list(inspect.signature(route.endpoint).parameters.values())


def declare_errors(app: FastAPI, schema: dict[str, Any]) -> None:
    """Replace FastAPI's phantom 422s with each operation's real error statuses."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    if "ErrorOut" not in components:
        error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(error_schema.pop("$defs", {}))
        components["ErrorOut"] = error_schema
    for path, route in api_routes(app.routes):
        if not isinstance(route, APIRoute) or path not in schema["paths"]:
            continue
        for method in route.methods or ():
            operation = schema["paths"][path].get(method.lower())
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            responses.pop("422", None)
            for status in sorted(statuses(method, path, route, operation)):
                responses[status] = {
                    "description": DESCRIPTIONS[status],
                    "content": {"application/json": {"schema": ERROR}},
                }
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)


def install(app: FastAPI) -> None:
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            declare_errors(app, build())
        return app.openapi_schema  # type: ignore[return-value]

    app.openapi = openapi  # type: ignore[method-assign]
