"""Start-up of the CLI as a ratio to a bare interpreter (target: well under a second).

    python bench/cli_startup.py [--repeat 7]

Each figure is the best of ``--repeat`` fresh processes, wall time and CPU time (user + system, the
figure a loaded machine disturbs least), against ``python -c pass``. ``kodeks show`` and ``kodeks
list`` read a temporary SQLite registry holding the bundled DB07. The last row imports every
sub-group's module with its formats, which is what every command imported before the CLI imported
lazily (``BEFORE``).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from importlib import resources
from pathlib import Path

from _common import REPO

from kodeks.bootstrap import build
from kodeks.config import Settings
from kodeks.services import importing
from kodeks.services.ports import ImportOptions

PY = sys.executable
#: What ``kodeks.cli.main`` imported before its commands imported lazily: every sub-group with its
#: formats, and the registry with its listeners.
BEFORE = (
    "import kodeks.bootstrap, kodeks.services.search_indexing, kodeks.services.local.webhooks, "
    "kodeks.cli.governance, kodeks.cli.local, kodeks.cli.catalog, kodeks.cli.privacy, "
    "kodeks.formats.dcat, kodeks.formats.correspondence_export, kodeks.formats.sortiment_export, "
    "kodeks.storage.local_http, kodeks.api.render"
)


def run_once(args: list[str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def best(args: list[str], repeat: int) -> tuple[float, float]:
    runs = [run_once(args) for _ in range(repeat)]
    return min(w for w, _ in runs), min(c for _, c in runs)


def registry(folder: Path) -> str:
    url = f"sqlite:///{folder / 'bench.sqlite'}"
    kodeks = build(Settings(database_url=url))
    data = (resources.files("kodeks") / "resources" / "db07_dksic.tsv").read_bytes()
    options = ImportOptions(classification="db07", options={"preset": "db07"})
    importing.import_data(
        kodeks.uow,
        kodeks.formats,
        data,
        "db07_dksic.tsv",
        format="tabular",
        options=options,
        release_date=date(2008, 1, 1),
    )
    kodeks.engine.dispose()
    return url


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    repeat = parser.parse_args().repeat
    cli = [PY, "-m", "kodeks.cli.main"]
    with tempfile.TemporaryDirectory() as tmp:
        db = registry(Path(tmp))
        cases = [
            ("kodeks --help", [*cli, "--help"]),
            ("kodeks show db07 01.11.00", [*cli, "show", "db07", "01.11.00", "--db", db]),
            ("kodeks list", [*cli, "list", "--db", db]),
            ("kodeks privacy --help", [*cli, "privacy", "--help"]),
            ("import kodeks.cli.main", [PY, "-c", "import kodeks.cli.main"]),
            ("before: what every command imported", [PY, "-c", BEFORE]),
        ]
        base_wall, base_cpu = best([PY, "-c", "pass"], repeat)
        print(
            f"load average {os.getloadavg()[0]:.1f}; best of {repeat}; baseline python -c pass:", flush=True
        )
        print(f"  wall {base_wall * 1000:.0f} ms, CPU {base_cpu * 1000:.0f} ms", flush=True)
        print("| command | wall | ratio | CPU | ratio |")
        print("|---|---|---|---|---|")
        for name, args in cases:
            wall, cpu = best(args, repeat)
            print(
                f"| `{name}` | {wall * 1000:.0f} ms | {wall / base_wall:.1f}× | {cpu * 1000:.0f} ms | "
                f"{cpu / base_cpu:.1f}× |",
                flush=True,
            )


if __name__ == "__main__":
    main()
