"""The event log behind ``/api/v1/events``: replay with ``since``, gaps, close codes."""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any
from urllib.parse import urlsplit

import pytest
import websockets

from teamline.client import Client, EventStream, SocketClosed
from teamline.events.hub import CLOSE_MALFORMED, CLOSE_UNAUTHENTICATED
from tests.harness import Server, uid

Event = dict[str, Any]


def ws_url(server: Server) -> str:
    return "ws" + server.base_url[len("http") :] + "/api/v1/events"


async def set_presence_of(
    client: Client, texts: list[str], stream: EventStream | None = None
) -> None:
    """Change ``client``'s status text once per entry; wait for each on ``stream`` if given."""
    assert client.account is not None
    user_id = client.account["id"]
    for text in texts:
        await client.set_presence("available", text)
        if stream is not None:
            await stream.wait_for(
                "presence.changed",
                lambda d, t=text: d["user_id"] == user_id and d["presence"]["text"] == t,
            )


def texts_of(events: list[Event]) -> list[str]:
    return [e["data"]["presence"]["text"] for e in events]


def assert_increasing(events: list[Event], after: int) -> None:
    """Ids increase per user (one sequence for all users: not consecutive for anyone)."""
    ids = [e["id"] for e in events]
    assert ids == sorted(set(ids)) and all(i > after for i in ids)


async def closed_with(stream: EventStream) -> int | None:
    """Read until the server closes the socket; the close code."""
    with pytest.raises(SocketClosed) as closed:
        while True:
            await stream.recv(timeout=5)
    return closed.value.code


# -- replay --------------------------------------------------------------------------------


async def test_reconnect_with_since_replays_missed_events_in_order(server: Server) -> None:
    anna = await server.signed_in("anna")
    ben = await server.signed_in("ben")
    # A second device of Anna stays connected throughout, so that her own sockets coming and
    # going never change her presence: the only events she gets are Ben's.
    keeper = await server.second_device("anna")
    async with keeper.events() as watch:
        await watch.wait_for("presence.changed", lambda d: d["presence"]["online"])
        stream = anna.events()
        await stream.connect()
        await set_presence_of(ben, ["one", "two"], stream)
        last = stream.last_id
        assert last is not None
        await stream.close()

        missed = [f"missed {i}" for i in range(7)]
        await set_presence_of(ben, missed, watch)

        await stream.connect()  # with ?since=<last id seen>
        try:
            replayed = [await stream.recv() for _ in missed]
            assert [e["type"] for e in replayed] == ["presence.changed"] * len(missed)
            assert texts_of(replayed) == missed
            assert_increasing(replayed, last)
            assert await stream.drain(0.3) == []  # nothing duplicated, nothing extra
            # Live events continue right after the replay.
            await ben.set_presence("dnd", "live")
            live = await stream.recv()
            assert live["id"] > replayed[-1]["id"]
            assert live["data"]["presence"]["text"] == "live"
        finally:
            await stream.close()


async def test_replay_and_concurrent_live_events_are_neither_lost_nor_duplicated(
    server: Server,
) -> None:
    anna = await server.signed_in("anna")
    ben = await server.signed_in("ben")
    keeper = await server.second_device("anna")
    async with keeper.events() as watch:
        await watch.wait_for("presence.changed", lambda d: d["presence"]["online"])
        stream = anna.events()
        await stream.connect()
        await set_presence_of(ben, ["start"], stream)
        last = stream.last_id
        assert last is not None
        await stream.close()
        await set_presence_of(ben, [f"before {i}" for i in range(20)])

        # Events keep being committed while the socket replays the backlog.
        during = [f"during {i}" for i in range(20)]
        writer = asyncio.create_task(set_presence_of(ben, during))
        await stream.connect()
        try:
            await writer
            received: list[Event] = []
            while not received or received[-1]["data"]["presence"]["text"] != during[-1]:
                received.append(await stream.recv())
            assert_increasing(received, last)
            assert texts_of(received) == [f"before {i}" for i in range(20)] + during
            assert await stream.drain(0.3) == []
        finally:
            await stream.close()
        # Read the keeper's backlog too: a websockets client with more unread messages than
        # its max_queue (16) cannot read the server's close frame and waits 10 s on close.
        await watch.wait_for("presence.changed", lambda d: d["presence"]["text"] == during[-1])


