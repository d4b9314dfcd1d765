"""The event bus: in-process and Redis pub/sub deliver every message (the facts of one commit,
as one list), in order, to the handler."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from teamline.events.bus import Bus, InProcessBus, RedisBus
from tests.harness import REDIS_URL, unique_channel

Message = dict[str, Any]


def message(n: int) -> Message:
    return {"id": n, "type": "test.n", "data": {"n": n}, "recipients": ["u"]}


class Collector:
    """A bus handler that records what it is given and lets a test wait for a count."""

    def __init__(self, fail_on: set[int] | None = None) -> None:
        self.received: list[Message] = []
        self.batches: list[list[int]] = []
        self.fail_on = fail_on or set()
        self._changed = asyncio.Condition()

    async def __call__(self, facts: list[Message]) -> None:
        async with self._changed:
            self.received.extend(facts)
            self.batches.append([m["data"]["n"] for m in facts])
            self._changed.notify_all()
        failing = self.fail_on.intersection(self.batches[-1])
        if failing:
            raise RuntimeError(f"handler fails on {sorted(failing)}")

    async def wait_for_count(self, count: int, timeout: float = 5.0) -> list[Message]:
        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(lambda: len(self.received) >= count)
        return self.received

    def numbers(self) -> list[int]:
        return [m["data"]["n"] for m in self.received]


@pytest.fixture
async def redis_bus() -> AsyncIterator[RedisBus]:
    bus = RedisBus(REDIS_URL, unique_channel())
    yield bus
    await bus.close()


async def publish_all(bus: Bus, numbers: range) -> None:
    for n in numbers:
        await bus.publish([message(n)])


# -- in-process ----------------------------------------------------------------------------


async def test_in_process_bus_delivers_in_order() -> None:
    bus = InProcessBus()
    handler = Collector()
    await bus.start(handler)
    await publish_all(bus, range(100))
    assert handler.numbers() == list(range(100))
    assert handler.received[7] == message(7)
    await bus.close()


async def test_in_process_bus_without_handler_drops_and_after_close_delivers_nothing() -> None:
    bus = InProcessBus()
    await bus.publish([message(0)])  # nobody listens yet: nothing to deliver, no error
    handler = Collector()
    await bus.start(handler)
    await bus.publish([message(1)])
    await bus.close()
    await bus.publish([message(2)])
    assert handler.numbers() == [1]


async def test_in_process_bus_handler_failure_does_not_stop_later_deliveries(
    caplog: pytest.LogCaptureFixture,
) -> None:
    bus = InProcessBus()
    handler = Collector(fail_on={3})
    await bus.start(handler)
    # The publisher (a committed transaction) is not the place to report a delivery failure:
    # like the Redis bus, the in-process bus logs it and carries on.
    await publish_all(bus, range(10))
    assert handler.numbers() == list(range(10))
    failures = [r for r in caplog.records if r.name == "teamline.events.bus"]
    assert len(failures) == 1
    assert failures[0].exc_info is not None
    await bus.close()


async def test_a_watcher_hears_its_types_before_the_handler_and_cannot_break_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    bus = InProcessBus()
    order: list[tuple[str, int]] = []

    async def handler(facts: list[Message]) -> None:
        order.extend(("handler", msg["data"]["n"]) for msg in facts)

    def watcher(msg: Message) -> None:
        order.append(("watcher", msg["data"]["n"]))
        if msg["data"]["n"] == 2:
            raise RuntimeError("watcher fails on 2")

    bus.watch(["test.watched"], watcher)
    await bus.start(handler)
    for n in range(3):
        await bus.publish([{**message(n), "type": "test.watched"}])
    await bus.publish([message(3)])
    assert order == [
        ("watcher", 0),
        ("handler", 0),
        ("watcher", 1),
        ("handler", 1),
        ("watcher", 2),
        ("handler", 2),
        ("handler", 3),
    ]
    assert [r.getMessage() for r in caplog.records] == ["event bus watcher failed"]
    await bus.close()


@pytest.mark.redis
async def test_a_redis_bus_watcher_hears_the_other_nodes() -> None:
    channel = unique_channel()
    listener, publisher = RedisBus(REDIS_URL, channel), RedisBus(REDIS_URL, channel)
    watched: list[int] = []
    listener.watch(["test.watched"], lambda msg: watched.append(msg["data"]["n"]))
    handler = Collector()
    try:
        await listener.start(handler)
        await publisher.publish([{**message(0), "type": "test.watched"}])
        await publisher.publish([message(1)])
        await handler.wait_for_count(2)
        assert watched == [0]
    finally:
        for bus in (listener, publisher):
            await bus.close()


# -- Redis ---------------------------------------------------------------------------------


@pytest.mark.redis
async def test_redis_bus_delivers_in_order(redis_bus: RedisBus) -> None:
    handler = Collector()
    await redis_bus.start(handler)
    await publish_all(redis_bus, range(200))
    received = await handler.wait_for_count(200)
    assert [m["data"]["n"] for m in received] == list(range(200))
    assert received[42] == message(42)  # the JSON round trip keeps the message as it was


@pytest.mark.redis
async def test_two_redis_buses_on_one_channel_hear_each_other() -> None:
    channel = unique_channel()
    first, second = RedisBus(REDIS_URL, channel), RedisBus(REDIS_URL, channel)
    other = RedisBus(REDIS_URL, unique_channel())
    heard_first, heard_second, heard_other = Collector(), Collector(), Collector()
    try:
        await first.start(heard_first)
        await second.start(heard_second)
        await other.start(heard_other)
        await publish_all(first, range(0, 50))
        await publish_all(second, range(50, 100))
        for handler in (heard_first, heard_second):
            received = await handler.wait_for_count(100)
            numbers = [m["data"]["n"] for m in received]
            # Every node hears every message, its own included, each publisher's in order.
            assert sorted(numbers) == list(range(100))
            assert [n for n in numbers if n < 50] == list(range(50))
            assert [n for n in numbers if n >= 50] == list(range(50, 100))
        # A sentinel on the other channel: once it arrives, nothing of ours could still be
        # on its way there.
        await other.publish([message(-1)])
        assert [m["data"]["n"] for m in await heard_other.wait_for_count(1)] == [-1]
    finally:
        for bus in (first, second, other):
            await bus.close()


@pytest.mark.redis
async def test_redis_bus_handler_failure_does_not_stop_later_deliveries(
    redis_bus: RedisBus, caplog: pytest.LogCaptureFixture
) -> None:
    handler = Collector(fail_on={2, 5})
    await redis_bus.start(handler)
    await publish_all(redis_bus, range(10))
    received = await handler.wait_for_count(10)
    assert [m["data"]["n"] for m in received] == list(range(10))
    failures = [r for r in caplog.records if r.name == "teamline.events.bus"]
    assert len(failures) == 2
    assert all(r.exc_info is not None for r in failures)


async def test_redis_bus_start_fails_when_redis_is_unreachable() -> None:
    # A node with a wrong Redis address must fail at start-up, not hang there.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing answers on this port
    bus = RedisBus(f"redis://127.0.0.1:{port}/0", unique_channel())
    try:
        async with asyncio.timeout(10):
            with pytest.raises(RedisConnectionError):
                await bus.start(Collector())
    finally:
        await bus.close()


@pytest.mark.redis
async def test_redis_bus_close_stops_delivery() -> None:
    channel = unique_channel()
    listener, publisher = RedisBus(REDIS_URL, channel), RedisBus(REDIS_URL, channel)
    heard_listener, heard_publisher = Collector(), Collector()
    try:
        await listener.start(heard_listener)
        await publisher.start(heard_publisher)
        await publisher.publish([message(1)])
        await heard_listener.wait_for_count(1)
        await listener.close()
        await publisher.publish([message(2)])
        # The publisher hears its own message; by then the closed listener would have too.
        await heard_publisher.wait_for_count(2)
        assert heard_listener.numbers() == [1]
    finally:
        await publisher.close()


@pytest.mark.parametrize("kind", ["in-process", pytest.param("redis", marks=pytest.mark.redis)])
async def test_a_commit_s_facts_arrive_together_in_order(kind: str) -> None:
    """One publish is one delivery: the hub writes a commit's frames to a connection at once."""
    bus: Bus = InProcessBus() if kind == "in-process" else RedisBus(REDIS_URL, unique_channel())
    handler = Collector()
    watched: list[int] = []
    bus.watch(["test.n"], lambda msg: watched.append(msg["data"]["n"]))
    try:
        await bus.start(handler)
        await bus.publish([message(n) for n in range(3)])
        await bus.publish([message(3)])
        await handler.wait_for_count(4)
        assert handler.batches == [[0, 1, 2], [3]]
        assert watched == [0, 1, 2, 3]  # watchers hear each fact
    finally:
        await bus.close()
