"""The messenger in the PWA: two people chat live, unread counts rise and clear, receipts,
typing, edit/delete/react, history paging, links and numbers, drafts (CHAT-1 … CHAT-8)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, Route, expect

from tests.browser.conftest import NewPage, api, shot, sign_in

pytestmark = pytest.mark.browser

MakeUser = Callable[..., dict[str, Any]]


def use_english(page: Page) -> None:
    page.get_by_test_id("nav-settings").click()
    page.get_by_test_id("setting-language").select_option("en")
    expect(page.get_by_test_id("nav-settings")).to_have_text("Settings")
    page.get_by_test_id("nav-contacts").click()


def open_chat_with(page: Page, user_id: str) -> None:
    """Starts the chat from the colleague's quick action in the contact list."""
    page.get_by_test_id(f"contact-{user_id}").get_by_test_id("contact-chat").click()
    expect(page.get_by_test_id("chat")).to_be_visible()
    expect(page.get_by_test_id("chat-older")).not_to_contain_text("…")


def send(page: Page, text: str) -> None:
    page.get_by_test_id("chat-input").fill(text)
    page.get_by_test_id("chat-send").click()
    expect(last_message(page)).to_contain_text(text)


def last_message(page: Page) -> Any:
    return page.get_by_test_id("message").last


Pair = tuple[Page, dict[str, Any], Page, dict[str, Any]]


UNREAD_ZERO = """async () => {
    const headers = {Authorization: `Bearer ${localStorage.getItem('teamline.token')}`};
    const r = await (await fetch('/api/v1/conversations', {headers})).json();
    return r.unread_total === 0;
}"""


def unread_total(page: Page) -> int:
    return int(api(page, "GET", "/api/v1/conversations")["unread_total"])


def two_people(new_page: NewPage, make_user: MakeUser, english: bool = False) -> Pair:
    anna = make_user("Anna Absender")
    bernd = make_user("Bernd Empfänger")
    locale = "en-US" if english else "de-DE"
    # The English run shows the sender in the dark theme.
    anna_page = new_page(locale=locale, color_scheme="dark" if english else "light")
    sign_in(anna_page, anna["login"])
    bernd_page = new_page(locale=locale)
    # Records what the app puts on its icon (Badging API).
    bernd_page.add_init_script(
        "navigator.setAppBadge = (n) => { window.badge = n; return Promise.resolve(); };"
        "navigator.clearAppBadge = () => { window.badge = 0; return Promise.resolve(); };"
    )
    sign_in(bernd_page, bernd["login"])
    if english:
        use_english(anna_page)
        use_english(bernd_page)
    return anna_page, anna, bernd_page, bernd


