"""Exporting a classification, at a date, in any registered format."""

from __future__ import annotations

from dataclasses import dataclass

from kodeks.errors import InvalidRequest
from kodeks.services import queries
from kodeks.services.ports import ExportSet, FormatCatalog, UnitOfWorkFactory
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
) -> Exported:
    if format not in formats.exporter_names():
        raise InvalidRequest(
            f"unknown export format {format!r}; choose one of: " + ", ".join(formats.exporter_names()),
            format=format,
        )
    exporter = formats.exporter(format)
    content = exporter.write(export_set(uow_factory, cid, when, level), options or {})
    extension = exporter.extension.lstrip(".")  # exporters spell it ".csv" or "csv"
    return Exported(content, exporter.media_type, f"{cid}-{when.at.isoformat()}.{extension}")
