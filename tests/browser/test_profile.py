"""Profile picture and password (SET-1, SET-6)."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import FilePayload, expect

from tests.browser.conftest import NewPage, shot, sign_in


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 160, 90)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.browser
@pytest.mark.feature("SET-1")
def test_upload_a_picture_then_go_back_to_initials(new_page: NewPage) -> None:
    page = new_page(locale="de-DE")
    sign_in(page, "anna")
    header_image = page.get_by_test_id("my-profile").locator("img")
    expect(header_image).to_have_attribute("src", re.compile("^blob:"))
    before = header_image.get_attribute("src")

    page.get_by_test_id("nav-settings").click()
    picture: FilePayload = {"name": "me.png", "mimeType": "image/png", "buffer": _png()}
    page.get_by_test_id("avatar-file").set_input_files(files=[picture])
    expect(page.get_by_test_id("avatar-preview")).to_be_visible()
    shot(page, "60-avatar-preview-de")
    page.get_by_test_id("avatar-upload-confirm").click()
    expect(page.get_by_test_id("avatar-preview")).to_have_count(0)
    expect(header_image).not_to_have_attribute("src", before or "")

    page.get_by_test_id("avatar-generate").click()
    expect(page.get_by_test_id("toast").last).to_contain_text("Initialen")


@pytest.mark.browser
@pytest.mark.feature("SET-6")
def test_password_change_explains_mistakes(new_page: NewPage) -> None:
    page = new_page(locale="de-DE")
    sign_in(page, "elias")
    page.get_by_test_id("nav-settings").click()
    page.get_by_test_id("change-password").click()
    sheet = page.get_by_test_id("password-sheet")

    sheet.get_by_test_id("password-current").fill("teamline")
    sheet.get_by_test_id("password-new").fill("short")
    sheet.get_by_test_id("password-repeat").fill("short")
    sheet.get_by_test_id("password-submit").click()
    expect(sheet.get_by_test_id("password-error")).to_contain_text("mindestens 8 Zeichen")

    sheet.get_by_test_id("password-current").fill("not my password")
    sheet.get_by_test_id("password-new").fill("a much longer one")
    sheet.get_by_test_id("password-repeat").fill("a much longer one")
    sheet.get_by_test_id("password-submit").click()
    expect(sheet.get_by_test_id("password-error")).to_have_text(
        "Das aktuelle Passwort ist nicht richtig."
    )
    shot(page, "61-password-error-de")
    expect(page.get_by_test_id("app")).to_be_visible()  # still signed in
