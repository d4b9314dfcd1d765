"""The contact list: favourites pinned on top, phonebook favourites, smart filters with "remove
filter", sort orders and list styles, quick actions, the unread total on my avatar
(CONT-4 … CONT-9)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PASSWORD, NewPage, api, shot, sign_in

pytestmark = pytest.mark.browser

MakeUser = Callable[..., dict[str, Any]]
RANK = {"available": 0, "away": 1, "dnd": 2, "offline": 3}


@pytest.fixture
def sessions(live_server: str) -> Iterator[Callable[[str], httpx.Client]]:
    """HTTP clients signed in as given users, to act as colleagues without a browser."""
    clients: list[httpx.Client] = []

    def make(login: str) -> httpx.Client:
        client = httpx.Client(base_url=live_server, timeout=10)
        answer = client.post("/api/v1/sessions", json={"login": login, "password": PASSWORD})
        answer.raise_for_status()
        client.headers["Authorization"] = f"Bearer {answer.json()['token']}"
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def send_direct(client: httpx.Client, to: str, text: str) -> None:
    conversation = client.post("/api/v1/conversations", json={"user_id": to}).json()
    answer = client.post(
        f"/api/v1/conversations/{conversation['id']}/messages", json={"text": text}
    )
    answer.raise_for_status()


def order(page: Page) -> list[str]:
    """The test ids of the list's entries, top to bottom."""
    return (
        page.get_by_test_id("contact-list")
        .locator(":scope > li")
        .evaluate_all("items => items.map((li) => li.dataset.testid)")
    )


def assert_fits(page: Page) -> None:
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360


@pytest.mark.feature("CONT-4", "CONT-5", "CONT-6", "CONT-9")
def test_favourites_are_pinned_and_smart_filters_narrow_the_list(
    new_page: NewPage, make_user: MakeUser
) -> None:
    me = make_user("Fritzi Favorit")
    page = new_page(locale="de-DE")
    sign_in(page, me["login"])
    erika = next(u for u in api(page, "GET", "/api/v1/users")["users"] if u["login"] == "erika")
    hotel = api(page, "GET", "/api/v1/phonebooks/company/entries?q=Sonnenhof")["entries"][0]
    assert order(page)[0] != f"contact-{erika['id']}"

    # Star a colleague in the details sheet: pinned on top.
    page.get_by_test_id(f"contact-{erika['id']}").get_by_test_id("contact-open").click()
    details = page.get_by_test_id("contact-details")
    details.get_by_test_id("contact-star").click()
    expect(details.get_by_test_id("contact-star")).to_have_attribute("aria-pressed", "true")
    details.get_by_test_id("contact-details-close").click()
    expect(page.get_by_test_id(f"contact-{erika['id']}")).to_have_attribute("data-favorite", "true")
    assert order(page)[0] == f"contact-{erika['id']}"

    # A phonebook entry starred elsewhere (here: another device) joins the list.
    api(page, "PUT", f"/api/v1/contacts/favorites/phonebook-entry/{hotel['id']}")
    hotel_row = page.get_by_test_id(f"contact-phonebook-entry-{hotel['id']}")
    expect(hotel_row).to_contain_text("Hotel Sonnenhof")
    # Its quick action calls (telephony says it is coming).
    hotel_row.get_by_test_id("contact-call").click()
    expect(page.get_by_test_id("call-toast")).to_contain_text("+4980511234")

    # Smart filters: favourites, then the text filter on top (word parts).
    page.get_by_test_id("contact-smart-favorites").click()
    expect(page.get_by_test_id("contact-smart-favorites")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("contact-list").locator(":scope > li")).to_have_count(2)
    page.get_by_test_id("contact-filter").fill("sonnen")
    expect(page.get_by_test_id("contact-list").locator(":scope > li")).to_have_count(1)
    expect(hotel_row).to_be_visible()
    page.get_by_test_id("contact-filter").fill("")
    shot(page, "c5-contacts-favourites-de")

    # Teams: none yet; "remove filter" brings everything back.
    page.get_by_test_id("contact-smart-teams").click()
    expect(page.get_by_test_id("contacts-empty")).to_be_visible()
    expect(page.get_by_test_id("contacts-empty")).to_contain_text("keinem Team")
    page.get_by_test_id("contacts-clear-filter").click()
    expect(page.get_by_test_id("contact-smart-all")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id(f"contact-{erika['id']}")).to_be_visible()

    # Online: only colleagues with a client online (I am not in my own list).
    page.get_by_test_id("contact-smart-online").click()
    presences = (
        page.get_by_test_id("contact-list")
        .locator(":scope > li")
        .evaluate_all("items => items.map((li) => li.dataset.presence)")
    )
    assert "offline" not in presences
    page.get_by_test_id("contact-smart-all").click()

    # Unstarring unpins; the entry leaves with its star.
    page.get_by_test_id(f"contact-{erika['id']}").get_by_test_id("contact-open").click()
    page.get_by_test_id("contact-details").get_by_test_id("contact-star").click()
    expect(page.get_by_test_id("contact-details").get_by_test_id("contact-star")).to_have_attribute(
        "aria-pressed", "false"
    )
    page.get_by_test_id("contact-details-close").click()
    expect(page.get_by_test_id(f"contact-{erika['id']}")).to_have_attribute(
        "data-favorite", "false"
    )
    api(page, "DELETE", f"/api/v1/contacts/favorites/phonebook-entry/{hotel['id']}")
    expect(hotel_row).to_have_count(0)
    favorites = api(page, "GET", "/api/v1/contacts?filter=favorites")["contacts"]
    assert favorites == []


