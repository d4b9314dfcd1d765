"""Auto-away (CONT-3): idle clients report it, colleagues see yellow, activity brings green back."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import NewPage, api, sign_in, user_id

pytestmark = [pytest.mark.browser, pytest.mark.feature("CONT-3")]


def test_idle_turns_away_and_activity_turns_back(new_page: NewPage) -> None:
    idle = new_page(locale="de-DE")
    sign_in(idle, "david")
    watcher = new_page(locale="de-DE")
    sign_in(watcher, "clara")
    entry = watcher.get_by_test_id(f"contact-{user_id(watcher, 'david')}")
    expect(entry).to_have_attribute("data-presence", "available")

    # One second is shorter than the settings page offers; the API takes any value.
    api(idle, "PATCH", "/api/v1/me/settings", {"auto_away_seconds": 1})
    expect(entry).to_have_attribute("data-presence", "away")
    expect(watcher.get_by_test_id(f"contact-status-{user_id(watcher, 'david')}")).to_contain_text(
        "Abwesend"
    )

    idle.mouse.move(100, 300)
    idle.mouse.move(120, 320)
    expect(entry).to_have_attribute("data-presence", "available")

    api(idle, "PATCH", "/api/v1/me/settings", {"auto_away_seconds": 300})
