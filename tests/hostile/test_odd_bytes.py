"""Any bytes, under any registered extension, give one of the project's import errors, never a crash.

Detection and every registered importer are fed random bytes, random text made of the characters
that steer CSV, XML, JSON and Turtle parsers, and either behind the magic a reader looks for first
(``PK`` for XLSX, ``<?xml``, ``{``, ``@prefix``). Whatever comes out must be an ``ImportError_`` whose
message is one line (or bundles, when the bytes happen to be a valid file).
"""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kodeks.bootstrap import build
from kodeks.cli.main import run
from kodeks.config import Settings
from kodeks.domain.classification import Classification
from kodeks.domain.item import Item
from kodeks.errors import ImportError_, InputTooLarge
from kodeks.formats import budget, catalog_sheet, registry, table
from kodeks.formats.base import ExportSet, ImportOptions
from kodeks.services import importing
from kodeks.storage import staging

IMPORTERS = sorted(registry.importers())
EXTENSIONS = sorted({ext for imp in registry.importers().values() for ext in imp.extensions} | {"", ".bin"})
MAGIC = (
    b"",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # legacy XLS (OLE2)
    b'<?xml version="1.0"?>',
    b"<",
    b"{",
    b"[",
    b"@prefix x: <http://x/> .",
    b"\xef\xbb\xbf",
)
_STEERING = "\ufeff\r\n\t ,;|\"'<>/=&#:{}[]@.-_01aZæ\x00\x85\u2028"

odd_bytes = st.one_of(
    st.binary(max_size=300),
    st.text(alphabet=st.sampled_from(_STEERING), max_size=200).map(lambda t: t.encode("utf-8")),
    st.text(max_size=100).map(lambda t: t.encode("utf-8")),
)
odd_files = st.tuples(st.sampled_from(MAGIC), odd_bytes).map(lambda t: t[0] + t[1])
FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def raised(call: Callable[[], object]) -> Exception | None:
    """What ``call`` raised, if anything."""
    try:
        call()
    except Exception as exc:
        return exc
    return None


def read_or_refused_in_one_line(error: Exception | None) -> bool:
    """The promise: the input is read, or refused with the project's import error on one line."""
    return error is None or (isinstance(error, ImportError_) and "\n" not in str(error))


def test_the_bytes_from_the_report() -> None:
    """``a\\rb\\n`` under any extension made the CSV sniffers raise ``_csv.Error``."""
    for ext in EXTENSIONS:
        error = raised(lambda ext=ext: registry.detect(b"a\rb\n", f"x{ext}"))
        assert read_or_refused_in_one_line(error), repr(error)


@FAST
@given(data=odd_files, ext=st.sampled_from(EXTENSIONS))
def test_detection(data: bytes, ext: str) -> None:
    error = raised(lambda: registry.detect(data, f"odd{ext}"))
    assert read_or_refused_in_one_line(error), repr(error)


@pytest.mark.parametrize("name", IMPORTERS)
@FAST
@given(data=odd_files, ext=st.sampled_from(EXTENSIONS))
def test_importer(name: str, data: bytes, ext: str) -> None:
    error = raised(lambda: registry.get_importer(name).read(data, f"odd{ext}", ImportOptions()))
    assert read_or_refused_in_one_line(error), repr(error)


def _sample_files() -> dict[str, tuple[bytes, str]]:
    """One small valid file per exporter: the starting point for damaged files."""
    from tests.formats.test_roundtrip import realistic_export

    export = realistic_export()
    return {name: (exp.write(export), exp.extension) for name, exp in sorted(registry.exporters().items())}


SAMPLES = _sample_files()
_INSERTS = (b"\r", b"\n", b'"', b"\x00", b"<", b"&", b"{", b"]", b",", b";", b"\t", b"\xff", b"=")