@pytest.mark.feature("CONT-7", "CONT-9")
def test_recent_activity_moves_a_colleague_up_and_the_avatar_total_filters(
    new_page: NewPage, make_user: MakeUser, sessions: Callable[[str], httpx.Client]
) -> None:
    me = make_user("Rena Reihenfolge")
    early = make_user("Aaron Anfang")
    late = make_user("Zora Zuletzt")
    page = new_page(locale="de-DE")
    sign_in(page, me["login"])
    aaron = f"contact-{early['id']}"
    zora = f"contact-{late['id']}"
    assert order(page).index(aaron) < order(page).index(zora)

    page.get_by_test_id("nav-settings").click()
    page.get_by_test_id("setting-contact-sort").select_option("recent")
    page.get_by_test_id("nav-contacts").click()
    expect(page.get_by_test_id("contact-list")).to_have_attribute("data-sort", "recent")

    # Zora writes: she moves up, with the count; the total shows on my avatar.
    send_direct(sessions(late["login"]), me["id"], "Kurze Frage zum Termin")
    expect(page.get_by_test_id(zora).get_by_test_id(f"contact-unread-{late['id']}")).to_have_text(
        "1"
    )
    assert order(page)[0] == zora
    assert order(page).index(zora) < order(page).index(aaron)
    expect(page.get_by_test_id("my-unread")).to_have_text("1")

    # From another area, a tap on the total shows just the contacts with unread messages.
    page.get_by_test_id("nav-journal").click()
    page.get_by_test_id("my-unread").click()
    expect(page.get_by_test_id("nav-contacts")).to_have_attribute("aria-current", "page")
    expect(page.get_by_test_id("contact-smart-unread")).to_have_attribute("aria-pressed", "true")
    assert order(page) == [zora]
    shot(page, "c6-contacts-unread-filter-de")

    # By status: online before away before dnd before offline.
    page.get_by_test_id("contact-smart-all").click()
    page.get_by_test_id("nav-settings").click()
    page.get_by_test_id("setting-contact-sort").select_option("status")
    page.get_by_test_id("nav-contacts").click()
    expect(page.get_by_test_id("contact-list")).to_have_attribute("data-sort", "status")
    ranks = (
        page.get_by_test_id("contact-list")
        .locator(":scope > li[data-kind='user']")
        .evaluate_all("items => items.map((li) => li.dataset.presence)")
    )
    assert [RANK[p] for p in ranks] == sorted(RANK[p] for p in ranks)