@pytest.mark.feature("CHAT-1", "CHAT-3", "CHAT-4", "CHAT-5", "CHAT-8", "CONT-5")
@pytest.mark.parametrize("language", ["de", "en"])
def test_two_colleagues_chat_live_and_unread_counts_clear(
    new_page: NewPage, make_user: MakeUser, language: str
) -> None:
    anna_page, anna, bernd_page, bernd = two_people(new_page, make_user, english=language == "en")

    open_chat_with(anna_page, bernd["id"])
    expect(anna_page).to_have_url(re.compile(r"/chat/[0-9a-f]{24}$"))
    expect(anna_page.get_by_test_id("chat-title")).to_have_text("Bernd Empfänger")
    expect(anna_page.get_by_test_id("chat-empty")).to_be_visible()
    send(anna_page, "Hallo Bernd, hast du kurz Zeit?")
    expect(last_message(anna_page)).to_have_attribute("data-state", "stored")

    # Bernd's list shows the unread message live: on Anna's entry, on his avatar, on the tab.
    entry = bernd_page.get_by_test_id(f"contact-{anna['id']}")
    expect(entry.get_by_test_id(f"contact-unread-{anna['id']}")).to_have_text("1")
    expect(bernd_page.get_by_test_id("chat-notice")).to_contain_text("Hallo Bernd")
    expect(bernd_page.get_by_test_id("my-unread")).to_have_text("1")
    expect(bernd_page.get_by_test_id("contacts-unread-badge")).to_have_attribute("data-count", "1")
    send(anna_page, "Es geht um das Angebot.")
    expect(entry.get_by_test_id(f"contact-unread-{anna['id']}")).to_have_text("2")
    expect(bernd_page.get_by_test_id("my-unread")).to_have_text("2")
    bernd_page.wait_for_function("window.badge === 2")
    assert bernd_page.evaluate("document.scrollingElement.scrollWidth") <= 360
    shot(bernd_page, f"c0-contacts-unread-{language}")

    # In-app notification (CHAT-4); a tap opens the conversation, which reads it: the counts go,
    # on this device and in the server.
    notice = bernd_page.get_by_test_id("chat-notice")
    expect(notice).to_contain_text("Es geht um das Angebot.")
    notice.click()
    expect(bernd_page.get_by_test_id("chat-title")).to_have_text("Anna Absender")
    expect(bernd_page.get_by_test_id("message")).to_have_count(2)
    expect(last_message(bernd_page)).to_contain_text("Es geht um das Angebot.")
    bernd_page.wait_for_function(UNREAD_ZERO)
    bernd_page.wait_for_function("window.badge === 0")
    # Anna sees her messages read (CHAT-8 receipts).
    expect(last_message(anna_page).get_by_test_id("message-receipt")).to_have_attribute(
        "data-receipt", "read"
    )

    # Typing shows at the other end, then the answer arrives live.
    bernd_page.get_by_test_id("chat-input").press_sequentially("Kla", delay=30)
    expect(anna_page.get_by_test_id("chat-typing")).to_contain_text("Bernd")
    bernd_page.get_by_test_id("chat-input").fill("Klar, ruf mich unter 0170 1234567 an.")
    bernd_page.get_by_test_id("chat-input").press("Enter")
    expect(last_message(anna_page)).to_contain_text("Klar, ruf mich")
    expect(anna_page.get_by_test_id("chat-typing")).to_be_hidden()
    # Anna has the chat open and in front: nothing stays unread for her.
    expect(anna_page.get_by_test_id("my-unread")).to_be_hidden()
    shot(anna_page, f"c1-chat-{language}")
    shot(bernd_page, f"c2-chat-reply-{language}")

    # Back to the list: no unread marks left.
    bernd_page.get_by_test_id("chat-back").click()
    expect(bernd_page.get_by_test_id("contacts")).to_be_visible()
    expect(entry.get_by_test_id(f"contact-unread-{anna['id']}")).to_have_count(0)
    expect(bernd_page.get_by_test_id("my-unread")).to_be_hidden()


@pytest.mark.feature("CHAT-3", "CHAT-5")
def test_reading_on_one_device_clears_the_count_on_the_other(
    new_page: NewPage, make_user: MakeUser
) -> None:
    anna_page, anna, bernd_page, bernd = two_people(new_page, make_user)
    bernd_phone = new_page(locale="de-DE")
    sign_in(bernd_phone, bernd["login"])
    open_chat_with(anna_page, bernd["id"])
    send(anna_page, "Zweites Gerät?")
    expect(bernd_phone.get_by_test_id("my-unread")).to_have_text("1")
    expect(bernd_page.get_by_test_id("my-unread")).to_have_text("1")
    open_chat_with(bernd_page, anna["id"])
    expect(bernd_phone.get_by_test_id("my-unread")).to_be_hidden()
    expect(
        bernd_phone.get_by_test_id(f"contact-{anna['id']}").get_by_test_id(
            f"contact-unread-{anna['id']}"
        )
    ).to_have_count(0)