async def test_since_equal_to_newest_replays_nothing(server: Server) -> None:
    anna = await server.signed_in("anna")
    ben = await server.signed_in("ben")
    async with anna.events() as stream:
        await set_presence_of(ben, ["a", "b"], stream)
        newest = stream.last_id
    keeper = await server.second_device("anna")
    async with keeper.events() as watch:
        # Anna is online again through the keeper; her first socket's close and this open
        # logged two presence events after ``newest``.
        await watch.wait_for("presence.changed", lambda d: d["presence"]["online"])
        current = watch.last_id
        assert current is not None and newest is not None and current > newest
        async with anna.events(since=current) as stream:
            assert await stream.drain(0.3) == []
            await ben.set_presence("away")
            event = await stream.recv()
            assert event["id"] > current
            assert event["data"]["presence"]["state"] == "away"


# -- gaps ----------------------------------------------------------------------------------


async def test_since_older_than_retention_yields_one_gap(server: Server) -> None:
    anna = await server.signed_in("anna")
    ben = await server.signed_in("ben")
    keeper = await server.second_device("anna")
    async with keeper.events() as watch:
        await watch.wait_for("presence.changed", lambda d: d["presence"]["online"])
        first = watch.last_id
        assert first is not None
        ids: list[int] = []
        for i in range(6):
            await set_presence_of(ben, [f"t{i}"], watch)
            assert watch.last_id is not None
            ids.append(watch.last_id)
        newest = ids[-1]

        # The newest three facts of all are kept (Ben's t3…t5: nothing happened since).
        server.container.settings.event_retention_max = 3
        await server.container.events.prune()

        # Within what is kept, replay still works...
        async with anna.events(since=ids[2]) as stream:
            kept = [await stream.recv() for _ in range(3)]
            assert texts_of(kept) == ["t3", "t4", "t5"]
            assert [e["id"] for e in kept] == ids[3:]
            assert await stream.drain(0.3) == []

        # ...beyond it, exactly one gap tells the client to reload, then live events follow.
        async with anna.events(since=first) as stream:
            gap = await stream.recv()
            assert gap["type"] == "events.gap"
            assert gap["data"] == {}
            assert await stream.drain(0.3) == []
            await ben.set_presence("dnd", "after the gap")
            live = await stream.recv()
            assert live["type"] == "presence.changed"
            assert live["data"]["presence"]["text"] == "after the gap"
            assert live["id"] > newest
            assert stream.last_id == live["id"]


async def test_since_newer_than_newest_yields_gap(server: Server) -> None:
    anna = await server.signed_in("anna")
    ben = await server.signed_in("ben")
    async with anna.events() as stream:
        await set_presence_of(ben, ["x"], stream)
        newest = stream.last_id
    assert newest is not None
    # The server forgot events the client saw (e.g. a restore from backup): reload.
    async with anna.events(since=newest + 1000) as stream:
        gap = await stream.recv()
        assert gap["type"] == "events.gap"
        events = await stream.drain(0.3)
        assert [e["type"] for e in events if e["type"] == "events.gap"] == []
        await ben.set_presence("away", "later")
        live = await stream.wait_for("presence.changed", lambda d: d["presence"]["text"] == "later")
        assert live["id"] > gap["id"]


# -- malformed input and authentication ----------------------------------------------------


@pytest.mark.parametrize("since", ["abc", "-1", "1.5", "0x10", "²"])
async def test_malformed_since_closes_with_4400(server: Server, since: str) -> None:
    anna = await server.signed_in("anna")
    assert anna.token is not None
    stream = EventStream(f"{ws_url(server)}?since={since}", anna.token)
    await stream.connect()
    try:
        assert await closed_with(stream) == CLOSE_MALFORMED
    finally:
        await stream.close()


@pytest.mark.parametrize(
    "frame",
    ["not json", "[1, 2]", '{"data": {}}', '{"type": 7}', '{"type": "client.state", "data": 1}'],
)
async def test_malformed_client_frame_closes_with_4400(server: Server, frame: str) -> None:
    anna = await server.signed_in("anna")
    async with anna.events() as stream:
        await stream.send_raw(frame)
        assert await closed_with(stream) == CLOSE_MALFORMED


async def test_unknown_frame_type_is_ignored(server: Server) -> None:
    anna = await server.signed_in("anna")
    ben = await server.signed_in("ben")
    async with anna.events() as stream:
        await stream.send("x.future", {"anything": True})
        await ben.set_presence("dnd", "still open")
        event = await stream.wait_for(
            "presence.changed", lambda d: d["presence"]["text"] == "still open"
        )
        assert ben.account is not None
        assert event["data"]["user_id"] == ben.account["id"]