@pytest.mark.feature("CONT-8")
@pytest.mark.parametrize("language", ["de", "en"])
def test_compact_and_detailed_styles(new_page: NewPage, make_user: MakeUser, language: str) -> None:
    me = make_user("Stella Stil")
    page = new_page(locale="de-DE" if language == "de" else "en-US", color_scheme="dark")
    sign_in(page, me["login"])
    if language == "en":
        page.get_by_test_id("nav-settings").click()
        page.get_by_test_id("setting-language").select_option("en")
        expect(page.get_by_test_id("nav-settings")).to_have_text("Settings")
        page.get_by_test_id("nav-contacts").click()
    max_id = next(
        u["id"] for u in api(page, "GET", "/api/v1/users")["users"] if u["login"] == "max"
    )
    row = page.get_by_test_id(f"contact-{max_id}")
    expect(page.get_by_test_id("contact-list")).to_have_attribute("data-style", "detailed")
    expect(row.get_by_test_id(f"contact-ext-{max_id}")).to_have_text("101")
    detailed = row.bounding_box()
    assert_fits(page)
    shot(page, f"c7-contacts-detailed-dark-{language}")

    page.get_by_test_id("nav-settings").click()
    page.get_by_test_id("setting-list-style-compact").check()
    page.get_by_test_id("nav-contacts").click()
    expect(page.get_by_test_id("contact-list")).to_have_attribute("data-style", "compact")
    expect(row).to_have_class("contact contact-compact")
    expect(row.get_by_test_id(f"contact-ext-{max_id}")).to_have_count(0)
    compact = row.bounding_box()
    assert detailed is not None and compact is not None and compact["height"] < detailed["height"]
    # The quick actions stay in reach.
    expect(row.get_by_test_id("contact-chat")).to_be_visible()
    assert_fits(page)
    shot(page, f"c8-contacts-compact-dark-{language}")


@pytest.mark.feature("CONT-4", "GRP-4", "CHAT-6")
def test_the_demo_groups_are_in_the_list_with_their_messages(new_page: NewPage) -> None:
    page = new_page(locale="de-DE")
    sign_in(page, "david")
    groups = {g["name"]: g for g in api(page, "GET", "/api/v1/groups")["groups"]}
    assert set(groups) == {"Projekt Phoenix"}
    phoenix = groups["Projekt Phoenix"]
    page.get_by_test_id("contact-smart-groups").click()
    assert order(page) == [f"contact-group-{phoenix['id']}"]
    entry = page.get_by_test_id(f"contact-group-{phoenix['id']}")
    expect(entry).to_contain_text("5 Mitglieder")
    expect(entry.get_by_test_id(f"contact-unread-group-{phoenix['id']}")).to_have_text("2")
    shot(page, "c9-contacts-groups-de")
    entry.get_by_test_id("contact-open").click()
    messages = page.get_by_test_id("message")
    expect(messages).to_have_count(2)
    expect(messages.first.get_by_test_id("message-author")).to_have_text("Paul Schneider")
    expect(messages.first.get_by_test_id("message-phone")).to_have_text("+49 30 1234567")
    shot(page, "ca-group-chat-demo-de")
    page.get_by_test_id("chat-back").click()
    expect(entry.get_by_test_id(f"contact-unread-group-{phoenix['id']}")).to_have_count(0)


@pytest.mark.feature("CONT-4", "CHAT-3")
def test_groups_and_unread_counts_show_when_starting_offline(
    new_page: NewPage, make_user: MakeUser, sessions: Callable[[str], httpx.Client]
) -> None:
    me = make_user("Olga Offline")
    writer = make_user("Wim Schreiber")
    colleague = sessions(writer["login"])
    group = colleague.post(
        "/api/v1/groups", json={"name": "Offline-Runde", "member_ids": [me["id"]]}
    ).json()
    send_direct(colleague, me["id"], "Bist du da?")
    page = new_page(locale="de-DE")
    sign_in(page, me["login"])
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now the service worker controls the page
    group_row = page.get_by_test_id(f"contact-group-{group['id']}")
    expect(group_row).to_contain_text("Offline-Runde")
    expect(page.get_by_test_id("my-unread")).to_have_text("1")
    page.wait_for_function("localStorage.getItem('teamline.chat')?.includes('Offline-Runde')")

    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_test_id("connection-state")).to_contain_text("Offline")
    expect(group_row).to_contain_text("Offline-Runde")
    expect(page.get_by_test_id("my-unread")).to_have_text("1")
    expect(
        page.get_by_test_id(f"contact-{writer['id']}").get_by_test_id(
            f"contact-unread-{writer['id']}"
        )
    ).to_have_text("1")
    page.context.set_offline(False)
