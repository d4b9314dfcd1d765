"""The WebSocket hub of one node: the event sockets open here and the delivery to them.

Facts reach the hub from the bus; it hands them to its sockets strictly in id order. Ids
are handed out in commit order (``store.append``), so when fact n arrives every fact
below n is committed: one that has not arrived yet (published late, by another node, or
by a process without a hub) is read from the log, delivered in its place, and dropped
when it arrives. Each socket has a pump task that sends its frames in that order. A socket
is registered *before* its starting point is read from the database, so an event
committed in between is buffered rather than lost; ids at or below what was already sent
are dropped.

A fact is encoded once, however many sockets it goes to. To a socket whose pump has nothing
pending, the hub writes the frames straight to the connection (``teamline.events.wire``): all
the frames one commit has for it in one write, all recipients in one pass. Otherwise (the
socket is starting, its connection's buffer is full, or the frame closes it) the frame joins
the socket's queue and its pump sends it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from starlette.websockets import WebSocket, WebSocketState

from teamline.core.db import Database
from teamline.events import store
from teamline.events.wire import Wire, text_frame

log = logging.getLogger(__name__)

CLOSE_UNAUTHENTICATED = 4401
CLOSE_MALFORMED = 4400
CLOSE_TRY_AGAIN = 1013  # RFC 6455: try again later (server overloaded)


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


class Frame:
    """One event as sent: its text is encoded once, on first use, for all its sockets."""

    __slots__ = ("_bytes", "_text", "data", "id", "type")

    def __init__(self, id: int, type: str, data: dict[str, Any]) -> None:
        self.id = id
        self.type = type
        self.data = data
        self._text: str | None = None
        self._bytes: bytes | None = None

    def wire(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.type, "data": self.data}

    def text(self) -> str:
        """The frame as sent: ``json.dumps(self.wire())``, compact."""
        if self._text is None:
            self._text = _dumps(self.wire())
        return self._text

    def wire_bytes(self) -> bytes:
        """The whole WebSocket frame, for ``Wire.write``."""
        if self._bytes is None:
            self._bytes = text_frame(self.text())
        return self._bytes


@dataclass(eq=False)
class EventSocket:
    """One open event socket: whose it is, and what was sent on it."""

    websocket: WebSocket
    user_id: str
    device_id: str
    socket_id: str
    last_id: int = 0
    queue: asyncio.Queue[Frame | None] = field(default_factory=asyncio.Queue)
    closed: asyncio.Event = field(default_factory=asyncio.Event)
    close_code: int = 1000
    wire: Wire | None = None  # set by the pump once the replay is sent
    sending: bool = False  # the pump is sending a frame


_Writes = dict[EventSocket, list[bytes]]  # per socket: frames to write when a batch is done


def _flush(writes: _Writes) -> None:
    for sock, frames in writes.items():
        assert sock.wire is not None
        try:
            sock.wire.write(frames[0] if len(frames) == 1 else b"".join(frames))
        except Exception:  # a broken connection; its socket closes by itself
            log.debug("event socket write failed", exc_info=True)


class Hub:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._sockets: dict[str, set[EventSocket]] = defaultdict(set)
        self._horizon: int | None = None  # every fact up to this id was delivered
        self._filling = asyncio.Lock()  # held while facts are read from the log

    async def start(self) -> None:
        """Deliver the facts committed from now on (before the bus starts)."""
        async with self.db.read() as session:
            self._horizon, _ = await store.position(session)

    # -- bus side ---------------------------------------------------------------------
    async def deliver(self, facts: list[dict[str, Any]]) -> None:
        """Bus handler: one commit's facts to the local sockets of their recipients, in id
        order; each connection gets all of its frames in one write."""
        if not facts:
            return
        first, last = int(facts[0]["id"]), int(facts[-1]["id"])
        if self._horizon is None:  # not started: from these facts on
            self._horizon = first - 1
        if (
            first == self._horizon + 1
            and last == self._horizon + len(facts)  # one commit's ids are consecutive
            and not self._filling.locked()
        ):
            self._horizon = last
            writes: _Writes = {}
            for fact in facts:
                self._queue(writes, fact["id"], fact["type"], fact["data"], fact["recipients"])
            _flush(writes)
            return
        async with self._filling:
            for fact in facts:
                await self._deliver_in_order(fact)

    async def _deliver_in_order(self, fact: dict[str, Any]) -> None:
        """One fact, after the ones missing before it (read from the log); none twice."""
        assert self._horizon is not None
        event_id = int(fact["id"])
        while event_id > self._horizon + 1:
            async with self.db.read() as session:
                missing = await store.between(session, self._horizon, event_id)
            writes: _Writes = {}
            for found in missing:
                self._queue(writes, found.id, found.type, found.data, found.recipients)
            _flush(writes)
            self._horizon = missing[-1].id if missing else event_id - 1
        if event_id == self._horizon + 1:
            self._horizon = event_id
            writes = {}
            self._queue(writes, event_id, fact["type"], fact["data"], fact["recipients"])
            _flush(writes)
        # else: delivered from the log already

    def _queue(
        self,
        writes: _Writes,
        event_id: int,
        type_: str,
        data: dict[str, Any],
        recipients: list[str],
    ) -> None:
        """The fact's frame to each socket of its recipients: into ``writes`` for a socket
        whose pump has nothing pending (written when the batch is done), else its queue."""
        frame: Frame | None = None
        for user_id in recipients:
            for sock in self._sockets.get(user_id, ()):
                if frame is None:
                    frame = Frame(event_id, type_, data)
                wire = sock.wire
                if (
                    wire is not None
                    and not sock.sending
                    and sock.queue.empty()
                    and type_ != "device.revoked"  # the pump closes the socket after it
                    and wire.ready()
                ):
                    if frame.id > sock.last_id:
                        writes.setdefault(sock, []).append(frame.wire_bytes())
                        sock.last_id = frame.id
                else:
                    # Queued after what ``writes`` holds for it: the pump runs only once
                    # the batch is written.
                    sock.queue.put_nowait(frame)

    def sockets(self, user_id: str) -> list[EventSocket]:
        """The sockets of ``user_id`` open on this node."""
        return list(self._sockets.get(user_id, ()))

    # -- socket side ------------------------------------------------------------------
    def register(self, sock: EventSocket) -> None:
        self._sockets[sock.user_id].add(sock)

    def unregister(self, sock: EventSocket) -> None:
        sockets = self._sockets.get(sock.user_id)
        if sockets is not None:
            sockets.discard(sock)
            if not sockets:
                del self._sockets[sock.user_id]

    async def start_position(self, sock: EventSocket, since: int | None) -> list[Frame]:
        """Where the socket starts: the replay after ``since``, or now when ``since`` is None.

        Afterwards the socket takes the facts after the newest id read here: the replay
        covers everything up to it.
        """
        async with self.db.read() as session:
            newest, pruned_through = await store.position(session)
            sock.last_id = newest
            if since is None or since == newest:
                return []
            if since > newest or since < pruned_through:
                # A newer id than the log's (e.g. a restore from backup) or one from before
                # what the log still holds: the client must reload.
                return [Frame(newest, "events.gap", {})]
            frames: list[Frame] = []
            cursor = since
            while True:
                batch = await store.after(session, sock.user_id, cursor, until=newest + 1)
                frames.extend(Frame(fact.id, fact.type, fact.data) for fact in batch)
                if len(batch) < store.REPLAY_BATCH:
                    return frames
                cursor = batch[-1].id

    async def pump(self, sock: EventSocket, initial: list[Frame], wire: Wire | None) -> None:
        """Send frames to the socket in id order until it is closed: the replay, then what
        the hub could not write to the connection itself (given ``wire``)."""
        try:
            for frame in initial:
                await self._send(sock, frame)
            sock.wire = wire
            while True:
                item = await sock.queue.get()
                if item is None:
                    break
                frame = item
                if frame.id <= sock.last_id:
                    continue
                sock.sending = True
                try:
                    await self._send(sock, frame)
                finally:
                    sock.sending = False
                if frame.type == "device.revoked" and frame.data.get("device_id") == sock.device_id:
                    sock.close_code = CLOSE_UNAUTHENTICATED
                    break
        except Exception:  # a broken connection ends its pump, nothing else
            log.debug("event socket pump ended", exc_info=True)
        finally:
            sock.closed.set()
            with contextlib.suppress(Exception):
                if sock.websocket.application_state == WebSocketState.CONNECTED:
                    await sock.websocket.close(code=sock.close_code)

    async def _send(self, sock: EventSocket, frame: Frame) -> None:
        await sock.websocket.send_text(frame.text())
        sock.last_id = max(sock.last_id, frame.id)
