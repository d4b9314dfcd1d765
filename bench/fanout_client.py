"""One receiving process of the chat fan-out benchmark (``bench/fanout.py`` starts several).

Reads one JSON job from stdin, connects its share of the members, then says on stdout
``ready`` (every member connected) and ``quiet`` (nothing arrived for a while), records the
arrival of every benchmark message, and ends by printing one JSON line with its figures
(every arrival: message, member, latency): when every member has every message, or when the
parent writes ``stop`` to stdin.

A benchmark message's text is ``bench <k> <send time>``: the sender stamps ``time.monotonic()``
(CLOCK_MONOTONIC, one clock for every process on the machine) just before it sends, so a
receiver computes the latency on its own without talking to the sender.

Two kinds of member:
- ``teamline``: a live event socket ``/api/v1/events``; ``message.created`` frames.
- ``synapse``: a loop of long-polling ``/sync`` requests with the ``since`` token, as a Matrix
  client does, with a filter that keeps only the room's timeline.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import re
import sys
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
import websockets

from bench.presence_fanout import open_socket
from teamline.client import Client

STAMP = re.compile(r"bench (\d+) (\d+\.\d+)")
QUIET = 0.5  # seconds without any arrival before the members count as quiet
SETTLE_TIMEOUT = 900.0
SYNC_TIMEOUT_MS = 30_000
SETUP_TIMEOUT = 300.0  # one set-up request on a busy homeserver
CONCURRENCY = 16  # connects (Teamline) and set-up requests (Synapse) in flight at once

# What a Synapse member syncs: the room's timeline only (no presence, receipts, typing,
# account data, and members loaded lazily), as a chat client that shows one room would ask.
SYNC_FILTER: dict[str, Any] = {
    "presence": {"not_types": ["*"]},
    "account_data": {"not_types": ["*"]},
    "room": {
        "timeline": {"limit": 1000},
        "state": {"lazy_load_members": True},
        "ephemeral": {"not_types": ["*"]},
        "account_data": {"not_types": ["*"]},
    },
}
# The first sync only fetches a ``since`` token: no rooms at all, so it is cheap.
EMPTY_FILTER: dict[str, Any] = {
    "presence": {"not_types": ["*"]},
    "account_data": {"not_types": ["*"]},
    "room": {"rooms": []},
}


@dataclass
class Tally:
    """What this process's members saw."""

    expected: int  # members x messages
    arrivals: list[tuple[int, int, float]] = field(default_factory=list)  # (k, member, ms)
    seen: set[tuple[int, int]] = field(default_factory=set)  # (member, k)
    duplicates: int = 0
    gaps: int = 0  # Synapse: a sync answered "limited" (events left out of the timeline)
    last_arrival: float = 0.0
    done: asyncio.Event = field(default_factory=asyncio.Event)

    def note(self, member: int, text: str, now: float) -> None:
        self.last_arrival = now
        match = STAMP.search(text)
        if match is None:
            return
        key = (member, int(match[1]))
        if key in self.seen:
            self.duplicates += 1
            return
        self.seen.add(key)
        self.arrivals.append((key[1], member, round((now - float(match[2])) * 1000, 3)))
        if len(self.seen) >= self.expected:
            self.done.set()


# -- Teamline ------------------------------------------------------------------------------


async def teamline_member(
    base_url: str,
    member: int,
    token: str,
    tally: Tally,
    setup: asyncio.Semaphore,
    ready: list[int],
) -> None:
    client = Client(base_url, token=token)
    try:
        async with setup:
            conn = await open_socket(client)
        ready.append(member)
        tally.last_arrival = time.monotonic()
        with contextlib.suppress(websockets.ConnectionClosed):
            async for raw in conn:
                now = time.monotonic()
                text = raw if isinstance(raw, str) else raw.decode()
                tally.last_arrival = now
                if '"message.created"' in text:
                    tally.note(member, text, now)
    finally:
        await client.aclose()


# -- Synapse -------------------------------------------------------------------------------


