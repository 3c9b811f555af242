"""Permalinks. Every page's state is in its URL; links carry the language (when not Danish) and the
date and recorded time the reader chose, so a copied address shows exactly what was on screen.

Danish paths are canonical; the English aliases (``/classifications/...``, ``/search``) lead to the
same pages. Query parameters have Danish names with English aliases (``dato``/``at``,
``kendt``/``known_at``, ``fra``/``from``, ``til``/``to``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from urllib.parse import quote, quote_plus, urlencode

API = "/api/v1/classifications"

Param = str | int | date | datetime | None


def _text(value: str | int | date | datetime) -> str:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat() if isinstance(value, date) else str(value)


def seg(value: str) -> str:
    """One path segment, percent-encoded."""
    return quote(value, safe="")


@dataclass(frozen=True, slots=True)
class Urls:
    """Link builder for one request: ``lang`` and the explicitly chosen ``at``/``known_at`` travel along."""

    lang: str = "da"
    at: date | None = None
    known_at: datetime | None = None

    def at_date(self, at: date | None) -> Urls:
        return replace(self, at=at)

    def _query(self, pairs: Iterable[tuple[str, Param]], *, dated: bool = True) -> str:
        items: list[tuple[str, str]] = []
        if dated:
            items += [
                (k, _text(v)) for k, v in (("dato", self.at), ("kendt", self.known_at)) if v is not None
            ]
        items += [(k, _text(v)) for k, v in pairs if v is not None and v != ""]
        if self.lang != "da":
            items.append(("lang", self.lang))
        return "?" + urlencode(items) if items else ""

    def home(self) -> str:
        return "/" + self._query((), dated=False)

    def catalog_entry(self, entry_id: str) -> str:
        return f"/katalog/{seg(entry_id)}" + self._query((), dated=False)

    def search(self, q: str | None = None, **filters: Param) -> str:
        return "/soeg" + self._query([("q", q), *filters.items()], dated=False)

    def classification(self, cid: str, open_codes: Iterable[str] = ()) -> str:
        return f"/klassifikationer/{seg(cid)}" + self._query([("aaben", c) for c in open_codes])

    def tree(self, cid: str, parent: str | None, start: int = 0) -> str:
        return f"/klassifikationer/{seg(cid)}/trae" + self._query(
            [("under", parent), ("start", start or None)]
        )

    def item(self, cid: str, code: str) -> str:
        return f"/klassifikationer/{seg(cid)}/koder/{seg(code)}" + self._query(())

    def item_links(self, cid: str) -> Callable[[str], str]:
        """``item`` for many codes of one classification (the query part is built once)."""
        prefix, suffix = f"/klassifikationer/{seg(cid)}/koder/", self._query(())
        return lambda code: prefix + seg(code) + suffix

    def tree_links(self, cid: str) -> Callable[[str], str]:
        """``tree`` (children of a node) for many codes of one classification."""
        query = self._query(())
        prefix = f"/klassifikationer/{seg(cid)}/trae" + (query + "&" if query else "?")
        return lambda code: prefix + "under=" + quote_plus(code)

    def groups(self, cid: str) -> str:
        return f"/klassifikationer/{seg(cid)}/grupper" + self._query(())

    def group(self, cid: str, code: str) -> str:
        return f"/klassifikationer/{seg(cid)}/grupper/{seg(code)}" + self._query(())

    def alphabet(self, cid: str, lang: str | None = None, letter: str | None = None) -> str:
        query = self._query([("sprog", lang), ("bogstav", letter)])
        return f"/klassifikationer/{seg(cid)}/alfabetisk" + query

    def history(self, cid: str, code: str) -> str:
        return f"/klassifikationer/{seg(cid)}/koder/{seg(code)}/historik" + self._query(
            [("kendt", self.known_at)], dated=False
        )

    def changes(self, cid: str, fra: date | None = None, til: date | None = None) -> str:
        return f"/klassifikationer/{seg(cid)}/aendringer" + self._query(
            [("fra", fra), ("til", til), ("kendt", self.known_at)], dated=False
        )

    def export(self, cid: str, fmt: str) -> str:
        """The API's export (a contract path): ``at`` and ``known_at`` are its parameter names."""
        pairs = [("format", fmt), ("at", self.at), ("known_at", self.known_at)]
        return f"{API}/{seg(cid)}/export?" + urlencode([(k, _text(v)) for k, v in pairs if v is not None])

    def switch_lang(self, path: str, query: Iterable[tuple[str, str]], lang: str) -> str:
        """This page in another language (``lang=da`` is kept so it also resets the cookie); oversized
        values (a refused 10 kB search) are not echoed."""
        items = [(k, v) for k, v in query if k != "lang" and len(v) <= 500 and len(k) <= 40] + [
            ("lang", lang)
        ]
        return path + "?" + urlencode(items)