@pytest.mark.parametrize("token", ["", "nonsense", "tl_" + "0" * 40])
async def test_bad_token_closes_with_4401(server: Server, token: str) -> None:
    await server.create_user("anna")
    stream = EventStream(ws_url(server), token)
    await stream.connect()
    try:
        assert await closed_with(stream) == CLOSE_UNAUTHENTICATED
    finally:
        await stream.close()


# -- revocation ----------------------------------------------------------------------------


@pytest.mark.feature("PAIR-6")
async def test_unpaired_device_gets_revoked_event_then_4401(server: Server) -> None:
    phone = await server.signed_in("anna")
    laptop = await server.second_device("anna")
    assert phone.device is not None
    phone_id = phone.device["id"]
    async with phone.events() as phone_stream, laptop.events() as laptop_stream:
        await laptop.unpair(phone_id)
        revoked = await phone_stream.wait_for("device.revoked")
        assert revoked["data"] == {"device_id": phone_id}
        assert await closed_with(phone_stream) == CLOSE_UNAUTHENTICATED
        # The other device hears of it and stays connected.
        seen = await laptop_stream.wait_for("device.revoked")
        assert seen["data"] == {"device_id": phone_id}
        assert seen["id"] == revoked["id"]  # one log per user: the same event, the same id
        await laptop.set_presence("dnd", "still here")
        await laptop_stream.wait_for(
            "presence.changed", lambda d: d["presence"]["text"] == "still here"
        )
    # The revoked token no longer opens a socket, with or without ``since``.
    for since in (None, revoked["id"]):
        async with phone.events(since=since) as stream:
            assert await closed_with(stream) == CLOSE_UNAUTHENTICATED


@pytest.mark.feature("PAIR-6")
async def test_sign_out_closes_own_socket_with_4401(server: Server) -> None:
    anna = await server.signed_in("anna")
    assert anna.device is not None
    device_id = anna.device["id"]
    async with anna.events() as stream:
        await anna.sign_out()
        revoked = await stream.wait_for("device.revoked")
        assert revoked["data"] == {"device_id": device_id}
        assert await closed_with(stream) == CLOSE_UNAUTHENTICATED


# -- delivery ------------------------------------------------------------------------------


@pytest.mark.feature("CHAT-1")
async def test_a_member_who_stops_reading_holds_up_nobody_and_misses_nothing(
    server: Server,
) -> None:
    """Cleo's connection stops reading (a tiny receive buffer, nothing read): the server's
    sends to her soon have to wait. Erika still gets every message at once, and Cleo, once
    she reads again, gets them all in order."""
    max_ = await server.signed_in("max")
    erika = await server.signed_in("erika")
    cleo = await server.signed_in("cleo")
    group = await max_.create_group("Team", [uid(erika), uid(cleo)])
    conversation = group["conversation_id"]
    url = urlsplit(server.base_url)
    raw = socket.socket()
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    raw.connect((url.hostname, url.port))
    stalled = await websockets.connect(
        ws_url(server),
        sock=raw,
        max_queue=1,  # and so websockets stops reading the socket
        additional_headers={"Authorization": f"Bearer {cleo.token}"},
    )
    texts = [f"{k} " + "x" * 9900 for k in range(500)]  # 5 MB for Cleo's connection
    try:
        async with erika.events() as stream:
            for text in texts:
                await max_.send_message(conversation, text)
                event = await stream.wait_for("message.created", timeout=5)
                assert event["data"]["text"] == text
        received: list[str] = []
        while len(received) < len(texts):
            event = json.loads(await asyncio.wait_for(stalled.recv(), timeout=10))
            if event["type"] == "message.created":
                received.append(event["data"]["text"])
        assert received == texts
    finally:
        await stalled.close()


@pytest.mark.feature("CHAT-1")
async def test_the_hub_writes_to_event_sockets_directly(server: Server) -> None:
    """The server's WebSocket connections let the hub write frames itself (``Wire``): if a
    uvicorn upgrade took that away, every frame would silently take the slow path."""
    anna = await server.signed_in("anna")
    ben = await server.signed_in("ben")
    async with anna.events() as stream:
        await stream.wait_for("presence.changed")
        sockets = server.container.hub.sockets(uid(anna))
        assert len(sockets) == 1 and sockets[0].wire is not None
        await ben.set_presence("dnd", "direct")
        event = await stream.wait_for(
            "presence.changed", lambda d: d["presence"]["text"] == "direct"
        )
        assert sockets[0].last_id == event["id"]
