"""axe-core on the solution landscape's pages (no serious or critical violation), over a small
generated landscape on the real KLE and the real municipal boundaries: the matrix, the map and
the adoption chart."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.browser.conftest import Site
from tests.browser.test_accessibility import check_page
from tests.conftest import data_file

PAGES = {
    "landscape-matrix": "/landskab?dato=2020-01-01&antal=15",
    "landscape-map": "/landskab/kort?loesning=aula&dato=2020-01-01",
    "landscape-adoption": "/landskab/udbredelse?fra=2015&til=2021",
}
# Not here: the coverage page (all of KLE's ~2,600 emner as a tree; its full-page screenshot takes
# too long for the suite) and the solution page (passed axe when tried, left out to keep the suite
# short).


_LOADED: set[str] = set()


@pytest.fixture
def landscape_site(kle: Site) -> Site:
    """The session's site with the landscape loaded (once)."""
    if kle.url in _LOADED:
        return kle
    from kodeks.domain.landscape.bundle import LandscapeBundle
    from kodeks.domain.landscape.generator import generate
    from kodeks.formats.landscape import topojson
    from kodeks.services import queries
    from kodeks.services.landscape import maps
    from kodeks.services.landscape.importing import import_bundle
    from kodeks.services.queries import When

    kodeks = kle.kodeks
    emner = [
        i.code for i in queries.items(kodeks.uow, "kle", When.of(date(2015, 1, 1))) if i.code.count(".") == 2
    ]
    made = generate(emner, systems=30, years=6, first_year=2015)
    import_bundle(kodeks.uow, kodeks.landscape, LandscapeBundle("gen", "gen", made.solutions, made.uses))
    topo = data_file("dk_municipalities/dagi_kommuner_2014.topojson")
    maps.import_boundaries(kodeks.uow, kodeks.landscape, *topojson.read(topo.read_bytes(), topo.name))
    _LOADED.add(kle.url)
    return kle


@pytest.mark.parametrize("name", list(PAGES))
def test_landscape_page_is_accessible(landscape_site: Site, page: Any, name: str) -> None:
    check_page(page, landscape_site(PAGES[name]), name)
