"""Pairing a mobile with a QR code link, and unpairing it (PAIR-1 … PAIR-3, PAIR-6)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import NewPage, shot, sign_in

pytestmark = pytest.mark.browser


@pytest.mark.feature("PAIR-1")
@pytest.mark.feature("PAIR-3")
@pytest.mark.feature("PAIR-6")
def test_pair_a_mobile_then_unpair_it(new_page: NewPage) -> None:
    desktop = new_page(locale="de-DE")
    sign_in(desktop, "paul")
    desktop.get_by_test_id("nav-settings").click()
    desktop.get_by_test_id("pair-mobile").click()
    desktop.get_by_test_id("pair-password").fill("teamline")
    desktop.get_by_test_id("pair-continue").click()

    link = desktop.get_by_test_id("pairing-url")
    expect(link).to_be_visible()
    expect(desktop.get_by_test_id("pairing-countdown")).to_have_text(re.compile(r"[45]:\d\d"))
    expect(desktop.get_by_test_id("pairing-qr")).to_have_attribute("src", re.compile("^blob:"))
    url = link.get_attribute("href")
    assert url and "/pair#" in url
    shot(desktop, "20-pair-qr-de")

    mobile = new_page(locale="de-DE")
    mobile.goto(url)
    expect(mobile.get_by_test_id("pairing-page")).to_be_visible()
    shot(mobile, "21-pair-mobile-number-de")
    mobile.get_by_test_id("pair-mobile-number").fill("0170 1234567")
    mobile.get_by_test_id("pair-submit").click()
    expect(mobile.get_by_test_id("my-name")).to_have_text("Paul Schneider")
    expect(mobile).to_have_url(re.compile(r"/contacts$"))
    mobile_device = mobile.evaluate("localStorage.getItem('teamline.device')")
    assert mobile_device

    # The desktop learns of the pairing through the event socket: sheet closed, device listed.
    expect(desktop.get_by_test_id("pair-sheet")).to_have_count(0)
    expect(desktop.get_by_test_id("pair-success")).to_be_visible()
    device = desktop.get_by_test_id(f"device-{mobile_device}")
    expect(device).to_be_visible()
    expect(device).to_have_attribute("data-kind", "mobile")
    shot(desktop, "22-devices-after-pairing-de")

    desktop.get_by_test_id(f"device-unpair-{mobile_device}").click()
    desktop.get_by_test_id("unpair-confirm-ok").click()
    expect(device).to_have_count(0)

    # The mobile is signed out at once, without a reload.
    expect(mobile.get_by_test_id("signin")).to_be_visible()
    expect(mobile.get_by_test_id("signin-notice")).to_contain_text("entkoppelt")
    assert mobile.evaluate("localStorage.getItem('teamline.token')") is None
    shot(mobile, "23-mobile-unpaired-de")


@pytest.mark.feature("PAIR-1")
def test_a_wrong_password_does_not_show_a_code(new_page: NewPage) -> None:
    page = new_page(locale="de-DE")
    sign_in(page, "felix")
    page.get_by_test_id("nav-settings").click()
    page.get_by_test_id("pair-mobile").click()
    page.get_by_test_id("pair-password").fill("wrong password")
    page.get_by_test_id("pair-continue").click()
    expect(page.get_by_test_id("pair-error")).to_have_text("Das Passwort ist nicht richtig.")
    expect(page.get_by_test_id("pairing-url")).to_have_count(0)
    # Felix is still signed in: a wrong password in a form is not an expired session.
    expect(page.get_by_test_id("app")).to_be_visible()


@pytest.mark.feature("PAIR-2")
def test_regenerate_replaces_the_code(new_page: NewPage) -> None:
    page = new_page(locale="en-US")
    sign_in(page, "mia")
    page.get_by_test_id("nav-settings").click()
    page.get_by_test_id("pair-mobile").click()
    page.get_by_test_id("pair-password").fill("teamline")
    page.get_by_test_id("pair-continue").click()
    first = page.get_by_test_id("pairing-url").get_attribute("href")
    page.get_by_test_id("pairing-regenerate").click()
    expect(page.get_by_test_id("pairing-url")).not_to_have_attribute("href", first or "")
    assert first

    mobile = new_page(locale="en-US")
    mobile.goto(first)
    mobile.get_by_test_id("pair-submit").click()
    expect(mobile.get_by_test_id("pair-error")).to_contain_text("expired")
    expect(mobile.get_by_test_id("pair-new-code")).to_be_visible()
    shot(mobile, "24-pair-expired-en")


@pytest.mark.feature("PAIR-3")
def test_a_bad_mobile_number_is_explained(new_page: NewPage) -> None:
    desktop = new_page(locale="en-US")
    sign_in(desktop, "lukas")
    desktop.get_by_test_id("nav-settings").click()
    desktop.get_by_test_id("pair-mobile").click()
    desktop.get_by_test_id("pair-password").fill("teamline")
    desktop.get_by_test_id("pair-continue").click()
    url = desktop.get_by_test_id("pairing-url").get_attribute("href")
    assert url

    mobile = new_page(locale="en-US")
    mobile.goto("/pair")
    shot(mobile, "25-pair-scan-en")
    mobile.get_by_test_id("pair-link-input").fill(url)
    mobile.get_by_test_id("pair-link-submit").click()
    mobile.get_by_test_id("pair-mobile-number").fill("12")
    mobile.get_by_test_id("pair-submit").click()
    expect(mobile.get_by_test_id("pair-number-error")).to_be_visible()
    shot(mobile, "26-pair-bad-number-en")
    mobile.get_by_test_id("pair-mobile-number").fill("")
    mobile.get_by_test_id("pair-submit").click()
    expect(mobile.get_by_test_id("my-name")).to_have_text("Lukas Weber")


@pytest.mark.feature("PAIR-2")
def test_an_expired_code_is_replaced_by_itself(new_page: NewPage) -> None:
    page = new_page(locale="de-DE")
    page.clock.install()
    sign_in(page, "admin")
    page.get_by_test_id("nav-settings").click()
    page.get_by_test_id("pair-mobile").click()
    page.get_by_test_id("pair-password").fill("teamline")
    page.get_by_test_id("pair-continue").click()
    view = page.get_by_test_id("pairing-view")
    first = view.get_attribute("data-pairing-id")
    assert first
    page.clock.fast_forward("05:01")
    expect(view).not_to_have_attribute("data-pairing-id", first)
    expect(page.get_by_test_id("pairing-countdown")).to_have_text(re.compile(r"[45]:\d\d"))
