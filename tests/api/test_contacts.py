"""The contact list: who is in it, filters, sorts, unread counts (CONT-4…9)."""

from __future__ import annotations

from typing import Any

import pytest

from teamline.client import Client
from tests.harness import Server, expect_error, uid


def titles(listing: dict[str, Any]) -> list[str]:
    return [c["title"] for c in listing["contacts"]]


async def company(server: Server) -> dict[str, Client]:
    people = {
        "max": "Max-Andreas Mustermann",
        "erika": "Erika Musterfrau",
        "jonas": "Jonas Becker",
        "lea": "Léa Müller",
    }
    return {
        login: await server.signed_in(login, display_name=name) for login, name in people.items()
    }


@pytest.mark.feature("CONT-4", "BOOK-4")
async def test_list_has_colleagues_groups_and_favourite_entries_with_favourites_first(
    server: Server,
) -> None:
    c = await company(server)
    me = c["erika"]
    group = await c["max"].create_group("Kaffeerunde", [uid(me)])
    await c["max"].create_group("Ohne Erika", [uid(c["jonas"])])
    entry = await me.create_phonebook_entry(
        "private", display_name="Zahnarzt Dr. Weiß", numbers=[{"type": "work", "number": "0301234"}]
    )
    await me.create_phonebook_entry("private", display_name="Nicht markiert")
    await me.add_favorite("phonebook-entry", entry["id"])
    await me.add_favorite("user", uid(c["lea"]))
    listing = await me.contacts(sort="name")
    assert titles(listing) == [
        "Léa Müller",
        "Zahnarzt Dr. Weiß",
        "Jonas Becker",
        "Kaffeerunde",
        "Max-Andreas Mustermann",
    ]
    kinds = {c_["title"]: c_["kind"] for c_ in listing["contacts"]}
    assert kinds["Kaffeerunde"] == "group" and kinds["Zahnarzt Dr. Weiß"] == "phonebook-entry"
    by_title = {c_["title"]: c_ for c_ in listing["contacts"]}
    assert by_title["Kaffeerunde"]["conversation_id"] == group["conversation_id"]
    assert by_title["Zahnarzt Dr. Weiß"]["number"] == "+49301234"
    assert by_title["Léa Müller"]["favorite"] is True
    assert by_title["Jonas Becker"]["presence"]["effective"] == "offline"


@pytest.mark.feature("CONT-5", "CHAT-3")
async def test_entries_carry_unread_counts_and_the_total(server: Server) -> None:
    c = await company(server)
    me = c["erika"]
    direct = await c["max"].open_conversation(uid(me))
    for text in ("Hallo", "Bist du da?"):
        await c["max"].send_message(direct["id"], text)
    group = await c["jonas"].create_group("Projekt", [uid(me)])
    await c["jonas"].send_message(group["conversation_id"], "Start morgen")
    listing = await me.contacts()
    unread = {x["title"]: x["unread"] for x in listing["contacts"]}
    assert unread["Max-Andreas Mustermann"] == 2 and unread["Projekt"] == 1
    assert listing["unread_total"] == 3


@pytest.mark.feature("CONT-6")
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("And Muster", ["Max-Andreas Mustermann"]),
        ("muster", ["Erika Musterfrau", "Max-Andreas Mustermann"]),
        ("mull", ["Léa Müller"]),
        ("LEA", ["Léa Müller"]),
        ("dreas", []),
    ],
)
async def test_filter_text_matches_word_starts(
    server: Server, query: str, expected: list[str]
) -> None:
    c = await company(server)
    assert titles(await c["jonas"].contacts(q=query)) == expected


@pytest.mark.feature("CONT-7")
async def test_sort_by_status_and_by_recent_activity(server: Server) -> None:
    c = await company(server)
    me = c["erika"]
    await c["jonas"].set_presence("dnd")
    async with c["jonas"].events(), c["lea"].events(), c["max"].events() as live:
        await c["lea"].set_presence("away")
        await live.wait_for("presence.changed", lambda d: d["user_id"] == uid(c["lea"]))
        listing = await me.contacts(sort="status")
        assert titles(listing) == ["Max-Andreas Mustermann", "Léa Müller", "Jonas Becker"]
    with_jonas = await c["jonas"].open_conversation(uid(me))
    with_max = await c["max"].open_conversation(uid(me))
    await c["jonas"].send_message(with_jonas["id"], "zuerst")
    await c["max"].send_message(with_max["id"], "zuletzt")
    assert titles(await me.contacts(sort="recent")) == [
        "Max-Andreas Mustermann",
        "Jonas Becker",
        "Léa Müller",
    ]
    # Without a sort parameter the user's setting applies.
    await me.update_settings(contact_sort="recent")
    assert titles(await me.contacts())[0] == "Max-Andreas Mustermann"


@pytest.mark.feature("CONT-9")
async def test_smart_filters(server: Server) -> None:
    c = await company(server)
    me = c["erika"]
    await me.add_favorite("user", uid(c["jonas"]))
    group = await c["max"].create_group("Kaffeerunde", [uid(me)])
    await c["max"].send_message(group["conversation_id"], "Kaffee?")
    async with me.events() as live, c["lea"].events():
        await live.wait_for("presence.changed", lambda d: d["user_id"] == uid(c["lea"]))
        assert titles(await me.contacts(filter="online")) == ["Léa Müller"]
    assert titles(await me.contacts(filter="favorites")) == ["Jonas Becker"]
    assert titles(await me.contacts(filter="unread")) == ["Kaffeerunde"]
    assert titles(await me.contacts(filter="groups")) == ["Kaffeerunde"]
    assert titles(await me.contacts(filter="teams")) == []
    await expect_error(me.contacts(filter="everyone"), 422, "invalid-input")
    await expect_error(me.contacts(sort="random"), 422, "invalid-input")
