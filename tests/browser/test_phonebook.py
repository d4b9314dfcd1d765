"""The phonebook area: company entries by a phonebook manager, private entries, star, import."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import FilePayload, Locator, Page, expect

from tests.browser.conftest import NewPage, api, shot, sign_in

pytestmark = pytest.mark.browser


def unique(name: str) -> str:
    return f"{name} {int(time.time() * 1000) % 10_000_000}"


def open_phonebook(page: Page, book: str = "company") -> None:
    page.get_by_test_id("nav-phonebook").click()
    expect(page.get_by_test_id("phonebook")).to_be_visible()
    page.get_by_test_id(f"phonebook-book-{book}").check(force=True)
    expect(page.get_by_test_id("phonebook-list")).to_have_attribute("data-book", book)


def use_english(page: Page) -> None:
    """Switches the signed-in (fresh) user to English."""
    page.get_by_test_id("nav-settings").click()
    page.get_by_test_id("setting-language").select_option("en")
    expect(page.get_by_test_id("nav-settings")).to_have_text("Settings")


def entry_row(page: Page, name: str) -> Locator:
    return page.get_by_test_id("phonebook-list").locator("li", has_text=name)


@pytest.mark.feature("BOOK-1", "BOOK-4", "BOOK-5")
def test_manager_keeps_the_company_book(
    new_page: NewPage, make_user: Callable[..., dict[str, Any]]
) -> None:
    name = unique("Praxis Sonnenschein")
    page = new_page(locale="de-DE")
    sign_in(page, "lea")
    open_phonebook(page)
    shot(page, "70-phonebook-company-de")

    page.get_by_test_id("phonebook-add").click()
    form = page.get_by_test_id("entry-form-sheet")
    expect(form).to_be_visible()
    page.get_by_test_id("entry-save").click()
    expect(page.get_by_test_id("entry-error-display_name")).to_be_visible()
    page.get_by_test_id("entry-display-name").fill(name)
    page.get_by_test_id("entry-organisation").fill("Praxis Sonnenschein GmbH")
    page.get_by_test_id("entry-number-0").fill("089 123456")
    page.get_by_test_id("entry-add-number").click()
    page.get_by_test_id("entry-number-type-1").select_option("mobile")
    page.get_by_test_id("entry-number-1").fill("0151 23456789")
    page.get_by_test_id("entry-email").fill("praxis@sonnenschein.example")
    page.get_by_test_id("entry-labels-input").fill("Kundennr.: 4711")
    shot(page, "71-phonebook-new-entry-de")
    page.get_by_test_id("entry-save").click()
    expect(form).to_be_hidden()

    row = entry_row(page, name)
    expect(row).to_be_visible()
    expect(row).to_contain_text("Praxis Sonnenschein GmbH")

    # Details: numbers as the server formats them, labels; then edit.
    row.locator(".contact-button").click()
    details = page.get_by_test_id("entry-details")
    expect(details).to_be_visible()
    expect(page.get_by_test_id("entry-numbers")).to_contain_text("3456789")
    expect(page.get_by_test_id("entry-labels")).to_contain_text("Kundennr.: 4711")
    shot(page, "72-phonebook-entry-de")
    page.get_by_test_id("entry-call-0").click()
    expect(page.get_by_test_id("call-toast")).to_contain_text("Telefonie")
    page.get_by_test_id("entry-edit").click()
    expect(page.get_by_test_id("entry-display-name")).to_have_value(name)
    page.get_by_test_id("entry-display-name").fill(f"{name} (neu)")
    page.get_by_test_id("entry-save").click()
    expect(page.get_by_test_id("entry-form-sheet")).to_be_hidden()
    expect(entry_row(page, f"{name} (neu)")).to_be_visible()

    # Star it: it becomes a favourite on the server.
    star = entry_row(page, name).locator(".star-btn")
    with page.expect_response(lambda r: "/api/v1/contacts/favorites/" in r.url):
        star.click()
    expect(entry_row(page, name).locator(".star-btn")).to_have_attribute("aria-pressed", "true")
    favorites = api(page, "GET", "/api/v1/contacts/favorites")["favorites"]
    entry_id = entry_row(page, name).get_attribute("data-testid").removeprefix("entry-")  # type: ignore[union-attr]
    assert {"kind": "phonebook-entry", "id": entry_id} in favorites
    page.reload()
    expect(entry_row(page, name).locator(".star-btn")).to_have_attribute("aria-pressed", "true")

    # A normal user sees the entry but no way to change it.
    other = new_page(locale="en-US")
    sign_in(other, make_user("Paul Reader")["login"])
    use_english(other)
    open_phonebook(other)
    expect(entry_row(other, name)).to_be_visible()
    expect(other.get_by_test_id("phonebook-add")).to_have_count(0)
    expect(other.get_by_test_id("phonebook-import")).to_have_count(0)
    entry_row(other, name).locator(".contact-button").click()
    expect(other.get_by_test_id("entry-details")).to_be_visible()
    expect(other.get_by_test_id("entry-edit")).to_have_count(0)
    expect(other.get_by_test_id("entry-delete")).to_have_count(0)
    shot(other, "73-phonebook-entry-readonly-en")
    other.get_by_test_id("entry-details-close").click()

    # Delete it (with confirmation); the other user's list follows.
    entry_row(page, name).locator(".contact-button").click()
    page.get_by_test_id("entry-delete").click()
    page.get_by_test_id("entry-delete-confirm-ok").click()
    expect(entry_row(page, name)).to_have_count(0)
    other.reload()
    open_phonebook(other)
    expect(other.get_by_test_id("phonebook-list")).to_be_attached()
    expect(entry_row(other, name)).to_have_count(0)


@pytest.mark.feature("BOOK-2")
def test_private_entries_stay_private(
    new_page: NewPage, make_user: Callable[..., dict[str, Any]]
) -> None:
    name = unique("Tante Inge")
    page = new_page(locale="en-US")
    sign_in(page, make_user("Sophie Private")["login"])
    use_english(page)
    open_phonebook(page, "private")
    page.get_by_test_id("phonebook-add").click()
    page.get_by_test_id("entry-first-name").fill("Inge")
    page.get_by_test_id("entry-display-name").fill(name)
    page.get_by_test_id("entry-number-0").fill("+49 40 5550000")
    page.get_by_test_id("entry-save").click()
    expect(entry_row(page, name)).to_be_visible()
    shot(page, "74-phonebook-private-en")

    other = new_page(locale="de-DE", color_scheme="dark")
    sign_in(other, "lukas")
    open_phonebook(other, "private")
    expect(other.get_by_test_id("phonebook-empty")).to_be_visible()
    expect(entry_row(other, name)).to_have_count(0)
    other.get_by_test_id("phonebook-book-company").check(force=True)
    expect(other.get_by_test_id("phonebook-count")).to_have_text(re.compile(r"^\d+$"))
    expect(entry_row(other, name)).to_have_count(0)
    shot(other, "75-phonebook-private-empty-dark-de")


VCARD = """BEGIN:VCARD
VERSION:3.0
FN:Importierte Person {tag}
N:Person;Importierte;;;
ORG:Import AG
TEL;TYPE=WORK:+49 30 9876543
EMAIL:person@import.example
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Zweite Importierte {tag}
TEL;TYPE=CELL:0160 1112223
END:VCARD
BEGIN:VCARD
VERSION:3.0
N:;;;;
END:VCARD
"""


@pytest.mark.feature("BOOK-2")
@pytest.mark.parametrize("language", ["de", "en"])
def test_import_a_vcard_file(
    new_page: NewPage, make_user: Callable[..., dict[str, Any]], language: str
) -> None:
    tag = unique(language)
    page = new_page(locale="de-DE" if language == "de" else "en-US")
    sign_in(page, make_user(f"Import {language}")["login"])
    if language == "en":
        use_english(page)
    open_phonebook(page, "private")
    page.get_by_test_id("phonebook-import").click()
    expect(page.get_by_test_id("import-sheet")).to_be_visible()
    vcard: FilePayload = {
        "name": "kontakte.vcf",
        "mimeType": "text/vcard",
        "buffer": VCARD.format(tag=tag).encode(),
    }
    page.get_by_test_id("import-file").set_input_files(files=[vcard])
    counts = page.get_by_test_id("import-counts")
    expect(counts).to_contain_text("2")
    expect(page.get_by_test_id("import-errors")).to_be_visible()
    shot(page, f"76-phonebook-import-{language}")
    page.get_by_test_id("import-sheet-close").click()
    expect(entry_row(page, f"Importierte Person {tag}")).to_be_visible()
    expect(entry_row(page, f"Zweite Importierte {tag}")).to_be_visible()
