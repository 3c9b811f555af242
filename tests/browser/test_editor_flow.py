"""The editor flow in the browser: sign in, open a draft, add codes, submit; the reviewer approves
and publishes; the new version is in the tree. axe-core on each editor screen."""

from __future__ import annotations

import re
from typing import Any

from tests.browser.conftest import Site, assert_accessible, screenshot


def sign_in(page: Any, site: Site, who: str) -> None:
    page.goto(site("/redaktion/log-ind"))
    page.get_by_label("Nøgle").fill(site.tokens[who])
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(re.compile(r"/redaktion$"))


def test_draft_submit_review_publish(site: Site, page: Any) -> None:
    page.goto(site("/redaktion"))
    assert page.get_by_role("heading", name="Log ind som redaktør").is_visible()
    assert_accessible(page)
    screenshot(page, "editor-login")

    sign_in(page, site, "redaktoer")
    section = page.locator("section.editor-classification", has_text="aarhus-sager")
    section.get_by_text("Nyt udkast").click()
    section.get_by_label("Hvad ændres (titel)").fill("Første udgave")
    section.get_by_label("Versionsnavn").fill("2026-1")
    section.get_by_label("Gælder fra").fill("2026-01-01")
    assert_accessible(page)
    screenshot(page, "editor-home")
    section.get_by_role("button", name="Opret udkast").click()
    page.wait_for_url(re.compile(r"/redaktion/aendringssaet/\d+\?besked=opened"))
    assert "Udkastet er oprettet" in page.get_by_role("status").inner_text()

    for code, title, parent in (("01", "Byggesager", ""), ("01.01", "Byggetilladelser", "01")):
        page.get_by_label("Kode", exact=True).fill(code)
        page.get_by_label("Titel (da)").fill(title)
        page.get_by_label("Overordnet").fill(parent)
        page.get_by_role("button", name="Gem koden i udkastet").click()
        page.wait_for_url(re.compile(r"besked=saved"))
    assert page.locator("table tbody tr").count() == 2
    assert_accessible(page)
    screenshot(page, "editor-change-set")
    page.get_by_role("button", name="Indsend til godkendelse").click()
    page.wait_for_url(re.compile(r"besked=submitted"))
    cs_url = page.url.split("?")[0]

    sign_in(page, site, "godkender")
    page.goto(cs_url)
    page.get_by_role("button", name="Godkend").click()
    page.wait_for_url(re.compile(r"besked=approved"))
    page.get_by_label("Bemærkning til udgivelsen").fill("Første udgave af planen")
    assert_accessible(page)
    page.get_by_role("button", name="Udgiv som ny version").click()
    page.wait_for_url(re.compile(r"besked=published"))
    assert "udgivet" in page.locator("dl.facts").inner_text()
    screenshot(page, "editor-published")

    page.get_by_role("link", name="Se den udgivne version").click()
    page.locator('button.toggle[data-code="01"]').click()
    page.locator("#n-01 > li").first.wait_for()
    assert "Byggetilladelser" in page.locator("#n-01").inner_text()


def test_a_refusal_is_said_on_the_page(site: Site, page: Any) -> None:
    sign_in(page, site, "redaktoer")
    section = page.locator("section.editor-classification", has_text="aarhus-sager")
    section.get_by_text("Nyt udkast").click()
    section.get_by_label("Hvad ændres (titel)").fill("Forkert")
    section.get_by_label("Versionsnavn").fill("x")
    section.get_by_label("Gælder fra").fill("2026-02-01")
    section.get_by_role("button", name="Opret udkast").click()
    page.wait_for_url(re.compile(r"besked=opened"))
    page.get_by_label("Kode", exact=True).fill("09")
    page.get_by_label("Titel (da)").fill("Ni")
    page.get_by_label("Overordnet").fill("findes-ikke")
    page.get_by_role("button", name="Gem koden i udkastet").click()
    alert = page.get_by_role("alert")
    assert "Ikke udført" in alert.inner_text() and "findes-ikke" in alert.inner_text()
    assert page.get_by_label("Kode", exact=True).input_value() == "09"  # what was typed is kept
    assert_accessible(page)
    screenshot(page, "editor-refused")
    page.get_by_role("button", name="Indsend til godkendelse").click()
    assert "er tomt; tilføj koder" in page.get_by_role("alert").inner_text()  # in Danish


def test_a_catalogue_entry_is_created_in_the_browser(site: Site, page: Any) -> None:
    sign_in(page, site, "katalog")
    page.get_by_role("link", name="Ny ekstern katalogpost").click()
    page.get_by_label("Id (a-z, 0-9 og bindestreg)").fill("fk-plan")
    page.get_by_label("Titel (da)").fill("Fælles Kommunal Plan")
    page.get_by_label("Beskrivelse (da)").fill("En plan, Kodeks kun linker til.")
    page.get_by_label("Regeringen og den offentlige sektor").check()
    page.get_by_label("Hjemmeside").fill("https://example.org/fk-plan")
    assert_accessible(page)
    screenshot(page, "catalogue-form")
    page.get_by_role("button", name="Gem katalogposten").click()
    page.wait_for_url(re.compile(r"/katalog/fk-plan\?besked=entry_saved"))
    assert "Katalogposten er gemt" in page.get_by_role("status").inner_text()
    assert_accessible(page)
    page.goto(site("/"))
    assert page.get_by_role("link", name="Fælles Kommunal Plan").is_visible()
