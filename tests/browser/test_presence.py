"""Presence set by one colleague shows up live at another (CONT-1, CONT-2)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import NewPage, shot, sign_in, user_id

pytestmark = pytest.mark.browser


@pytest.mark.feature("CONT-1")
@pytest.mark.feature("CONT-2")
def test_do_not_disturb_with_a_text_reaches_a_colleague_live(new_page: NewPage) -> None:
    max_page = new_page(locale="de-DE")
    sign_in(max_page, "max")
    erika_page = new_page(locale="de-DE")
    sign_in(erika_page, "erika")
    max_id = user_id(erika_page, "max")
    entry = erika_page.get_by_test_id(f"contact-{max_id}")
    expect(entry).to_have_attribute("data-presence", "available")

    max_page.get_by_test_id("my-profile").click()
    picker = max_page.get_by_test_id("presence-picker")
    expect(picker).to_be_visible()
    picker.get_by_test_id("presence-option-dnd").click()
    picker.get_by_test_id("presence-text").fill("Kundentermin bis 15 Uhr")
    shot(max_page, "10-presence-picker-de")
    picker.get_by_test_id("presence-save").click()
    expect(picker).to_have_count(0)
    expect(max_page.get_by_test_id("my-status")).to_have_text("Kundentermin bis 15 Uhr")
    expect(max_page.get_by_test_id("my-profile")).to_have_attribute("data-presence", "dnd")

    # Erika's list changes without a reload.
    expect(entry).to_have_attribute("data-presence", "dnd")
    expect(erika_page.get_by_test_id(f"contact-status-{max_id}")).to_contain_text(
        "Kundentermin bis 15 Uhr"
    )
    entry.scroll_into_view_if_needed()
    shot(erika_page, "11-contacts-live-dnd-de")

    max_page.get_by_test_id("my-profile").click()
    max_page.get_by_test_id("presence-option-available").click()
    max_page.get_by_test_id("presence-text").fill("")
    max_page.get_by_test_id("presence-save").click()
    expect(entry).to_have_attribute("data-presence", "available")


@pytest.mark.feature("CONT-6")
def test_the_filter_matches_word_parts(new_page: NewPage) -> None:
    page = new_page(locale="de-DE")
    sign_in(page, "emma")
    max_id = user_id(page, "max")
    erika_id = user_id(page, "erika")
    page.get_by_test_id("contact-filter").fill("And Muster")
    expect(page.get_by_test_id(f"contact-{max_id}")).to_be_visible()
    expect(page.get_by_test_id(f"contact-{erika_id}")).to_have_count(0)
    expect(page.get_by_test_id("contact-list").locator("li")).to_have_count(1)

    page.get_by_test_id("contact-filter").fill("mann")
    expect(page.get_by_test_id("contacts-empty")).to_be_visible()
    page.get_by_test_id("contacts-clear-filter").click()
    expect(page.get_by_test_id(f"contact-{erika_id}")).to_be_visible()
