"""Sign-in and sign-out in the browser (PAIR-7)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import NewPage, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.feature("PAIR-7")]


def test_sign_in_in_german_and_sign_out(new_page: NewPage) -> None:
    page = new_page(locale="de-DE")
    page.goto("/")
    expect(page.get_by_test_id("signin")).to_be_visible()
    expect(page.get_by_text("Benutzername", exact=True)).to_be_visible()
    expect(page.get_by_test_id("signin-submit")).to_have_text("Anmelden")
    shot(page, "01-signin-de")

    sign_in(page, "jonas")
    expect(page.get_by_test_id("my-name")).to_have_text("Jonas Müller")
    expect(page.get_by_test_id("nav-contacts")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("heading", name="Kontakte")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/contacts$"))

    page.get_by_test_id("nav-settings").click()
    page.get_by_test_id("sign-out").click()
    page.get_by_test_id("sign-out-confirm-ok").click()
    expect(page.get_by_test_id("signin")).to_be_visible()
    assert page.evaluate("localStorage.getItem('teamline.token')") is None

    page.reload()
    expect(page.get_by_test_id("signin")).to_be_visible()


def test_wrong_password_shows_an_error(new_page: NewPage) -> None:
    page = new_page(locale="de-DE")
    page.goto("/")
    page.get_by_test_id("signin-login").fill("lea")
    page.get_by_test_id("signin-password").fill("not-the-password")
    page.get_by_test_id("signin-submit").click()
    expect(page.get_by_test_id("signin-error")).to_have_text(
        "Benutzername oder Passwort ist nicht richtig."
    )
    expect(page.get_by_test_id("app")).to_have_count(0)
    shot(page, "02-signin-error-de")


def test_a_session_survives_a_reload(new_page: NewPage) -> None:
    page = new_page(locale="de-DE")
    sign_in(page, "lena")
    page.reload()
    expect(page.get_by_test_id("my-name")).to_have_text("Lena Richter")
    expect(page.get_by_test_id("connection-state")).to_be_hidden()


def test_too_many_attempts_counts_down(new_page: NewPage) -> None:
    # The server's limiter would lock this address for every later test; answer like it instead.
    page = new_page(locale="de-DE")
    page.route(
        "**/api/v1/sessions",
        lambda route: route.fulfill(
            status=429,
            headers={"Retry-After": "2"},
            json={"error": {"code": "too-many-attempts", "message": "Slow down", "details": {}}},
        ),
    )
    page.goto("/")
    page.get_by_test_id("signin-login").fill("admin")
    page.get_by_test_id("signin-password").fill("guess")
    page.get_by_test_id("signin-submit").click()
    expect(page.get_by_test_id("signin-error")).to_have_text(
        re.compile(r"Zu viele Versuche\. Bitte in [12] s erneut versuchen\.")
    )
    expect(page.get_by_test_id("signin-submit")).to_be_disabled()
    expect(page.get_by_test_id("signin-submit")).to_be_enabled()
