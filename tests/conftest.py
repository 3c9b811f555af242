"""Shared test fixtures. Real data is read from ``../shared/data`` beside the repository."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from kodeks.bootstrap import Kodeks

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("KODEKS_SHARED_DATA", REPO.parent / "shared" / "data"))


def data_file(relative: str) -> Path:
    """Path of a real data file; skips the test with a clear reason when it is absent."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"real data file {relative} not found under ../shared/data (see its SOURCES.md)")
    return path


#: Real KLE: (file under ../shared/data, format, release label, release date). ``kodeks demo`` loads the
#: same files; the registry tests name these labels.
KLE_RELEASES = (
    ("kle/kle_emneplan_2015-08-01.xml", "kle-xml", None, None),
    ("kle/os2mo_kle_2023_emner.csv", "kle-os2mo", "KLE 2023 (OS2mo)", date(2023, 1, 1)),
    (
        "kle/os2kle_3.23_kle_2026feb_emner_keywords.txt",
        "kle-os2kle",
        "KLE 2026-02",
        date(2026, 2, 1),
    ),
)


def import_real_kle(kodeks: Kodeks) -> None:
    """Import the three real KLE releases into ``kodeks``, with its listeners (search index, catalog)."""
    from kodeks.services import importing
    from kodeks.services.ports import ImportOptions

    paths = [data_file(name) for name, *_ in KLE_RELEASES]
    for path, (_name, fmt, label, day) in zip(paths, KLE_RELEASES, strict=True):
        importing.import_data(
            kodeks.uow,
            kodeks.formats,
            path.read_bytes(),
            path.name,
            format=fmt,
            options=ImportOptions(),
            release_label=label,
            release_date=day,
            listeners=kodeks.listeners,
        )


@pytest.fixture(scope="session")
def real_kle_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Real KLE (2015 history, 2023, 2026) imported with its listeners (search index, catalog) into a
    SQLite file: once per test run, the slowest set-up in the suite (``tests/built_once.py``). Read
    it only; copy it to change it."""
    from kodeks.bootstrap import build
    from kodeks.config import Settings
    from tests.built_once import built_once

    for name, *_ in KLE_RELEASES:
        data_file(name)  # skip with the reason before anything is built

    def imported(url: str) -> None:
        kodeks = build(Settings(database_url=url, environment="test"))
        import_real_kle(kodeks)
        kodeks.engine.dispose()

    return built_once(tmp_path_factory, "real_kle", imported)


@pytest.fixture(scope="session")
def real_kle(real_kle_file: Path) -> Iterator[Kodeks]:
    """Real KLE in an in-memory SQLite registry: this worker's copy of ``real_kle_file``. Read it
    only; a test that records anything in it fails the session's teardown."""
    from kodeks.bootstrap import build
    from kodeks.config import Settings
    from tests.built_once import in_memory

    kodeks = build(Settings(database_url="sqlite://", environment="test"), engine=in_memory(real_kle_file))
    with kodeks.uow() as uow:
        recorded = uow.last_recorded_at()
    yield kodeks
    with kodeks.uow() as uow:
        assert uow.last_recorded_at() == recorded, "a test recorded something in the shared real_kle registry"
    kodeks.engine.dispose()


@pytest.fixture(scope="session")
def stw_bundle():  # type: ignore[no-untyped-def]
    """The STW thesaurus (6,244 concepts) read by the SKOS importer: parsed once per test session."""
    from kodeks.formats.base import ImportOptions
    from kodeks.formats.skos import IMPORTERS

    path = data_file("skos_stw_thesaurus/stw-skos.ttl")
    (bundle,) = IMPORTERS[0].read(path.read_bytes(), path.name, ImportOptions())
    return bundle


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.exists():
        pytest.skip("../shared/data is absent: real-data tests need it (see SOURCES.md)")
    return SHARED_DATA


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say loudly how many browser tests were skipped, and why (they skip when Chromium is missing)."""
    skipped = [
        r for r in terminalreporter.stats.get("skipped", []) if "browser" in getattr(r, "keywords", {})
    ]
    if not skipped:
        return
    reasons: dict[str, int] = {}
    for report in skipped:
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        reason = reason.removeprefix("Skipped: ")
        reasons[reason] = reasons.get(reason, 0) + 1
    terminalreporter.write_sep("!", f"{len(skipped)} browser tests were SKIPPED", red=True, bold=True)
    for reason, count in sorted(reasons.items(), key=lambda kv: -kv[1]):
        terminalreporter.write_line(f"{count:4d} × {reason}", red=True)
