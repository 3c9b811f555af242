"""Peak memory of a large valid CSV import, as a multiple of the file size (issue 17.4: target ≤ 5×).

    python bench/import_memory.py [MB ...]      # default: 2 8 20

Each size runs in a fresh process: a Kodeks CSV file of flat items (about 70 bytes a row) is read by the
importer alone (``parse``) and imported into a SQLite file (``import``: parse, check, record, timeline).
The figure is the process's peak RSS minus its RSS before reading the file, divided by the file size.
A file over the row budget (``kodeks.formats.budget``, 250,000 rows: about 17 MB here) is refused before
parsing; its figure is what reading and refusing it cost.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from _common import REPO

ROW = "{code},Emne nummer {n:07d} med en titel af almindelig længde,1\n"


def write_csv(path: Path, megabytes: float) -> int:
    rows = 0
    with path.open("w", encoding="utf-8") as out:
        out.write("code,title_da,level\n")
        while out.tell() < megabytes * 1_000_000:
            out.write(ROW.format(code=f"K{rows:07d}", n=rows))
            rows += 1
    return rows


def child(path: str, stage: str) -> None:
    sys.path.insert(0, str(REPO / "src"))
    from kodeks.bootstrap import build
    from kodeks.config import Settings
    from kodeks.errors import InputTooLarge
    from kodeks.formats import registry
    from kodeks.formats.base import ImportOptions
    from kodeks.services import importing

    with tempfile.TemporaryDirectory() as tmp:
        kodeks = build(Settings(database_url=f"sqlite:///{tmp}/bench.sqlite"))
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        data = Path(path).read_bytes()
        refused = None
        try:
            if stage == "parse":
                registry.get_importer("csv").read(data, Path(path).name, ImportOptions())
            else:
                day = date(2026, 1, 1)
                name = Path(path).name
                importing.import_data(kodeks.uow, kodeks.formats, data, name, format="csv", release_date=day)
        except InputTooLarge as exc:
            refused = exc.code
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"before": before, "peak": peak, "refused": refused}))


def main(sizes: list[float]) -> None:
    print("| file | rows | stage | peak RSS above start | × file size |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for mb in sizes:
            path = Path(tmp) / f"items_{mb:g}mb.csv"
            rows = write_csv(path, mb)
            size = path.stat().st_size
            for stage in ("parse", "import"):
                out = subprocess.run(
                    [sys.executable, __file__, "--child", str(path), stage],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                figures = json.loads(out.stdout.strip().splitlines()[-1])
                used = figures["peak"] - figures["before"]
                figure = f"{used / 1e6:,.0f} MB | {used / size:.1f}×"
                what = f"{stage}: refused ({figures['refused']})" if figures["refused"] else stage
                print(f"| {size / 1e6:.1f} MB | {rows:,} | {what} | {figure} |")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        main([float(a) for a in sys.argv[1:]] or [2, 8, 20])
