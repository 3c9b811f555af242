"""Peak memory of a large valid import, as a multiple of the file size (issue 17.4: target ≤ 5×).

    python bench/import_memory.py [--before SRC] [--xml] [--formats MB] [--models] [--no-index] [MB ...]
    (default sizes: 1 20 200)

Each size runs in a fresh process: a Kodeks CSV file of flat items (about 66 bytes a row) is imported
into a SQLite file the way ``kodeks import`` does it (parse, check, record, timeline, search index).
The baseline is the process's RSS after Kodeks, its formats and the database are loaded, before the
file is read; "growth" is the peak RSS minus the baseline, divided by the file size (the file's bytes
themselves count: 1×), "raw" the whole peak RSS divided by the file size. ``--before SRC`` runs the
same files against another checkout's ``src`` (``git worktree add /tmp/before <commit>``) side by side.
``--xml`` adds real files of the shared data (KLE XML, ICD-10 FHIR JSON, STW SKOS), for reference.
``--formats MB`` measures every importer that reads a file whole on a file of about MB megabytes
(written by Kodeks' own exporters from synthetic items, or the real file where Kodeks has no writer):
the factors ``formats/budget.py`` refuses files by; ``--models`` the same for the information-model
readers (real XMI and concept-list files, and LinkML written from the XMI). ``--no-index`` leaves out
the import listeners (search index, catalog, change feeds): the import proper. A Kodeks CSV row
also gives rows per second (the import's wall time, file read included); the CPU seconds beside the
wall time are the steadier figure on a shared machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

from _common import REPO

ROW = "{code},Emne nummer {n:07d} med en titel af almindelig længde,1\n"
SHARED = REPO.parent / "shared" / "data"
REAL = {
    "KLE 2015 XML": ("kle/kle_emneplan_2015-08-01.xml", None),
    "ICD-10 (da) FHIR JSON": ("icd10_da_sks/CodeSystem-icd10-da.json", None),
    "STW SKOS Turtle": ("skos_stw_thesaurus/stw-skos.ttl", None),
}

#: Formats read whole, measured on a file Kodeks writes: (exporter, importer, suffix).
WRITTEN = [
    ("json", "json", ".json"),
    ("xlsx", "xlsx", ".xlsx"),
    ("fhir", "fhir", ".json"),
    ("ttl", "skos", ".ttl"),
    ("rdfxml", "skos", ".rdf"),
    ("csv", "tabular", ".csv"),  # Kodeks CSV read as a generic table: the tabular importer reads whole
]
#: Formats read whole that Kodeks does not write: the largest real file of each.
WHOLE = {
    "kle-xml": ("kle/kle_emneplan_2015-08-01.xml", "kle-xml"),
    "kle-taxon": ("kle/os2web_taxonomies_kle_taxon_2014.xml", "kle-taxon"),
    "kle-os2mo": ("kle/os2mo_kle_2023_emner.csv", "kle-os2mo"),
    "kle-os2kle": ("kle/os2kle_3.23_change.json", "kle-os2kle"),
}

#: Information models (all read whole): the largest real file of each format.
MODELS = {
    "xmi": "infomodels/fint_informasjonsmodell_ea_xmi21.xml",
    "conceptlist": "infomodels/digst_begrebsliste_skabelon.xlsx",
}


def write_csv(path: Path, megabytes: float) -> int:
    rows = 0
    with path.open("w", encoding="utf-8") as out:
        out.write("code,title_da,level\n")
        while out.tell() < megabytes * 1_000_000:
            out.write(ROW.format(code=f"K{rows:07d}", n=rows))
            rows += 1
    return rows


def write_format(path: Path, exporter: str, megabytes: float) -> int:
    """A file of about ``megabytes`` MB written by Kodeks' ``exporter`` from flat synthetic items."""
    sys.path.insert(0, str(REPO / "src"))
    from kodeks.domain.classification import Classification
    from kodeks.domain.item import Item
    from kodeks.domain.period import Period
    from kodeks.domain.release import Release
    from kodeks.formats import registry
    from kodeks.services.ports import ExportSet

    writer = registry.get_exporter(exporter)
    release = Release("2026", date(2026, 1, 1))
    since = Period(date(2026, 1, 1), None)

    def export(rows: int) -> bytes:
        items = tuple(
            Item(
                f"K{n:07d}", {"da": f"Emne nummer {n:07d} med en titel af almindelig længde"}, 1, valid=since
            )
            for n in range(rows)
        )
        return writer.write(
            ExportSet(Classification("synthetic", {"da": "Syntetisk"}), items, (), (release,))
        )

    probe = 2_000
    rows = max(probe, int(probe * megabytes * 1_000_000 / len(export(probe))))
    path.write_bytes(export(rows))
    return rows


class _Done(Exception):
    pass


def write_linkml(path: Path) -> None:
    """The real XMI model of the shared data, written as LinkML by Kodeks."""
    sys.path.insert(0, str(REPO / "src"))
    from kodeks.formats.models_linkml import write_linkml as write
    from kodeks.formats.models_xmi import read_xmi

    path.write_bytes(write(read_xmi((SHARED / MODELS["xmi"]).read_bytes(), "model.xml")))


