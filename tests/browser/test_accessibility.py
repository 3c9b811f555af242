"""axe-core on every page (no serious or critical violation), in Danish and English; titles and
landmarks. Each page is kept as a screenshot in artifacts/screenshots."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import Site, assert_accessible, screenshot

PAGES = {
    "catalogue": "/",
    "catalogue-entry": "/katalog/db07",
    "search-form": "/soeg",
    "search-db07": "/soeg?q=landbrug",
    "db07": "/klassifikationer/db07?aaben=A&aaben=01",
    "db07-item": "/klassifikationer/db07/koder/01",
    "db07-history": "/klassifikationer/db07/koder/01/historik",
    "db07-changes": "/klassifikationer/db07/aendringer?fra=2009-01-01&til=2010-01-01",
    "not-found": "/klassifikationer/findes-ikke",
    "bad-date": "/klassifikationer/db07?dato=2012-13-45",
    "db07-en": "/klassifikationer/db07?lang=en",
}
KLE_PAGES = {
    "kle": "/klassifikationer/kle?dato=2012-05-01&aaben=00",
    "kle-item": "/klassifikationer/kle/koder/00.10.00?dato=2012-05-01",
    "kle-item-guidance": "/klassifikationer/kle/koder/02.00.00",
    "kle-history": "/klassifikationer/kle/koder/00.10.00/historik",
    "kle-changes": "/klassifikationer/kle/aendringer?fra=2014-01-01&til=2015-01-01",
    "kle-item-en": "/klassifikationer/kle/koder/00.10.00?dato=2012-05-01&lang=en",
}


def check_page(page: Any, url: str, name: str) -> None:
    response = page.goto(url)
    assert response is not None
    title = page.title()
    assert title.endswith("· Kodeks") and len(title) > len("· Kodeks") + 3
    assert page.locator("html").get_attribute("lang") in ("da", "en")
    for landmark in ("header", "main", "footer", "nav"):
        assert page.locator(landmark).count() >= 1, landmark
    screenshot(page, f"a11y-{name}")
    assert_accessible(page)


@pytest.mark.parametrize("name", list(PAGES))
def test_page_is_accessible(site: Site, page: Any, name: str) -> None:
    check_page(page, site(PAGES[name]), name)


@pytest.mark.parametrize("name", list(KLE_PAGES))
def test_kle_page_is_accessible(kle: Site, page: Any, name: str) -> None:
    check_page(page, kle(KLE_PAGES[name]), name)


def test_tree_after_expansion_is_accessible(site: Site, page: Any) -> None:
    page.goto(site("/klassifikationer/db07"))
    page.locator('button.toggle[data-code="C"]').click()
    page.locator("#n-C > li").first.wait_for()
    assert_accessible(page)
