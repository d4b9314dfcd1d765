"""Every area at 360×740 in both languages: nothing overflows, the empty areas are friendly."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage, shot, sign_in

pytestmark = pytest.mark.browser

AREAS = ["contacts", "telephony", "journal", "phonebook", "search", "settings"]
COMING = {
    "de": {
        "telephony": "Telefonie",
        "journal": "Journal",
        "phonebook": "Telefonbuch",
        "search": "Suche",
    },
    "en": {
        "telephony": "Telephony",
        "journal": "Journal",
        "phonebook": "Phonebook",
        "search": "Search",
    },
}


def assert_fits(page: Page) -> None:
    """No horizontal scrolling; the bottom navigation is fully on screen."""
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 360, f"the page is {width}px wide"
    box = page.locator(".bottom-nav").bounding_box()
    assert box is not None and box["y"] + box["height"] <= 740


@pytest.mark.feature("CONT-1")
@pytest.mark.parametrize("language", ["de", "en"])
def test_every_area(new_page: NewPage, language: str) -> None:
    page = new_page(locale="de-DE")
    sign_in(page, "hannah" if language == "de" else "noah")
    if language == "en":
        page.get_by_test_id("nav-settings").click()
        page.get_by_test_id("setting-language").select_option("en")
        expect(page.get_by_test_id("nav-settings")).to_have_text("Settings")

    for number, area in enumerate(AREAS):
        page.get_by_test_id(f"nav-{area}").click()
        expect(page.get_by_test_id(f"nav-{area}")).to_have_attribute("aria-current", "page")
        if area in COMING[language]:
            expect(page.get_by_role("heading", level=1)).to_contain_text(COMING[language][area])
        if area == "telephony":  # the only area still to come
            expect(page.get_by_test_id("empty-state")).to_be_visible()
            expect(page.get_by_test_id("empty-state").locator("svg")).to_be_visible()
        assert_fits(page)
        shot(page, f"4{number}-{area}-{language}")

    # Areas have their own addresses: the back button and a reload keep the place.
    page.go_back()
    expect(page.get_by_test_id("nav-search")).to_have_attribute("aria-current", "page")
    page.reload()
    expect(page.get_by_test_id("nav-search")).to_have_attribute("aria-current", "page")


@pytest.mark.feature("CONT-8")
def test_compact_list_style(new_page: NewPage) -> None:
    page = new_page(locale="de-DE")
    sign_in(page, "leon")
    page.get_by_test_id("nav-settings").click()
    page.get_by_test_id("setting-list-style-compact").check()
    page.get_by_test_id("nav-contacts").click()
    expect(page.get_by_test_id("contact-list")).to_have_attribute("data-style", "compact")
    assert_fits(page)
    shot(page, "50-contacts-compact-de")
    page.get_by_test_id("nav-settings").click()
    page.get_by_test_id("setting-list-style-detailed").check()
