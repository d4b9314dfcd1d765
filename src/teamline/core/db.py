"""The database: one async engine, sessions for reading and for writing, the table base.

SQLite runs in WAL mode with a busy timeout, and write transactions start with
``BEGIN IMMEDIATE``: a deferred transaction that later wants to write can fail at once with
SQLITE_BUSY when another connection writes, instead of waiting its turn.

Writes and short reads on SQLite run in the event loop's own thread (``InlineConnection``);
long reads (``scan``: a search, a whole phonebook, a backup) keep aiosqlite's thread per
connection, so that they run beside the loop. The WAL is copied back into the database file
(checkpointed) by a background task on such a thread, not by the writing commit that
happens to pass SQLite's threshold: that copy and its ``fsync`` would otherwise stall the
loop.

SQLite takes one writer at a time. The writers of this process wait their turn in a FIFO
queue (``WriteTurn``) instead of in SQLite's busy handler, which polls with sleeps of up to
100 ms and lets a newcomer overtake (long tails, and failures past the busy timeout). The
wait is bounded by the same busy timeout and then fails the same way (503 at the edge).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from functools import partial
from typing import Any

import aiosqlite
from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

log = logging.getLogger(__name__)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC in Python, whatever the database keeps."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


SQLITE_MMAP_BYTES = 1 << 30  # address space, not memory: pages come from the OS cache
SQLITE_CACHE_KIB = 32 * 1024  # per connection
# Checkpoints: every CHECKPOINT_SECONDS after a write, by ``Database.start``'s task. A commit
# checkpoints by itself only past WAL_AUTOCHECKPOINT_PAGES (200 MB of WAL), a safety net for
# a process that writes without the task (CLI commands). Past WAL_RESTART_PAGES the task
# copies the last frames while this process's writers wait their turn, so that the next
# writer starts the WAL over (see ``_checkpoint_loop``).
CHECKPOINT_SECONDS = 0.5
WAL_RESTART_PAGES = 4_000
WAL_AUTOCHECKPOINT_PAGES = 50_000


def _configure_sqlite(engine: AsyncEngine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the driver so BEGIN is ours to issue.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Reads through a memory map instead of a read() call per page, and a larger page
        # cache per connection: a search walks thousands of full-text index pages.
        cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("teamline_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class InlineConnection(aiosqlite.Connection):
    """An aiosqlite connection whose calls run at once in the calling thread (the loop's).

    aiosqlite hands every call (open a cursor, execute, fetch, close: three to four per
    statement through SQLAlchemy) to the connection's own thread and wakes the event loop
    with each answer. A write's statements are short (tens of microseconds in SQLite), and
    those hand-offs cost more CPU than SQLite's work: a chat send to 100 members took 6.0 ms
    of CPU through the thread and 3.3 ms in the loop (``bench.fanout_cpu --concurrency 8``).
    The price: while SQLite works, the loop waits. Writes are short statements, and another
    process that holds the write lock (a CLI command's transaction) holds the loop in
    SQLite's busy handler for as long, at most the busy timeout. Short reads run here too
    (``Database.read``): a GET of the conversation list took 9.3-10.4 ms of server CPU through
    the threads and 5.8-7.6 ms here (``bench.reads``); long ones do not (``Database.scan``).

    Opening and closing still go through aiosqlite's thread, as does SQLAlchemy setting
    ``isolation_level`` (on a connection nobody else uses at that moment).
    """

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if not self._running or not self._connection:
            raise ValueError("Connection closed")
        return fn(*args, **kwargs)


def _inline_connector(path: str) -> Callable[[], Awaitable[aiosqlite.Connection]]:
    async def connect() -> aiosqlite.Connection:
        # Made in aiosqlite's thread, used in the loop's: not bound to one thread.
        return await InlineConnection(
            partial(sqlite3.connect, path, check_same_thread=False), iter_chunk_size=64
        )

    return connect


def _savepoints_as_text(dialect: Dialect) -> None:
    """Run ``SAVEPOINT``, ``RELEASE`` and ``ROLLBACK TO`` as SQL text.

    SQLAlchemy compiles each savepoint statement anew (every savepoint has its own name, so
    the compiled cache never hits): in a group commit, where every block but the first runs
    in a savepoint, that was a seventh of a chat send's CPU time.
    """
    quote = dialect.identifier_preparer.quote

    def do_savepoint(connection: Connection, name: str) -> None:
        connection.exec_driver_sql(f"SAVEPOINT {quote(name)}")

    def do_release_savepoint(connection: Connection, name: str) -> None:
        connection.exec_driver_sql(f"RELEASE SAVEPOINT {quote(name)}")

    def do_rollback_to_savepoint(connection: Connection, name: str) -> None:
        connection.exec_driver_sql(f"ROLLBACK TO SAVEPOINT {quote(name)}")

    dialect.do_savepoint = do_savepoint  # type: ignore[method-assign]
    dialect.do_release_savepoint = do_release_savepoint  # type: ignore[method-assign]
    dialect.do_rollback_to_savepoint = do_rollback_to_savepoint  # type: ignore[method-assign]


class WriteTurn:
    """The right to write to SQLite, handed out in the order it was asked for."""

    def __init__(self, timeout_ms: int) -> None:
        self._lock = asyncio.Lock()
        self._timeout = timeout_ms / 1000

    async def take(self) -> None:
        """Wait for the turn; ``PoolTimeout`` after the busy timeout."""
        try:
            async with asyncio.timeout(self._timeout):
                await self._lock.acquire()
        except TimeoutError:
            raise PoolTimeout("no turn to write within the SQLite busy timeout") from None

    def give(self) -> None:
        self._lock.release()


class Database:
    """Owns the engines; hands out sessions. ``write()`` commits, ``read()`` and ``scan()``
    never do."""

    def __init__(self, url: str, *, echo: bool = False, busy_timeout_ms: int = 10_000) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        kwargs: dict[str, Any] = {"echo": echo}
        if not self.is_sqlite:
            kwargs.update(pool_size=10, max_overflow=20, pool_pre_ping=True)
        self.engine = create_async_engine(url, **kwargs)
        # Where writes and short reads go: on SQLite, connections that run in the loop
        # (``InlineConnection``), a pool each; ``engine`` keeps aiosqlite's threads (scans,
        # checkpoints, migrations).
        self.write_engine = self.read_engine = self.engine
        if self.is_sqlite:
            path = self.engine.url.database or ""
            self.write_engine = create_async_engine(
                url, echo=echo, async_creator=_inline_connector(path)
            )
            self.read_engine = create_async_engine(
                url, echo=echo, async_creator=_inline_connector(path)
            )
            for engine in (self.engine, self.write_engine, self.read_engine):
                _configure_sqlite(engine, busy_timeout_ms)
            _savepoints_as_text(self.write_engine.sync_engine.dialect)
        self._read = async_sessionmaker(self.read_engine, expire_on_commit=False)
        self._scan = async_sessionmaker(self.engine, expire_on_commit=False)
        self._write = async_sessionmaker(
            self.write_engine.execution_options(teamline_write=True), expire_on_commit=False
        )
        self.write_turn = WriteTurn(busy_timeout_ms) if self.is_sqlite else None
        self._written = asyncio.Event()  # set by a commit on the write engine
        self._checkpoints: asyncio.Task[None] | None = None
        if self.is_sqlite:
            event.listen(self.write_engine.sync_engine, "commit", self._on_commit)

    def _on_commit(self, _connection: Connection) -> None:
        self._written.set()

    async def start(self) -> None:
        """Begin checkpointing SQLite's WAL in the background (nothing on PostgreSQL)."""
        if self.is_sqlite and self._checkpoints is None:
            self._checkpoints = asyncio.create_task(self._checkpoint_loop(), name="checkpoints")

    async def _checkpoint_loop(self) -> None:
        """Copy the WAL back a moment after writes. The bulk is copied beside the writers;
        but under steady writes some commit always lands while a copy runs, so the WAL is
        never wholly copied when a writer begins, and only then does a writer start it over:
        it would grow until a commit checkpoints it itself, whose ``fsync`` stalls the loop
        (33 ms every ~60 chat sends to 100 members). So once it is long, the last frames are
        copied while this process's writers wait their turn (the loop runs on meanwhile)."""
        while True:
            await self._written.wait()
            await asyncio.sleep(CHECKPOINT_SECONDS)
            self._written.clear()
            try:
                wal_pages, _copied = await self.checkpoint()
                if wal_pages >= WAL_RESTART_PAGES and self.write_turn is not None:
                    await self.write_turn.take()
                    try:
                        await self.checkpoint()
                    finally:
                        self.write_turn.give()
            except Exception:  # the next write tries again; commits still checkpoint at 200 MB
                log.exception("SQLite checkpoint failed")

    async def checkpoint(self) -> tuple[int, int]:
        """Copy what the WAL holds into the database file without waiting for anybody
        (``PASSIVE``), on a reading connection's thread. Returns (WAL pages, pages copied)."""
        async with self.engine.connect() as connection:
            result = await connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
            row: tuple[Any, ...] = tuple(result.one())  # (busy, WAL pages, pages copied)
            await connection.commit()
        return int(row[1]), int(row[2])

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A session for short reads (an index look-up, a page of rows): on SQLite it runs in
        the event loop's thread, which waits meanwhile."""
        async with self._read() as session:
            yield session

    @asynccontextmanager
    async def scan(self) -> AsyncIterator[AsyncSession]:
        """A session for reads that may take SQLite long (a full-text search, a whole book,
        a backup): on SQLite it runs on a thread of its own, beside the loop."""
        async with self._scan() as session:
            yield session

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """A transaction that commits when the block ends without an exception.

        On SQLite it starts once this process's earlier writers are done (``WriteTurn``).
        """
        if self.write_turn is None:
            async with self._write() as session, session.begin():
                yield session
            return
        await self.write_turn.take()
        try:
            async with self._write() as session, session.begin():
                yield session
        finally:
            self.write_turn.give()

    def write_session(self) -> AsyncSession:
        """A session for writing whose transaction and turn the caller manages itself."""
        return self._write()

    async def ping(self) -> bool:
        from sqlalchemy import text

        try:
            async with self.read() as session:
                await session.execute(text("SELECT 1"))
        except Exception:
            return False
        return True

    async def close(self) -> None:
        if self._checkpoints is not None:
            self._checkpoints.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._checkpoints
            self._checkpoints = None
        await self.engine.dispose()
        if self.is_sqlite:
            await self.write_engine.dispose()
            await self.read_engine.dispose()
