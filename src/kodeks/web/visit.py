"""One page request as the pages see it: language, the two times, and the query read safely.

Query parameters are read as text and parsed here, so a bad value becomes a clear, translated 400
page (never FastAPI's JSON validation error, never a 500).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from starlette.requests import Request

from kodeks.errors import InvalidRequest
from kodeks.services.clock import as_recorded
from kodeks.services.queries import When
from kodeks.web.contexts import Link, PageMeta
from kodeks.web.i18n import COOKIE, Formatter, Translator, choose
from kodeks.web.urls import Urls

#: The longest value accepted for any query parameter (a search may be long; nothing else is).
MAX_PARAM = 500


@dataclass(frozen=True)
class Visit:
    request: Request
    lang: str
    lang_from_query: bool
    t: Translator
    fmt: Formatter
    at: date | None  # the date the reader chose (None: today)
    known_at: datetime | None  # the recorded time the reader chose (None: now)
    urls: Urls

    @property
    def when(self) -> When:
        return When.of(self.at, self.known_at)

    def param(self, *names: str, limit: int = MAX_PARAM) -> str | None:
        """The first non-empty value among ``names`` (Danish name first, then English aliases)."""
        for name in names:
            value = self.request.query_params.get(name)
            if value is not None and value.strip():
                if len(value) > limit:
                    raise InvalidRequest(
                        self.t("too_long", name=name, limit=limit), parameter=name, translated=True
                    )
                return value.strip()
        return None

    def params(self, name: str, limit: int = 40) -> list[str]:
        values = [v.strip() for v in self.request.query_params.getlist(name) if v.strip()]
        if len(values) > limit:
            raise InvalidRequest(self.t("too_long", name=name, limit=limit), parameter=name, translated=True)
        return values

    def date_param(self, *names: str) -> date | None:
        value = self.param(*names, limit=40)
        return None if value is None else parse_date(value, self.t)

    def int_param(self, *names: str, low: int = 0, high: int = 1_000_000) -> int | None:
        value = self.param(*names, limit=20)
        if value is None:
            return None
        try:
            number = int(value)
        except ValueError:
            number = low - 1
        if not low <= number <= high:
            raise InvalidRequest(
                self.t("bad_number", value=value, low=low, high=high), value=value, translated=True
            )
        return number

    def meta(self, title: str, breadcrumbs: tuple[Link, ...] = (), section: str = "") -> PageMeta:
        other = "en" if self.lang == "da" else "da"
        query = [(k, v) for k, v in self.request.query_params.multi_items()]
        return PageMeta(
            title=title,
            lang=self.lang,
            home_href=self.urls.home(),
            search_href=self.urls.search(),
            other_lang=other,
            other_lang_href=self.urls.switch_lang(self.request.url.path, query, other),
            section=section,
            breadcrumbs=breadcrumbs,
            known_at=self.known_at,
        )


def parse_date(value: str, t: Translator) -> date:
    try:
        if len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidRequest(t("bad_date", value=value[:40]), value=value[:40], translated=True) from None


def parse_timestamp(value: str, t: Translator) -> datetime:
    try:
        return as_recorded(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        raise InvalidRequest(
            t("bad_timestamp", value=value[:40]), value=value[:40], translated=True
        ) from None


def language(request: Request) -> tuple[str, bool]:
    return choose(request.query_params.get("lang"), request.cookies.get(COOKIE))


def visit(request: Request) -> Visit:
    """Read language and times; a bad ``dato``/``kendt`` raises a translated ``InvalidRequest``."""
    lang, from_query = language(request)
    t = Translator(lang)
    partial = Visit(request, lang, from_query, t, Formatter(t), None, None, Urls(lang))
    at = partial.date_param("dato", "at")
    known_raw = partial.param("kendt", "known_at", limit=40)
    known_at = parse_timestamp(known_raw, t) if known_raw else None
    return Visit(request, lang, from_query, t, Formatter(t), at, known_at, Urls(lang, at, known_at))
