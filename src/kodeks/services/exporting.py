"""Exporting a classification, at a date, in any registered format."""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import MutableMapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from kodeks.errors import InvalidRequest
from kodeks.services import queries
from kodeks.services.ports import Exporter, ExportSet, FormatCatalog, UnitOfWorkFactory
from kodeks.services.queries import When


@dataclass(frozen=True, slots=True)
class Exported:
    content: bytes
    media_type: str
    filename: str


def export_set(uow_factory: UnitOfWorkFactory, cid: str, when: When, level: int | None = None) -> ExportSet:
    """The items valid on ``when.at`` (each with its full validity), levels and versions."""
    classification = queries.get_classification(uow_factory, cid, when.known_at)
    items = queries.items(uow_factory, cid, when, level)
    levels = queries.levels(uow_factory, cid, when)
    with uow_factory() as uow:
        releases = [v.release for v in uow.versions(cid, when.known_at)]
    # The versions up to the one in force on ``at`` (the first, if ``at`` is before every release):
    # an export as of 2012 must not name a 2026 release as its own.
    in_force = [r for r in releases if r.release_date <= when.at] or releases[:1]
    groups = queries.groups(uow_factory, cid, when)
    return ExportSet(classification, tuple(items), levels, tuple(in_force), when.at, groups)


def export(
    uow_factory: UnitOfWorkFactory,
    formats: FormatCatalog,
    cid: str,
    format: str,
    when: When,
    options: dict[str, str] | None = None,
    level: int | None = None,
    memo: MutableMapping[Any, Any] | None = None,
) -> Exported:
    """``memo``: where exports written before may be kept, for the reads of one state of the registry
    (the read model's, dropped with it): an export is the same on every day of a span in which no
    item's fact and no version begins or ends, so it is written once per span (and format, level,
    options) and kept while it fits ``EXPORT_MEMO_BYTES`` — in the formats whose bytes do not carry
    the day (``Exporter.dated`` false), or that can restamp it (``restamp``)."""
    if format not in formats.exporter_names():
        raise InvalidRequest(
            f"unknown export format {format!r}; choose one of: " + ", ".join(formats.exporter_names()),
            format=format,
        )
    exporter = formats.exporter(format)
    content = _content(uow_factory, exporter, cid, when, options or {}, level, memo)
    extension = exporter.extension.lstrip(".")  # exporters spell it ".csv" or "csv"
    return Exported(content, exporter.media_type, f"{cid}-{when.at.isoformat()}.{extension}")


#: The bytes of exports kept per state of the registry (the newest used are kept).
EXPORT_MEMO_BYTES = 64 * 1024 * 1024


def _content(
    uow_factory: UnitOfWorkFactory,
    exporter: Exporter,
    cid: str,
    when: When,
    options: dict[str, str],
    level: int | None,
    memo: MutableMapping[Any, Any] | None,
) -> bytes:
    restamp = getattr(exporter, "restamp", None)
    if memo is None or (getattr(exporter, "dated", True) and restamp is None):
        return exporter.write(export_set(uow_factory, cid, when, level), options)
    kept: _Kept = memo.setdefault(("exports", cid), _Kept())
    if kept.cuts is None:
        kept.cuts = _cuts(uow_factory, cid, when)
    key = (exporter.name, level, tuple(sorted(options.items())), bisect_right(kept.cuts, when.at))
    found = kept.get(key)
    if found is None:
        content = exporter.write(export_set(uow_factory, cid, when, level), options)
        kept.put(key, (content, when.at))
        return content
    content, day = found
    return content if day == when.at or restamp is None else bytes(restamp(content, when.at))


def _cuts(uow_factory: UnitOfWorkFactory, cid: str, when: When) -> list[date]:
    """The days on which an export of ``cid`` may change: every start and end of an item's fact,
    and every release date (the versions, levels and groups in force change on them)."""
    with uow_factory() as uow:
        facts = uow.facts_known_at(cid, when.known_at)
        versions = uow.versions(cid, when.known_at)
    days = {d for f in facts for d in (f.period.start, f.period.end) if d is not None}
    days.update(v.release.release_date for v in versions)
    return sorted(days)


class _Kept:
    """One classification's exports, the newest used kept within ``EXPORT_MEMO_BYTES``."""

    def __init__(self) -> None:
        self.cuts: list[date] | None = None
        self._kept: OrderedDict[Any, tuple[bytes, date]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()  # requests run in threads

    def get(self, key: Any) -> tuple[bytes, date] | None:
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
            return found

    def put(self, key: Any, value: tuple[bytes, date]) -> None:
        if len(value[0]) > EXPORT_MEMO_BYTES:
            return
        with self._lock:
            if key in self._kept:
                return
            self._kept[key] = value
            self._bytes += len(value[0])
            while self._bytes > EXPORT_MEMO_BYTES:
                _, (dropped, _day) = self._kept.popitem(last=False)
                self._bytes -= len(dropped)
