"""CPU per chat message on the server's send path, in-process (no sockets, no HTTP).

One group of N members in a fresh SQLite database; the author's request is replayed N times
as the API does it: the bearer token resolved (``AccountsService.authenticate``), then
``ChatService.send``, then the push service's job for it worked off. Reported: CPU
milliseconds per send (``time.process_time``, robust to other load on the machine), wall
milliseconds beside it, the SQL statements per send (those run through SQLAlchemy and
those handed to the driver directly, ``teamline.core.prepared``) and the commits per send.
With ``--concurrency K`` K senders run at once, so that SQLite's group commit can take
several sends into one transaction.

``python -m bench.fanout_cpu [--members 100] [--sends 300] [--concurrency 1]
[--profile out.prof] [--statements]``
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import create_async_engine

from teamline.accounts.schemas import UserCreateIn
from teamline.chat.schemas import MessageIn
from teamline.config import Settings
from teamline.container import Container
from teamline.core import prepared
from teamline.core.migrate import upgrade
from teamline.groups.schemas import GroupIn

PASSWORD = "correct horse"


async def run(
    members: int, sends: int, concurrency: int, profile: str | None, verbose: bool
) -> None:
    with tempfile.TemporaryDirectory(prefix="teamline-fanout-cpu-") as tmp:
        data_dir = Path(tmp)
        db_file = data_dir / "teamline.db"
        engine = create_async_engine(f"sqlite+aiosqlite:///{db_file}")
        await upgrade(engine)
        await engine.dispose()
        settings = Settings(
            data_dir=data_dir,
            database_url=f"sqlite:///{db_file}",
            argon2_time_cost=1,  # cheap hashing: sign-in is not what is measured
            argon2_memory_kib=8,
            argon2_parallelism=1,
        )
        app = Container.build(settings)
        await app.start()
        try:
            ids = []
            for n in range(members):
                user = await app.accounts.create_user(
                    UserCreateIn(login=f"m{n:04d}", display_name=f"Member {n}", password=PASSWORD)
                )
                ids.append(user.id)
            session = await app.accounts.sign_in(
                "m0000", PASSWORD, device_name="bench", address="127.0.0.1"
            )
            token = session.token
            author = await app.accounts.authenticate(token)
            group = await app.groups.create(author, GroupIn(name="bench", member_ids=ids[1:]))
            conversation_id = group.conversation_id

            statements = 0
            commits = 0

            @event.listens_for(app.db.write_engine.sync_engine, "before_cursor_execute")
            def _count(*args: object) -> None:
                nonlocal statements
                statements += 1
                if show:
                    print("   ", " ".join(str(args[2]).split())[:150])

            @event.listens_for(app.db.write_engine.sync_engine, "commit")
            def _count_commit(*args: object) -> None:
                nonlocal commits
                commits += 1

            run_sqlite = prepared.run_sqlite

            async def counted(connection: Any, sql: str, *args: Any, **kwargs: Any) -> Any:
                nonlocal statements
                statements += 1
                if show:
                    print("    (prepared)", " ".join(sql.split())[:137])
                return await run_sqlite(connection, sql, *args, **kwargs)

            # Statements handed to aiosqlite directly pass no SQLAlchemy event: count them here.
            prepared.run_sqlite = counted

            async def one(k: int) -> None:
                caller = await app.accounts.authenticate(token)
                await app.chat.send(
                    caller, conversation_id, MessageIn(text=f"bench {k}", client_id=f"b-{k}")
                )
                await app.push.drained()

            async def sender(first: int) -> None:
                for k in range(first, sends, concurrency):
                    await one(k)

            show = False
            for k in range(20):  # warm up (statement caches, first-time imports)
                await one(-1 - k)
            if verbose:
                show = True
                print("statements of one send:")
                await one(-100)
                show = False
            statements = commits = 0
            profiler = cProfile.Profile() if profile else None
            cpu0, wall0, main0 = time.process_time(), time.perf_counter(), time.thread_time()
            if profiler:
                profiler.enable()
            await asyncio.gather(*(sender(first) for first in range(concurrency)))
            if profiler and profile:
                profiler.disable()
                profiler.dump_stats(profile)
            cpu = time.process_time() - cpu0
            main = time.thread_time() - main0
            wall = time.perf_counter() - wall0
            print(
                f"members {members}, sends {sends}, concurrency {concurrency}: "
                f"CPU {1000 * cpu / sends:.2f} ms/send "
                f"(event loop thread {1000 * main / sends:.2f}), "
                f"wall {1000 * wall / sends:.2f} ms/send, {statements / sends:.1f} statements/send"
                f", {commits / sends:.2f} commits/send (load average {os.getloadavg()[0]:.2f})"
            )
        finally:
            await app.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--members", type=int, default=100)
    parser.add_argument("--sends", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=1, help="senders at once")
    parser.add_argument("--profile", help="write cProfile statistics of the sends here")
    parser.add_argument("--statements", action="store_true", help="list one send's statements")
    args = parser.parse_args()
    asyncio.run(run(args.members, args.sends, args.concurrency, args.profile, args.statements))


if __name__ == "__main__":
    main()