@pytest.mark.feature("CHAT-8")
def test_edit_delete_and_react(new_page: NewPage, make_user: MakeUser) -> None:
    anna_page, anna, bernd_page, bernd = two_people(new_page, make_user)
    open_chat_with(anna_page, bernd["id"])
    send(anna_page, "Treffen um 15 Uhr")
    open_chat_with(bernd_page, anna["id"])
    theirs = last_message(bernd_page)
    expect(theirs).to_contain_text("Treffen um 15 Uhr")

    # Edit through the message menu (right-click stands for the long press).
    mine = last_message(anna_page)
    mine.locator(".bubble").click(button="right")
    menu = anna_page.get_by_test_id("message-menu")
    expect(menu).to_be_visible()
    shot(anna_page, "c3-message-menu-de")
    menu.get_by_test_id("message-edit").click()
    expect(anna_page.get_by_test_id("chat-editing")).to_be_visible()
    expect(anna_page.get_by_test_id("chat-input")).to_have_value("Treffen um 15 Uhr")
    anna_page.get_by_test_id("chat-input").fill("Treffen um 16 Uhr")
    anna_page.get_by_test_id("chat-send").click()
    expect(theirs.get_by_test_id("message-text")).to_have_text("Treffen um 16 Uhr")
    expect(theirs.get_by_test_id("message-edited")).to_be_visible()
    expect(mine.get_by_test_id("message-edited")).to_be_visible()

    # Bernd reacts; Anna sees it.
    theirs.locator(".bubble").click(button="right")
    bernd_page.get_by_test_id("message-menu").get_by_test_id("react-0").click()
    reaction = mine.get_by_test_id("message-reaction")
    expect(reaction).to_have_text("👍 1")
    expect(theirs.get_by_test_id("message-reaction")).to_have_attribute("aria-pressed", "true")
    # Bernd's menu has no edit or delete for Anna's message.
    theirs.locator(".bubble").click(button="right")
    expect(bernd_page.get_by_test_id("message-menu").get_by_test_id("message-edit")).to_have_count(
        0
    )
    bernd_page.get_by_test_id("message-menu-close").click()
    # A tap on the reaction takes it back.
    theirs.get_by_test_id("message-reaction").click()
    expect(reaction).to_have_count(0)

    # Anna deletes; it goes for both.
    mine.locator(".bubble").click(button="right")
    anna_page.get_by_test_id("message-menu").get_by_test_id("message-delete").click()
    anna_page.get_by_test_id("message-delete-confirm-ok").click()
    expect(theirs.get_by_test_id("message-deleted")).to_be_visible()
    expect(mine.get_by_test_id("message-deleted")).to_be_visible()
    expect(theirs.get_by_test_id("message-text")).to_have_count(0)


@pytest.mark.feature("CHAT-6")
def test_history_pages_and_links_and_numbers(new_page: NewPage, make_user: MakeUser) -> None:
    anna_page, _, bernd_page, bernd = two_people(new_page, make_user)
    conversation = api(anna_page, "POST", "/api/v1/conversations", {"user_id": bernd["id"]})
    for n in range(1, 71):
        api(
            anna_page,
            "POST",
            f"/api/v1/conversations/{conversation['id']}/messages",
            {"text": f"Nachricht {n}", "client_id": f"seed-{n}"},
        )
    api(
        anna_page,
        "POST",
        f"/api/v1/conversations/{conversation['id']}/messages",
        {"text": "Details: https://example.org/angebot?id=7. Oder +49 30 1234567 anrufen."},
    )
    # The address a push notification opens.
    bernd_page.goto(f"/#/chat/{conversation['id']}")
    expect(bernd_page.get_by_test_id("chat")).to_be_visible()
    expect(bernd_page).to_have_url(re.compile(rf"/chat/{conversation['id']}$"))
    messages = bernd_page.get_by_test_id("message")
    expect(messages).to_have_count(50)
    link = last_message(bernd_page).get_by_test_id("message-link")
    expect(link).to_have_attribute("href", "https://example.org/angebot?id=7")
    expect(link).to_have_attribute("target", "_blank")
    phone = last_message(bernd_page).get_by_test_id("message-phone")
    expect(phone).to_have_text("+49 30 1234567")
    phone.click()
    expect(bernd_page.get_by_test_id("call-toast")).to_contain_text("+49301234567")

    # Scrolling up loads the older page; the message being read stays in place.
    expect(messages.first.get_by_test_id("message-text")).to_have_text("Nachricht 22")
    bernd_page.get_by_test_id("chat-messages").evaluate("el => { el.scrollTop = 0; }")
    expect(messages).to_have_count(71)
    expect(messages.first.get_by_test_id("message-text")).to_have_text("Nachricht 1")
    expect(bernd_page.get_by_test_id("chat-older")).to_contain_text("Hier beginnt")
    kept = messages.filter(has_text="Nachricht 22").first.bounding_box()
    assert kept is not None and 0 < kept["y"] < 740, "the message read before stays on screen"
    shot(bernd_page, "c4-chat-history-de")

    # Scrolled up, a new message is not read yet: a button leads down to it, which reads it.
    api(
        anna_page,
        "POST",
        f"/api/v1/conversations/{conversation['id']}/messages",
        {"text": "Ganz neu"},
    )
    jump = bernd_page.get_by_test_id("chat-new-below")
    expect(jump).to_be_visible()
    assert unread_total(bernd_page) == 1
    jump.click()
    expect(jump).to_be_hidden()
    expect(last_message(bernd_page)).to_be_in_viewport()
    bernd_page.wait_for_function(UNREAD_ZERO)

    # Opened from a link, "back" leads to the contacts.
    bernd_page.get_by_test_id("chat-back").click()
    expect(bernd_page.get_by_test_id("contacts")).to_be_visible()
    expect(bernd_page).to_have_url(re.compile(r"/contacts$"))
    shot(bernd_page, "c5-contacts-after-chat-de")


