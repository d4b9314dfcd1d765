"""Web Push for chat (CHAT-4, CHAT-3 badge) against a real push service on loopback.

The push service (tests/push_service.py) receives the server's real HTTP requests, checks
their VAPID signature and decrypts them with the subscriber's keys, as a browser would.
"No push" is asserted after ``container.push.drained()``: every push queued before has been
sent by then, so a missing one was never sent.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import event, func, select

from teamline.client import Client
from teamline.push.models import PushSubscription, VapidKey
from teamline.push.payloads import MAX_PAYLOAD_BYTES
from tests.harness import Server, expect_error, node_settings, run_server, uid
from tests.push_service import PushServiceOnLoopback, Subscriber, push_service, unb64url

pytestmark = pytest.mark.feature("CHAT-4")


@pytest.fixture
async def pushes() -> AsyncIterator[PushServiceOnLoopback]:
    async with push_service() as service:
        yield service


async def subscribe(client: Client, service: PushServiceOnLoopback) -> Subscriber:
    """Subscribe ``client``'s device the way push.js does, with browser-made keys."""
    device = service.subscriber()
    await client.request("PUT", "/push/subscription", json=device.subscription())
    return device


async def erika_subscribed(
    server: Server, pushes: PushServiceOnLoopback
) -> tuple[Client, Client, Subscriber, dict[str, Any]]:
    """Max, Erika with one subscribed device (her phone), and their conversation."""
    max_ = await server.signed_in("max")
    erika = await server.signed_in("erika")
    phone = await subscribe(erika, pushes)
    return max_, erika, phone, await max_.open_conversation(uid(erika))


async def settled(server: Server) -> None:
    await server.container.push.drained()


async def subscription_count(server: Server) -> int:
    async with server.container.db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(PushSubscription)) or 0)


async def test_vapid_key_is_created_on_first_start_and_shared_by_nodes(
    server: Server, database_url: str, tmp_path: Path
) -> None:
    async with server.container.db.read() as session:
        stored = await session.get(VapidKey, 1)
    assert stored is not None, "the key exists before anyone asked for it"
    max_ = await server.signed_in("max")
    key = (await max_.request("GET", "/push/key")).json()["public_key"]
    assert key == stored.public_key
    point = unb64url(key)
    assert len(point) == 65 and point[0] == 4  # an uncompressed P-256 point
    other_dir = tmp_path / "node2"
    async with run_server(node_settings(other_dir, database_url)) as node2:
        again = node2.client(max_.token)
        assert (await again.request("GET", "/push/key")).json()["public_key"] == key
    await expect_error(server.client().request("GET", "/push/key"), 401, "unauthenticated")


@pytest.mark.parametrize(
    "change",
    [
        {"endpoint": "ftp://push.example/x"},
        {"keys": {"p256dh": "AAAA", "auth": "c2VjcmV0c2VjcmV0c2VjcmV0"}},
        {"keys": {"p256dh": None, "auth": "c2VjcmV0c2VjcmV0c2VjcmV0"}},
        {"auth": "short"},
    ],
)
async def test_bad_subscriptions_are_refused(
    server: Server, pushes: PushServiceOnLoopback, change: dict[str, Any]
) -> None:
    max_ = await server.signed_in("max")
    body = pushes.subscriber().subscription()
    if "auth" in change:
        body["keys"]["auth"] = change["auth"]
    else:
        body.update(change)
    await expect_error(max_.request("PUT", "/push/subscription", json=body), 422, "invalid-input")
    await expect_error(
        server.client().request("PUT", "/push/subscription", json=body), 401, "unauthenticated"
    )
    assert await subscription_count(server) == 0


@pytest.mark.feature("CHAT-3")  # the unread total for the app badge
async def test_a_new_message_is_pushed_encrypted_signed_and_collapsed(
    server: Server, pushes: PushServiceOnLoopback
) -> None:
    max_ = await server.signed_in("max", display_name="Max-Andreas Mustermann")
    erika = await server.signed_in("erika")
    phone = await subscribe(erika, pushes)
    key = (await erika.request("GET", "/push/key")).json()["public_key"]
    conversation = await max_.open_conversation(erika.account["id"])
    first = await max_.send_message(conversation["id"], "Hallo Erika,\nhast du kurz Zeit?")

    [push] = await pushes.wait_for(phone, 1)
    assert push.vapid_key == key
    assert push.claims["aud"] == pushes.base_url
    assert push.claims["sub"] == "mailto:admin@127.0.0.1"
    assert push.topic == conversation["id"]
    assert push.ttl > 0
    assert push.headers["urgency"] == "high"
    assert push.payload == {
        "type": "message",
        "conversation_id": conversation["id"],
        "message_id": first["id"],
        "title": "Max-Andreas Mustermann",
        "body": "Hallo Erika, hast du kurz Zeit?",
        "unread_total": 1,
        "url": f"/#/chat/{conversation['id']}",
    }
    await max_.send_message(conversation["id"], "?")
    pushed = await pushes.wait_for(phone, 2)
    assert pushed[1].payload["unread_total"] == 2
    assert pushed[1].topic == conversation["id"], "one notification per conversation"


