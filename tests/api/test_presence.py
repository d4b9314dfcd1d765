"""Presence: own profile, manual states, online and auto-away over all devices (CONT-1…3)."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import httpx
import pytest

from teamline.client import Client, EventStream
from tests.harness import Server, expect_error


def about(user: dict[str, Any] | None, **fields: object) -> Any:
    """A predicate for presence.changed events of ``user`` with the given presence fields."""
    assert user is not None

    def check(data: dict[str, Any]) -> bool:
        presence = data["presence"]
        return data["user_id"] == user["id"] and all(presence[k] == v for k, v in fields.items())

    return check


@pytest.mark.feature("CONT-1")
async def test_own_profile_carries_presence_and_avatar(server: Server) -> None:
    max_ = await server.signed_in("max", display_name="Max-Andreas Mustermann")
    me = await max_.me()
    assert me["presence"] == {
        "state": "available",
        "text": "",
        "auto_away": False,
        "online": False,
        "phone": "free",
        "effective": "offline",
    }
    assert me["avatar_version"] >= 1
    kind, body = await max_.avatar(me["id"])
    assert kind.startswith("image/svg+xml") and b"MM" in body


@pytest.mark.feature("CONT-2")
@pytest.mark.parametrize("state", ["available", "away", "dnd"])
async def test_manual_state_and_text_reach_colleagues(server: Server, state: str) -> None:
    max_ = await server.signed_in("max")
    erika = await server.signed_in("erika")
    async with erika.events() as watcher, max_.events():
        await watcher.wait_for("presence.changed", about(max_.account, online=True))
        presence = await max_.set_presence(state, "  Im Kundentermin bis 15 Uhr ")
        assert presence["state"] == state
        assert presence["text"] == "Im Kundentermin bis 15 Uhr"
        assert presence["effective"] == state
        event = await watcher.wait_for("presence.changed", about(max_.account, state=state))
    assert event["data"]["presence"]["text"] == "Im Kundentermin bis 15 Uhr"
    users = {u["login"]: u for u in await erika.users()}
    assert users["max"]["presence"]["state"] == state


@pytest.mark.feature("CONT-2")
async def test_text_is_kept_when_only_the_state_changes(server: Server) -> None:
    max_ = await server.signed_in("max")
    await max_.set_presence("dnd", "Workshop")
    assert (await max_.set_presence("available"))["text"] == "Workshop"
    assert (await max_.set_presence("available", ""))["text"] == ""


@pytest.mark.feature("CONT-2")
@pytest.mark.parametrize(
    "body", [{"state": "busy"}, {"state": "offline"}, {}, {"state": "dnd", "text": "x" * 201}]
)
async def test_bad_presence_is_refused(server: Server, body: dict[str, object]) -> None:
    max_ = await server.signed_in("max")
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        response = await http.put(
            "/api/v1/me/presence", json=body, headers={"Authorization": f"Bearer {max_.token}"}
        )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid-input"


@pytest.mark.feature("CONT-3")
async def test_online_while_any_device_is_connected(server: Server) -> None:
    max_ = await server.signed_in("max")
    phone = await server.second_device("max")
    erika = await server.signed_in("erika")
    async with erika.events() as watcher:
        first = max_.events()
        await first.connect()
        await watcher.wait_for("presence.changed", about(max_.account, online=True))
        async with phone.events():
            await first.close()
            await watcher.drain()
            assert (await erika.user(_id(max_)))["presence"]["online"] is True
        await watcher.wait_for(
            "presence.changed", about(max_.account, online=False, effective="offline")
        )


@pytest.mark.feature("CONT-3")
async def test_auto_away_from_idle_clients_and_back_on_activity(server: Server) -> None:
    max_ = await server.signed_in("max")
    erika = await server.signed_in("erika")
    async with erika.events() as watcher, max_.events() as stream:
        await watcher.wait_for("presence.changed", about(max_.account, online=True))
        await idle(stream, True)
        away = await watcher.wait_for("presence.changed", about(max_.account, auto_away=True))
        assert away["data"]["presence"]["effective"] == "away"
        assert away["data"]["presence"]["state"] == "available"  # the choice is kept apart
        await idle(stream, False)
        back = await watcher.wait_for("presence.changed", about(max_.account, auto_away=False))
        assert back["data"]["presence"]["effective"] == "available"


@pytest.mark.feature("CONT-3")
async def test_auto_away_needs_every_device_idle(server: Server) -> None:
    max_ = await server.signed_in("max")
    phone = await server.second_device("max")
    erika = await server.signed_in("erika")
    async with erika.events() as watcher, max_.events() as desk, phone.events() as mobile:
        await watcher.wait_for("presence.changed", about(max_.account, online=True))
        await idle(desk, True)
        await watcher.drain()
        assert (await erika.user(_id(max_)))["presence"]["auto_away"] is False
        await idle(mobile, True)
        await watcher.wait_for("presence.changed", about(max_.account, auto_away=True))


@pytest.mark.feature("CONT-3")
async def test_dnd_stays_dnd_while_idle(server: Server) -> None:
    max_ = await server.signed_in("max")
    async with max_.events() as stream:
        await max_.set_presence("dnd")
        await idle(stream, True)
        event = await stream.wait_for("presence.changed", about(max_.account, auto_away=True))
        assert event["data"]["presence"]["effective"] == "dnd"
        await idle(stream, False)
        await stream.wait_for("presence.changed", about(max_.account, auto_away=False))
    assert (await max_.me())["presence"]["state"] == "dnd"


@pytest.mark.feature("CONT-3")
async def test_presence_needs_a_token(server: Server) -> None:
    await expect_error(server.client().set_presence("dnd"), 401, "unauthenticated")
    await expect_error(server.client().users(), 401, "unauthenticated")


async def idle(stream: EventStream, value: bool) -> None:
    await stream.send("client.state", {"idle": value, "foreground": not value})


def _id(client: Client) -> str:
    assert client.account is not None
    return str(client.account["id"])


@pytest.mark.feature("CONT-1")
async def test_many_users_connecting_at_once_are_announced_together(server: Server) -> None:
    """Sockets opening together are announced in few events (one per interval), not one
    per user and watcher: each announcement is logged for every active user."""
    watcher_client = await server.signed_in("watcher")
    others = [await server.signed_in(f"user{i}") for i in range(6)]
    async with watcher_client.events() as watcher:
        await watcher.wait_for("presence.changed", about(watcher_client.account, online=True))
        await asyncio.sleep(0.3)  # past the interval: the next announcement is due at once
        async with contextlib.AsyncExitStack() as stack:
            await asyncio.gather(*(stack.enter_async_context(c.events()) for c in others))
            wanted = {c.account["id"] for c in others if c.account is not None}
            online: set[str] = set()
            frames = 0
            while online != wanted:
                event = await watcher.recv(5)
                changes = (
                    event["data"]["changes"]
                    if event["type"] == "presence.batch"
                    else [event["data"]]
                    if event["type"] == "presence.changed"
                    else []
                )
                frames += bool(changes)
                online.update(c["user_id"] for c in changes if c["presence"]["online"])
            assert frames < len(others), "six users connecting at once took an event each"
            # A batch is what a presence.changed of each user would have been.
            users = {u["id"]: u for u in await watcher_client.users()}
            assert all(users[u]["presence"]["online"] for u in wanted)
