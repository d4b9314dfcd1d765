"""Language and theme (SET-7): English before and after sign-in, dark theme."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import NewPage, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.feature("SET-7")]


def test_english_browser_and_dark_theme(new_page: NewPage) -> None:
    page = new_page(locale="en-US")
    page.goto("/")
    expect(page.get_by_test_id("signin-submit")).to_have_text("Sign in")
    expect(page.get_by_text("Username", exact=True)).to_be_visible()

    sign_in(page, "sophie")
    # Sophie's saved language (German by default) wins after sign-in; switch to English.
    page.get_by_test_id("nav-settings").click()
    page.get_by_test_id("setting-language").select_option("en")
    expect(page.get_by_role("heading", name="Settings")).to_be_visible()
    expect(page.get_by_test_id("nav-contacts").locator(".nav-label")).to_have_text("Contacts")
    assert page.evaluate("document.documentElement.lang") == "en"

    page.get_by_test_id("setting-theme-dark").check()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(13, 17, 23)"
    shot(page, "30-settings-dark-en")

    # The choice is saved on the server: a new sign-in elsewhere comes up dark and English.
    other = new_page(locale="de-DE")
    sign_in(other, "sophie")
    expect(other.locator("html")).to_have_attribute("data-theme", "dark")
    expect(other.get_by_test_id("nav-contacts").locator(".nav-label")).to_have_text("Contacts")
    shot(other, "31-contacts-dark-en")

    # Settings changed on one device apply live on the other (settings.changed).
    page.get_by_test_id("setting-theme-light").check()
    expect(other.locator("html")).to_have_attribute("data-theme", "light")
    page.get_by_test_id("setting-language").select_option("de")
    expect(other.get_by_test_id("nav-contacts").locator(".nav-label")).to_have_text("Kontakte")


def test_system_theme_follows_the_browser(new_page: NewPage) -> None:
    page = new_page(locale="de-DE", color_scheme="dark")
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    shot(page, "32-signin-dark-de")
