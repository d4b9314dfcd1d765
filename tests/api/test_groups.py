"""Groups: create, manage, leave, mute, group chat (GRP-1…4, CHAT-2)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from teamline.client import Client
from tests.harness import Server, expect_error, uid


def png(color: str = "red", size: tuple[int, int] = (400, 300)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


async def team(server: Server) -> tuple[Client, Client, Client, Client]:
    return (
        await server.signed_in("max", display_name="Max Mustermann"),
        await server.signed_in("erika", display_name="Erika Musterfrau"),
        await server.signed_in("jonas", display_name="Jonas Becker"),
        await server.signed_in("lea", display_name="Lea Wagner"),
    )


@pytest.mark.feature("GRP-1")
async def test_anyone_creates_groups_with_the_creator_always_in(server: Server) -> None:
    max_, erika, jonas, lea = await team(server)
    async with erika.events() as events:
        group = await max_.create_group("  Kaffeerunde  ", [uid(erika), uid(jonas)])
        announced = await events.wait_for("group.updated")
        conversation = await events.wait_for("conversation.updated")
    assert group["name"] == "Kaffeerunde"
    assert set(group["member_ids"]) == {uid(max_), uid(erika), uid(jonas)}
    assert group["created_by"] == uid(max_)
    assert announced["data"]["id"] == group["id"]
    assert conversation["data"]["id"] == group["conversation_id"]
    assert conversation["data"]["kind"] == "group"
    assert conversation["data"]["title"] == "Kaffeerunde"
    second = await max_.create_group("Projekt Phoenix", [uid(lea)])
    assert {g["id"] for g in await max_.groups()} == {group["id"], second["id"]}
    assert [g["id"] for g in await lea.groups()] == [second["id"]]
    await expect_error(lea.group(group["id"]), 404, "not-found")


@pytest.mark.feature("GRP-1")
async def test_group_input_is_checked(server: Server) -> None:
    max_, *_ = await team(server)
    await expect_error(max_.create_group("   ", []), 422, "invalid-input")
    unknown = await expect_error(max_.create_group("Geister", ["0" * 24]), 422, "invalid-input")
    assert unknown.details["member_ids"] == ["0" * 24]
    server.container.settings.group_max_members = 3
    others = [(await server.create_user(f"u{n}"))["id"] for n in range(3)]
    await expect_error(max_.create_group("Zu groß", others), 422, "group-too-large")


@pytest.mark.feature("GRP-2")
async def test_members_rename_add_and_change_the_picture(server: Server) -> None:
    max_, erika, jonas, lea = await team(server)
    group = await max_.create_group("Kaffee", [uid(erika)])
    renamed = await erika.rename_group(group["id"], "Kaffeerunde")
    assert renamed["name"] == "Kaffeerunde"
    async with lea.events() as events:
        await erika.add_group_member(group["id"], uid(lea))
        joined = await events.wait_for("conversation.updated")
    assert joined["data"]["title"] == "Kaffeerunde" and joined["data"]["unread"] == 0
    assert uid(lea) in (await max_.group(group["id"]))["member_ids"]
    updated = await lea.upload_group_picture(group["id"], png())
    assert updated["has_picture"] is True and updated["picture_version"] == 1
    response = await max_.request("GET", f"/groups/{group['id']}/picture")
    with Image.open(io.BytesIO(response.content)) as picture:
        assert picture.size == (256, 256)
    await expect_error(jonas.rename_group(group["id"], "Übernahme"), 404, "not-found")
    bad = lea.upload_group_picture(group["id"], b"not a picture")
    await expect_error(bad, 422, "invalid-image")


@pytest.mark.feature("GRP-2")
async def test_removing_others_is_for_the_creator_and_leaving_for_everyone(
    server: Server,
) -> None:
    max_, erika, jonas, lea = await team(server)
    group = await max_.create_group("Phoenix", [uid(erika), uid(jonas)])
    await expect_error(erika.remove_group_member(group["id"], uid(jonas)), 403, "forbidden")
    async with jonas.events() as events:
        await max_.remove_group_member(group["id"], uid(jonas))
        removed = await events.wait_for("conversation.removed")
    assert removed["data"] == {"conversation_id": group["conversation_id"]}
    await expect_error(jonas.messages(group["conversation_id"]), 404, "not-found")
    await erika.remove_group_member(group["id"], uid(erika))  # leave
    assert await erika.groups() == []
    assert (await max_.group(group["id"]))["member_ids"] == [uid(max_)]
    await expect_error(lea.delete_group(group["id"]), 404, "not-found")


@pytest.mark.feature("GRP-2")
async def test_group_disappears_when_its_last_member_leaves(server: Server) -> None:
    max_, erika, _jonas, _lea = await team(server)
    group = await max_.create_group("Kurz", [uid(erika)])
    await erika.send_message(group["conversation_id"], "Tschüss Projektgruppe")
    await erika.remove_group_member(group["id"], uid(erika))
    async with max_.events() as events:
        await max_.remove_group_member(group["id"], uid(max_))
        gone = await events.wait_for("group.deleted")
    assert gone["data"] == {"id": group["id"], "conversation_id": group["conversation_id"]}
    await expect_error(max_.group(group["id"]), 404, "not-found")
    assert (await max_.conversations())["conversations"] == []
    hits = (await erika.request("GET", "/search", params={"q": "Projektgruppe"})).json()
    assert [r for r in hits["results"] if r["source"] == "chat"] == []


@pytest.mark.feature("GRP-2")
async def test_only_the_creator_or_an_admin_deletes_a_group(server: Server) -> None:
    max_, erika, _jonas, _lea = await team(server)
    admin = await server.signed_in("chefin", role="admin")
    group = await max_.create_group("Vertrieb", [uid(erika), uid(admin)])
    await expect_error(erika.delete_group(group["id"]), 403, "forbidden")
    await admin.delete_group(group["id"])
    assert await erika.groups() == []


@pytest.mark.feature("GRP-3")
async def test_muted_group_keeps_counting_unread(server: Server) -> None:
    max_, erika, _jonas, _lea = await team(server)
    group = await max_.create_group("Laut", [uid(erika)])
    await erika.mute_group(group["id"])
    assert (await erika.group(group["id"]))["muted"] is True
    await max_.send_message(group["conversation_id"], "Mittag?")
    [listed] = (await erika.conversations())["conversations"]
    assert listed["muted"] is True and listed["unread"] == 1
    await erika.mute_group(group["id"], False)
    assert (await erika.conversation(group["conversation_id"]))["muted"] is False


@pytest.mark.feature("GRP-4", "CHAT-2")
async def test_group_chat_reaches_every_member(server: Server) -> None:
    max_, erika, jonas, lea = await team(server)
    group = await max_.create_group("Kaffeerunde", [uid(erika), uid(jonas)])
    conv = group["conversation_id"]
    async with erika.events() as e_events, jonas.events() as j_events, lea.events() as l_events:
        message = await max_.send_message(conv, "Kaffee um drei?", client_id="g1")
        for events in (e_events, j_events):
            got = await events.wait_for("message.created")
            assert got["data"]["id"] == message["id"]
        assert [e for e in await l_events.drain(0.2) if e["type"] == "message.created"] == []
    reply = await jonas.send_message(conv, "Bin dabei")
    assert [m["text"] for m in await erika.messages(conv)] == ["Kaffee um drei?", "Bin dabei"]
    assert (await erika.conversations())["unread_total"] == 2
    assert (await max_.conversations())["unread_total"] == 1
    await max_.mark_read(conv, reply["id"])
    assert (await max_.conversations())["unread_total"] == 0
