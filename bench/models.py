"""Information models: FINT import time against a bare lxml parse of the same file, and the server
time of the model pages for FINT's largest packages (target < 100 ms).

    python bench/models.py [--runs 20]

Import: ``read_xmi`` (safe parse, UML part, EA extension, profile applications, integrity checks) and
the whole ``kodeks models import`` use case (read + store the JSON in SQLite), each the best of 3,
against ``lxml.etree.fromstring`` of the same bytes (best of 3) run side by side. Pages: in-process
through the ASGI app (TestClient: routing, services, SQL, templates; no network; response cache
off), median and p95 of ``--runs`` requests after one warm-up request (the warm-up draws the diagram
with Graphviz once; it is cached per model version and package): the package page (with its SVG
class diagram) of the package with most classes and of the one with most associations, a class page.
"""

from __future__ import annotations

import argparse
import tempfile
import time

from _common import best_of, data, percentiles, report
from fastapi.testclient import TestClient
from lxml import etree

from kodeks.api.app import create_app
from kodeks.bootstrap import build, model_formats
from kodeks.config import Settings
from kodeks.formats.models_xmi import read_xmi
from kodeks.formats.xml import safe_xml_parser
from kodeks.services.models import library

FINT = "infomodels/fint_informasjonsmodell_ea_xmi21.xml"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    raw = data(FINT).read_bytes()
    bare = best_of(lambda: etree.fromstring(raw, parser=safe_xml_parser()), 3)
    report("read_xmi(FINT)", best_of(lambda: read_xmi(raw, "fint.xml"), 3), "lxml parse", bare)
    with tempfile.TemporaryDirectory() as tmp:
        n = 0

        def whole() -> None:
            nonlocal n
            n += 1
            kodeks = build(Settings(database_url=f"sqlite:///{tmp}/m{n}.sqlite"))
            library.import_model(kodeks.uow, kodeks.models, model_formats(), raw, "fint.xml", model_id="fint")
            kodeks.engine.dispose()

        report("kodeks models import (FINT, SQLite, incl. migrations)", best_of(whole, 3), "lxml parse", bare)
        # no response cache (read_cache_seconds=-1): every request runs routing, services, SQL, templates
        kodeks = build(Settings(database_url=f"sqlite:///{tmp}/pages.sqlite", read_cache_seconds=-1))
        library.import_model(kodeks.uow, kodeks.models, model_formats(), raw, "fint.xml", model_id="fint")
        client = TestClient(create_app(kodeks))
        model = library.get_model(kodeks.uow, kodeks.models, "fint").model
        by_classes = max(model.packages, key=lambda p: sum(c.package == p.id for c in model.classes))
        by_links = max(
            model.packages,
            key=lambda p: sum(
                model.class_by_id[a.source.class_id].package == p.id for a in model.associations
            ),
        )
        first = next(c for c in model.classes if c.package == by_links.id)
        for name, url in (
            (f"package page {by_classes.name} (most classes)", f"/modeller/fint/pakker/{by_classes.id}"),
            (f"package page {by_links.name} (most associations)", f"/modeller/fint/pakker/{by_links.id}"),
            (f"class page {first.name}", f"/modeller/fint/klasser/{first.id}"),
        ):
            start = time.perf_counter()
            assert client.get(url).status_code == 200
            cold = time.perf_counter() - start
            samples = []
            for _ in range(runs):
                start = time.perf_counter()
                response = client.get(url)
                samples.append(time.perf_counter() - start)
                assert response.status_code == 200
            p50, p95, _ = percentiles(samples)
            print(
                f"{name}: first {cold * 1000:.0f} ms, then median {p50 * 1000:.1f} ms, "
                f"p95 {p95 * 1000:.1f} ms "
                f"({len(response.content):,} bytes; target < 100 ms)",
                flush=True,
            )


if __name__ == "__main__":
    main()
