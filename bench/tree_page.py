"""Tree page server time and bytes (target < 50 ms), against the JSON API for the same nodes.

    python bench/tree_page.py [--runs 40]

One SQLite file holds the real KLE 2015 Emneplan XML and the Danish ICD-10 (SKS) CodeSystem, both
from ../shared/data through the real importers. Measured in-process through the ASGI app (Starlette's
TestClient: routing, services, SQL, templates; no network), median and p95 of ``--runs`` requests
after one warm-up:

- KLE root: the classification page (36 hovedgrupper valid today, plus metadata, versions, downloads)
  and the htmx fragment of the same level; baseline: ``GET /api/v1/classifications/kle/items?level=1``.
- KLE group 00 (the children of one hovedgruppe) as a fragment; baseline: ``.../items/00/children``.
- ICD-10's top level, the largest real level in the data: 1,719 three-character categories valid
  today (no single node in KLE, DB07, ISCO-08 or FSIII has 300 children; see RESULTS_web.md). The
  page renders the first 300 (``TREE_PAGE``; "show more" brings the rest). The API has no call for
  "the top level" of a classification whose top codes carry no level number, so the baseline is what
  a client without the tree fetches to draw it: every item valid today, ``.../icd10-da/items``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable

from _common import data, percentiles
from fastapi.testclient import TestClient

from kodeks.api.app import create_app
from kodeks.bootstrap import build
from kodeks.config import Settings
from kodeks.services import importing

HX = {"HX-Request": "true"}


def load(path: str) -> TestClient:
    kodeks = build(Settings(database_url=f"sqlite:///{path}"))
    for relative, fmt in (
        ("kle/kle_emneplan_2015-08-01.xml", "kle-xml"),
        ("icd10_da_sks/CodeSystem-icd10-da.json", "fhir"),
    ):
        file = data(relative)
        importing.import_data(
            kodeks.uow, kodeks.formats, file.read_bytes(), file.name, format=fmt, listeners=kodeks.listeners
        )
    return TestClient(create_app(kodeks))


def measure(
    client: TestClient, url: str, runs: int, headers: dict[str, str] | None = None
) -> tuple[float, float, int]:
    def get() -> int:
        r = client.get(url, headers=headers or {})
        assert r.status_code == 200, (url, r.status_code, r.text[:200])
        return len(r.content)

    size = get()
    samples: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        get()
        samples.append(time.perf_counter() - start)
    p50, p95, _ = percentiles(samples)
    return p50 * 1000, p95 * 1000, size


def row(name: str, page: tuple[float, float, int], base_name: str, base: tuple[float, float, int]) -> str:
    line = (
        f"| {name} | {page[0]:.1f} | {page[1]:.1f} | {page[2]:,} "
        f"| {base_name} | {base[0]:.1f} | {base[1]:.1f} | {base[2]:,} | {page[0] / base[0]:.2f}× |"
    )
    print(line, flush=True)
    return line


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        client = load(f"{tmp}/bench.sqlite")
        print(f"loaded KLE 2015 + ICD-10 in {time.perf_counter() - started:.1f} s; {args.runs} runs each")
        print(
            "| page | p50 ms | p95 ms | bytes | baseline (JSON API) | p50 ms | p95 ms | bytes | p50 ratio |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        m: Callable[..., tuple[float, float, int]] = lambda url, h=None: measure(client, url, args.runs, h)  # noqa: E731
        api = "/api/v1/classifications"
        kle_json = m(f"{api}/kle/items?level=1")
        row(
            "KLE classification page (root level, 36 nodes)",
            m("/klassifikationer/kle"),
            "items?level=1",
            kle_json,
        )
        row("KLE root fragment (htmx)", m("/klassifikationer/kle/trae", HX), "items?level=1", kle_json)
        row(
            "KLE 00 children fragment",
            m("/klassifikationer/kle/trae?under=00", HX),
            "items/00/children",
            m(f"{api}/kle/items/00/children"),
        )
        icd_json = m(f"{api}/icd10-da/items")
        row(
            "ICD-10 classification page (1,719 top codes, first 300 shown)",
            m("/klassifikationer/icd10-da"),
            "items (all 10,563)",
            icd_json,
        )
        row(
            "ICD-10 top-level fragment (300 nodes)",
            m("/klassifikationer/icd10-da/trae", HX),
            "items (all 10,563)",
            icd_json,
        )
        row(
            'ICD-10 next 300 ("show more")',
            m("/klassifikationer/icd10-da/trae?start=300", HX),
            "items (all 10,563)",
            icd_json,
        )


if __name__ == "__main__":
    main()
