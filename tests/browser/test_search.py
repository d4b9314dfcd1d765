"""One search over colleagues, phonebooks and the journal: live, grouped, with actions and
recent searches."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, Route, expect

from tests.browser.conftest import NewPage, api, shot, sign_in, user_id

pytestmark = pytest.mark.browser


def search(page: Page, text: str) -> None:
    field = page.get_by_test_id("search-input")
    field.fill("")
    field.press_sequentially(text, delay=20)


@pytest.mark.feature("SRCH-1", "SRCH-2", "SRCH-3", "SRCH-5")
@pytest.mark.parametrize("language", ["de", "en"])
def test_search(new_page: NewPage, make_user: Callable[..., dict[str, Any]], language: str) -> None:
    # A fresh user: the language setting and recent searches stay out of other tests.
    login = make_user("Anna Suche" if language == "de" else "Ben Search")["login"]
    page = new_page(locale="de-DE" if language == "de" else "en-US")
    sign_in(page, login)
    if language == "en":
        page.get_by_test_id("nav-settings").click()
        page.get_by_test_id("setting-language").select_option("en")
        expect(page.get_by_test_id("nav-settings")).to_have_text("Settings")
    api(page, "DELETE", "/api/v1/search/recent")
    max_id = user_id(page, "max")
    jonas_id = user_id(page, "jonas")

    page.get_by_test_id("nav-search").click()
    expect(page.get_by_test_id("search-intro")).to_be_visible()
    expect(page.get_by_test_id("search-input")).to_be_focused()
    shot(page, f"90-search-empty-{language}")

    # Word starts, across a hyphen (SRCH-2).
    search(page, "And Muster")
    contacts = page.get_by_test_id("search-group-contact")
    expect(contacts).to_be_visible()
    max_row = page.get_by_test_id(f"search-result-contact-{max_id}")
    expect(max_row).to_contain_text("Max-Andreas Mustermann")
    shot(page, f"91-search-results-{language}")

    # Accents do not matter.
    search(page, "mull")
    expect(page.get_by_test_id(f"search-result-contact-{jonas_id}")).to_contain_text("Jonas Müller")
    expect(max_row).to_have_count(0)

    # A number, typed as people type it (SRCH-3).
    search(page, "0170 123")
    expect(page.get_by_test_id(f"search-result-contact-{max_id}")).to_be_visible()

    # The call action: telephony is not there yet, a toast says so.
    page.get_by_test_id(f"search-result-contact-{max_id}").get_by_test_id("search-action").click()
    expect(page.get_by_test_id("call-toast")).to_be_visible()

    # Opening a result shows the colleague and remembers the search (SRCH-5).
    search(page, "mull")
    page.get_by_test_id(f"search-result-contact-{jonas_id}").get_by_test_id("search-open").click()
    expect(page.get_by_test_id("contact-details")).to_contain_text("Jonas Müller")
    page.get_by_test_id("contact-details-close").click()

    # Nothing found.
    search(page, "zzqxy")
    expect(page.get_by_test_id("search-none")).to_be_visible()

    # Empty field: recent searches, newest first; a tap searches again; clear.
    page.get_by_test_id("search-input").fill("")
    recent = page.get_by_test_id("search-recent-item")
    expect(recent.first).to_have_text("mull")
    expect(recent).to_have_count(2)
    shot(page, f"92-search-recent-{language}")
    page.reload()
    expect(page.get_by_test_id("search-recent-item").first).to_have_text("mull")
    page.get_by_test_id("search-recent-item").first.click()
    expect(page.get_by_test_id(f"search-result-contact-{jonas_id}")).to_be_visible()
    page.get_by_test_id("search-input").fill("")
    page.get_by_test_id("search-recent-clear").click()
    expect(page.get_by_test_id("search-intro")).to_be_visible()
    assert api(page, "GET", "/api/v1/search/recent") == {"recent": []}


@pytest.mark.feature("SRCH-1")
def test_search_finds_phonebook_entries_and_stale_answers_are_dropped(
    new_page: NewPage,
) -> None:
    page = new_page(locale="de-DE")
    sign_in(page, "clara")
    entry = api(
        page,
        "POST",
        "/api/v1/phonebooks/private/entries",
        {
            "display_name": "Zahnarzt Dr. Quandt",
            "numbers": [{"type": "work", "number": "+4930111222"}],
        },
    )
    page.get_by_test_id("nav-search").click()

    # Slow down the answer to the first query: the later one must win.
    def slow(route: Route) -> None:
        page.wait_for_timeout(800)
        route.continue_()

    page.route("**/api/v1/search?q=Quan*", slow)
    search(page, "Quan")
    page.get_by_test_id("search-input").fill("Zahnarzt")
    row = page.get_by_test_id(f"search-result-private-phonebook-{entry['id']}")
    expect(row).to_be_visible()
    expect(page.get_by_test_id("search-group-private-phonebook")).to_be_visible()
    page.wait_for_timeout(1000)
    expect(page.get_by_test_id("search-input")).to_have_value("Zahnarzt")
    expect(row).to_be_visible()
    row.get_by_test_id("search-open").click()
    expect(page.get_by_test_id("entry-details")).to_contain_text("Zahnarzt Dr. Quandt")
    shot(page, "93-search-open-entry-de")