def child(src: str, path: str, format: str, listen: bool) -> None:
    sys.path.insert(0, src)
    from kodeks.bootstrap import build
    from kodeks.config import Settings
    from kodeks.errors import KodeksError
    from kodeks.formats import registry
    from kodeks.services import importing
    from kodeks.services.ports import ImportOptions

    registry.importers()  # the format modules are loaded before the baseline, as in a server
    trace = os.environ.get("IMPORT_MEMORY_TRACE")
    if trace:  # a long run leaves its figures so far: elapsed seconds, current and peak RSS
        threading.Thread(target=_trace, args=(Path(trace), Path(path).name), daemon=True).start()
    with tempfile.TemporaryDirectory() as tmp:
        kodeks = build(Settings(database_url=f"sqlite:///{tmp}/bench.sqlite"))
        before = _status("VmRSS")
        start, cpu = time.perf_counter(), time.process_time()
        data = Path(path).read_bytes()
        refused = None
        try:
            if format.startswith("model:"):
                from kodeks.bootstrap import model_formats
                from kodeks.services.models import library

                library.import_model(
                    kodeks.uow,
                    kodeks.models,
                    model_formats(),
                    Path(path).read_bytes(),
                    Path(path).name,
                    format=format.removeprefix("model:"),
                )
                raise _Done
            importing.import_data(
                kodeks.uow,
                kodeks.formats,
                data,
                Path(path).name,
                format=format or None,
                options=ImportOptions(
                    mapping={"code": "code", "title": "title_da"} if format == "tabular" else {}
                ),
                release_date=date(2026, 1, 1),
                listeners=kodeks.listeners if listen else (),
            )
        except _Done:
            pass
        except KodeksError as exc:
            refused = exc.code
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        peak = _status("VmHWM")
    print(json.dumps({"before": before, "peak": peak, "refused": refused, "seconds": seconds, "cpu": cpu}))


def _status(field: str) -> int:
    """``VmRSS`` (now) or ``VmHWM`` (peak) of this process, in bytes. Not ``getrusage``: its peak is
    inherited from the parent across fork and exec, and the parent may have written a large file."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise LookupError(field)


def _trace(to: Path, name: str) -> None:
    start = time.perf_counter()
    while True:
        time.sleep(30)
        rss, peak = _status("VmRSS"), _status("VmHWM")
        seconds = time.perf_counter() - start
        with to.open("a") as out:
            print(f"{name} {seconds:,.0f} s: RSS {rss / 1e6:,.0f} MB, peak {peak / 1e6:,.0f} MB", file=out)


def measure(src: Path, path: Path, format: str, listen: bool, rows: int = 0) -> str:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(src), str(path), format, "listen" if listen else "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    used = figures["peak"] - figures["before"]
    size = path.stat().st_size
    refused = f" refused (`{figures['refused']}`)" if figures["refused"] else ""
    return (
        f"baseline {figures['before'] / 1e6:,.0f} MB, peak {figures['peak'] / 1e6:,.0f} MB "
        f"(raw {figures['peak'] / size:.1f}×), growth {used / 1e6:,.0f} MB, **{used / size:.1f}×**, "
        f"{figures['seconds']:,.0f} s ({figures['cpu']:,.0f} s CPU){refused}"
        + (f", {rows / figures['seconds']:,.0f} rows/s" if rows and not refused else "")
    )


def main(args: list[str]) -> None:
    before = Path(args[args.index("--before") + 1]) if "--before" in args else None
    xml = "--xml" in args
    listen = "--no-index" not in args
    formats = float(args[args.index("--formats") + 1]) if "--formats" in args else None
    skip = {str(before), str(args[args.index("--formats") + 1]) if formats else None}
    sizes = [float(a) for a in args if a.replace(".", "").isdigit() and a not in skip]
    if (formats or "--models" in args) and not sizes:
        sizes = [-1]
    heads = ["file", "rows", "this code"] + (["before"] if before else [])
    print("| " + " | ".join(heads) + " |")
    print("|" + "---|" * len(heads))
    cases: list[tuple[str, Path, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for mb in sizes or [1, 20, 200]:
            if mb < 0:
                continue
            path = Path(tmp) / f"items_{mb:g}mb.csv"
            rows = write_csv(path, mb)
            cases.append((f"Kodeks CSV {path.stat().st_size / 1e6:,.1f} MB", path, "csv", f"{rows:,}"))
        if xml:
            for name, (rel, fmt) in REAL.items():
                if (SHARED / rel).is_file():
                    size = (SHARED / rel).stat().st_size
                    cases.append((f"{name} {size / 1e6:,.1f} MB", SHARED / rel, fmt or "", ""))
        if formats:
            for exporter, fmt, suffix in WRITTEN:
                path = Path(tmp) / f"synthetic_{exporter}{suffix}"
                rows = write_format(path, exporter, formats)
                cases.append(
                    (f"{fmt} ({exporter}) {path.stat().st_size / 1e6:,.1f} MB", path, fmt, f"{rows:,}")
                )
            for name, (rel, fmt) in WHOLE.items():
                if (SHARED / rel).is_file():
                    size = (SHARED / rel).stat().st_size
                    cases.append((f"{name} {size / 1e6:,.1f} MB (real)", SHARED / rel, fmt, ""))
        if "--models" in sys.argv:
            for fmt, rel in MODELS.items():
                cases.append(
                    (
                        f"model {fmt} (real) {(SHARED / rel).stat().st_size / 1e6:,.1f} MB",
                        SHARED / rel,
                        f"model:{fmt}",
                        "",
                    )
                )
            linkml = Path(tmp) / "model.yaml"
            write_linkml(linkml)
            cases.append(
                (
                    f"model linkml (from the XMI) {linkml.stat().st_size / 1e6:,.1f} MB",
                    linkml,
                    "model:linkml",
                    "",
                )
            )
        for name, path, fmt, rows in cases:
            count = int(rows.replace(",", "")) if rows.replace(",", "").isdigit() else 0
            cells = [name, rows, measure(REPO / "src", path, fmt, listen, count)]
            if before:
                cells.append(measure(before, path, fmt, listen, count))
            print("| " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5] == "listen")
    else:
        main(sys.argv[1:])
