"""Peak memory of a large valid import, as a multiple of the file size (issue 17.4: target ≤ 5×).

    python bench/import_memory.py [--before SRC] [--xml] [--no-index] [MB ...]   # default: 1 20 200

Each size runs in a fresh process: a Kodeks CSV file of flat items (about 66 bytes a row) is imported
into a SQLite file the way ``kodeks import`` does it (parse, check, record, timeline, search index).
The figure is the process's peak RSS minus its RSS before the file was read, divided by the file size
(the file's bytes themselves count: 1×). ``--before SRC`` runs the same files against another
checkout's ``src`` (``git worktree add /tmp/before <commit>``) side by side. ``--xml`` adds real files of
the shared data (KLE XML, ICD-10 FHIR JSON, STW SKOS), for reference. ``--no-index`` leaves out the
import listeners (search index, catalog, change feeds): the import proper.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
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


def write_csv(path: Path, megabytes: float) -> int:
    rows = 0
    with path.open("w", encoding="utf-8") as out:
        out.write("code,title_da,level\n")
        while out.tell() < megabytes * 1_000_000:
            out.write(ROW.format(code=f"K{rows:07d}", n=rows))
            rows += 1
    return rows


def child(src: str, path: str, format: str, listen: bool) -> None:
    sys.path.insert(0, src)
    from kodeks.bootstrap import build
    from kodeks.config import Settings
    from kodeks.errors import KodeksError
    from kodeks.formats import registry
    from kodeks.services import importing

    registry.importers()  # the format modules are loaded before the baseline, as in a server
    with tempfile.TemporaryDirectory() as tmp:
        kodeks = build(Settings(database_url=f"sqlite:///{tmp}/bench.sqlite"))
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        start = time.perf_counter()
        data = Path(path).read_bytes()
        refused = None
        try:
            importing.import_data(
                kodeks.uow,
                kodeks.formats,
                data,
                Path(path).name,
                format=format or None,
                release_date=date(2026, 1, 1),
                listeners=kodeks.listeners if listen else (),
            )
        except KodeksError as exc:
            refused = exc.code
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"before": before, "peak": peak, "refused": refused, "seconds": seconds}))


def measure(src: Path, path: Path, format: str, listen: bool) -> str:
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
    return f"{used / 1e6:,.0f} MB, **{used / size:.1f}×**, {figures['seconds']:,.0f} s{refused}"


def main(args: list[str]) -> None:
    before = Path(args[args.index("--before") + 1]) if "--before" in args else None
    xml = "--xml" in args
    listen = "--no-index" not in args
    sizes = [float(a) for a in args if a.replace(".", "").isdigit() and (before is None or a != str(before))]
    heads = ["file", "rows", "this code"] + (["before"] if before else [])
    print("| " + " | ".join(heads) + " |")
    print("|" + "---|" * len(heads))
    cases: list[tuple[str, Path, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for mb in sizes or [1, 20, 200]:
            path = Path(tmp) / f"items_{mb:g}mb.csv"
            rows = write_csv(path, mb)
            cases.append((f"Kodeks CSV {path.stat().st_size / 1e6:,.1f} MB", path, "csv", f"{rows:,}"))
        if xml:
            for name, (rel, fmt) in REAL.items():
                if (SHARED / rel).is_file():
                    size = (SHARED / rel).stat().st_size
                    cases.append((f"{name} {size / 1e6:,.1f} MB", SHARED / rel, fmt or "", ""))
        for name, path, fmt, rows in cases:
            cells = [name, rows, measure(REPO / "src", path, fmt, listen)]
            if before:
                cells.append(measure(before, path, fmt, listen))
            print("| " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5] == "listen")
    else:
        main(sys.argv[1:])
