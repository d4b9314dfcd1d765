"""Event frames straight to an event socket's connection, encoded once for all of them.

Through Starlette, a frame passes ``WebSocket.send_text``, the ASGI ``send`` of uvicorn's
protocol, websockets' encoder and then the transport, in the socket's own pump task: for a
message to a group of 100, a hundred task switches and a hundred encodings of the same bytes.
A ``Wire`` lets the hub write a fact's frame — built once, the same bytes for every
connection, as no extension (compression) is negotiated (``SERVER_OPTIONS``) — to every idle
connection in one pass. It does for a text frame what uvicorn's ``send`` does: it writes only
while the transport takes more (otherwise the socket's pump, which waits, takes over) and
never after the close frame.

This reaches into uvicorn's WebSocket protocol (``websockets-sansio``): its ``transport``,
``writable``, ``close_sent``, ``disconnected`` and ``conn.extensions``. Where they are not
there, ``Wire.of`` gives None and frames take the ASGI path (``tests/api/test_event_log.py``
checks that event sockets do get a wire).
"""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send
from websockets.frames import Frame, Opcode

PROTOCOL_KEY = "teamline.websocket_protocol"


def text_frame(text: str) -> bytes:
    """A complete, unmasked WebSocket text frame (as a server sends it)."""
    return Frame(Opcode.TEXT, text.encode()).serialize(mask=False)


class KeepWebSocketProtocol:
    """ASGI middleware: a WebSocket connection's scope keeps the server's protocol object
    (the owner of the ``send`` the server passed in)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            owner = getattr(send, "__self__", None)
            if owner is not None:
                scope[PROTOCOL_KEY] = owner
        await self.app(scope, receive, send)


class Wire:
    """Direct writes to one uvicorn WebSocket connection."""

    __slots__ = ("_protocol", "_transport", "_writable")

    def __init__(self, protocol: Any) -> None:
        self._protocol = protocol
        self._transport: asyncio.WriteTransport = protocol.transport
        self._writable: asyncio.Event = protocol.writable

    @classmethod
    def of(cls, scope: Scope) -> Wire | None:
        """The wire of this WebSocket connection, if its server lets frames be written."""
        protocol = scope.get(PROTOCOL_KEY)
        needed = ("transport", "writable", "close_sent", "disconnected", "conn")
        if protocol is None or not all(hasattr(protocol, name) for name in needed):
            return None
        if getattr(protocol.conn, "extensions", None) != []:
            return None
        if not isinstance(protocol.writable, asyncio.Event):
            return None
        return cls(protocol)

    def ready(self) -> bool:
        """Whether a frame may be written now: open, and the transport's buffer not full."""
        protocol = self._protocol
        return (
            self._writable.is_set()
            and not protocol.close_sent
            and not protocol.disconnected
            and not self._transport.is_closing()
        )

    def write(self, frame: bytes) -> None:
        self._transport.write(frame)
