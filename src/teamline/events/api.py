"""The event socket ``/api/v1/events``: every event of the user, resumable with ``since``."""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from teamline.container import Container
from teamline.core.errors import TeamlineError
from teamline.core.ids import new_id
from teamline.events.hub import (
    CLOSE_MALFORMED,
    CLOSE_TRY_AGAIN,
    CLOSE_UNAUTHENTICATED,
    EventSocket,
)
from teamline.events.wire import Wire

router = APIRouter(prefix="/api/v1", tags=["events"])


def _token(websocket: WebSocket) -> str | None:
    header = websocket.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return websocket.query_params.get("token")


def _since(websocket: WebSocket) -> int | None:
    raw = websocket.query_params.get("since")
    if raw is None or raw == "":
        return None
    return int(raw) if raw.isascii() and raw.isdigit() else -1


@router.websocket("/events")
async def events_socket(websocket: WebSocket) -> None:
    app: Container = websocket.app.state.container
    since = _since(websocket)
    if since == -1:
        await websocket.accept()
        await websocket.close(code=CLOSE_MALFORMED, reason="since must be an event id")
        return
    try:
        caller = await app.accounts.authenticate(_token(websocket))
    except TeamlineError as exc:
        # Accept first: a browser sees the close code only on an opened socket.
        await websocket.accept()
        await websocket.close(code=CLOSE_UNAUTHENTICATED, reason=exc.message[:120])
        return
    except (OperationalError, PoolTimeout):
        await websocket.accept()
        await websocket.close(code=CLOSE_TRY_AGAIN, reason="server busy, reconnect")
        return
    sock = EventSocket(websocket, caller.user_id, caller.device_id, socket_id=new_id())
    app.hub.register(sock)
    pump: asyncio.Task[None] | None = None
    try:
        # The handshake completes only once the socket is registered and its starting point
        # is fixed, and the user counts as online: every event committed after the client's
        # connect returns reaches it.
        try:
            initial = await app.hub.start_position(sock, since)
            await app.presence.socket_opened(
                socket_id=sock.socket_id, user_id=caller.user_id, device_id=caller.device_id
            )
        except (OperationalError, PoolTimeout):
            await websocket.accept()
            await websocket.close(code=CLOSE_TRY_AGAIN, reason="server busy, reconnect")
            return
        await websocket.accept()
        pump = asyncio.create_task(
            app.hub.pump(sock, initial, Wire.of(websocket.scope)), name="event-pump"
        )
        await _receive(app, websocket, sock)
    finally:
        app.hub.unregister(sock)
        if pump is not None:
            pump.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await pump
        await app.presence.socket_closed(sock.socket_id)


async def _receive(app: Container, websocket: WebSocket, sock: EventSocket) -> None:
    """Read client frames until the socket closes (by either side)."""
    receive = asyncio.ensure_future(websocket.receive_text())
    closed = asyncio.ensure_future(sock.closed.wait())
    try:
        while True:
            done, _ = await asyncio.wait({receive, closed}, return_when=asyncio.FIRST_COMPLETED)
            if closed in done:
                return
            try:
                text = receive.result()
            except (WebSocketDisconnect, RuntimeError):
                return
            frame = _parse(text)
            if frame is None:
                await websocket.close(code=CLOSE_MALFORMED, reason="malformed frame")
                return
            await _handle(app, sock, frame)
            receive = asyncio.ensure_future(websocket.receive_text())
    finally:
        for task in (receive, closed):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


def _parse(text: str) -> dict[str, Any] | None:
    try:
        frame = json.loads(text)
    except ValueError:
        return None
    if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
        return None
    data = frame.get("data", {})
    if not isinstance(data, dict):
        return None
    return {"type": frame["type"], "data": data}


async def _handle(app: Container, sock: EventSocket, frame: dict[str, Any]) -> None:
    if frame["type"] == "client.state":
        data = frame["data"]
        await app.presence.client_state(
            sock.socket_id,
            idle=bool(data.get("idle", False)),
            foreground=bool(data.get("foreground", True)),
        )
    elif frame["type"] == "conversation.typing":
        conversation_id = frame["data"].get("conversation_id")
        if isinstance(conversation_id, str) and 0 < len(conversation_id) <= 32:
            # Best effort: a typing hint lost to a busy database must not close the socket.
            with contextlib.suppress(OperationalError, PoolTimeout):
                await app.chat.typing(sock.user_id, conversation_id)
    # Other frame types (call signalling) are added by their domains; unknown types are
    # ignored so that newer clients can talk to older servers.
