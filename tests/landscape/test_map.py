"""The map of Denmark: the real DAGI boundaries read into 98 SVG paths, coloured per municipality."""

from __future__ import annotations

import json
from datetime import date

import pytest
from fastapi.testclient import TestClient

from kodeks.bootstrap import Kodeks
from kodeks.domain.landscape.bundle import LandscapeBundle
from kodeks.domain.landscape.model import Scope, Solution, Status, Use
from kodeks.domain.period import Period
from kodeks.errors import MalformedInput
from kodeks.formats.landscape import topojson
from kodeks.services.landscape import maps
from kodeks.services.landscape.importing import import_bundle
from tests.conftest import data_file

BOUNDARIES = "dk_municipalities/dagi_kommuner_2014.topojson"


@pytest.fixture(scope="session")
def boundaries() -> tuple[dict[str, str], float]:
    path = data_file(BOUNDARIES)
    return topojson.read(path.read_bytes(), path.name)


def test_the_real_boundaries_give_every_municipality_a_path(boundaries: tuple[dict[str, str], float]) -> None:
    paths, height = boundaries
    assert len(paths) == 98 and 700 < height < 900  # Denmark is a little less tall than wide here
    assert paths["400"].count("M") >= 1 and paths["101"].startswith("M")
    assert paths["825"].count("M") >= 1  # Læsø, an island municipality


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"{",
        b'{"type": "Topology"}',
        b'{"arcs": [], "objects": {"x": {"geometries": [{"type": "Polygon"}]}}}',
        json.dumps({"arcs": [], "objects": {"x": {"geometries": []}}}).encode(),
    ],
)
def test_bad_topojson_is_refused(data: bytes) -> None:
    with pytest.raises(MalformedInput):
        topojson.read(data, "bad.topojson")


def test_the_map_colours_a_solution_and_a_measure(
    landscape: Kodeks, client: TestClient, boundaries: tuple[dict[str, str], float]
) -> None:
    paths, height = boundaries
    maps.import_boundaries(landscape.uow, landscape.landscape, paths, height)
    aula = Solution("aula", "Aula", Scope.COMMON)
    uses = [
        Use("aula", "751", Status.ADOPTED, Period(date(2019, 8, 1))),
        Use("aula", "101", Status.PLANNED, Period(date(2019, 1, 1))),
    ]
    import_bundle(landscape.uow, landscape.landscape, LandscapeBundle("t", "t", [aula], uses))
    got = client.get("/api/v1/landscape/map?solution=aula&at=2020-01-01").json()
    values = {m["municipality"]: m["value"] for m in got["municipalities"]}
    assert (values["751"], values["101"], values["851"]) == ("adopted", "planned", "none")
    counts = client.get("/api/v1/landscape/map?measure=count&at=2020-01-01").json()
    assert {m["municipality"]: m["count"] for m in counts["municipalities"]}["751"] == 1
    page = client.get("/landskab/kort?loesning=aula&dato=2020-01-01")
    assert page.status_code == 200 and page.template.name == "landscape/map.html"  # type: ignore[attr-defined]
    context = page.context["page"]  # type: ignore[attr-defined]
    assert len(context.areas) == 98 and "Aarhus: I drift" in page.text
    assert client.get("/landskab/kort?maal=status").status_code == 400  # no solution chosen
    assert client.get("/api/v1/landscape/map?solution=nowhere").status_code == 404


def test_count_classes_are_quintiles_of_the_data() -> None:
    assert maps.class_limits(list(range(98))) == (19, 39, 58, 78)
    assert maps.class_limits([12] * 50 + [13] * 20 + [14] * 28) == (13, 14)
    assert maps.class_limits([5] * 98) == ()  # one class when every municipality has as many