@pytest.mark.feature("CHAT-8")
def test_drafts_stay_per_conversation(new_page: NewPage, make_user: MakeUser) -> None:
    anna_page, _, _, bernd = two_people(new_page, make_user)
    carla = make_user("Carla Dritte")
    open_chat_with(anna_page, bernd["id"])
    anna_page.get_by_test_id("chat-input").fill("Entwurf für Bernd")
    anna_page.get_by_test_id("chat-back").click()
    open_chat_with(anna_page, carla["id"])
    expect(anna_page.get_by_test_id("chat-input")).to_have_value("")
    anna_page.get_by_test_id("chat-back").click()
    anna_page.reload()
    open_chat_with(anna_page, bernd["id"])
    expect(anna_page.get_by_test_id("chat-input")).to_have_value("Entwurf für Bernd")
    anna_page.get_by_test_id("chat-send").click()
    expect(anna_page.get_by_test_id("chat-input")).to_have_value("")
    anna_page.get_by_test_id("chat-back").click()
    open_chat_with(anna_page, bernd["id"])
    expect(anna_page.get_by_test_id("chat-input")).to_have_value("")


@pytest.mark.feature("CHAT-1")
def test_a_failed_send_is_retried_with_the_same_client_id(
    new_page: NewPage, make_user: MakeUser
) -> None:
    anna_page, anna, bernd_page, bernd = two_people(new_page, make_user)
    open_chat_with(anna_page, bernd["id"])
    open_chat_with(bernd_page, anna["id"])
    sent: list[dict[str, Any]] = []

    def offline_once(route: Route) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        sent.append(route.request.post_data_json)
        if len(sent) == 1:
            route.abort("internetdisconnected")
        else:
            route.continue_()

    anna_page.route("**/api/v1/conversations/*/messages", offline_once)
    anna_page.get_by_test_id("chat-input").fill("Kommt das an?")
    anna_page.get_by_test_id("chat-send").click()
    # Shown at once, marked as not sent, with a way to try again.
    expect(last_message(anna_page)).to_have_attribute("data-state", "failed")
    expect(last_message(anna_page).get_by_test_id("message-receipt")).to_have_attribute(
        "data-receipt", "failed"
    )
    anna_page.get_by_test_id("message-retry").click()
    expect(last_message(anna_page)).to_have_attribute("data-state", "stored")
    expect(anna_page.get_by_test_id("message")).to_have_count(1)
    expect(bernd_page.get_by_test_id("message")).to_have_count(1)
    assert len(sent) == 2 and sent[0]["client_id"] == sent[1]["client_id"]


@pytest.mark.feature("SRCH-1", "CHAT-6")
def test_a_search_hit_opens_the_conversation_at_that_message(
    new_page: NewPage, make_user: MakeUser
) -> None:
    anna_page, _, bernd_page, bernd = two_people(new_page, make_user)
    conversation = api(anna_page, "POST", "/api/v1/conversations", {"user_id": bernd["id"]})
    path = f"/api/v1/conversations/{conversation['id']}/messages"
    found = api(anna_page, "POST", path, {"text": "Das Zauberwort heißt Kohlrabi"})
    for n in range(1, 80):  # the hit is two pages back
        api(anna_page, "POST", path, {"text": f"Nachricht {n}", "client_id": f"later-{n}"})
    bernd_page.get_by_test_id("nav-search").click()
    bernd_page.get_by_test_id("search-input").press_sequentially("kohlr", delay=20)
    hit = bernd_page.get_by_test_id(f"search-result-chat-{found['id']}")
    expect(hit).to_be_visible()
    hit.click()
    expect(bernd_page).to_have_url(re.compile(rf"/chat/{conversation['id']}\?m={found['id']}$"))
    target = bernd_page.locator(f'[data-testid="message"][data-id="{found["id"]}"]')
    expect(target).to_have_class(re.compile(r"\bmessage-target\b"))
    expect(target).to_be_in_viewport()
    shot(bernd_page, "chat-search-hit")
