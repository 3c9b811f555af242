"""``kodeks demo``: load the bundled open classifications, and real local data when present."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path

from rich.console import Console

from kodeks.bootstrap import Kodeks
from kodeks.errors import KodeksError
from kodeks.services import importing, queries
from kodeks.services.ports import ImportOptions


@dataclass(frozen=True)
class Source:
    """One file the demo imports, with what the file itself does not say."""

    path: str
    classification: str | None
    format: str | None = None
    release: str | None = None
    release_date: date | None = None
    options: dict[str, str] = field(default_factory=dict)


BUNDLED = (
    Source("db07_dksic.tsv", "db07", "tabular", "DB07", date(2008, 1, 1), {"preset": "db07"}),
    Source(
        "ISCOGroups_en.csv",
        "isco-08",
        "tabular",
        "ISCO-08 (ESCO v1.0)",
        date(2008, 1, 1),
        {"preset": "isco08"},
    ),
    Source("countries-skos.rdf", "eu-countries", "skos", "20221214-0", date(2022, 12, 14)),
    Source("filetypes-skos.rdf", "eu-file-types", "skos", "20221214-0", date(2022, 12, 14)),
    Source("data-theme-skos-ap-act.ttl", "eu-data-themes", "skos", "20161225-1", date(2016, 12, 25)),
)

#: Real data that may not be redistributed (KLE is © KL) or whose licence is unstated: imported
#: from a local copy only. Release dates the files do not carry are given here, with the reason.
LOCAL = (
    Source("kle/kle_emneplan_2015-08-01.xml", None, "kle-xml"),
    # OS2mo's sheet is from 2023 and carries no date: the 1 January 2023 is an approximation.
    Source("kle/os2mo_kle_2023_emner.csv", None, "kle-os2mo", "KLE 2023 (OS2mo)", date(2023, 1, 1)),
    # OS2KLE 3.23 is KLE as of February 2026.
    Source(
        "kle/os2kle_3.23_kle_2026feb_emner_keywords.txt",
        None,
        "kle-os2kle",
        "KLE 2026-02 (OS2KLE 3.23)",
        date(2026, 2, 1),
    ),
    Source("fsiii/CodeSystem-FSIII.json", "fsiii", "fhir", None, date(2024, 5, 30)),
    Source("icd10_da_sks/CodeSystem-icd10-da.json", "icd10-da", "fhir"),
)


def default_shared_data() -> Path | None:
    candidate = Path.cwd().parent / "shared" / "data"
    return candidate if candidate.is_dir() else None


def load(kodeks: Kodeks, console: Console, shared_data: Path | None = None) -> list[str]:
    """Import every demo source not imported yet; returns the classification ids loaded."""
    loaded: list[str] = []
    have = {c.id for c in queries.list_classifications(kodeks.uow)}
    bundled_root = resources.files("kodeks") / "data"
    for source in BUNDLED:
        if source.classification in have:
            continue
        data = (bundled_root / source.path).read_bytes()
        loaded += _import(kodeks, console, source, data)
    _seed_catalog(kodeks, console)
    root = shared_data or default_shared_data()
    if root is None:
        console.print("no ../shared/data folder: KLE, FSIII and ICD-10 not loaded (they are not bundled)")
        return loaded
    done_files = {v.source for c in have for v in queries.versions(kodeks.uow, c)}
    for source in LOCAL:
        path = root / source.path
        if not path.is_file() or path.name in done_files:
            continue
        loaded += _import(kodeks, console, source, path.read_bytes(), path.name)
    return loaded


def _seed_catalog(kodeks: Kodeks, console: Console) -> None:
    """Catalog entries for classifications municipalities look for, also those Kodeks only links to."""
    from kodeks.cli.catalog import SEED
    from kodeks.formats import catalog_sheet
    from kodeks.services import catalog as catalog_service

    data = (resources.files("kodeks") / "data" / SEED).read_bytes()
    rows = catalog_sheet.read_sheet(data, SEED)
    report = catalog_service.import_entries(kodeks.uow, kodeks.catalog, kodeks.search_index, rows, "demo")
    if report.created:
        console.print(f"catalog: {len(report.created)} entries for external classifications")


def _import(
    kodeks: Kodeks, console: Console, source: Source, data: bytes, name: str | None = None
) -> list[str]:
    try:
        reports = importing.import_data(
            kodeks.uow,
            kodeks.formats,
            data,
            name or source.path,
            format=source.format,
            options=ImportOptions(classification=source.classification, options=source.options),
            release_label=source.release,
            release_date=source.release_date,
            listeners=kodeks.listeners,
        )
    except KodeksError as exc:
        console.print(f"[yellow]skipped {source.path}:[/] {exc.message}")
        return []
    for r in reports:
        console.print(f"loaded {r.classification_id} {r.release_label}: {r.items} items")
    return [r.classification_id for r in reports]
