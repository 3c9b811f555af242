"""Import time of real files as a ratio to bare parsing of the same bytes (target ≤ 2×).

    python bench/registry_import.py

KLE 2015 XML (full history) against ``lxml.etree.fromstring``; STW SKOS Turtle against a bare
pyoxigraph parse into a store. The import is the whole use case: detect, parse to the model,
check, record the release, rebuild the timeline, write bitemporal records (SQLite file).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyoxigraph
from _common import best_of, data, report
from lxml import etree

from kodeks.bootstrap import build
from kodeks.config import Settings
from kodeks.services import importing


def import_once(path: Path, fmt: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        kodeks = build(Settings(database_url=f"sqlite:///{tmp}/bench.sqlite"))
        importing.import_data(kodeks.uow, kodeks.formats, path.read_bytes(), path.name, format=fmt)
        kodeks.engine.dispose()


def main() -> None:
    kle = data("kle/kle_emneplan_2015-08-01.xml")
    kle_bytes = kle.read_bytes()
    bare = best_of(lambda: etree.fromstring(kle_bytes), 5)
    full = best_of(lambda: import_once(kle, "kle-xml"), 3)
    report("import KLE 2015 XML (4,189 items)", full, "bare lxml parse", bare, target="≤ 2×")

    stw = data("skos_stw_thesaurus/stw-skos.ttl")
    stw_bytes = stw.read_bytes()

    def bare_rdf() -> None:
        store = pyoxigraph.Store()
        store.bulk_load(stw_bytes, pyoxigraph.RdfFormat.TURTLE)

    bare = best_of(bare_rdf, 3)
    full = best_of(lambda: import_once(stw, "skos"), 2)
    report("import STW SKOS (6,244 concepts)", full, "bare pyoxigraph parse", bare, target="≤ 2×")


if __name__ == "__main__":
    main()