async def test_group_pushes_skip_the_author_and_who_muted(
    server: Server, pushes: PushServiceOnLoopback
) -> None:
    max_ = await server.signed_in("max")
    erika = await server.signed_in("erika")
    lisa = await server.signed_in("lisa")
    group = await max_.create_group("Vertrieb Süd", [erika.account["id"], lisa.account["id"]])
    own = await subscribe(max_, pushes)
    muted = await subscribe(erika, pushes)
    member = await subscribe(lisa, pushes)
    await erika.mute(group["conversation_id"])
    await max_.send_message(group["conversation_id"], "Angebot ist raus")
    [push] = await pushes.wait_for(member, 1)
    assert push.payload["title"] == "Vertrieb Süd"
    assert push.payload["body"] == "Max: Angebot ist raus"
    await settled(server)
    assert own.pushes == [] and muted.pushes == []

    await erika.mute(group["conversation_id"], False)
    await lisa.send_message(group["conversation_id"], "Danke")
    await pushes.wait_for(muted, 1)
    await pushes.wait_for(own, 1)
    await settled(server)
    assert len(member.pushes) == 1, "no push for my own message"


async def test_no_push_while_a_client_is_in_the_foreground(
    server: Server, pushes: PushServiceOnLoopback
) -> None:
    max_, erika, phone, conversation = await erika_subscribed(server, pushes)
    async with erika.events() as erika_app, max_.events() as max_app:
        await max_.send_message(conversation["id"], "Siehst du das im Vordergrund?")
        await erika_app.wait_for("message.created")
        await settled(server)
        assert phone.pushes == [], "a client in the foreground shows it itself"

        await erika_app.send("client.state", {"idle": False, "foreground": False})
        # Frames are handled in order: once her typing reaches Max, her state is stored.
        await erika_app.send("conversation.typing", {"conversation_id": conversation["id"]})
        await max_app.wait_for("conversation.typing")
        later = await max_.send_message(conversation["id"], "Und jetzt im Hintergrund?")
        [push] = await pushes.wait_for(phone, 1)
    assert push.payload["message_id"] == later["id"]


async def test_an_expired_subscription_is_dropped(
    server: Server, pushes: PushServiceOnLoopback
) -> None:
    max_ = await server.signed_in("max")
    erika = await server.signed_in("erika")
    gone = await subscribe(erika, pushes)
    gone.answer = 410  # the browser dropped the subscription
    conversation = await max_.open_conversation(erika.account["id"])
    await max_.send_message(conversation["id"], "eins")
    await pushes.wait_for(gone, 1)
    await settled(server)
    assert await subscription_count(server) == 0
    await max_.send_message(conversation["id"], "zwei")
    await settled(server)
    assert len(gone.pushes) == 1
    assert pushes.requests == 1


@pytest.mark.feature("CHAT-3")  # the unread total for the app badge
async def test_reading_on_one_device_clears_the_others(
    server: Server, pushes: PushServiceOnLoopback
) -> None:
    max_ = await server.signed_in("max")
    erika = await server.signed_in("erika")
    laptop = await server.second_device("erika")
    phone, desktop = await subscribe(erika, pushes), await subscribe(laptop, pushes)
    conversation = await max_.open_conversation(erika.account["id"])
    message = await max_.send_message(conversation["id"], "Termin morgen?")
    for device in (phone, desktop):
        await pushes.wait_for(device, 1)

    await laptop.mark_read(conversation["id"], message["id"])
    for device in (phone, desktop):
        read = (await pushes.wait_for(device, 2))[1]
        assert read.payload == {
            "type": "read",
            "conversation_id": conversation["id"],
            "unread_total": 0,
        }
        assert read.topic == conversation["id"], "replaces a message push still queued"


async def test_no_read_push_to_a_device_that_shows_nothing(
    server: Server, pushes: PushServiceOnLoopback
) -> None:
    max_, erika, phone, conversation = await erika_subscribed(server, pushes)
    async with erika.events() as erika_app:
        message = await max_.send_message(conversation["id"], "Gelesen, während die App offen ist")
        await erika_app.wait_for("message.created")
        await erika.mark_read(conversation["id"], message["id"])
        await erika_app.wait_for("conversation.read")
    await settled(server)
    assert phone.pushes == [] and pushes.requests == 0

    # Once told of a message, the device is told it was read, once.
    second = await max_.send_message(conversation["id"], "Und jetzt?")
    await pushes.wait_for(phone, 1)
    await settled(server)
    await erika.mark_read(conversation["id"], second["id"])
    assert (await pushes.wait_for(phone, 2))[1].payload["type"] == "read"
    third = await max_.send_message(conversation["id"], "Noch was")
    await pushes.wait_for(phone, 3)
    await settled(server)
    await erika.mark_read(conversation["id"], third["id"])
    await pushes.wait_for(phone, 4)
    await settled(server)
    assert [p.payload["type"] for p in phone.pushes] == ["message", "read", "message", "read"]