@st.composite
def damaged(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` cut short, with bytes changed, inserted or deleted."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        pos = draw(st.integers(0, max(len(out) - 1, 0)))
        kind = draw(st.sampled_from(("cut", "change", "insert", "delete")))
        if kind == "cut":
            del out[pos:]
        elif kind == "change" and out:
            out[pos] = draw(st.integers(0, 255))
        elif kind == "insert":
            out[pos:pos] = draw(st.sampled_from(_INSERTS))
        else:
            del out[pos : pos + draw(st.integers(1, 50))]
    return bytes(out)


@pytest.mark.parametrize("exporter", sorted(SAMPLES))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_damaged_export_read_back(exporter: str, data: st.DataObject) -> None:
    """A damaged file of every exported format, detected or forced to any importer."""
    sample, ext = SAMPLES[exporter]
    damaged_bytes = data.draw(damaged(sample))
    via = data.draw(st.sampled_from(("detect", *IMPORTERS)))
    source = f"damaged{ext}"

    def read() -> object:
        importer = (
            registry.detect(damaged_bytes[:8192], source) if via == "detect" else registry.get_importer(via)
        )
        return importer.read(damaged_bytes, source, ImportOptions())

    error = raised(read)
    assert read_or_refused_in_one_line(error), repr(error)


def _rezip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return out.getvalue()


with zipfile.ZipFile(io.BytesIO(SAMPLES["xlsx"][0])) as _book:
    WORKBOOK_PARTS = {info.filename: _book.read(info) for info in _book.infolist()}
XLSX_READERS = sorted(n for n, imp in registry.importers().items() if ".xlsx" in imp.extensions)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_workbook_with_a_damaged_part(data: st.DataObject) -> None:
    """A well-formed ZIP whose XML parts are damaged (openpyxl parses sheets lazily, while reading rows)."""
    part = data.draw(st.sampled_from(sorted(WORKBOOK_PARTS)))
    workbook = _rezip({**WORKBOOK_PARTS, part: data.draw(damaged(WORKBOOK_PARTS[part]))})
    via = data.draw(st.sampled_from(("detect", "catalog", *XLSX_READERS)))

    def read() -> object:
        if via == "catalog":
            return catalog_sheet.read_sheet(workbook, "damaged.xlsx")
        if via == "detect":
            return registry.detect(workbook[:8192], "damaged.xlsx").read(
                workbook, "damaged.xlsx", ImportOptions()
            )
        return registry.get_importer(via).read(workbook, "damaged.xlsx", ImportOptions())

    error = raised(read)
    assert read_or_refused_in_one_line(error), repr(error)


def test_a_file_read_whole_over_the_row_budget_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 17.4: a tabular file is still read whole: over the row budget, one clear error (exit 4)."""
    big = b"code,title_da,level\n" + b"".join(
        b"K%07d,Emne %d,1\n" % (n, n) for n in range(budget.MAX_ROWS + 1)
    )
    for name in ("csv", "tabular"):  # ``csv`` reads whole only when asked to (``read``); imports stream
        with pytest.raises(
            InputTooLarge, match="more than 250,000 lines: one import holds at most 250,000 rows"
        ):
            registry.get_importer(name).read(big, "big.csv", ImportOptions())
    path = tmp_path / "big.csv"
    path.write_bytes(big)
    db = f"sqlite:///{tmp_path / 'k.sqlite'}"
    assert run(["import", str(path), "--format", "tabular", "--db", db]) == 4
    assert capsys.readouterr().err.strip().count("\n") == 0
    ok = b"code,title_da,level\n" + b"".join(b"K%07d,Emne %d,1\n" % (n, n) for n in range(100))
    assert len(registry.get_importer("csv").read(ok, "ok.csv", ImportOptions())[0].items) == 100


def test_a_large_valid_csv_imports_in_memory_bounded_by_its_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 17.4: a large valid Kodeks CSV streams through the import (``services.streaming_import``):
    the peak of what Python allocates stays under 5 times the file (reading it whole took 60-80 times).
    What is held is a batch of rows, whatever the file's size, so a small file and small batches show
    it as well as a large file would (``bench/import_memory.py`` measures RSS on files up to 200 MB)."""
    monkeypatch.setattr(staging, "_BATCH", 100)
    monkeypatch.setattr(staging, "_CONTENT_CHUNK", 100)
    rows = 6_000
    line = "K%07d,Emne nummer %07d med en titel af almindelig længde,1\n".encode()
    big = b"code,title_da,level\n" + b"".join(line % (n, n) for n in range(rows))
    kodeks = build(Settings(database_url=f"sqlite:///{tmp_path / 'k.sqlite'}"))
    day = date(2026, 1, 1)
    importing.import_data(kodeks.uow, kodeks.formats, b"code,title_da\nA,a\n", "warm.csv", release_date=day)
    tracemalloc.start()
    try:
        reports = importing.import_data(kodeks.uow, kodeks.formats, big, "big.csv", release_date=day)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (reports[0].items, reports[0].inserted) == (rows, rows)
    assert peak < 5 * len(big), f"peak {peak:,} bytes for a file of {len(big):,}"


def test_a_sheet_over_the_row_budget_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same for XLSX, counted while the rows are read (a budget of 50 rows, to keep the test fast)."""
    monkeypatch.setattr(table, "MAX_ROWS", 50)
    monkeypatch.setattr(budget, "MAX_ROWS", 50)
    items = tuple(Item(f"K{n:04d}", {"da": f"Emne {n}"}, level=1) for n in range(60))
    workbook = registry.get_exporter("xlsx").write(ExportSet(Classification(id="big"), items))
    with pytest.raises(InputTooLarge, match="more than 50 rows on sheet 'Items'"):
        registry.get_importer("xlsx").read(workbook, "big.xlsx", ImportOptions())
