"""SQLite as the database runs it: writes and short reads in the event loop's thread, long
reads (scans) on their own threads, and the WAL copied back into the database file in the
background."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from teamline.core.db import Database


async def _thread_of(session: AsyncSession) -> int:
    """The thread that runs this session's SQL (the ``tid()`` SQL function tells)."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    sqlite_connection: sqlite3.Connection = raw.driver_connection._conn  # type: ignore[union-attr]
    sqlite_connection.create_function("tid", 0, threading.get_ident)
    return int((await session.execute(text("SELECT tid()"))).scalar_one())


async def test_writes_and_reads_run_in_the_loop_thread_and_scans_beside_it(
    tmp_path: Path,
) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'teamline.db'}")
    try:
        loop_thread = threading.get_ident()
        async with db.write() as session:
            assert await _thread_of(session) == loop_thread
        async with db.read() as session:
            assert await _thread_of(session) == loop_thread
        async with db.scan() as session:
            assert await _thread_of(session) != loop_thread
    finally:
        await db.close()


async def test_a_read_sees_what_was_committed_and_never_writes(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'teamline.db'}")
    try:
        async with db.write() as session:
            await session.execute(text("CREATE TABLE notes (body TEXT)"))
            await session.execute(text("INSERT INTO notes VALUES ('eins')"))
        async with db.read() as session:
            assert (await session.execute(text("SELECT body FROM notes"))).scalar_one() == "eins"
            await session.execute(text("INSERT INTO notes VALUES ('zwei')"))
        # Closing a read session rolls back: nothing it did stays.
        async with db.scan() as session:
            assert (await session.execute(text("SELECT count(*) FROM notes"))).scalar_one() == 1
    finally:
        await db.close()


async def test_the_wal_is_checkpointed_in_the_background(tmp_path: Path) -> None:
    path = tmp_path / "teamline.db"
    db = Database(f"sqlite+aiosqlite:///{path}")
    await db.start()
    try:
        async with db.write() as session:
            await session.execute(text("CREATE TABLE blobs (data BLOB)"))
        async with db.write() as session:
            # 2 MB: far below the commit's own checkpoint threshold (40 MB of WAL).
            await session.execute(text("INSERT INTO blobs VALUES (zeroblob(2000000))"))
        assert path.stat().st_size < 1_000_000, "the commit itself copied the WAL"
        async with asyncio.timeout(10):
            while path.stat().st_size < 2_000_000:  # noqa: ASYNC110 (a file: no event)
                await asyncio.sleep(0.05)
        async with db.read() as session:
            assert (await session.execute(text("SELECT length(data) FROM blobs"))).scalar_one()
    finally:
        await db.close()