async def test_a_slow_push_service_does_not_delay_sending(
    server: Server, pushes: PushServiceOnLoopback
) -> None:
    max_ = await server.signed_in("max")
    erika = await server.signed_in("erika")
    phone = await subscribe(erika, pushes)
    phone.hold = asyncio.Event()
    conversation = await max_.open_conversation(erika.account["id"])
    await max_.send_message(conversation["id"], "eins")
    await pushes.wait_for(phone, 1)
    # The push service has not answered yet, and the next message is stored all the same.
    async with asyncio.timeout(5):
        sent = await max_.send_message(conversation["id"], "zwei")
    assert sent["seq"] == 2
    phone.hold.set()
    await pushes.wait_for(phone, 2)


async def test_the_vapid_subject_is_a_setting(
    database_url: str, tmp_path: Path, pushes: PushServiceOnLoopback
) -> None:
    settings = node_settings(tmp_path, database_url, push_subject="mailto:ops@example.com")
    async with run_server(settings) as node:
        max_ = await node.signed_in("max")
        erika = await node.signed_in("erika")
        phone = await subscribe(erika, pushes)
        conversation = await max_.open_conversation(erika.account["id"])
        await max_.send_message(conversation["id"], "Hallo")
        [push] = await pushes.wait_for(phone, 1)
    assert push.claims["sub"] == "mailto:ops@example.com"


async def test_unsubscribed_and_signed_out_devices_get_nothing(
    server: Server, pushes: PushServiceOnLoopback
) -> None:
    max_ = await server.signed_in("max")
    erika = await server.signed_in("erika")
    laptop = await server.second_device("erika")
    phone, desktop = await subscribe(erika, pushes), await subscribe(laptop, pushes)
    # Subscribing again replaces the device's subscription.
    renewed = await subscribe(erika, pushes)
    assert await subscription_count(server) == 2
    await erika.request("DELETE", "/push/subscription")
    await laptop.sign_out()
    conversation = await max_.open_conversation(erika.account["id"])
    await max_.send_message(conversation["id"], "Hallo?")
    await settled(server)
    assert phone.pushes == desktop.pushes == renewed.pushes == []
    assert pushes.requests == 0


async def test_who_has_no_subscription_is_not_asked_again_until_they_subscribe(
    server: Server, pushes: PushServiceOnLoopback
) -> None:
    max_ = await server.signed_in("max")
    erika = await server.signed_in("erika")
    conversation = await max_.open_conversation(uid(erika))
    await max_.send_message(conversation["id"], "eins")
    await settled(server)
    asked: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if "push_subscriptions" in statement:
            asked.append(statement)

    engine = server.container.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        await max_.send_message(conversation["id"], "zwei")
        await settled(server)
        assert asked == [], "Erika was found without a subscription a moment ago"
        # Her subscription on this node counts at once.
        phone = await subscribe(erika, pushes)
        third = await max_.send_message(conversation["id"], "drei")
        [push] = await pushes.wait_for(phone, 1)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert push.payload["message_id"] == third["id"]


async def test_the_payload_stays_small(server: Server, pushes: PushServiceOnLoopback) -> None:
    max_, _erika, phone, conversation = await erika_subscribed(server, pushes)
    await max_.send_message(conversation["id"], "🙂" * 3000)
    [push] = await pushes.wait_for(phone, 1)
    plain = json.dumps(push.payload, ensure_ascii=False, separators=(",", ":")).encode()
    assert len(plain) <= MAX_PAYLOAD_BYTES
    assert push.payload["body"].startswith("🙂🙂") and push.payload["body"].endswith("…")


async def test_an_unreachable_push_service_does_not_delay_sending(server: Server) -> None:
    max_ = await server.signed_in("max")
    erika = await server.signed_in("erika")
    async with push_service() as doomed:
        device = await subscribe(erika, doomed)
    # The push service is gone now: connecting fails, and the message is still sent.
    conversation = await max_.open_conversation(erika.account["id"])
    sent = await max_.send_message(conversation["id"], "trotzdem da")
    assert sent["text"] == "trotzdem da"
    await settled(server)
    assert device.pushes == []
    assert await subscription_count(server) == 1, "a network error is not an expiry"
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        assert (await http.get("/healthz")).status_code == 200


async def test_a_file_without_text_is_announced_by_its_name(
    server: Server, pushes: PushServiceOnLoopback
) -> None:
    max_, _erika, phone, conversation = await erika_subscribed(server, pushes)
    upload = await max_.upload_attachment(
        conversation["id"], "Angebot.pdf", b"%PDF-1.4 tiny", "application/pdf"
    )
    await max_.send_message(conversation["id"], "", attachment_ids=[upload["id"]])
    [push] = await pushes.wait_for(phone, 1)
    assert push.payload["body"] == "📎 Angebot.pdf"
