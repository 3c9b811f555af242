"""What a KL editor or a municipal case worker does: search, open a code, read its history, compare
two dates, download the classification."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.browser.conftest import Site, screenshot


def test_search_item_history_diff_download(kle: Site, page: Any) -> None:
    page.goto(kle("/"))
    screenshot(page, "home")
    page.get_by_label("Søg efter emne, ord eller kode").fill("integration og udlændinge")
    page.get_by_role("button", name="Søg").click()
    page.wait_for_url(re.compile(r"/soeg\?"))
    page.get_by_label("Medtag udgåede koder").check()
    page.get_by_role("button", name="Søg").click()
    page.wait_for_url(re.compile(r"udgaaede=1"))
    screenshot(page, "search")
    hit = page.locator("ol.results a", has_text="00.10.00").first
    hit.click()

    page.wait_for_url(re.compile(r"/klassifikationer/kle/koder/00\.10\.00\?dato="))
    assert "Integration og udlændinge i almindelighed" in page.locator("h1").inner_text()
    timeline = page.locator("ol.timeline")
    assert "Udgået" in timeline.inner_text() and "15.40.00" in timeline.inner_text()
    screenshot(page, "item")

    page.get_by_role("link", name="Hele historikken med registreringer").click()
    page.wait_for_url(re.compile(r"/koder/00\.10\.00/historik"))
    assert page.locator("h1").inner_text().startswith("Historik: 00.10.00")
    screenshot(page, "history")

    page.locator("nav.breadcrumbs").get_by_role("link", name=re.compile("^KLE")).click()
    page.wait_for_url(re.compile(r"/klassifikationer/kle(\?|$)"))
    page.get_by_label("Fra dato").fill("2014-01-01")
    page.get_by_label("Til dato").fill("2015-01-01")
    page.get_by_role("button", name="Sammenlign").click()
    page.wait_for_url(re.compile(r"/aendringer\?fra=2014-01-01&til=2015-01-01"))
    moved = page.locator("#moved")
    assert "00.10.00" in moved.inner_text() and "15.40.00" in moved.inner_text()
    screenshot(page, "changes")

    page.go_back()
    page.wait_for_url(re.compile(r"/klassifikationer/kle(\?|$)"))
    screenshot(page, "classification")
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV", exact=True).click()
    download = info.value
    assert re.fullmatch(r"kle-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    assert "00.01.00" in Path(download.path()).read_text(encoding="utf-8")


def test_show_as_of_a_date(kle: Site, page: Any) -> None:
    page.goto(kle("/klassifikationer/kle"))
    page.get_by_label("Vis som den var").fill("2012-05-01")
    page.get_by_role("button", name="Vis", exact=True).click()
    page.wait_for_url(re.compile(r"dato=2012-05-01"))
    assert "Hierarki pr. 2012-05-01" in page.locator("#tree-heading").inner_text()
    toggle = page.locator('button.toggle[data-code="00"]')
    toggle.click()
    page.locator("#n-00 > li").first.wait_for()
    assert "00.10" in page.locator("#n-00").inner_text()  # a group that expired in 2014 is there in 2012


def test_english(kle: Site, page: Any) -> None:
    page.goto(kle("/klassifikationer/kle/koder/00.10.00?dato=2012-05-01"))
    page.get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r"lang=en"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="History").is_visible()
    screenshot(page, "item-en")


def test_search_answers_while_typing_and_keeps_the_address(site: Site, page: Any) -> None:
    page.goto(site("/soeg"))
    page.get_by_label("Søg efter emne, ord eller kode").press_sequentially("landbrug", delay=30)
    page.wait_for_url(re.compile(r"q=landbrug"))
    results = page.locator("ol.results li")
    results.first.wait_for()
    assert "Landbrug" in page.locator("#results").inner_text()
    page.reload()  # the address is a permalink to the same results
    assert page.locator("ol.results li").count() == results.count()
