"""Groups and attachments in the PWA: create a group with a picture and members, chat in it,
rename, mute, leave (GRP-1 … GRP-4, CHAT-2); files and images with a preview (CHAT-7)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage, api, shot, sign_in

pytestmark = pytest.mark.browser

MakeUser = Callable[..., dict[str, Any]]


def png(width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def use_english(page: Page) -> None:
    page.get_by_test_id("nav-settings").click()
    page.get_by_test_id("setting-language").select_option("en")
    expect(page.get_by_test_id("nav-settings")).to_have_text("Settings")
    page.get_by_test_id("nav-contacts").click()


@pytest.mark.feature("GRP-1", "GRP-2", "GRP-3", "GRP-4", "CHAT-2")
@pytest.mark.parametrize("language", ["de", "en"])
def test_a_group_is_created_used_renamed_muted_and_left(
    new_page: NewPage, make_user: MakeUser, language: str
) -> None:
    owner = make_user("Greta Gründerin")
    member = make_user("Moritz Mitglied")
    third = make_user("Tina Dritte")
    locale = "de-DE" if language == "de" else "en-US"
    page = new_page(locale=locale)
    sign_in(page, owner["login"])
    other = new_page(locale=locale)
    sign_in(other, member["login"])
    if language == "en":
        use_english(page)
        use_english(other)
    name = "Projekt Adler" if language == "de" else "Project Eagle"

    # GRP-1: name, picture, members.
    page.get_by_test_id("group-new").click()
    form = page.get_by_test_id("group-form")
    expect(form).to_be_visible()
    form.get_by_test_id("group-create").click()
    expect(form.locator(".form-error")).to_be_visible()
    form.get_by_test_id("group-name").fill(name)
    form.get_by_test_id("group-picture-input").set_input_files(
        files=[
            {"name": "adler.png", "mimeType": "image/png", "buffer": png(96, 96, (200, 120, 30))}
        ]
    )
    form.get_by_test_id("group-members-filter").fill("Moritz")
    form.get_by_test_id(f"member-option-{member['id']}").click()
    form.get_by_test_id("group-members-filter").fill("Tina")
    form.get_by_test_id(f"member-option-{third['id']}").click()
    shot(page, f"g0-group-new-{language}")
    form.get_by_test_id("group-create").click()
    expect(page.get_by_test_id("chat-title")).to_have_text(name)
    expect(page.get_by_test_id("chat-subtitle")).to_contain_text("3")
    group = next(g for g in api(page, "GET", "/api/v1/groups")["groups"] if g["name"] == name)
    assert sorted(group["member_ids"]) == sorted([owner["id"], member["id"], third["id"]])
    assert group["has_picture"] is True

    # The member's list shows the group live, with its picture.
    entry = other.get_by_test_id(f"contact-group-{group['id']}")
    expect(entry).to_contain_text(name)
    expect(entry.get_by_test_id("group-avatar")).to_have_attribute("data-picture", "true")
    other.get_by_test_id("contact-smart-groups").click()
    expect(other.get_by_test_id("contact-list").locator("li")).to_have_count(1)

    # GRP-4: the group chat; the member sees the unread count, then the message with its author.
    page.get_by_test_id("chat-input").fill("Willkommen im Team!")
    page.get_by_test_id("chat-send").click()
    expect(entry.get_by_test_id(f"contact-unread-group-{group['id']}")).to_have_text("1")
    entry.get_by_test_id("contact-open").click()
    expect(other.get_by_test_id("chat-title")).to_have_text(name)
    message = other.get_by_test_id("message").last
    expect(message.get_by_test_id("message-author")).to_have_text("Greta Gründerin")
    expect(message).to_contain_text("Willkommen im Team!")
    other.get_by_test_id("chat-input").fill("Danke!")
    other.get_by_test_id("chat-send").click()
    expect(page.get_by_test_id("message").last).to_contain_text("Danke!")
    shot(other, f"g1-group-chat-{language}")

    # GRP-2: rename through the group sheet; the member sees the new name live.
    page.get_by_test_id("chat-info").click()
    details = page.get_by_test_id("group-details")
    expect(details.get_by_test_id(f"group-member-{member['id']}")).to_be_visible()
    renamed = f"{name} 2"
    details.get_by_test_id("group-rename").fill(renamed)
    details.get_by_test_id("group-rename-save").click()
    expect(other.get_by_test_id("chat-title")).to_have_text(renamed)
    shot(page, f"g2-group-details-{language}")
    # The creator removes Tina.
    details.get_by_test_id(f"group-remove-{third['id']}").click()
    expect(details.get_by_test_id(f"group-member-{third['id']}")).to_have_count(0)
    # … and adds her again.
    details.get_by_test_id("group-add-members").click()
    adding = page.get_by_test_id("group-add")
    adding.get_by_test_id("group-add-list-filter").fill("Tina")
    adding.get_by_test_id(f"member-option-{third['id']}").click()
    adding.get_by_test_id("group-add-save").click()
    expect(details.get_by_test_id(f"group-member-{third['id']}")).to_be_visible()
    details.get_by_test_id("group-details-close").click()

    # GRP-3: the member mutes it; unread counts are still kept, shown quietly.
    other.get_by_test_id("chat-info").click()
    other_details = other.get_by_test_id("group-details")
    other_details.get_by_test_id("group-mute").check()
    expect(other.get_by_test_id("chat-subtitle")).to_contain_text(
        "stumm" if language == "de" else "muted"
    )
    other_details.get_by_test_id("group-details-close").click()
    other.get_by_test_id("chat-back").click()
    page.get_by_test_id("chat-input").fill("Noch da?")
    page.get_by_test_id("chat-send").click()
    badge = other.get_by_test_id(f"contact-unread-group-{group['id']}")
    expect(badge).to_have_text("1")
    expect(badge).to_have_attribute("data-muted", "true")

    # The member leaves: the group goes from their list; the owner's sheet shows it.
    entry.get_by_test_id("contact-open").click()
    other.get_by_test_id("chat-info").click()
    other.get_by_test_id("group-details").get_by_test_id("group-leave").click()
    other.get_by_test_id("group-leave-confirm-ok").click()
    expect(other.get_by_test_id("contacts")).to_be_visible()
    expect(entry).to_have_count(0)
    page.get_by_test_id("chat-info").click()
    expect(
        page.get_by_test_id("group-details").get_by_test_id(f"group-member-{member['id']}")
    ).to_have_count(0)


@pytest.mark.feature("CHAT-7")
def test_an_image_and_a_file_are_sent_and_shown(new_page: NewPage, make_user: MakeUser) -> None:
    sender = make_user("Sina Sender")
    receiver = make_user("Rolf Empfang")
    page = new_page(locale="de-DE")
    sign_in(page, sender["login"])
    other = new_page(locale="de-DE")
    sign_in(other, receiver["login"])
    page.get_by_test_id(f"contact-{receiver['id']}").get_by_test_id("contact-chat").click()
    expect(page.get_by_test_id("chat")).to_be_visible()

    page.get_by_test_id("chat-file").set_input_files(
        files=[
            {"name": "skizze.png", "mimeType": "image/png", "buffer": png(800, 600, (20, 90, 200))},
            {"name": "angebot.txt", "mimeType": "text/plain", "buffer": b"Angebot 4711\n"},
        ]
    )
    uploads = page.get_by_test_id("chat-upload")
    expect(uploads).to_have_count(2)
    expect(uploads.nth(0)).to_have_attribute("data-ready", "true")
    expect(uploads.nth(1)).to_have_attribute("data-ready", "true")
    page.get_by_test_id("chat-input").fill("Hier die Unterlagen")
    page.get_by_test_id("chat-send").click()
    expect(uploads).to_have_count(0)

    other.get_by_test_id(f"contact-{sender['id']}").get_by_test_id("contact-chat").click()
    message = other.get_by_test_id("message").last
    image = message.get_by_test_id("attachment-image")
    expect(image).to_have_attribute("data-loaded", "true")
    # The preview is a blob fetched with the auth header, at most 480 px wide.
    assert image.evaluate("img => img.src.startsWith('blob:')")
    other.wait_for_function(
        "img => img.complete && img.naturalWidth > 0 && img.naturalWidth <= 480",
        arg=image.element_handle(),
    )
    expect(message.get_by_test_id("attachment-file")).to_contain_text("angebot.txt")
    expect(message).to_contain_text("Hier die Unterlagen")
    shot(other, "g3-chat-attachments-de")
    # Past the size limit the server refuses (413): the file is named, nothing is sent.
    page.route(
        "**/api/v1/conversations/*/attachments*",
        lambda route: route.fulfill(
            status=413,
            json={"error": {"code": "file-too-large", "message": "too large", "details": {}}},
        ),
    )
    page.get_by_test_id("chat-file").set_input_files(
        files=[{"name": "riesig.bin", "mimeType": "application/octet-stream", "buffer": b"x" * 10}]
    )
    expect(page.get_by_test_id("toast")).to_contain_text("riesig.bin")
    expect(uploads).to_have_count(0)

    with other.expect_download() as download:
        message.get_by_test_id("attachment-file").click()
    path = download.value.path()
    with open(path, "rb") as handle:
        assert handle.read() == b"Angebot 4711\n"
    assert download.value.suggested_filename == "angebot.txt"