async def synapse_member(
    http: httpx.AsyncClient,
    member: int,
    token: str,
    user_id: str,
    room_id: str,
    tally: Tally,
    setup: asyncio.Semaphore,
    ready: list[int],
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    async with setup:
        response = await http.post(
            f"/_matrix/client/v3/user/{user_id}/filter",
            json=SYNC_FILTER,
            headers=headers,
            timeout=SETUP_TIMEOUT,
        )
        response.raise_for_status()
        filter_id = response.json()["filter_id"]
        response = await http.get(
            "/_matrix/client/v3/sync",
            params={"filter": json.dumps(EMPTY_FILTER), "timeout": "0"},
            headers=headers,
            timeout=SETUP_TIMEOUT,
        )
        response.raise_for_status()
        since = response.json()["next_batch"]
    ready.append(member)
    while True:
        response = await http.get(
            "/_matrix/client/v3/sync",
            params={"since": since, "filter": filter_id, "timeout": str(SYNC_TIMEOUT_MS)},
            headers=headers,
        )
        now = time.monotonic()
        response.raise_for_status()
        body = response.json()
        since = body["next_batch"]
        room = body.get("rooms", {}).get("join", {}).get(room_id)
        if room is None:
            continue
        timeline = room.get("timeline", {})
        if timeline.get("limited"):
            tally.gaps += 1
        events = timeline.get("events", [])
        if events:
            tally.last_arrival = now
        for event in events:
            if event.get("type") == "m.room.message":
                tally.note(member, event.get("content", {}).get("body", ""), now)


# -- the process ---------------------------------------------------------------------------


async def wait_quiet(tally: Tally) -> None:
    deadline = time.monotonic() + SETTLE_TIMEOUT
    tally.last_arrival = max(tally.last_arrival, time.monotonic())
    while time.monotonic() < deadline:
        if time.monotonic() - tally.last_arrival >= QUIET:
            return
        await asyncio.sleep(0.05)
    raise RuntimeError(f"the members did not go quiet within {SETTLE_TIMEOUT} s")


async def stop_requested() -> None:
    """Until the parent writes a line (``stop``) or closes stdin."""
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.readline)


def settle_heap() -> None:
    """Move what set-up made out of the collector's sight (``gc.freeze``), as the server does.

    A member's receipt is stamped by this process: a full collection that walks a hundred
    connections' objects pauses it for 20-25 ms, and every member whose frame waits meanwhile
    would be charged for it; the server and its socket never caused that wait.
    """
    gc.collect()
    gc.freeze()


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


async def run(job: dict[str, Any]) -> dict[str, Any]:
    members: list[dict[str, str]] = job["members"]
    tally = Tally(expected=len(members) * int(job["messages"]))
    tasks: list[asyncio.Task[None]] = []
    limit = asyncio.Semaphore(CONCURRENCY)
    http: httpx.AsyncClient | None = None
    ready: list[int] = []
    try:
        if job["kind"] == "teamline":
            tasks = [
                asyncio.create_task(
                    teamline_member(job["base_url"], i, m["token"], tally, limit, ready)
                )
                for i, m in enumerate(members)
            ]
        else:
            http = httpx.AsyncClient(
                base_url=job["base_url"],
                timeout=httpx.Timeout(SYNC_TIMEOUT_MS / 1000 + 30),
                limits=httpx.Limits(max_connections=len(members) + CONCURRENCY),
            )
            tasks = [
                asyncio.create_task(
                    synapse_member(
                        http, i, m["token"], m["user_id"], job["room_id"], tally, limit, ready
                    )
                )
                for i, m in enumerate(members)
            ]
        while len(ready) < len(members):
            failed = [t for t in tasks if t.done()]
            if failed:
                failed[0].result()
                raise RuntimeError("a member stopped before it was connected")
            await asyncio.sleep(0.05)
        say("ready")
        await wait_quiet(tally)
        settle_heap()
        say("quiet")
        stop = asyncio.create_task(stop_requested())
        complete = asyncio.create_task(tally.done.wait())
        await asyncio.wait([stop, complete], return_when=asyncio.FIRST_COMPLETED)
        if complete.done():
            say("done")
            await stop
        complete.cancel()
        errors = [repr(t.exception()) for t in tasks if t.done() and t.exception()]
        return {
            "arrivals": tally.arrivals,
            "received": len(tally.seen),
            "expected": tally.expected,
            "duplicates": tally.duplicates,
            "gaps": tally.gaps,
            "errors": errors[:3],
        }
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if http is not None:
            await http.aclose()


def main() -> None:
    job = json.loads(sys.stdin.readline())
    result = asyncio.run(run(job))
    say(json.dumps(result, separators=(",", ":")))


if __name__ == "__main__":
    main()
