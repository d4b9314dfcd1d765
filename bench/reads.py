"""Everyday reads over HTTP: the time and the server CPU a GET costs.

A fresh ``teamline serve`` process (temporary SQLite data directory) gets U users; the first
has a direct conversation with each of the next C, with M messages in each. Then the first
user asks, R times each, one request after the other: their conversation list, the contact
list, a page of one conversation's messages, and their own account. Reported per request:
wall milliseconds at the client (p50, p90) and the server process's CPU milliseconds
(user + system from ``/proc``, so it counts every thread of the server).

``python -m bench.reads [--users 50] [--conversations 19] [--messages 5] [--repeat 200]``
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

from bench.fanout import percentile
from bench.presence_fanout import PASSWORD, create_users, node_env, sample, start_server
from teamline.client import Client


async def main(users: int, conversations: int, messages: int, repeat: int) -> int:
    with tempfile.TemporaryDirectory(prefix="teamline-reads-") as tmp:
        data_dir = Path(tmp)
        env = node_env(data_dir, f"sqlite:///{data_dir / 'teamline.db'}")
        logins = await create_users(env, data_dir, users)
        server = start_server(env, data_dir)
        clients: list[Client] = []
        try:
            await server.wait_healthy()
            for login in logins[: conversations + 1]:
                client = Client(server.base_url, timeout=60)
                clients.append(client)
                await client.sign_in(login, PASSWORD, device_name="bench")
            me, others = clients[0], clients[1:]
            conversation_id = ""
            for other in others:
                assert other.account is not None
                created = await me.request(
                    "POST", "/conversations", json={"user_id": other.account["id"]}
                )
                conversation_id = created.json()["id"]
                for k in range(messages):
                    await other.request(
                        "POST",
                        f"/conversations/{conversation_id}/messages",
                        json={"text": f"Hallo {k}, bis später"},
                    )
            reads = {
                "GET /conversations": "/conversations",
                "GET /contacts": "/contacts",
                "GET /conversations/{id}/messages": f"/conversations/{conversation_id}/messages",
                "GET /me": "/me",
            }
            print(
                f"everyday reads: {users} users, {conversations} conversations of "
                f"{messages} messages, {repeat} requests each, one at a time, SQLite"
            )
            print(f"{'request':<34} {'bytes':>7} {'p50 ms':>7} {'p90 ms':>7} {'CPU ms':>7}")
            for label, path in reads.items():
                walls: list[float] = []
                before = sample(server.pid).cpu_seconds
                size = 0
                for _ in range(repeat):
                    started = time.perf_counter()
                    response = await me.request("GET", path)
                    walls.append((time.perf_counter() - started) * 1000)
                    response.raise_for_status()
                    size = len(response.content)
                cpu_ms = (sample(server.pid).cpu_seconds - before) / repeat * 1000
                print(
                    f"{label:<34} {size:>7} {percentile(walls, 50):>7.2f} "
                    f"{percentile(walls, 90):>7.2f} {cpu_ms:>7.2f}",
                    flush=True,
                )
        finally:
            await server.stop()
            for client in clients:
                await client.aclose()
    return 0


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.reads", description=__doc__)
    parser.add_argument("--users", type=int, default=50, help="users (%(default)s)")
    parser.add_argument(
        "--conversations", type=int, default=19, help="the first user's (%(default)s)"
    )
    parser.add_argument("--messages", type=int, default=5, help="per conversation (%(default)s)")
    parser.add_argument("--repeat", type=int, default=200, help="requests each (%(default)s)")
    return parser.parse_args(argv)


if __name__ == "__main__":
    args = parse(sys.argv[1:])
    raise SystemExit(asyncio.run(main(args.users, args.conversations, args.messages, args.repeat)))
