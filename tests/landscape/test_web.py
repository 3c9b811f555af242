"""The landscape pages: typed contexts, Danish by default, filters and sorting, errors as pages."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kodeks.bootstrap import Kodeks
from kodeks.domain.landscape.bundle import LandscapeBundle
from kodeks.domain.landscape.generator import generate
from kodeks.domain.landscape.tasks import level
from kodeks.services import queries as registry
from kodeks.services.landscape.importing import import_bundle
from kodeks.services.queries import When
from kodeks.web.landscape import pages
from kodeks.web.landscape.strings import STRINGS
from kodeks.web.rendering import TEMPLATES


@pytest.fixture
def generated(landscape: Kodeks, client: TestClient) -> TestClient:
    emner = [
        i.code for i in registry.items(landscape.uow, "kle", When.of(date(2015, 1, 1))) if level(i.code) == 3
    ]
    made = generate(emner, systems=40, years=6, first_year=2015)
    import_bundle(
        landscape.uow, landscape.landscape, LandscapeBundle("gen", "gen", made.solutions, made.uses)
    )
    return client


def page(client: TestClient, url: str, template: str) -> Any:
    got = client.get(url)
    assert got.status_code == 200, got.text[:500]
    assert got.template.name == f"landscape/{template}"  # type: ignore[attr-defined]
    return got.context["page"]  # type: ignore[attr-defined]


def test_the_matrix_filters_and_sorts(generated: TestClient) -> None:
    m = page(generated, "/landskab?dato=2020-01-01", "matrix.html")
    assert isinstance(m, pages.MatrixPage) and len(m.rows) == 98 and m.meta.lang == "da"
    adoption = [c.adopted for c in m.columns]
    assert adoption == sorted(adoption, reverse=True)
    north = page(
        generated,
        "/landskab?dato=2020-01-01&region=1081&type=common&sorter=name&raekker=count",
        "matrix.html",
    )
    assert {r.region for r in north.rows} == {"Region Nordjylland"} and len(north.rows) == 11
    names = [c.link.label for c in north.columns]
    assert names == sorted(names, key=str.casefold) and all(
        c.scope == "Fælleskommunal" for c in north.columns
    )
    counts = [r.in_use for r in north.rows]
    assert counts == sorted(counts, reverse=True)
    esdh = page(generated, "/landskab?kategori=ESDH&leverandoer=Formpipe", "matrix.html")
    assert [c.link.label for c in esdh.columns] == ["Acadre"]
    as_csv = generated.get(esdh.downloads[0].href)  # the matrix as shown: the same filters
    assert as_csv.status_code == 200 and as_csv.text.splitlines()[0] == "kommunekode,kommune,region,Acadre"


def test_solution_task_coverage_and_supplier_pages(generated: TestClient) -> None:
    aula = page(generated, "/landskab/loesninger/aula?dato=2020-06-01", "solution.html")
    assert aula.solution.name == "Aula" and aula.predecessor.label == "SkoleIntra"
    years = dict(aula.curve)
    assert years[min(years)] < 10 < years[2020] <= years[2021]  # an S-curve: grows after the launch
    code = aula.purposes[0].label.split()[-1]
    task = page(generated, f"/landskab/opgaver/{code}?dato=2020-06-01", "task.html")
    assert any(s.label == "Aula" for s in task.solutions)
    coverage = page(generated, "/landskab/kommuner/751?dato=2020-06-01", "coverage.html")
    assert coverage.town.name == "Aarhus" and coverage.rows and coverage.gaps
    assert all(len(r.solutions) > 1 for r in coverage.rows if r.several)
    tree_rows = [r for g in coverage.tree for r in g.rows]
    assert sum(g.served for g in coverage.tree) == len(coverage.rows)  # every served emne is in the tree
    assert sum(1 for r in tree_rows if not r.solutions) == len(coverage.gaps)  # and every gap, marked
    suppliers = page(generated, "/landskab/leverandoerer?dato=2020-06-01&dage=3650", "suppliers.html")
    assert suppliers.suppliers[0].supplier == "KOMBIT" and suppliers.contracts
    assert sum(n for _, n in suppliers.by_year) == len(suppliers.contracts)  # the bar chart's numbers
    assert [generated.get(d.href).status_code for d in suppliers.downloads] == [200] * 4
    assert [generated.get(d.href).status_code for d in coverage.downloads] == [200] * 2


def test_adoption_over_time_a_line_per_solution(generated: TestClient) -> None:
    chart = page(generated, "/landskab/udbredelse?fra=2015&til=2021&dato=2021-06-01", "adoption.html")
    assert len(chart.lines) == 8 and len(chart.years) == 7
    assert all(len(line.points.split()) == 7 for line in chart.lines)
    aula = page(generated, "/landskab/udbredelse?fra=2015&til=2021&loesning=aula", "adoption.html")
    [(name, values)] = aula.table
    assert name == "Aula" and values[0] == 0 and values[-1] > 50 and list(values) == sorted(values)
    api = generated.get("/api/v1/landscape/adoption?solution=aula&from=2015&to=2021").json()
    assert [p["municipalities"] for p in api[0]["points"]] == list(values)
    assert generated.get("/api/v1/landscape/adoption?solution=nowhere").status_code == 404


def test_english_on_request(generated: TestClient) -> None:
    got = generated.get("/landscape?lang=en")
    assert got.status_code == 200 and "The solution landscape" in got.text


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/landskab/loesninger/nowhere", 404),
        ("/landskab/kommuner/999", 404),
        ("/landskab/opgaver/x.y", 400),
        ("/landskab?antal=abc", 400),
        ("/landskab?dato=2020-13-01", 400),
        ("/landskab?raekker=random", 400),
        ("/landskab?region=" + "x" * 600, 400),
    ],
)
def test_bad_requests_are_pages(client: TestClient, url: str, status: int) -> None:
    got = client.get(url)
    assert got.status_code == status and got.headers["content-type"].startswith("text/html")


def test_every_landscape_string_is_in_both_languages_and_every_used_key_exists() -> None:
    for key, (da, en) in STRINGS.items():
        assert da.strip() and en.strip(), key
        assert set(re.findall(r"{(\w+)}", da)) == set(re.findall(r"{(\w+)}", en)), key
    sources = [p.read_text() for p in (TEMPLATES / "landscape").glob("*.html")]
    sources += [p.read_text() for p in (TEMPLATES.parent / "landscape").glob("*.py")]
    used = {k for text in sources for k in re.findall(r"""\bt\(\s*["'](ls_[a-z0-9_]+)["']\s*[,)]""", text)}
    built = {f"ls_status_{s}" for s in ("adopted", "planned", "phased_out", "none")}
    built |= {f"ls_scope_{s}" for s in ("common", "cross", "local")}
    built |= {f"ls_sort_{s}" for s in pages.queries.SORTS} | {f"ls_rows_{s}" for s in pages.ROW_SORTS}
    built |= {f"ls_state_{s}" for s in ("valid", "moved", "expired", "unknown", "unchecked")}
    built |= {f"ls_risk_{r}" for r in ("minimal", "limited", "high", "unacceptable")}
    built |= {f"ls_dpia_{d}" for d in ("not_needed", "planned", "in_progress", "done")}
    built |= {"ls_offer_offer", "ls_offer_request", "ls_suppliers", "ls_contracts"}
    assert used and sorted((used | built) - set(STRINGS)) == []


def test_a_municipality_records_its_own_use_in_the_browser(landscape: Kodeks, tokens: dict[str, str]) -> None:
    from kodeks.api.app import create_app
    from kodeks.domain.landscape.model import Scope, Solution

    import_bundle(
        landscape.uow,
        landscape.landscape,
        LandscapeBundle("t", "t", [Solution("sbsys", "SBSYS", Scope.CROSS)], []),
    )
    with TestClient(create_app(landscape), raise_server_exceptions=False) as browser:
        anonymous = browser.get("/landskab/loesninger/sbsys").context["page"]  # type: ignore[attr-defined]
        assert anonymous.form is None
        assert (
            browser.post(
                "/redaktion/log-ind", data={"token": tokens["aarhus"]}, follow_redirects=False
            ).status_code
            == 303
        )
        form = browser.get("/landskab/loesninger/sbsys").context["page"].form  # type: ignore[attr-defined]
        assert form.municipality == "751"
        url = "/landskab/loesninger/sbsys/anvendelse"
        assert (
            browser.post(url, data={"csrf": "stale", "status": "adopted", "fra": "2020-01-01"}).status_code
            == 403
        )
        saved = browser.post(
            url,
            data={"csrf": form.csrf, "status": "adopted", "fra": "2020-01-01", "kommune": "101"},
            follow_redirects=False,
        )
        assert saved.status_code == 303  # the municipality field is ignored: Aarhus's user records Aarhus
        page = browser.get(saved.headers["location"]).context["page"]  # type: ignore[attr-defined]
        assert page.message and [(u.municipality.label, u.start) for u in page.uses] == [
            ("Aarhus", "2020-01-01")
        ]
        overlap = browser.post(
            url, data={"csrf": form.csrf, "status": "planned", "fra": "2019-06-01", "til": "2020-06-01"}
        )
        assert overlap.status_code == 422 and "overlap" in overlap.text
        bad = browser.post(url, data={"csrf": form.csrf, "status": "sometimes"})
        assert bad.status_code == 400
