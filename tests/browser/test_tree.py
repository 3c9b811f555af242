"""The expandable tree, by mouse and by keyboard only; lazy loading and "show more"."""

from __future__ import annotations

import re
from typing import Any

import pytest

from kodeks.services import web_queries
from tests.browser.conftest import Site, assert_accessible, screenshot


def test_tree_expands_and_collapses_by_mouse(site: Site, page: Any) -> None:
    page.goto(site("/klassifikationer/db07"))
    toggle = page.locator('button.toggle[data-code="A"]')
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.locator("#n-A li").count() == 0  # nothing below the top level is sent until asked
    toggle.click()
    page.locator("#n-A > li").first.wait_for()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator("#n-A > li > a").first.inner_text().startswith("01")
    assert "aaben=A" in page.url  # the open node is in the permalink
    screenshot(page, "db07-tree-open")
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.locator("#n-A").is_hidden()
    assert "aaben=A" not in page.url


def test_permalink_reopens_the_tree(site: Site, page: Any) -> None:
    page.goto(site("/klassifikationer/db07?aaben=A&aaben=01"))
    assert page.locator('button.toggle[data-code="01"]').get_attribute("aria-expanded") == "true"
    assert page.locator("#n-01 > li").count() >= 2


def test_tree_works_by_keyboard_only(site: Site, page: Any) -> None:
    page.goto(site("/klassifikationer/db07"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "indhold"
    for _ in range(40):  # Tab on until the first tree button has focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.code") == "A":
            break
    else:
        pytest.fail("the first tree button cannot be reached with Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible
    page.keyboard.press("Enter")
    page.locator("#n-A > li").first.wait_for()
    assert page.locator('button.toggle[data-code="A"]').get_attribute("aria-expanded") == "true"
    page.keyboard.press("Tab")  # the node's own link
    page.keyboard.press("Tab")  # into the children: the first child's button
    assert page.evaluate("document.activeElement.dataset.code") == "01"
    page.keyboard.press(" ")
    page.locator("#n-01 > li").first.wait_for()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # follow the child's link
    page.wait_for_url(re.compile(r"/klassifikationer/db07/koder/01$"))
    assert page.locator("h1").inner_text().startswith("01")


def test_a_long_level_comes_in_pages(site: Site, page: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(web_queries, "TREE_PAGE", 100)
    page.goto(site("/klassifikationer/eu-countries"))
    assert page.locator("ul.tree > li > a").count() == 100
    more = page.locator("button.more-button")
    assert re.search(r"\d+ tilbage", more.inner_text())
    more.click()
    page.wait_for_function("document.querySelectorAll('ul.tree > li > a').length === 200")
    # focus moves to the first new node (not left on the page after the button went away)
    page.wait_for_function("document.activeElement.tagName === 'A'")
    assert page.evaluate("document.activeElement.textContent").startswith(
        page.locator("ul.tree > li > a").nth(100).inner_text()[:3]
    )
    assert_accessible(page)


def test_the_pages_work_under_their_content_security_policy(site: Site, browser: Any) -> None:
    """No inline script or style is needed: with the CSP enforced nothing is blocked."""
    context = browser.new_context()
    tab = context.new_page()
    blocked: list[str] = []
    tab.on("console", lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None)
    tab.goto(site("/klassifikationer/db07"))
    tab.locator('button.toggle[data-code="A"]').click()
    tab.locator("#n-A > li").first.wait_for()
    tab.goto(site("/redaktion"))
    context.close()
    assert blocked == []
