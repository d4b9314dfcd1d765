"""The event bus: how a committed fact reaches every node's sockets.

One interface, two implementations: in-process (one node) and Redis pub/sub (several nodes).
A bus message is a JSON list of the facts one commit logged, in id order, each
``{"id", "type", "data", "recipients": [user_id, ...]}``: the hub delivers a commit's facts
together (one write per connection however many of them it gets).

Besides the one handler (the node's WebSocket hub), a part of the node that keeps state
derived from the database can *watch* some types of fact: its watcher is called first, with
every fact of those types from any node (e.g. accounts forget remembered tokens when a
device is revoked anywhere).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any, Protocol

import redis.asyncio as aioredis
from redis.asyncio.client import PubSub

log = logging.getLogger(__name__)

Fact = dict[str, Any]
Handler = Callable[[list[Fact]], Awaitable[None]]
Watcher = Callable[[Fact], None]


class _Watchers:
    def __init__(self) -> None:
        self._watchers: dict[str, list[Watcher]] = {}

    def watch(self, types: Iterable[str], watcher: Watcher) -> None:
        for type_ in types:
            self._watchers.setdefault(type_, []).append(watcher)

    async def _deliver(self, handler: Handler, raw: Sequence[Fact] | str | bytes) -> None:
        try:
            facts = json.loads(raw) if isinstance(raw, str | bytes) else list(raw)
            for fact in facts:
                for watcher in self._watchers.get(str(fact.get("type")), ()):
                    try:
                        watcher(fact)
                    except Exception:
                        log.exception("event bus watcher failed")
            await handler(facts)
        except Exception:  # one failed delivery must not stop the ones after it
            log.exception("event bus handler failed")


class Bus(Protocol):
    async def start(self, handler: Handler) -> None:
        """Begin delivering every published message (from any node) to ``handler``."""

    def watch(self, types: Iterable[str], watcher: Watcher) -> None:
        """Also call ``watcher`` with each fact of these types, before the handler."""

    async def publish(self, facts: Sequence[Fact]) -> None:
        """Send one commit's facts, in order, to every node's handler (as one list)."""

    async def close(self) -> None: ...


class InProcessBus(_Watchers):
    """Delivers to the one local handler, in publish order."""

    def __init__(self) -> None:
        super().__init__()
        self._handler: Handler | None = None

    async def start(self, handler: Handler) -> None:
        self._handler = handler

    async def publish(self, facts: Sequence[Fact]) -> None:
        if self._handler is not None:
            await self._deliver(self._handler, facts)

    async def close(self) -> None:
        self._handler = None


class RedisBus(_Watchers):
    """Redis pub/sub on one channel; every node hears every message, its own included."""

    def __init__(self, url: str, channel: str) -> None:
        super().__init__()
        self._redis = aioredis.from_url(url)
        self._channel = channel
        self._task: asyncio.Task[None] | None = None

    async def start(self, handler: Handler) -> None:
        """Subscribe (raising if Redis does not answer), then listen in the background."""
        pubsub = self._redis.pubsub()
        await pubsub.subscribe(self._channel)
        self._task = asyncio.create_task(self._listen(pubsub, handler), name="redis-bus")

    async def _listen(self, pubsub: PubSub, handler: Handler) -> None:
        try:
            async for raw in pubsub.listen():
                if raw.get("type") == "message":
                    await self._deliver(handler, raw["data"])
        finally:
            with contextlib.suppress(Exception):
                await pubsub.aclose()  # type: ignore[no-untyped-call,unused-ignore]

    async def publish(self, facts: Sequence[Fact]) -> None:
        await self._redis.publish(self._channel, json.dumps(facts, separators=(",", ":")))

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._redis.aclose()


def make_bus(redis_url: str, channel: str) -> Bus:
    return RedisBus(redis_url, channel) if redis_url else InProcessBus()
