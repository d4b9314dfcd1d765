"""The event socket from the client's side."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable
from types import TracebackType
from typing import Any

import websockets
from websockets.asyncio.client import ClientConnection


class SocketClosed(Exception):
    """The server closed the event socket; ``code`` says why (4401: token revoked)."""

    def __init__(self, code: int | None, reason: str) -> None:
        super().__init__(f"event socket closed ({code}): {reason}")
        self.code = code
        self.reason = reason


Event = dict[str, Any]


class EventStream:
    """One connection to ``/api/v1/events``; remembers the last event id it saw."""

    def __init__(self, url: str, token: str, since: int | None = None) -> None:
        self._url = url
        self._token = token
        self.last_id = since
        self._conn: ClientConnection | None = None

    async def __aenter__(self) -> EventStream:
        await self.connect()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def connect(self) -> None:
        query = f"?since={self.last_id}" if self.last_id is not None else ""
        self._conn = await websockets.connect(
            self._url + query, additional_headers={"Authorization": f"Bearer {self._token}"}
        )

    async def close(self) -> None:
        if self._conn is None:
            return
        conn, self._conn = self._conn, None
        closing = asyncio.ensure_future(conn.close())
        # websockets stops reading while its queue of unread messages is full, and then
        # never sees the server's close frame: discard unread events until the close is done.
        with contextlib.suppress(websockets.ConnectionClosed):
            while not closing.done():
                recv = asyncio.ensure_future(conn.recv())
                await asyncio.wait({recv, closing}, return_when=asyncio.FIRST_COMPLETED)
                if not recv.done():
                    recv.cancel()
                    with contextlib.suppress(asyncio.CancelledError, websockets.ConnectionClosed):
                        await recv
                elif recv.exception() is not None:
                    break
        await closing

    async def reconnect(self) -> None:
        """Close and connect again from the last id seen: missed events are replayed."""
        await self.close()
        await self.connect()

    async def send(self, type_: str, data: dict[str, Any]) -> None:
        assert self._conn is not None, "not connected"
        await self._conn.send(json.dumps({"type": type_, "data": data}))

    async def send_raw(self, text: str) -> None:
        assert self._conn is not None, "not connected"
        await self._conn.send(text)

    async def recv(self, timeout: float = 10.0) -> Event:
        """The next event; raises SocketClosed when the server closes the socket."""
        assert self._conn is not None, "not connected"
        try:
            raw = await asyncio.wait_for(self._conn.recv(), timeout)
        except websockets.ConnectionClosed as exc:
            rcvd = exc.rcvd
            raise SocketClosed(rcvd.code if rcvd else None, rcvd.reason if rcvd else "") from exc
        event: Event = json.loads(raw)
        self.last_id = event["id"]
        return event

    async def wait_for(
        self,
        type_: str,
        where: Callable[[dict[str, Any]], bool] | None = None,
        timeout: float = 10.0,
    ) -> Event:
        """Skip events until one of ``type_`` whose data satisfies ``where`` arrives.

        A ``presence.batch`` counts as each of its changes: waiting for a
        ``presence.changed`` returns the matching change as one (with the batch's id)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"no {type_} event within {timeout} s")
            event = await self.recv(remaining)
            candidates = [event]
            if event["type"] == "presence.batch" and type_ == "presence.changed":
                candidates = [
                    {"id": event["id"], "type": type_, "data": change}
                    for change in event["data"].get("changes", [])
                ]
            for candidate in candidates:
                if candidate["type"] == type_ and (where is None or where(candidate["data"])):
                    return candidate

    async def drain(self, quiet: float = 0.2) -> list[Event]:
        """Every event that arrives until the socket is quiet for ``quiet`` seconds."""
        events: list[Event] = []
        while True:
            try:
                events.append(await self.recv(quiet))
            except TimeoutError:
                return events
