"""Preferences are saved to the account and take effect at once (SET-2…5)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import NewPage, api, sign_in

pytestmark = pytest.mark.browser


@pytest.mark.feature("SET-2", "SET-3", "SET-4", "SET-5")
def test_preferences_are_saved_and_survive_a_reload(new_page: NewPage) -> None:
    page = new_page(locale="de-DE")
    sign_in(page, "clara")
    page.get_by_test_id("nav-settings").click()
    page.get_by_test_id("setting-contact-sort").select_option("status")
    page.get_by_test_id("setting-list-style-compact").check()
    page.get_by_test_id("setting-auto-away").select_option("0")
    page.get_by_test_id("setting-hide-system-calls").check()
    expected = {
        "contact_sort": "status",
        "list_style": "compact",
        "auto_away_seconds": 0,
        "hide_system_calls": True,
    }
    page.wait_for_function(
        """async (want) => {
            const token = localStorage.getItem('teamline.token');
            const headers = {Authorization: `Bearer ${token}`};
            const s = await (await fetch('/api/v1/me/settings', {headers})).json();
            return Object.entries(want).every(([k, v]) => s[k] === v);
        }""",
        arg=expected,
    )
    page.reload()
    page.get_by_test_id("nav-settings").click()
    expect(page.get_by_test_id("setting-contact-sort")).to_have_value("status")
    expect(page.get_by_test_id("setting-auto-away")).to_have_value("0")
    expect(page.get_by_test_id("setting-hide-system-calls")).to_be_checked()
    expect(page.get_by_test_id("setting-list-style-compact")).to_be_checked()
    settings = api(page, "GET", "/api/v1/me/settings")
    assert {k: settings[k] for k in expected} == expected
