"""The installed app starts without a network (service worker) and says it is offline."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import NewPage, sign_in

pytestmark = pytest.mark.browser


@pytest.mark.feature("PAIR-4")
def test_the_shell_starts_offline(new_page: NewPage) -> None:
    page = new_page(locale="de-DE")
    sign_in(page, "ben")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now the service worker controls the page
    expect(page.get_by_test_id("app")).to_be_visible()
    assert page.evaluate("navigator.serviceWorker.controller !== null")

    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_test_id("my-name")).to_have_text("Ben Schröder")
    expect(page.get_by_test_id("connection-state")).to_contain_text("Offline")

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.get_by_test_id("connection-state")).to_be_hidden()
