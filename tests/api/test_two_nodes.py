"""Two real nodes (separate processes) on one database and one Redis channel (CONT-3).

Each node is ``teamline serve`` in its own process, so that one can be killed outright and the
other has to notice through the heartbeat sweep alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx
import pytest
import websockets

from teamline.client import Client, EventStream, SocketClosed
from teamline.events.hub import CLOSE_UNAUTHENTICATED
from tests.harness import PASSWORD, REDIS_URL, unique_channel

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.feature("CONT-3")]

TEAMLINE = str(Path(sys.executable).with_name("teamline"))
HEARTBEAT_SECONDS = 1.0
START_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Node:
    """One ``teamline serve`` process on a loopback port."""

    name: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path
    log: IO[bytes]
    clients: list[Client] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid

    def client(self, token: str | None = None) -> Client:
        client = Client(self.base_url, token)
        self.clients.append(client)
        return client

    def output(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")[-4000:]

    def kill(self) -> None:
        """SIGKILL: no shutdown hook runs, the node's sockets stay in the database."""
        os.kill(self.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.kill(self.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.kill(self.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log.close()


class Cluster:
    """The environment of the nodes and the commands run against their database."""

    def __init__(self, database_url: str, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("TEAMLINE_")},
            "TEAMLINE_DATABASE_URL": database_url,
            "TEAMLINE_REDIS_URL": REDIS_URL,
            "TEAMLINE_REDIS_CHANNEL": unique_channel(),
            "TEAMLINE_DATA_DIR": str(data_dir),
            "TEAMLINE_ARGON2_TIME_COST": "1",
            "TEAMLINE_ARGON2_MEMORY_KIB": "8",
            "TEAMLINE_ARGON2_PARALLELISM": "1",
            "TEAMLINE_NODE_HEARTBEAT_SECONDS": str(HEARTBEAT_SECONDS),
            "TEAMLINE_LOG_LEVEL": "warning",
        }
        self.nodes: list[Node] = []

    def cli(self, *args: str) -> str:
        done = subprocess.run(
            [TEAMLINE, *args], env=self.env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def start(self, name: str) -> Node:
        port = free_port()
        log_path = self.data_dir / f"node-{name}.log"
        log = log_path.open("wb")
        process = subprocess.Popen(
            [TEAMLINE, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        node = Node(name, port, process, log_path, log)
        self.nodes.append(node)
        return node

    async def wait_healthy(self, node: Node) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + START_TIMEOUT
        async with httpx.AsyncClient(base_url=node.base_url, timeout=2) as http:
            while True:
                assert node.process.poll() is None, f"node {node.name} exited:\n{node.output()}"
                with contextlib.suppress(httpx.TransportError):
                    if (await http.get("/healthz")).status_code == 200:
                        return
                assert loop.time() < deadline, f"node {node.name} not healthy:\n{node.output()}"
                await asyncio.sleep(0.1)

    async def close(self) -> None:
        for node in self.nodes:
            for client in node.clients:
                await client.aclose()
        for node in self.nodes:
            node.stop()


@dataclass
class TwoNodes:
    a: Node
    b: Node
    admin: Client  # an administrator signed in on node A

    async def user(self, login: str) -> str:
        """Create a user through node A's admin API; their id."""
        created = await self.admin.admin_create_user(
            login=login, display_name=login.title(), password=PASSWORD
        )
        user_id: str = created["id"]
        return user_id

    async def sign_in(self, node: Node, login: str, device: str | None = None) -> Client:
        client = node.client()
        await client.sign_in(login, PASSWORD, device_name=device)
        return client


@pytest.fixture
def cluster(database_url: str, tmp_path: Path) -> Iterator[Cluster]:
    cluster = Cluster(database_url, tmp_path)
    try:
        yield cluster
    finally:
        # Stop every process even when the test (or closing a client) failed.
        for node in cluster.nodes:
            node.stop()


@pytest.fixture
async def nodes(cluster: Cluster) -> AsyncIterator[TwoNodes]:
    cluster.cli(
        "admin", "user", "add", "root", "--name", "Root", "--password", PASSWORD, "--role", "admin"
    )
    a, b = cluster.start("a"), cluster.start("b")
    try:
        await asyncio.gather(cluster.wait_healthy(a), cluster.wait_healthy(b))
        admin = a.client()
        await admin.sign_in("root", PASSWORD)
        yield TwoNodes(a, b, admin)
    finally:
        await cluster.close()


async def poll(check: Callable[[], Any], timeout: float, what: str) -> None:
    """Poll an async ``check`` until it returns true; fail after ``timeout`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await check():
        assert loop.time() < deadline, f"not within {timeout} s: {what}"
        await asyncio.sleep(0.1)


def by(user_id: str, **presence: Any) -> Callable[[dict[str, Any]], bool]:
    """A ``wait_for`` filter: a presence.changed of ``user_id`` with these presence fields."""

    def match(data: dict[str, Any]) -> bool:
        return data["user_id"] == user_id and all(
            data["presence"].get(k) == v for k, v in presence.items()
        )

    return match


# -- (a) an event caused on A reaches a socket on B ----------------------------------------


async def test_event_caused_on_a_reaches_socket_on_b(nodes: TwoNodes) -> None:
    xavier_id = await nodes.user("xavier")
    yara_id = await nodes.user("yara")
    xavier = await nodes.sign_in(nodes.a, "xavier")
    yara = await nodes.sign_in(nodes.b, "yara")
    async with yara.events() as stream:
        await stream.wait_for("presence.changed", by(yara_id, online=True))
        await xavier.set_presence("dnd", "Call with the tax office")
        event = await stream.wait_for("presence.changed", by(xavier_id, state="dnd"))
        assert event["data"]["presence"]["text"] == "Call with the tax office"
        # Both nodes serve the same state.
        for node in (nodes.a, nodes.b):
            seen = await node.client(yara.token).user(xavier_id)
            assert seen["presence"]["state"] == "dnd"


async def test_served_event_socket_declines_compression(nodes: TwoNodes) -> None:
    """``teamline serve`` sends event frames uncompressed even to a client that offers
    permessage-deflate: compressing every member's copy of a group message per socket cost
    more CPU than sending it (app.SERVER_OPTIONS)."""
    await nodes.user("wanda")
    wanda = await nodes.sign_in(nodes.a, "wanda")
    ws_base = "ws" + nodes.a.base_url[len("http") :]
    async with websockets.connect(
        f"{ws_base}/api/v1/events",
        additional_headers={"Authorization": f"Bearer {wanda.token}"},
        compression="deflate",
    ) as conn:
        assert conn.request is not None and conn.response is not None
        assert "permessage-deflate" in conn.request.headers["Sec-WebSocket-Extensions"]
        assert "Sec-WebSocket-Extensions" not in conn.response.headers
        await wanda.set_presence("dnd", "frames still arrive")
        frame = json.loads(await asyncio.wait_for(conn.recv(), 10))
        assert frame["type"] in {"presence.changed", "presence.batch"}


# -- (b) resume on the other node with ``since`` -------------------------------------------


async def test_resume_on_other_node_replays_exactly_the_missed_events(nodes: TwoNodes) -> None:
    xavier_id = await nodes.user("xavier")
    yara_id = await nodes.user("yara")
    zoe_id = await nodes.user("zoe")
    yara_a = await nodes.sign_in(nodes.a, "yara")
    zoe_b = await nodes.sign_in(nodes.b, "zoe")
    # Xavier's keeper device holds a socket on B throughout, so his roaming device going
    # away and coming back never changes his presence: his events are Yara's and Zoe's.
    keeper = await nodes.sign_in(nodes.b, "xavier", "keeper")
    roaming = await nodes.sign_in(nodes.a, "xavier", "roaming")
    assert roaming.token is not None
    # Yara's socket (on A) sees Xavier's presence announced; it is open before the roaming
    # device's first socket, so its own coming online is nothing the roaming device misses.
    yara_watch = yara_a.events()
    await yara_watch.connect()
    await yara_watch.wait_for("presence.changed", by(yara_id, online=True))
    async with keeper.events() as watch:
        await watch.wait_for("presence.changed", by(xavier_id, online=True))
        stream = roaming.events()
        await stream.connect()
        for text in ("seen 1", "seen 2", "seen 3"):
            await yara_a.set_presence("available", text)
            await stream.wait_for("presence.changed", by(yara_id, text=text))
        last = stream.last_id
        assert last is not None
        await stream.close()

        # Events caused on both nodes while the roaming device is away.
        missed: list[tuple[str, str]] = []
        for i in range(6):
            author, author_id = (yara_a, yara_id) if i % 2 == 0 else (zoe_b, zoe_id)
            await author.set_presence("away", f"missed {i}")
            missed.append((author_id, f"missed {i}"))
        await watch.wait_for("presence.changed", by(zoe_id, text="missed 5"))

    # The keeper closed: Xavier goes offline, one more event the roaming device missed. Wait
    # for its announcement, so that the resumed socket cannot keep him online instead.
    await yara_watch.wait_for("presence.changed", by(xavier_id, online=False))
    resumed = nodes.b.client(roaming.token).events(since=last)
    await resumed.connect()
    try:
        replay = [await resumed.recv() for _ in range(len(missed) + 1)]
        ids = [e["id"] for e in replay]
        assert ids == sorted(set(ids)) and ids[0] > last
        assert all(e["type"] == "presence.changed" for e in replay)
        assert [(e["data"]["user_id"], e["data"]["presence"]["text"]) for e in replay[:-1]] == (
            missed
        )
        assert replay[-1]["data"]["user_id"] == xavier_id
        assert replay[-1]["data"]["presence"]["online"] is False
        # Then live: the resumed socket itself brings Xavier online again, and an event
        # caused on A follows, each exactly once.
        back = await resumed.recv()
        assert back["id"] > ids[-1]
        assert by(xavier_id, online=True)(back["data"])
        await yara_a.set_presence("dnd", "live")
        live = await resumed.recv()
        assert live["id"] > back["id"]
        assert by(yara_id, text="live")(live["data"])
        assert await resumed.drain(0.5) == []
    finally:
        await resumed.close()
        await yara_watch.close()


# -- (c) a killed node's sockets are swept by the other ------------------------------------


async def events_during(stream: EventStream, seconds: float) -> list[dict[str, Any]]:
    """Every event that arrives within the next ``seconds``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    events: list[dict[str, Any]] = []
    while (remaining := deadline - loop.time()) > 0:
        with contextlib.suppress(TimeoutError):
            events.append(await stream.recv(remaining))
    return events


async def test_killed_node_sockets_go_offline_via_heartbeat_sweep(nodes: TwoNodes) -> None:
    walter_id = await nodes.user("walter")
    olga_id = await nodes.user("olga")
    walter = await nodes.sign_in(nodes.b, "walter")
    olga = await nodes.sign_in(nodes.a, "olga")

    async def walter_online_on_a() -> bool:
        online: bool = (await olga.user(walter_id))["presence"]["online"]
        return online

    async def walter_offline_on_a() -> bool:
        return not await walter_online_on_a()

    async with olga.events() as watch:
        await watch.wait_for("presence.changed", by(olga_id, online=True))
        stream = walter.events()
        await stream.connect()
        try:
            await watch.wait_for("presence.changed", by(walter_id, online=True))
            assert await walter_online_on_a()
            # While B lives, its heartbeat keeps Walter's socket fresh: A's sweep, running
            # every second, takes nothing during more than the stale window (3 heartbeats).
            quiet = await events_during(watch, HEARTBEAT_SECONDS * 4.5)
            assert [e for e in quiet if by(walter_id, online=False)(e["data"])] == []
            assert await walter_online_on_a()

            loop = asyncio.get_running_loop()
            killed_at = loop.time()
            nodes.b.kill()
            offline = await watch.wait_for(
                "presence.changed", by(walter_id, online=False), timeout=HEARTBEAT_SECONDS * 10
            )
            elapsed = loop.time() - killed_at
        finally:
            with contextlib.suppress(SocketClosed, OSError):
                await stream.close()
    assert offline["data"]["presence"]["effective"] == "offline"
    # Stale after 3 heartbeats without B's touch, swept at A's next heartbeat: about 4 s.
    assert elapsed < HEARTBEAT_SECONDS * 8
    await poll(walter_offline_on_a, 5, "A reports Walter offline")


# -- (d) unpairing through A closes the device's socket on B -------------------------------


@pytest.mark.feature("PAIR-6")
async def test_device_unpaired_on_a_is_closed_on_b(nodes: TwoNodes) -> None:
    await nodes.user("vera")
    phone = await nodes.sign_in(nodes.b, "vera", "phone")
    laptop = await nodes.sign_in(nodes.a, "vera", "laptop")
    assert phone.device is not None and phone.token is not None
    phone_id = phone.device["id"]
    async with phone.events() as stream, laptop.events() as other:
        await laptop.set_presence("available", "ready")
        await stream.wait_for("presence.changed", lambda d: d["presence"]["text"] == "ready")
        await laptop.unpair(phone_id)
        revoked = await stream.wait_for("device.revoked")
        assert revoked["data"] == {"device_id": phone_id}
        with pytest.raises(SocketClosed) as closed:
            await stream.recv(timeout=5)
        assert closed.value.code == CLOSE_UNAUTHENTICATED
        seen = await other.wait_for("device.revoked")
        assert seen["id"] == revoked["id"]
    # The token is dead on both nodes.
    for node in (nodes.a, nodes.b):
        async with node.client(phone.token).events() as again:
            with pytest.raises(SocketClosed) as closed:
                await again.recv(timeout=5)
            assert closed.value.code == CLOSE_UNAUTHENTICATED


# -- (e) chat across nodes: a message sent on A arrives live on B, the unread count agrees -----


@pytest.mark.feature("CHAT-1", "CHAT-5")
async def test_message_sent_on_a_arrives_on_b_and_reading_on_b_clears_it_on_a(
    nodes: TwoNodes,
) -> None:
    await nodes.user("xavier")
    yara_id = await nodes.user("yara")
    xavier = await nodes.sign_in(nodes.a, "xavier")
    yara_on_b = await nodes.sign_in(nodes.b, "yara", "phone")
    yara_on_a = await nodes.sign_in(nodes.a, "yara", "desk")
    conversation = (await xavier.open_conversation(yara_id))["id"]
    async with yara_on_b.events() as phone, yara_on_a.events() as desk:
        sent = await xavier.send_message(conversation, "Über zwei Knoten", client_id="x-1")
        got = await phone.wait_for("message.created")
        assert got["data"]["id"] == sent["id"]
        assert (await yara_on_a.conversations())["unread_total"] == 1
        await yara_on_b.mark_read(conversation, sent["id"])
        read = await desk.wait_for("conversation.read")
    assert read["data"]["unread_total"] == 0
    assert (await yara_on_a.conversations())["unread_total"] == 0
