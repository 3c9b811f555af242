"""The requirement and screening pages in Chromium: axe-core finds no serious or critical violation,
and a project manager screens a project by clicking through the form."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from kodeks.api.app import create_app
from tests.browser.conftest import Site, _free_port, assert_accessible, screenshot
from tests.requirements.world import build, clone

PAGES = {
    "krav": "/krav",
    "krav-one": "/krav/ARK-01",
    "krav-set": "/krav/saet/ski-arkitektur",
    "screening": "/screening",
    "krav-en": "/krav?lang=en",
}


@pytest.fixture(scope="module")
def requirement_site() -> Iterator[Site]:
    import uvicorn
    from rich.console import Console

    from kodeks.cli.demo import _seed_catalog
    from kodeks.cli.requirements import seed
    from kodeks.cli.screening import seed as seed_questionnaire
    from kodeks.domain.governance.identity import system_actor
    from kodeks.services.requirements import sets

    world = clone(build())
    _seed_catalog(world.kodeks, Console(file=io.StringIO()))
    seed(world.ctx, system_actor("cli"))
    seed_questionnaire(world.screening)
    body = {"id": "aarhus", "title": "Aarhus' udbud", "owner": "751", "entries": [{"requirement": "ARK-01"}]}
    sets.save(world.ctx, world.actor("author"), body, expected_revision=None)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(world.kodeks), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield Site(f"http://127.0.0.1:{port}", world.kodeks, False, dict(world.tokens))
    server.should_exit = True
    thread.join(timeout=10)


@pytest.mark.parametrize("name", list(PAGES))
def test_requirement_page_is_accessible(requirement_site: Site, page: Any, name: str) -> None:
    response = page.goto(requirement_site(PAGES[name]))
    assert response is not None and response.status == 200
    assert page.title().endswith("· Kodeks")
    screenshot(page, f"a11y-{name}")
    assert_accessible(page)


def test_a_project_manager_screens_a_project(requirement_site: Site, page: Any) -> None:
    page.goto(requirement_site("/screening"))
    page.get_by_label("Projektets navn").fill("Nyt omsorgssystem")
    for question in page.locator("fieldset").all():
        question.locator("input[type=radio]").last.check()  # the weightiest answer of each question
    page.get_by_role("button", name="Se resultatet").click()
    page.wait_for_url("**/screening/*")
    assert "Behov for arkitekturbehandling: Høj" in page.locator("main").inner_text()
    screenshot(page, "screening-result")
    assert_accessible(page)
    number = page.url.rsplit("/", 1)[1]
    page.goto(requirement_site(f"/screening/sammenlign?id={number}"))
    assert "Nyt omsorgssystem" in page.locator("main").inner_text()
    assert_accessible(page)
    page.go_back()
    page.get_by_role("link", name="ski-arkitektur").click()
    page.wait_for_url("**/krav/saet/ski-arkitektur")
    with page.expect_download() as download:
        page.get_by_role("link", name="Regneark med svarkolonner (XLSX)").click()
    assert download.value.suggested_filename == "ski-arkitektur.xlsx"


def test_the_answer_upload_form_is_accessible(requirement_site: Site, page: Any) -> None:
    page.context.add_cookies(
        [{"name": "kodeks_editor", "value": requirement_site.tokens["author"], "url": requirement_site.url}]
    )
    page.goto(requirement_site("/krav/saet/aarhus"))
    assert page.get_by_label("Regneark (XLSX)").count() == 1
    screenshot(page, "krav-set-upload")
    assert_accessible(page)
