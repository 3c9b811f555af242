"""Templates in, HTML out: one Jinja environment (autoescape always on), security headers, and the
one translation of errors into pages for the web (the API has its own JSON shape)."""

from __future__ import annotations

import logging
from pathlib import Path

import jinja2
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from kodeks.errors import KodeksError, NotFound
from kodeks.web.contexts import ErrorPage, Link, PageMeta
from kodeks.web.i18n import COOKIE, Formatter, Translator
from kodeks.web.urls import Urls
from kodeks.web.visit import Visit, language

log = logging.getLogger("kodeks.web")

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
templates = Jinja2Templates(env=_env)

#: Scripts and styles come only from /static; no inline script, no framing.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def render(
    request: Request, template: str, page: object, lang: str, *, status: int = 200, set_cookie: bool = False
) -> Response:
    t = Translator(lang)
    response = templates.TemplateResponse(
        request,
        template,
        {"page": page, "t": t, "fmt": Formatter(t)},
        status_code=status,
        headers={**SECURITY_HEADERS, "Content-Language": lang},
    )
    if set_cookie:
        response.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    if getattr(getattr(page, "meta", None), "section", "") == "editor":
        response.headers["Cache-Control"] = "no-store"  # drafts, names and form tokens stay out of caches
    return response


def render_visit(v: Visit, template: str, page: object, status: int = 200) -> Response:
    return render(v.request, template, page, v.lang, status=status, set_cookie=v.lang_from_query)


def error_response(
    request: Request,
    exc: Exception,
    links: tuple[Link, ...] = (),
    message: str | None = None,
    heading: str | None = None,
) -> Response:
    """The error page for ``exc``: its status and a translated heading; unexpected errors are logged
    and shown as 500 without their details."""
    lang, from_query = language(request)
    t = Translator(lang)
    if isinstance(exc, KodeksError) and 400 <= exc.status < 500:
        status = exc.status
        heading = heading or (t(f"error_{status}") if status in (400, 401, 403, 404, 409) else t("error_4xx"))
        text = message or explain(exc, t)
    else:
        log.exception("unexpected error on %s", request.url.path, exc_info=exc)
        status, heading, text = 500, t("error_500"), t("error_500_message")
    urls = Urls(lang)
    other = "en" if lang == "da" else "da"
    meta = PageMeta(
        title=heading,
        lang=lang,
        home_href=urls.home(),
        search_href=urls.search(),
        other_lang=other,
        other_lang_href=urls.switch_lang(request.url.path, request.query_params.multi_items(), other),
    )
    page = ErrorPage(
        meta,
        status,
        heading,
        text,
        links or (Link(urls.home(), t("go_catalog")), Link(urls.search(), t("go_search"))),
    )
    return render(request, "error.html", page, lang, status=status, set_cookie=from_query)


def explain(exc: KodeksError, t: Translator) -> str:
    """A reader's sentence for the registry's errors; the service's own message otherwise."""
    details = exc.details
    if isinstance(exc, NotFound) and "classification" in details and "valid" in details:
        return t("not_valid", code=details.get("code", ""), periods=", ".join(map(str, details["valid"])))
    if isinstance(exc, NotFound) and "code" in details:
        return t("no_such_code", cid=details["classification"], code=details["code"])
    if isinstance(exc, NotFound) and "classification" in details:
        return t("no_such_classification", cid=details["classification"])
    return exc.message
