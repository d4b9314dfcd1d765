"""Chat: direct and group conversations, messages, markers, receipts, edits (CHAT-1…8)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from teamline.client import Client
from teamline.search.reindex import reindex
from tests.harness import Server, expect_error, uid


async def pair_of(server: Server) -> tuple[Client, Client, str]:
    """Max and Erika with their direct conversation."""
    max_ = await server.signed_in("max", display_name="Max Mustermann")
    erika = await server.signed_in("erika", display_name="Erika Musterfrau")
    conversation = await max_.open_conversation(uid(erika))
    return max_, erika, conversation["id"]


@pytest.mark.feature("CHAT-1")
async def test_direct_conversation_is_created_once_from_either_side(server: Server) -> None:
    max_ = await server.signed_in("max", display_name="Max Mustermann")
    erika = await server.signed_in("erika", display_name="Erika Musterfrau")
    response = await max_.request("POST", "/conversations", json={"user_id": uid(erika)})
    assert response.status_code == 201
    first = response.json()
    assert first["kind"] == "direct" and first["title"] == "Erika Musterfrau"
    assert first["peer_id"] == uid(erika)
    again = await max_.request("POST", "/conversations", json={"user_id": uid(erika)})
    assert again.status_code == 200 and again.json()["id"] == first["id"]
    theirs = await erika.open_conversation(uid(max_))
    assert theirs["id"] == first["id"] and theirs["title"] == "Max Mustermann"
    await expect_error(max_.open_conversation(uid(max_)), 422, "invalid-input")
    await expect_error(max_.open_conversation("0" * 24), 404, "not-found")


@pytest.mark.feature("CHAT-1")
async def test_simultaneous_opens_give_one_conversation(server: Server) -> None:
    max_ = await server.signed_in("max")
    erika = await server.signed_in("erika")
    a, b = await asyncio.gather(
        max_.open_conversation(uid(erika)), erika.open_conversation(uid(max_))
    )
    assert a["id"] == b["id"]
    assert len((await max_.conversations())["conversations"]) == 1


@pytest.mark.feature("CHAT-1", "CHAT-6")
async def test_messages_arrive_live_and_page_back(server: Server) -> None:
    max_, erika, conv = await pair_of(server)
    async with erika.events() as erika_events, max_.events() as max_events:
        sent = await max_.send_message(
            conv, "Hallo Erika, siehe https://example.org", client_id="c1"
        )
        got = await erika_events.wait_for("message.created")
        echo = await max_events.wait_for("message.created")
    assert got["data"]["id"] == sent["id"] == echo["data"]["id"]
    assert got["data"]["text"] == "Hallo Erika, siehe https://example.org"
    assert echo["data"]["client_id"] == "c1"  # the sender matches its own send
    for n in range(1, 60):
        await erika.send_message(conv, f"Nachricht {n}")
    newest = await max_.messages(conv, limit=20)
    assert [m["text"] for m in newest] == [f"Nachricht {n}" for n in range(40, 60)]
    older = await max_.messages(conv, before=newest[0]["id"], limit=50)
    assert older[0]["text"] == "Hallo Erika, siehe https://example.org"
    assert older[-1]["text"] == "Nachricht 39"
    seqs = [m["seq"] for m in older + newest]
    assert seqs == list(range(1, 61))


@pytest.mark.feature("CHAT-1")
async def test_retried_send_with_the_same_client_id_creates_one_message(server: Server) -> None:
    max_, erika, conv = await pair_of(server)
    first = await max_.request(
        "POST", f"/conversations/{conv}/messages", json={"text": "einmal", "client_id": "k-1"}
    )
    retry = await max_.request(
        "POST", f"/conversations/{conv}/messages", json={"text": "einmal", "client_id": "k-1"}
    )
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json()["id"] == first.json()["id"]
    concurrent = await asyncio.gather(
        *(max_.send_message(conv, "parallel", client_id="k-2") for _ in range(5))
    )
    assert len({m["id"] for m in concurrent}) == 1
    texts = [m["text"] for m in await erika.messages(conv)]
    assert texts == ["einmal", "parallel"]
    assert (await erika.conversations())["unread_total"] == 2


@pytest.mark.feature("CHAT-1")
async def test_non_member_can_neither_read_nor_post_nor_react(server: Server) -> None:
    max_, _erika, conv = await pair_of(server)
    message = await max_.send_message(conv, "vertraulich")
    jonas = await server.signed_in("jonas")
    await expect_error(jonas.conversation(conv), 404, "not-found")
    await expect_error(jonas.messages(conv), 404, "not-found")
    await expect_error(jonas.send_message(conv, "hallo?"), 404, "not-found")
    await expect_error(jonas.mark_read(conv, message["id"]), 404, "not-found")
    await expect_error(jonas.react(conv, message["id"], "👍"), 404, "not-found")
    await expect_error(jonas.edit_message(conv, message["id"], "x"), 404, "not-found")
    assert (await jonas.conversations())["conversations"] == []
    results = await jonas.request("GET", "/search", params={"q": "vertraulich"})
    assert [r for r in results.json()["results"] if r["source"] == "chat"] == []


@pytest.mark.feature("CHAT-3", "CHAT-5")
async def test_unread_counts_follow_messages_reads_on_other_devices_and_deletes(
    server: Server,
) -> None:
    max_, erika, conv = await pair_of(server)
    erika_phone = await server.second_device("erika")
    sent = [await max_.send_message(conv, f"m{n}") for n in range(3)]
    listing = await erika.conversations()
    assert listing["unread_total"] == 3
    assert listing["conversations"][0]["unread"] == 3
    assert listing["conversations"][0]["last_message"]["text"] == "m2"
    assert (await max_.conversations())["unread_total"] == 0  # own messages are not unread

    async with erika.events() as erika_events:
        await max_.delete_message(conv, sent[2]["id"])
        lowered = await erika_events.wait_for("conversation.read")
    assert lowered["data"] == {
        "conversation_id": conv,
        "up_to": None,
        "unread": 2,
        "unread_total": 2,
    }
    assert (await erika.conversations())["unread_total"] == 2

    async with erika_phone.events() as phone:
        await erika.mark_read(conv, sent[0]["id"])
        event = await phone.wait_for("conversation.read")
    assert event["data"] == {
        "conversation_id": conv,
        "up_to": sent[0]["id"],
        "unread": 1,
        "unread_total": 1,
    }
    assert (await erika_phone.conversations())["unread_total"] == 1
    await erika_phone.mark_read(conv, sent[1]["id"])
    assert (await erika.conversations())["unread_total"] == 0
    # Reading back to an older message changes nothing.
    await erika.mark_read(conv, sent[0]["id"])
    assert (await erika.conversations())["unread_total"] == 0
    await expect_error(erika.mark_read(conv, "0" * 24), 404, "not-found")


@pytest.mark.feature("CHAT-3")
async def test_deleting_a_read_message_leaves_the_count_alone(server: Server) -> None:
    max_, erika, conv = await pair_of(server)
    old = await max_.send_message(conv, "gelesen")
    await erika.mark_read(conv, old["id"])
    await max_.send_message(conv, "neu")
    await max_.delete_message(conv, old["id"])
    assert (await erika.conversations())["unread_total"] == 1


@pytest.mark.feature("CHAT-8")
async def test_edit_and_delete_own_messages_only(server: Server) -> None:
    max_, erika, conv = await pair_of(server)
    message = await max_.send_message(conv, "Tippfeher")
    async with erika.events() as events:
        edited = await max_.edit_message(conv, message["id"], "Tippfehler")
        update = await events.wait_for("message.updated")
        assert edited["text"] == update["data"]["text"] == "Tippfehler"
        assert edited["edited_at"] is not None
        await expect_error(erika.edit_message(conv, message["id"], "Gehackt"), 403, "forbidden")
        await expect_error(erika.delete_message(conv, message["id"]), 403, "forbidden")
        await max_.delete_message(conv, message["id"])
        gone = await events.wait_for("message.deleted")
    assert gone["data"] == {"id": message["id"], "conversation_id": conv}
    [shown] = await erika.messages(conv)
    assert shown["deleted"] is True and shown["text"] == ""
    await expect_error(max_.edit_message(conv, message["id"], "wieder da"), 403, "forbidden")


@pytest.mark.feature("CHAT-8")
async def test_reactions_are_toggled_and_shared(server: Server) -> None:
    max_, erika, conv = await pair_of(server)
    message = await max_.send_message(conv, "Kaffee?")
    async with max_.events() as events:
        await erika.react(conv, message["id"], "👍")
        await erika.react(conv, message["id"], "👍")  # idempotent
        await max_.react(conv, message["id"], "👍")
        update = await events.wait_for(
            "message.updated", lambda m: m["reactions"] and len(m["reactions"][0]["user_ids"]) == 2
        )
    assert update["data"]["reactions"] == [{"emoji": "👍", "user_ids": [uid(erika), uid(max_)]}]
    await erika.react(conv, message["id"], "👍", on=False)
    [shown] = await max_.messages(conv)
    assert shown["reactions"] == [{"emoji": "👍", "user_ids": [uid(max_)]}]
    await expect_error(erika.react(conv, message["id"], "plus1"), 422, "invalid-input")


@pytest.mark.feature("CHAT-8")
async def test_typing_indicator_reaches_the_others_only(server: Server) -> None:
    max_, erika, conv = await pair_of(server)
    async with max_.events() as mine, erika.events() as theirs:
        await mine.send("conversation.typing", {"conversation_id": conv})
        event = await theirs.wait_for("conversation.typing")
        assert event["data"] == {"conversation_id": conv, "user_id": uid(max_)}
        await max_.send_message(conv, "fertig")
        own = await mine.wait_for("message.created")
        # Max's own socket got no typing event before his message.
        assert all(e["type"] != "conversation.typing" for e in await mine.drain(0.1))
        assert own["data"]["text"] == "fertig"


@pytest.mark.feature("CHAT-8")
async def test_typing_from_a_non_member_is_ignored(server: Server) -> None:
    _max, erika, conv = await pair_of(server)
    jonas = await server.signed_in("jonas")
    async with jonas.events() as intruder, erika.events() as theirs:
        await intruder.send("conversation.typing", {"conversation_id": conv})
        await intruder.send("conversation.typing", {"conversation_id": 42})
        assert [e for e in await theirs.drain(0.3) if e["type"] == "conversation.typing"] == []


@pytest.mark.feature("CHAT-8")
async def test_delivery_and_read_receipts(server: Server) -> None:
    max_, erika, conv = await pair_of(server)
    message = await max_.send_message(conv, "Angekommen?")
    async with max_.events() as events:
        await erika.mark_delivered(conv, message["id"])
        delivered = await events.wait_for("conversation.receipt")
        await erika.mark_read(conv, message["id"])
        read = await events.wait_for(
            "conversation.receipt", lambda d: d["read_up_to"] == message["id"]
        )
    assert delivered["data"] == {
        "conversation_id": conv,
        "user_id": uid(erika),
        "read_up_to": None,
        "delivered_up_to": message["id"],
    }
    assert read["data"]["delivered_up_to"] == message["id"]
    members = {m["user_id"]: m for m in (await max_.conversation(conv))["members"]}
    assert members[uid(erika)]["read_up_to"] == message["id"]
    assert members[uid(max_)]["read_up_to"] == message["id"]  # sending reads


@pytest.mark.feature("CHAT-1")
async def test_bad_messages_get_clear_answers(server: Server) -> None:
    max_, _erika, conv = await pair_of(server)
    await expect_error(max_.send_message(conv, "   "), 422, "message-empty")
    too_long = await expect_error(max_.send_message(conv, "x" * 10_001), 422, "invalid-input")
    assert "text" in too_long.message
    await expect_error(
        max_.send_message(conv, "mit Anhang", attachment_ids=["0" * 24]), 422, "unknown-attachments"
    )
    await expect_error(max_.messages(conv, before="0" * 24), 404, "not-found")
    assert await max_.messages(conv) == []


@pytest.mark.feature("CHAT-3")
async def test_conversation_list_is_ordered_by_activity(server: Server) -> None:
    max_ = await server.signed_in("max")
    erika = await server.signed_in("erika")
    jonas = await server.signed_in("jonas")
    with_erika = (await max_.open_conversation(uid(erika)))["id"]
    with_jonas = (await max_.open_conversation(uid(jonas)))["id"]
    await jonas.send_message(with_jonas, "zuerst")
    await erika.send_message(with_erika, "danach")
    listing = await max_.conversations()
    assert [c["id"] for c in listing["conversations"]] == [with_erika, with_jonas]
    assert listing["unread_total"] == 2


@pytest.mark.feature("SRCH-1")
async def test_chat_archive_and_groups_are_searchable_by_members_only(server: Server) -> None:
    max_, erika, conv = await pair_of(server)
    jonas = await server.signed_in("jonas")
    message = await max_.send_message(conv, "Das Angebot für Müller ist raus")
    group = await max_.create_group("Kaffeerunde", [uid(erika)])

    async def hits(client: Client, query: str) -> list[dict[str, Any]]:
        response = await client.request("GET", "/search", params={"q": query})
        return [r for r in response.json()["results"] if r["source"] in ("chat", "contact")]

    [chat_hit] = await hits(erika, "mull ange")
    assert chat_hit["source"] == "chat" and chat_hit["action"] == "open"
    assert (chat_hit["conversation_id"], chat_hit["message_id"]) == (conv, message["id"])
    [group_hit] = await hits(erika, "kaffee")
    assert group_hit["action"] == "chat"
    assert group_hit["conversation_id"] == group["conversation_id"]
    assert await hits(jonas, "angebot") == [] and await hits(jonas, "kaffee") == []
    await max_.edit_message(conv, message["id"], "Das Angebot ging an Schmidt")
    assert await hits(erika, "mull") == []
    assert [h["message_id"] for h in await hits(erika, "schmidt")] == [message["id"]]

    # A rebuilt index (after a restore) has the chat archive and the groups again.
    await reindex(server.container.db)
    assert [h["message_id"] for h in await hits(erika, "schmidt")] == [message["id"]]
    assert [h["id"] for h in await hits(erika, "kaffee")] == [group["id"]]
    await max_.delete_message(conv, message["id"])
    assert await hits(erika, "schmidt") == []
