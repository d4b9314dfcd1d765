"""The WebSocket hub of one node: the event sockets open here and the delivery to them.

Each socket has a pump task that sends frames strictly in event-id order. A socket is
registered *before* its starting point is read from the database, so an event committed in
between is buffered rather than lost; ids at or below what was already sent are dropped, and
a hole (ids arriving out of order across publishers) is filled from the log, where the
missing events are already committed because ids are handed out under a row lock.

A fact published to many users is JSON-encoded once: each recipient's frame differs only in
its event id, which is put in front of the shared encoding.
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

log = logging.getLogger(__name__)

CLOSE_UNAUTHENTICATED = 4401
CLOSE_MALFORMED = 4400
CLOSE_TRY_AGAIN = 1013  # RFC 6455: try again later (server overloaded)


def encode_body(type_: str, data: dict[str, Any]) -> str:
    """``"type":…,"data":…`` as Starlette's ``send_json`` would encode them."""
    return f'"type":{_dumps(type_)},"data":{_dumps(data)}'


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class Frame:
    id: int
    type: str
    data: dict[str, Any]
    body: str | None = None  # encode_body(type, data), shared by every recipient of a fact

    def wire(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.type, "data": self.data}

    def text(self) -> str:
        """The frame as sent: the same JSON as ``json.dumps(self.wire())``, compact."""
        body = self.body if self.body is not None else encode_body(self.type, self.data)
        return f'{{"id":{self.id},{body}}}'


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


class Hub:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._sockets: dict[str, set[EventSocket]] = defaultdict(set)

    # -- bus side ---------------------------------------------------------------------
    async def deliver(self, message: dict[str, Any]) -> None:
        """Bus handler: queue the fact on every local socket of every recipient."""
        type_, data = message["type"], message["data"]
        body: str | None = None
        for user_id, event_id in message["recipients"]:
            for sock in self._sockets.get(user_id, ()):
                if body is None:
                    body = encode_body(type_, data)
                sock.queue.put_nowait(Frame(int(event_id), type_, data, body))

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
        """Where the socket starts: the replay after ``since``, or now when ``since`` is None."""
        async with self.db.read() as session:
            newest = await store.last_id(session, sock.user_id)
            if since is None or since == newest:
                sock.last_id = newest
                return []
            if since > newest:
                sock.last_id = newest
                return [Frame(newest, "events.gap", {})]
            frames: list[Frame] = []
            cursor = since
            while True:
                batch = await store.after(session, sock.user_id, cursor, until=newest + 1)
                if not frames and (not batch or batch[0].id != since + 1):
                    # The log no longer reaches back to ``since``: the client must reload.
                    sock.last_id = newest
                    return [Frame(newest, "events.gap", {})]
                frames.extend(Frame(e.id, e.type, e.data) for e in batch)
                if not batch or batch[-1].id >= newest:
                    break
                cursor = batch[-1].id
            sock.last_id = since
            return frames

    async def pump(self, sock: EventSocket, initial: list[Frame]) -> None:
        """Send frames to the socket in id order until it is closed."""
        try:
            for frame in initial:
                await self._send(sock, frame)
            while True:
                item = await sock.queue.get()
                if item is None:
                    break
                frame = item
                if frame.id <= sock.last_id:
                    continue
                if frame.id > sock.last_id + 1:
                    async with self.db.read() as session:
                        missing = await store.after(
                            session, sock.user_id, sock.last_id, until=frame.id, limit=10_000
                        )
                    for event in missing:
                        await self._send(sock, Frame(event.id, event.type, event.data))
                await self._send(sock, frame)
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
        if frame.id <= sock.last_id and frame.type != "events.gap":
            return
        await sock.websocket.send_text(frame.text())
        sock.last_id = max(sock.last_id, frame.id)
